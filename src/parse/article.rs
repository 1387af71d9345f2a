//! Articles: YAML front matter plus a Markdown body. The body becomes a
//! list of blocks (numbered paragraphs and headings), each as plain text
//! with its inline formatting as ranges, which is the shape anchoring and
//! mention linking work on. Raw HTML in a body is kept as visible text.

use super::{parse_date, At};
use crate::diag::Diagnostic;
use crate::load::SourceFile;
use crate::model::{Block, BlockKind, Style, StyleSpan};
use crate::yaml::{self, Spanned};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: String,
    #[serde(default)]
    title_editorial: bool,
    #[serde(default)]
    outlet: Option<String>,
    /// Why the outlet is unknown, or how it was inferred.
    #[serde(default)]
    outlet_note: Option<String>,
    #[serde(default)]
    url: Option<Spanned<String>>,
    #[serde(default)]
    published: Option<Spanned<String>>,
    #[serde(default)]
    published_note: Option<String>,
    #[serde(default)]
    lang: Option<Spanned<String>>,
    #[serde(default)]
    original: Option<Spanned<String>>,
    #[serde(default)]
    original_sha256: Option<Spanned<String>>,
}

#[derive(Debug, Clone)]
pub struct RawArticle {
    pub at: At,
    pub id: String,
    pub title: String,
    pub title_editorial: bool,
    pub outlet: Option<String>,
    pub outlet_note: Option<String>,
    pub url: Option<String>,
    pub published: Option<crate::date::Date>,
    pub published_note: Option<String>,
    pub lang: Option<String>,
    pub original: Option<Spanned<String>>,
    pub original_sha256: Option<Spanned<String>>,
    pub blocks: std::sync::Arc<[Block]>,
}

pub fn parse(at: At, f: &SourceFile) -> (Option<RawArticle>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let (fm, fm_start, body, body_start) = match yaml::split_front_matter(&f.text) {
        Ok(parts) => parts,
        Err(msg) => {
            let end = f.text.find('\n').unwrap_or(f.text.len());
            return (
                None,
                vec![Diagnostic::error(msg).at(&f.path, &f.text, 0, end).help(
                    "an article starts with `---`, its front matter (`title: …`), a closing `---`, then the text",
                )],
            );
        }
    };
    let parsed: Result<FrontMatter, Diagnostic> = yaml::parse_at(&f.path, &f.text, fm, fm_start);
    let fm_parsed = match parsed {
        Ok(p) => p,
        Err(d) => {
            diags.push(d);
            return (None, diags);
        }
    };
    let published = fm_parsed.published.as_ref().and_then(|p| parse_date(f, p, &mut diags));
    if let Some(url) = &fm_parsed.url {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            diags.push(
                Diagnostic::error("`url` must be an http(s) address")
                    .at_span(&f.path, &f.text, url.span)
                    .help("give the address where the article was published, starting with https://"),
            );
        }
    }
    if let Some(lang) = &fm_parsed.lang {
        if !crate::config::is_valid_lang(lang) {
            diags.push(
                Diagnostic::error(format!("`{}` is not a language tag", lang.value))
                    .at_span(&f.path, &f.text, lang.span)
                    .help("use a BCP 47 tag such as `ar`, `fr` or `en`"),
            );
        }
    }
    // Who published the text and when: a reader weighs a source by both,
    // so an article says them, or says why it cannot.
    let first_line = (0, f.text.find('\n').unwrap_or(f.text.len()));
    if fm_parsed.published.is_none() && fm_parsed.published_note.is_none() {
        diags.push(
            Diagnostic::warning(format!("article `{}` has no `published:` date", f.stem))
                .at(&f.path, &f.text, first_line.0, first_line.1)
                .help("add `published: 2022-03-31` (or `2022-03`, `2022`, `2022-04~` when approximate); if the text gives no date, say how you know or why not in `published_note:`"),
        );
    }
    if fm_parsed.outlet.is_none() && fm_parsed.outlet_note.is_none() {
        diags.push(
            Diagnostic::warning(format!("article `{}` has no `outlet:`", f.stem))
                .at(&f.path, &f.text, first_line.0, first_line.1)
                .help("add `outlet: <who published it>`; if the capture does not say, write why in `outlet_note:`"),
        );
    }
    let (blocks, link_errors) = body_blocks(body);
    for (offset, dest) in link_errors {
        diags.push(
            Diagnostic::error(format!("link target `{dest}` is not allowed"))
                .at(&f.path, &f.text, body_start + offset, body_start + offset + 1)
                .help("links may only point to http, https, mailto, relative paths or #fragments"),
        );
    }
    let article = RawArticle {
        at,
        id: f.stem.clone(),
        title: fm_parsed.title,
        title_editorial: fm_parsed.title_editorial,
        outlet: fm_parsed.outlet,
        outlet_note: fm_parsed.outlet_note,
        url: fm_parsed.url.map(|u| u.value),
        published,
        published_note: fm_parsed.published_note,
        lang: fm_parsed.lang.map(|l| l.value),
        original: fm_parsed.original,
        original_sha256: fm_parsed.original_sha256,
        blocks: blocks.into(),
    };
    (Some(article), diags)
}

/// Splits a Markdown body into numbered paragraphs and headings. Returns
/// the blocks and the disallowed links found (offset in `body`, target).
pub fn body_blocks(body: &str) -> (Vec<Block>, Vec<(usize, String)>) {
    let (blocks, bad, _) = body_blocks_mapped(body);
    (blocks, bad)
}

/// Where each block's text comes from in an article file: for each block,
/// (offset in the block's text, byte offset in the file) at the start of
/// each piece of text, in order. Tools that point into the article
/// (`suggest`) use it; a build does not keep it.
pub fn source_map(text: &str) -> SourceMap {
    let Ok((_, _, body, body_start)) = yaml::split_front_matter(text) else { return Vec::new() };
    let (_, _, maps) = body_blocks_mapped(body);
    maps.into_iter().map(|m| m.into_iter().map(|(t, s)| (t, s + body_start as u32)).collect()).collect()
}

/// The file offset of byte `at` of a block's text, from its map.
pub fn source_offset(map: &[(u32, u32)], at: u32) -> usize {
    let i = map.partition_point(|&(t, _)| t <= at);
    match i.checked_sub(1).and_then(|i| map.get(i)) {
        Some(&(t, s)) => (s + (at - t)) as usize,
        None => map.first().map_or(0, |&(_, s)| s as usize),
    }
}

/// For each block, (offset in its text, offset in the source) at the start
/// of each piece of its text.
pub type SourceMap = Vec<Vec<(u32, u32)>>;

/// [`body_blocks`], with each block's source map (offsets in `body`).
fn body_blocks_mapped(body: &str) -> (Vec<Block>, Vec<(usize, String)>, SourceMap) {
    let mut maps: Vec<Vec<(u32, u32)>> = Vec::new();
    let mut map: Vec<(u32, u32)> = Vec::new();
    let mut blocks: Vec<Block> = Vec::new();
    let mut bad_links = Vec::new();
    let mut current: Option<Block> = None;
    let mut open: Vec<(u32, Style)> = Vec::new();
    let mut paragraph = 0u32;
    let mut depth_in_heading = false;

    fn start_block(current: &mut Option<Block>, kind: BlockKind) {
        *current = Some(Block { kind, text: String::new(), styles: Vec::new(), nfc: true });
    }
    let push_text =
        |current: &mut Option<Block>, paragraph: &mut u32, s: &str, map: &mut Vec<(u32, u32)>, src: usize| {
            if current.is_none() {
                *paragraph += 1;
                start_block(current, BlockKind::Paragraph(*paragraph));
            }
            if let Some(b) = current.as_mut() {
                map.push((b.text.len() as u32, src as u32));
                b.text.push_str(s);
            }
        };

    for (event, range) in Parser::new_ext(body, Options::empty()).into_offset_iter() {
        match event {
            Event::Start(Tag::Paragraph) if current.is_none() && !depth_in_heading => {
                paragraph += 1;
                start_block(&mut current, BlockKind::Paragraph(paragraph));
            }
            Event::Start(Tag::Heading { level, .. }) => {
                finish(&mut blocks, &mut current, &mut maps, &mut map);
                depth_in_heading = true;
                start_block(&mut current, BlockKind::Heading(level as u8));
            }
            Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Item) | Event::End(TagEnd::CodeBlock)
                if !depth_in_heading =>
            {
                finish(&mut blocks, &mut current, &mut maps, &mut map);
            }
            Event::End(TagEnd::Heading(_)) => {
                depth_in_heading = false;
                finish(&mut blocks, &mut current, &mut maps, &mut map);
            }
            Event::Start(tag @ (Tag::Emphasis | Tag::Strong | Tag::Link { .. })) => {
                let style = match tag {
                    Tag::Emphasis => Style::Emphasis,
                    Tag::Strong => Style::Strong,
                    Tag::Link { dest_url, .. } => {
                        if !crate::parse::is_allowed_link(&dest_url) {
                            bad_links.push((range.start, dest_url.to_string()));
                        }
                        Style::Link(dest_url.to_string())
                    }
                    _ => continue,
                };
                let pos = current.as_ref().map_or(0, |b| b.text.len() as u32);
                open.push((pos, style));
            }
            Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Link) => {
                if let (Some((start, style)), Some(b)) = (open.pop(), current.as_mut()) {
                    let end = b.text.len() as u32;
                    if end > start {
                        b.styles.push(StyleSpan { start, end, style });
                    }
                }
            }
            Event::Code(code) => {
                let start = current.as_ref().map_or(0, |b| b.text.len() as u32);
                push_text(&mut current, &mut paragraph, &code, &mut map, range.start + 1);
                if let Some(b) = current.as_mut() {
                    b.styles.push(StyleSpan { start, end: b.text.len() as u32, style: Style::Code });
                }
            }
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => {
                push_text(&mut current, &mut paragraph, &t, &mut map, range.start)
            }
            Event::SoftBreak | Event::HardBreak => push_text(&mut current, &mut paragraph, " ", &mut map, range.start),
            _ => {}
        }
    }
    finish(&mut blocks, &mut current, &mut maps, &mut map);
    for b in &mut blocks {
        b.styles.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    }
    (blocks, bad_links, maps)
}

/// Whether `text` is in NFC. Text of ASCII, Latin below U+0300 and
/// the Arabic letters, digits, punctuation and harakat is answered without
/// a Unicode table lookup per character: none of these characters changes
/// under NFC or composes with another, and the harakat (U+064B–U+0652)
/// only need to stand in canonical order. Anything else asks the tables.
fn is_nfc(text: &str) -> bool {
    let mut last = 0;
    for c in text.chars() {
        let class = match quick_class(c) {
            Some(class) => class,
            None => {
                return unicode_normalization::is_nfc_quick(text.chars()) == unicode_normalization::IsNormalized::Yes
            }
        };
        if class != 0 && last > class {
            return false;
        }
        last = class;
    }
    true
}

/// The canonical combining class of a character that is in NFC whatever
/// surrounds it, for the characters [`is_nfc`] knows without the tables.
fn quick_class(c: char) -> Option<u8> {
    match c {
        '\0'..='\u{02FF}'
        | '\u{060C}'
        | '\u{061B}'
        | '\u{061F}'
        | '\u{0621}'..='\u{064A}'
        | '\u{0660}'..='\u{066D}' => Some(0),
        '\u{064B}'..='\u{0652}' => Some(27 + (c as u32 - 0x064B) as u8),
        _ => None,
    }
}

fn finish(
    blocks: &mut Vec<Block>,
    current: &mut Option<Block>,
    maps: &mut Vec<Vec<(u32, u32)>>,
    map: &mut Vec<(u32, u32)>,
) {
    let map = std::mem::take(map);
    if let Some(mut b) = current.take() {
        let trimmed_end = b.text.trim_end().len();
        b.text.truncate(trimmed_end);
        b.nfc = is_nfc(&b.text);
        if !b.text.is_empty() || matches!(b.kind, BlockKind::Heading(_)) {
            blocks.push(b);
            maps.push(map);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quick_nfc_classes_are_what_the_unicode_tables_say() {
        use unicode_normalization::char::canonical_combining_class;
        use unicode_normalization::{is_nfc_quick, IsNormalized};
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            if let Some(class) = quick_class(c) {
                assert_eq!(canonical_combining_class(c), class, "U+{:04X}", c as u32);
                assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "U+{:04X}", c as u32);
            }
        }
        // Both ways agree on texts with marks in and out of order, and on
        // decomposed and compatibility letters.
        let texts = [
            "قال",
            "أيضاً",
            "مَرْحَبًا",
            "شدّة",
            "بِّ",
            "بُّ",
            "ب\u{0651}\u{0650}",
            "أ",
            "ا\u{0654}",
            "e\u{0301}",
            "é",
            "Å",
            "\u{212B}",
            "ﻻ",
        ];
        for text in texts {
            let tables = is_nfc_quick(text.chars()) == IsNormalized::Yes;
            assert_eq!(is_nfc(text), tables, "{text:?}");
        }
    }

    #[test]
    fn paragraphs_are_numbered_and_headings_are_not() {
        let (blocks, bad) =
            body_blocks("أول *فقرة*.\n\n## عنوان\n\nثانية [رابط](https://x.org)\nتكملة\n\n<script>x</script>\n");
        assert!(bad.is_empty());
        let kinds: Vec<BlockKind> = blocks.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            vec![BlockKind::Paragraph(1), BlockKind::Heading(2), BlockKind::Paragraph(2), BlockKind::Paragraph(3)]
        );
        assert_eq!(blocks[0].text, "أول فقرة.");
        assert_eq!(blocks[0].styles[0].style, Style::Emphasis);
        assert_eq!(blocks[2].text, "ثانية رابط تكملة");
        assert_eq!(blocks[3].text, "<script>x</script>");
    }

    #[test]
    fn javascript_links_are_reported() {
        let (_, bad) = body_blocks("نص [اضغط](javascript:alert(1)) هنا");
        assert_eq!(bad.len(), 1);
    }
}
