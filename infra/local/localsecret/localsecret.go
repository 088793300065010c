// Package localsecret keeps the local server's signing secrets (sign-in
// tokens, upload forms) in files of its data directory, so what was
// signed before a restart is still honoured after it, and means nothing
// to any other installation.
package localsecret

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// Size is a secret's length in bytes.
const Size = 32

// Load reads the secret at path, or creates it with Size random bytes.
// O_EXCL makes two servers starting at once agree on one secret: the
// loser of the race reads the winner's.
func Load(path string) ([]byte, error) {
	for range 2 {
		b, err := os.ReadFile(path)
		if err == nil {
			secret, derr := hex.DecodeString(strings.TrimSpace(string(b)))
			if derr != nil || len(secret) < Size {
				return nil, fmt.Errorf("localsecret: %s is not a secret this server wrote; delete it to make a new one", path)
			}
			return secret, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("localsecret: read %s: %w", path, err)
		}
		secret := make([]byte, Size)
		_, _ = rand.Read(secret) // crypto/rand.Read never fails (Go 1.24+)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		} else if err != nil {
			return nil, fmt.Errorf("localsecret: create %s: %w", path, err)
		}
		_, werr := f.WriteString(hex.EncodeToString(secret) + "\n")
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return nil, fmt.Errorf("localsecret: write %s: %w", path, werr)
		}
		return secret, nil
	}
	return nil, fmt.Errorf("localsecret: could not read or create %s", path)
}
