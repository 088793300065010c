package tendersteps

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/steps"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

// What Rank tells the workflow to do next.
const (
	NextAward = "award" // at least one bid is ranked: the lead decides
	NextNone  = "none"  // every bid is below the minimum quality score
)

// RankOutput says whether any bid is ranked.
type RankOutput struct {
	Next     string `json:"next"`
	Assessed int    `json:"assessed"`
	Below    int    `json:"below"`
}

// Rank runs when every bid's scores are agreed: tenders.Rank gives each
// bid its marks and rank per lot, and its status (assessed, or
// below-minimum), each bid stored with its event; the tender moves to
// award. When every bid is below the minimum, the procurement ends
// (cancelled, with the reason).
func (s *Steps) Rank(ctx context.Context, in Input) (*RankOutput, error) {
	return steps.Result(s.rank(ctx, in))
}

func (s *Steps) rank(ctx context.Context, in Input) (*RankOutput, error) {
	r, err := s.start(ctx, in)
	if err != nil {
		return nil, err
	}
	bids, err := s.liveBids(ctx, r)
	if err != nil {
		return nil, err
	}
	if r.t.Status == tenders.StatusModeration {
		for _, b := range bids {
			if b.Agreed == nil {
				// The service stores the agreed scores before it answers.
				return nil, pathway.Errorf(pathway.ECONFLICT, "The agreed scores of bid %s are not stored yet.", b.ID)
			}
		}
		ranked := make([]*tenders.Bid, len(bids))
		for i, b := range bids {
			c := *b
			ranked[i] = &c
		}
		tenders.Rank(r.t, ranked)
		for i, b := range bids {
			if b.Status != tenders.BidSubmitted {
				continue // ranked by a run before this one
			}
			action, summary := ActionBidAssessed, "The bid's scores are agreed and it is ranked."
			if ranked[i].Status == tenders.BidBelowMin {
				action, summary = ActionBidBelowMin, "The bid's quality score is below the tender's minimum, so it is out."
			}
			results := ranked[i].Results
			if err := s.moveBid(ctx, r, b, i+1, ranked[i].Status, action, summary, func(b *tenders.Bid) { b.Results = results }); err != nil {
				return nil, err
			}
		}
	}
	out := &RankOutput{Next: NextAward}
	for _, b := range bids {
		switch b.Status {
		case tenders.BidBelowMin:
			out.Below++
		case tenders.BidAssessed, tenders.BidWon, tenders.BidLost:
			out.Assessed++
		}
	}
	if r.cancelled() && (out.Assessed > 0 || out.Below == 0) {
		// The council cancelled it (not this step, on a run before, for
		// want of a bid above the minimum).
		return nil, errCancelled(r)
	}
	if out.Assessed == 0 {
		out.Next = NextNone
		return out, s.move(ctx, r, tenders.StatusCancelled, ActionNoneAssessed,
			"No bid reached the minimum quality score, so no contract can be awarded.", nil)
	}
	return out, s.move(ctx, r, tenders.StatusAward, ActionAward, "The bids are ranked; the council's lead confirms the winners.", nil)
}

// OpenAwardTask asks the council's lead to confirm the most advantageous
// tender of each lot: the top-ranked, or another with a reason.
func (s *Steps) OpenAwardTask(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	return steps.Result(s.openAwardTask(ctx, in))
}

func (s *Steps) openAwardTask(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	r, err := s.startTask(ctx, in)
	if err != nil {
		return nil, err
	}
	t := s.leadTask(r, tenders.TaskAward, "Confirm the winners", r.due(in, steps.Days(AwardDays)), in.TaskToken)
	return s.openTasks(ctx, r, tenders.Subject(r.t.ID), []string{tenders.TaskAward}, "", t)
}

// NotifyOutput says whether standstill runs, and until when.
type NotifyOutput struct {
	Standstill bool `json:"standstill"`
	// EnterAt is 00:00 UK time on the first day the contract may be
	// entered into, for the Wait state's TimestampPath (now without
	// standstill).
	EnterAt string `json:"enterAt"`
	LastDay string `json:"lastDay,omitempty"`
}

// Notify runs after the award decision (stored by the service): each
// assessed bid moves to won or lost; every assessed bidder's assessment
// summary is stored and its founders told (s.50), before the contract
// award notice (UK6) is published today; then standstill starts when it
// applies (s.51), else the contract may be entered into at once.
func (s *Steps) Notify(ctx context.Context, in Input) (*NotifyOutput, error) {
	return steps.Result(s.notify(ctx, in))
}

func (s *Steps) notify(ctx context.Context, in Input) (*NotifyOutput, error) {
	r, err := s.start(ctx, in)
	if err != nil {
		return nil, err
	}
	if err := s.closeTasks(ctx, r, tenders.Subject(r.t.ID), []string{tenders.TaskAward}, "", nil, "the lead decided"); err != nil {
		return nil, err
	}
	if r.cancelled() {
		return nil, errCancelled(r)
	}
	if r.t.Status == tenders.StatusAward {
		if err := s.announce(ctx, r); err != nil {
			return nil, err
		}
	}
	out := &NotifyOutput{EnterAt: r.at.UTC().Format(time.RFC3339)}
	if r.t.Status == tenders.StatusStandstill && r.t.Period != nil {
		at, err := ukMidnight(r.t.Period.EnterFrom)
		if err != nil {
			return nil, err
		}
		out.Standstill, out.EnterAt, out.LastDay = true, at.UTC().Format(time.RFC3339), r.t.Period.LastDay
	}
	return out, nil
}

// announce moves the bids, sends the summaries and publishes UK6.
func (s *Steps) announce(ctx context.Context, r *run) error {
	if r.t.Award == nil {
		// The service stores the award before it answers; not there yet
		// is a read racing the write, which a retry mends.
		return pathway.Errorf(pathway.ECONFLICT, "The award of tender %s is not stored yet.", r.t.ID)
	}
	bids, err := s.liveBids(ctx, r)
	if err != nil {
		return err
	}
	won := map[string]bool{}
	for _, la := range r.t.Award.Lots {
		won[la.Bid] = true
	}
	for i, b := range bids {
		if b.Status != tenders.BidAssessed {
			continue
		}
		to, action, summary := tenders.BidLost, ActionBidLost, "The bid was not successful."
		if won[b.ID] {
			to, action, summary = tenders.BidWon, ActionBidWon, "The bid won."
		}
		if err := s.moveBid(ctx, r, b, i+1, to, action, summary, nil); err != nil {
			return err
		}
	}
	sentAt := r.at
	if !r.t.Award.SummariesSentAt.IsZero() {
		sentAt = r.t.Award.SummariesSentAt
	}
	sums := tenders.Summaries(r.t, bids, sentAt)
	if err := s.tenders.PutSummaries(ctx, sums); err != nil {
		return err
	}
	for i, sum := range sums {
		if err := s.tellBidder(ctx, r, 100+i, sum); err != nil {
			return err
		}
	}
	today := tenders.Today(r.at)
	var period *tenders.StandstillPeriod
	to, action, summary := tenders.StatusContracting, ActionContracting,
		"The assessment summaries were sent and the contract award notice (UK6) published; no standstill applies, so the contract may be entered into."
	if r.t.Standstill.Applies {
		if period, err = tenders.StandstillPeriodOf(r.t, today, s.calc); err != nil {
			return err
		}
		to, action = tenders.StatusStandstill, ActionStandstill
		summary = fmt.Sprintf("The assessment summaries were sent and the contract award notice (UK6) published; standstill runs until %s, and the contract may be entered into from %s.",
			period.LastDay, period.EnterFrom)
	}
	return s.move(ctx, r, to, action, summary, func(t *tenders.Tender) error {
		aw := *t.Award
		aw.SummariesSentAt = sentAt
		t.Award = &aw
		t.Period = period
		if !slices.ContainsFunc(t.Notices, func(n tenders.Notice) bool { return n.Type == tenders.NoticeAward }) {
			t.Notices = append(slices.Clone(t.Notices), tenders.Notice{Type: tenders.NoticeAward, PublishedOn: today})
		}
		return nil
	})
}

// tellBidder records on the bid that its founders were sent its
// assessment summary, with the email that tells them.
func (s *Steps) tellBidder(ctx context.Context, r *run, n int, sum tenders.AssessmentSummary) error {
	c, err := s.store.GetCoop(ctx, sum.Coop)
	if err != nil {
		return err
	}
	what := "The council decided the tender " + r.t.Title + ". Your bid's assessment summary is ready to read: your scores and the reasons, the winner's scores, and why your bid did or did not win."
	e, err := s.event(r, tenders.BidSubject(sum.Bid), sum.Coop, n, pathway.ActionNotificationSent,
		"We sent the founders the bid's assessment summary.", map[string]string{"to": toFounders})
	if err != nil {
		return err
	}
	notice := pathway.DecisionNotice(c, what)
	notice.Title = pathway.Clip(r.t.Title, 300)
	notice.Path = "/bids/" + sum.Bid + "/summary"
	e.Notices = append(e.Notices, pathway.NewNotice(e.Subject, notice, pathway.ActorSystem, e.At))
	return s.store.AppendEvent(ctx, e)
}

// ChallengeOutput says whether an open challenge holds the contract back.
type ChallengeOutput struct {
	Challenged bool `json:"challenged"`
}

// EndStandstill runs on the first day the contract may be entered into:
// an open challenge keeps the tender in standstill; else it moves to
// contracting.
func (s *Steps) EndStandstill(ctx context.Context, in Input) (*ChallengeOutput, error) {
	return steps.Result(s.endStandstill(ctx, in))
}

func (s *Steps) endStandstill(ctx context.Context, in Input) (*ChallengeOutput, error) {
	r, err := s.start(ctx, in)
	if err != nil {
		return nil, err
	}
	if r.cancelled() {
		return nil, errCancelled(r)
	}
	if r.t.Status != tenders.StatusStandstill {
		return &ChallengeOutput{}, nil
	}
	if openChallenges(r.t) > 0 {
		return &ChallengeOutput{Challenged: true}, nil
	}
	return &ChallengeOutput{}, s.move(ctx, r, tenders.StatusContracting, ActionContracting,
		"Standstill is over with no challenge open; the contract may be entered into.", nil)
}

// openChallenges counts the challenges with no outcome yet.
func openChallenges(t *tenders.Tender) int {
	n := 0
	for _, c := range t.Challenges {
		if c.Status == tenders.ChallengeOpen {
			n++
		}
	}
	return n
}

// OpenChallengeWait waits for the outcome of the open challenges: a
// machine-only task (TaskWaitChallenge, in nobody's inbox) whose token the
// service answers when it records the last open challenge's outcome.
// With none open (recorded meanwhile) it is ErrNoChallenge.
func (s *Steps) OpenChallengeWait(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	return steps.Result(s.openChallengeWait(ctx, in))
}

func (s *Steps) openChallengeWait(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	r, err := s.startTask(ctx, in)
	if err != nil {
		return nil, err
	}
	if openChallenges(r.t) == 0 {
		return nil, messages.InvokeResponse_Error{Type: ErrNoChallenge, Message: "No challenge to tender " + r.t.ID + " is open."}
	}
	w := s.newTask(r, tenders.Subject(r.t.ID), "", in.TaskToken, pathway.Task{Kind: TaskWaitChallenge,
		Role: pathway.RoleCommissionerLead, Title: challengeWaitTitle, Due: r.at.Add(steps.Days(WaitPollDays))})
	return s.openTasks(ctx, r, tenders.Subject(r.t.ID), []string{TaskWaitChallenge}, "", w)
}

// OpenContractTask asks the council's lead to record the contract
// entered into.
func (s *Steps) OpenContractTask(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	return steps.Result(s.openContractTask(ctx, in))
}

func (s *Steps) openContractTask(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	r, err := s.startTask(ctx, in)
	if err != nil {
		return nil, err
	}
	if err := s.closeTasks(ctx, r, tenders.Subject(r.t.ID), []string{TaskWaitChallenge}, "", nil, "standstill is over"); err != nil {
		return nil, err
	}
	t := s.leadTask(r, tenders.TaskContractEntry, "Record the contract entered into", r.due(in, steps.Days(ContractDays)), in.TaskToken)
	return s.openTasks(ctx, r, tenders.Subject(r.t.ID), []string{tenders.TaskContractEntry}, "", t)
}

// ContractInput carries the lead's record of the contract.
type ContractInput struct {
	Input
	Answer tenders.ContractAnswer `json:"answer"`
}

// ContractOutput is when the contract details notice (UK7) is due.
type ContractOutput struct {
	NoticeDue string `json:"noticeDue"`
}

// RecordContract closes the contract task, makes sure the contract is
// stored (the service stores it first), moves each winning co-op to
// contracted with its event, and the tender to contracted with the
// contract details notice (UK7) due (tenders.ContractNoticeDue).
func (s *Steps) RecordContract(ctx context.Context, in ContractInput) (*ContractOutput, error) {
	return steps.Result(s.recordContract(ctx, in))
}

func (s *Steps) recordContract(ctx context.Context, in ContractInput) (*ContractOutput, error) {
	r, err := s.start(ctx, in.Input)
	if err != nil {
		return nil, err
	}
	if err := s.closeTasks(ctx, r, tenders.Subject(r.t.ID), []string{tenders.TaskContractEntry}, "", nil, "the contract was recorded"); err != nil {
		return nil, err
	}
	if r.t.Award == nil {
		return nil, pathway.Errorf(pathway.EINVALID, "The tender %s has no award.", r.t.ID)
	}
	contract := r.t.Contract
	if contract == nil {
		contract = contractOf(r.t, &in.Answer)
	}
	if contract.SignedOn == "" {
		return nil, pathway.Invalid(map[string]string{"answer.signedOn": "Enter the day the contract was signed"})
	}
	for i, la := range r.t.Award.Lots {
		if err := s.contractCoop(ctx, r, 10+i, la.Coop); err != nil {
			return nil, err
		}
	}
	due := tenders.ContractNoticeDue(r.t, contract.SignedOn)
	err = s.move(ctx, r, tenders.StatusContracted, ActionContracted,
		"The contract was entered into on "+contract.SignedOn+"; the contract details notice (UK7) is due by "+due+".",
		func(t *tenders.Tender) error {
			c := *contract
			c.NoticeDue = due
			t.Contract = &c
			if !slices.ContainsFunc(t.Notices, func(n tenders.Notice) bool { return n.Type == tenders.NoticeContractDetails }) {
				t.Notices = append(slices.Clone(t.Notices), tenders.Notice{Type: tenders.NoticeContractDetails, Due: due})
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	if r.t.Contract != nil && r.t.Contract.NoticeDue != "" {
		due = r.t.Contract.NoticeDue
	}
	return &ContractOutput{NoticeDue: due}, nil
}

// contractOf builds the contract from the lead's answer and the award.
func contractOf(t *tenders.Tender, a *tenders.ContractAnswer) *tenders.Contract {
	c := &tenders.Contract{SignedOn: a.SignedOn, Start: a.Start, End: a.End}
	for _, l := range a.Lots {
		cl := tenders.ContractLot{Lot: l.Lot, Value: l.Value}
		for _, la := range t.Award.Lots {
			if la.Lot == l.Lot {
				cl.Coop, cl.Bid = la.Coop, la.Bid
			}
		}
		c.Lots = append(c.Lots, cl)
	}
	return c
}

// contractCoop moves a winning co-op's journey to contracted with the
// co-op's event, unless it is there already. A co-op the stage table
// does not let move (its journey ended meanwhile) is noted on the tender.
func (s *Steps) contractCoop(ctx context.Context, r *run, n int, id string) error {
	c, err := s.store.GetCoop(ctx, id)
	if err != nil {
		return err
	}
	if c.Stage == pathway.StageContracted {
		return nil
	}
	e, err := s.event(r, pathway.Subject{Kind: pathway.SubjectCoop, ID: c.ID}, c.ID, n, ActionCoopContracted,
		"The co-op entered into a contract with the council: "+r.t.Title+".", map[string]string{"tender": r.t.ID})
	if err != nil {
		return err
	}
	from := c.Stage
	if err := pathway.Move(c, pathway.StageContracted, e.At); err != nil {
		return s.record(ctx, r, n, ActionContracted, "The co-op "+c.Name+" could not move to contracted: "+pathway.ErrorMessage(err), map[string]string{"coop": c.ID})
	}
	e.From, e.To = from, pathway.StageContracted
	return s.store.UpdateCoop(ctx, c, e)
}

// OpenNoticeTask asks the council's lead to publish the contract details
// notice (UK7), due on the day tenders.ContractNoticeDue gives.
func (s *Steps) OpenNoticeTask(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	return steps.Result(s.openNoticeTask(ctx, in))
}

func (s *Steps) openNoticeTask(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	r, err := s.startTask(ctx, in)
	if err != nil {
		return nil, err
	}
	if r.t.Contract == nil || r.t.Contract.NoticeDue == "" {
		return nil, pathway.Errorf(pathway.EINVALID, "The tender %s has no contract recorded.", r.t.ID)
	}
	day, err := ukMidnight(r.t.Contract.NoticeDue)
	if err != nil {
		return nil, err
	}
	// Due by the end of its last day, UK time.
	due := day.AddDate(0, 0, 1).Add(-time.Minute)
	t := s.leadTask(r, tenders.TaskContractNotice, "Publish the contract details notice (UK7)", due, in.TaskToken)
	return s.openTasks(ctx, r, tenders.Subject(r.t.ID), []string{tenders.TaskContractNotice}, "", t)
}

// NoticeInput carries the lead's record of the UK7 notice.
type NoticeInput struct {
	Input
	Answer tenders.NoticeAnswer `json:"answer"`
}

// RecordNotice closes the notice task and makes sure the contract details
// notice is recorded as published (the service records it first).
func (s *Steps) RecordNotice(ctx context.Context, in NoticeInput) (*OutcomeOutput, error) {
	return steps.Result(s.recordNotice(ctx, in))
}

func (s *Steps) recordNotice(ctx context.Context, in NoticeInput) (*OutcomeOutput, error) {
	r, err := s.start(ctx, in.Input)
	if err != nil {
		return nil, err
	}
	if err := s.closeTasks(ctx, r, tenders.Subject(r.t.ID), []string{tenders.TaskContractNotice}, "", nil, "the notice was published"); err != nil {
		return nil, err
	}
	i := slices.IndexFunc(r.t.Notices, func(n tenders.Notice) bool { return n.Type == tenders.NoticeContractDetails })
	if i >= 0 && r.t.Notices[i].PublishedOn != "" {
		return &OutcomeOutput{Outcome: "published"}, nil
	}
	if in.Answer.PublishedOn == "" {
		return nil, pathway.Invalid(map[string]string{"answer.publishedOn": "Enter the day the notice was published"})
	}
	e, err := s.event(r, tenders.Subject(r.t.ID), "", 0, ActionNoticePublished,
		"The contract details notice (UK7) was published on "+in.Answer.PublishedOn+".", map[string]string{"notice": tenders.NoticeContractDetails})
	if err != nil {
		return nil, err
	}
	next := *r.t
	next.Notices = slices.Clone(r.t.Notices)
	if i >= 0 {
		next.Notices[i].PublishedOn = in.Answer.PublishedOn
	} else {
		next.Notices = append(next.Notices, tenders.Notice{Type: tenders.NoticeContractDetails, PublishedOn: in.Answer.PublishedOn})
	}
	return &OutcomeOutput{Outcome: "published"}, s.tenders.UpdateTender(ctx, &next, e)
}
