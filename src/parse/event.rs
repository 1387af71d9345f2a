//! Event files: dated happenings, each citing at least one source passage.
//! One file may hold many events.

use super::{check_id, parse_date, At};
use crate::diag::Diagnostic;
use crate::load::SourceFile;
use crate::yaml::{self, Spanned};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Fields {
    id: Spanned<String>,
    date: Spanned<String>,
    /// The date as the source words it («أواخر 2021»), shown beside the
    /// EDTF value, which orders the timeline.
    #[serde(default)]
    date_text: Option<String>,
    title: String,
    #[serde(default)]
    body: Spanned<String>,
    #[serde(default)]
    entities: Vec<Spanned<String>>,
    #[serde(default)]
    sources: Vec<RawSource>,
    #[serde(default)]
    external: Vec<super::RawExternal>,
}

/// One `sources:` item; each value keeps its span for `resolve`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub article: Spanned<String>,
    #[serde(default)]
    pub quote: Option<Spanned<String>>,
    #[serde(default)]
    pub paragraph: Option<Spanned<u32>>,
}

#[derive(Debug, Clone)]
pub struct RawEvent {
    pub at: At,
    pub id: Spanned<String>,
    pub date: crate::date::Date,
    pub date_text: Option<String>,
    pub title: String,
    pub body: Spanned<String>,
    pub body_rich: crate::rich::RawRich,
    pub entities: Vec<Spanned<String>>,
    pub sources: Vec<RawSource>,
    pub external: Vec<crate::model::External>,
}

pub fn parse(at: At, f: &SourceFile) -> (Vec<RawEvent>, Vec<Diagnostic>) {
    let (items, mut diags) = yaml::parse_list::<Fields>(&f.path, &f.text);
    let mut events = Vec::new();
    for (e, offset) in items {
        let id_ok = check_id(f, &e.id, &mut diags);
        let date = parse_date(f, &e.date, &mut diags);
        if e.sources.is_empty() {
            diags.push(
                Diagnostic::error(format!("event `{}` cites no source", e.id.value))
                    .at_span(&f.path, &f.text, e.id.span)
                    .help("add `sources:` with at least one `- { article: <id>, quote: \"…\" }` or `paragraph: N`"),
            );
            continue;
        }
        let external = super::externals(f, e.external, &mut diags);
        if let (true, Some(date)) = (id_ok, date) {
            events.push(RawEvent {
                at: At { file: at.file, offset },
                id: e.id,
                date,
                date_text: e.date_text,
                title: e.title,
                body_rich: crate::rich::parse(&e.body),
                body: e.body,
                entities: e.entities,
                sources: e.sources,
                external,
            });
        }
    }
    (events, diags)
}
