package demo

import "strings"

// Every demo user has an invented address at example.test (a name reserved
// for testing, so no mail can reach anyone), made from their name, so the
// local server's mails (/local/mail) have someone to go to. It is set here
// rather than in Users so that the list stays one line per person.
func init() {
	for _, u := range Users {
		if u.Email == "" {
			u.Email = DemoEmail(u.Name)
		}
	}
}

// DemoEmail returns the demo address of a person's name:
// "Ottilie Varga-Snell" → "ottilie.varga-snell@example.test".
func DemoEmail(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(name), ".")) + "@example.test"
}
