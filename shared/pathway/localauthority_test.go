package pathway_test

import (
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

func TestEnglishLocalAuthority(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"Calderdale", "Calderdale", true},
		{"calderdale metropolitan borough council", "Calderdale", true},
		{"London Borough of Tower Hamlets", "Tower Hamlets", true},
		{"Royal Borough of Windsor & Maidenhead", "Windsor and Maidenhead", true},
		{"  King’s Lynn and West Norfolk Borough Council ", "King's Lynn and West Norfolk", true},
		{"St. Helens", "St Helens", true},
		{"Kingston upon Hull City Council", "Kingston upon Hull", true},
		{"Hull", "Kingston upon Hull", true},
		{"Durham County Council", "County Durham", true},
		{"Stoke on Trent", "Stoke-on-Trent", true},
		{"Bournemouth, Christchurch & Poole Council", "Bournemouth, Christchurch and Poole", true},
		{"Westmorland and Furness", "Westmorland and Furness", true},
		{"Isles of Scilly", "Isles of Scilly", true},
		{"Cardiff", "", false},
		{"Glasgow City Council", "", false},
		{"Belfast", "", false},
		{"Cumbria", "", false}, // abolished in 2023: Cumberland, Westmorland and Furness
		{"", "", false},
		{"Council", "", false},
	}
	for _, tt := range tests {
		got, ok := pathway.EnglishLocalAuthority(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("EnglishLocalAuthority(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestEnglishLocalAuthoritiesListIsCompleteAndUnique(t *testing.T) {
	names := pathway.EnglishLocalAuthorities()
	// 21 county, 164 district, 62 unitary, 36 metropolitan, 32 London
	// boroughs, the City of London and the Isles of Scilly (April 2023).
	if len(names) != 317 {
		t.Errorf("got %d authorities, want 317", len(names))
	}
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			t.Errorf("%q listed twice", n)
		}
		seen[n] = true
		if got, ok := pathway.EnglishLocalAuthority(n); !ok || got != n {
			t.Errorf("EnglishLocalAuthority(%q) = %q, %v; want itself", n, got, ok)
		}
	}
	names[0] = "changed"
	if pathway.EnglishLocalAuthorities()[0] == "changed" {
		t.Error("EnglishLocalAuthorities returns the package's own slice")
	}
}
