package grantservice_test

import (
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

func TestStaffNamesOnlyForTheFundersStaff(t *testing.T) {
	f := newFixture(t)
	names, err := f.svc.StaffNames(t.Context(), users["reviewer1"], fund)
	must(t, err)
	if names[users["reviewer2"].ID] != users["reviewer2"].Name || names[users["lead"].ID] != users["lead"].Name {
		t.Errorf("names = %v", names)
	}
	if _, ok := names[users["otherFund"].ID]; ok {
		t.Errorf("another funder's staff listed: %v", names)
	}
	_, err = f.svc.StaffNames(t.Context(), users["otherFund"], fund)
	wantCode(t, err, pathway.ENOTFOUND)
	_, err = f.svc.StaffNames(t.Context(), users["founderA"], fund)
	wantCode(t, err, pathway.ENOTFOUND)
}
