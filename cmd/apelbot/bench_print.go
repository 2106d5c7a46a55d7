package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// benchRow is one figure of the results table.
type benchRow struct {
	key    string // JSON key, also for -previous
	name   string
	value  float64
	unit   string
	target string // the target, "" for context figures
	bound  string // the floor or theoretical minimum it is compared with
	met    string // "yes", "no", or ""
}

func seconds(d time.Duration) float64  { return d.Seconds() }
func millis64(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func yesNo(ok bool) string {
	if ok {
		return "yes"
	}
	return "no"
}

// rows lists the figures run, in the order of docs/PERFORMANCE.md.
func (f benchFigures) rows() []benchRow {
	var rs []benchRow
	add := func(r benchRow) { rs = append(rs, r) }
	if b := f.Burst; b != nil {
		floor := ""
		if f.Floor != nil {
			floor = fmt.Sprintf("floor %.0f/s", f.Floor.Rate)
		}
		add(benchRow{"ingest.rate", fmt.Sprintf("ingest, %d at once: check-ins/s", b.Sent), b.Rate, "/s", "≥ 10000/s", floor,
			yesNo(b.Rate >= 10000 && !b.TimedOut)})
		add(benchRow{"ingest.steady", "ingest, steady (10th-90th pct of commits)", b.Steady, "/s", "", floor, ""})
		add(benchRow{"ingest.p50_ms", "ingest latency p50 (served to committed)", millis64(b.Latency.P50), "ms", "", "", ""})
		add(benchRow{"ingest.p99_ms", "ingest latency p99", millis64(b.Latency.P99), "ms", "< 50 ms", "", yesNo(b.Latency.P99 < 50*time.Millisecond && !b.TimedOut)})
		add(benchRow{"ingest.max_ms", "ingest latency max", millis64(b.Latency.Max), "ms", "", "", ""})
		if b.TimedOut {
			add(benchRow{"ingest.committed", "ingest: committed before the timeout", float64(b.Committed), "", "", "", "no"})
		}
	}
	if p := f.Paced; p != nil {
		add(benchRow{"paced.rate", fmt.Sprintf("ingest paced, %d at the -rate: check-ins/s", p.Sent), p.Rate, "/s", "", "", ""})
		add(benchRow{"paced.p50_ms", "paced latency p50 (pushed to committed)", millis64(p.Latency.P50), "ms", "", "", ""})
		add(benchRow{"paced.p99_ms", "paced latency p99", millis64(p.Latency.P99), "ms", "< 50 ms", "", yesNo(p.Latency.P99 < 50*time.Millisecond && !p.TimedOut)})
		add(benchRow{"paced.max_ms", "paced latency max", millis64(p.Latency.Max), "ms", "", "", ""})
	}
	if fl := f.Floor; fl != nil {
		add(benchRow{"floor.rate", "floor: single-row durable inserts/s", fl.Rate, "/s", "", "", ""})
		add(benchRow{"floor.p99_ms", "floor: insert+commit p99", millis64(fl.Latency.P99), "ms", "", "", ""})
	}
	if f.OpenTick > 0 {
		add(benchRow{"tick.open_s", "scheduler tick opening every session", seconds(f.OpenTick), "s", "", "", ""})
	}
	if o := f.Outbound; o != nil {
		p := o.Prompts
		add(benchRow{"prompts.s", fmt.Sprintf("apel pagi posted to %d groups", p.Want), seconds(p.Elapsed), "s", "≤ minimum + 5%",
			fmt.Sprintf("minimum %.1f s", seconds(p.Minimum)), yesNo(p.Delivered == p.Want && p.Over() <= 5 && p.Refused == 0)})
		add(benchRow{"prompts.429", "  429 answers while posting", float64(p.Refused), "", "0", "", yesNo(p.Refused == 0)})
		add(benchRow{"tick.remind_s", fmt.Sprintf("scheduler tick queuing %d reminders", o.Reminders), seconds(o.RemindTick), "s", "", "", ""})
		c := o.Confirmations
		add(benchRow{"confirm.s", fmt.Sprintf("%d confirmations, past %d reminders and %d summaries queued", c.Want, o.Reminders, o.Summaries),
			seconds(c.Elapsed), "s", "≤ minimum + 5%", fmt.Sprintf("minimum %.1f s", seconds(c.Minimum)),
			yesNo(c.Delivered == c.Want && c.Over() <= 5 && c.Refused == 0)})
		add(benchRow{"confirm.429", "  429 answers while confirming", float64(c.Refused), "", "0", "", yesNo(c.Refused == 0)})
		add(benchRow{"confirm.overtaken", "  reminders and summaries sent before the last confirmation", float64(c.Other["ask"] + c.Other["report"]), "", "", "", ""})
		if c.Want > 0 && c.Delivered == c.Want {
			per := c.Elapsed.Seconds() / float64(c.Want)
			n := len50k(o)
			add(benchRow{"confirm50k.min", fmt.Sprintf("  extrapolated: %d confirmations", n), per * float64(n) / 60, "min", "",
				fmt.Sprintf("minimum %.1f min", float64(n)/telegramRate/60), ""})
		}
	}
	if r := f.Reports; r != nil {
		add(benchRow{"report.daily_s", fmt.Sprintf("daily report, %d check-ins (apelbot report)", r.CheckIns), seconds(r.Daily), "s", "< 1 s", "", yesNo(r.Daily < time.Second)})
		add(benchRow{"report.xlsx_s", "XLSX of that day (apelbot report -o .xlsx)", seconds(r.XLSX), "s", "< 5 s", "", yesNo(r.XLSX < 5*time.Second)})
	}
	if fp := f.Footprint; fp != nil {
		add(benchRow{"footprint.cold_ms", "cold start, exec to \"polling started\"", millis64(fp.ColdStart), "ms", "< 1000 ms", "", yesNo(fp.ColdStart > 0 && fp.ColdStart < time.Second)})
		add(benchRow{"footprint.rss_mb", fmt.Sprintf("peak RSS of serve, %d check-ins", fp.Committed), float64(fp.PeakRSS) / (1 << 20), "MiB", "< 150 MiB", "", yesNo(fp.PeakRSS > 0 && fp.PeakRSS < 150<<20)})
		add(benchRow{"footprint.ingest_s", "  serve: burst released to last check-in committed", seconds(fp.Ingest), "s", "", "", ""})
		add(benchRow{"footprint.binary_mb", "size of " + fp.Exe, float64(fp.Binary) / (1 << 20), "MiB", "< 30 MiB", "", yesNo(fp.Binary > 0 && fp.Binary < 30<<20)})
	}
	if f.SelfHWM > 0 {
		add(benchRow{"self.rss_mb", "peak RSS of the bench process (fake API + harness + bot)", float64(f.SelfHWM) / (1 << 20), "MiB", "", "", ""})
	}
	return rs
}

// len50k is the pemda's size, for extrapolating the confirmations.
func len50k(o *outboundResult) int { return o.Reminders }

// values returns the figures by key, for -o.
func (f benchFigures) values() map[string]float64 {
	out := map[string]float64{}
	for _, r := range f.rows() {
		out[r.key] = r.value
	}
	return out
}

// printFigures writes the results table (Markdown) to w.
func printFigures(w io.Writer, o benchOptions, f benchFigures, prev map[string]float64) {
	fmt.Fprintf(w, "\napelbot bench -asn %d -opds %d on %s  (%s)\n\n", o.asn, o.opds, f.Engine, f.Machine)
	fmt.Fprintln(w, "| figure | value | target | floor / minimum | met | previous |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	for _, r := range f.rows() {
		p := "none"
		if v, ok := prev[r.key]; ok {
			p = format(v, r.unit)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", r.name, format(r.value, r.unit), r.target, r.bound, r.met, p)
	}
}

func format(v float64, unit string) string {
	switch {
	case unit == "":
		return fmt.Sprintf("%.0f", v)
	case unit == "/s":
		return fmt.Sprintf("%.0f/s", v)
	case v >= 100:
		return fmt.Sprintf("%.0f %s", v, unit)
	default:
		return strings.TrimSpace(fmt.Sprintf("%.3g %s", v, unit))
	}
}
