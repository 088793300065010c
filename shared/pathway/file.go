package pathway

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// MaxFileSize is the largest evidence file accepted: 20 MB.
const MaxFileSize = 20 << 20

// File is an evidence file attached to a subject (a co-op's checklist
// item; later grant applications, reports and bids). The bytes live in
// blob storage (the Files port) under Key; this is the record of them.
type File struct {
	// ID is a ULID, taken from the storage key, so recording the same
	// stored object twice names the same file.
	ID string `json:"id" validate:"required,max=64"`
	// Subject is what the file belongs to.
	Subject Subject `json:"subject"`
	// Coop is the co-op concerned.
	Coop string `json:"coop" validate:"required,max=64"`
	// Item is the checklist item the file is evidence for.
	Item string `json:"item" validate:"required,max=64"`
	// Name is the file's original name, clipped and made safe to show.
	Name string `json:"name" validate:"required,max=200"`
	// Size is the file's length in bytes.
	Size int64 `json:"size" validate:"min=1"`
	// Type is the MIME type found from the content (never from the name).
	Type string `json:"type" validate:"required,max=100"`
	// SHA256 is the hex SHA-256 of the content.
	SHA256 string `json:"sha256" validate:"required,len=64,hexadecimal"`
	// Key is the storage key of the bytes.
	Key string `json:"key" validate:"required,max=1024"`
	// UploadedBy is the user ID of the uploader.
	UploadedBy string `json:"uploadedBy" validate:"required,max=128"`
	// UploaderName is the uploader's name when they uploaded it.
	UploaderName string `json:"uploaderName,omitempty" validate:"max=200"`
	// UploadedAt is when the upload was recorded.
	UploadedAt time.Time `json:"uploadedAt" validate:"required"`
}

// Validate reports whether f is well formed.
func (f *File) Validate() error {
	f.Subject = subjectOf(f.Subject, f.Coop)
	return validate(f)
}

// FileType is a kind of file accepted as evidence.
type FileType struct {
	// MIME is the type sent with the bytes.
	MIME string
	// Words name the type for people ("PDF", "Word document").
	Words string
}

// The accepted types, written once.
const (
	TypePDF  = "application/pdf"
	TypeDOC  = "application/msword"
	TypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypeXLS  = "application/vnd.ms-excel"
	TypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	TypeODT  = "application/vnd.oasis.opendocument.text"
	TypeODS  = "application/vnd.oasis.opendocument.spreadsheet"
	TypeJPEG = "image/jpeg"
	TypePNG  = "image/png"
)

// FileTypes maps each accepted MIME type to its words for people.
var FileTypes = map[string]string{
	TypePDF:  "PDF",
	TypeDOC:  "Word document",
	TypeDOCX: "Word document",
	TypeXLS:  "Excel spreadsheet",
	TypeXLSX: "Excel spreadsheet",
	TypeODT:  "OpenDocument text",
	TypeODS:  "OpenDocument spreadsheet",
	TypeJPEG: "JPEG image",
	TypePNG:  "PNG image",
}

// FileTypeWords returns the words for a MIME type, or the type itself.
func FileTypeWords(mime string) string {
	if w, ok := FileTypes[mime]; ok {
		return w
	}
	return mime
}

// FileTypeMessage is what a person is told of a file of another type.
const FileTypeMessage = "The file must be a PDF, Word, Excel, OpenDocument, JPEG or PNG file"

// FileSizeMessage is what a person is told of a file too large or empty.
const FileSizeMessage = "The file must be smaller than 20 MB"

// FileEmptyMessage is what a person is told of an empty file.
const FileEmptyMessage = "The file is empty: choose the file again"

// SniffLen is how many leading bytes SniffType needs: a ZIP's first
// entries (OOXML's [Content_Types].xml, ODF's mimetype) sit there.
const SniffLen = 64 << 10

// SniffType returns the accepted MIME type of content whose first bytes
// are head (at most SniffLen of them), or "" when it is none of them.
// The name's extension only tells an old Word file from an old Excel file
// (both OLE2 compound files); it never makes a type acceptable.
func SniffType(head []byte, name string) string {
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return TypePDF
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return TypeJPEG
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return TypePNG
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		switch ext(name) {
		case ".doc":
			return TypeDOC
		case ".xls":
			return TypeXLS
		}
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return sniffZip(head)
	}
	return ""
}

// ext returns the lower-case extension of a name.
func ext(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return strings.ToLower(name[i:])
	}
	return ""
}

// sniffZip tells OOXML (Word, Excel) and ODF (text, spreadsheet) apart by
// their entries, read from the local headers at the start of the file
// (the central directory at its end may be out of head's reach).
func sniffZip(head []byte) string {
	ooxml, word, excel := false, false, false
	for i, e := range zipEntries(head, 64) {
		switch {
		case i == 0 && e.name == "mimetype":
			switch strings.TrimSpace(string(e.data)) {
			case TypeODT:
				return TypeODT
			case TypeODS:
				return TypeODS
			}
			return ""
		case e.name == "[Content_Types].xml":
			ooxml = true
		case strings.HasPrefix(e.name, "word/"):
			word = true
		case strings.HasPrefix(e.name, "xl/"):
			excel = true
		}
	}
	switch {
	case ooxml && word && !excel:
		return TypeDOCX
	case ooxml && excel && !word:
		return TypeXLSX
	}
	return ""
}

type zipEntry struct {
	name string
	data []byte // stored (uncompressed) content, when it fits in head
}

// zipEntries walks the local file headers in head, up to max entries.
func zipEntries(head []byte, max int) []zipEntry {
	var out []zipEntry
	for p := 0; len(out) < max && p+30 <= len(head); {
		h := head[p:]
		if !bytes.HasPrefix(h, []byte("PK\x03\x04")) {
			break
		}
		flags := le16(h[6:])
		method := le16(h[8:])
		csize := int(le32(h[18:]))
		nlen, xlen := int(le16(h[26:])), int(le16(h[28:]))
		if 30+nlen > len(h) {
			break
		}
		e := zipEntry{name: string(h[30 : 30+nlen])}
		start := 30 + nlen + xlen
		if method == zip.Store && start+csize <= len(h) {
			e.data = h[start : start+csize]
		}
		out = append(out, e)
		if flags&0x8 != 0 {
			// The sizes follow the data: find the next header instead.
			next := bytes.Index(h[start:], []byte("PK\x03\x04"))
			if next < 0 {
				break
			}
			p += start + next
			continue
		}
		p += start + csize
	}
	return out
}

func le16(b []byte) uint16 { return uint16(b[0]) | uint16(b[1])<<8 }
func le32(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

// FileName returns a name safe to keep and show: the last part of a
// path, without unsafe characters, clipped to 200 characters; "file"
// when nothing is left.
func FileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unsafeRune(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(name, ""))
	name = strings.TrimSpace(name)
	if name == "" || name == "." || name == ".." {
		return "file"
	}
	return Clip(name, 200)
}

// FileSizeWords says a size as people read it: "240 KB", "3.4 MB".
func FileSizeWords(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d bytes", n)
	case n < 1000*1000:
		return fmt.Sprintf("%d KB", (n+500)/1000)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}

// ErrNoURL is returned by Files.DownloadURL when the adapter serves
// downloads itself (streams them) rather than through a ready URL.
var ErrNoURL = errors.New("pathway: files are streamed, not linked")

// UploadForm is what an HTML form needs to post a file straight to blob
// storage: where to post and the hidden fields to send before the file
// (whose field must be named "file" and come last).
type UploadForm struct {
	URL    string            `json:"url"`
	Fields map[string]string `json:"fields"`
}

// Files is blob storage for evidence files: S3 on AWS (shared/s3files),
// a directory on one machine (infra/local/localfiles).
type Files interface {
	// UploadForm returns a signed form that lets a browser post one file
	// of 1 to maxBytes bytes under a key starting with keyPrefix, after
	// which storage redirects (303) to redirectURL with ?key=.
	UploadForm(ctx context.Context, keyPrefix string, maxBytes int64, redirectURL string) (*UploadForm, error)
	// Put stores size bytes of r under key.
	Put(ctx context.Context, key string, r io.Reader, size int64) error
	// Open returns the bytes under key and their size; a missing key is ENOTFOUND.
	Open(ctx context.Context, key string) (io.ReadCloser, int64, error)
	// Delete removes the bytes under key; a missing key is not an error.
	Delete(ctx context.Context, key string) error
	// DownloadURL returns a short-lived URL that serves the bytes as an
	// attachment named name of the MIME type, or ErrNoURL.
	DownloadURL(ctx context.Context, key, name, mimeType string, ttl time.Duration) (string, error)
}

// FileStore keeps file records; shared/store implements it.
type FileStore interface {
	// PutFile stores f with its event in one transaction, once: a file
	// whose ID exists is left as it is, and the stored one is returned.
	PutFile(ctx context.Context, f *File, e *Event) (*File, error)
	// GetFile returns the file with the ID.
	GetFile(ctx context.Context, id string) (*File, error)
	// ListFiles returns a co-op item's files, oldest first.
	ListFiles(ctx context.Context, coopID, itemID string) ([]*File, error)
}

// ActionFileUploaded is the event of a file recorded.
const ActionFileUploaded = "file.uploaded"
