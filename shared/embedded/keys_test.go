package embedded

import (
	"bytes"
	"cmp"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/table"
)

// randString returns a short string of the bytes most likely to break an
// encoding: zero, the escape bytes, the largest byte and a letter.
func randString(r *rand.Rand) string {
	const alphabet = "\x00\x01\x02\xfe\xffa"
	var b strings.Builder
	for range r.IntN(5) {
		b.WriteByte(alphabet[r.IntN(len(alphabet))])
	}
	return b.String()
}

// TestIndexKeyOrder checks that index keys sort as (ISK, PK, SK) do, byte
// by byte, whatever bytes they hold.
func TestIndexKeyOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	type tuple struct{ isk, pk, sk string }
	for range 100_000 {
		a := tuple{randString(r), randString(r), randString(r)}
		b := tuple{randString(r), randString(r), randString(r)}
		want := cmp.Or(strings.Compare(a.isk, b.isk), strings.Compare(a.pk, b.pk), strings.Compare(a.sk, b.sk))
		got := bytes.Compare(indexKey("g", a.isk, a.pk, a.sk), indexKey("g", b.isk, b.pk, b.sk))
		if got != want {
			t.Fatalf("%q vs %q: keys compare %d; want %d", a, b, got, want)
		}
	}
}

// TestBounds checks that the key range of every sort condition holds
// exactly the keys whose sort keys it selects, in the table and in an index.
func TestBounds(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	ops := map[table.SortOp]func(k, a, b string) bool{
		table.SortAll:          func(string, string, string) bool { return true },
		table.SortEqual:        func(k, a, _ string) bool { return k == a },
		table.SortBeginsWith:   func(k, a, _ string) bool { return strings.HasPrefix(k, a) },
		table.SortBetween:      func(k, a, b string) bool { return a <= k && k <= b },
		table.SortLess:         func(k, a, _ string) bool { return k < a },
		table.SortLessEqual:    func(k, a, _ string) bool { return k <= a },
		table.SortGreater:      func(k, a, _ string) bool { return k > a },
		table.SortGreaterEqual: func(k, a, _ string) bool { return k >= a },
	}
	for range 20_000 {
		for _, index := range []bool{false, true} {
			// Neighbouring partitions too: no key of theirs may fall in range.
			pk := []string{"p", "p\x00", "pa", "o"}[r.IntN(4)]
			ks := keyspace{prefix: partition("p"), index: index}
			op := table.SortOp(r.IntN(8))
			q := table.Query{Sort: op, A: randString(r), B: randString(r)}
			lo, hi := bounds(ks, &q)
			sk, rest := randString(r), randString(r)
			key := itemKey(pk, sk)
			if index {
				key = indexKey(pk, sk, rest, rest)
			}
			in := bytes.Compare(lo, key) <= 0 && bytes.Compare(key, hi) < 0
			if want := pk == "p" && ops[op](sk, q.A, q.B); in != want {
				t.Fatalf("index %v, partition %q, op %d %q %q, sort key %q: in range %v; want %v",
					index, pk, op, q.A, q.B, sk, in, want)
			}
		}
	}
}
