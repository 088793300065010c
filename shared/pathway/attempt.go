package pathway

import "strconv"

// ApplicationExecution names the application workflow's execution for
// the co-op's current attempt: the co-op's ID for the first (as before
// attempts were counted), then "<id>-attempt-<n>". Derived from the
// record, a retried start of one attempt names the same execution and
// starts nothing twice, while the next attempt starts a new one.
func ApplicationExecution(c *Coop) string {
	if c.Attempt <= 1 {
		return c.ID
	}
	return c.ID + "-attempt-" + strconv.Itoa(c.Attempt)
}

// AttemptNumber is the number of the co-op's current attempt, from 1.
func AttemptNumber(c *Coop) int { return max(c.Attempt, 1) }
