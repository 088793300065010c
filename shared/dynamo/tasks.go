package dynamo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// PutTask stores a new task, or returns the stored one if the ID exists:
// the Put is conditional on the ID being new and returns the stored item
// when it is not, so a retry costs no second read.
func (s *Store) PutTask(ctx context.Context, t *pathway.Task) (*pathway.Task, error) {
	if err := pathway.CheckWrite("task", t, nil); err != nil {
		return nil, err
	}
	rec := utcTask(t)
	item, err := taskItem(rec)
	if err != nil {
		return nil, err
	}
	return putNew(ctx, s, "put task", item, rec)
}

// utcTask returns a copy of t with its times in UTC.
func utcTask(t *pathway.Task) *pathway.Task {
	rec := *t
	rec.Due, rec.CreatedAt, rec.CompletedAt = t.Due.UTC(), t.CreatedAt.UTC(), t.CompletedAt.UTC()
	return &rec
}

// taskItem returns the item of a task. An open task is in two sparse
// indexes, ordered by due date: its organisation and role's inbox (GSI1,
// for tasks addressed to an organisation) and its co-op's open tasks
// (GSI2). Completing it removes both.
func taskItem(t *pathway.Task) (map[string]types.AttributeValue, error) {
	keys := map[string]string{attrPK: preTask + t.ID, attrSK: skMeta}
	if t.Status == pathway.TaskOpen {
		due, err := sortTime(t.Due, "due")
		if err != nil {
			return nil, err
		}
		keys[attrGSI2PK], keys[attrGSI2SK] = preTasks+t.Coop, due+"#"+t.ID
		if t.Organisation != "" {
			keys[attrGSI1PK], keys[attrGSI1SK] = inboxPK(t.Organisation, t.Role), due+"#"+t.ID
		}
	}
	return marshal(t, keys)
}

// GetTask returns the task with the ID.
func (s *Store) GetTask(ctx context.Context, id string) (*pathway.Task, error) {
	return getRecord[pathway.Task](ctx, s, preTask+id, skMeta, "task")
}

// ListTasks returns the open tasks of a co-op (GSI2) or of an inbox
// (GSI1), earliest due first, ties by ID.
func (s *Store) ListTasks(ctx context.Context, f pathway.TaskFilter) ([]*pathway.Task, error) {
	if err := pathway.CheckTaskFilter(f); err != nil {
		return nil, err
	}
	var index, pk string
	if f.Coop != "" {
		index, pk = indexGSI2, preTasks+f.Coop
	} else {
		index, pk = indexGSI1, inboxPK(f.Organisation, f.Role)
	}
	for field, v := range map[string]string{"coop": f.Coop, "organisation": f.Organisation, "role": f.Role} {
		if err := checkPart(field, v); err != nil {
			return nil, err
		}
	}
	items, err := s.queryKey(ctx, "ListTasks", index, expression.Key(index+"PK").Equal(expression.Value(pk)))
	if err != nil {
		return nil, err
	}
	tasks, err := unmarshalAll[pathway.Task](items)
	if err != nil {
		return nil, err
	}
	// The index is eventually consistent: skip a task that was completed a
	// moment ago but is still listed.
	return slices.DeleteFunc(tasks, func(t *pathway.Task) bool { return t.Status != pathway.TaskOpen }), nil
}

// CompleteTask closes an open task exactly once, in one UpdateItem: the
// condition that the task is still open lets only the first answer through,
// and the stored task on a failed condition tells a missing task from one
// dealt with already.
func (s *Store) CompleteTask(ctx context.Context, id string, done pathway.TaskCompletion) (*pathway.Task, error) {
	if done.Status != pathway.TaskCompleted && done.Status != pathway.TaskCancelled {
		return nil, pathway.Invalid(map[string]string{"status": "Must be one of: completed, cancelled"})
	}
	if len(done.Outcome) > 0 && !json.Valid(done.Outcome) {
		return nil, pathway.Invalid(map[string]string{"outcome": "Must be valid JSON"})
	}
	if tooLong(id) {
		return nil, pathway.NotFound("task")
	}
	update := expression.Set(expression.Name(attrStatus), expression.Value(done.Status)).
		Set(expression.Name("completedAt"), expression.Value(done.At.UTC())).
		Set(expression.Name("completedBy"), expression.Value(done.By)).
		Remove(expression.Name(attrGSI1PK)).Remove(expression.Name(attrGSI1SK)).
		Remove(expression.Name(attrGSI2PK)).Remove(expression.Name(attrGSI2SK))
	if len(done.Outcome) > 0 {
		update = update.Set(expression.Name("outcome"), expression.Value([]byte(done.Outcome)))
	} else {
		update = update.Remove(expression.Name("outcome"))
	}
	cond := expression.AttributeExists(expression.Name(attrPK)).
		And(expression.Name(attrStatus).Equal(expression.Value(pathway.TaskOpen)))
	expr, err := expression.NewBuilder().WithUpdate(update).WithCondition(cond).Build()
	if err != nil {
		return nil, err
	}
	out, err := s.client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: s.table, Key: key(preTask+id, skMeta),
		UpdateExpression: expr.Update(), ConditionExpression: expr.Condition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		ReturnValues:                        types.ReturnValueAllNew,
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		if ccf.Item == nil {
			return nil, pathway.NotFound("task")
		}
		return nil, pathway.Errorf(pathway.ECONFLICT, "This task has been dealt with already (it is %s).", strAttr(ccf.Item, attrStatus))
	}
	if err != nil {
		return nil, fmt.Errorf("dynamo: complete task: %w", err)
	}
	t := new(pathway.Task)
	if err := unmarshal(out.Attributes, t); err != nil {
		return nil, err
	}
	return t, nil
}
