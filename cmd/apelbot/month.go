package main

import (
	"context"
	"fmt"
	"io"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/bot"
	"github.com/apelbot/apelbot/export"
	"github.com/apelbot/apelbot/locales"
)

// evaluate loads the records of from..to and evaluates them: every date
// with apel (store.Month), the person records the plans read from the
// Monday of from's week (store.Facts), the policy as the planner.
func evaluate(ctx context.Context, cfg Config, from, to apel.Date) (apel.Evaluation, error) {
	db, err := openStore(ctx, cfg)
	if err != nil {
		return apel.Evaluation{}, err
	}
	defer db.Close()
	days, err := db.Month(ctx, from, to, cfg.OPDs)
	if err != nil {
		return apel.Evaluation{}, fmt.Errorf("load month: %w", err)
	}
	facts, err := db.Facts(ctx, "", apel.MondayOf(from), to)
	if err != nil {
		return apel.Evaluation{}, fmt.Errorf("load month: %w", err)
	}
	return apel.Evaluate(apel.EvaluationInput{
		Pemda: cfg.Pemda, From: from, To: to, OPDs: cfg.OPDs, Days: days,
		Planner: cfg.Policy, Facts: facts, Threshold: cfg.Report.EvaluationThreshold(),
	}), nil
}

// writeMonthReport evaluates from..to and writes it to w as text (the chat
// message without its markup, with a final newline), xlsx or pdf; see
// package export for the files. CSV has no monthly form.
func writeMonthReport(ctx context.Context, cfg Config, from, to apel.Date, format string, w io.Writer) error {
	if format != "text" && format != "xlsx" && format != "pdf" {
		return fmt.Errorf("report -month: format %q: want text, xlsx or pdf", format)
	}
	cat, err := locales.Load()
	if err != nil {
		return fmt.Errorf("load locales: %w", err)
	}
	e, err := evaluate(ctx, cfg, from, to)
	if err != nil {
		return err
	}
	p := cat.Printer(cfg.Language)
	switch format {
	case "text":
		_, err = fmt.Fprintln(w, plain(bot.RenderEvaluation(p, cfg.BKPSDM, e)))
		return err
	case "xlsx":
		return export.MonthXLSX(w, p, export.Month{Eval: e, BKPSDM: cfg.BKPSDM})
	default:
		return export.MonthPDF(w, p, export.Month{Eval: e, BKPSDM: cfg.BKPSDM})
	}
}

// monthOutput writes the evaluation of from..to in format to out, as
// reportOutput does for a date.
func monthOutput(ctx context.Context, cfg Config, from, to apel.Date, format, out string, stdout io.Writer) error {
	if out == "" || out == "-" {
		return writeMonthReport(ctx, cfg, from, to, format, stdout)
	}
	err := writeReportFile(out, func(w io.Writer) error { return writeMonthReport(ctx, cfg, from, to, format, w) })
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(stdout, out)
	return err
}
