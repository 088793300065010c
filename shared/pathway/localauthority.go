package pathway

import (
	_ "embed"
	"strings"
	"unicode"
)

// englishLocalAuthoritiesData is the list of councils in England, kept as
// data in one file so that a boundary change is a one-line edit.
//
//go:embed english_local_authorities.txt
var englishLocalAuthoritiesData string

// englishLocalAuthorities holds the canonical names in file order, and
// englishLocalAuthorityKeys every name and alias by its match key.
var englishLocalAuthorities, englishLocalAuthorityKeys = parseLocalAuthorities(englishLocalAuthoritiesData)

// parseLocalAuthorities reads the data file: one authority a line, aliases
// after " | ", comments starting with #.
func parseLocalAuthorities(data string) ([]string, map[string]string) {
	var names []string
	keys := make(map[string]string)
	for line := range strings.SplitSeq(data, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "|")
		name := strings.TrimSpace(parts[0])
		names = append(names, name)
		for _, p := range parts {
			keys[localAuthorityKey(p)] = name
		}
	}
	return names, keys
}

// EnglishLocalAuthorities returns the names of every local authority in
// England, for a form's list of choices.
func EnglishLocalAuthorities() []string {
	return append([]string(nil), englishLocalAuthorities...)
}

// EnglishLocalAuthority returns the canonical name of the English local
// authority that name refers to, and whether there is one. Case,
// punctuation, "&" for "and", and words like "Council" or "London Borough
// of" are ignored, because founders type the name as their council writes it.
func EnglishLocalAuthority(name string) (string, bool) {
	canonical, ok := englishLocalAuthorityKeys[localAuthorityKey(name)]
	return canonical, ok
}

// councilPrefixes and councilSuffixes are words around a council's place
// name that say what kind of council it is, not where it is. Longer ones
// come first so that the longest match is removed.
var (
	councilPrefixes = []string{"the ", "london borough of ", "royal borough of ", "metropolitan borough of ", "borough of ", "city of "}
	councilSuffixes = []string{
		" metropolitan borough council", " metropolitan district council", " royal borough council",
		" borough council", " district council", " county council", " city council",
		" unitary authority", " metropolitan borough", " council", " borough",
	}
)

// localAuthorityKey reduces a council's name to the words that identify it.
func localAuthorityKey(name string) string {
	name = strings.ToLower(strings.ReplaceAll(name, "&", " and "))
	name = strings.Map(func(r rune) rune {
		switch {
		case r == '\'' || r == '’' || r == '.':
			return -1
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			return r
		}
		return ' '
	}, name)
	name = strings.Join(strings.Fields(name), " ")
	for _, p := range councilPrefixes {
		if rest, ok := strings.CutPrefix(name, p); ok && rest != "" {
			name = rest
		}
	}
	for _, s := range councilSuffixes {
		if rest, ok := strings.CutSuffix(name, s); ok && rest != "" {
			name = rest
			break
		}
	}
	return name
}
