package export

import (
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/golang/freetype/truetype"
	chart "github.com/wcharczuk/go-chart/v2"
	"github.com/wcharczuk/go-chart/v2/drawing"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/locales"
)

// Size of the PNG written by [Chart], in pixels. [PDF] prints it 180 mm
// wide, the text width of A4 between 15 mm margins, where the OPD codes
// come out at about 6.5 pt.
const (
	ChartWidth  = 1600
	ChartHeight = 800
)

// MaxChartOPDs is the most OPDs [Chart] draws: beyond it a bar is thinner
// than a few pixels and the codes are unreadable.
const MaxChartOPDs = 200

// Chart drawing parameters: pixels at chartDPI, font sizes in points.
const (
	chartDPI       = 150
	chartPad       = 24   // outer padding
	chartTop       = 135  // room for the title and subtitle
	chartYAxisRoom = 110  // upper bound of the y axis' width, see layoutBars
	chartHeadroom  = 0.22 // range above 100% for value labels
	legendRoom     = 56   // the legend line under the codes
	titlePt        = 16
	subtitlePt     = 11
	labelPt        = 10 // OPD codes and values, largest size
	minLabelPx     = 7  // below this a label is unreadable and left out
)

// Colours of the chart.
func chartColors() (bar, text, grid, avg drawing.Color) {
	return drawing.ColorFromHex("2E6DB4"), drawing.ColorFromHex("222222"), drawing.ColorFromHex("DDDDDD"), drawing.ColorFromHex("C0392B")
}

// Chart writes a PNG bar chart, ChartWidth by ChartHeight pixels, of each
// OPD's pagi attendance rate (present over expected) in report order, with
// the OPD codes as labels, the values above the bars where they fit, and
// the pemda-wide rate as a dashed line. An OPD whose pagi was not held has
// no bar and is marked with a dash. It returns an error when r has no OPD
// or more than MaxChartOPDs.
func Chart(w io.Writer, p locales.Printer, r apel.DailyReport) error {
	if err := renderChart(w, p, r); err != nil {
		return fmt.Errorf("render chart: %w", err)
	}
	return nil
}

// chartFonts are the parsed Go fonts; parsed per chart so that nothing is
// shared between goroutines (go-chart's own default font is a lazily set
// global).
type chartFonts struct{ regular, bold *truetype.Font }

func parseChartFonts() (chartFonts, error) {
	reg, err := truetype.Parse(goregular.TTF)
	if err != nil {
		return chartFonts{}, err
	}
	bold, err := truetype.Parse(gobold.TTF)
	if err != nil {
		return chartFonts{}, err
	}
	return chartFonts{reg, bold}, nil
}

// barLayout is where the bars go. go-chart keeps the bar width and spacing
// it is given as long as they fit the canvas; layoutBars picks them from a
// lower bound of the canvas width so that they always do, which lets the
// labels be drawn at the same x as the bars.
type barLayout struct {
	width, spacing int
	labelPx        float64 // OPD code font size in pixels, 0 for none
	rotate         bool    // OPD codes run bottom to top
	labelRoom      int     // pixels below the axis for the codes
}

// slot is the horizontal room of one bar.
func (l barLayout) slot() int { return l.width + l.spacing }

// center is the x of the middle of bar i on a canvas starting at left.
func (l barLayout) center(left, i int) int {
	return left + i*l.slot() + l.spacing>>1 + l.width>>1
}

// layoutBars lays out one bar per code: slots as wide as the canvas allows
// (bars at most 120 px), codes level when the longest fits a slot, else
// rotated and shrunk to the slot, else left out.
func layoutBars(f *truetype.Font, codes []string) barLayout {
	canvas := ChartWidth - 2*chartPad - chartYAxisRoom
	slot := max(canvas/len(codes), 2)
	l := barLayout{width: min(max(slot*3/5, 1), 120)}
	l.spacing = slot - l.width
	// Horizontal codes when the longest fits its slot at full size; else
	// rotated, shrunk to the slot's width.
	full := px(labelPt)
	longest := 0
	for _, c := range codes {
		longest = max(longest, textWidth(f, full, c))
	}
	switch {
	case longest+6 <= slot:
		l.labelPx, l.labelRoom = full, int(full*1.6)
	case math.Min(full, float64(slot)*0.8) >= minLabelPx:
		l.labelPx, l.rotate = math.Min(full, float64(slot)*0.8), true
		scaled := 0
		for _, c := range codes {
			scaled = max(scaled, textWidth(f, l.labelPx, c))
		}
		l.labelRoom = scaled + 12
	default:
		l.labelRoom = 8
	}
	return l
}

// textWidth measures s in font f at px pixels.
func textWidth(f *truetype.Font, px float64, s string) int {
	face := truetype.NewFace(f, &truetype.Options{Size: px, DPI: 72})
	defer face.Close()
	return font.MeasureString(face, s).Ceil()
}

func renderChart(w io.Writer, p locales.Printer, r apel.DailyReport) error {
	if len(r.OPDs) == 0 {
		return errors.New("no OPD in the report")
	}
	spec := barSpec{
		title:    p.T("export.chart.title"),
		subtitle: r.Pemda + " · " + p.Date(noon(r.Date)),
		notHeld:  p.T("export.chart.not_held"),
	}
	for _, o := range r.OPDs {
		spec.bars = append(spec.bars, bar{label: o.OPD.Code, value: o.Pagi.Rate(), held: o.Pagi.Held})
	}
	if r.Pagi.Held {
		spec.ref = &refLine{value: r.Pagi.Rate(), label: p.T("export.chart.average", p.Percent(100*r.Pagi.Rate()))}
	}
	return barChart(w, p, spec)
}

// barSpec is a bar chart of rates, 0..1, one bar per label.
type barSpec struct {
	title, subtitle string
	bars            []bar
	ref             *refLine // a dashed line across the bars, nil for none
	notHeld         string   // the legend of the dash that marks a bar not held
}

// bar is one bar: a rate, and false held for none (a dash instead).
type bar struct {
	label string
	value float64
	held  bool
	alert bool // drawn in the alert colour (e.g. under a threshold)
}

// refLine is a reference rate: the pemda's average, a threshold.
type refLine struct {
	value float64
	label string
}

// barChart renders spec as a PNG, ChartWidth by ChartHeight pixels: the
// labels under the bars, the values above them where they fit, the
// reference line and its legend.
func barChart(w io.Writer, p locales.Printer, spec barSpec) error {
	if len(spec.bars) == 0 {
		return errors.New("no bar to draw")
	}
	if len(spec.bars) > MaxChartOPDs {
		return fmt.Errorf("%d OPDs: more than %d bars do not fit the chart", len(spec.bars), MaxChartOPDs)
	}
	fonts, err := parseChartFonts()
	if err != nil {
		return fmt.Errorf("parse font: %w", err)
	}
	barColor, textColor, gridColor, avgColor := chartColors()
	codes := make([]string, len(spec.bars))
	bars := make([]chart.Value, len(spec.bars))
	anyNotHeld := false
	for i, b := range spec.bars {
		codes[i] = b.label
		c := barColor
		if b.alert {
			c = avgColor
		}
		bars[i] = chart.Value{Value: b.value, Style: chart.Style{FillColor: c, StrokeColor: c, StrokeWidth: 0.01}}
		if !b.held {
			bars[i].Value, anyNotHeld = 0, true
		}
	}
	lay := layoutBars(fonts.regular, codes)
	ticks := make([]chart.Tick, 0, 5)
	for v := 0; v <= 100; v += 25 {
		ticks = append(ticks, chart.Tick{Value: float64(v) / 100, Label: fmt.Sprintf("%d%%", v)})
	}
	yr := &chart.ContinuousRange{Min: 0, Max: 1 + chartHeadroom}
	yOf := func(box chart.Box, v float64) int { return box.Bottom - int(float64(box.Height())*v/yr.Max) }
	text := func(size float64, bold bool, c drawing.Color) chart.Style {
		st := chart.Style{Font: fonts.regular, FontSize: size, FontColor: c}
		if bold {
			st.Font = fonts.bold
		}
		return st
	}
	avgLine := chart.Style{StrokeColor: avgColor, StrokeWidth: 2, StrokeDashArray: []float64{8, 6}}

	elements := []chart.Renderable{
		// Grid lines at the ticks, light enough to read the bars through.
		func(rd chart.Renderer, box chart.Box, _ chart.Style) {
			for _, t := range ticks[1:] {
				line(rd, chart.Style{StrokeColor: gridColor, StrokeWidth: 1}, box.Left, yOf(box, t.Value), box.Right, yOf(box, t.Value))
			}
		},
		// The x axis, the reference line, values above the bars, labels
		// under the axis, dashes for bars not held.
		func(rd chart.Renderer, box chart.Box, _ chart.Style) {
			line(rd, chart.Style{StrokeColor: textColor, StrokeWidth: 1}, box.Left, box.Bottom, box.Right, box.Bottom)
			if spec.ref != nil { // under the values, which are written on white
				y := yOf(box, spec.ref.value)
				line(rd, avgLine, box.Left, y, box.Right, y)
			}
			for i, b := range spec.bars {
				x := lay.center(box.Left, i)
				value := p.Percent(100 * b.value)
				if !b.held {
					value = "–"
				}
				drawValue(rd, fonts.regular, textColor, value, x, yOf(box, bars[i].Value)-6, lay)
				if lay.labelPx > 0 {
					drawCode(rd, fonts.regular, textColor, codes[i], x, box.Bottom+8, lay)
				}
			}
		},
		// Title, subtitle and the legend under the chart.
		func(rd chart.Renderer, _ chart.Box, _ chart.Style) {
			chart.Draw.Text(rd, spec.title, chartPad, chartPad+int(px(titlePt)), text(titlePt, true, textColor))
			chart.Draw.Text(rd, spec.subtitle, chartPad, chartPad+int(px(titlePt)+px(subtitlePt)*1.9),
				text(subtitlePt, false, textColor))
			x, y := chartPad, ChartHeight-chartPad
			if spec.ref != nil {
				mid := y - int(px(subtitlePt)/3)
				line(rd, avgLine, x, mid, x+50, mid)
				chart.Draw.Text(rd, spec.ref.label, x+60, y, text(subtitlePt, true, avgColor))
				x += 60 + textWidth(fonts.bold, px(subtitlePt), spec.ref.label) + 40
			}
			if anyNotHeld && spec.notHeld != "" {
				chart.Draw.Text(rd, spec.notHeld, x, y, text(subtitlePt, false, textColor))
			}
		},
	}

	bc := chart.BarChart{
		Width: ChartWidth, Height: ChartHeight, DPI: chartDPI,
		Font:       fonts.regular,
		Background: chart.Style{Padding: chart.Box{Top: chartTop, Left: chartPad, Right: chartPad, Bottom: chartPad + lay.labelRoom + legendRoom}},
		BarWidth:   lay.width, BarSpacing: lay.spacing,
		// The x axis is drawn by an element: go-chart would reserve room
		// for labels it does not draw.
		XAxis: chart.Hidden(),
		YAxis: chart.YAxis{
			AxisType: chart.YAxisSecondary,
			Range:    yr,
			Ticks:    ticks,
			Style:    chart.Style{StrokeColor: textColor, StrokeWidth: 1, FontSize: labelPt, FontColor: textColor},
		},
		Bars:     bars,
		Elements: elements,
	}
	return bc.Render(chart.PNG, w)
}

// drawValue writes a value centred on x with its baseline at y: level
// when it fits the bar's slot, else rotated to run upwards, and not at all
// when even rotated it would be illegible.
func drawValue(rd chart.Renderer, f *truetype.Font, c drawing.Color, s string, x, y int, lay barLayout) {
	full := px(labelPt)
	if w := textWidth(f, full, s); w+2 <= lay.slot() {
		chart.Draw.Box(rd, chart.Box{Left: x - w/2 - 4, Top: y - int(full) - 4, Right: x + w/2 + 4, Bottom: y + 4},
			chart.Style{FillColor: drawing.ColorWhite, StrokeColor: drawing.ColorWhite, StrokeWidth: 0.01})
		chart.Draw.Text(rd, s, x-w/2, y, chart.Style{Font: f, FontSize: labelPt, FontColor: c})
		return
	}
	size := math.Min(full, float64(lay.slot())*0.8)
	if size < minLabelPx {
		return
	}
	// Rotated, the baseline runs up from (x, y); move it by a third of the
	// glyph height so the text is centred on the bar.
	chart.Draw.Text(rd, s, x+int(size/3), y, chart.Style{Font: f, FontSize: pt(size), FontColor: c, TextRotationDegrees: 270})
}

// drawCode writes an OPD code under the axis at x, which is at y.
func drawCode(rd chart.Renderer, f *truetype.Font, c drawing.Color, code string, x, y int, lay barLayout) {
	st := chart.Style{Font: f, FontSize: pt(lay.labelPx), FontColor: c}
	w := textWidth(f, lay.labelPx, code)
	if !lay.rotate {
		chart.Draw.Text(rd, code, x-w/2, y+int(lay.labelPx), st)
		return
	}
	st.TextRotationDegrees = 270
	chart.Draw.Text(rd, code, x+int(lay.labelPx/3), y+w, st)
}

// px converts a font size in points to pixels at the chart's DPI; pt is the
// inverse (go-chart takes sizes in points).
func px(points float64) float64 { return points * chartDPI / 72 }
func pt(pixels float64) float64 { return pixels * 72 / chartDPI }

// line strokes a straight line from (x0, y0) to (x1, y1).
func line(rd chart.Renderer, st chart.Style, x0, y0, x1, y1 int) {
	st.WriteDrawingOptionsToRenderer(rd)
	defer rd.ResetStyle()
	rd.MoveTo(x0, y0)
	rd.LineTo(x1, y1)
	rd.Stroke()
}
