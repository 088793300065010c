package pages_test

import (
	stdhtml "html"
	"regexp"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// The words people read: terms explained where they first appear, the
// reader's own wording, what was decided, and one count.

// mainOf returns the page's main content, so the layout's words do not count.
func mainOf(body string) string {
	_, after, _ := strings.Cut(body, "<main")
	before, _, _ := strings.Cut(after, "</main>")
	return before
}

// textOf strips the tags of an HTML fragment, so a sentence reads whole
// across its links.
func textOf(html string) string {
	return strings.Join(strings.Fields(stdhtml.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(html, " "))), " ")
}

func TestFoundersAndStaffReadTheirOwnWords(t *testing.T) {
	v := newEnv(t)
	id := v.apply("Calder Valley Care Co-op")
	v.accept(id)
	founder := mainOf(v.visit(founderID).get("/coops/" + id).body)
	staff := mainOf(v.visit(officerID).get("/coops/" + id).body)
	if !strings.Contains(textOf(founder), "Work through your CQC checklist") || strings.Contains(textOf(founder), "is working through its") {
		t.Errorf("the founder does not read the founders' words:\n%s", textOf(founder))
	}
	if !strings.Contains(textOf(staff), "Calder Valley Care Co-op is working through its CQC checklist") || strings.Contains(textOf(staff), "Work through your") {
		t.Errorf("staff do not read the staff's words:\n%s", textOf(staff))
	}
	// A name is never glossed: "Co-op" in the co-op's name is no term.
	if strings.Contains(staff, `Calder Valley Care <a`) {
		t.Errorf("the co-op's name is glossed:\n%s", staff)
	}
	if !strings.Contains(textOf(staff), "The founders' application") || strings.Contains(textOf(staff), "Your application") {
		t.Errorf("staff read the founders' task list words:\n%s", textOf(staff))
	}
	// "Next" is a link to the item to do next.
	if !regexp.MustCompile(`Next: <a href="/coops/` + id + `/items/[A-Z0-9-]+">`).MatchString(founder) {
		t.Errorf("Next is not a link to the next item:\n%s", founder)
	}
	// The panel's notes, given on accepting, are shown to the founders.
	if !strings.Contains(textOf(founder), "The panel's notes for you: Strong founding group.") {
		t.Errorf("the founder does not see the panel's notes:\n%s", textOf(founder))
	}
}

func TestOneProgressCountEverywhere(t *testing.T) {
	v := newEnv(t)
	id := v.apply("Hebden Home Care Co-op")
	v.accept(id)
	items := v.items(id)
	v.markDone(id, items[0].ID)
	v.verify(id, items[0].ID, journey.VerifyAccepted, "")
	p := pathway.ChecklistProgress(v.items(id))
	want := pathway.ProgressText(p.RequiredVerified, p.Required)
	f := v.visit(founderID)
	coop := textOf(mainOf(f.get("/coops/" + id).body))
	for _, page := range []string{coop, textOf(mainOf(v.visit(officerID).get("/coops/" + id).body))} {
		if !strings.Contains(page, want) {
			t.Errorf("the co-op page does not say %q:\n%s", want, page)
		}
		// The counts that disagreed are gone: items of all kinds, sections.
		if m := regexp.MustCompile(`\d+ of \d+ (items verified|sections)`).FindString(page); m != "" {
			t.Errorf("the co-op page still counts %q", m)
		}
	}
	group := textOf(mainOf(f.get("/coops/" + id + "/checklist/" + items[0].Group).body))
	if !regexp.MustCompile(`\d+ of \d+ required items verified`).MatchString(group) {
		t.Errorf("the group page does not count required items verified:\n%s", group)
	}
}

func TestDecisionBannerSaysWhatWasDecided(t *testing.T) {
	v := newEnv(t)
	id := v.apply("Todmorden Support Co-op")
	a := v.visit(officerID)
	task := v.task(id, pathway.TaskPanelDecision, user(officerID))
	res := a.post("/tasks/"+task.ID, map[string][]string{"outcome": {"decline"}, "notes": {"The business plan is not ready yet."}})
	body := textOf(mainOf(res.body))
	if res.status != 200 || !strings.Contains(body, "Decision recorded: the panel declined the application.") || strings.Contains(body, "Thank you") {
		t.Errorf("the banner after the decision = %d:\n%s", res.status, body)
	}
}

func TestEndedJourneysSayWhy(t *testing.T) {
	v := newEnv(t)
	declined := v.apply("Luddenden Care Co-op")
	v.decide(declined, pathway.TaskPanelDecision, officerID, &journey.PanelAnswer{Outcome: "decline", Notes: "The business plan is not ready yet."})
	v.waitStage(declined, pathway.StageDeclined)

	app := application("Mytholm Care Co-op")
	app.Members = app.Members[:1] // the programme needs two founders
	cv, err := v.journey.Apply(v.ctx, user(founderID), journey.CoopID(founderID, app.Name), app)
	v.must(err)
	ineligible := cv.ID
	v.waitStage(ineligible, pathway.StageIneligible)

	for _, c := range []struct{ id, why string }{
		{declined, "The business plan is not ready yet."},
		{ineligible, "founding members"},
	} {
		for _, who := range []string{founderID, officerID} {
			page := textOf(mainOf(v.visit(who).get("/coops/" + c.id).body))
			if !strings.Contains(page, "journey") || !strings.Contains(page, "has ended") || !strings.Contains(page, c.why) {
				t.Errorf("%s sees no end of the journey and why (%q) on %s:\n%s", who, c.why, c.id, page)
			}
			if strings.Contains(page, "Cannot start yet") {
				t.Errorf("%s still reads \"Cannot start yet\" on an ended journey:\n%s", who, page)
			}
		}
	}
}

func TestHistoryReadsOneSentencePerHappening(t *testing.T) {
	v := newEnv(t)
	id := v.apply("Ryburn Care Co-op")
	v.accept(id)
	page := mainOf(v.visit(founderID).get("/coops/" + id + "/history").body)
	text := textOf(page)
	// One answer to the panel task: the panel's decision, told once.
	if n := strings.Count(text, "accepted the co-op onto the programme"); n != 1 {
		t.Errorf("the panel's acceptance reads %d times, want once:\n%s", n, text)
	}
	if strings.Contains(text, "answered") || strings.Contains(text, "We told") {
		t.Errorf("the history repeats a happening as a log line:\n%s", text)
	}
	if !strings.Contains(text, "The panel's notes: Strong founding group.") {
		t.Errorf("the history does not give the panel's notes:\n%s", text)
	}
	// Every cell says which column it belongs to, for stacked rows.
	if strings.Contains(page, "<td>") {
		t.Errorf("a history cell has no data-label:\n%s", page)
	}
}

func TestTermsAreExplainedWhereTheyFirstAppear(t *testing.T) {
	v := newEnv(t)
	id := v.apply("Calder Valley Care Co-op")
	v.accept(id)
	f := v.visit(founderID)
	// The registered manager's item names every DBS term.
	item := mainOf(f.get("/coops/" + id + "/items/" + pathway.ItemManager).body)
	for _, term := range []string{"cqc", "registered-manager", "countersigned", "dbs", "adult-barred-list"} {
		if n := strings.Count(item, `href="/glossary#`+term+`"`); n != 1 {
			t.Errorf("the item page links %q to the glossary %d times, want once (where it first appears)", term, n)
		}
	}
	// The citation is in "Why we ask", not in the guidance; the DBS pages are linked.
	why := regexp.MustCompile(`(?s)<details class="details">\s*<summary class="details__summary">Why we ask</summary>(.*?)</details>`).FindStringSubmatch(item)
	if why == nil || !strings.Contains(why[1], "Reg 7") {
		t.Errorf("no \"Why we ask\" with the regulation:\n%s", item)
	}
	if guidance, _, _ := strings.Cut(item, "Why we ask"); strings.Contains(guidance, "Reg 7") {
		t.Errorf("the guidance still cites the regulation")
	}
	if !strings.Contains(item, `href="`+pathway.LinkDBS.URL+`"`) {
		t.Errorf("the registered manager's item does not link to GOV.UK's DBS pages")
	}
	// Later uses on the same page are plain words.
	if strings.Count(textOf(item), "CQC") < 2 {
		t.Fatalf("the page says CQC once only; the test proves nothing")
	}
	// The glossary is public and explains each term.
	g := v.visit("").get("/glossary")
	if g.status != 200 || g.path != "/glossary" {
		t.Fatalf("GET /glossary signed out = %d at %s", g.status, g.path)
	}
	for _, term := range []string{"cqc", "dbs", "fca", "adult-barred-list", "countersigned", "nominated-individual", "regulated-activity",
		"fit-and-proper-person", "statement-of-purpose", "asset-lock", "co-op", "council", "registered-manager"} {
		if !strings.Contains(g.body, `id="`+term+`"`) {
			t.Errorf("the glossary has no entry %q", term)
		}
	}
	// The application form explains FCA and asset lock where they appear.
	about := mainOf(f.get("/apply/about").body)
	for _, term := range []string{"FCA (Financial Conduct Authority)", "Asset lock", "Council (local authority)"} {
		if !strings.Contains(about, term) {
			t.Errorf("the about step does not explain %q", term)
		}
	}
}

func TestTheCQCStepLinksToTheProviderPortal(t *testing.T) {
	v := newEnv(t)
	id := v.apply("Todmorden Support Co-op")
	v.accept(id)
	v.completeChecklist(id)
	sub := v.task(id, pathway.TaskCQCSubmission, user(founderID))
	page := mainOf(v.visit(founderID).get("/tasks/" + sub.ID).body)
	if !strings.Contains(page, `href="`+pathway.LinkProviderPortal.URL+`"`) {
		t.Errorf("the CQC submission step does not link to the provider portal:\n%s", page)
	}
	gate := mainOf(v.visit(founderID).get("/coops/" + id + "/items/" + pathway.ItemSubmissionGate).body)
	if !strings.Contains(gate, `href="`+pathway.LinkProviderPortal.URL+`"`) {
		t.Errorf("the last check before CQC does not link to the provider portal")
	}
}
