package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// MaxBodyBytes bounds every JSON request body.
const MaxBodyBytes = 64 << 10

// WriteJSON writes v as JSON with the status. v is encoded before anything
// is written, so a value that cannot be encoded becomes a clean 500.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body = []byte(`{"error":{"code":"internal","message":"` + pathway.InternalMessage + `"}}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}

// DecodeJSON reads the request body, at most MaxBodyBytes of it, into dst
// strictly: unknown fields, a second JSON value after the first, a body of
// another content type and malformed JSON are all EINVALID errors that say
// what is wrong (and name the field where there is one).
func DecodeJSON(w http.ResponseWriter, r *http.Request, dst any) error {
	body, err := ReadBody(w, r)
	if err != nil {
		return err
	}
	return DecodeBody(body, dst)
}

// ReadBody reads a JSON request body of at most MaxBodyBytes. Handlers that
// must know who is asking before they know the body's shape (a task's
// answer depends on its kind) read first and decode later with DecodeBody,
// so an oversized body is refused before any store is read.
func ReadBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return nil, pathway.Errorf(pathway.EINVALID, "Send the request body as application/json.")
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, decodeError(err)
		}
		return nil, pathway.Errorf(pathway.EINVALID, "The request body could not be read.")
	}
	return body, nil
}

// DecodeBody decodes a body ReadBody returned into dst, as strictly as
// DecodeJSON.
func DecodeBody(body []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	// Anything but the end of the body after the first value is refused:
	// "{} {}" or "{}x" usually means a client bug worth reporting.
	var extra json.RawMessage
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return pathway.Errorf(pathway.EINVALID, "The request body must hold a single JSON value, with nothing after it.")
	}
	return nil
}

// decodeError turns an encoding/json error into an EINVALID error that says
// what is wrong in plain English.
func decodeError(err error) error {
	var (
		syntax  *json.SyntaxError
		typ     *json.UnmarshalTypeError
		tooBig  *http.MaxBytesError
		invalid *json.InvalidUnmarshalError
	)
	switch {
	case errors.As(err, &tooBig):
		return pathway.Errorf(pathway.EINVALID, "The request body must be %d KiB or less.", MaxBodyBytes>>10)
	case errors.Is(err, io.EOF):
		return pathway.Errorf(pathway.EINVALID, "The request body is empty; send a JSON object.")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return pathway.Errorf(pathway.EINVALID, "The request body is not valid JSON: it ends too early.")
	case errors.As(err, &syntax):
		return pathway.Errorf(pathway.EINVALID, "The request body is not valid JSON at byte %d: %s.", syntax.Offset, syntax.Error())
	case errors.As(err, &typ):
		if typ.Field == "" {
			return pathway.Errorf(pathway.EINVALID, "The request body must be %s, not %s.", jsonKind(typ.Type.Kind().String()), typ.Value)
		}
		return pathway.Invalid(map[string]string{typ.Field: "Must be " + jsonKind(typ.Type.Kind().String()) + ", not " + typ.Value})
	case errors.As(err, &invalid):
		return err // a programming error: dst is not a pointer
	}
	// encoding/json reports an unknown field only as text: json: unknown field "x".
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return pathway.Invalid(map[string]string{strings.Trim(name, `"`): "Is not a known field"})
	}
	return pathway.Errorf(pathway.EINVALID, "The request body could not be read as JSON.")
}

// jsonKind names a Go kind the way a JSON client thinks of it.
func jsonKind(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "a list"
	case "struct", "map":
		return "an object"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "a whole number"
	case "float32", "float64":
		return "a number"
	}
	return "a " + kind
}
