package dynamo

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Attribute names of records the conditions refer to (their JSON names).
const (
	attrVersion = "version"
	attrStatus  = "status"
	attrCount   = "count"
	attrCoop    = "coop"
)

// CreateCoop stores a new co-op at Version 1 with its first event, its
// stage count and its founder memberships, in one transaction.
func (s *Store) CreateCoop(ctx context.Context, c *pathway.Coop, e *pathway.Event) error {
	if err := validCoop(c, e); err != nil {
		return err
	}
	rec := utcCoop(c)
	rec.Version = 1
	put, err := coopPut(rec, expression.AttributeNotExists(expression.Name(attrPK)))
	if err != nil {
		return err
	}
	actions := []types.TransactWriteItem{put}
	if actions, err = appendEventPut(actions, e); err != nil {
		return err
	}
	actions = append(actions, countUpdate(rec.Programme, rec.Stage, 1))
	for _, u := range founderSet(rec.Founders) {
		actions = append(actions, founderPut(rec.ID, u))
	}
	err = s.transact(ctx, actions)
	if tc, ok := err.(*errCanceled); ok {
		if _, failed := tc.failed(0); failed {
			return pathway.Errorf(pathway.ECONFLICT, "A co-op with the ID %q exists already.", c.ID)
		}
		return eventExists(e)
	}
	if err != nil {
		return err
	}
	c.Version = 1
	return nil
}

// GetCoop returns the co-op with the ID.
func (s *Store) GetCoop(ctx context.Context, id string) (*pathway.Coop, error) {
	return getRecord[pathway.Coop](ctx, s, preCoop+id, skMeta, "co-op")
}

// UpdateCoop stores c if the stored version equals c.Version, with e, in
// one transaction that also moves the stage counts and the founder
// memberships when they change. It reads the stored co-op first to learn
// its old stage and founders; the transaction's version condition makes
// sure nothing changed between the read and the write.
func (s *Store) UpdateCoop(ctx context.Context, c *pathway.Coop, e *pathway.Event) error {
	if err := validCoop(c, e); err != nil {
		return err
	}
	old, err := s.GetCoop(ctx, c.ID)
	if err != nil {
		return err
	}
	if old.Version != c.Version {
		return stale("co-op", c.Version, old.Version)
	}
	rec := utcCoop(c)
	rec.Version = c.Version + 1
	put, err := coopPut(rec, versionIs(c.Version))
	if err != nil {
		return err
	}
	actions := []types.TransactWriteItem{put}
	if actions, err = appendEventPut(actions, e); err != nil {
		return err
	}
	if old.Programme != rec.Programme || old.Stage != rec.Stage {
		actions = append(actions, countUpdate(old.Programme, old.Stage, -1), countUpdate(rec.Programme, rec.Stage, 1))
	}
	was, now := founderSet(old.Founders), founderSet(rec.Founders)
	for _, u := range was {
		if !slices.Contains(now, u) {
			actions = append(actions, types.TransactWriteItem{Delete: &types.Delete{Key: key(preCoop+rec.ID, preFounder+u)}})
		}
	}
	for _, u := range now {
		if !slices.Contains(was, u) {
			actions = append(actions, founderPut(rec.ID, u))
		}
	}
	if err := updateError(s.transact(ctx, actions), "co-op", c.Version, e); err != nil {
		return err
	}
	c.Version = rec.Version
	return nil
}

// validCoop validates a co-op and its event, if any; the co-op's stage
// entry must also fit the pipeline index's sort key, which is checked
// before the event.
func validCoop(c *pathway.Coop, e *pathway.Event) error {
	if err := pathway.CheckWrite("co-op", c, nil); err != nil {
		return err
	}
	if _, err := sortTime(c.StageEnteredAt, "stageEnteredAt"); err != nil {
		return err
	}
	if e != nil {
		return e.Validate()
	}
	return nil
}

// utcCoop returns a copy of c with its times in UTC, so every record reads
// back the same whatever zone its writer used.
func utcCoop(c *pathway.Coop) *pathway.Coop {
	rec := *c
	rec.StageEnteredAt, rec.CreatedAt, rec.UpdatedAt = c.StageEnteredAt.UTC(), c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return &rec
}

// coopPut is the conditional Put of a co-op with its place in the pipeline
// index; a failed condition returns the stored item.
func coopPut(c *pathway.Coop, cond expression.ConditionBuilder) (types.TransactWriteItem, error) {
	item, err := coopItem(c)
	if err != nil {
		return types.TransactWriteItem{}, err
	}
	return condPut(item, cond)
}

// coopItem returns the item of a co-op with its place in the pipeline
// index (GSI1): the column's partition, sorted by stage entry then ID.
func coopItem(c *pathway.Coop) (map[string]types.AttributeValue, error) {
	entered, err := sortTime(c.StageEnteredAt, "stageEnteredAt")
	if err != nil {
		return nil, err
	}
	return marshal(c, map[string]string{
		attrPK: preCoop + c.ID, attrSK: skMeta,
		attrGSI1PK: pipelinePK(c.Programme, c.Stage), attrGSI1SK: entered + "#" + c.ID,
	})
}

// countUpdate adds delta to the count of a programme's stage.
func countUpdate(programme, stage string, delta int) types.TransactWriteItem {
	return types.TransactWriteItem{Update: &types.Update{
		Key:                       key(preCount+programme, preStage+stage),
		UpdateExpression:          aws.String("ADD #n :d"),
		ExpressionAttributeNames:  map[string]string{"#n": attrCount},
		ExpressionAttributeValues: map[string]types.AttributeValue{":d": &types.AttributeValueMemberN{Value: strconv.Itoa(delta)}},
	}}
}

// founderPut stores that the user is a founder of the co-op, indexed in
// GSI2 under the user.
func founderPut(coop, user string) types.TransactWriteItem {
	return types.TransactWriteItem{Put: &types.Put{Item: map[string]types.AttributeValue{
		attrPK: str(preCoop + coop), attrSK: str(preFounder + user),
		attrGSI2PK: str(preFounder + user), attrGSI2SK: str(preCoop + coop),
		attrCoop: str(coop),
	}}}
}

// founderSet returns the founders without repeats: a transaction may not
// touch one item twice.
func founderSet(founders []string) []string {
	out := slices.Clone(founders)
	slices.Sort(out)
	return slices.Compact(out)
}

// ListCoops returns a page of one pipeline column from GSI1, newest stage
// entry first: a Query of the column's own partition, so its cost does not
// grow with the number of other co-ops.
func (s *Store) ListCoops(ctx context.Context, f pathway.CoopFilter) (*pathway.CoopPage, error) {
	limit, err := checkCoopFilter(f)
	if err != nil {
		return nil, err
	}
	pk := pipelinePK(f.Programme, f.Stage)
	start, err := decodeCursor(f.Cursor, []string{attrPK, attrSK, attrGSI1PK, attrGSI1SK}, func(m map[string]string) bool {
		_, id, ok := strings.Cut(m[attrGSI1SK], "#")
		return ok && m[attrGSI1PK] == pk && m[attrSK] == skMeta && m[attrPK] == preCoop+id &&
			len(m[attrGSI1SK]) == len(sortTimeLayout)+1+len(id)
	})
	if err != nil {
		return nil, err
	}
	in, err := keyQuery(indexGSI1, expression.Key(attrGSI1PK).Equal(expression.Value(pk)))
	if err != nil {
		return nil, err
	}
	in.ScanIndexForward, in.ExclusiveStartKey = aws.Bool(false), start
	coops, next, err := listPage[pathway.Coop](ctx, s, "ListCoops", in, limit, []string{attrPK, attrSK, attrGSI1PK, attrGSI1SK})
	if err != nil {
		return nil, err
	}
	return &pathway.CoopPage{Coops: coops, Next: next}, nil
}

// checkCoopFilter checks a pipeline filter and returns its page size: the
// shared rules, then this store's bound on the programme's length.
func checkCoopFilter(f pathway.CoopFilter) (int, error) {
	limit, err := pathway.CheckCoopFilter(f)
	if err != nil {
		return 0, err
	}
	if err := checkPart("programme", f.Programme); err != nil {
		return 0, err
	}
	return limit, nil
}

// CountStages returns how many co-ops of the programme are in each stage,
// from the counters the co-op transactions keep: one small Query.
func (s *Store) CountStages(ctx context.Context, programme string) (map[string]int, error) {
	out := map[string]int{}
	if programme == "" || tooLong(programme) {
		return out, nil
	}
	items, err := s.queryKey(ctx, "CountStages", "", partition(preCount+programme))
	if err != nil {
		return nil, err
	}
	for _, item := range items {
		var n struct {
			Count int `json:"count"`
		}
		if err := unmarshal(item, &n); err != nil {
			return nil, err
		}
		if stage, ok := strings.CutPrefix(strAttr(item, attrSK), preStage); ok && n.Count > 0 {
			out[stage] = n.Count
		}
	}
	return out, nil
}

// ListFounderCoops returns the co-ops the user is a founder of: their IDs
// from GSI2, then each co-op by a strongly consistent read. The index is
// eventually consistent, so a co-op that no longer lists the user is left
// out.
func (s *Store) ListFounderCoops(ctx context.Context, userID string) ([]*pathway.Coop, error) {
	out := []*pathway.Coop{}
	if userID == "" || tooLong(userID) {
		return out, nil
	}
	kc := expression.Key(attrGSI2PK).Equal(expression.Value(preFounder + userID))
	items, err := s.queryKey(ctx, "ListFounderCoops", indexGSI2, kc)
	if err != nil {
		return nil, err
	}
	for _, item := range items {
		c, err := s.GetCoop(ctx, strAttr(item, attrCoop))
		if pathway.ErrorCode(err) == pathway.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		if slices.Contains(c.Founders, userID) {
			out = append(out, c)
		}
	}
	return out, nil
}
