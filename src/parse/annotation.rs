//! Annotation files: the editorial notes on one article, each anchored to a
//! passage by its quote (SPEC §4).

use super::{check_id, opt_string_like, string_like, At};
use crate::diag::Diagnostic;
use crate::load::SourceFile;
use crate::model::NoteKind;
use crate::yaml;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNoteFields {
    id: String,
    #[serde(default)]
    kind: NoteKind,
    #[serde(deserialize_with = "string_like")]
    quote: String,
    #[serde(default, deserialize_with = "opt_string_like")]
    prefix: Option<String>,
    #[serde(default, deserialize_with = "opt_string_like")]
    suffix: Option<String>,
    #[serde(default)]
    paragraph: Option<u32>,
    #[serde(default)]
    speaker: Option<String>,
    #[serde(default)]
    entities: Vec<String>,
    body: String,
}

#[derive(Debug, Clone)]
pub struct RawNote {
    pub at: At,
    pub id: String,
    pub kind: NoteKind,
    pub quote: String,
    pub prefix: Option<String>,
    pub suffix: Option<String>,
    pub paragraph: Option<u32>,
    pub speaker: Option<String>,
    pub entities: Vec<String>,
    pub body: String,
}

pub fn parse(at: At, f: &SourceFile) -> (Vec<RawNote>, Vec<Diagnostic>) {
    let (items, mut diags) = yaml::parse_list::<RawNoteFields>(&f.path, &f.text);
    let mut notes = Vec::new();
    let mut seen = std::collections::BTreeMap::new();
    for (n, offset) in items {
        if !check_id(f, offset, &n.id, &mut diags) {
            continue;
        }
        if let Some(first) = seen.insert(n.id.clone(), offset) {
            let (s, e) = yaml::find_value(&f.text, offset, "id", &n.id).unwrap_or((offset, offset));
            let line = crate::diag::locate(&f.path, &f.text, first, first).line;
            diags.push(
                Diagnostic::error(format!("duplicate note id `{}`", n.id))
                    .at(&f.path, &f.text, s, e)
                    .help(format!("the same id is used on line {line}; give each note its own id")),
            );
            continue;
        }
        if n.kind == NoteKind::Quote && n.speaker.is_none() {
            let (s, e) = yaml::find_value(&f.text, offset, "kind", "quote").unwrap_or((offset, offset));
            diags.push(
                Diagnostic::error(format!("note `{}` is a quote without a speaker", n.id))
                    .at(&f.path, &f.text, s, e)
                    .help("add `speaker: <entity-id>` naming who said it"),
            );
        }
        if n.kind != NoteKind::Quote && n.speaker.is_some() {
            let (s, e) = yaml::find_key(&f.text, offset, "speaker").unwrap_or((offset, offset));
            diags.push(
                Diagnostic::error(format!("note `{}` has a speaker but is not a quote", n.id))
                    .at(&f.path, &f.text, s, e)
                    .help("add `kind: quote`, or remove `speaker:`"),
            );
        }
        notes.push(RawNote {
            at: At { file: at.file, offset },
            id: n.id,
            kind: n.kind,
            quote: n.quote,
            prefix: n.prefix,
            suffix: n.suffix,
            paragraph: n.paragraph,
            speaker: n.speaker,
            entities: n.entities,
            body: n.body,
        });
    }
    (notes, diags)
}
