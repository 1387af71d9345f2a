//! The search index: every paragraph of every article, every entity, note,
//! event and free page, as a JavaScript file that the search page loads
//! with a `<script>` element, so search works from `file://` where `fetch`
//! is refused. The index holds the text as written; the browser normalises
//! it with the port of `arabic::normalize` in `static/search.js`, whose
//! agreement with the Rust normaliser is tested case by case.

use super::{date_view, page_view, url, PageOut};
use crate::model::*;
use serde::Serialize;

const ROOT: &str = "../";

/// The most article text the index carries in full. Above it (a dossier
/// of more than a few hundred articles) the index holds each article's
/// title and opening words instead of every paragraph, and the search page
/// says so: a browser cannot load a script of hundreds of megabytes.
pub const FULL_TEXT_BUDGET: usize = 8 << 20;

/// Whether the index carries every paragraph of every article.
pub fn full_text(d: &Dossier) -> bool {
    fits(d, FULL_TEXT_BUDGET)
}

fn fits(d: &Dossier, budget: usize) -> bool {
    let total: usize = d.articles.iter().flat_map(|a| &a.blocks).map(|b| b.text.len()).sum();
    total <= budget
}

/// How much of an article's opening the index keeps when it is partial.
const OPENING_CHARS: usize = 300;

/// One searchable document: kind, title, link, text.
#[derive(Serialize)]
struct Doc {
    k: &'static str,
    t: String,
    u: String,
    x: String,
}

/// The visible text of editorial Markdown: link texts in place of wiki
/// links, nothing for citation markers, Markdown punctuation dropped.
fn plain(d: &Dossier, rich: &Rich) -> String {
    let mut text = String::with_capacity(rich.markdown.len());
    let mut rest = rich.markdown.as_str();
    while let Some(open) = rest.find('\u{E000}') {
        text.push_str(&rest[..open]);
        let after = &rest[open + '\u{E000}'.len_utf8()..];
        let Some(close) = after.find('\u{E001}') else { break };
        if let Some(Ref::Link { target, text: shown }) =
            after[..close].parse::<usize>().ok().and_then(|n| rich.refs.get(n))
        {
            let name = match *target {
                Target::Entity(e) => d.entities[e as usize].name.clone(),
                Target::Article(a) | Target::Paragraph(a, _) => d.articles[a as usize].title.clone(),
                Target::Page(p) => d.pages[p as usize].title.clone(),
            };
            text.push_str(shown.as_deref().unwrap_or(&name));
        }
        rest = &after[close + '\u{E001}'.len_utf8()..];
    }
    text.push_str(rest);
    // Citation markers leave a space before the punctuation they preceded.
    let text = text.replace(['*', '_', '`', '#', '>'], "").split_whitespace().collect::<Vec<_>>().join(" ");
    text.replace(" .", ".").replace(" ،", "،").replace(" ؛", "؛")
}

/// `search/index.js`: the documents, in a fixed order.
pub fn index_js(d: &Dossier) -> Vec<u8> {
    index_js_within(d, FULL_TEXT_BUDGET)
}

fn index_js_within(d: &Dossier, budget: usize) -> Vec<u8> {
    let mut docs = Vec::new();
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
    for a in &d.articles {
        for note in &a.notes {
            docs.push(Doc {
                k: note.kind.as_str(),
                t: format!("{} على «{}»", note.kind.label(), a.title),
                u: format!("{}#note-{}", url::article(ROOT, &a.id), note.id),
                x: format!("{} {}", a.passage_text(&note.passage), plain(d, &note.body)),
            });
        }
    }
    for ev in &d.events {
        docs.push(Doc {
            k: "event",
            t: format!("{}: {}", date_view(d, &ev.date).text, ev.title),
            u: url::event(d, ROOT, ev),
            x: plain(d, &ev.body),
        });
    }
    for p in &d.pages {
        docs.push(Doc { k: "page", t: p.title.clone(), u: url::page(ROOT, &p.id), x: plain(d, &p.body) });
    }
    let full = fits(d, budget);
    for a in &d.articles {
        if !full {
            let opening =
                a.blocks.iter().find(|b| matches!(b.kind, BlockKind::Paragraph(_))).map_or("", |b| b.text.as_str());
            docs.push(Doc {
                k: "article",
                t: a.title.clone(),
                u: url::article(ROOT, &a.id),
                x: super::excerpt(opening, OPENING_CHARS),
            });
            continue;
        }
        for b in &a.blocks {
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
    let json = serde_json::to_string(&docs).unwrap_or_else(|_| "[]".to_string());
    // `</` cannot end the script early: JSON allows `<\/`.
    format!("window.MILAF_SEARCH = {};\n", json.replace("</", "<\\/")).into_bytes()
}

#[derive(Serialize)]
struct SearchPage {
    full_text: bool,
}

pub fn page(d: &Dossier) -> PageOut {
    let view = SearchPage { full_text: full_text(d) };
    (
        "search/index.html".to_string(),
        "search.html",
        page_view(d, ROOT, "البحث".to_string(), "search", view),
        Vec::new(),
    )
}

#[cfg(test)]
mod tests {
    use crate::load::{Kind, SourceFile, Sources};

    fn file(kind: Kind, path: &str, text: &str) -> SourceFile {
        let stem = path.rsplit('/').next().unwrap_or("").split('.').next().unwrap_or("").to_string();
        SourceFile { kind, path: path.to_string(), stem, text: text.to_string(), original: None }
    }

    #[test]
    fn a_large_dossier_indexes_titles_and_openings_instead_of_every_paragraph() {
        let mut sources = Sources {
            files: vec![
                file(Kind::Config, "content/dossier.yaml", "title: t\nkinds: [{ id: place, label: l, singular: s }]\n"),
                file(Kind::Article, "content/articles/a.md", "---\ntitle: عنوان\n---\nفقرة أولى.\n\nفقرة ثانية.\n"),
            ],
            theme: None,
        };
        let (d, diags) = crate::compile(&mut sources);
        assert!(diags.is_empty(), "{diags:?}");
        let d = d.unwrap();
        let full = String::from_utf8(super::index_js_within(&d, 1000)).unwrap();
        assert_eq!(full.matches("\"k\":\"article\"").count(), 2);
        assert!(full.contains("#p2"));
        let partial = String::from_utf8(super::index_js_within(&d, 10)).unwrap();
        assert_eq!(partial.matches("\"k\":\"article\"").count(), 1);
        assert!(partial.contains("فقرة أولى") && !partial.contains("فقرة ثانية"));
    }
}
