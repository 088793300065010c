package pages

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/coopcarepathway/pathway/shared/grants"
)

// The programme form's score scale: one description for each score from
// 0 to grants.MaxScore, in fields scale-0 to scale-5.

// scaleName is the form's field of a score's description.
func scaleName(score int) string { return "scale-" + strconv.Itoa(score) }

// scaleOrder is the scale's fields in order, for the error summary.
var scaleOrder = func() []string {
	out := make([]string, 0, grants.MaxScore+1)
	for i := 0; i <= grants.MaxScore; i++ {
		out = append(out, scaleName(i))
	}
	return out
}()

// scaleFields are the scale's inputs, with what was typed and errors.
func scaleFields(get func(string) string, errs formErrors) []field {
	out := make([]field, 0, grants.MaxScore+1)
	for i, name := range scaleOrder {
		n := strconv.Itoa(i)
		out = append(out, field{ID: name, Name: name, Label: "Score " + n + ": what it means", Value: get(name), Err: errs.For(name)})
	}
	return out
}

// scaleValues sets the scale's descriptions in f (a new set when f is
// nil) and returns f. Scores the scale lacks are left empty.
func scaleValues(f url.Values, scale []grants.ScaleStep) url.Values {
	if f == nil {
		f = url.Values{}
	}
	for _, s := range scale {
		if s.Score >= 0 && s.Score <= grants.MaxScore {
			f.Set(scaleName(s.Score), s.Description)
		}
	}
	return f
}

// readScale reads the six descriptions; an empty one is an error naming
// its score.
func readScale(f url.Values, errs *formErrors) []grants.ScaleStep {
	out := make([]grants.ScaleStep, 0, grants.MaxScore+1)
	for i, name := range scaleOrder {
		d := strings.TrimSpace(f.Get(name))
		if d == "" {
			n := strconv.Itoa(i)
			*errs = append(*errs, fieldError{Field: name, ID: name, Message: "Score " + n + ": say what a score of " + n + " means"})
		}
		out = append(out, grants.ScaleStep{Score: i, Description: d})
	}
	return out
}

// scaleField matches the service's names of the scale's fields.
var scaleField = regexp.MustCompile(`^scale(?:\[(\d+)\](?:\.\w+)?)?$`)

// scaleFormField renames a service's error on the scale to the form's
// field of the score, its message naming the score.
func scaleFormField(k, m string) (string, string) {
	sub := scaleField.FindStringSubmatch(k)
	i, _ := strconv.Atoi(sub[1]) // "scale" alone: the first
	if i > grants.MaxScore {
		i = grants.MaxScore
	}
	return scaleName(i), named("Score "+strconv.Itoa(i), m)
}
