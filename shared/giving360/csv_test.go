package giving360

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

func TestWriteCSV(t *testing.T) {
	grants := testGrants()
	grants[0].Description = "Set-up costs, \"start-up\" advice\nand training"
	var buf bytes.Buffer
	if err := WriteCSV(&buf, testFunder(), grants); err != nil {
		t.Fatal(err)
	}
	data, ok := bytes.CutPrefix(buf.Bytes(), []byte{0xEF, 0xBB, 0xBF})
	if !ok {
		t.Fatal("no UTF-8 byte order mark at the start")
	}
	// RFC 4180 ends lines with CRLF; Go writes the line break inside the
	// quoted description as CRLF too, and reads it back as "\n".
	if !bytes.HasSuffix(data, []byte("\r\n")) || bytes.Count(data, []byte("\n")) != bytes.Count(data, []byte("\r\n")) {
		t.Errorf("want CRLF line ends only (RFC 4180):\n%q", data)
	}
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(grants)+1 {
		t.Fatalf("%d records, want a header and one row per grant", len(recs))
	}
	if strings.Join(recs[0], "|") != strings.Join(csvColumns, "|") {
		t.Errorf("header = %v", recs[0])
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	want := []map[string]string{
		{"Identifier": "360G-examplefund-01JAPP0001", "Amount Awarded": "12345.67", "Amount Applied For": "15000",
			"Award Date": "2027-03-14", "Recipient Org:Identifier": "GB-MPR-7654R", "Recipient Org:Company Number": "",
			"Planned Dates:End Date": "2028-03-31", "Beneficiary Location:Name": "Leeds", "Grant Programme:Title": "Start-up grants",
			"Description": grants[0].Description, "Currency": "GBP", "Funding Org:Identifier": "GB-CHC-9999991", "Funding Org:Name": "Example Care Fund"},
		{"Identifier": "360G-examplefund-APP_2027_2", "Amount Awarded": "1000", "Recipient Org:Identifier": "GB-COH-09506232",
			"Recipient Org:Company Number": "09506232", "Recipient Org:Name": "Cydweithfa Gofal Môn CIC"},
		{"Identifier": "360G-examplefund-app-3", "Amount Awarded": "0.99", "Recipient Org:Identifier": "360G-examplefund-coop_3",
			"Description": "'=Meeting costs for founders", "Grant Programme:Title": "", "Beneficiary Location:Name": ""},
	}
	for i, cells := range want {
		for name, v := range cells {
			if got := recs[i+1][col[name]]; got != v {
				t.Errorf("row %d %s = %q, want %q", i+1, name, got, v)
			}
		}
	}
}

func TestWriteCSVBadInputWritesNothing(t *testing.T) {
	f := testFunder()
	f.Prefix = "360G-"
	var buf bytes.Buffer
	fields := fieldsOf(t, WriteCSV(&buf, f, testGrants()))
	if fields["funder.prefix"] == "" || buf.Len() != 0 {
		t.Errorf("fields = %v, wrote %d bytes", fields, buf.Len())
	}
}

func TestWriteCSVWithNoGrantsIsTheHeader(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, testFunder(), nil); err != nil {
		t.Fatal(err)
	}
	if want := utf8BOM + strings.Join(csvColumns, ",") + "\r\n"; buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}

func TestDefuse(t *testing.T) {
	cases := []struct{ in, want string }{
		{"=HYPERLINK(\"https://example.test\")", "'=HYPERLINK(\"https://example.test\")"},
		{"+44 113 496 0000", "'+44 113 496 0000"},
		{"-1+1", "'-1+1"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"Care = help", "Care = help"},
		{"123.45", "123.45"},
		{"'quoted", "'quoted"},
		{"", ""},
	}
	for _, c := range cases {
		if got := defuse(c.in); got != c.want {
			t.Errorf("defuse(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
