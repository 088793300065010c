package web

import (
	"net/http"
	"strings"
)

// The web pages (shared/pages) answer every page route: the home page, the
// founders' application and task list, the agency's pipeline board. They
// share this handler's middleware (logging, panic recovery, security
// headers) and its journey service, so pages and API apply one set of rules.

// wantsHTML reports whether the client prefers a page to JSON: browsers
// list text/html first in Accept.
func wantsHTML(r *http.Request) bool {
	first, _, _ := strings.Cut(r.Header.Get("Accept"), ",")
	return strings.TrimSpace(first) == "text/html"
}
