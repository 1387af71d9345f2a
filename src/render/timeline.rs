//! The timeline page: every event in date order, grouped by year, with its
//! date at the precision the sources allow, its entities and its cited
//! sources, and an overview picture drawn at build time as SVG (time runs
//! the way the page's text runs, and its description says so). Each event spans the whole
//! period its date allows, so a month-precise event is a month wide. Each
//! bar is a link named by the event's date and title (`static/timeline.js`
//! shows that label on focus, hover and tap); the picture names the
//! densest stretch of time (`data-focus`), where a phone, on which the
//! picture scrolls sideways, opens it. Events carry their entities' and
//! sources' ids (`data-entities`, `data-articles`) for the filters, which
//! the script shows and runs in the page: without it, the whole list.

use super::{date_view, escape, number, page_view, rich, url, Citations, Crumbs, DateView, LinkView, PageOut};
use crate::i18n::Catalogue;
use crate::model::*;
use serde::Serialize;
use std::fmt::Write as _;

const ROOT: &str = "../";

#[derive(Serialize)]
struct TimelineView {
    overview: String,
    years: Vec<YearView>,
    citations: String,
    count: usize,
    /// What the events may be filtered by: the entities they tag and the
    /// articles they cite, each with its number of events.
    filter_entities: Vec<FilterOption>,
    filter_articles: Vec<FilterOption>,
    /// Whether some event's date is approximate or uncertain (the legend).
    vague: bool,
}

#[derive(Serialize)]
struct FilterOption {
    id: String,
    name: String,
    count: String,
}

/// One source of an event: the cited article's title (cut short) and the
/// paragraph, linking to the passage.
#[derive(Serialize)]
struct SourceView {
    title: String,
    full_title: String,
    href: String,
    paragraph: Option<String>,
}

/// Characters of an article's title shown for an event's source.
const SOURCE_TITLE: usize = 48;

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
    sources: Vec<SourceView>,
    /// Sources outside the texts, marked as such.
    external: String,
    /// The ids of its entities and of the articles it cites, space-separated.
    entity_ids: String,
    article_ids: String,
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
    count: usize,
}

pub fn timeline(d: &Dossier, cat: &Catalogue) -> Vec<PageOut> {
    if !split(d) {
        let (years, citations) = years_view(d, cat, ROOT, 0..d.events.len());
        let (filter_entities, filter_articles) = filters(d, 0..d.events.len());
        let view = TimelineView {
            overview: overview_svg(d, cat),
            years,
            citations,
            count: d.events.len(),
            filter_entities,
            filter_articles,
            vague: d.events.iter().any(|e| e.date.is_vague()),
        };
        return vec![(
            "timeline/index.html".to_string(),
            "timeline.html",
            page_view(d, ROOT, cat.t("timeline.title").to_string(), "timeline", view).with_crumbs(Crumbs::default()),
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
        overview: histogram_svg(d, cat),
        years: runs
            .iter()
            .map(|(y, r)| YearLink {
                year: number(y, d.config.numerals),
                href: format!("{y}.html"),
                count: number(r.len(), d.config.numerals),
            })
            .collect(),
        count: d.events.len(),
    };
    pages.push((
        "timeline/index.html".to_string(),
        "timeline-index.html",
        page_view(d, ROOT, cat.t("timeline.title").to_string(), "timeline", index).with_crumbs(Crumbs::default()),
        Vec::new(),
    ));
    for (year, range) in runs {
        let count = range.len();
        let (filter_entities, filter_articles) = filters(d, range.clone());
        let vague = d.events[range.clone()].iter().any(|e| e.date.is_vague());
        let (years, citations) = years_view(d, cat, ROOT, range);
        let view =
            TimelineView { overview: String::new(), years, citations, count, filter_entities, filter_articles, vague };
        let title = cat.tf("timeline.year_title", &[("year", &number(year, d.config.numerals))]);
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

/// The entities the events of `range` tag and the articles they cite, in
/// Arabic order of names and titles, each with its number of events.
fn filters(d: &Dossier, range: std::ops::Range<usize>) -> (Vec<FilterOption>, Vec<FilterOption>) {
    let mut entities: std::collections::BTreeMap<Ix, usize> = std::collections::BTreeMap::new();
    let mut articles: std::collections::BTreeMap<Ix, usize> = std::collections::BTreeMap::new();
    for ev in &d.events[range] {
        for &e in &ev.entities {
            *entities.entry(e).or_default() += 1;
        }
        let cited: std::collections::BTreeSet<Ix> = ev.sources.iter().map(|c| c.article).collect();
        for a in cited {
            *articles.entry(a).or_default() += 1;
        }
    }
    let option = |id: &str, name: &str, count: usize| FilterOption {
        id: id.to_string(),
        name: name.to_string(),
        count: number(count, d.config.numerals),
    };
    let mut by_entity: Vec<(String, FilterOption)> = entities
        .into_iter()
        .map(|(e, n)| {
            let ent = &d.entities[e as usize];
            (crate::arabic::sort_key(&ent.name), option(&ent.id, &ent.name, n))
        })
        .collect();
    by_entity.sort_by(|a, b| (&a.0, &a.1.id).cmp(&(&b.0, &b.1.id)));
    let mut by_article: Vec<(String, FilterOption)> = articles
        .into_iter()
        .map(|(a, n)| {
            let art = &d.articles[a as usize];
            (crate::arabic::sort_key(&art.title), option(&art.id, &super::excerpt(&art.title, SOURCE_TITLE), n))
        })
        .collect();
    by_article.sort_by(|a, b| (&a.0, &a.1.id).cmp(&(&b.0, &b.1.id)));
    (by_entity.into_iter().map(|(_, o)| o).collect(), by_article.into_iter().map(|(_, o)| o).collect())
}

/// An event's source as the timeline names it.
fn source_view(d: &Dossier, root: &str, c: &Citation) -> SourceView {
    let a = &d.articles[c.article as usize];
    let paragraph = match c.at {
        CiteAt::Article => None,
        CiteAt::Paragraph(p) => Some(p),
        CiteAt::Passage(p) => Some(p.paragraph),
    };
    SourceView {
        title: super::excerpt(&a.title, SOURCE_TITLE),
        full_title: a.title.clone(),
        href: Citations::target(d, root, c),
        paragraph: paragraph.map(|p| number(p, d.config.numerals)),
    }
}

/// The events of `range`, grouped by year, with their citation list.
fn years_view(d: &Dossier, cat: &Catalogue, root: &str, range: std::ops::Range<usize>) -> (Vec<YearView>, String) {
    let mut cites = Citations::new(root, cat);
    let mut years: Vec<YearView> = Vec::new();
    for ev in &d.events[range] {
        let year = number(ev.date.year(), d.config.numerals);
        let body = rich::render(d, &ev.body, root, &mut cites);
        let sources = ev.sources.iter().map(|c| source_view(d, root, c)).collect();
        let mut cited: Vec<&str> = ev.sources.iter().map(|c| d.articles[c.article as usize].id.as_str()).collect();
        cited.sort_unstable();
        cited.dedup();
        let view = EventView {
            id: ev.id.clone(),
            date: super::event_date_view(d, cat, ev),
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
            sources,
            external: super::external_html(d, cat, &ev.external),
            entity_ids: ev.entities.iter().map(|&e| d.entities[e as usize].id.as_str()).collect::<Vec<_>>().join(" "),
            article_ids: cited.join(" "),
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
fn histogram_svg(d: &Dossier, cat: &Catalogue) -> String {
    // Per month: the number of events that start in it, and the first.
    let mut months: std::collections::BTreeMap<(i32, u8), (usize, usize)> = std::collections::BTreeMap::new();
    for (k, ev) in d.events.iter().enumerate() {
        let (y, m, _) = ev.date.earliest();
        months.entry((y, m)).or_insert((0, k)).0 += 1;
    }
    let (Some(&(y0, _)), Some(&(y1, _))) = (months.keys().next(), months.keys().next_back()) else {
        return String::new();
    };
    let n_months = ((y1 - y0 + 1) * 12) as f64;
    let max = months.values().map(|v| v.0).max().unwrap_or(1) as f64;
    let rtl = d.config.dir == "rtl";
    let bar_w = (WIDTH - 2.0 * MARGIN) / n_months;
    let plot_h = 120.0;
    let height = AXIS + plot_h + 8.0;
    let x = |i: f64| if rtl { WIDTH - MARGIN - (i + 1.0) * bar_w } else { MARGIN + i * bar_w };
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        "<svg class=\"overview\" viewBox=\"0 0 {WIDTH} {height}\" width=\"100%\" aria-labelledby=\"overview-title overview-desc\">\
<title id=\"overview-title\">{title}</title>\
<desc id=\"overview-desc\">{desc}</desc>",
        title = escape(cat.t("timeline.per_month")),
        desc = escape(&overview_desc(d, cat, "timeline.months_desc", y0, y1)),
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
    let mut centers = Vec::with_capacity(months.len());
    for (&(y, m), &(count, first)) in &months {
        let i = ((y - y0) * 12 + i32::from(m) - 1) as f64;
        let h = (count as f64 / max * plot_h).max(1.0);
        centers.push((x(i) + bar_w / 2.0, count as f64));
        // Each month's bar links to its first event on its year's page,
        // named by the month and its number of events.
        let ev = &d.events[first];
        let month = crate::date::parse(&format!("{y:04}-{m:02}"))
            .map_or_else(|_| format!("{m}/{y}"), |date| date_view(d, cat, &date).text);
        let label = format!("{month}: {}", cat.n("count.event", count));
        let _ = write!(
            svg,
            "<a href=\"{year}.html#event-{id}\" aria-label=\"{label}\"><rect class=\"bar\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\"><title>{label}</title></rect></a>",
            x(i),
            AXIS + plot_h - h,
            (bar_w - 0.5).max(0.5),
            // The year pages sit beside this one (see `url::event`).
            year = ev.date.year(),
            id = ev.id,
            label = escape(&label),
        );
    }
    if let Some(focus) = densest(&centers, FOCUS_WINDOW) {
        svg = svg.replacen("<svg class=\"overview\"", &format!("<svg class=\"overview\" data-focus=\"{focus:.1}\""), 1);
    }
    svg.push_str("</svg>");
    svg
}

/// The width (in the picture's units, of [`WIDTH`]) of the stretch of
/// time a phone shows of the overview at once, about: 390 px of a picture
/// drawn at least 44rem wide (`milaf.css`), less the page's margins.
const FOCUS_WINDOW: f64 = 480.0;

/// The middle of the stretch `window` wide that holds the most weight of
/// `points` (x, weight): halfway between its first and last points. The
/// first such stretch from the left wins a tie.
fn densest(points: &[(f64, f64)], window: f64) -> Option<f64> {
    let mut sorted: Vec<(f64, f64)> = points.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (mut best, mut best_at) = (0.0, None);
    let mut end = 0;
    let mut sum = 0.0;
    for start in 0..sorted.len() {
        while end < sorted.len() && sorted[end].0 <= sorted[start].0 + window {
            sum += sorted[end].1;
            end += 1;
        }
        if sum > best {
            best = sum;
            best_at = Some(start..end);
        }
        sum -= sorted[start].1;
    }
    let range = best_at?;
    Some((sorted[range.start].0 + sorted[range.end - 1].0) / 2.0)
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
fn overview_svg(d: &Dossier, cat: &Catalogue) -> String {
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
<title id=\"overview-title\">{title}</title>\
<desc id=\"overview-desc\">{desc}</desc>",
        title = escape(cat.t("timeline.overview")),
        desc = escape(&overview_desc(d, cat, "timeline.bars_desc", first_year, last_year)),
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
    let mut centers = Vec::with_capacity(d.events.len());
    for ((ev, &(s, e)), &r) in d.events.iter().zip(&spans).zip(&rows) {
        let (a, b) = (x(s).min(x(e)), x(s).max(x(e)));
        let w = (b - a).max(4.0);
        centers.push((a + w / 2.0, 1.0));
        let y = AXIS + 4.0 + ROW * r as f64;
        let dv = date_view(d, cat, &ev.date);
        let label = format!("{}: {}", dv.text, ev.title);
        let _ = write!(
            svg,
            "<a href=\"#event-{id}\" data-event=\"{id}\" aria-label=\"{label}\"><rect class=\"bar{vague}\" x=\"{a:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h}\" rx=\"2\"><title>{label}</title></rect></a>",
            id = ev.id,
            h = ROW - 4.0,
            label = escape(&label),
            vague = if ev.date.is_vague() { " vague" } else { "" },
        );
    }
    if let Some(focus) = densest(&centers, FOCUS_WINDOW) {
        svg = svg.replacen("<svg class=\"overview\"", &format!("<svg class=\"overview\" data-focus=\"{focus:.1}\""), 1);
    }
    svg.push_str("</svg>");
    svg
}

/// What an overview picture shows, for readers who cannot see it: how
/// many events over which years, and which way time runs (the way the
/// page's text runs: right to left in Arabic, left to right in English).
fn overview_desc(d: &Dossier, cat: &Catalogue, key: &str, from: i32, to: i32) -> String {
    let direction = if d.config.dir == "rtl" { "timeline.rtl" } else { "timeline.ltr" };
    cat.tf(
        key,
        &[
            ("events", &cat.n("count.event", d.events.len())),
            ("from", &number(from, d.config.numerals)),
            ("to", &number(to, d.config.numerals)),
            ("direction", cat.t(direction)),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::{day_number, densest};

    #[test]
    fn the_densest_stretch_is_where_most_events_are() {
        // One early event far left, a cluster on the right.
        let points = [(10.0, 1.0), (700.0, 1.0), (720.0, 1.0), (760.0, 1.0), (900.0, 1.0)];
        assert_eq!(densest(&points, 100.0), Some(730.0));
        // Weights count: one heavy month beats three light ones.
        assert_eq!(densest(&[(0.0, 1.0), (20.0, 1.0), (40.0, 1.0), (500.0, 5.0)], 100.0), Some(500.0));
        assert_eq!(densest(&[], 100.0), None);
    }

    #[test]
    fn day_numbers_are_civil_days() {
        assert_eq!(day_number((1970, 1, 1)), 0);
        assert_eq!(day_number((2000, 3, 1)), 11_017);
        assert_eq!(day_number((2024, 3, 1)) - day_number((2024, 2, 28)), 2);
    }
}
