package backfill

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/coopcarepathway/pathway/shared/table"
)

// Version is the backfill's version. A release whose sources count
// something new from facts already held raises it, so deployments run the
// backfill again (Needed reports a marker of an older version as absent).
const Version = 1

// The marker item: PK MarkerPK, SK MarkerSK (listed in shared/store/keys.go).
const (
	MarkerPK = "INSIGHT#BACKFILL"
	MarkerSK = "DONE"
)

// marker is the marker item's body.
type marker struct {
	Version int       `json:"version"`
	At      time.Time `json:"at"`
	Report  Report    `json:"report"`
}

// Needed reports whether no run of this version of the backfill has
// completed on the table.
func Needed(ctx context.Context, tbl table.Table) (bool, error) {
	it, err := tbl.Get(ctx, MarkerPK, MarkerSK)
	if errors.Is(err, table.ErrNotFound) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	var m marker
	if err := json.Unmarshal(it.Body, &m); err != nil {
		return true, nil // unreadable: run again, it is harmless
	}
	return m.Version < Version, nil
}

// MarkDone writes the marker of a completed run (replacing any before).
func MarkDone(ctx context.Context, tbl table.Table, r Report, at time.Time) error {
	body, err := json.Marshal(marker{Version: Version, At: at.UTC(), Report: r})
	if err != nil {
		return err
	}
	return tbl.Transact(ctx, table.Put(table.Item{PK: MarkerPK, SK: MarkerSK, Body: body}, table.Cond{}))
}
