//! The search index: every paragraph of every article, every entity, note,
//! event and free page, as a JavaScript file that the search page loads
//! with a `<script>` element, so search works from `file://` where `fetch`
//! is refused. The index holds the text as written; the browser normalises
//! it with the port of `arabic::normalize` in `static/search.js`, whose
//! agreement with the Rust normaliser is tested case by case. An editorial
//! body is indexed as the text its reader sees, taken from its parsed tree.

use super::{date_view, page_view, url, PageOut};
use crate::model::*;
use crate::rich::{Block, Inline, RawRef};
use serde::Serialize;

const ROOT: &str = "../";

/// One searchable document: kind, title, link, text.
#[derive(Serialize)]
struct Doc {
    k: &'static str,
    t: String,
    u: String,
    x: String,
}

/// The visible text of editorial Markdown, from its tree: link texts in
/// place of wiki links, nothing for citation markers, an image's alt, code
/// as written, blocks and line breaks as spaces.
fn plain(d: &Dossier, rich: &Rich) -> String {
    /// The body and its resolved references, taken in reading order.
    struct Walk<'a> {
        rich: &'a Rich,
        refs: std::slice::Iter<'a, Option<Ref>>,
    }
    fn inlines(d: &Dossier, w: &mut Walk, list: &[Inline<RawRef>], text: &mut String) {
        for inline in list {
            match inline {
                Inline::Text(t) | Inline::Code(t) | Inline::Image { alt: t, .. } => text.push_str(t),
                Inline::Emphasis(c)
                | Inline::Strong(c)
                | Inline::Strikethrough(c)
                | Inline::Link { children: c, .. } => inlines(d, w, c, text),
                Inline::SoftBreak | Inline::HardBreak => text.push(' '),
                Inline::Ref { span, .. } => match w.refs.next() {
                    Some(Some(Ref::Link { target, text: shown })) => {
                        let name = match *target {
                            Target::Entity(e) => &d.entities[e as usize].name,
                            Target::Article(a) | Target::Paragraph(a, _) => &d.articles[a as usize].title,
                            Target::Page(p) => &d.pages[p as usize].title,
                        };
                        text.push_str(shown.as_deref().unwrap_or(name));
                    }
                    Some(Some(Ref::Cite(_))) => {}
                    Some(None) | None => text.push_str(w.rich.token(span)),
                },
            }
        }
    }
    fn blocks(d: &Dossier, w: &mut Walk, list: &[Block<RawRef>], text: &mut String) {
        for block in list {
            match block {
                Block::Paragraph(c) | Block::Plain(c) | Block::Heading { content: c, .. } => inlines(d, w, c, text),
                Block::List { items, .. } => items.iter().for_each(|item| blocks(d, w, item, text)),
                Block::Quote(inner) => blocks(d, w, inner, text),
                Block::Code { text: code, .. } => text.push_str(code),
                Block::Table { head, rows, .. } => {
                    for cell in head.iter().chain(rows.iter().flatten()) {
                        inlines(d, w, cell, text);
                        text.push(' ');
                    }
                }
                Block::Rule => {}
            }
            text.push(' ');
        }
    }
    let mut text = String::new();
    blocks(d, &mut Walk { rich, refs: rich.refs.iter() }, &rich.blocks, &mut text);
    // Citation markers leave a space before the punctuation they preceded.
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    text.replace(" .", ".").replace(" ،", "،").replace(" ؛", "؛")
}

/// The most the index may weigh. A browser loads it whole, so past this a
/// large dossier keeps its documents in order of priority: entities,
/// events and pages, then the articles (every paragraph, else title and
/// opening words, else titles), then notes — each group whole if it fits,
/// else by its titles alone, else not at all. The search page says what it
/// covers.
pub const BUDGET: usize = 8 << 20;

/// How much of an article's opening stands for it when its paragraphs do
/// not fit.
const OPENING_CHARS: usize = 150;

/// How far a group of documents made it into the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Coverage {
    Full,
    /// Articles only: title and opening words.
    Openings,
    Titles,
    Absent,
}

/// What the search page tells readers the index covers.
#[derive(Debug, Clone, Serialize)]
pub struct Covered {
    pub entities: Coverage,
    pub events: Coverage,
    pub notes: Coverage,
    pub articles: Coverage,
}

fn weight(docs: &[Doc]) -> usize {
    docs.iter().map(|doc| doc.t.len() + doc.u.len() + doc.x.len() + 24).sum()
}

/// A group of documents not built yet: a cheap lower bound of its weight
/// (so that a group that cannot fit is never built: at 100,000 articles
/// the paragraphs alone are a copy of every text) and how to build it.
struct Lazy<F: FnOnce() -> Vec<Doc>> {
    floor: usize,
    build: F,
}

fn lazy<F: FnOnce() -> Vec<Doc>>(floor: usize, build: F) -> Lazy<F> {
    Lazy { floor, build }
}

/// The weight every document has whatever its text: its kind, the JSON
/// punctuation and field names (`weight` counts the same 24).
const DOC_FLOOR: usize = 24;

/// Adds `group` if it fits in what is left of the budget, else `fallback`
/// (lighter documents for the same things), else nothing.
fn admit(
    docs: &mut Vec<Doc>,
    used: &mut usize,
    budget: usize,
    group: Lazy<impl FnOnce() -> Vec<Doc>>,
    fallback: Lazy<impl FnOnce() -> Vec<Doc>>,
) -> Coverage {
    if *used + group.floor <= budget {
        let group = (group.build)();
        let w = weight(&group);
        if *used + w <= budget {
            *used += w;
            docs.extend(group);
            return Coverage::Full;
        }
    }
    if *used + fallback.floor <= budget {
        let lighter = (fallback.build)();
        let w = weight(&lighter);
        if !lighter.is_empty() && *used + w <= budget {
            *used += w;
            docs.extend(lighter);
            return Coverage::Titles;
        }
    }
    Coverage::Absent
}

fn without_text(group: Vec<Doc>) -> Vec<Doc> {
    group.into_iter().map(|doc| Doc { x: String::new(), ..doc }).collect()
}

/// `search/index.js` and what it covers.
pub fn index_js(d: &Dossier) -> (Vec<u8>, Covered) {
    index_js_within(d, BUDGET)
}

fn entity_docs(d: &Dossier) -> Vec<Doc> {
    let mut docs = Vec::with_capacity(d.entities.len() + d.events.len() + d.pages.len());
    for e in &d.entities {
        let mut x = e.aliases.join(" ");
        if let Some(r) = &e.role {
            x.push(' ');
            x.push_str(r);
        }
        x.push(' ');
        x.push_str(&plain(d, &e.description));
        docs.push(Doc { k: "entity", t: e.name.clone(), u: url::entity(ROOT, &e.id), x });
    }
    docs
}

fn event_docs(d: &Dossier) -> Vec<Doc> {
    let mut docs: Vec<Doc> = d
        .events
        .iter()
        .map(|ev| Doc {
            k: "event",
            t: format!("{}: {}", date_view(d, &ev.date).text, ev.title),
            u: url::event(d, ROOT, ev),
            x: plain(d, &ev.body),
        })
        .collect();
    docs.extend(d.pages.iter().map(|p| Doc {
        k: "page",
        t: p.title.clone(),
        u: url::page(ROOT, &p.id),
        x: plain(d, &p.body),
    }));
    docs
}

fn note_docs(d: &Dossier) -> Vec<Doc> {
    let mut docs = Vec::new();
    for a in &d.articles {
        for note in a.notes.iter() {
            docs.push(Doc {
                k: note.kind.as_str(),
                t: format!("{} على «{}»", note.label(), a.title),
                u: format!("{}#note-{}", url::article(ROOT, &a.id), note.id),
                x: format!("{} {}", a.passage_text(&note.passage), plain(d, &note.body)),
            });
        }
    }
    docs
}

fn paragraph_docs(d: &Dossier) -> Vec<Doc> {
    let mut docs = Vec::new();
    for a in &d.articles {
        for b in a.blocks.iter() {
            if let BlockKind::Paragraph(n) = b.kind {
                docs.push(Doc {
                    k: "article",
                    t: format!("{} ¶{}", a.title, super::number(n, d.config.numerals)),
                    u: format!("{}#p{n}", url::article(ROOT, &a.id)),
                    x: b.text.clone(),
                });
            }
        }
    }
    docs
}

fn opening_docs(d: &Dossier) -> Vec<Doc> {
    d.articles
        .iter()
        .map(|a| {
            let opening =
                a.blocks.iter().find(|b| matches!(b.kind, BlockKind::Paragraph(_))).map_or("", |b| b.text.as_str());
            Doc {
                k: "article",
                t: a.title.clone(),
                u: url::article(ROOT, &a.id),
                x: super::excerpt(opening, OPENING_CHARS),
            }
        })
        .collect()
}

fn index_js_within(d: &Dossier, budget: usize) -> (Vec<u8>, Covered) {
    let mut docs = Vec::new();
    let mut used = 0;
    let entities =
        admit(&mut docs, &mut used, budget, lazy(0, || entity_docs(d)), lazy(0, || without_text(entity_docs(d))));
    let events =
        admit(&mut docs, &mut used, budget, lazy(0, || event_docs(d)), lazy(0, || without_text(event_docs(d))));
    // Readers look for articles before notes: paragraphs, else title and
    // opening words, else titles alone.
    let paragraphs: usize = d
        .articles
        .iter()
        .flat_map(|a| a.blocks.iter())
        .filter(|b| matches!(b.kind, BlockKind::Paragraph(_)))
        .map(|b| b.text.len() + DOC_FLOOR)
        .sum();
    let articles = d.articles.len();
    let mut coverage = admit(
        &mut docs,
        &mut used,
        budget,
        lazy(paragraphs, || paragraph_docs(d)),
        lazy(articles * DOC_FLOOR, || opening_docs(d)),
    );
    if coverage == Coverage::Titles {
        coverage = Coverage::Openings;
    }
    if coverage == Coverage::Absent {
        coverage = admit(
            &mut docs,
            &mut used,
            budget,
            lazy(articles * DOC_FLOOR, || without_text(opening_docs(d))),
            lazy(0, Vec::new),
        );
        if coverage == Coverage::Full {
            coverage = Coverage::Titles;
        }
    }
    let note_count: usize = d.articles.iter().map(|a| a.notes.len()).sum();
    let passages: usize = d
        .articles
        .iter()
        .flat_map(|a| a.notes.iter().map(move |n| (n.passage.end - n.passage.start) as usize + DOC_FLOOR))
        .sum();
    let notes = admit(
        &mut docs,
        &mut used,
        budget,
        lazy(passages, || note_docs(d)),
        lazy(note_count * DOC_FLOOR, || without_text(note_docs(d))),
    );
    let json = serde_json::to_string(&docs).unwrap_or_else(|_| "[]".to_string());
    drop(docs);
    // `</` cannot end the script early: JSON allows `<\/`. U+2028 and
    // U+2029 end a line in older JavaScript parsers: written as escapes.
    let json = json.replace("</", "<\\/").replace('\u{2028}', "\\u2028").replace('\u{2029}', "\\u2029");
    let js = format!("window.MILAF_SEARCH = {json};\n").into_bytes();
    (js, Covered { entities, events, notes, articles: coverage })
}

pub fn page(d: &Dossier, covered: &Covered) -> PageOut {
    (
        "search/index.html".to_string(),
        "search.html",
        page_view(d, ROOT, "البحث".to_string(), "search", covered),
        Vec::new(),
    )
}

#[cfg(test)]
mod tests {
    use crate::load::{Kind, SourceFile, Sources};

    #[test]
    fn a_large_dossier_indexes_titles_and_openings_instead_of_every_paragraph() {
        let mut sources = Sources {
            files: vec![
                SourceFile::text(
                    Kind::Config,
                    "content/dossier.yaml",
                    "title: t\nkinds: [{ id: place, label: l, singular: s }]\n",
                ),
                SourceFile::text(
                    Kind::Article,
                    "content/articles/a.md",
                    "---\ntitle: عنوان\noutlet: و\npublished: 2022\n---\nفقرة أولى.\n\nفقرة ثانية.\n",
                ),
            ],
            themes: Default::default(),
        };
        let (d, diags) = crate::compile(&mut sources);
        assert!(diags.is_empty(), "{diags:?}");
        let d = d.unwrap();
        let (full, covered) = super::index_js_within(&d, 1000);
        let full = String::from_utf8(full).unwrap();
        assert_eq!(full.matches("\"k\":\"article\"").count(), 2);
        assert!(full.contains("#p2"));
        assert_eq!(covered.articles, super::Coverage::Full);
        let (partial, covered) = super::index_js_within(&d, 150);
        let partial = String::from_utf8(partial).unwrap();
        assert_eq!(covered.articles, super::Coverage::Openings);
        assert_eq!(partial.matches("\"k\":\"article\"").count(), 1);
        assert!(partial.contains("فقرة أولى") && !partial.contains("فقرة ثانية"));
        let (none, covered) = super::index_js_within(&d, 10);
        assert_eq!(covered.articles, super::Coverage::Absent);
        assert!(String::from_utf8(none).unwrap().contains("= [];"));
    }
}
