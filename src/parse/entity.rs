//! Entity files: one named person, organisation, place or thing, with the
//! spellings under which the articles mention it.

use super::{opt_string_like, string_like, At};
use crate::diag::Diagnostic;
use crate::load::SourceFile;
use crate::yaml;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Fields {
    #[serde(deserialize_with = "string_like")]
    name: String,
    kind: String,
    #[serde(default, deserialize_with = "opt_string_like")]
    role: Option<String>,
    #[serde(default)]
    aliases: Vec<AliasValue>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    relations: Vec<RawRelation>,
    #[serde(default)]
    not_mentions: Vec<AliasValue>,
    #[serde(default = "yes")]
    link: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(transparent)]
struct AliasValue(#[serde(deserialize_with = "string_like")] String);

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRelation {
    pub to: String,
    #[serde(deserialize_with = "string_like")]
    pub label: String,
}

#[derive(Debug)]
pub struct RawEntity {
    pub at: At,
    pub id: String,
    pub name: String,
    pub kind: String,
    pub role: Option<String>,
    /// The name first, then the other spellings, without duplicates.
    pub aliases: Vec<String>,
    pub description: String,
    /// Byte offset of the description's `description:` key in the file.
    pub description_at: usize,
    pub relations: Vec<RawRelation>,
    pub not_mentions: Vec<String>,
    pub link: bool,
}

pub fn parse(at: At, f: &SourceFile) -> (Option<RawEntity>, Vec<Diagnostic>) {
    let fields: Fields = match yaml::parse(&f.path, &f.text) {
        Ok(x) => x,
        Err(d) => return (None, vec![d]),
    };
    let mut diags = Vec::new();
    let mut aliases: Vec<String> = Vec::new();
    for a in std::iter::once(fields.name.clone()).chain(fields.aliases.into_iter().map(|a| a.0)) {
        let a = a.trim().to_string();
        if crate::arabic::normalize(&a).trim().is_empty() {
            let (s, e) = yaml::find_key(&f.text, 0, "aliases").unwrap_or((0, 0));
            diags.push(
                Diagnostic::error("an alias is empty once normalised")
                    .at(&f.path, &f.text, s, e)
                    .help("remove the empty alias"),
            );
            continue;
        }
        if !aliases.contains(&a) {
            aliases.push(a);
        }
    }
    let description_at = yaml::find_key(&f.text, 0, "description").map_or(0, |(s, _)| s);
    (
        Some(RawEntity {
            at,
            id: f.stem.clone(),
            name: fields.name,
            kind: fields.kind,
            role: fields.role,
            aliases,
            description: fields.description,
            description_at,
            relations: fields.relations,
            not_mentions: fields.not_mentions.into_iter().map(|a| a.0).collect(),
            link: fields.link,
        }),
        diags,
    )
}
