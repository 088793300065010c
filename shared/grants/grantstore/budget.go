package grantstore

import (
	"context"
	"errors"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/tablerec"
)

// amountRec is the body of a commitment or a payment: its amount.
type amountRec struct {
	Amount int64 `json:"amount"`
}

// Award stores the lead's award: a, read at a.Version and moved to
// awarded (grants.Move) with a.Award set (grants.NewAward), with its
// event, and the amount committed on the programme's budget, all in one
// transaction. The budget item is read, the award checked against what
// is left, and the write made conditional on the version read, so of two
// awards that together would overspend one is refused (ECONFLICT: "The
// programme has £X left; this award of £Y would overspend it"), however
// concurrent; one that lost a race reads again and checks again. A
// retried award finds its commitment and returns the stored application
// in a.
func (s *Store) Award(ctx context.Context, a *grants.Application, e *pathway.Event) error {
	if err := pathway.CheckWrite("grant application", a, nil); err != nil {
		return err
	}
	if a.Status != grants.StatusAwarded || a.Award == nil {
		return pathway.Errorf(pathway.EINTERNAL, "grantstore: Award needs an awarded application with its award")
	}
	commitKey := preCommit + a.ID
	for attempt := 1; ; attempt++ {
		_, old, err := s.readApp(ctx, a.ID)
		if err != nil {
			return err
		}
		if old.Version != a.Version {
			return s.doneOrStale(ctx, a, old, commitKey)
		}
		if !grants.CanMove(old.Status, grants.StatusAwarded) {
			return pathway.Errorf(pathway.ECONFLICT, "The application is %q, so it cannot be awarded.", old.Status)
		}
		bit, b, err := s.readBudget(ctx, a.Programme)
		if err != nil {
			return err
		}
		if err := b.figures().CheckCommit(a.Award.Amount); err != nil {
			return err
		}
		b.Awarded += a.Award.Amount
		err = s.moveMoney(ctx, a, e, bit, b, grants.Facts{Awards: 1, Awarded: a.Award.Amount},
			table.Put(table.Item{PK: progPK(a.Programme), SK: commitKey, Body: mustJSON(amountRec{a.Award.Amount})}, table.IfAbsent()))
		if again(ctx, err, attempt) {
			continue // read again: done, stale, or the budget changed
		}
		return final(err)
	}
}

// Decline stores the co-op's declining of its award: a, read at
// a.Version and moved to declined, with its event, and the commitment
// released from the programme's budget, in one transaction. A retried
// decline finds the commitment gone and returns the stored application.
func (s *Store) Decline(ctx context.Context, a *grants.Application, e *pathway.Event) error {
	if err := pathway.CheckWrite("grant application", a, nil); err != nil {
		return err
	}
	if a.Status != grants.StatusDeclined {
		return pathway.Errorf(pathway.EINTERNAL, "grantstore: Decline needs a declined application")
	}
	commitKey := preCommit + a.ID
	for attempt := 1; ; attempt++ {
		_, old, err := s.readApp(ctx, a.ID)
		if err != nil {
			return err
		}
		if old.Version != a.Version {
			if old.Status == grants.StatusDeclined && old.Version == a.Version+1 {
				*a = *old // a retry: declined already
				return nil
			}
			return staleApp()
		}
		if !grants.CanMove(old.Status, grants.StatusDeclined) {
			return pathway.Errorf(pathway.ECONFLICT, "The application is %q, so it has no award to decline.", old.Status)
		}
		var c amountRec
		cit, err := s.get(ctx, progPK(a.Programme), commitKey, "award", &c)
		if err != nil {
			return err
		}
		bit, b, err := s.readBudget(ctx, a.Programme)
		if err != nil {
			return err
		}
		b.Awarded -= c.Amount
		err = s.moveMoney(ctx, a, e, bit, b, grants.Facts{Awards: -1, Awarded: -c.Amount}, table.Delete(cit.PK, cit.SK, table.IfExists()))
		if again(ctx, err, attempt) {
			continue
		}
		return final(err)
	}
}

// Pay stores the payment of a tranche: a, read at a.Version, with the
// tranche paid (grants.Pay), with its event, and the amount added to the
// programme's paid total, in one transaction. A retried payment finds its
// record and returns the stored application.
func (s *Store) Pay(ctx context.Context, a *grants.Application, tranche string, e *pathway.Event) error {
	if err := pathway.CheckWrite("grant application", a, nil); err != nil {
		return err
	}
	t := a.Tranche(tranche)
	if t == nil || t.Status != grants.TranchePaid {
		return pathway.Errorf(pathway.EINTERNAL, "grantstore: Pay needs the tranche paid")
	}
	paidKey := prePaid + a.ID + "#" + tranche
	for attempt := 1; ; attempt++ {
		_, old, err := s.readApp(ctx, a.ID)
		if err != nil {
			return err
		}
		if old.Version != a.Version {
			return s.doneOrStale(ctx, a, old, paidKey)
		}
		if ot := old.Tranche(tranche); ot == nil || ot.Status != grants.TrancheDue || ot.Amount != t.Amount {
			return pathway.Errorf(pathway.ECONFLICT, "That tranche is not due for payment.")
		}
		bit, b, err := s.readBudget(ctx, a.Programme)
		if err != nil {
			return err
		}
		b.Paid += t.Amount
		err = s.moveMoney(ctx, a, e, bit, b, grants.Facts{Paid: t.Amount},
			table.Put(table.Item{PK: progPK(a.Programme), SK: paidKey, Body: mustJSON(amountRec{t.Amount})}, table.IfAbsent()))
		if again(ctx, err, attempt) {
			continue
		}
		return final(err)
	}
}

// moveMoney writes, in one transaction (its table error as it is): the budget item (conditional on
// the version read), the commitment or payment record, the application
// (conditional on a.Version), the co-op's grant facts moved by facts,
// and the event.
func (s *Store) moveMoney(ctx context.Context, a *grants.Application, e *pathway.Event, bit *table.Item, b budgetRec, facts grants.Facts, record table.Write) error {
	bw, err := put(bit.PK, bit.SK, bit.Version+1, &b, table.IfVersion(bit.Version))
	if err != nil {
		return err
	}
	return s.transactApp(ctx, a, e, append([]table.Write{bw, record}, factWrites(a.Coop, facts)...)...)
}

// again reports whether a money write lost a race (any of its
// conditions, or contention) and may be tried again, after a pause: the
// next reading tells whether it was done already, is stale, or meets a
// changed budget.
func again(ctx context.Context, err error, attempt int) bool {
	var ce *table.ConditionError
	if (errors.As(err, &ce) || errors.Is(err, table.ErrContention)) && attempt < maxAttempts {
		pause(ctx, attempt)
		return true
	}
	return false
}

// final maps the error of a money write's last attempt.
func final(err error) error {
	var ce *table.ConditionError
	if errors.As(err, &ce) {
		return busy()
	}
	return mapErr(err)
}

// exists reports whether an item is stored under the key.
func (s *Store) exists(ctx context.Context, pk, sk string) (bool, error) {
	_, err := s.t.Get(ctx, pk, sk)
	if errors.Is(err, table.ErrNotFound) {
		return false, nil
	}
	return err == nil, mapErr(err)
}

// doneOrStale answers a money write that finds the application changed
// since a was read: done already when its record (commitment or
// payment) is there, which a retry finds, so a becomes the stored
// application; stale otherwise.
func (s *Store) doneOrStale(ctx context.Context, a, stored *grants.Application, recordKey string) error {
	done, err := s.exists(ctx, progPK(a.Programme), recordKey)
	if err != nil {
		return err
	}
	if !done {
		return staleApp()
	}
	*a = *stored
	return nil
}

// mustJSON encodes a record of plain fields, which cannot fail.
func mustJSON(v any) []byte {
	b, err := tablerec.Encode(v)
	if err != nil {
		panic(err)
	}
	return b
}
