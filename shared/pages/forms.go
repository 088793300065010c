package pages

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// field is one form control as the partial templates draw it ("text",
// "textarea", "choices", "select", "date"): every control gets an ID its
// label points at, and an error the error summary links to.
type field struct {
	// ID is the control's id (a group's first control for radios and
	// checkboxes), Name its form name.
	ID, Name string
	// Label labels a single control; Legend a group of them.
	Label, Legend string
	// Hint helps answer; Err says what is wrong.
	Hint, Err string
	// Value is the answer; Values the answers of a checkbox group.
	Value  string
	Values []string
	// Type is the input type ("radio" or "checkbox" for a group).
	Type string
	// Class adds a width class to a text input.
	Class string
	// Autocomplete and Inputmode help browsers fill in and type the answer.
	Autocomplete, Inputmode string
	// Options are a group's or a select's choices.
	Options []option
	// Day, Month and Year are a date's parts.
	Day, Month, Year string
}

// newErrors turns field messages into errors in the order of fields,
// each linking to its control (ids maps a field to its control's ID when
// they differ). Fields the form does not show come last, linking to the
// form's first control.
func newErrors(msgs map[string]string, order []string, ids map[string]string) formErrors {
	var out formErrors
	seen := map[string]bool{}
	for _, f := range order {
		if m, ok := msgs[f]; ok {
			out = append(out, fieldError{Field: f, ID: idFor(f, ids), Message: m})
			seen[f] = true
		}
	}
	var rest []string
	for f := range msgs {
		if !seen[f] {
			rest = append(rest, f)
		}
	}
	sort.Strings(rest)
	for _, f := range rest {
		id := idFor(f, ids)
		if len(order) > 0 {
			id = idFor(order[0], ids)
		}
		out = append(out, fieldError{Field: f, ID: id, Message: msgs[f]})
	}
	return out
}

// idFor returns the control ID of a field.
func idFor(f string, ids map[string]string) string {
	if id, ok := ids[f]; ok {
		return id
	}
	return f
}

// dateParts are a date's day, month and year as typed.
type dateParts struct{ Day, Month, Year string }

// readDate reads the three inputs of a date field named name.
func readDate(get func(string) string, name string) dateParts {
	return dateParts{
		Day:   strings.TrimSpace(get(name + "-day")),
		Month: strings.TrimSpace(get(name + "-month")),
		Year:  strings.TrimSpace(get(name + "-year")),
	}
}

// empty reports whether nothing was typed.
func (d dateParts) empty() bool { return d.Day == "" && d.Month == "" && d.Year == "" }

// iso returns the date as YYYY-MM-DD, or a message saying what is wrong
// with it in the words of the question (what, e.g. "the date you applied").
func (d dateParts) iso(what string) (string, string) {
	var missing []string
	for _, p := range []struct{ name, v string }{{"day", d.Day}, {"month", d.Month}, {"year", d.Year}} {
		if p.v == "" {
			missing = append(missing, p.name)
		}
	}
	if len(missing) == 3 {
		return "", "Enter " + what
	}
	if len(missing) > 0 {
		return "", upperFirst(what) + " must include a " + strings.Join(missing, " and a ")
	}
	day, err1 := strconv.Atoi(d.Day)
	month, err2 := strconv.Atoi(d.Month)
	year, err3 := strconv.Atoi(d.Year)
	if err1 != nil || err2 != nil || err3 != nil || len(d.Year) != 4 {
		return "", upperFirst(what) + " must be a real date, like 14 3 2027"
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day || int(t.Month()) != month {
		return "", upperFirst(what) + " must be a real date, like 14 3 2027"
	}
	return t.Format(time.DateOnly), ""
}

// fieldsOf returns the per-field messages of an EINVALID error, or nil.
func fieldsOf(err error) map[string]string {
	if pathway.ErrorCode(err) != pathway.EINVALID {
		return nil
	}
	f := pathway.ErrorFields(err)
	if len(f) == 0 {
		f = map[string]string{"": pathway.ErrorMessage(err)}
	}
	return f
}

// named prefixes a message such as "Must be 200 characters or fewer" with
// the field's label, so it reads on its own in the error summary.
func named(label, msg string) string {
	if strings.HasPrefix(msg, "Must ") || strings.HasPrefix(msg, "Give ") || strings.HasPrefix(msg, "Each ") || strings.HasPrefix(msg, "Is ") {
		return fmt.Sprintf("%s: %s", label, strings.ToLower(msg[:1])+msg[1:])
	}
	return msg
}
