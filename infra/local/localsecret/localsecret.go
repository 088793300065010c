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
	"path/filepath"
	"strings"
)

// Size is a secret's length in bytes.
const Size = 32

// Load reads the secret at path, or creates it with Size random bytes.
// A new secret is written whole to a file of its own and then linked at
// path, which fails if path exists: so path never holds half a secret,
// and two servers starting at once agree on one (the loser of the race
// reads the winner's).
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
		err = create(path, hex.EncodeToString(secret)+"\n")
		if errors.Is(err, fs.ErrExist) {
			continue
		} else if err != nil {
			return nil, err
		}
		return secret, nil
	}
	return nil, fmt.Errorf("localsecret: could not read or create %s", path)
}

// create writes text to a new file beside path and links it at path: an
// fs.ErrExist error when path exists already.
func create(path, text string) error {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".new-*")
	if err != nil {
		return fmt.Errorf("localsecret: create %s: %w", path, err)
	}
	defer os.Remove(f.Name())
	_, werr := f.WriteString(text)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(f.Name(), 0o600)
	}
	if werr != nil {
		return fmt.Errorf("localsecret: write %s: %w", path, werr)
	}
	if err := os.Link(f.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fs.ErrExist
		}
		return fmt.Errorf("localsecret: create %s: %w", path, err)
	}
	return nil
}
