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

// UnsafeTextMessage is what a person is told of text holding a character
// the service refuses (see TextProblem).
const UnsafeTextMessage = "Must not contain control or text-direction characters"

// TextProblem is the one rule for what free text may hold: the names,
// titles, notes, evidence and comments people type. It returns "" for
// acceptable text, or the sentence saying what is wrong.
//
// Text must be UTF-8 and must not hold control characters (NUL, ESC, DEL
// and the rest, which can hide text or rewrite a terminal that prints
// them) nor the bidirectional embedding, override and isolate characters
// (which make text read differently from what it holds). Long text, that
// may run over several lines (long is true), may hold newlines and tabs;
// a carriage return is refused even there, so callers turn a browser's
// "\r\n" into "\n" first (see NormaliseNewlines).
func TextProblem(s string, long bool) string {
	if !utf8.ValidString(s) {
		return "Must be plain text: it holds bytes that are not UTF-8 characters"
	}
	for _, r := range s {
		if long && (r == '\n' || r == '\t') {
			continue
		}
		if unsafeRune(r) {
			return UnsafeTextMessage
		}
	}
	return ""
}

// unsafeRune reports whether r is a control character (C0, DEL or C1) or
// a bidirectional embedding, override or isolate character (U+202A to
// U+202E, U+2066 to U+2069).
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// NormaliseNewlines turns the "\r\n" (and any lone "\r") a browser sends
// for a line break in a text area into "\n", the one line break stored.
func NormaliseNewlines(s string) string {
	if !strings.ContainsRune(s, '\r') {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}
