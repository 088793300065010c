package pathway

import (
	"strings"
	"unicode/utf8"
)

// Text helpers, written once: every package that shortens, joins or
// words a code for people calls these.

// Clip shortens s to at most n characters, ending with an ellipsis when it
// had to cut, so a long name, note or cause can never make a record
// invalid.
func Clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// JoinAnd joins names as English does: "a", "a and b", "a, b and c".
func JoinAnd(names []string) string { return joinWith(names, " and ") }

// JoinOr joins names as English does: "a", "a or b", "a, b or c".
func JoinOr(names []string) string { return joinWith(names, " or ") }

func joinWith(names []string, last string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + last + names[len(names)-1]
}

// Words turns a code such as "proposal-to-refuse" into the words it is
// made of, for the middle of a sentence: "proposal to refuse".
func Words(code string) string { return strings.ReplaceAll(code, "-", " ") }

// Readable turns a code into words that can stand on their own, for a
// code that has no words of its own: "proposal-to-refuse" becomes
// "Proposal to refuse".
func Readable(code string) string { return UpperFirst(Words(code)) }

// UpperFirst capitalises the first letter of s.
func UpperFirst(s string) string {
	if s == "" {
		return s
	}
	r, size := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[size:]
}
