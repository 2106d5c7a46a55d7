package bot

import (
	"bytes"
	"context"
	"fmt"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/export"
	"github.com/apelbot/apelbot/locales"
)

// bulanan handles /bulanan [YYYY-MM], for BKPSDM admins: the monthly
// evaluation of a month (default the current one, so far) as a message,
// then as XLSX and PDF documents in the same chat.
func (b *Bot) bulanan(ctx context.Context, emp apel.Employee, cmd command) {
	p := b.printerFor(emp)
	if !emp.Active || emp.Role != apel.RoleAdmin {
		b.sendText(ctx, emp.TelegramID, p.T("reason.not_allowed"), nil)
		return
	}
	today := apel.DateOf(b.cfg.Now(), b.cfg.Policy.Location)
	from, to := apel.MonthOf(today)
	switch len(cmd.Args) {
	case 0:
	case 1:
		var err error
		if from, to, err = apel.ParseMonth(cmd.Args[0]); err != nil {
			b.sendText(ctx, emp.TelegramID, p.T("bulanan.usage"), nil)
			return
		}
		if today.Before(from) {
			b.sendText(ctx, emp.TelegramID, p.T("bulanan.future", periodName(p, from, to)), nil)
			return
		}
	default:
		b.sendText(ctx, emp.TelegramID, p.T("bulanan.usage"), nil)
		return
	}
	e, err := b.evaluate(ctx, from, to)
	if err != nil {
		b.fail(ctx, emp.TelegramID, emp.Lang, err)
		return
	}
	if _, err := b.send(ctx, emp.TelegramID, RenderEvaluation(p, b.cfg.BKPSDM, e), nil); err != nil {
		b.fail(ctx, emp.TelegramID, emp.Lang, err)
		return
	}
	docs, err := monthDocuments(p, b.cfg.BKPSDM, e)
	if err != nil {
		b.fail(ctx, emp.TelegramID, emp.Lang, err)
		return
	}
	for _, d := range docs {
		if err := b.sendDocument(ctx, prioReply, emp.TelegramID, d); err != nil {
			b.fail(ctx, emp.TelegramID, emp.Lang, err)
			return
		}
	}
}

// evaluate evaluates from..to: every date with apel, the person records
// the plans read from the Monday of from's week, the bot's planner.
func (b *Bot) evaluate(ctx context.Context, from, to apel.Date) (apel.Evaluation, error) {
	days, err := b.cfg.Store.Month(ctx, from, to, b.cfg.OPDs)
	if err != nil {
		return apel.Evaluation{}, fmt.Errorf("evaluate: %w", err)
	}
	f, err := b.cfg.Store.Facts(ctx, "", apel.MondayOf(from), to)
	if err != nil {
		return apel.Evaluation{}, fmt.Errorf("evaluate: %w", err)
	}
	threshold := b.cfg.Threshold
	if threshold <= 0 {
		threshold = apel.DefaultThreshold
	}
	return apel.Evaluate(apel.EvaluationInput{
		Pemda: b.cfg.Pemda, From: from, To: to, OPDs: b.cfg.OPDs, Days: days,
		Planner: b.cfg.Planner, Facts: f, Threshold: threshold,
	}), nil
}

// monthDocuments renders e as the XLSX and PDF documents of /bulanan,
// named after the month: evaluasi-apel-2026-01.xlsx.
func monthDocuments(p locales.Printer, bkpsdm string, e apel.Evaluation) ([]document, error) {
	m := export.Month{Eval: e, BKPSDM: bkpsdm}
	base := fmt.Sprintf("%s-%04d-%02d", p.T("bulanan.file"), e.From.Year, e.From.Month)
	period := periodName(p, e.From, e.To)
	var xlsx, pdf bytes.Buffer
	if err := export.MonthXLSX(&xlsx, p, m); err != nil {
		return nil, err
	}
	if err := export.MonthPDF(&pdf, p, m); err != nil {
		return nil, err
	}
	return []document{
		{name: base + ".xlsx", data: xlsx.Bytes(), caption: p.T("bulanan.caption_xlsx", esc(period))},
		{name: base + ".pdf", data: pdf.Bytes(), caption: p.T("bulanan.caption_pdf", esc(period))},
	}, nil
}
