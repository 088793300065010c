package grants

import "github.com/coopcarepathway/pathway/shared/pathway"

// dateFields are the JSON names of this package's YYYY-MM-DD dates.
var dateFields = map[string]bool{"opensOn": true, "closesOn": true, "on": true, "paidOn": true, "due": true}

// validate is pathway.Validate with a plain message for a malformed date,
// which the shared validator can only call "not valid".
func validate(v any) error {
	err := pathway.Validate(v)
	fields := pathway.ErrorFields(err)
	for k, msg := range fields {
		if dateFields[lastName(k)] && msg == "Is not valid" {
			fields[k] = "Enter a real date as YYYY-MM-DD, for example 2027-03-14"
		}
	}
	return err
}

// lastName returns the last name of a field path: "tranches[0].on" → "on".
func lastName(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '.' {
			return path[i+1:]
		}
	}
	return path
}
