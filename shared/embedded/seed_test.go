package embedded

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"go.etcd.io/bbolt"
)

// The seeded layout: co-op i belongs to programme i%seedProgrammes and stage
// seedStages[(i/seedProgrammes)%len(seedStages)], so every column of every
// programme holds n/20 co-ops and each page is read among many neighbours.
const seedProgrammes = 4

var seedStages = []string{
	pathway.StageApplied, pathway.StageAwaitingPanel, pathway.StageCQCPreparing,
	pathway.StageCQCSubmitted, pathway.StageCQCRegistered,
}

var seedBase = time.Date(2024, time.January, 8, 9, 0, 0, 0, time.UTC)

// seedCoop returns the i-th seeded co-op, with invented people.
func seedCoop(i int) *pathway.Coop {
	at := seedBase.Add(time.Duration(i) * time.Second)
	return &pathway.Coop{
		ID:                  seedID(i),
		Name:                fmt.Sprintf("Seeded Care Co-op %d", i),
		Programme:           fmt.Sprintf("prog-bench-%d", i%seedProgrammes),
		LegalForm:           pathway.FormCommunityBenefit,
		Origin:              "new-start",
		LocalAuthority:      "Westmoor",
		Services:            []string{"home-care", "day-care"},
		RegulatedActivities: []string{"personal-care"},
		Members: []pathway.Member{
			{Name: "Rowan Tillbury", Class: pathway.ClassWorker, Role: pathway.MemberDirector},
			{Name: "Hazel Underwick", Class: pathway.ClassServiceUser, Role: pathway.MemberCommitteeMember},
			{Name: "Linden Crewe", Class: pathway.ClassFamilyCarer, Role: pathway.MemberOrdinary},
		},
		Founders:       []string{fmt.Sprintf("user-seed-%d", i)},
		Stage:          seedStages[(i/seedProgrammes)%len(seedStages)],
		StageEnteredAt: at,
		Version:        1,
		CreatedAt:      at,
		UpdatedAt:      at,
	}
}

// seedID is the ID of the i-th seeded co-op.
func seedID(i int) string { return fmt.Sprintf("coop-seed-%07d", i) }

// seed stores n co-ops in transactions of 10,000, so seeding 100,000 costs
// ten commits rather than 100,000 fsyncs.
func seed(tb testing.TB, s *Store, n int) {
	tb.Helper()
	const batch = 10_000
	for from := 0; from < n; from += batch {
		err := s.db.Update(func(tx *bbolt.Tx) error {
			for i := from; i < min(from+batch, n); i++ {
				if err := createCoop(tx, seedCoop(i), nil); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatalf("seed %d co-ops: %v", n, err)
		}
	}
}

// openSeeded opens a new store in dir holding n seeded co-ops.
func openSeeded(tb testing.TB, dir string, n int) *Store {
	tb.Helper()
	s, err := Open(filepath.Join(dir, fmt.Sprintf("seed-%d.db", n)))
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	start := time.Now()
	seed(tb, s, n)
	tb.Logf("seeded %d co-ops in %v", n, time.Since(start).Round(time.Millisecond))
	return s
}
