package pathway

import "strings"

// Rules every Store adapter applies to its input, here once so that the
// adapters (shared/embedded, shared/dynamo) refuse the same input with the
// same errors.

// CheckWrite is the first check of a record a Store is asked to write: a
// missing record is EINVALID ("No co-op was given.", what naming it);
// otherwise the record must be valid, and so must the event written with
// it, if there is one.
func CheckWrite[R any](what string, r *R, e *Event) error {
	if r == nil {
		return Errorf(EINVALID, "No %s was given.", what)
	}
	// A record's own Validate, where it has one, may add to its tags' rules.
	var err error
	if v, ok := any(r).(interface{ Validate() error }); ok {
		err = v.Validate()
	} else {
		err = validate(r)
	}
	if err != nil || e == nil {
		return err
	}
	return e.Validate()
}

// PageLimit applies the page-size rules of the Store's paged lists: zero
// means DefaultPageSize, anything above MaxPageSize is cut to it, and a
// negative limit is EINVALID, naming the limit field.
func PageLimit(limit int) (int, error) {
	switch {
	case limit < 0:
		return 0, Invalid(map[string]string{"limit": "Must be 0 or more"})
	case limit == 0:
		return DefaultPageSize, nil
	case limit > MaxPageSize:
		return MaxPageSize, nil
	}
	return limit, nil
}

// EventPageLimit checks a ListEvents call: the subject is required,
// naming the subject field, and the limit follows PageLimit.
func EventPageLimit(s Subject, limit int) (int, error) {
	if s.Kind == "" || s.ID == "" {
		return 0, Invalid(map[string]string{"subject": "Enter the subject"})
	}
	return PageLimit(limit)
}

// CheckCoopFilter checks a pipeline filter, naming each field that is
// missing or wrong, and returns its page size (see PageLimit). It is the
// one rule for a pipeline filter: the service checks a person's filter
// with it, and the store its input. A Store adds its own bound on the
// programme's length.
func CheckCoopFilter(f CoopFilter) (int, error) {
	fields := map[string]string{}
	switch {
	case f.Programme == "":
		fields["programme"] = "Choose a programme"
	case len(f.Programme) > 64:
		fields["programme"] = "Must be 64 characters or fewer"
	}
	switch {
	case f.Stage == "":
		fields["stage"] = "Choose a stage: one of " + strings.Join(Stages, ", ")
	case !IsStage(f.Stage):
		fields["stage"] = "Must be one of: " + strings.Join(Stages, ", ")
	}
	limit, err := PageLimit(f.Limit)
	if err != nil {
		fields["limit"] = ErrorFields(err)["limit"]
	}
	if len(fields) > 0 {
		return 0, Invalid(fields)
	}
	return limit, nil
}

// CheckTaskFilter refuses a task filter that selects neither a subject,
// a user, nor an inbox (an organisation and a role), naming each field
// missing.
func CheckTaskFilter(f TaskFilter) error {
	if s := f.SubjectOf(); s.Kind != "" && s.ID != "" {
		return nil
	}
	if f.User != "" || (f.Organisation != "" && f.Role != "") {
		return nil
	}
	fields := map[string]string{}
	if f.Organisation == "" {
		fields["organisation"] = "Enter the organisation, or a co-op"
	}
	if f.Role == "" {
		fields["role"] = "Enter the role, or a co-op"
	}
	return Invalid(fields)
}
