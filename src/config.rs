//! `content/dossier.yaml`: the dossier's title, language and display
//! choices. The text direction is derived from the language, never written
//! by hand, so a dossier cannot say `lang: ar` and `dir: ltr` at once.

use crate::diag::Diagnostic;
use crate::load::SourceFile;
use crate::yaml::{self, Spanned};
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default = "default_lang")]
    lang: Spanned<String>,
    #[serde(default)]
    base_url: Spanned<String>,
    /// Who keeps the dossier: `Source-Organization` of a snapshot's bag.
    #[serde(default)]
    organization: Option<String>,
    #[serde(default)]
    theme: Option<Spanned<String>>,
    #[serde(default)]
    numerals: Numerals,
    /// Allow images from other servers in editorial Markdown.
    #[serde(default)]
    remote_media: bool,
    #[serde(default)]
    dates: DatesConfig,
    /// Which mentions of an entity in an article are links.
    #[serde(default)]
    link_mentions: LinkMentions,
    /// How many of the newest articles the feed lists (0: every one).
    #[serde(default = "default_feed_limit")]
    feed_limit: usize,
    #[serde(default)]
    kinds: Vec<RawKind>,
}

/// A feed tells a reader's feed program what is new: the newest hundred
/// articles, not a dossier of a hundred thousand in one file.
fn default_feed_limit() -> usize {
    100
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKind {
    id: Spanned<String>,
    label: String,
    singular: String,
}

fn default_lang() -> Spanned<String> {
    Spanned { span: yaml::Span::default(), value: "ar".to_string() }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Numerals {
    #[default]
    Ascii,
    Arabic,
}

/// Which mentions of an entity an article's text links to its page: the
/// first in each paragraph (the default: a paragraph that names Mali ten
/// times is not ten links), or every one. Either way every mention counts
/// and has its anchor for the entity page's keyword in context.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkMentions {
    #[default]
    First,
    All,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MonthNames {
    #[default]
    Maghrebi,
    Levantine,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Calendar {
    #[default]
    Gregorian,
    Hijri,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DatesConfig {
    #[serde(default)]
    pub months: MonthNames,
    #[serde(default)]
    pub calendar: Calendar,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct KindConfig {
    pub id: String,
    pub label: String,
    pub singular: String,
}

/// The validated dossier configuration.
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    pub title: String,
    pub description: String,
    pub lang: String,
    pub dir: &'static str,
    pub base_url: String,
    /// Who keeps the dossier (a snapshot's `Source-Organization`).
    pub organization: Option<String>,
    pub theme: String,
    /// Where `theme:` names it, for an unknown theme's error.
    #[serde(skip)]
    pub theme_at: Option<yaml::Span>,
    pub numerals: Numerals,
    /// Images from other servers are allowed (off: each is an error).
    pub remote_media: bool,
    pub dates: DatesConfig,
    pub link_mentions: LinkMentions,
    /// How many of the newest articles the feed lists (0: every one).
    pub feed_limit: usize,
    pub kinds: Vec<KindConfig>,
}

/// Languages written right to left; everything else is left to right.
pub fn dir_of(lang: &str) -> &'static str {
    let primary = lang.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
    match primary.as_str() {
        "ar" | "fa" | "he" | "ur" | "ps" | "sd" | "ug" | "yi" | "dv" | "ckb" => "rtl",
        _ => "ltr",
    }
}

pub fn is_valid_lang(lang: &str) -> bool {
    !lang.is_empty()
        && lang.len() <= 35
        && lang.split('-').all(|p| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

pub fn parse(file: &SourceFile) -> (Option<Config>, Vec<Diagnostic>) {
    let raw: RawConfig = match yaml::parse(&file.path, &file.text) {
        Ok(r) => r,
        Err(d) => return (None, vec![d]),
    };
    let mut diags = Vec::new();
    if !is_valid_lang(&raw.lang) {
        diags.push(
            Diagnostic::error(format!("`{}` is not a language tag", raw.lang.value))
                .at_span(&file.path, &file.text, raw.lang.span)
                .help("use a BCP 47 tag such as `ar`, `fr` or `en`"),
        );
    }
    if !(raw.base_url.is_empty() || raw.base_url.starts_with("https://") || raw.base_url.starts_with("http://")) {
        diags.push(
            Diagnostic::error("base_url must be an absolute http(s) URL")
                .at_span(&file.path, &file.text, raw.base_url.span)
                .help("write it like `https://example.org/dossier/`, or leave it empty"),
        );
    }
    let mut seen = std::collections::BTreeSet::new();
    for k in &raw.kinds {
        if !crate::model::is_valid_id(&k.id) || !seen.insert(k.id.value.clone()) {
            diags.push(
                Diagnostic::error(format!("entity kind `{}` is not a valid, unique id", k.id.value))
                    .at_span(&file.path, &file.text, k.id.span)
                    .help("kinds are lowercase ASCII ids like `person`, each listed once"),
            );
        }
    }
    if raw.kinds.is_empty() {
        diags.push(
            Diagnostic::error("dossier.yaml lists no entity kinds")
                .at(&file.path, &file.text, 0, 0)
                // not interface wording: an example for the editor, in the language of the content
                .help("add `kinds:` with items like `- { id: person, label: أشخاص, singular: شخص }`"),
        );
    }
    let dir = dir_of(&raw.lang);
    let kinds =
        raw.kinds.into_iter().map(|k| KindConfig { id: k.id.value, label: k.label, singular: k.singular }).collect();
    let config = Config {
        title: raw.title,
        description: raw.description,
        lang: raw.lang.value,
        dir,
        base_url: raw.base_url.value,
        organization: raw.organization,
        theme_at: raw.theme.as_ref().map(|t| t.span),
        theme: raw.theme.map_or_else(|| "default".to_string(), |t| t.value),
        numerals: raw.numerals,
        remote_media: raw.remote_media,
        dates: raw.dates,
        link_mentions: raw.link_mentions,
        feed_limit: raw.feed_limit,
        kinds,
    };
    (Some(config), diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direction_follows_language() {
        for (lang, dir) in [("ar", "rtl"), ("ar-EG", "rtl"), ("fa", "rtl"), ("fr", "ltr"), ("en-GB", "ltr")] {
            assert_eq!(dir_of(lang), dir, "{lang}");
        }
    }
}
