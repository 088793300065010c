package embedded_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/embedded"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/storetest"
	"go.etcd.io/bbolt"
)

// open returns a new store in a temporary directory, closed at cleanup.
func open(t *testing.T) *embedded.Store {
	t.Helper()
	s, err := embedded.Open(filepath.Join(t.TempDir(), "pathway.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) pathway.Store { return open(t) })
}

// TestReopen: everything written survives Close and Open, indexes included,
// and buckets another component keeps in the same file through DB survive
// beside the store's.
func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pathway.db")
	s, err := embedded.Open(path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	ctx := t.Context()
	entered := time.Date(2025, time.June, 2, 10, 0, 0, 987654321, time.UTC)
	c := &pathway.Coop{
		ID: "coop-reopen", Name: "Larkspur Home Support Co-op", Programme: "prog-reopen",
		LegalForm: pathway.FormCooperativeSociety, Origin: "new-start", LocalAuthority: "Westmoor",
		Services: []string{"home-care"}, Members: []pathway.Member{
			{Name: "Perrin Oakhurst", Class: pathway.ClassWorker, Role: pathway.MemberDirector},
		},
		Founders: []string{"user-perrin"}, Stage: pathway.StageAwaitingPanel, StageEnteredAt: entered,
	}
	e := &pathway.Event{ID: "01JXREOPEN0000000000000001", Coop: c.ID, At: entered, Actor: "user-perrin",
		Action: "application.submitted", Summary: "Application submitted."}
	if err := s.CreateCoop(ctx, c, e); err != nil {
		t.Fatalf("CreateCoop: %v", err)
	}
	task := &pathway.Task{ID: "task-reopen", Kind: pathway.TaskPanelDecision, Coop: c.ID, Organisation: "org-reopen",
		Role: pathway.RoleAgency, Title: "Decide", Due: entered.Add(time.Hour), Status: pathway.TaskOpen, CreatedAt: entered}
	if _, err := s.PutTask(ctx, task); err != nil {
		t.Fatalf("PutTask: %v", err)
	}
	err = s.DB().Update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte("states.executions"))
		if err != nil {
			return err
		}
		return b.Put([]byte("exec-1"), []byte("RUNNING"))
	})
	if err != nil {
		t.Fatalf("DB().Update: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	s, err = embedded.Open(path)
	if err != nil {
		t.Fatalf("Open again: %v", err)
	}
	defer s.Close()
	got, err := s.GetCoop(ctx, c.ID)
	if err != nil || got.Name != c.Name || got.Version != 1 || !got.StageEnteredAt.Equal(entered) {
		t.Fatalf("GetCoop after reopen = %+v, %v", got, err)
	}
	page, err := s.ListCoops(ctx, pathway.CoopFilter{Programme: "prog-reopen", Stage: pathway.StageAwaitingPanel})
	if err != nil || len(page.Coops) != 1 || page.Coops[0].ID != c.ID {
		t.Fatalf("ListCoops after reopen = %+v, %v", page, err)
	}
	if n, err := s.CountStages(ctx, "prog-reopen"); err != nil || n[pathway.StageAwaitingPanel] != 1 || len(n) != 1 {
		t.Fatalf("CountStages after reopen = %v, %v", n, err)
	}
	if cs, err := s.ListFounderCoops(ctx, "user-perrin"); err != nil || len(cs) != 1 {
		t.Fatalf("ListFounderCoops after reopen = %v, %v", cs, err)
	}
	if ev, err := s.ListEvents(ctx, c.ID, "", 0); err != nil || len(ev.Events) != 1 || ev.Events[0].ID != e.ID {
		t.Fatalf("ListEvents after reopen = %+v, %v", ev, err)
	}
	if ts, err := s.ListTasks(ctx, pathway.TaskFilter{Organisation: "org-reopen", Role: pathway.RoleAgency}); err != nil || len(ts) != 1 {
		t.Fatalf("ListTasks after reopen = %v, %v", ts, err)
	}
	err = s.DB().View(func(tx *bbolt.Tx) error {
		if b := tx.Bucket([]byte("states.executions")); b == nil || string(b.Get([]byte("exec-1"))) != "RUNNING" {
			t.Errorf("another component's bucket did not survive")
		}
		return tx.ForEach(func(name []byte, _ *bbolt.Bucket) error {
			if n := string(name); n != "states.executions" && !strings.HasPrefix(n, embedded.BucketPrefix) {
				t.Errorf("bucket %q lacks the store's prefix %q", n, embedded.BucketPrefix)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatalf("DB().View: %v", err)
	}
}

// TestOpenLocked: a second Open of a file in use fails after its timeout
// instead of hanging.
func TestOpenLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pathway.db")
	s, err := embedded.Open(path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	start := time.Now()
	if second, err := embedded.Open(path, embedded.WithTimeout(100*time.Millisecond)); err == nil {
		second.Close()
		t.Fatalf("a second Open of a locked file succeeded")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("the second Open took %v to fail", d)
	}
}

// TestCancelledContext: a call with a finished context does nothing and
// returns the context's error.
func TestCancelledContext(t *testing.T) {
	s := open(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err := s.PutUser(ctx, &pathway.User{ID: "user-late", Name: "Late Caller", Role: pathway.RoleFounder})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("PutUser with a cancelled context = %v", err)
	}
	if _, err := s.GetUser(t.Context(), "user-late"); pathway.ErrorCode(err) != pathway.ENOTFOUND {
		t.Fatalf("a cancelled PutUser stored the user: %v", err)
	}
}
