package bot

import (
	"context"
	"strings"

	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/export"
	"github.com/apelbot/apelbot/locales"
)

// The flags in the head's and BKPSDM's views: /rekap, the session summary
// and the daily report show the flagged check-ins with short flag names
// and their review status; /bukti shows the full evidence.

// reviewStatus is the short review status of a flagged check-in.
func reviewStatus(p locales.Printer, r *apel.Review) string {
	if r == nil {
		return p.T("flags.status.pending")
	}
	return p.T("flags.status." + string(r.Decision))
}

// rekapFlags is the flags section of the head's /rekap of a day: the
// flagged check-ins of opd, "" when there are none.
func rekapFlags(p locales.Printer, opd apel.OPD, day apel.Day) string {
	r := apel.DailyReport{OPDs: []apel.OPDDay{{OPD: opd}}}.WithFlags(day)
	if r.Flags.Flagged == 0 {
		return ""
	}
	var sb strings.Builder
	sb.WriteString("\n\n" + p.T("rekap.flags", r.Flags.Flagged, r.Flags.Open()))
	for _, l := range r.Flagged {
		sb.WriteString("\n" + p.T("flags.line", esc(l.Employee.Name), p.T("session."+string(l.Kind)), export.FlagNames(p, l.Flags), reviewStatus(p, l.Review)))
	}
	return sb.String()
}

// summaryFlags is the flags line of a session's summary for its head, ""
// when none of its check-ins is flagged (or the flags cannot be read: the
// summary goes anyway).
func (b *Bot) summaryFlags(ctx context.Context, p locales.Printer, sum apel.Summary) string {
	all, err := b.cfg.Store.FlaggedOn(ctx, sum.Session.Date)
	if err != nil {
		zerolog.Ctx(ctx).Error().Err(err).Msg("flags of the summary")
		return ""
	}
	n := 0
	for _, f := range all {
		if f.CheckIn.SessionID == sum.Session.ID {
			n++
		}
	}
	if n == 0 {
		return ""
	}
	return "\n\n" + p.T("summary.flags", n)
}

// maxReportFlags is how many flagged check-ins the daily report's message
// lists: a pemda-wide list can run to thousands, and the report must stay
// a message BKPSDM can forward; the XLSX sheet "Tanda" and the PDF have
// them all, and heads see their OPD's with /tanda.
const maxReportFlags = 30

// reportFlags is the flags part of the daily report: the pemda's count,
// then the list; "" when nothing was flagged.
func reportFlags(p locales.Printer, r apel.DailyReport) string {
	if r.Flags.Flagged == 0 {
		return ""
	}
	var sb strings.Builder
	sb.WriteString("\n\n" + p.T("report.flags_title"))
	sb.WriteString("\n" + flagTallyText(p, r.Flags))
	for i, l := range r.Flagged {
		if i == maxReportFlags {
			sb.WriteString("\n" + p.T("report.flags_more", len(r.Flagged)-i))
			break
		}
		sb.WriteString("\n" + p.T("report.flags_line", i+1, esc(l.OPD.Code), esc(l.Employee.Name), esc(l.Employee.NIP),
			p.T("session."+string(l.Kind)), export.FlagNames(p, l.Flags), reviewStatus(p, l.Review)))
	}
	return sb.String()
}

// flagTallyText is a flag tally in one line.
func flagTallyText(p locales.Printer, t apel.FlagTally) string {
	return p.T("report.flags", t.Flagged, t.Accepted, t.Rejected, t.Open())
}
