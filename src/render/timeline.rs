//! The timeline page: every event in date order, grouped by year, with its
//! date at the precision the sources allow, its entities and its cited
//! sources, and an overview picture drawn at build time as SVG (time runs
//! right to left in a right-to-left dossier). Each event spans the whole
//! period its date allows, so a month-precise event is a month wide.

use super::{date_view, escape, number, page_view, rich, url, Citations, Crumbs, DateView, LinkView, PageOut};
use crate::model::*;
use serde::Serialize;
use std::fmt::Write as _;

const ROOT: &str = "../";

#[derive(Serialize)]
struct TimelineView {
    overview: String,
    years: Vec<YearView>,
    citations: String,
    count: String,
}

#[derive(Serialize)]
struct YearView {
    year: String,
    events: Vec<EventView>,
}

#[derive(Serialize)]
struct EventView {
    id: String,
    date: DateView,
    title: String,
    body: String,
    entities: Vec<LinkView>,
    sources: String,
    /// Sources outside the texts, marked as such.
    external: String,
}

/// Above this many events the timeline is split into one page per year,
/// with the overview and a year index on the first page, and the overview
/// becomes a histogram (one bar per event would need a row per overlap).
pub const SPLIT_ABOVE: usize = 300;

pub fn split(d: &Dossier) -> bool {
    d.events.len() > SPLIT_ABOVE
}

#[derive(Serialize)]
struct YearLink {
    year: String,
    href: String,
    count: String,
}

#[derive(Serialize)]
struct TimelineIndex {
    overview: String,
    years: Vec<YearLink>,
    count: String,
}

pub fn timeline(d: &Dossier) -> Vec<PageOut> {
    if !split(d) {
        let (years, citations) = years_view(d, ROOT, 0..d.events.len());
        let view = TimelineView {
            overview: overview_svg(d),
            years,
            citations,
            count: number(d.events.len(), d.config.numerals),
        };
        return vec![(
            "timeline/index.html".to_string(),
            "timeline.html",
            page_view(d, ROOT, "الخط الزمني".to_string(), "timeline", view).with_crumbs(Crumbs::default()),
            Vec::new(),
        )];
    }
    // Events are sorted by date, so each year is one contiguous run.
    let mut runs: Vec<(i32, std::ops::Range<usize>)> = Vec::new();
    for (i, ev) in d.events.iter().enumerate() {
        match runs.last_mut() {
            Some((y, r)) if *y == ev.date.year() => r.end = i + 1,
            _ => runs.push((ev.date.year(), i..i + 1)),
        }
    }
    let mut pages = Vec::with_capacity(runs.len() + 1);
    let index = TimelineIndex {
        overview: histogram_svg(d),
        years: runs
            .iter()
            .map(|(y, r)| YearLink {
                year: number(y, d.config.numerals),
                href: format!("{y}.html"),
                count: number(r.len(), d.config.numerals),
            })
            .collect(),
        count: number(d.events.len(), d.config.numerals),
    };
    pages.push((
        "timeline/index.html".to_string(),
        "timeline-index.html",
        page_view(d, ROOT, "الخط الزمني".to_string(), "timeline", index).with_crumbs(Crumbs::default()),
        Vec::new(),
    ));
    for (year, range) in runs {
        let count = range.len();
        let (years, citations) = years_view(d, ROOT, range);
        let view = TimelineView { overview: String::new(), years, citations, count: number(count, d.config.numerals) };
        let title = format!("الخط الزمني: {}", number(year, d.config.numerals));
        pages.push((
            format!("timeline/{year}.html"),
            "timeline.html",
            page_view(d, ROOT, title, "timeline", view).with_crumbs(Crumbs {
                section: true,
                trail: Vec::new(),
                current: Some(number(year, d.config.numerals)),
            }),
            Vec::new(),
        ));
    }
    pages
}

/// The events of `range`, grouped by year, with their citation list.
fn years_view(d: &Dossier, root: &str, range: std::ops::Range<usize>) -> (Vec<YearView>, String) {
    let mut cites = Citations::new(root);
    let mut years: Vec<YearView> = Vec::new();
    for ev in &d.events[range] {
        let year = number(ev.date.year(), d.config.numerals);
        let body = rich::render(d, &ev.body, root, &mut cites);
        let sources: Vec<String> = ev.sources.iter().map(|c| cites.marker(d, *c)).collect();
        let view = EventView {
            id: ev.id.clone(),
            date: super::event_date_view(d, ev),
            title: ev.title.clone(),
            body,
            entities: ev
                .entities
                .iter()
                .map(|&e| {
                    let ent = &d.entities[e as usize];
                    LinkView { title: ent.name.clone(), href: url::entity(root, &ent.id) }
                })
                .collect(),
            sources: sources.join(" "),
            external: super::external_html(d, &ev.external),
        };
        match years.last_mut() {
            Some(y) if y.year == year => y.events.push(view),
            _ => years.push(YearView { year, events: vec![view] }),
        }
    }
    (years, cites.list_html(d))
}

/// The overview of a large timeline: events per month, as bars over time
/// (right to left in RTL), each year's bars linking to its page.
fn histogram_svg(d: &Dossier) -> String {
    let mut months: std::collections::BTreeMap<(i32, u8), usize> = std::collections::BTreeMap::new();
    for ev in &d.events {
        let (y, m, _) = ev.date.earliest();
        *months.entry((y, m)).or_default() += 1;
    }
    let (Some(&(y0, _)), Some(&(y1, _))) = (months.keys().next(), months.keys().next_back()) else {
        return String::new();
    };
    let n_months = ((y1 - y0 + 1) * 12) as f64;
    let max = months.values().copied().max().unwrap_or(1) as f64;
    let rtl = d.config.dir == "rtl";
    let bar_w = (WIDTH - 2.0 * MARGIN) / n_months;
    let plot_h = 120.0;
    let height = AXIS + plot_h + 8.0;
    let x = |i: f64| if rtl { WIDTH - MARGIN - (i + 1.0) * bar_w } else { MARGIN + i * bar_w };
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        "<svg class=\"overview\" viewBox=\"0 0 {WIDTH} {height}\" width=\"100%\" aria-labelledby=\"overview-title overview-desc\">\
<title id=\"overview-title\">عدد الأحداث في كل شهر</title>\
<desc id=\"overview-desc\">{n} حدثًا بين {a} و{b}، عمود لكل شهر يبدأ فيه حدث، والزمن يجري من اليمين إلى اليسار.</desc>",
        n = number(d.events.len(), d.config.numerals),
        a = number(y0, d.config.numerals),
        b = number(y1, d.config.numerals),
    );
    for y in y0..=y1 {
        let i = ((y - y0) * 12) as f64;
        let tx = if rtl { x(i) + bar_w } else { x(i) };
        let mid = if rtl { tx - 6.0 * bar_w } else { tx + 6.0 * bar_w };
        let _ = write!(
            svg,
            "<line class=\"tick\" x1=\"{tx:.1}\" y1=\"{AXIS}\" x2=\"{tx:.1}\" y2=\"{height}\"/><a href=\"{y}.html\"><text class=\"year\" x=\"{mid:.1}\" y=\"18\" text-anchor=\"middle\">{}</text></a>",
            number(y, d.config.numerals)
        );
    }
    for (&(y, m), &count) in &months {
        let i = ((y - y0) * 12 + i32::from(m) - 1) as f64;
        let h = (count as f64 / max * plot_h).max(1.0);
        let _ = write!(
            svg,
            "<rect class=\"bar\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\"><title>{}/{}: {}</title></rect>",
            x(i),
            AXIS + plot_h - h,
            (bar_w - 0.5).max(0.5),
            number(m, d.config.numerals),
            number(y, d.config.numerals),
            number(count, d.config.numerals),
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn day_number((y, m, d): (i32, u8, u8)) -> i64 {
    let (y, m, d) = (y as i64, m as i64, d as i64);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

const WIDTH: f64 = 960.0;
const MARGIN: f64 = 24.0;
const ROW: f64 = 14.0;
const AXIS: f64 = 28.0;
/// The share of width a year without events gets, against 1 for a year with events.
const EMPTY_YEAR: f64 = 0.2;

/// The overview: one bar per event over its possible period, in rows so
/// bars never overlap, with a tick per year. Right to left for RTL.
fn overview_svg(d: &Dossier) -> String {
    if d.events.is_empty() {
        return String::new();
    }
    let spans: Vec<(i64, i64)> =
        d.events.iter().map(|e| (day_number(e.date.earliest()), day_number(e.date.latest()) + 1)).collect();
    let first_year = d.events.iter().map(|e| e.date.earliest().0).min().unwrap_or(2000);
    let last_year = d.events.iter().map(|e| e.date.latest().0).max().unwrap_or(first_year);
    // The time scale is piecewise linear by year: a year with events gets
    // a full share of the width, a year without any only a sliver, so a
    // single early event does not squeeze the rest into a corner.
    let years: Vec<i32> = (first_year..=last_year + 1).collect();
    let starts: Vec<i64> = years.iter().map(|&y| day_number((y, 1, 1))).collect();
    let covered: Vec<bool> = years[..years.len() - 1]
        .iter()
        .enumerate()
        .map(|(i, _)| spans.iter().any(|&(s, e)| s < starts[i + 1] && e > starts[i]))
        .collect();
    let weights: Vec<f64> = covered.iter().map(|&c| if c { 1.0 } else { EMPTY_YEAR }).collect();
    let mut offsets = vec![0.0];
    for w in &weights {
        offsets.push(offsets.last().copied().unwrap_or(0.0) + w);
    }
    let total = offsets.last().copied().unwrap_or(1.0).max(f64::EPSILON);
    let rtl = d.config.dir == "rtl";
    let x = |t: i64| {
        let i = starts.partition_point(|&s| s <= t).saturating_sub(1).min(weights.len().saturating_sub(1));
        let span = (starts[i + 1] - starts[i]).max(1) as f64;
        let frac = ((t - starts[i]) as f64 / span).clamp(0.0, 1.0);
        let off = (offsets[i] + weights[i] * frac) / total * (WIDTH - 2.0 * MARGIN);
        if rtl {
            WIDTH - MARGIN - off
        } else {
            MARGIN + off
        }
    };
    // Rows: each event goes to the first row whose last bar ended before it.
    let mut row_ends: Vec<f64> = Vec::new();
    let mut rows = Vec::with_capacity(spans.len());
    for &(s, e) in &spans {
        let (a, b) = (x(s).min(x(e)), x(s).max(x(e)).max(x(s).min(x(e)) + 4.0));
        let (lo, hi) = if rtl { (WIDTH - b, WIDTH - a) } else { (a, b) };
        let r = row_ends.iter().position(|&end| end + 2.0 <= lo).unwrap_or(row_ends.len());
        if r == row_ends.len() {
            row_ends.push(hi);
        } else {
            row_ends[r] = hi;
        }
        rows.push(r);
    }
    let height = AXIS + ROW * row_ends.len() as f64 + 8.0;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        "<svg class=\"overview\" viewBox=\"0 0 {WIDTH} {height}\" width=\"100%\" aria-labelledby=\"overview-title overview-desc\">\
<title id=\"overview-title\">نظرة عامة على الخط الزمني</title>\
<desc id=\"overview-desc\">{n} حدثًا بين {y0} و{y1}، كل حدث شريط يمتد على الفترة التي يسمح بها تاريخه، والزمن يجري من اليمين إلى اليسار.</desc>",
        n = number(d.events.len(), d.config.numerals),
        y0 = number(first_year, d.config.numerals),
        y1 = number(last_year, d.config.numerals),
    );
    for (i, &year) in years.iter().enumerate() {
        let tx = x(starts[i]);
        let after_covered = i > 0 && covered[i - 1];
        let before_covered = covered.get(i).copied().unwrap_or(false);
        if after_covered || before_covered {
            let _ = write!(svg, "<line class=\"tick\" x1=\"{tx:.1}\" y1=\"{AXIS}\" x2=\"{tx:.1}\" y2=\"{height}\"/>");
        }
        if let Some(&c) = covered.get(i) {
            let mid = (tx + x(starts[i + 1])) / 2.0;
            if c {
                let _ = write!(
                    svg,
                    "<text class=\"year\" x=\"{mid:.1}\" y=\"18\" text-anchor=\"middle\">{}</text>",
                    number(year, d.config.numerals)
                );
            } else if i == 0 || covered[i - 1] {
                // One mark for a run of empty years.
                let _ = write!(svg, "<text class=\"year gap\" x=\"{mid:.1}\" y=\"18\" text-anchor=\"middle\">…</text>");
            }
        }
    }
    for ((ev, &(s, e)), &r) in d.events.iter().zip(&spans).zip(&rows) {
        let (a, b) = (x(s).min(x(e)), x(s).max(x(e)));
        let w = (b - a).max(4.0);
        let y = AXIS + 4.0 + ROW * r as f64;
        let dv = date_view(d, &ev.date);
        let _ = write!(
            svg,
            "<a href=\"#event-{id}\"><rect class=\"bar{vague}\" x=\"{a:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h}\" rx=\"2\"><title>{date}: {title}</title></rect></a>",
            id = ev.id,
            h = ROW - 4.0,
            date = escape(&dv.text),
            title = escape(&ev.title),
            vague = if ev.date.is_vague() { " vague" } else { "" },
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::day_number;

    #[test]
    fn day_numbers_are_civil_days() {
        assert_eq!(day_number((1970, 1, 1)), 0);
        assert_eq!(day_number((2000, 3, 1)), 11_017);
        assert_eq!(day_number((2024, 3, 1)) - day_number((2024, 2, 28)), 2);
    }
}
