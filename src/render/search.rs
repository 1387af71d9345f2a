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
    for a in &d.articles {
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

pub fn page(d: &Dossier) -> PageOut {
    ("search/index.html".to_string(), "search.html", page_view(d, ROOT, "البحث".to_string(), "search", ()), Vec::new())
}
