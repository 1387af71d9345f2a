//! Editorial Markdown (entity descriptions, note and event bodies, pages)
//! to HTML, by walking the tree `resolve` built (`model::Rich`); no
//! Markdown is parsed here. Every text is escaped (raw HTML in content is
//! text in the tree, so it is shown, never passed through); links and
//! images are written only with an allowed target; an image's alt is plain
//! text; fenced code is highlighted with CSS classes (syntect), never
//! inline styles. A wiki link becomes a link, a citation a numbered marker
//! that the page's `Citations` collects for its citation list. The markup
//! is the one pulldown-cmark's own writer gives (a test compares them),
//! except that quotes in text are escaped too, and that a reference in a
//! link's label or an image's alt adds no markup inside it.

use super::{escape, to_digits, url, Citations};
use crate::model::{Dossier, Ref, Rich, Target};
use crate::rich::{Alignment, Block, Inline, RawRef};
use std::fmt::Write as _;
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
pub fn render(d: &Dossier, rich: &Rich, root: &str, cites: &mut Citations<'_>) -> String {
    let mut html = Html {
        d,
        rich,
        refs: rich.refs.iter(),
        root,
        cites,
        out: String::new(),
        end_newline: true,
        in_link: Vec::new(),
    };
    html.blocks(&rich.blocks);
    html.out
}

/// The HTML of one body as it is written.
struct Html<'a, 'c> {
    d: &'a Dossier,
    rich: &'a Rich,
    /// The body's resolved references, taken in reading order.
    refs: std::slice::Iter<'a, Option<Ref>>,
    root: &'a str,
    cites: &'a mut Citations<'c>,
    out: String,
    /// Whether the output ends with a line break: a block starts on a line
    /// of its own.
    end_newline: bool,
    /// Inside a link, the citations met in its label, whose markers (links
    /// themselves) follow the link instead of nesting in it; empty outside.
    in_link: Vec<Vec<crate::model::Citation>>,
}

impl Html<'_, '_> {
    fn write(&mut self, s: &str) {
        self.out.push_str(s);
        if !s.is_empty() {
            self.end_newline = s.ends_with('\n');
        }
    }

    fn text(&mut self, s: &str) {
        self.out.push_str(&escape(s));
        self.end_newline = s.ends_with('\n');
    }

    /// Writes the start of a block, on a new line.
    fn open(&mut self, tag: &str) {
        if !self.end_newline {
            self.out.push('\n');
        }
        self.write(tag);
    }

    fn blocks(&mut self, blocks: &[Block<RawRef>]) {
        for block in blocks {
            self.block(block);
        }
    }

    fn block(&mut self, block: &Block<RawRef>) {
        match block {
            Block::Paragraph(content) => {
                self.open("<p>");
                self.inlines(content);
                self.write("</p>\n");
            }
            Block::Plain(content) => self.inlines(content),
            Block::Heading { level, content } => {
                self.open(&format!("<h{level}>"));
                self.inlines(content);
                self.write(&format!("</h{level}>\n"));
            }
            Block::List { start, items } => {
                let (open, close) = match start {
                    None => ("<ul>\n".to_string(), "</ul>\n"),
                    Some(1) => ("<ol>\n".to_string(), "</ol>\n"),
                    Some(n) => (format!("<ol start=\"{n}\">\n"), "</ol>\n"),
                };
                self.open(&open);
                for item in items {
                    self.open("<li>");
                    self.blocks(item);
                    self.write("</li>\n");
                }
                self.write(close);
            }
            Block::Quote(inner) => {
                self.open("<blockquote>\n");
                self.blocks(inner);
                self.write("</blockquote>\n");
            }
            Block::Code { lang, text } => {
                self.write(&format!("<pre class=\"code\" dir=\"ltr\"><code>{}</code></pre>\n", highlight(lang, text)));
            }
            Block::Table { alignments, head, rows } => {
                self.write("<table><thead><tr>");
                self.cells("th", alignments, head);
                self.write("</tr></thead><tbody>\n");
                for row in rows {
                    self.write("<tr>");
                    self.cells("td", alignments, row);
                    self.write("</tr>\n");
                }
                self.write("</tbody></table>\n");
            }
            Block::Rule => self.open("<hr />\n"),
        }
    }

    fn cells(&mut self, tag: &str, alignments: &[Alignment], cells: &[Vec<Inline<RawRef>>]) {
        for (i, cell) in cells.iter().enumerate() {
            // Classes, not inline styles: the pages' Content-Security-Policy
            // allows no inline style.
            let style = match alignments.get(i) {
                Some(Alignment::Left) => " class=\"align-left\"",
                Some(Alignment::Center) => " class=\"align-center\"",
                Some(Alignment::Right) => " class=\"align-right\"",
                Some(Alignment::None) | None => "",
            };
            self.write(&format!("<{tag}{style}>"));
            self.inlines(cell);
            self.write(&format!("</{tag}>"));
        }
    }

    fn inlines(&mut self, inlines: &[Inline<RawRef>]) {
        for inline in inlines {
            self.inline(inline);
        }
    }

    fn inline(&mut self, inline: &Inline<RawRef>) {
        match inline {
            Inline::Text(t) => self.text(t),
            Inline::Code(t) => {
                self.write("<code>");
                self.out.push_str(&escape(t));
                self.write("</code>");
            }
            Inline::Emphasis(c) => self.wrap("em", c),
            Inline::Strong(c) => self.wrap("strong", c),
            Inline::Strikethrough(c) => self.wrap("del", c),
            Inline::SoftBreak => self.write("\n"),
            Inline::HardBreak => self.write("<br />\n"),
            // `resolve` reported a target that is not allowed; were it
            // rendered anyway, only its text would show.
            Inline::Link { dest, children, .. } if !crate::parse::is_allowed_link(dest) => self.inlines(children),
            Inline::Link { dest, title, children } => {
                self.write(&format!("<a href=\"{}", href(dest)));
                if !title.is_empty() {
                    self.write(&format!("\" title=\"{}", escape(title)));
                }
                self.write("\">");
                self.in_link.push(Vec::new());
                self.inlines(children);
                let cited = self.in_link.pop().unwrap_or_default();
                self.write("</a>");
                for c in cited {
                    let marker = self.cites.marker(self.d, c);
                    self.write(&marker);
                }
            }
            Inline::Image { dest, alt, .. } if !crate::parse::is_allowed_link(dest) => self.text(alt),
            Inline::Image { dest, title, alt } => {
                self.write(&format!("<img src=\"{}\" alt=\"{}", href(dest), escape(alt)));
                if !title.is_empty() {
                    self.write(&format!("\" title=\"{}", escape(title)));
                }
                self.write("\" />");
            }
            Inline::Ref { span, .. } => match self.refs.next() {
                Some(Some(r)) => self.reference(r),
                // Never rendered (an error stops the build); its text else.
                Some(None) | None => self.text(self.rich.token(span)),
            },
        }
    }

    fn reference(&mut self, r: &Ref) {
        match r {
            Ref::Cite(c) => match self.in_link.last_mut() {
                Some(deferred) => deferred.push(*c),
                None => {
                    let marker = self.cites.marker(self.d, *c);
                    self.write(&marker);
                }
            },
            Ref::Link { target, text } => {
                let (href, default) = link_target(self.d, self.cites.catalogue(), self.root, *target);
                let shown = escape(text.as_deref().unwrap_or(&default));
                if !self.in_link.is_empty() {
                    // A link's label is no place for another link.
                    self.write(&shown);
                } else {
                    let class = if matches!(target, Target::Entity(_)) { " class=\"entity-link\"" } else { "" };
                    self.write(&format!("<a href=\"{}\"{class}>{shown}</a>", escape(&href)));
                }
            }
        }
    }

    fn wrap(&mut self, tag: &str, children: &[Inline<RawRef>]) {
        self.write(&format!("<{tag}>"));
        self.inlines(children);
        self.write(&format!("</{tag}>"));
    }
}

/// Where a wiki link points and the text it shows when it gives none.
fn link_target(d: &Dossier, cat: &crate::i18n::Catalogue, root: &str, target: Target) -> (String, String) {
    match target {
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
                cat.tf(
                    "paragraph.in_article",
                    &[("title", &art.title), ("n", &to_digits(&p.to_string(), d.config.numerals))],
                ),
            )
        }
        Target::Page(p) => {
            let page = &d.pages[p as usize];
            (url::page(root, &page.id), page.title.clone())
        }
    }
}

/// A link target as an attribute value: bytes outside the URL-safe ASCII
/// set percent-encoded, `&` and `'` as entities (what pulldown-cmark's
/// writer did, so that links stay byte for byte the same).
fn href(dest: &str) -> String {
    let mut out = String::with_capacity(dest.len());
    for &b in dest.as_bytes() {
        match b {
            b'&' => out.push_str("&amp;"),
            b'\'' => out.push_str("&#x27;"),
            b'!' | b'#'..=b'%' | b'('..=b';' | b'=' | b'?'..=b'Z' | b'^' | b'_' | b'a'..=b'z' | b'~' => {
                out.push(b as char)
            }
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{Kind, SourceFile, Sources};

    /// A dossier with an entity `mali`, an article `a` and a page `p` whose
    /// body is `body`, compiled without errors.
    fn dossier(body: &str) -> Dossier {
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
                    "---\ntitle: عنوان\noutlet: و\npublished: 2022\n---\nفقرة أولى.\n",
                ),
                SourceFile::text(Kind::Entity, "content/entities/mali.yaml", "name: مالي\nkind: place\n"),
                SourceFile::text(Kind::Page, "content/pages/p.md", &format!("---\ntitle: ص\n---\n{body}")),
            ],
            themes: Default::default(),
        };
        let (d, diags) = crate::compile(&mut sources);
        assert!(diags.is_empty(), "{diags:?}");
        d.unwrap()
    }

    fn page_html(body: &str) -> (String, usize) {
        let d = dossier(body);
        let cat = crate::i18n::Catalogue::new("ar", d.config.numerals, &[]).unwrap();
        let mut cites = Citations::new("../", &cat);
        let html = render(&d, &d.pages[0].body, "../", &mut cites);
        (html, cites.len())
    }

    #[test]
    fn raw_html_is_text_and_code_is_classed() {
        let (html, _) = page_html("<script>alert(1)</script>\n\nنص <b>x</b>\n\n```rust\nfn x() {}\n```\n");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("نص &lt;b&gt;x&lt;/b&gt;"), "{html}");
        assert!(!html.contains("<script>") && !html.contains("<b>"), "{html}");
        assert!(html.contains("<pre class=\"code\" dir=\"ltr\"><code><span class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }

    #[test]
    fn a_wiki_link_in_an_image_alt_puts_no_markup_in_the_attribute() {
        let (html, _) = page_html("![صورة [[mali]] هنا](x.png)\n");
        assert_eq!(html, "<p><img src=\"x.png\" alt=\"صورة [[mali]] هنا\" /></p>\n");
        let img = &html[html.find("<img").unwrap()..];
        let alt = &img[img.find("alt=\"").unwrap() + 5..];
        let alt = &alt[..alt.find('"').unwrap()];
        assert!(!alt.contains('<') && !alt.contains("href"), "{alt}");
    }

    #[test]
    fn references_render_as_links_and_markers() {
        let (html, cites) = page_html("[[mali]]، [[mali|البلد]]، [[a#p1]] [@a#p1].\n");
        assert_eq!(
            html,
            "<p><a href=\"../entities/mali/index.html\" class=\"entity-link\">مالي</a>، \
             <a href=\"../entities/mali/index.html\" class=\"entity-link\">البلد</a>، \
             <a href=\"../articles/a/index.html#p1\">عنوان، الفقرة 1</a> \
             <sup class=\"cite\"><a href=\"#cite-1-1\" id=\"cite-ref-1\" role=\"doc-noteref\" aria-label=\"المرجع 1\">1</a></sup>.</p>\n"
        );
        assert_eq!(cites, 1);
    }

    #[test]
    fn a_reference_in_a_link_label_nests_no_link() {
        let (html, cites) = page_html("[عن [[mali]] [@a]](https://x.org) بعد\n");
        assert_eq!(
            html,
            "<p><a href=\"https://x.org\">عن مالي </a>\
             <sup class=\"cite\"><a href=\"#cite-1-1\" id=\"cite-ref-1\" role=\"doc-noteref\" aria-label=\"المرجع 1\">1</a></sup> بعد</p>\n"
        );
        assert_eq!(cites, 1);
    }

    #[test]
    fn the_markup_is_what_pulldown_cmark_writes() {
        use pulldown_cmark::{CodeBlockKind, CowStr, Event, Parser, Tag, TagEnd};
        let bodies = [
            "## عنوان\n\nفقرة *مائلة* و**عريضة** و~~مشطوبة~~ و`شفرة`\nسطر  \nآخر\n",
            "- أ\n- ب\n  - ج\n  - د\n\n1. واحد\n2. اثنان\n\n3. ثلاثة\n\n7. سبعة\n",
            "- أ\n\n- ب\n\n  > مقتبس\n  > ثان\n\n---\n\n***\nبعد\n",
            "| أ | ب | ج |\n|:-|:-:|-:|\n| 1 | *2* | 3 |\n| 4 |\n\n| x |\n|---|\n",
            "```rust x\nfn x() {}\n```\n\n    مزاح\n\n- ```\n  في قائمة\n  ```\n- نص\n",
            "[رابط](https://x.org/مالي?a=1&b='2' \"عنوان\") <https://x.org> <a@b.org> ![صورة *م* `ش`\nس](../x.png \"ع\")\n",
            "<div>\nكتلة\n</div>\n\nنص <span>x</span> &amp; &copy; \\* \\[ \n\n> <p>\n",
            "1. أ\n   ```\n   x\n   ```\n2. ب\n\n<!-- تعليق -->\n",
        ];
        for body in bodies {
            let mut code: Option<(String, String)> = None;
            let mut events: Vec<Event> = Vec::new();
            for ev in Parser::new_ext(body, crate::markdown::options()) {
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
                            let html = format!(
                                "<pre class=\"code\" dir=\"ltr\"><code>{}</code></pre>\n",
                                highlight(&lang, &text)
                            );
                            events.push(Event::Html(CowStr::from(html)));
                        }
                    }
                    Event::Text(t) if code.is_some() => code.as_mut().unwrap().1.push_str(&t),
                    Event::Html(t) | Event::InlineHtml(t) => events.push(Event::Text(t)),
                    other => events.push(other),
                }
            }
            let mut expected = String::new();
            pulldown_cmark::html::push_html(&mut expected, events.into_iter());
            // The one difference: table alignment is a class, not a style.
            let expected = ["left", "center", "right"].iter().fold(expected, |e, a| {
                e.replace(&format!(" style=\"text-align: {a}\""), &format!(" class=\"align-{a}\""))
            });
            let (html, _) = page_html(body);
            assert_eq!(html, expected, "{body}");
        }
    }

    #[test]
    fn hrefs_are_percent_encoded_like_commonmark() {
        assert_eq!(href("https://x.org/a?b=1&c='d'#e"), "https://x.org/a?b=1&amp;c=&#x27;d&#x27;#e");
        assert_eq!(href("../مالي/index.html"), "../%D9%85%D8%A7%D9%84%D9%8A/index.html");
        assert_eq!(href("a b\"<>[\\]`{|}"), "a%20b%22%3C%3E%5B%5C%5D%60%7B%7C%7D");
        assert_eq!(href("mailto:a@b.org"), "mailto:a@b.org");
    }
}
