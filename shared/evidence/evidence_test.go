package evidence

import "testing"

func TestParseKey(t *testing.T) {
	const id = "01J0000000000000000000000E"
	cases := []struct {
		key, prefix    string
		wantID, wantNm string
		ok             bool
	}{
		{"grant-applications/ga-1/" + id + "/budget.pdf", "grant-applications/ga-1/", id, "budget.pdf", true},
		{"grant-applications/ga-1/" + id + "/${filename}", "grant-applications/ga-1/", id, "file", true},
		{"grant-applications/ga-2/" + id + "/budget.pdf", "grant-applications/ga-1/", "", "", false}, // another subject's
		{"grant-applications/ga-1/not-a-ulid/budget.pdf", "grant-applications/ga-1/", "", "", false},
		{"grant-applications/ga-1/" + id + "/a/b.pdf", "grant-applications/ga-1/", "", "", false},
		{"grant-applications/ga-1/" + id, "grant-applications/ga-1/", "", "", false},
	}
	for _, c := range cases {
		id, name, ok := ParseKey(c.key, c.prefix)
		if ok != c.ok || id != c.wantID || name != c.wantNm {
			t.Errorf("ParseKey(%q) = %q, %q, %v; want %q, %q, %v", c.key, id, name, ok, c.wantID, c.wantNm, c.ok)
		}
	}
}
