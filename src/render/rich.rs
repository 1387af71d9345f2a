//! Editorial Markdown (entity descriptions, note and event bodies, pages)
//! to HTML. Raw HTML in content is shown as text, never passed through;
//! fenced code is highlighted with CSS classes (syntect), never inline
//! styles. Wiki links and citations were resolved into placeholders by
//! `resolve`; here each becomes a link, or a numbered citation marker that
//! the page's `Citations` collects for its citation list.

use super::{escape, to_digits, url, Citations};
use crate::model::{Dossier, Rich, Target};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Parser, Tag, TagEnd};
use std::sync::OnceLock;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// The CSS class prefix of highlighted code, shared with the stylesheet.
pub const CODE_CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn highlight(lang: &str, code: &str) -> String {
    let set = syntaxes();
    let syntax = set.find_syntax_by_token(lang).unwrap_or_else(|| set.find_syntax_plain_text());
    let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, set, CODE_CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        if gen.parse_html_for_line_which_includes_newline(line).is_err() {
            return escape(code);
        }
    }
    gen.finalize()
}

/// Renders a body as block HTML.
pub fn render(d: &Dossier, rich: &Rich, root: &str, cites: &mut Citations) -> String {
    let html = markdown_html(&rich.markdown);
    fill(d, rich, &html, root, cites)
}

fn markdown_html(markdown: &str) -> String {
    let mut code: Option<(String, String)> = None;
    let mut events: Vec<Event> = Vec::new();
    for ev in Parser::new_ext(markdown, crate::markdown::options()) {
        match ev {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => l.split_whitespace().next().unwrap_or("").to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((lang, text)) = code.take() {
                    let html =
                        format!("<pre class=\"code\" dir=\"ltr\"><code>{}</code></pre>\n", highlight(&lang, &text));
                    events.push(Event::Html(CowStr::from(html)));
                }
            }
            Event::Text(t) if code.is_some() => {
                if let Some((_, buf)) = code.as_mut() {
                    buf.push_str(&t);
                }
            }
            // Raw HTML is shown as the text it is.
            Event::Html(t) | Event::InlineHtml(t) => events.push(Event::Text(t)),
            Event::Start(Tag::Image { dest_url, title, id, .. }) => events.push(Event::Start(Tag::Image {
                link_type: pulldown_cmark::LinkType::Inline,
                dest_url,
                title,
                id,
            })),
            other => events.push(other),
        }
    }
    let mut html = String::with_capacity(markdown.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

/// Replaces each placeholder with its link or citation marker.
fn fill(d: &Dossier, rich: &Rich, html: &str, root: &str, cites: &mut Citations) -> String {
    if rich.refs.is_empty() {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + rich.refs.len() * 80);
    let mut rest = html;
    while let Some(open) = rest.find('\u{E000}') {
        out.push_str(&rest[..open]);
        let after = &rest[open + '\u{E000}'.len_utf8()..];
        let Some(close) = after.find('\u{E001}') else {
            rest = after;
            break;
        };
        let n: usize = after[..close].parse().unwrap_or(usize::MAX);
        if let Some(r) = rich.refs.get(n) {
            out.push_str(&ref_html(d, r, root, cites));
        }
        rest = &after[close + '\u{E001}'.len_utf8()..];
    }
    out.push_str(rest);
    out
}

fn ref_html(d: &Dossier, r: &crate::model::Ref, root: &str, cites: &mut Citations) -> String {
    use crate::model::Ref;
    match r {
        Ref::Cite(c) => cites.marker(d, *c),
        Ref::Link { target, text } => {
            let (href, default) = match *target {
                Target::Entity(e) => {
                    let ent = &d.entities[e as usize];
                    (url::entity(root, &ent.id), ent.name.clone())
                }
                Target::Article(a) => {
                    let art = &d.articles[a as usize];
                    (url::article(root, &art.id), art.title.clone())
                }
                Target::Paragraph(a, p) => {
                    let art = &d.articles[a as usize];
                    (
                        format!("{}#p{p}", url::article(root, &art.id)),
                        format!("{} ¶{}", art.title, to_digits(&p.to_string(), d.config.numerals)),
                    )
                }
                Target::Page(p) => {
                    let page = &d.pages[p as usize];
                    (url::page(root, &page.id), page.title.clone())
                }
            };
            let class = if matches!(target, Target::Entity(_)) { " class=\"entity-link\"" } else { "" };
            format!("<a href=\"{}\"{class}>{}</a>", escape(&href), escape(text.as_deref().unwrap_or(&default)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_text_and_code_is_classed() {
        let html = markdown_html("<script>alert(1)</script>\n\n```rust\nfn x() {}\n```\n");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }
}
