package pathway

import (
	"archive/zip"
	"bytes"
	"testing"
)

// zipOf builds a ZIP of the named entries in order; stored entries keep
// their sizes in the header (as ODF's mimetype must), others are
// deflated with a data descriptor, as Go and many office suites write.
func zipOf(t *testing.T, entries ...[2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		var w interface{ Write([]byte) (int, error) }
		var err error
		if e[0] == "mimetype" {
			w, err = zw.CreateRaw(&zip.FileHeader{Name: e[0], Method: zip.Store,
				CompressedSize64: uint64(len(e[1])), UncompressedSize64: uint64(len(e[1]))})
		} else {
			w, err = zw.Create(e[0])
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(e[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSniffType(t *testing.T) {
	ole := []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0}
	ct := [2]string{"[Content_Types].xml", "<Types/>"}
	cases := []struct {
		name, file string
		head       []byte
		want       string
	}{
		{"pdf", "plan.pdf", []byte("%PDF-1.7\n..."), TypePDF},
		{"pdf named otherwise", "plan.txt", []byte("%PDF-1.4\n"), TypePDF},
		{"jpeg", "photo.jpg", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10}, TypeJPEG},
		{"png", "scan.png", []byte("\x89PNG\r\n\x1a\n\x00\x00"), TypePNG},
		{"old word", "policy.doc", ole, TypeDOC},
		{"old excel", "budget.XLS", ole, TypeXLS},
		{"ole2 of another name", "setup.msi", ole, ""},
		{"docx", "policy.docx", zipOf(t, ct, [2]string{"_rels/.rels", "x"}, [2]string{"word/document.xml", "<w/>"}), TypeDOCX},
		{"xlsx", "budget.xlsx", zipOf(t, ct, [2]string{"xl/workbook.xml", "<x/>"}), TypeXLSX},
		{"odt", "minutes.odt", zipOf(t, [2]string{"mimetype", TypeODT}, [2]string{"content.xml", "<o/>"}), TypeODT},
		{"ods", "rota.ods", zipOf(t, [2]string{"mimetype", TypeODS}, [2]string{"content.xml", "<o/>"}), TypeODS},
		{"odf presentation refused", "talk.odt", zipOf(t, [2]string{"mimetype", "application/vnd.oasis.opendocument.presentation"}), ""},
		{"plain zip renamed docx", "policy.docx", zipOf(t, [2]string{"readme.txt", "hi"}), ""},
		{"ooxml without word or xl", "deck.docx", zipOf(t, ct, [2]string{"ppt/presentation.xml", "<p/>"}), ""},
		{"exe renamed pdf", "statement.pdf", []byte("MZ\x90\x00\x03\x00\x00\x00"), ""},
		{"html renamed pdf", "statement.pdf", []byte("<!DOCTYPE html><html><script>alert(1)</script>"), ""},
		{"svg renamed png", "logo.png", []byte("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), ""},
		{"empty", "empty.pdf", nil, ""},
		{"text", "notes.doc", []byte("just some words"), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := SniffType(c.head, c.file); got != c.want {
				t.Errorf("SniffType(%q) = %q, want %q", c.file, got, c.want)
			}
		})
	}
}

func TestFileNameAndSize(t *testing.T) {
	names := map[string]string{
		"statement-of-purpose.pdf": "statement-of-purpose.pdf",
		`C:\Users\x\plan.docx`:     "plan.docx",
		"../../etc/passwd":         "passwd",
		"evil\u202egpj.exe":        "evilgpj.exe",
		"  ":                       "file",
		"a\x00b.pdf":               "ab.pdf",
	}
	for in, want := range names {
		if got := FileName(in); got != want {
			t.Errorf("FileName(%q) = %q, want %q", in, got, want)
		}
	}
	sizes := map[int64]string{12: "12 bytes", 240_000: "240 KB", 3_400_000: "3.4 MB"}
	for n, want := range sizes {
		if got := FileSizeWords(n); got != want {
			t.Errorf("FileSizeWords(%d) = %q, want %q", n, got, want)
		}
	}
}
