package ocds

import (
	"bytes"
	"encoding/json"
	"io"
)

// Marshal writes the package as indented JSON, with "&" and "<" left as
// they are (this is not HTML, and a co-op's name may hold "&"). The same
// package always gives the same bytes: fields are in struct order and
// every list in the order the builder made it.
func Marshal(p *Package) ([]byte, error) {
	var buf bytes.Buffer
	if err := Write(&buf, p); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Write writes the package to w as Marshal does.
func Write(w io.Writer, p *Package) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(p)
}
