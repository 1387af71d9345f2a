//! Event files: dated happenings, each citing at least one source passage.
//! One file may hold many events.

use super::{check_id, opt_string_like, parse_date, string_like, At};
use crate::diag::Diagnostic;
use crate::load::SourceFile;
use crate::yaml;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Fields {
    id: String,
    #[serde(deserialize_with = "string_like")]
    date: String,
    #[serde(deserialize_with = "string_like")]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    entities: Vec<String>,
    #[serde(default)]
    sources: Vec<RawSource>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub article: String,
    #[serde(default, deserialize_with = "opt_string_like")]
    pub quote: Option<String>,
    #[serde(default)]
    pub paragraph: Option<u32>,
}

#[derive(Debug)]
pub struct RawEvent {
    pub at: At,
    pub id: String,
    pub date: crate::date::Date,
    pub title: String,
    pub body: String,
    pub entities: Vec<String>,
    pub sources: Vec<RawSource>,
}

pub fn parse(at: At, f: &SourceFile) -> (Vec<RawEvent>, Vec<Diagnostic>) {
    let (items, mut diags) = yaml::parse_list::<Fields>(&f.path, &f.text);
    let mut events = Vec::new();
    for (e, offset) in items {
        let id_ok = check_id(f, offset, &e.id, &mut diags);
        let date = parse_date(f, offset, "date", &e.date, &mut diags);
        if e.sources.is_empty() {
            let (s, end) = yaml::find_value(&f.text, offset, "id", &e.id).unwrap_or((offset, offset));
            diags.push(
                Diagnostic::error(format!("event `{}` cites no source", e.id))
                    .at(&f.path, &f.text, s, end)
                    .help("add `sources:` with at least one `- { article: <id>, quote: \"…\" }` or `paragraph: N`"),
            );
            continue;
        }
        if let (true, Some(date)) = (id_ok, date) {
            events.push(RawEvent {
                at: At { file: at.file, offset },
                id: e.id,
                date,
                title: e.title,
                body: e.body,
                entities: e.entities,
                sources: e.sources,
            });
        }
    }
    (events, diags)
}
