//! The Markdown dialect of editorial bodies: CommonMark with strikethrough
//! and tables, as `rich::parse` reads it. Footnotes are not enabled: a
//! citation is written `[@id]` and numbered by milaf itself.

use pulldown_cmark::Options;

pub fn options() -> Options {
    Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES
}
