//! Annotation files: the editorial notes on one article, each anchored to a
//! passage by its quote (SPEC §4).

use super::{check_id, At};
use crate::diag::Diagnostic;
use crate::load::SourceFile;
use crate::model::{self, NoteKind};
use crate::yaml::{self, Span, Spanned};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNoteFields {
    #[serde(default)]
    id: Option<Spanned<String>>,
    /// Present on a mention override: the entity this occurrence names,
    /// or `false` for none.
    #[serde(default)]
    mention: Option<Spanned<String>>,
    #[serde(default)]
    kind: Spanned<NoteKind>,
    #[serde(default)]
    quote: Option<Spanned<String>>,
    /// `about: article`: a note on the whole article, with no quote.
    #[serde(default)]
    about: Option<Spanned<String>>,
    #[serde(default)]
    prefix: Option<String>,
    #[serde(default)]
    suffix: Option<String>,
    #[serde(default)]
    paragraph: Option<u32>,
    #[serde(default)]
    speaker: Option<Spanned<String>>,
    /// Who said it, in words, when the speaker has no entity («خبراء
    /// سياسيون»): a quote then needs a `voice:`.
    #[serde(default)]
    said_by: Option<Spanned<String>>,
    /// `direct` (the default): the quote is the speaker's own words;
    /// `reported`: the journalist's account of them.
    #[serde(default)]
    speech: Option<Spanned<Speech>>,
    /// The voice of this statement, when not its speaker's usual one.
    #[serde(default)]
    voice: Option<Spanned<crate::model::Voice>>,
    /// Sources outside the texts that the note rests on.
    #[serde(default)]
    external: Vec<super::RawExternal>,
    #[serde(default)]
    entities: Vec<Spanned<String>>,
    #[serde(default)]
    body: Option<Spanned<String>>,
}

/// Whether a quote note holds the speaker's words or an account of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Speech {
    Direct,
    Reported,
}

/// A note as written; each value that `resolve` may reject keeps its span.
#[derive(Debug, Clone)]
pub struct RawNote {
    pub at: At,
    /// The line where the note starts (its `Origin`), found here: a
    /// build does not keep an annotation file's text past parsing.
    pub line: u32,
    pub id: String,
    pub kind: NoteKind,
    pub quote: Spanned<String>,
    pub prefix: Option<String>,
    pub suffix: Option<String>,
    pub paragraph: Option<u32>,
    pub speaker: Option<Spanned<String>>,
    /// Who said it, when the speaker has no entity.
    pub said_by: Option<String>,
    /// `speech: reported`: the quote is the journalist's account.
    pub reported: bool,
    pub voice: Option<crate::model::Voice>,
    pub external: Vec<crate::model::External>,
    /// `about: article`: the note is on the whole article (its source, its
    /// section, its credit line…), with no quote.
    pub about_article: bool,
    pub entities: Vec<Spanned<String>>,
    pub body: Spanned<String>,
    /// The body parsed once, here, for every later stage.
    pub body_rich: crate::rich::RawRich,
    /// Set on a mention override (an item with `mention:` instead of a
    /// body): the occurrence its quote selects names this entity (`Some`)
    /// or no entity (`None`). Such an item becomes no note.
    pub mention: Option<Spanned<Option<String>>>,
}

impl RawNote {
    /// Whether this item is a mention override rather than a note.
    pub fn is_override(&self) -> bool {
        self.mention.is_some()
    }
}

pub fn parse(at: At, f: &SourceFile) -> (Vec<RawNote>, Vec<Diagnostic>) {
    let (items, mut diags) = yaml::parse_list::<RawNoteFields>(&f.path, &f.text);
    let mut notes = Vec::new();
    let mut seen = std::collections::BTreeMap::new();
    for (n, offset) in items {
        let item_line = (offset, offset + f.text[offset..].find('\n').unwrap_or(f.text.len() - offset));
        if let Some(mention) = n.mention {
            // A mention override: a selector and a target, nothing else.
            let extra = [
                ("body", n.body.as_ref().map(|b| b.span)),
                ("kind", (n.kind.span != Span::default()).then_some(n.kind.span)),
                ("speaker", n.speaker.as_ref().map(|s| s.span)),
                ("said_by", n.said_by.as_ref().map(|s| s.span)),
                ("speech", n.speech.as_ref().map(|s| s.span)),
                ("voice", n.voice.as_ref().map(|s| s.span)),
                ("external", n.external.first().map(|x| x.url.span)),
                ("entities", n.entities.first().map(|e| e.span)),
            ];
            let mut fine = true;
            for (field, span) in extra {
                if let Some(span) = span {
                    fine = false;
                    diags.push(
                        Diagnostic::error(format!("a mention override has no `{field}:`"))
                            .at_span(&f.path, &f.text, span)
                            .help("an item with `mention:` only points one occurrence at an entity; write the note as an item of its own"),
                    );
                }
            }
            let target = match mention.value.trim() {
                "false" => None,
                id if model::is_valid_id(id) => Some(id.to_owned()),
                _ => {
                    diags.push(
                        Diagnostic::error(format!("`{}` is not an entity id", mention.value))
                            .at_span(&f.path, &f.text, mention.span)
                            .help("write the id of the entity this occurrence names (`mention: algeria`), or `mention: false` for none"),
                    );
                    continue;
                }
            };
            if let Some(id) = &n.id {
                if !check_id(f, id, &mut diags) {
                    continue;
                }
            }
            let Some(quote) = n.quote else {
                diags.push(
                    Diagnostic::error("a mention override without a `quote:`")
                        .at_span(&f.path, &f.text, mention.span)
                        .help("add `quote:` with the words of the occurrence (and `prefix:` or `paragraph:` when they occur more than once)"),
                );
                continue;
            };
            if !fine {
                continue;
            }
            notes.push(RawNote {
                at: At { file: at.file, offset },
                line: crate::diag::locate(&f.path, &f.text, offset, offset).line as u32,
                id: n.id.map(|i| i.value).unwrap_or_default(),
                kind: NoteKind::Note,
                quote,
                prefix: n.prefix,
                suffix: n.suffix,
                paragraph: n.paragraph,
                speaker: None,
                said_by: None,
                reported: false,
                voice: None,
                external: Vec::new(),
                about_article: false,
                entities: Vec::new(),
                body: Spanned { span: Span::default(), value: String::new() },
                body_rich: crate::rich::RawRich::default(),
                mention: Some(Spanned { span: mention.span, value: target }),
            });
            continue;
        }
        let Some(id) = n.id else {
            diags.push(
                Diagnostic::error("a note without an `id:`")
                    .at(&f.path, &f.text, item_line.0, item_line.1)
                    .help("give the note `id: <a-name>` (lowercase letters, digits and `-`); an item that only points an occurrence at an entity has `mention: <entity-id>` instead"),
            );
            continue;
        };
        let Some(body) = n.body else {
            diags.push(
                Diagnostic::error(format!("note `{}` has no `body:`", id.value))
                    .at_span(&f.path, &f.text, id.span)
                    .help("add `body: …` with what the editors say about the passage; an item that only points an occurrence at an entity has `mention: <entity-id>` instead of a body"),
            );
            continue;
        };
        if !check_id(f, &id, &mut diags) {
            continue;
        }
        if let Some(first) = seen.insert(id.value.clone(), offset) {
            let line = crate::diag::locate(&f.path, &f.text, first, first).line;
            diags.push(
                Diagnostic::error(format!("duplicate note id `{}`", id.value))
                    .at_span(&f.path, &f.text, id.span)
                    .help(format!("the same id is used on line {line}; give each note its own id")),
            );
            continue;
        }
        // What the note is about: a passage (its quote), or the article.
        let (quote, about_article) = match (n.quote, &n.about) {
            (Some(q), None) => (q, false),
            (None, Some(about)) if about.value == "article" => {
                let selects = n.prefix.is_some() || n.suffix.is_some() || n.paragraph.is_some();
                if n.kind.value == NoteKind::Quote || selects || !n.entities.is_empty() {
                    diags.push(
                        Diagnostic::error(format!("note `{}` is about the whole article but has a passage's fields", id.value))
                            .at_span(&f.path, &f.text, about.span)
                            .help("a note on the article has no `prefix`, `suffix`, `paragraph` or `entities` (link entities in its body with [[id]]) and is not a quote; to note a passage, give its `quote:` instead of `about: article`"),
                    );
                    continue;
                }
                (Spanned { span: about.span, value: String::new() }, true)
            }
            (None, Some(about)) => {
                diags.push(
                    Diagnostic::error(format!("`about: {}` is not something a note can be about", about.value))
                        .at_span(&f.path, &f.text, about.span)
                        .help("write `about: article` for a note on the whole article, or give the passage's `quote:`"),
                );
                continue;
            }
            (Some(_), Some(about)) => {
                diags.push(
                    Diagnostic::error(format!("note `{}` has both a `quote:` and `about:`", id.value))
                        .at_span(&f.path, &f.text, about.span)
                        .help("a note is on a passage (`quote:`) or on the whole article (`about: article`), not both"),
                );
                continue;
            }
            (None, None) => {
                diags.push(
                    Diagnostic::error(format!("note `{}` has no `quote:`", id.value))
                        .at_span(&f.path, &f.text, id.span)
                        .help("add `quote:` with the exact words of the passage the note is on, or `about: article` for a note on the whole article (its source, section or credit line)"),
                );
                continue;
            }
        };
        match (&n.speaker, &n.said_by, &n.voice) {
            (None, None, _) if n.kind.value == NoteKind::Quote => diags.push(
                Diagnostic::error(format!("note `{}` is a quote without a speaker", id.value))
                    .at_span(&f.path, &f.text, n.kind.span)
                    .help("add `speaker: <entity-id>` naming who said it, or, for a speaker with no entity (an unnamed source), `said_by: <who, in words>` and `voice:`"),
            ),
            (Some(_), Some(said_by), _) => diags.push(
                Diagnostic::error(format!("note `{}` has both `speaker:` and `said_by:`", id.value))
                    .at_span(&f.path, &f.text, said_by.span)
                    .help("`said_by:` is for a speaker with no entity; remove it, or remove `speaker:`"),
            ),
            (None, Some(said_by), None) if n.kind.value == NoteKind::Quote => diags.push(
                Diagnostic::error(format!("note `{}` says who spoke in words but not what kind of voice", id.value))
                    .at_span(&f.path, &f.text, said_by.span)
                    .help("add `voice: unnamed` (or official, analyst, media, report): with no entity, the note carries the voice"),
            ),
            (None, Some(said_by), _) if n.kind.value != NoteKind::Quote => diags.push(
                Diagnostic::error(format!("note `{}` says who spoke but is not a quote", id.value))
                    .at_span(&f.path, &f.text, said_by.span)
                    .help("add `kind: quote`, or remove `said_by:`"),
            ),
            _ => {}
        }
        if let (false, Some(speaker)) = (n.kind.value == NoteKind::Quote, &n.speaker) {
            diags.push(
                Diagnostic::error(format!("note `{}` has a speaker but is not a quote", id.value))
                    .at_span(&f.path, &f.text, speaker.span)
                    .help("add `kind: quote`, or remove `speaker:`"),
            );
        }
        if let (false, Some(voice)) = (n.kind.value == NoteKind::Quote, &n.voice) {
            diags.push(
                Diagnostic::error(format!("note `{}` gives a voice but is not a quote", id.value))
                    .at_span(&f.path, &f.text, voice.span)
                    .help("`voice:` belongs to `kind: quote` notes (or to the speaker's entity); remove it, or make the note a quote"),
            );
        }
        if let (false, Some(speech)) = (n.kind.value == NoteKind::Quote, &n.speech) {
            diags.push(
                Diagnostic::error(format!("note `{}` says how a quote is reported but is not a quote", id.value))
                    .at_span(&f.path, &f.text, speech.span)
                    .help("`speech:` belongs to `kind: quote` notes; remove it, or make the note a quote"),
            );
        }
        notes.push(RawNote {
            at: At { file: at.file, offset },
            line: crate::diag::locate(&f.path, &f.text, offset, offset).line as u32,
            id: id.value,
            kind: n.kind.value,
            quote,
            prefix: n.prefix,
            suffix: n.suffix,
            paragraph: n.paragraph,
            speaker: n.speaker,
            said_by: n.said_by.map(|s| s.value),
            reported: n.speech.is_some_and(|s| s.value == Speech::Reported),
            voice: n.voice.map(|v| v.value),
            external: super::externals(f, n.external, &mut diags),
            about_article,
            entities: n.entities,
            body_rich: crate::rich::parse(&body),
            body,
            mention: None,
        });
    }
    (notes, diags)
}
