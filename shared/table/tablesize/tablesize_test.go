package tablesize_test

import (
	"testing"

	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/table/tablesize"
)

func TestNumberValue(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"0", 1},     // no significant digit: the byte of the number alone
		{"7", 2},     // one digit: one byte for it, one more
		{"12", 2},    // two digits share a byte
		{"12345", 4}, // three bytes of digits
		{"100", 2},   // trailing zeros are trimmed
		{"-7", 3},    // the sign takes a byte
		{"0.50", 2},  // leading and trailing zeros of a fraction too
	} {
		if got := tablesize.NumberValue(tc.in); got != tc.want {
			t.Errorf("NumberValue(%s) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

func TestItem(t *testing.T) {
	it := &table.Item{PK: "COOP#1", SK: "META", GSI1PK: "G", GSI1SK: "S", Version: 3, Count: 0,
		Body: []byte(`{}`), Counts: map[string]int64{"emails": 12}}
	// PK 2+6, SK 2+4, GSI1PK 6+1, GSI1SK 6+1, Body 4+2, Version 7+2,
	// Count 5+1, c:emails 8+2: 8+6+7+7+6+9+6+10 = 59.
	if got := tablesize.Item(it); got != 59 {
		t.Errorf("Item = %d, want 59", got)
	}
	if got := tablesize.Index(it, table.IndexGSI1); got != 59 {
		t.Errorf("Index(GSI1) = %d, want the whole item (projection ALL)", got)
	}
	if got := tablesize.Index(it, table.IndexGSI2); got != 0 {
		t.Errorf("Index(GSI2) = %d, want 0: the item has no GSI2 keys", got)
	}
	if tablesize.Item(nil) != 0 {
		t.Error("Item(nil) is not 0")
	}
}
