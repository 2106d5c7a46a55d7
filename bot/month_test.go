package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// evalTally is a held tally.
func evalTally(head, present, late, oop, excused, absent int) apel.Tally {
	return apel.Tally{Held: true, Headcount: head, Present: present, Late: late, OutOfPlace: oop, Excused: excused, Absent: absent}
}

// fixtureEvaluation is November 2026 in the test pemda: two OPDs, one of
// them (DINKES) below the threshold, over three dates in two ISO weeks.
func fixtureEvaluation() apel.Evaluation {
	nov := func(d int) apel.Date { return apel.Date{Year: 2026, Month: time.November, Day: d} }
	kominfo, dinkes := evalTally(24, 22, 3, 1, 0, 2), evalTally(18, 12, 1, 0, 2, 4)
	total := kominfo.Add(dinkes)
	d1, d2, d3 := evalTally(14, 13, 1, 0, 0, 1), evalTally(14, 12, 2, 1, 1, 1), evalTally(14, 11, 1, 0, 1, 2)
	return apel.Evaluation{
		Pemda: "Kota <Jayapura>", From: nov(1), To: nov(30), Threshold: 0.85, Headcount: 7,
		Total: total, Pagi: evalTally(21, 18, 3, 1, 1, 2), Sore: evalTally(21, 18, 1, 0, 1, 2),
		Modes: []apel.ModeEval{
			{Mode: apel.WFO, Tally: evalTally(28, 25, 2, 0, 0, 3)},
			{Mode: apel.WFH, Tally: evalTally(10, 8, 1, 1, 0, 1)},
			{Mode: apel.WFA, Tally: apel.Tally{}},
		},
		OPDs: []apel.OPDEval{
			{OPD: apel.OPD{Code: "DISKOMINFO", Name: "Dinas Komunikasi dan Informatika"}, Headcount: 4, Days: 3, Total: kominfo,
				Activity: apel.ActivityTally{Due: 4, Reported: 3}},
			{OPD: apel.OPD{Code: "DINKES", Name: "Dinas Kesehatan", DirectService: true}, Headcount: 3, Days: 3, Total: dinkes, Below: true},
		},
		Weeks: []apel.WeekEval{
			{Year: 2026, Week: 48, From: nov(23), To: nov(29), Days: 2, Total: d1.Add(d2)},
			{Year: 2026, Week: 49, From: nov(30), To: nov(30), Days: 1, Total: d3},
		},
		Days: []apel.DayEval{
			{Date: nov(23), Total: d1}, {Date: nov(24), Total: d2, Activity: apel.ActivityTally{Due: 4, Reported: 3}}, {Date: nov(30), Total: d3},
		},
		Excuses:  apel.ExcuseCount{Sakit: 1, Cuti: 1},
		Activity: apel.ActivityTally{Due: 4, Reported: 3},
		Requests: apel.RequestUse{Approved: 2, InForce: 3, QuotaDays: 12, OffSite: 9},
	}
}

func TestRenderEvaluationGolden(t *testing.T) {
	t.Parallel()
	cat := loadCatalog(t)
	for _, lang := range []string{"id", "en"} {
		golden(t, "month."+lang, RenderEvaluation(cat.Printer(lang), "BKPSDM Kota Jayapura", fixtureEvaluation()))
	}
}

func TestRenderEvaluationEdges(t *testing.T) {
	t.Parallel()
	p := loadCatalog(t).Printer("id")
	e := fixtureEvaluation()
	e.OPDs[1].Below = false
	got := RenderEvaluation(p, "", e)
	if !strings.Contains(got, "✅ Tidak ada OPD di bawah ambang 85,0%.") || strings.Contains(got, "⚠️") {
		t.Errorf("nobody below the threshold:\n%s", got)
	}
	if !strings.Contains(got, "Kota &lt;Jayapura&gt;\n") {
		t.Errorf("the pemda's name is not escaped, or a BKPSDM is shown without one:\n%s", got)
	}
	empty := apel.Evaluation{Pemda: "Kota Batu", From: apel.Date{Year: 2026, Month: time.March, Day: 1}, To: apel.Date{Year: 2026, Month: time.March, Day: 15},
		OPDs: []apel.OPDEval{{OPD: apel.OPD{Code: "DISHUB"}}}, Modes: []apel.ModeEval{{Mode: apel.WFO}}}
	got = RenderEvaluation(p, "", empty)
	for _, want := range []string{"1–15 Maret 2026 · 0 hari apel", "\ntidak ada apel\n", "1. DISHUB — tidak ada apel", "WFO: tidak ada apel"} {
		if !strings.Contains(got, want) {
			t.Errorf("an evaluation without apel lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "%!") {
		t.Errorf("formatting error:\n%s", got)
	}
}
