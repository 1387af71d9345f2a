//! Annotation files: the editorial notes on one article, each anchored to a
//! passage by its quote (SPEC §4).

use super::{check_id, At};
use crate::diag::Diagnostic;
use crate::load::SourceFile;
use crate::model::NoteKind;
use crate::yaml::{self, Spanned};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNoteFields {
    id: Spanned<String>,
    #[serde(default)]
    kind: Spanned<NoteKind>,
    quote: Spanned<String>,
    #[serde(default)]
    prefix: Option<String>,
    #[serde(default)]
    suffix: Option<String>,
    #[serde(default)]
    paragraph: Option<u32>,
    #[serde(default)]
    speaker: Option<Spanned<String>>,
    #[serde(default)]
    entities: Vec<Spanned<String>>,
    body: Spanned<String>,
}

/// A note as written; each value that `resolve` may reject keeps its span.
#[derive(Debug, Clone)]
pub struct RawNote {
    pub at: At,
    pub id: String,
    pub kind: NoteKind,
    pub quote: Spanned<String>,
    pub prefix: Option<String>,
    pub suffix: Option<String>,
    pub paragraph: Option<u32>,
    pub speaker: Option<Spanned<String>>,
    pub entities: Vec<Spanned<String>>,
    pub body: Spanned<String>,
    /// The body parsed once, here, for every later stage.
    pub body_rich: crate::rich::RawRich,
}

pub fn parse(at: At, f: &SourceFile) -> (Vec<RawNote>, Vec<Diagnostic>) {
    let (items, mut diags) = yaml::parse_list::<RawNoteFields>(&f.path, &f.text);
    let mut notes = Vec::new();
    let mut seen = std::collections::BTreeMap::new();
    for (n, offset) in items {
        if !check_id(f, &n.id, &mut diags) {
            continue;
        }
        if let Some(first) = seen.insert(n.id.value.clone(), offset) {
            let line = crate::diag::locate(&f.path, &f.text, first, first).line;
            diags.push(
                Diagnostic::error(format!("duplicate note id `{}`", n.id.value))
                    .at_span(&f.path, &f.text, n.id.span)
                    .help(format!("the same id is used on line {line}; give each note its own id")),
            );
            continue;
        }
        if n.kind.value == NoteKind::Quote && n.speaker.is_none() {
            diags.push(
                Diagnostic::error(format!("note `{}` is a quote without a speaker", n.id.value))
                    .at_span(&f.path, &f.text, n.kind.span)
                    .help("add `speaker: <entity-id>` naming who said it"),
            );
        }
        if let (false, Some(speaker)) = (n.kind.value == NoteKind::Quote, &n.speaker) {
            diags.push(
                Diagnostic::error(format!("note `{}` has a speaker but is not a quote", n.id.value))
                    .at_span(&f.path, &f.text, speaker.span)
                    .help("add `kind: quote`, or remove `speaker:`"),
            );
        }
        notes.push(RawNote {
            at: At { file: at.file, offset },
            id: n.id.value,
            kind: n.kind.value,
            quote: n.quote,
            prefix: n.prefix,
            suffix: n.suffix,
            paragraph: n.paragraph,
            speaker: n.speaker,
            entities: n.entities,
            body_rich: crate::rich::parse(&n.body),
            body: n.body,
        });
    }
    (notes, diags)
}
