package grants

// Facts are a co-op's grant figures as its agency sees them on the
// pipeline and the co-op page: applications sent, awards standing (an
// award the co-op declined no longer counts) and the money awarded and
// paid, in pence. The store keeps them with every change that moves them,
// in the same transaction, so reading them costs one query whatever the
// number of applications.
type Facts struct {
	Applications int64 `json:"applications"`
	Awards       int64 `json:"awards"`
	Awarded      int64 `json:"awarded"`
	Paid         int64 `json:"paid"`
}
