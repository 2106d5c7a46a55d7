package bot

import (
	"context"
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/locales"
)

// evidence handles /bukti [NIP] [tanggal]: the evidence of a person's
// check-ins of a date (today by default; the sender's own without a NIP).
// Evidence is shown only to the person, the head of their OPD and BKPSDM
// (apel.CanSeeEvidence); everyone else gets a polite refusal that does not
// tell whether the NIP exists.
func (b *Bot) evidence(ctx context.Context, viewer apel.Employee, cmd command) {
	p := b.printerFor(viewer)
	today := apel.DateOf(b.cfg.Now(), b.cfg.Policy.Location)
	subject, d := viewer, today
	nip := ""
	for _, a := range cmd.Args {
		if looksLikeNIP(a) {
			nip = apel.NormalizeNIP(a)
			continue
		}
		dd, err := parseDay(a, today)
		if err != nil {
			b.sendText(ctx, viewer.TelegramID, p.T("evidence.usage"), nil)
			return
		}
		d = dd
	}
	if nip != "" && nip != viewer.NIP {
		e, err := b.cfg.Store.EmployeeByNIP(ctx, nip)
		switch {
		case errors.Is(err, apel.ErrNotFound):
			if viewer.Role == apel.RoleStaff {
				b.sendText(ctx, viewer.TelegramID, p.T("evidence.not_allowed"), nil)
			} else {
				b.sendText(ctx, viewer.TelegramID, p.T("reason.unknown_nip"), nil)
			}
			return
		case err != nil:
			b.fail(ctx, viewer.TelegramID, viewer.Lang, err)
			return
		}
		subject = e
	}
	if !apel.CanSeeEvidence(viewer, subject) {
		b.sendText(ctx, viewer.TelegramID, p.T("evidence.not_allowed"), nil)
		return
	}
	text, err := b.renderEvidenceDay(ctx, p, viewer, subject, d)
	if err != nil {
		b.fail(ctx, viewer.TelegramID, viewer.Lang, err)
		return
	}
	b.sendText(ctx, viewer.TelegramID, text, nil)
}

// renderEvidenceDay renders the evidence of subject's check-ins of d.
func (b *Bot) renderEvidenceDay(ctx context.Context, p locales.Printer, viewer, subject apel.Employee, d apel.Date) (string, error) {
	cs, err := b.cfg.Store.CheckInsOfEmployee(ctx, subject.ID, subject.OPD, d)
	if err != nil {
		return "", err
	}
	var sb strings.Builder
	sb.WriteString(p.T("evidence.title", esc(subject.Name), esc(subject.NIP), p.Date(b.dateAt(d))))
	if len(cs) == 0 {
		sb.WriteString("\n\n" + p.T("evidence.none"))
		return sb.String(), nil
	}
	for _, c := range cs {
		ev, err := b.cfg.Store.Evidence(ctx, c.ID)
		if err != nil {
			return "", err
		}
		s, err := b.cfg.Store.Session(ctx, c.SessionID)
		if err != nil {
			return "", err
		}
		sb.WriteString("\n\n" + b.renderEvidence(ctx, p, viewer, s, ev))
	}
	return sb.String(), nil
}

// renderEvidence renders one check-in's evidence.
func (b *Bot) renderEvidence(ctx context.Context, p locales.Printer, viewer apel.Employee, s apel.Session, ev apel.Evidence) string {
	loc := b.cfg.Policy.Location
	c := ev.CheckIn
	lines := []string{
		p.T("evidence.session", p.T("session."+string(s.Kind)), c.ID),
		p.T("evidence.sent_at", p.Time(c.Fix.At.In(loc))),
		p.T("evidence.recorded_at", p.Time(c.RecordedAt.In(loc))),
		p.T("evidence.coordinates", strconv.FormatFloat(c.Fix.Lat, 'f', 6, 64), strconv.FormatFloat(c.Fix.Lon, 'f', 6, 64), accuracyText(p, c.Fix.Accuracy)),
	}
	switch {
	case c.Place == apel.PlaceAnywhere:
		lines = append(lines, p.T("evidence.distance_anywhere"))
	case c.InPlace:
		lines = append(lines, p.T("evidence.distance_in", p.T("place."+string(c.Place)), int(math.Round(c.Distance)), int(b.cfg.Policy.RadiusM)))
	default:
		lines = append(lines, p.T("evidence.distance_out", p.T("place."+string(c.Place)), int(math.Round(c.Distance)), int(b.cfg.Policy.RadiusM)))
	}
	if c.Late {
		lines = append(lines, p.T("checkin.late", int(c.LateBy.Minutes())))
	} else {
		lines = append(lines, p.T("checkin.on_time"))
	}
	if c.Fix.Live {
		sum := apel.SummarizeTrail(ev.Trail)
		lines = append(lines, p.T("evidence.live"),
			p.T("evidence.trail", sum.Points, int(sum.Span.Minutes()), int(math.Round(sum.MaxDrift)), accuracyText(p, sum.BestAcc)))
	} else {
		lines = append(lines, p.T("evidence.static"))
	}
	rule := p.T("mode_reason." + string(c.ModeReason))
	if ev.ModeRef != "" {
		rule += " (" + esc(ev.ModeRef) + ")"
	}
	lines = append(lines, p.T("evidence.mode", modeName(p, c.Mode), rule))
	if len(ev.Flags) == 0 {
		lines = append(lines, p.T("evidence.no_flags"))
	} else {
		for _, f := range ev.Flags {
			lines = append(lines, "⚑ "+b.flagText(ctx, p, viewer, f))
		}
		lines = append(lines, b.reviewText(ctx, p, ev.Review))
	}
	return strings.Join(lines, "\n")
}

// accuracyText is "±12 m", or "accuracy unknown" when the client gave
// none.
func accuracyText(p locales.Printer, acc float64) string {
	if !(acc > 0) {
		return p.T("evidence.accuracy_unknown")
	}
	return p.T("evidence.accuracy", int(math.Round(acc)))
}

// flagText describes one flag. The other person of shared coordinates is
// named only to those who may review (a person seeing their own evidence
// does not learn a colleague's name).
func (b *Bot) flagText(ctx context.Context, p locales.Printer, viewer apel.Employee, f apel.Flag) string {
	switch f.Kind {
	case apel.FlagPoorAccuracy:
		if f.Value <= 0 {
			return p.T("flag.poor_accuracy_unknown", int(b.cfg.Flags.WithDefaults().MaxAccuracyM))
		}
		return p.T("flag.poor_accuracy", int(math.Round(f.Value)), int(b.cfg.Flags.WithDefaults().MaxAccuracyM))
	case apel.FlagOutsideRadius:
		return p.T("flag.outside_radius", int(f.Value))
	case apel.FlagSharedCoordinates:
		who := p.T("flag.someone_else")
		if o, err := b.cfg.Store.CheckInByID(ctx, f.Other); err == nil {
			if e, err := b.cfg.Store.Employee(ctx, o.EmployeeID); err == nil && apel.CanSeeEvidence(viewer, e) && viewer.ID != e.ID {
				who = esc(e.Name)
			}
		}
		return p.T("flag.shared_coordinates", who, int(f.Value))
	case apel.FlagImpossibleTravel:
		return p.T("flag.impossible_travel", int(f.Value), int(b.cfg.Flags.WithDefaults().MaxSpeedKmh))
	case apel.FlagForeignAccount:
		return p.T("flag.foreign_account")
	}
	return string(f.Kind)
}

// reviewText says whether the flags were reviewed, by whom, and how.
func (b *Bot) reviewText(ctx context.Context, p locales.Printer, r *apel.Review) string {
	if r == nil {
		return p.T("review.pending")
	}
	who := strconv.FormatInt(r.By, 10)
	if e, err := b.cfg.Store.Employee(ctx, r.By); err == nil {
		who = esc(e.Name)
	}
	at := p.DateTime(r.At.In(b.cfg.Policy.Location))
	if r.Decision == apel.ReviewReject {
		return p.T("review.rejected_by", who, at, esc(r.Note))
	}
	if r.Note != "" {
		return p.T("review.accepted_by_note", who, at, esc(r.Note))
	}
	return p.T("review.accepted_by", who, at)
}
