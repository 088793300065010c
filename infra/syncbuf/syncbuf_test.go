package syncbuf_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/coopcarepathway/pathway/infra/syncbuf"
)

// Writers on many goroutines, read while they write, lose no byte (and the
// race detector sees no race).
func TestConcurrentWritesAllKept(t *testing.T) {
	var buf syncbuf.Buffer
	var wg sync.WaitGroup
	const writers, lines = 8, 50
	for range writers {
		wg.Go(func() {
			for range lines {
				if _, err := buf.Write([]byte("line\n")); err != nil {
					t.Error(err)
				}
			}
		})
	}
	for range lines {
		_ = buf.String()
	}
	wg.Wait()
	if got := strings.Count(buf.String(), "line\n"); got != writers*lines {
		t.Errorf("got %d lines, want %d", got, writers*lines)
	}
}
