package tenders_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

// TestCancel: every status before contracting may be cancelled, with the
// reason kept and, once the tender notice was published, the procurement
// termination notice (UK12, s.55) published that day; later statuses and
// a missing reason are refused, changing nothing.
func TestCancel(t *testing.T) {
	at := deadline.Add(-48 * time.Hour)
	cases := []struct {
		status, reason string
		code           string // "" for success
		uk12           bool
	}{
		{"draft", "Budget withdrawn.", "", false},
		{"open", "Budget withdrawn.", "", true},
		{"evaluation", "  The specification was wrong.\r\n ", "", true},
		{"moderation", "Needs changed.", "", true},
		{"award", "Needs changed.", "", true},
		{"standstill", "A challenge showed a flaw.", "", true},
		{"contracting", "Too late.", pathway.ECONFLICT, false},
		{"contracted", "Too late.", pathway.ECONFLICT, false},
		{"no-bids", "Nothing to end.", pathway.ECONFLICT, false},
		{"cancelled", "Again.", pathway.ECONFLICT, false},
		{"open", "   ", pathway.EINVALID, false},
		{"open", strings.Repeat("x", 5001), pathway.EINVALID, false},
	}
	for _, c := range cases {
		td := tender()
		td.Status = c.status
		if c.status != "draft" {
			td.Notices = []tenders.Notice{{Type: tenders.NoticeTender, PublishedOn: "2027-06-01"}}
		}
		err := tenders.Cancel(td, c.reason, "user-lead", at, "2027-07-13")
		if c.code != "" {
			if pathway.ErrorCode(err) != c.code || td.Status != c.status || td.Cancellation != nil {
				t.Errorf("%s %q: err %v, status %s: want %s changing nothing", c.status, c.reason, err, td.Status, c.code)
			}
			var pe *pathway.Error
			if c.code == pathway.EINVALID && (!errors.As(err, &pe) || pe.Fields["reason"] == "") {
				t.Errorf("%s: error %v does not name the reason", c.status, err)
			}
			continue
		}
		if err != nil || td.Status != tenders.StatusCancelled || td.Cancellation == nil {
			t.Fatalf("%s: err %v, status %s", c.status, err, td.Status)
		}
		if want := strings.TrimSpace(strings.ReplaceAll(c.reason, "\r\n", "\n")); td.Cancellation.Reason != want || td.Cancellation.By != "user-lead" || !td.Cancellation.At.Equal(at) {
			t.Errorf("%s: cancellation %+v", c.status, td.Cancellation)
		}
		n, ok := td.NoticeOf(tenders.NoticeTermination)
		if ok != c.uk12 || (ok && n.PublishedOn != "2027-07-13") {
			t.Errorf("%s: UK12 %v %+v, want %v", c.status, ok, n, c.uk12)
		}
	}
}
