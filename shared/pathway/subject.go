package pathway

// Kinds of subject: what a task or an event belongs to. Each phase adds its
// own (grant applications, tenders, bids).
const (
	SubjectCoop = "coop"
	// SubjectGrantApplication is a co-op's application for a grant
	// (shared/grants).
	SubjectGrantApplication = "grant-application"
	// SubjectTender is a council's tender and SubjectBid a co-op's bid
	// for one (shared/tenders).
	SubjectTender = "tender"
	SubjectBid    = "bid"
)

// Subject is what a task or an event is about: a kind and an ID. One inbox,
// one audit trail and one exactly-once answer mechanism serve every kind.
type Subject struct {
	// Kind is one of the Subject* constants.
	Kind string `json:"kind" validate:"required,oneof=coop grant-application tender bid"`
	// ID is the subject's ID.
	ID string `json:"id" validate:"required,max=64"`
}

// CoopSubject returns the subject of a co-op.
func CoopSubject(id string) Subject { return Subject{Kind: SubjectCoop, ID: id} }

// IsZero reports whether s names nothing.
func (s Subject) IsZero() bool { return s.Kind == "" && s.ID == "" }

// String returns "kind/id".
func (s Subject) String() string { return s.Kind + "/" + s.ID }

// subjectOf returns s, or for a zero s the co-op subject of coop (records
// written before subjects carried only the co-op).
func subjectOf(s Subject, coop string) Subject {
	if s.IsZero() && coop != "" {
		return CoopSubject(coop)
	}
	return s
}
