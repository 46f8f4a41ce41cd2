//! The memo's charts as SVG text, drawn with plotters' SVG backend.
//!
//! Owns three charts: the contributions of the criterion groups to each
//! initiative's deterministic score (stacked bars), the rank acceptabilities
//! (stacked bars of the share of scenarios at each rank) and each
//! initiative's overall value distribution (5th–95th percentile bar with
//! median and mean). Every number drawn comes from the [`MemoContext`]; the
//! labels and captions come from [`Labels`] in the memo's language. plotters
//! escapes `<`, `>`, `&` and quotes in the text it writes, so names from the
//! decision files are data in the SVG too. No font is needed: the SVG
//! backend estimates text sizes and the browser draws the text.

use plotters::coord::ranged1d::SegmentValue;
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

/// The three charts as SVG documents.
#[derive(Debug, Clone)]
pub struct Svgs {
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
}

/// Draws a one-line legend, left to right, in `area` (widths estimated
/// like plotters' own font-less layout: 0.6 em per character).
fn legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    items: &[(String, Marker)],
) -> Result<(), String> {
    let font_px = 13.0;
    let mut x = NAME_AREA as i32 - 10;
    let y = 16;
    for (text, marker) in items {
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
        }
        area.draw(&Text::new(
            text.clone(),
            (x + 20, y - 7),
            ("sans-serif", font_px * 1.24).into_font(),
        ))
        .map_err(|e| e.to_string())?;
        x += 20 + (text.chars().count() as f64 * font_px * 0.6) as i32 + 18;
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
    })
}

/// Name of the bar at segment `v` (row 0 at the top).
fn row_name(names: &[String], v: &SegmentValue<usize>) -> String {
    match v {
        SegmentValue::CenterOf(i) if *i < names.len() => names[names.len() - 1 - i].clone(),
        _ => String::new(),
    }
}

fn contributions(cx: &MemoContext, l: &Labels) -> Result<String, ChartError> {
    let e = err("contributions");
    let names: Vec<String> = cx.initiatives.iter().map(|i| i.name.clone()).collect();
    let n = names.len();
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, height(n))).into_drawing_area();
        root.fill(&WHITE).map_err(|x| e(x.to_string()))?;
        let (top, bottom) = root.split_vertically(height(n) - LEGEND);
        let mut chart = ChartBuilder::on(&top)
            .caption(l.contributions_caption, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(44)
            .y_label_area_size(NAME_AREA)
            .build_cartesian_2d(0f64..1f64, (0..n).into_segmented())
            .map_err(|x| e(x.to_string()))?;
        let lang = cx.lang;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(TRANSPARENT)
            .y_labels(n)
            .y_label_formatter(&|v| row_name(&names, v))
            .x_labels(11)
            .x_label_formatter(&|x| num(*x, 1, lang))
            .x_desc(l.contributions_x)
            .label_style(("sans-serif", 14))
            .draw()
            .map_err(|x| e(x.to_string()))?;
        let mut items = Vec::new();
        for (g, group) in cx.groups.iter().enumerate() {
            let colour = GROUP_COLOURS[g % GROUP_COLOURS.len()];
            items.push((group.name.clone(), Marker::Block(colour)));
            let bars = cx.initiatives.iter().enumerate().map(|(i, init)| {
                let start: f64 = init.groups[..g].iter().sum();
                let row = n - 1 - i;
                let mut r = Rectangle::new(
                    [
                        (start, SegmentValue::Exact(row)),
                        (start + init.groups[g], SegmentValue::Exact(row + 1)),
                    ],
                    colour.filled(),
                );
                r.set_margin(8, 8, 0, 0);
                r
            });
            chart.draw_series(bars).map_err(|x| e(x.to_string()))?;
        }
        legend(&bottom, &items).map_err(&e)?;
        root.present().map_err(|x| e(x.to_string()))?;
    }
    Ok(buf)
}

fn acceptability(cx: &MemoContext, l: &Labels) -> Result<String, ChartError> {
    let e = err("acceptability");
    let names: Vec<String> = cx.smaa.iter().map(|r| r.name.clone()).collect();
    let n = names.len();
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, height(n))).into_drawing_area();
        root.fill(&WHITE).map_err(|x| e(x.to_string()))?;
        let (top, bottom) = root.split_vertically(height(n) - LEGEND);
        let mut chart = ChartBuilder::on(&top)
            .caption(l.acceptability_caption, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(44)
            .y_label_area_size(NAME_AREA)
            .build_cartesian_2d(0f64..1f64, (0..n).into_segmented())
            .map_err(|x| e(x.to_string()))?;
        let lang = cx.lang;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(TRANSPARENT)
            .y_labels(n)
            .y_label_formatter(&|v| row_name(&names, v))
            .x_labels(11)
            .x_label_formatter(&|x| pct(*x, 0, lang))
            .x_desc(l.acceptability_x)
            .label_style(("sans-serif", 14))
            .draw()
            .map_err(|x| e(x.to_string()))?;
        let mut items = Vec::new();
        for r in 0..n {
            let colour = RANK_COLOURS[r.min(RANK_COLOURS.len() - 1)];
            items.push((format!("{} {}", l.rank, r + 1), Marker::Block(colour)));
            let bars = cx.smaa.iter().enumerate().map(|(i, row)| {
                let start: f64 = row.ranks[..r].iter().map(|x| x.p).sum();
                let y = n - 1 - i;
                let mut rect = Rectangle::new(
                    [
                        (start, SegmentValue::Exact(y)),
                        (start + row.ranks[r].p, SegmentValue::Exact(y + 1)),
                    ],
                    colour.filled(),
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
        let mut chart = ChartBuilder::on(&top)
            .caption(l.values_caption, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(44)
            .y_label_area_size(NAME_AREA)
            .build_cartesian_2d(0f64..1f64, (0..n).into_segmented())
            .map_err(|x| e(x.to_string()))?;
        let lang = cx.lang;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(TRANSPARENT)
            .y_labels(n)
            .y_label_formatter(&|v| row_name(&names, v))
            .x_labels(11)
            .x_label_formatter(&|x| num(*x, 1, lang))
            .x_desc(l.values_x)
            .label_style(("sans-serif", 14))
            .draw()
            .map_err(|x| e(x.to_string()))?;
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
