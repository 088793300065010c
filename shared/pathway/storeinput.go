package pathway

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

// EventPageLimit checks a ListEvents call: the co-op is required, naming
// the coop field, and the limit follows PageLimit.
func EventPageLimit(coopID string, limit int) (int, error) {
	if coopID == "" {
		return 0, Invalid(map[string]string{"coop": "Enter the co-op"})
	}
	return PageLimit(limit)
}

// CheckCoopFilter checks a pipeline filter, naming each field that is
// missing or wrong, and returns its page size (see PageLimit). A Store
// adds its own bound on the programme's length.
func CheckCoopFilter(f CoopFilter) (int, error) {
	fields := map[string]string{}
	if f.Programme == "" {
		fields["programme"] = "Enter the programme"
	}
	if !IsStage(f.Stage) {
		fields["stage"] = "Must be a known stage"
	}
	if len(fields) > 0 {
		return 0, Invalid(fields)
	}
	return PageLimit(f.Limit)
}

// CheckTaskFilter refuses a task filter that selects neither a co-op nor an
// inbox (an organisation and a role), naming each field missing.
func CheckTaskFilter(f TaskFilter) error {
	if f.Coop != "" || (f.Organisation != "" && f.Role != "") {
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
