package export

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	chart "github.com/wcharczuk/go-chart/v2"
	"github.com/wcharczuk/go-chart/v2/drawing"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/locales"
)

// RateChart writes a PNG bar chart, ChartWidth by ChartHeight pixels, of
// each OPD's attendance rate over the evaluated period (pagi and sore), in
// display order, with the threshold as a dashed line and the OPDs below it
// in the alert colour. An OPD that held no apel has a dash. It returns an
// error when e has no OPD or more than MaxChartOPDs.
func RateChart(w io.Writer, p locales.Printer, e apel.Evaluation) error {
	spec := barSpec{
		title:    p.T("export.month.chart.rate"),
		subtitle: e.Pemda + " · " + monthName(p, e.From, e.To),
		notHeld:  p.T("export.month.chart.not_held"),
		ref:      &refLine{value: e.Threshold, label: p.T("export.month.chart.threshold", p.Percent(100*e.Threshold))},
	}
	for _, o := range e.OPDs {
		spec.bars = append(spec.bars, bar{label: o.OPD.Code, value: o.Total.Rate(), held: o.Total.Held, alert: o.Below})
	}
	if err := barChart(w, p, spec); err != nil {
		return fmt.Errorf("render rate chart: %w", err)
	}
	return nil
}

// Size of the PNG written by [LateChart]: the proportions of [Chart], a
// little smaller. The width must differ from ChartWidth: fpdf orders the
// images of a document by width and those of equal width at random, which
// would make the monthly PDF differ from run to run.
const (
	LateChartWidth  = 1500
	LateChartHeight = 750
)

// LateChart writes a PNG line chart, LateChartWidth by LateChartHeight
// pixels, of the lateness trend: for each date of e that held apel, the share of
// those present who were late, with the dates under the axis. It returns
// an error when e has no such date.
func LateChart(w io.Writer, p locales.Printer, e apel.Evaluation) error {
	if err := renderLateChart(w, p, e); err != nil {
		return fmt.Errorf("render lateness chart: %w", err)
	}
	return nil
}

func renderLateChart(w io.Writer, p locales.Printer, e apel.Evaluation) error {
	if len(e.Days) == 0 {
		return errors.New("no date with apel")
	}
	fonts, err := parseChartFonts()
	if err != nil {
		return fmt.Errorf("parse font: %w", err)
	}
	lineColor, textColor, gridColor, _ := chartColors()
	xs := make([]float64, len(e.Days))
	ys := make([]float64, len(e.Days))
	top := 0.0
	// Blank ticks half a day beyond the ends: go-chart spans the x axis
	// from the first tick to the last, and the line needs room at both.
	xticks := []chart.Tick{{Value: -0.5}}
	every := (len(e.Days) + 23) / 24 // at most 24 date labels
	for i, d := range e.Days {
		xs[i], ys[i] = float64(i), d.Total.LateRate()
		top = math.Max(top, ys[i])
		if i%every == 0 {
			xticks = append(xticks, chart.Tick{Value: float64(i), Label: strconv.Itoa(d.Date.Day) + "/" + strconv.Itoa(int(d.Date.Month))})
		}
	}
	xticks = append(xticks, chart.Tick{Value: float64(len(e.Days)) - 0.5})
	// The y axis runs to the next 5% above the highest point, at least 10%.
	step := 0.05
	ymax := math.Max(0.10, math.Ceil(top*1.15/step)*step)
	if ymax > 0.5 {
		step = 0.10
		ymax = math.Min(1, math.Ceil(top*1.1/step)*step)
	}
	var yticks []chart.Tick
	for v := 0.0; v <= ymax+1e-9; v += step {
		yticks = append(yticks, chart.Tick{Value: v, Label: p.Percent(100 * v)})
	}
	text := func(size float64, bold bool, c drawing.Color) chart.Style {
		st := chart.Style{Font: fonts.regular, FontSize: size, FontColor: c}
		if bold {
			st.Font = fonts.bold
		}
		return st
	}
	avg := e.Total.LateRate()
	subtitle := e.Pemda + " · " + monthName(p, e.From, e.To) + " · " + p.T("export.month.chart.late_average", p.Percent(100*avg))
	c := chart.Chart{
		Width: LateChartWidth, Height: LateChartHeight, DPI: chartDPI,
		Font:       fonts.regular,
		Background: chart.Style{Padding: chart.Box{Top: chartTop, Left: chartPad + 10, Right: chartPad + 10, Bottom: chartPad}},
		XAxis: chart.XAxis{
			Ticks: xticks,
			Style: chart.Style{StrokeColor: textColor, StrokeWidth: 1, FontSize: labelPt - 1, FontColor: textColor},
		},
		YAxis: chart.YAxis{
			Range:          &chart.ContinuousRange{Min: 0, Max: ymax},
			Ticks:          yticks,
			Style:          chart.Style{StrokeColor: textColor, StrokeWidth: 1, FontSize: labelPt, FontColor: textColor},
			GridMajorStyle: chart.Style{StrokeColor: gridColor, StrokeWidth: 1},
			GridLines:      gridLines(yticks),
		},
		Series: []chart.Series{chart.ContinuousSeries{
			XValues: xs, YValues: ys,
			Style: chart.Style{StrokeColor: lineColor, StrokeWidth: 3, DotColor: lineColor, DotWidth: 5},
		}},
		Elements: []chart.Renderable{func(rd chart.Renderer, _ chart.Box, _ chart.Style) {
			chart.Draw.Text(rd, p.T("export.month.chart.late"), chartPad, chartPad+int(px(titlePt)), text(titlePt, true, textColor))
			chart.Draw.Text(rd, subtitle, chartPad, chartPad+int(px(titlePt)+px(subtitlePt)*1.9), text(subtitlePt, false, textColor))
		}},
	}
	return c.Render(chart.PNG, w)
}

// gridLines are horizontal grid lines at the ticks above zero.
func gridLines(ticks []chart.Tick) []chart.GridLine {
	var out []chart.GridLine
	for _, t := range ticks[1:] {
		out = append(out, chart.GridLine{Value: t.Value})
	}
	return out
}

// monthName names the period from..to: the month ("Januari 2026") when it
// is a whole calendar month, else the two dates.
func monthName(p locales.Printer, from, to apel.Date) string {
	if first, last := apel.MonthOf(from); from == first && to == last {
		return p.T("month."+strconv.Itoa(int(from.Month))) + " " + strconv.Itoa(from.Year)
	}
	return letterDate(p, from) + " – " + letterDate(p, to)
}
