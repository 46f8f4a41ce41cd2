//! The memo's charts as SVG text, drawn with plotters' SVG backend.
//!
//! Owns five charts: the contributions of the criterion groups to each
//! initiative's deterministic score (stacked bars), the rank acceptabilities
//! (stacked bars of the share of scenarios at each rank), each
//! initiative's overall value distribution (5th–95th percentile bar with
//! median and mean), the one-way sensitivity of each group weight (each
//! initiative's overall value as a straight line from weight 0 to 1, the
//! current weight marked) and the tornado of the uncertain values (each
//! initiative's overall value with one value at its 5th and 95th
//! percentile). Every number drawn comes from the [`MemoContext`]; the
//! labels and captions come from `Labels` in the memo's language. plotters
//! escapes `<`, `>`, `&` and quotes in the text it writes, so names from the
//! decision files are data in the SVG too. No font is needed: the SVG
//! backend estimates text sizes and the browser draws the text.

use plotters::coord::ranged1d::{SegmentValue, SegmentedCoord};
use plotters::coord::types::{RangedCoordf64, RangedCoordusize};
use plotters::coord::Shift;
use plotters::prelude::*;

use super::context::MemoContext;
use super::format::{num, pct, Lang};

/// Chart width in SVG units (scaled to the page by CSS).
const WIDTH: u32 = 760;
/// Space for initiative names on the left.
const NAME_AREA: u32 = 210;
/// Height per initiative bar.
const ROW: u32 = 46;

/// Group colours (cost, reach, effect, then more) and rank colours (1 = dark).
const GROUP_COLOURS: [RGBColor; 6] = [
    RGBColor(0x1f, 0x5f, 0x8b),
    RGBColor(0xe0, 0x8a, 0x1e),
    RGBColor(0x3b, 0x8e, 0x4f),
    RGBColor(0x8c, 0x56, 0x9c),
    RGBColor(0x9a, 0x9a, 0x9a),
    RGBColor(0xc4, 0x4e, 0x52),
];
const RANK_COLOURS: [RGBColor; 8] = [
    RGBColor(0x08, 0x30, 0x6b),
    RGBColor(0x21, 0x71, 0xb5),
    RGBColor(0x6b, 0xae, 0xd6),
    RGBColor(0xc6, 0xdb, 0xef),
    RGBColor(0xf0, 0xf0, 0xf0),
    RGBColor(0xd9, 0xd9, 0xd9),
    RGBColor(0xbd, 0xbd, 0xbd),
    RGBColor(0x96, 0x96, 0x96),
];

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
#[error("cannot draw the chart `{chart}`: {message}")]
pub struct ChartError {
    chart: &'static str,
    message: String,
}

fn err(chart: &'static str) -> impl Fn(String) -> ChartError {
    move |message| ChartError { chart, message }
}

/// The charts as SVG documents.
#[derive(Debug, Clone)]
pub struct Svgs {
    /// One-way sensitivity of the group weights (lines).
    pub weights: String,
    /// Tornado of the uncertain values (range bars).
    pub tornado: String,
    /// Contributions of the groups (stacked bars).
    pub contributions: String,
    /// Rank acceptabilities (stacked bars).
    pub acceptability: String,
    /// Value distributions (range bars).
    pub values: String,
}

struct Labels {
    contributions_caption: &'static str,
    contributions_x: &'static str,
    acceptability_caption: &'static str,
    acceptability_x: &'static str,
    rank: &'static str,
    values_caption: &'static str,
    values_x: &'static str,
    range: &'static str,
    median: &'static str,
    mean: &'static str,
    weights_caption: &'static str,
    weights_x: &'static str,
    weights_y: &'static str,
    now: &'static str,
    stays_first: &'static str,
    tornado_caption: &'static str,
    tornado_x: &'static str,
    at_p05: &'static str,
    at_p95: &'static str,
    first_line: &'static str,
    second_line: &'static str,
}

fn labels(lang: Lang) -> Labels {
    match lang {
        Lang::Nl => Labels {
            contributions_caption:
                "Totaalwaarde per initiatief, opgebouwd uit kosten, bereik en effect",
            contributions_x: "Bijdrage aan de totaalwaarde (0 = slechtst, 1 = best denkbaar)",
            acceptability_caption:
                "Rangkansen: aandeel van de scenario's waarin een initiatief op elke plaats eindigt",
            acceptability_x: "Aandeel van de scenario's",
            rank: "plaats",
            values_caption: "Spreiding van de totaalwaarde over alle scenario's",
            values_x: "Totaalwaarde (0 = slechtst, 1 = best denkbaar)",
            range: "90% van de scenario's (5e–95e percentiel)",
            median: "mediaan",
            mean: "gemiddelde",
            weights_caption: "Totaalwaarde als één groepsgewicht van 0% tot 100% gaat",
            weights_x: "gewicht van",
            weights_y: "Totaalwaarde",
            now: "nu",
            stays_first: "blijft eerste",
            tornado_caption: "Totaalwaarde met één onzeker cijfer op de rand van zijn bandbreedte",
            tornado_x: "Totaalwaarde van het initiatief (0 = slechtst, 1 = best denkbaar)",
            at_p05: "cijfer laag (5e percentiel)",
            at_p95: "cijfer hoog (95e percentiel)",
            first_line: "nu eerste",
            second_line: "nu tweede",
        },
        Lang::En => Labels {
            contributions_caption:
                "Overall value per initiative, built up from cost, reach and effect",
            contributions_x: "Contribution to the overall value (0 = worst, 1 = best conceivable)",
            acceptability_caption:
                "Rank chances: share of scenarios in which an initiative ends at each place",
            acceptability_x: "Share of scenarios",
            rank: "place",
            values_caption: "Spread of the overall value over all scenarios",
            values_x: "Overall value (0 = worst, 1 = best conceivable)",
            range: "90% of scenarios (5th–95th percentile)",
            median: "median",
            mean: "mean",
            weights_caption: "Overall value as one group weight goes from 0% to 100%",
            weights_x: "weight of",
            weights_y: "Overall value",
            now: "now",
            stays_first: "stays first",
            tornado_caption: "Overall value with one uncertain figure at the edge of its range",
            tornado_x: "Overall value of the initiative (0 = worst, 1 = best conceivable)",
            at_p05: "figure low (5th percentile)",
            at_p95: "figure high (95th percentile)",
            first_line: "first now",
            second_line: "second now",
        },
    }
}

/// Height of the legend band below the chart.
const LEGEND: u32 = 40;

fn height(n: usize) -> u32 {
    100 + ROW * n as u32 + LEGEND
}

/// A legend entry's marker.
#[derive(Clone, Copy)]
enum Marker {
    Block(RGBColor),
    Tick(RGBColor),
    Dot(RGBColor),
    Line(RGBColor),
}

/// Draws a one-line legend, left to right, in `area` (widths estimated
/// like plotters' own font-less layout: 0.6 em per character).
fn legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    items: &[(String, Marker)],
) -> Result<(), String> {
    legend_from(area, items, NAME_AREA as i32 - 10, 16, WIDTH)
}

/// Draws a legend from `(x0, y)`, wrapping to a new line (22 units down)
/// when an item would pass `width`.
fn legend_from<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    items: &[(String, Marker)],
    x0: i32,
    y0: i32,
    width: u32,
) -> Result<(), String> {
    let font_px = 13.0;
    let mut x = x0;
    let mut y = y0;
    for (text, marker) in items {
        let w = 20 + (text.chars().count() as f64 * font_px * 0.6) as i32 + 18;
        if x > x0 && x + w > width as i32 {
            x = x0;
            y += 22;
        }
        match *marker {
            Marker::Block(c) => area
                .draw(&Rectangle::new([(x, y - 6), (x + 14, y + 6)], c.filled()))
                .map_err(|e| e.to_string())?,
            Marker::Tick(c) => area
                .draw(&Rectangle::new(
                    [(x + 6, y - 8), (x + 8, y + 8)],
                    c.filled(),
                ))
                .map_err(|e| e.to_string())?,
            Marker::Dot(c) => area
                .draw(&Circle::new((x + 7, y), 5, c.filled()))
                .map_err(|e| e.to_string())?,
            Marker::Line(c) => area
                .draw(&Rectangle::new([(x, y - 1), (x + 14, y + 2)], c.filled()))
                .map_err(|e| e.to_string())?,
        }
        area.draw(&Text::new(
            text.clone(),
            (x + 20, y - 7),
            ("sans-serif", font_px * 1.24).into_font(),
        ))
        .map_err(|e| e.to_string())?;
        x += w;
    }
    Ok(())
}

/// Draws all three charts from the context.
pub fn draw(cx: &MemoContext) -> Result<Svgs, ChartError> {
    let l = labels(cx.lang);
    Ok(Svgs {
        contributions: contributions(cx, &l)?,
        acceptability: acceptability(cx, &l)?,
        values: values(cx, &l)?,
        weights: weights(cx, &l)?,
        tornado: tornado(cx, &l)?,
    })
}

/// Name of the bar at segment `v` (row 0 at the top).
fn row_name(names: &[String], v: &SegmentValue<usize>) -> String {
    match v {
        SegmentValue::CenterOf(i) if *i < names.len() => names[names.len() - 1 - i].clone(),
        _ => String::new(),
    }
}

/// Chart axes of one row per name (top to bottom) against a value axis.
type RowChart<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, SegmentedCoord<RangedCoordusize>>>;

/// What sets the row charts apart: caption, value range, tick count and
/// format, axis description and room for the names.
struct RowAxes<'s> {
    caption: &'s str,
    x: std::ops::Range<f64>,
    ticks: usize,
    desc: &'s str,
    name_area: u32,
}

/// Builds and draws the axes shared by the bar charts: `rows` rows named by
/// `names` (row 0 at the top) and the value axis of `axes`.
fn row_chart<'a, 'b>(
    area: &'a DrawingArea<SVGBackend<'b>, Shift>,
    axes: RowAxes,
    rows: usize,
    names: &[String],
    fmt: &dyn Fn(&f64) -> String,
) -> Result<RowChart<'a, 'b>, String> {
    let mut chart = ChartBuilder::on(area)
        .caption(axes.caption, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(44)
        .y_label_area_size(axes.name_area)
        .build_cartesian_2d(axes.x, (0..rows).into_segmented())
        .map_err(|x| x.to_string())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .y_labels(rows)
        .y_label_formatter(&|v| row_name(names, v))
        .x_labels(axes.ticks)
        .x_label_formatter(fmt)
        .x_desc(axes.desc)
        .label_style(("sans-serif", 14))
        .draw()
        .map_err(|x| x.to_string())?;
    Ok(chart)
}

fn contributions(cx: &MemoContext, l: &Labels) -> Result<String, ChartError> {
    let names: Vec<String> = cx.initiatives.iter().map(|i| i.name.clone()).collect();
    let lang = cx.lang;
    let series: Vec<Segments> = cx
        .groups
        .iter()
        .enumerate()
        .map(|(g, group)| Segments {
            label: group.name.clone(),
            colour: GROUP_COLOURS[g % GROUP_COLOURS.len()],
            widths: cx.initiatives.iter().map(|init| init.groups[g]).collect(),
        })
        .collect();
    let axes = RowAxes {
        caption: l.contributions_caption,
        x: 0f64..1f64,
        ticks: 11,
        desc: l.contributions_x,
        name_area: NAME_AREA,
    };
    stacked_bars(
        "contributions",
        axes,
        &names,
        &|x| num(*x, 1, lang),
        &series,
    )
}

fn acceptability(cx: &MemoContext, l: &Labels) -> Result<String, ChartError> {
    let names: Vec<String> = cx.smaa.iter().map(|r| r.name.clone()).collect();
    let lang = cx.lang;
    let series: Vec<Segments> = (0..names.len())
        .map(|r| Segments {
            label: format!("{} {}", l.rank, r + 1),
            colour: RANK_COLOURS[r.min(RANK_COLOURS.len() - 1)],
            widths: cx.smaa.iter().map(|row| row.ranks[r].p).collect(),
        })
        .collect();
    let axes = RowAxes {
        caption: l.acceptability_caption,
        x: 0f64..1f64,
        ticks: 11,
        desc: l.acceptability_x,
        name_area: NAME_AREA,
    };
    stacked_bars(
        "acceptability",
        axes,
        &names,
        &|x| pct(*x, 0, lang),
        &series,
    )
}

/// One series of a stacked bar chart: its legend label, colour and the
/// width of its segment in each row.
struct Segments {
    label: String,
    colour: RGBColor,
    widths: Vec<f64>,
}

/// A horizontal stacked bar chart: one bar per name (top to bottom), the
/// series' segments left to right in order, and a legend of the series.
fn stacked_bars(
    chart_name: &'static str,
    axes: RowAxes,
    names: &[String],
    fmt: &dyn Fn(&f64) -> String,
    series: &[Segments],
) -> Result<String, ChartError> {
    let e = err(chart_name);
    let n = names.len();
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, height(n))).into_drawing_area();
        root.fill(&WHITE).map_err(|x| e(x.to_string()))?;
        let (top, bottom) = root.split_vertically(height(n) - LEGEND);
        let mut chart = row_chart(&top, axes, n, names, fmt).map_err(&e)?;
        let mut items = Vec::new();
        for (s, seg) in series.iter().enumerate() {
            items.push((seg.label.clone(), Marker::Block(seg.colour)));
            let bars = (0..n).map(|i| {
                let start: f64 = series[..s].iter().map(|x| x.widths[i]).sum();
                let row = n - 1 - i;
                let mut rect = Rectangle::new(
                    [
                        (start, SegmentValue::Exact(row)),
                        (start + seg.widths[i], SegmentValue::Exact(row + 1)),
                    ],
                    seg.colour.filled(),
                );
                rect.set_margin(8, 8, 0, 0);
                rect
            });
            chart.draw_series(bars).map_err(|x| e(x.to_string()))?;
        }
        legend(&bottom, &items).map_err(&e)?;
        root.present().map_err(|x| e(x.to_string()))?;
    }
    Ok(buf)
}

fn values(cx: &MemoContext, l: &Labels) -> Result<String, ChartError> {
    let e = err("values");
    let names: Vec<String> = cx.smaa.iter().map(|r| r.name.clone()).collect();
    let n = names.len();
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, height(n))).into_drawing_area();
        root.fill(&WHITE).map_err(|x| e(x.to_string()))?;
        let (top, bottom) = root.split_vertically(height(n) - LEGEND);
        let lang = cx.lang;
        let axes = RowAxes {
            caption: l.values_caption,
            x: 0f64..1f64,
            ticks: 11,
            desc: l.values_x,
            name_area: NAME_AREA,
        };
        let mut chart = row_chart(&top, axes, n, &names, &|x| num(*x, 1, lang)).map_err(&e)?;
        let range_colour = RGBColor(0x6b, 0xae, 0xd6);
        let dark = RGBColor(0x08, 0x30, 0x6b);
        let red = RGBColor(0xc4, 0x4e, 0x52);
        let items = vec![
            (l.range.to_string(), Marker::Block(range_colour)),
            (l.median.to_string(), Marker::Tick(dark)),
            (l.mean.to_string(), Marker::Dot(red)),
        ];
        let row = |i: usize| n - 1 - i;
        chart
            .draw_series(cx.smaa.iter().enumerate().map(|(i, r)| {
                let mut rect = Rectangle::new(
                    [
                        (r.value.p05, SegmentValue::Exact(row(i))),
                        (r.value.p95, SegmentValue::Exact(row(i) + 1)),
                    ],
                    range_colour.filled(),
                );
                rect.set_margin(12, 12, 0, 0);
                rect
            }))
            .map_err(|x| e(x.to_string()))?;
        chart
            .draw_series(cx.smaa.iter().enumerate().map(|(i, r)| {
                let mut rect = Rectangle::new(
                    [
                        (r.value.p50 - 0.002, SegmentValue::Exact(row(i))),
                        (r.value.p50 + 0.002, SegmentValue::Exact(row(i) + 1)),
                    ],
                    dark.filled(),
                );
                rect.set_margin(6, 6, 0, 0);
                rect
            }))
            .map_err(|x| e(x.to_string()))?;
        chart
            .draw_series(cx.smaa.iter().enumerate().map(|(i, r)| {
                Circle::new(
                    (r.value.mean, SegmentValue::CenterOf(row(i))),
                    5,
                    red.filled(),
                )
            }))
            .map_err(|x| e(x.to_string()))?;
        legend(&bottom, &items).map_err(&e)?;
        root.present().map_err(|x| e(x.to_string()))?;
    }
    Ok(buf)
}

/// Initiative colours for the one-way chart (deterministic order).
const LINE_COLOURS: [RGBColor; 8] = [
    RGBColor(0x1f, 0x5f, 0x8b),
    RGBColor(0xe0, 0x8a, 0x1e),
    RGBColor(0x3b, 0x8e, 0x4f),
    RGBColor(0xc4, 0x4e, 0x52),
    RGBColor(0x8c, 0x56, 0x9c),
    RGBColor(0x7f, 0x7f, 0x7f),
    RGBColor(0x17, 0xbe, 0xcf),
    RGBColor(0xbc, 0xbd, 0x22),
];

/// Height of one panel of the one-way chart and of its legend band.
const PANEL: u32 = 300;
const LINES_LEGEND: u32 = 70;

fn weights(cx: &MemoContext, l: &Labels) -> Result<String, ChartError> {
    let e = err("weights");
    let groups = &cx.sensitivity.group_lines;
    let k = groups.len().max(1);
    let h = 40 + PANEL + LINES_LEGEND;
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, h)).into_drawing_area();
        root.fill(&WHITE).map_err(|x| e(x.to_string()))?;
        let root = root
            .titled(l.weights_caption, ("sans-serif", 18))
            .map_err(|x| e(x.to_string()))?;
        let (top, bottom) = root.split_vertically(PANEL);
        let panels = top.split_evenly((1, k));
        let lang = cx.lang;
        let band = RGBColor(0xee, 0xf3, 0xf7);
        let grey = RGBColor(0x55, 0x55, 0x55);
        for (g, (panel, one)) in panels.iter().zip(groups).enumerate() {
            let mut chart = ChartBuilder::on(panel)
                .margin(8)
                .margin_right(22)
                .x_label_area_size(44)
                .y_label_area_size(if g == 0 { 48 } else { 28 })
                .build_cartesian_2d(0f64..1f64, 0f64..1f64)
                .map_err(|x| e(x.to_string()))?;
            chart
                .configure_mesh()
                .light_line_style(TRANSPARENT)
                .x_labels(3)
                .x_label_formatter(&|x| pct(*x, 0, lang))
                .y_labels(6)
                .y_label_formatter(&|y| {
                    if g == 0 {
                        num(*y, 1, lang)
                    } else {
                        String::new()
                    }
                })
                .x_desc(format!("{} {}", l.weights_x, one.name.to_lowercase()))
                .y_desc(if g == 0 { l.weights_y } else { "" })
                .label_style(("sans-serif", 13))
                .draw()
                .map_err(|x| e(x.to_string()))?;
            // Where the first initiative stays first.
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(one.lower, 0.0), (one.upper, 1.0)],
                    band.filled(),
                )))
                .map_err(|x| e(x.to_string()))?;
            for (i, (_, a, b)) in one.lines.iter().enumerate() {
                let colour = LINE_COLOURS[i % LINE_COLOURS.len()];
                chart
                    .draw_series(LineSeries::new(
                        [(0.0, *a), (1.0, *b)],
                        colour.stroke_width(2),
                    ))
                    .map_err(|x| e(x.to_string()))?;
            }
            chart
                .draw_series(DashedLineSeries::new(
                    [(one.current, 0.0), (one.current, 1.0)],
                    5,
                    4,
                    grey.stroke_width(1),
                ))
                .map_err(|x| e(x.to_string()))?;
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("{} {}", l.now, pct(one.current, 0, lang)),
                    (one.current, 0.99),
                    ("sans-serif", 12).into_font().color(&grey),
                )))
                .map_err(|x| e(x.to_string()))?;
        }
        let mut items: Vec<(String, Marker)> = groups
            .first()
            .map(|one| {
                one.lines
                    .iter()
                    .enumerate()
                    .map(|(i, (name, ..))| {
                        (
                            name.clone(),
                            Marker::Line(LINE_COLOURS[i % LINE_COLOURS.len()]),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        items.push((
            format!("{} {}", cx.sensitivity.leader, l.stays_first),
            Marker::Block(band),
        ));
        legend_from(&bottom, &items, 16, 24, WIDTH).map_err(&e)?;
        root.present().map_err(|x| e(x.to_string()))?;
    }
    Ok(buf)
}

/// The tornado is wider than the other charts (it is scaled to the page
/// all the same): "initiative – criterion" labels are long.
const TORNADO_WIDTH: u32 = 1000;
/// Space for those labels on the left.
const TORNADO_NAMES: u32 = 490;

fn tornado(cx: &MemoContext, l: &Labels) -> Result<String, ChartError> {
    let e = err("tornado");
    let s = &cx.sensitivity;
    let names: Vec<String> = s.tornado.iter().map(|b| b.label.clone()).collect();
    let n = names.len().max(1);
    let row = 30;
    let h = 100 + row * n as u32 + LEGEND;
    let width = TORNADO_WIDTH;
    // The value axis: the bars and the two reference lines, padded.
    let mut lo = s.leader_total.min(s.runner_up_total);
    let mut hi = s.leader_total.max(s.runner_up_total);
    for b in &s.tornado {
        lo = lo.min(b.low.min(b.high));
        hi = hi.max(b.low.max(b.high));
    }
    let pad = 0.05 * (hi - lo).max(0.05);
    let (lo, hi) = ((lo - pad).max(0.0), (hi + pad).min(1.0));
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (width, h)).into_drawing_area();
        root.fill(&WHITE).map_err(|x| e(x.to_string()))?;
        let (top, bottom) = root.split_vertically(h - LEGEND);
        let lang = cx.lang;
        let axes = RowAxes {
            caption: l.tornado_caption,
            x: lo..hi,
            ticks: 8,
            desc: l.tornado_x,
            name_area: TORNADO_NAMES,
        };
        let mut chart = row_chart(&top, axes, n, &names, &|x| num(*x, 2, lang)).map_err(&e)?;
        let low_colour = RGBColor(0xe0, 0x8a, 0x1e);
        let high_colour = RGBColor(0x1f, 0x5f, 0x8b);
        let first = RGBColor(0x3b, 0x8e, 0x4f);
        let second = RGBColor(0x9a, 0x9a, 0x9a);
        let y = |i: usize| n - 1 - i;
        for (i, b) in s.tornado.iter().enumerate() {
            for (end, colour) in [(b.low, low_colour), (b.high, high_colour)] {
                let mut r = Rectangle::new(
                    [
                        (b.base.min(end), SegmentValue::Exact(y(i))),
                        (b.base.max(end), SegmentValue::Exact(y(i) + 1)),
                    ],
                    colour.filled(),
                );
                r.set_margin(5, 5, 0, 0);
                chart
                    .draw_series(std::iter::once(r))
                    .map_err(|x| e(x.to_string()))?;
            }
        }
        for (x, colour) in [(s.leader_total, first), (s.runner_up_total, second)] {
            chart
                .draw_series(DashedLineSeries::new(
                    [(x, SegmentValue::Exact(0)), (x, SegmentValue::Exact(n))],
                    6,
                    4,
                    colour.stroke_width(2),
                ))
                .map_err(|x| e(x.to_string()))?;
        }
        let items = vec![
            (l.at_p05.to_string(), Marker::Block(low_colour)),
            (l.at_p95.to_string(), Marker::Block(high_colour)),
            (
                format!("{} ({})", s.leader, l.first_line),
                Marker::Line(first),
            ),
            (
                format!("{} ({})", s.runner_up, l.second_line),
                Marker::Line(second),
            ),
        ];
        legend_from(&bottom, &items, 16, 16, TORNADO_WIDTH).map_err(&e)?;
        root.present().map_err(|x| e(x.to_string()))?;
    }
    Ok(buf)
}
