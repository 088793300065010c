// Package csvout writes the insight dashboards' exports as CSV files that
// open in a spreadsheet as they are: RFC 4180 (fields separated by commas,
// CRLF line ends, a field quoted when it holds a comma, a quote or a line
// break, its quotes doubled), UTF-8 with a byte-order mark, text cells
// guarded against formula injection, money from integer pence and dates in
// UK time. It streams: each row goes to a small buffer that is passed on
// when full, so memory does not grow with the number of rows, and writing
// a row allocates nothing.
package csvout

import (
	"bufio"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// ContentType is the media type of an export (RFC 4180 §3, RFC 7111).
const ContentType = "text/csv; charset=utf-8"

// bom is the UTF-8 byte-order mark. A CSV file carries no encoding, and
// Excel reads one without a BOM in the computer's legacy code page
// (Windows-1252 in the UK), so "£" and names such as "Zoë" would come out
// as "Â£" and "ZoÃ«"; with the BOM first it reads the file as UTF-8. Other
// spreadsheets (LibreOffice, Numbers, Google Sheets) accept it too.
const bom = "\uFEFF"

// kind is what a cell holds, which decides how it is written.
type kind uint8

const (
	text kind = iota
	integer
	money
	date
)

// Cell is one field of a row. Make one with Text, Int, Money or Date.
type Cell struct {
	kind kind
	s    string
	n    int64
	t    time.Time
}

// Text is a cell of words people or other systems wrote. It is the only
// kind guarded against formula injection (see Writer.text).
func Text(s string) Cell { return Cell{kind: text, s: s} }

// Int is a whole number: "42", "-3".
func Int(n int64) Cell { return Cell{kind: integer, n: n} }

// Money is an amount in integer pence written as pounds with two decimals
// and no symbol or separators, "1234.50" or "-0.05", so a spreadsheet
// reads it as a number.
func Money(pence int64) Cell { return Cell{kind: money, n: pence} }

// Date is the UK calendar day of t, "2027-06-01" (ISO 8601, which
// spreadsheets read as a date whatever their locale); the zero time is an
// empty cell.
func Date(t time.Time) Cell { return Cell{kind: date, t: t} }

// Writer writes rows of cells as CSV to an io.Writer as they come. Call
// Flush after the last row. Errors from the io.Writer are sticky: after
// one, every call returns it.
type Writer struct {
	w       *bufio.Writer
	started bool
	scratch [32]byte // room to format a number or a date without allocating
}

// NewWriter returns a Writer to w, with a 4 KiB buffer.
func NewWriter(w io.Writer) *Writer { return &Writer{w: bufio.NewWriter(w)} }

// Write writes one row.
func (w *Writer) Write(cells ...Cell) error {
	w.start()
	for i := range cells {
		if i > 0 {
			w.w.WriteByte(',')
		}
		w.cell(&cells[i])
	}
	_, err := w.w.WriteString("\r\n")
	return err
}

// WriteHeader writes a row of column names, as text cells.
func (w *Writer) WriteHeader(names ...string) error {
	w.start()
	for i, n := range names {
		if i > 0 {
			w.w.WriteByte(',')
		}
		w.text(n)
	}
	_, err := w.w.WriteString("\r\n")
	return err
}

// Flush passes on what is buffered. A file with no rows still gets its
// byte-order mark.
func (w *Writer) Flush() error {
	w.start()
	return w.w.Flush()
}

// start writes the byte-order mark once, before anything else.
func (w *Writer) start() {
	if !w.started {
		w.started = true
		w.w.WriteString(bom)
	}
}

func (w *Writer) cell(c *Cell) {
	switch c.kind {
	case integer:
		w.w.Write(strconv.AppendInt(w.scratch[:0], c.n, 10))
	case money:
		w.w.Write(appendPounds(w.scratch[:0], c.n))
	case date:
		if !c.t.IsZero() {
			w.w.Write(c.t.In(pathway.UKTime).AppendFormat(w.scratch[:0], time.DateOnly))
		}
	default:
		w.text(c.s)
	}
}

// appendPounds appends pence as pounds with two decimals: "1234.50".
func appendPounds(b []byte, pence int64) []byte {
	u := uint64(pence)
	if pence < 0 {
		b = append(b, '-')
		u = -u // also right for the least int64
	}
	b = strconv.AppendUint(b, u/100, 10)
	b = append(b, '.', byte('0'+u%100/10), byte('0'+u%10))
	return b
}

// text writes a text cell. A cell a spreadsheet would take for a formula
// (one starting with = + - @, a tab or a carriage return) gets a leading
// apostrophe, so "=HYPERLINK(…)" in a co-op's name shows as text instead
// of running when the export is opened: OWASP, "CSV Injection",
// https://owasp.org/www-community/attacks/CSV_Injection. Then, by RFC 4180
// §2, a cell holding a comma, a quote or a line break is quoted, with its
// quotes doubled.
func (w *Writer) text(s string) {
	guard := s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0
	if !strings.ContainsAny(s, ",\"\r\n") {
		if guard {
			w.w.WriteByte('\'')
		}
		w.w.WriteString(s)
		return
	}
	w.w.WriteByte('"')
	if guard {
		w.w.WriteByte('\'')
	}
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			break
		}
		w.w.WriteString(s[:i+1])
		w.w.WriteByte('"')
		s = s[i+1:]
	}
	w.w.WriteString(s)
	w.w.WriteByte('"')
}
