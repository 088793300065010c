package grants

import "github.com/coopcarepathway/pathway/shared/pathway"

// dateFields are the JSON names of this package's YYYY-MM-DD dates.
var dateFields = map[string]bool{"opensOn": true, "closesOn": true, "on": true, "paidOn": true, "due": true}

// validate is pathway.Validate with a plain message for a malformed date.
func validate(v any) error { return pathway.ValidateDates(v, dateFields) }
