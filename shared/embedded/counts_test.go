package embedded

import (
	"encoding/binary"
	"maps"
	"testing"

	"github.com/coopcarepathway/pathway/shared/table"
)

// TestItemFormats: an item without named counters keeps the first layout
// byte for byte, so files written before counters existed read as they
// did; one with counters is stored in the second, whatever the map order.
func TestItemFormats(t *testing.T) {
	// A value of the first layout, built by hand as it was written then.
	var old []byte
	old = append(old, 1)
	for _, s := range []string{"P", "S", "", "", "G2", "g"} {
		old = binary.AppendUvarint(old, uint64(len(s)))
		old = append(old, s...)
	}
	old = binary.AppendVarint(old, 4)
	old = binary.AppendVarint(old, -2)
	old = append(old, `{"a":1}`...)
	it, err := decodeItem(old)
	if err != nil {
		t.Fatal(err)
	}
	want := table.Item{PK: "P", SK: "S", GSI2PK: "G2", GSI2SK: "g", Version: 4, Count: -2, Body: []byte(`{"a":1}`)}
	if it.PK != want.PK || it.GSI2SK != want.GSI2SK || it.Version != 4 || it.Count != -2 || string(it.Body) != `{"a":1}` || it.Counts != nil {
		t.Fatalf("old value read as %+v", it)
	}
	if got := encodeItem(&want); string(got) != string(old) {
		t.Fatalf("an item without counters is stored as %q; want the first layout %q", got, old)
	}
	want.Counts = map[string]int64{"b": 2, "a": -1, "z:x|y=*": 1 << 40}
	v := encodeItem(&want)
	if v[0] != 2 {
		t.Fatalf("format %d; want 2", v[0])
	}
	for range 10 { // one item, one encoding
		if again := encodeItem(&want); string(again) != string(v) {
			t.Fatal("two encodings of one item")
		}
	}
	back, err := decodeItem(v)
	if err != nil || !maps.Equal(back.Counts, want.Counts) || string(back.Body) != `{"a":1}` || back.Count != -2 {
		t.Fatalf("decoded %+v, %v", back, err)
	}
	for i := 1; i < len(v)-len(want.Body); i++ {
		if _, err := decodeItem(v[:i]); err == nil {
			t.Fatalf("a value cut at %d bytes decoded", i)
		}
	}
}
