package costreport_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/cost/costreport"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

// TestStoredFilesAreCharged: every file of the co-op (whatever item it is
// evidence for), and only the co-op's, is in its storage, from its upload
// to now.
func TestStoredFilesAreCharged(t *testing.T) {
	st := testkit.Store(t)
	put := func(coop, item, id string, size int64, at time.Time) {
		f := &pathway.File{ID: id, Coop: coop, Item: item, Name: "plan.pdf", Size: size, Type: pathway.TypePDF,
			SHA256: fmt.Sprintf("%064x", 7), Key: "coops/" + coop + "/" + item + "/" + id + "/plan.pdf",
			UploadedBy: founder.ID, UploadedAt: at}
		if _, err := st.PutFile(t.Context(), f, nil); err != nil {
			t.Fatal(err)
		}
	}
	put(coopID, "SOP-02", "01J0000000000000000000000A", 1000, now.Add(-10*time.Hour))
	put(coopID, "ORG-01", "01J0000000000000000000000B", 500, now.Add(-90*time.Minute))
	put("coop-other", "SOP-02", "01J0000000000000000000000C", 7000, now.Add(-time.Hour))
	j, err := costreport.Over(coops{}, st, nil, func() time.Time { return now }).Coop(t.Context(), agent, coopID)
	if err != nil {
		t.Fatal(err)
	}
	// 1,000 bytes × 10 hours + 500 bytes × 2 hours (90 minutes, rounded up).
	if j.S3Bytes != 1500 || j.Total.S3ByteHours != 11000 {
		t.Errorf("stored %d bytes, %d byte-hours; want 1,500 and 11,000", j.S3Bytes, j.Total.S3ByteHours)
	}
}
