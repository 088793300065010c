package csvout

import (
	"bytes"
	"encoding/csv"
	"errors"
	"flag"
	"io"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var (
	june1   = time.Date(2027, 5, 31, 23, 30, 0, 0, time.UTC) // 00:30 BST on 1 June
	dateDay = time.Date(2027, 12, 24, 0, 0, 0, 0, time.UTC)  // a date as read from YYYY-MM-DD
)

// rows is the export of the golden file and, beside each, the cells a
// spreadsheet (or encoding/csv) reads back.
var rows = []struct {
	cells []Cell
	want  []string
}{
	{[]Cell{Text("Riverside Care Co-op"), Text("applied"), Date(june1), Money(123450), Int(12)},
		[]string{"Riverside Care Co-op", "applied", "2027-06-01", "1234.50", "12"}},
	{[]Cell{Text("Smith, Jones & Zoë's \"Home\" Care"), Text("panel"), Date(dateDay), Money(-5), Int(-3)},
		[]string{"Smith, Jones & Zoë's \"Home\" Care", "panel", "2027-12-24", "-0.05", "-3"}},
	{[]Cell{Text("=HYPERLINK(\"http://example.test\",\"Click\")"), Text("+44 20 7946 0000"), Date(time.Time{}), Money(0), Int(0)},
		[]string{"'=HYPERLINK(\"http://example.test\",\"Click\")", "'+44 20 7946 0000", "", "0.00", "0"}},
	{[]Cell{Text("-2+3"), Text("@SUM(A1)"), Text("\tTabbed"), Money(100), Text("Line one\nLine two")},
		[]string{"'-2+3", "'@SUM(A1)", "'\tTabbed", "1.00", "Line one\nLine two"}},
	{[]Cell{Text(""), Text("a=b"), Text(" leading space"), Money(1000000000), Text("£10")},
		[]string{"", "a=b", " leading space", "10000000.00", "£10"}},
}

var header = []string{"Co-op", "Stage", "Applied", "Awarded (£)", "Jobs"}

func writeGolden(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf)
	if err := w.WriteHeader(header...); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := w.Write(r.cells...); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGoldenFile(t *testing.T) {
	got := writeGolden(t)
	if *update {
		os.WriteFile("testdata/export.csv", got, 0o644)
	}
	want, err := os.ReadFile("testdata/export.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("export differs from testdata/export.csv:\n%q", got)
	}
}

// The file reads back, cell for cell, with a strict RFC 4180 reader.
func TestReadsBack(t *testing.T) {
	got := writeGolden(t)
	if !bytes.HasPrefix(got, []byte("\xEF\xBB\xBF")) {
		t.Fatal("no UTF-8 byte-order mark first")
	}
	r := csv.NewReader(bytes.NewReader(got[3:]))
	r.FieldsPerRecord = len(header)
	records, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(records[0], header) {
		t.Errorf("header %q", records[0])
	}
	for i, row := range rows {
		if !reflect.DeepEqual(records[i+1], row.want) {
			t.Errorf("row %d = %q, want %q", i, records[i+1], row.want)
		}
	}
	if len(records) != len(rows)+1 {
		t.Errorf("%d records", len(records))
	}
}

// Every line ends CRLF; no bare LF outside a quoted cell.
func TestCRLF(t *testing.T) {
	got := string(writeGolden(t))
	if strings.Count(got, "\r\n") != len(rows)+1 || !strings.HasSuffix(got, "\r\n") {
		t.Errorf("line ends: %q", got)
	}
	if strings.Count(got, "\n") != len(rows)+2 { // the one extra is inside "Line one\nLine two"
		t.Errorf("bare line feeds: %q", got)
	}
}

func TestCellText(t *testing.T) {
	tests := []struct {
		cell Cell
		want string
	}{
		{Text("plain"), "plain"},
		{Text("a,b"), `"a,b"`},
		{Text(`say "hi"`), `"say ""hi"""`},
		{Text(`"`), `""""`},
		{Text("a\r\nb"), "\"a\r\nb\""},
		{Text("=1+2"), "'=1+2"},
		{Text("=1,2"), `"'=1,2"`},
		{Text("\rx"), "\"'\rx\""},
		{Text("x=1"), "x=1"},
		{Money(123450), "1234.50"},
		{Money(5), "0.05"},
		{Money(-123456), "-1234.56"},
		{Money(-9223372036854775808), "-92233720368547758.08"},
		{Int(1234567), "1234567"},
		{Date(time.Date(2027, 3, 28, 0, 30, 0, 0, time.UTC)), "2027-03-28"},
		{Date(time.Date(2027, 8, 31, 23, 0, 0, 0, time.UTC)), "2027-09-01"},
		{Date(time.Time{}), ""},
	}
	for _, tc := range tests {
		var buf bytes.Buffer
		w := NewWriter(&buf)
		w.Write(tc.cell)
		w.Flush()
		if got := strings.TrimSuffix(strings.TrimPrefix(buf.String(), bom), "\r\n"); got != tc.want {
			t.Errorf("%+v = %q, want %q", tc.cell, got, tc.want)
		}
	}
}

func TestEmptyFileHasItsBOM(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	w.Flush()
	w.Flush()
	if buf.String() != bom {
		t.Errorf("%q", buf.String())
	}
}

// Writing a row allocates nothing, so memory cannot grow with rows.
func TestRowAllocatesNothing(t *testing.T) {
	w := NewWriter(io.Discard)
	row := sampleRow(7)
	allocs := testing.AllocsPerRun(1000, func() { w.Write(row...) })
	if allocs != 0 {
		t.Errorf("%.1f allocations per row", allocs)
	}
}

// Rows reach the io.Writer as they are written, not at the end: what the
// Writer holds never passes its 4 KiB buffer.
func TestStreams(t *testing.T) {
	var out countingWriter
	w := NewWriter(&out)
	for i := range 10000 {
		w.Write(sampleRow(i)...)
		if held := w.w.Buffered(); held > 4096 {
			t.Fatalf("holding %d bytes", held)
		}
	}
	if out.n < 10000*40 {
		t.Errorf("only %d bytes passed on before Flush", out.n)
	}
}

type countingWriter struct{ n int }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += len(p); return len(p), nil }

type failingWriter struct{}

func (failingWriter) Write(p []byte) (int, error) { return 0, errors.New("disk full") }

func TestErrorsAreReturned(t *testing.T) {
	w := NewWriter(failingWriter{})
	var err error
	for i := 0; i < 1000 && err == nil; i++ {
		err = w.Write(sampleRow(i)...)
	}
	if err == nil || err.Error() != "disk full" {
		t.Errorf("Write: %v", err)
	}
	if err := w.Flush(); err == nil {
		t.Error("Flush: no error")
	}
}

// sampleRow is a typical export row: a co-op, its stage, programme,
// council area, date of application, grants and jobs.
func sampleRow(i int) []Cell {
	return []Cell{
		Text("Riverside Care Co-op, Ltd"), Text("cqc-applied"), Text("Care Start"),
		Text("Bristol"), Date(june1.AddDate(0, 0, i%300)), Money(int64(i) * 12345), Int(int64(i % 40)),
	}
}

// BenchmarkWrite writes a whole export of n rows per op to io.Discard.
// allocs/op is the same at 1,000 and 100,000 rows (the Writer and its
// buffer), and allocs/row is 0: memory does not grow with the rows.
func BenchmarkWrite(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		b.Run("rows="+strconv.Itoa(n), func(b *testing.B) {
			row := sampleRow(7)
			b.ReportAllocs()
			var out countingWriter
			for b.Loop() {
				w := NewWriter(&out)
				for range n {
					w.Write(row...)
				}
				w.Flush()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/row")
			b.ReportMetric(float64(out.n)/float64(b.N*n), "B-written/row")
		})
	}
}
