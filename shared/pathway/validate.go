package pathway

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"sync"

	"github.com/go-playground/validator/v10"
)

var (
	validatorOnce sync.Once
	validatorInst *validator.Validate
	slugPattern   = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
)

// validatorFor returns the shared validator, built once: it names fields by
// their JSON names so messages match what the caller sent.
func validatorFor() *validator.Validate {
	validatorOnce.Do(func() {
		v := validator.New(validator.WithRequiredStructEnabled())
		v.RegisterTagNameFunc(func(f reflect.StructField) string {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				return ""
			}
			return name
		})
		must(v.RegisterValidation("slug", func(fl validator.FieldLevel) bool {
			return slugPattern.MatchString(fl.Field().String())
		}))
		must(v.RegisterValidation("stage", func(fl validator.FieldLevel) bool {
			return IsStage(fl.Field().String())
		}))
		// Free text, the one rule of TextProblem: safetext for one line,
		// safelongtext for text that may run over lines.
		must(v.RegisterValidation("safetext", func(fl validator.FieldLevel) bool {
			return TextProblem(fl.Field().String(), false) == ""
		}))
		must(v.RegisterValidation("safelongtext", func(fl validator.FieldLevel) bool {
			return TextProblem(fl.Field().String(), true) == ""
		}))
		validatorInst = v
	})
	return validatorInst
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// Validate checks any struct with validate tags and returns an EINVALID
// *Error naming each field at fault, or nil.
func Validate(v any) error { return validate(v) }

func validate(v any) error {
	err := validatorFor().Struct(v)
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return Errorf(EINTERNAL, "validation could not run: %v", err)
	}
	fields := make(map[string]string, len(verrs))
	for _, fe := range verrs {
		fields[fieldPath(fe.Namespace())] = message(fe)
	}
	return Invalid(fields)
}

// fieldPath turns the validator's "Coop.members[0].name" into
// "members[0].name", the path a caller recognises from its JSON.
func fieldPath(ns string) string {
	if _, rest, ok := strings.Cut(ns, "."); ok {
		return rest
	}
	return ns
}

// message says in plain English what is wrong with one field.
func message(fe validator.FieldError) string {
	switch fe.Tag() {
	case "required", "required_unless":
		return "Enter " + article(fe.Field())
	case "min":
		if fe.Kind() == reflect.Slice {
			return fmt.Sprintf("Give at least %s", fe.Param())
		}
		if fe.Kind() == reflect.String {
			return fmt.Sprintf("Must be at least %s characters", fe.Param())
		}
		return fmt.Sprintf("Must be %s or more", fe.Param())
	case "max":
		if fe.Kind() == reflect.Slice {
			return fmt.Sprintf("Give no more than %s", fe.Param())
		}
		if fe.Kind() == reflect.String {
			return fmt.Sprintf("Must be %s characters or fewer", fe.Param())
		}
		return fmt.Sprintf("Must be %s or less", fe.Param())
	case "oneof":
		return "Must be one of: " + strings.ReplaceAll(fe.Param(), " ", ", ")
	case "unique":
		return "Each value may appear only once"
	case "url":
		return "Enter a full web address starting with https://"
	case "slug":
		return "Use only lower-case letters, digits and hyphens"
	case "stage":
		return "Must be a known stage"
	case "safetext", "safelongtext":
		s, _ := fe.Value().(string)
		if msg := TextProblem(s, fe.Tag() == "safelongtext"); msg != "" {
			return msg
		}
		return UnsafeTextMessage
	}
	return "Is not valid"
}

// article turns a JSON name such as "localAuthority" into "the local authority".
func article(name string) string {
	var b strings.Builder
	for i, r := range name {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r + ('a' - 'A'))
			continue
		}
		b.WriteRune(r)
	}
	return "the " + b.String()
}

// ValidateDates is Validate with a plain message for a malformed
// YYYY-MM-DD date in a field whose JSON name (the last part of its path,
// "tranches[0].on" → "on") is in dates: the shared validator can only
// call it "not valid".
func ValidateDates(v any, dates map[string]bool) error {
	err := validate(v)
	fields := ErrorFields(err)
	for k, msg := range fields {
		name := k[strings.LastIndexByte(k, '.')+1:]
		if dates[name] && msg == "Is not valid" {
			fields[k] = "Enter a real date as YYYY-MM-DD, for example 2027-03-14"
		}
	}
	return err
}
