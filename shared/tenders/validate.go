package tenders

import "github.com/coopcarepathway/pathway/shared/pathway"

// dateFields are the JSON names of this package's YYYY-MM-DD dates.
var dateFields = map[string]bool{"start": true, "end": true, "signedOn": true, "publishedOn": true,
	"received": true, "from": true, "lastDay": true, "enterFrom": true, "due": true, "noticeDue": true}

// validate is pathway.Validate with a plain message for a malformed date.
func validate(v any) error { return pathway.ValidateDates(v, dateFields) }
