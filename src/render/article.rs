//! The article page: the text with numbered paragraphs, linked mentions,
//! highlighted passages with their footnote markers, the notes as
//! endnotes, what rests on each paragraph, the entities and events of the
//! article, and the original capture with its SHA-256.

use super::overlay::{self, Point, Wrap, RANK_BDI, RANK_LINK, RANK_MARK, RANK_STYLE};
use super::{
    date_view, escape, excerpt, number, page_view, passage_fragment, rich, url, Citations, CopyFile, DateView, PageOut,
};
use crate::index::Citer;
use crate::model::*;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct ArticleView {
    /// Notes on the whole article: its source, section, credit line.
    about: Vec<AboutView>,
    id: String,
    title: String,
    title_editorial: bool,
    outlet: Option<String>,
    outlet_note: Option<String>,
    url: Option<String>,
    published: Option<DateView>,
    published_note: Option<String>,
    lang: String,
    dir: &'static str,
    other_lang: bool,
    body: String,
    notes: String,
    citations: String,
    paragraphs: String,
    note_count: String,
    entities: Vec<EntityRef>,
    events: Vec<EventRef>,
    original: Option<OriginalView>,
    /// When the article's file last changed (git).
    changed: Option<super::ChangedView>,
    /// The articles before and after this one by publication date.
    prev: Option<SiblingView>,
    next: Option<SiblingView>,
}

/// A neighbouring article, for the previous/next links.
#[derive(Serialize)]
struct SiblingView {
    title: String,
    href: String,
    published: Option<DateView>,
}

/// The article just before (or after) article `i` in publication order.
fn sibling(d: &Dossier, i: usize, forward: bool) -> Option<SiblingView> {
    let rank = *d.index.chronology_rank.get(i)? as usize;
    let at = if forward { rank.checked_add(1)? } else { rank.checked_sub(1)? };
    let a = &d.articles[*d.index.chronology.get(at)? as usize];
    Some(SiblingView {
        title: a.title.clone(),
        href: url::article(ROOT, &a.id),
        published: a.published.as_ref().map(|p| date_view(d, p)),
    })
}

#[derive(Serialize)]
struct EntityRef {
    name: String,
    href: String,
    count: String,
    kind: String,
}

#[derive(Serialize)]
pub struct EventRef {
    pub date: DateView,
    pub title: String,
    pub href: String,
}

#[derive(Serialize)]
struct OriginalView {
    href: String,
    sha256: String,
    bytes: String,
}

/// A note on the whole article, as the head of its page shows it.
#[derive(Serialize)]
struct AboutView {
    id: String,
    kind: &'static str,
    label: &'static str,
    body: String,
    external: String,
}

const ROOT: &str = "../../";

pub fn article(d: &Dossier, i: usize) -> PageOut {
    let a = &d.articles[i];
    let numerals = d.config.numerals;
    let mut cites = Citations::new(ROOT);
    let body = body_html(d, i as Ix);
    // Notes on the whole article come first on the page, so their
    // citations are numbered first.
    let about = a
        .about
        .iter()
        .map(|n| AboutView {
            id: n.id.clone(),
            kind: n.kind.as_str(),
            label: n.kind.label(),
            body: rich::render(d, &n.body, ROOT, &mut cites),
            external: super::external_html(d, &n.external),
        })
        .collect();
    let notes = notes_html(d, i as Ix, &mut cites);
    let entities = d.index.article_entities[i]
        .iter()
        .map(|&(e, count)| {
            let ent = &d.entities[e as usize];
            EntityRef {
                name: ent.name.clone(),
                href: url::entity(ROOT, &ent.id),
                count: number(count, numerals),
                kind: kind_label(d, &ent.kind),
            }
        })
        .collect();
    let events = d.index.article_events[i].iter().map(|&v| event_ref(d, ROOT, v)).collect();
    let mut extra = Vec::new();
    let original = a.original.as_ref().map(|o| {
        extra.push(CopyFile { path: format!("articles/{}/original.txt", a.id), from: o.path.clone() });
        OriginalView { href: "original.txt".to_string(), sha256: o.sha256.clone(), bytes: number(o.len, numerals) }
    });
    let view = ArticleView {
        id: a.id.clone(),
        title: a.title.clone(),
        title_editorial: a.title_editorial,
        outlet: a.outlet.clone(),
        outlet_note: a.outlet_note.clone(),
        url: a.url.clone(),
        published: a.published.as_ref().map(|p| date_view(d, p)),
        published_note: a.published_note.clone(),
        lang: a.lang.clone(),
        dir: a.dir,
        other_lang: a.lang != d.config.lang,
        body,
        about,
        notes,
        citations: cites.list_html(d),
        paragraphs: number(a.paragraph_count(), numerals),
        note_count: number(a.notes.len(), numerals),
        entities,
        events,
        original,
        changed: super::changed_view(d, d.source.articles.get(i).copied().flatten()),
        prev: sibling(d, i, false),
        next: sibling(d, i, true),
    };
    (
        format!("articles/{}/index.html", a.id),
        "article.html",
        page_view(d, ROOT, a.title.clone(), "articles", view)
            .with_crumbs(super::Crumbs { section: true, ..Default::default() }),
        extra,
    )
}

pub fn kind_label(d: &Dossier, kind: &str) -> String {
    d.config.kinds.iter().find(|k| k.id == kind).map_or_else(|| kind.to_string(), |k| k.singular.clone())
}

pub fn event_ref(d: &Dossier, root: &str, v: Ix) -> EventRef {
    let ev = &d.events[v as usize];
    EventRef { date: super::event_date_view(d, ev), title: ev.title.clone(), href: url::event(d, root, ev) }
}

/// Mention anchors are numbered per article so entity pages can link to
/// each one.
pub fn mention_id(m: usize) -> String {
    format!("m{m}")
}

fn body_html(d: &Dossier, a: Ix) -> String {
    let art = &d.articles[a as usize];
    let numerals = d.config.numerals;
    // Mentions by block.
    let mut mentions: BTreeMap<u32, Vec<(usize, &Mention)>> = BTreeMap::new();
    for (k, m) in art.mentions.iter().enumerate() {
        mentions.entry(m.block).or_default().push((k, m));
    }
    // Passages by paragraph: the notes' own and those cited from elsewhere.
    let mut passages: BTreeMap<u32, BTreeMap<(u32, u32), Vec<&'static str>>> = BTreeMap::new();
    let mut markers: BTreeMap<u32, Vec<Point>> = BTreeMap::new();
    for (k, note) in art.notes.iter().enumerate() {
        let p = &note.passage;
        passages.entry(p.paragraph).or_default().entry((p.start, p.end)).or_default().push(note.kind.as_str());
        let n = number(k + 1, numerals);
        markers.entry(p.paragraph).or_default().push(Point {
            at: p.end as usize,
            html: format!(
                "<sup class=\"noteref k-{kind}\"><a href=\"#note-{id}\" id=\"ref-{id}\" role=\"doc-noteref\" aria-label=\"{label} {n}\">{n}</a></sup>",
                kind = note.kind.as_str(),
                id = note.id,
                label = note.label(),
            ),
        });
    }
    for p in &d.index.cited_passages[a as usize] {
        passages.entry(p.paragraph).or_default().entry((p.start, p.end)).or_default().push("cited");
    }

    let mut out = String::new();
    for (b, block) in art.blocks.iter().enumerate() {
        let mut wraps = Vec::new();
        for s in &block.styles {
            let (tag, attrs, is_link) = match &s.style {
                Style::Emphasis => ("em", String::new(), false),
                Style::Strong => ("strong", String::new(), false),
                Style::Code => ("code", String::new(), false),
                Style::Link(dest) => ("a", format!("href=\"{}\"", escape(dest)), true),
            };
            wraps.push(Wrap {
                start: s.start as usize,
                end: s.end as usize,
                rank: if is_link { RANK_LINK } else { RANK_STYLE },
                tag,
                attrs_first: attrs.clone(),
                attrs_rest: attrs,
                is_link,
            });
        }
        for &(k, m) in mentions.get(&(b as u32)).into_iter().flatten() {
            let ent = &d.entities[m.entity as usize];
            let href = url::entity(ROOT, &ent.id);
            wraps.push(Wrap {
                start: m.start as usize,
                end: m.end as usize,
                rank: RANK_LINK,
                tag: "a",
                attrs_first: format!("class=\"mention\" id=\"{}\" href=\"{href}\"", mention_id(k)),
                attrs_rest: format!("class=\"mention\" href=\"{href}\""),
                is_link: true,
            });
        }
        for (s, e) in overlay::latin_runs(&block.text) {
            wraps.push(Wrap {
                start: s,
                end: e,
                rank: RANK_BDI,
                tag: "bdi",
                attrs_first: String::new(),
                attrs_rest: String::new(),
                is_link: false,
            });
        }
        match block.kind {
            BlockKind::Heading(level) => {
                // The page title is the only h1; `#` and `##` in a body are both h2.
                let level = level.clamp(2, 6);
                let html = overlay::render(&block.text, wraps, Vec::new());
                out.push_str(&format!("<h{level}>{html}</h{level}>\n"));
            }
            BlockKind::Paragraph(n) => {
                for (&(s, e), kinds) in passages.get(&n).into_iter().flatten() {
                    let passage = Passage { article: a, paragraph: n, start: s, end: e };
                    let mut classes: Vec<String> = kinds.iter().map(|k| format!("k-{k}")).collect();
                    classes.sort();
                    classes.dedup();
                    let class = format!("passage {}", classes.join(" "));
                    wraps.push(Wrap {
                        start: s as usize,
                        end: e as usize,
                        rank: RANK_MARK,
                        tag: "mark",
                        attrs_first: format!("id=\"{}\" class=\"{class}\"", passage_fragment(d, &passage)),
                        attrs_rest: format!("class=\"{class} cont\""),
                        is_link: false,
                    });
                }
                let points = markers.remove(&n).unwrap_or_default();
                let html = overlay::render(&block.text, wraps, points);
                let shown = number(n, numerals);
                out.push_str(&format!(
                    "<div class=\"para\" id=\"p{n}\"><p><a class=\"pnum\" href=\"#p{n}\" aria-label=\"الفقرة {shown}\">{shown}</a> {html}</p>{}</div>\n",
                    backlinks_html(d, a, n)
                ));
            }
        }
    }
    out
}

/// What rests on one paragraph: notes, entity pages, events, pages.
fn backlinks_html(d: &Dossier, a: Ix, n: u32) -> String {
    let Some(citers) = d.index.citers.get(&(a, n)) else {
        return String::new();
    };
    let art = &d.articles[a as usize];
    let numerals = d.config.numerals;
    let mut items = Vec::new();
    for (range, citer) in citers {
        let what = match *citer {
            Citer::Note(na, k) => {
                let other = &d.articles[na as usize];
                let note = &other.notes[k as usize];
                if na == a {
                    format!("<a href=\"#note-{}\">{} {}</a>", note.id, note.label(), number(k + 1, numerals))
                } else {
                    format!(
                        "<a href=\"{}#note-{}\">{} على «{}»</a>",
                        url::article(ROOT, &other.id),
                        note.id,
                        note.label(),
                        escape(&other.title)
                    )
                }
            }
            Citer::About(na, k) => {
                let other = &d.articles[na as usize];
                let note = &other.about[k as usize];
                if na == a {
                    format!("<a href=\"#note-{}\">ملاحظة عن المقال</a>", note.id)
                } else {
                    format!(
                        "<a href=\"{}#note-{}\">ملاحظة عن «{}»</a>",
                        url::article(ROOT, &other.id),
                        note.id,
                        escape(&other.title)
                    )
                }
            }
            Citer::Entity(e) => {
                let ent = &d.entities[e as usize];
                format!("<a href=\"{}\">صفحة {}</a>", url::entity(ROOT, &ent.id), escape(&ent.name))
            }
            Citer::Event(v) => {
                let ev = &d.events[v as usize];
                format!("<a href=\"{}\">حدث: {}</a>", url::event(d, ROOT, ev), escape(&ev.title))
            }
            Citer::Page(p) => {
                let page = &d.pages[p as usize];
                format!("<a href=\"{}\">{}</a>", url::page(ROOT, &page.id), escape(&page.title))
            }
        };
        let on = match range {
            Some((s, e)) => {
                let passage = Passage { article: a, paragraph: n, start: *s, end: *e };
                format!(
                    " ← <a class=\"on\" href=\"#{}\">«{}»</a>",
                    passage_fragment(d, &passage),
                    escape(&excerpt(art.passage_text(&passage), 60))
                )
            }
            None => " ← الفقرة كلها".to_string(),
        };
        items.push(format!("<li>{what}{on}</li>"));
    }
    items.dedup();
    format!(
        "<details class=\"backlinks\"><summary>يستند إلى هذه الفقرة: {}</summary><ul>{}</ul></details>",
        number(items.len(), numerals),
        items.join("")
    )
}

fn notes_html(d: &Dossier, a: Ix, cites: &mut Citations) -> String {
    let art = &d.articles[a as usize];
    if art.notes.is_empty() {
        return String::new();
    }
    let numerals = d.config.numerals;
    let mut out = String::from(
        "<section class=\"notes\" role=\"doc-endnotes\" aria-labelledby=\"notes-title\">\n<h2 id=\"notes-title\">الملاحظات التحريرية</h2>\n<ol>\n",
    );
    for (k, note) in art.notes.iter().enumerate() {
        let n = number(k + 1, numerals);
        let frag = passage_fragment(d, &note.passage);
        let speaker = match (note.speaker, &note.said_by) {
            (Some(s), _) => {
                let ent = &d.entities[s as usize];
                format!(" <a class=\"speaker\" href=\"{}\">{}</a>", url::entity(ROOT, &ent.id), escape(&ent.name))
            }
            (None, Some(who)) => format!(" <span class=\"speaker\">{}</span>", escape(who)),
            (None, None) => String::new(),
        };
        let body = rich::render(d, &note.body, ROOT, cites);
        // When the note's own record last changed (git), so a reader sees
        // that a note was revised.
        let changed =
            match super::changed_view(d, d.source.notes.get(a as usize).and_then(|n| n.get(k)).copied().flatten()) {
                Some(super::ChangedView { date: Some(v), .. }) => format!(
                    "<p class=\"note-changed\">آخر تعديل للملاحظة: <time datetime=\"{}\">{}</time></p>",
                    v.datetime,
                    escape(&v.text)
                ),
                Some(_) => "<p class=\"note-changed\">عُدّلت الملاحظة ولم يُودَع التعديل بعد</p>".to_string(),
                None => String::new(),
            };
        out.push_str(&format!(
            "<li id=\"note-{id}\" class=\"note k-{kind}\" value=\"{num}\"><p class=\"note-head\"><span class=\"num\">{n}</span> <span class=\"kind\">{label}</span>{speaker} — {on} (¶{para})</p>\n<div class=\"note-body\">{body}{external}</div>{changed}<a href=\"#ref-{id}\" role=\"doc-backlink\" class=\"backlink\" aria-label=\"العودة إلى موضع الملاحظة {n}\">↩</a></li>\n",
            id = note.id,
            kind = note.kind.as_str(),
            num = k + 1,
            external = super::external_html(d, &note.external),
            label = note.label(),
            // A reported quote is the article's account: never in «» beside
            // the speaker's name as if it were their words.
            on = if note.reported {
                format!(
                    "بحسب المقال: <a href=\"#{frag}\" class=\"on\">{}</a>",
                    escape(&excerpt(art.passage_text(&note.passage), 80))
                )
            } else {
                format!("<a href=\"#{frag}\" class=\"on\">«{}»</a>", escape(&excerpt(art.passage_text(&note.passage), 80)))
            },
            para = number(note.passage.paragraph, numerals),
        ));
    }
    out.push_str("</ol>\n</section>\n");
    out
}
