//! Entity files: one named person, organisation, place or thing, with the
//! spellings under which the articles mention it.

use super::At;
use crate::diag::Diagnostic;
use crate::load::SourceFile;
use crate::yaml::{self, Spanned};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Fields {
    name: Spanned<String>,
    kind: Spanned<String>,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    #[serde(default)]
    description: Spanned<String>,
    #[serde(default)]
    relations: Vec<RawRelation>,
    #[serde(default)]
    not_mentions: Vec<String>,
    #[serde(default = "yes")]
    link: bool,
    #[serde(default)]
    voice: Option<crate::model::Voice>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRelation {
    pub to: Spanned<String>,
    pub label: String,
    /// The label as read from the other entity's page.
    #[serde(default)]
    pub inverse: Option<String>,
}

/// An entity as written; values `resolve` may reject keep their spans.
#[derive(Debug, Clone)]
pub struct RawEntity {
    pub at: At,
    pub id: String,
    pub name: String,
    pub kind: Spanned<String>,
    pub role: Option<String>,
    /// The name first, then the other spellings, without duplicates.
    pub aliases: Vec<String>,
    /// Where each alias is written.
    pub alias_spans: Vec<yaml::Span>,
    pub description: Spanned<String>,
    pub description_rich: crate::rich::RawRich,
    pub relations: Vec<RawRelation>,
    pub not_mentions: Vec<String>,
    pub link: bool,
    pub voice: Option<crate::model::Voice>,
}

/// Bidirectional controls and marks, zero-width characters and the BOM.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}')
}

pub fn parse(at: At, f: &SourceFile) -> (Option<RawEntity>, Vec<Diagnostic>) {
    let fields: Fields = match yaml::parse(&f.path, &f.text) {
        Ok(x) => x,
        Err(d) => return (None, vec![d]),
    };
    let mut diags = Vec::new();
    let mut aliases: Vec<String> = Vec::new();
    let mut alias_spans: Vec<yaml::Span> = Vec::new();
    for a in std::iter::once(&fields.name).chain(&fields.aliases) {
        let text = a.trim().to_string();
        // `[فاغنر، فاجنر]` is one alias: the Arabic comma is no separator
        // in YAML, and a name with one is almost never meant.
        if text.contains(['،', '؛']) {
            let parts: Vec<&str> = text.split(['،', '؛']).map(str::trim).filter(|p| !p.is_empty()).collect();
            diags.push(
                Diagnostic::warning(format!("`{text}` is one alias: it holds an Arabic comma"))
                    .at_span(&f.path, &f.text, a.span)
                    .help(format!(
                        "YAML separates list items with `,`, not `،`; if these are {} names, write `aliases: [{}]`",
                        parts.len(),
                        parts.join(", ")
                    )),
            );
        }
        // A name never holds an invisible character: typed text would never
        // match it, and a reader could not see why.
        if let Some(c) = text.chars().find(|&c| is_invisible(c)) {
            diags.push(
                Diagnostic::error(format!("this name holds an invisible character (U+{:04X})", c as u32))
                    .at_span(&f.path, &f.text, a.span)
                    .help("remove it: bidirectional controls and zero-width characters make a name that looks like another but never matches it"),
            );
            continue;
        }
        if crate::arabic::normalize(&text).trim().is_empty() {
            diags.push(
                Diagnostic::error("an alias is empty once normalised")
                    .at_span(&f.path, &f.text, a.span)
                    .help("remove the empty alias"),
            );
            continue;
        }
        if !aliases.contains(&text) {
            aliases.push(text);
            alias_spans.push(a.span);
        }
    }
    (
        Some(RawEntity {
            at,
            id: f.stem.clone(),
            name: fields.name.value,
            kind: fields.kind,
            role: fields.role,
            aliases,
            alias_spans,
            description_rich: crate::rich::parse(&fields.description),
            description: fields.description,
            relations: fields.relations,
            not_mentions: fields.not_mentions,
            voice: fields.voice,
            link: fields.link,
        }),
        diags,
    )
}
