package localsecret_test

import (
	"bytes"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/coopcarepathway/pathway/infra/local/localsecret"
)

// TestLoad: the first load creates the secret, later loads read the same
// one, concurrent first loads agree, and a damaged file is refused.
func TestLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.secret")
	var wg sync.WaitGroup
	got := make([][]byte, 8)
	for i := range got {
		wg.Go(func() {
			s, err := localsecret.Load(path)
			if err != nil {
				t.Error(err)
			}
			got[i] = s
		})
	}
	wg.Wait()
	for _, s := range got[1:] {
		if len(s) != localsecret.Size || !bytes.Equal(s, got[0]) {
			t.Fatalf("concurrent loads disagree: %x vs %x", s, got[0])
		}
	}
	again, err := localsecret.Load(path)
	if err != nil || !bytes.Equal(again, got[0]) {
		t.Errorf("reload = %x, %v", again, err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("secret file mode = %v, %v; want 0600", fi.Mode(), err)
	}
	if err := os.WriteFile(path, []byte("not hex\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := localsecret.Load(path); err == nil {
		t.Error("a damaged secret file was accepted")
	}
}
