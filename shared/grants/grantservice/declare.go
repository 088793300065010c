package grantservice

import (
	"context"
	"strings"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// DeclarationResult is what a reviewer sees after declaring: their
// declaration and, with no conflict, the whole application. After a
// conflict the application is gone from them for good.
type DeclarationResult struct {
	Declaration *grants.Declaration `json:"declaration"`
	Application *ApplicationView    `json:"application,omitempty"`
}

// reviewTask returns u's open grant-review task on the application, or nil.
func (s *Service) reviewTask(ctx context.Context, u *pathway.User, app string) (*pathway.Task, error) {
	tasks, err := s.store.ListTasks(ctx, pathway.TaskFilter{Subject: grants.Subject(app)})
	if err != nil {
		return nil, err
	}
	for _, t := range tasks {
		if t.Kind == grants.TaskReview && t.User == u.ID && t.Status == pathway.TaskOpen {
			return t, nil
		}
	}
	return nil, nil
}

// Declare records the assigned reviewer's declaration of interests (or a
// lead's, who then cannot decide). A conflict excludes them for good (the
// application is "not found" to them from then on) and answers their
// review task with {"conflict":true,"reason"}, so the workflow assigns the
// next reviewer; no conflict opens the application to them for review.
func (s *Service) Declare(ctx context.Context, u *pathway.User, id string, ans grants.DeclarationAnswer) (*DeclarationResult, error) {
	if u == nil || id == "" || len(id) > 64 {
		return nil, notFound()
	}
	a, err := s.grants.GetApplication(ctx, id)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND || (err == nil && !IsFunderStaff(u, a.Funder)) {
		return nil, notFound()
	} else if err != nil {
		return nil, err
	}
	task, err := s.reviewTask(ctx, u, id)
	if err != nil {
		return nil, err
	}
	excluded, err := s.grants.IsExcluded(ctx, id, u.ID)
	if err != nil {
		return nil, err
	}
	// An excluded reviewer whose task is still open is a retry of a
	// conflict whose answer was not stored: finish it. Otherwise they see
	// nothing, for good.
	if excluded && task == nil {
		return nil, notFound()
	}
	if task == nil && !u.Lead {
		return nil, pathway.Errorf(pathway.EFORBIDDEN, "Only the reviewer assigned to this application declares their interests here.")
	}
	ans.Reason = strings.TrimSpace(pathway.NormaliseNewlines(ans.Reason))
	if err := ans.Validate(); err != nil {
		return nil, err
	}
	d := &grants.Declaration{Application: id, Reviewer: u.ID, Conflict: ans.Conflict, Reason: ans.Reason, At: s.now()}
	action, words := grants.ActionNoConflict, "declared no conflict of interest."
	if ans.Conflict {
		action, words = grants.ActionConflict, "declared a conflict of interest and stepped back from the application."
	}
	stood, err := s.grants.Declare(ctx, d, s.newEvent(a, u, action, summary(u, "%s", words), nil))
	if err != nil {
		return nil, err
	}
	if stood.Conflict {
		if task != nil {
			if _, err := s.complete(ctx, u, task, a, ConflictAnswer{Conflict: true, Reason: stood.Reason}, "conflict of interest"); err != nil && pathway.ErrorCode(err) != pathway.ECONFLICT {
				return nil, err
			}
		}
		if !ans.Conflict { // a conflict declared earlier stands: excluded
			return nil, notFound()
		}
		return &DeclarationResult{Declaration: stood}, nil
	}
	v, err := s.Application(ctx, u, id)
	if err != nil {
		return nil, err
	}
	return &DeclarationResult{Declaration: stood, Application: v}, nil
}
