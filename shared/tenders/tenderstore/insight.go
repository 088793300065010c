package tenderstore

import (
	"reflect"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

// withContractRefresh asks, in the transaction that records a tender's
// contract, for a refresh of each co-op the contract is with: the
// co-op's journey moves to contracted with its own event before the
// contract is stored, so without this its contracts won and their value
// would wait for its next change to reach the agency's pipeline.
func withContractRefresh(writes []table.Write, old, next *tenders.Tender, at time.Time) ([]table.Write, error) {
	if next.Contract == nil || (old.Contract != nil && reflect.DeepEqual(old.Contract.Lots, next.Contract.Lots)) {
		return writes, nil
	}
	seen := map[string]bool{}
	for _, l := range next.Contract.Lots {
		if l.Coop == "" || seen[l.Coop] {
			continue
		}
		seen[l.Coop] = true
		var err error
		if writes, err = store.WithRefresh(writes, pathway.CoopSubject(l.Coop), at); err != nil {
			return nil, err
		}
	}
	return writes, nil
}
