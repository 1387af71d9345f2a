//! Markdown facts that both `resolve` and `render` need: where code spans
//! are (wiki links and citations inside code stay literal) and which link
//! targets a body holds (checked against the allowed schemes).

use pulldown_cmark::{Event, Options, Parser, Tag};
use std::ops::Range;

pub fn options() -> Options {
    Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES
}

/// Byte ranges of inline code and code blocks.
pub fn code_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut block_start = None;
    for (ev, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match ev {
            Event::Code(_) => out.push(range),
            Event::Start(Tag::CodeBlock(_)) => block_start = Some(range.start),
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => {
                if let Some(s) = block_start.take() {
                    out.push(s..range.end);
                }
            }
            _ => {}
        }
    }
    out
}

/// Every link and image target in a body.
pub fn link_targets(text: &str) -> Vec<String> {
    Parser::new_ext(text, options())
        .filter_map(|ev| match ev {
            Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) => {
                Some(dest_url.to_string())
            }
            _ => None,
        })
        .collect()
}
