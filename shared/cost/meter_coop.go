package cost

// Coop returns the co-op charged so far, without taking the usage: the
// flush looks up the co-op's agency (reads that belong to the same work)
// before it takes what the meter holds.
func (m *Meter) Coop() string {
	if m == nil {
		return ""
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.coop
}
