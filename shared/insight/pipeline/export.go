package pipeline

import (
	"context"
	"io"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/insight"
	"github.com/coopcarepathway/pathway/shared/insight/csvout"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
)

// exportPage is how many co-ops the export reads at a time: memory holds
// one page, whatever the number of rows.
const exportPage = table.MaxLimit

// Columns are the export's column titles, in plain English.
var Columns = []string{
	"Co-op", "Co-op ID", "Programme", "Council area", "Services", "How it started", "Legal form",
	"Applied on", "Cohort (month applied)", "Stage", "In stage since", "Days in stage",
	"Waiting on", "Overdue", "Grants awarded (£)", "Grants paid (£)", "Contracts won",
	"Contract value (£)", "Worker members", "Service user members", "Family carer members",
	"Community members", "Supporter members", "Paid jobs", "Hours of care a week",
}

// memberClasses are the membership classes in the columns' order.
var memberClasses = []string{pathway.ClassWorker, pathway.ClassServiceUser, pathway.ClassFamilyCarer, pathway.ClassCommunity, pathway.ClassSupporter}

// Export writes the co-ops of a filter to w as CSV (RFC 4180, UTF-8 with
// a byte-order mark, CRLF), one row each, by programme then name. It reads
// a page of facts at a time and writes it out before the next, so memory
// does not grow with the rows. An error before the first row is returned
// before anything is written, so the caller can still answer with it.
func (s *Service) Export(ctx context.Context, u *pathway.User, f Filter, w io.Writer) error {
	agency, progs, err := s.agencyOf(ctx, u)
	if err != nil {
		return err
	}
	if f, err = Check(f, progs); err != nil {
		return err
	}
	names := map[string]string{}
	for _, p := range progs {
		names[p.ID] = p.Name
	}
	q := insight.ListQuery{Index: table.IndexGSI1, PK: RowsPK(agency), Limit: exportPage}
	if f.Programme != "" {
		q.Prefix = f.Programme + "#"
	}
	page, err := s.reader.List(ctx, q)
	if err != nil {
		return err
	}
	now := s.now()
	out := csvout.NewWriter(w)
	if err := out.WriteHeader(Columns...); err != nil {
		return err
	}
	for {
		for _, raw := range page.Facts {
			fa, err := decode(raw)
			if err != nil {
				return err
			}
			if !fa.matches(f) {
				continue
			}
			if err := out.Write(csvRow(fa.atNow(now), names)...); err != nil {
				return err
			}
		}
		if page.Next == "" {
			return out.Flush()
		}
		q.Cursor = page.Next
		if page, err = s.reader.List(ctx, q); err != nil {
			return err
		}
	}
}

// csvRow writes one co-op's cells.
func csvRow(r Row, programmes map[string]string) []csvout.Cell {
	prog := programmes[r.Programme]
	if prog == "" {
		prog = r.Programme
	}
	services := make([]string, len(r.Services))
	for i, s := range r.Services {
		services[i] = pathway.TermName(pathway.Services, s)
	}
	overdue := "No"
	if r.Overdue {
		overdue = "Yes"
	}
	cells := []csvout.Cell{
		csvout.Text(r.Name), csvout.Text(r.ID), csvout.Text(prog), csvout.Text(r.Area),
		csvout.Text(strings.Join(services, "; ")), csvout.Text(pathway.TermName(pathway.Origins, r.Origin)),
		csvout.Text(pathway.TermName(pathway.LegalForms, r.LegalForm)),
		ukDate(r.AppliedAt), csvout.Text(r.Cohort), csvout.Text(StageName(r.Stage)), ukDate(r.StageEnteredAt),
		csvout.Int(int64(r.DaysInStage)), csvout.Text(waitingWords(r.WaitingOn)), csvout.Text(overdue),
		csvout.Money(r.GrantsAwarded), csvout.Money(r.GrantsPaid), csvout.Int(r.Contracts), csvout.Money(r.ContractValue),
	}
	for _, c := range memberClasses {
		cells = append(cells, csvout.Int(int64(r.MembersByClass[c])))
	}
	return append(cells, csvout.Int(int64(r.PaidJobs)), csvout.Int(int64(r.CareHoursPerWeek)))
}

// ukDate writes a day as people in the UK write it, dd/mm/yyyy, in UK
// time; empty for none.
func ukDate(t time.Time) csvout.Cell {
	if t.IsZero() {
		return csvout.Text("")
	}
	return csvout.Text(t.In(pathway.UKTime).Format("02/01/2006"))
}

// waitingWords says whom a co-op waits on.
func waitingWords(owner string) string {
	switch owner {
	case OwnerAgency:
		return "The agency"
	case OwnerFounders:
		return "The founders"
	}
	return ""
}
