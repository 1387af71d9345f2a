//! The interface wording of a site: one catalogue per language in the
//! theme (`themes/<name>/i18n/<lang>.yaml`), so no label, heading, count
//! or date qualifier is written in Rust. A catalogue is a YAML map of keys
//! to texts, grouped by nested maps (`article: { notes_title: … }` is the
//! key `article.notes_title`); a map whose keys are all CLDR plural
//! categories (`zero`, `one`, `two`, `few`, `many`, `other`) is a counted
//! noun, and the form for a number is chosen by the CLDR rules of the
//! dossier's language through ICU4X (`icu_plurals`), never by hand. Texts
//! take `{name}` placeholders; a count's `{n}` is the number in the
//! dossier's numerals.
//!
//! A dossier's own theme may hold catalogues too: each key it gives
//! replaces the built-in one, and each key it lacks falls back to the
//! built-in catalogue of the same language (English for a language the
//! built-in theme does not have). `render` builds one `Catalogue` per build
//! and hands it to the templates (the `t` and `count` functions) and to the
//! Rust code that writes HTML; a template asking for a key no catalogue
//! has fails the build with that key's name.

use crate::config::Numerals;
use crate::diag::Diagnostic;
use icu_plurals::{PluralCategory, PluralRules};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The built-in theme's catalogues, by language, compiled into the binary.
pub const DEFAULT_CATALOGUES: &[(&str, &str)] =
    &[("ar", include_str!("../themes/default/i18n/ar.yaml")), ("en", include_str!("../themes/default/i18n/en.yaml"))];

/// The built-in language used when the built-in theme has none for the
/// dossier's language.
const FALLBACK_LANG: &str = "en";

/// The forms of a counted noun, by CLDR plural category. `other` is the
/// one every language has; a category a catalogue leaves out takes it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Forms {
    pub zero: Option<String>,
    pub one: Option<String>,
    pub two: Option<String>,
    pub few: Option<String>,
    pub many: Option<String>,
    pub other: String,
}

impl Forms {
    fn of(&self, category: PluralCategory) -> &str {
        let form = match category {
            PluralCategory::Zero => &self.zero,
            PluralCategory::One => &self.one,
            PluralCategory::Two => &self.two,
            PluralCategory::Few => &self.few,
            PluralCategory::Many => &self.many,
            PluralCategory::Other => return &self.other,
        };
        form.as_deref().unwrap_or(&self.other)
    }
}

/// One entry of a catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Text(String),
    Counted(Forms),
}

/// A catalogue file as YAML gives it: texts and maps of texts.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawEntry {
    Text(String),
    Map(BTreeMap<String, RawEntry>),
}

const CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// Reads one catalogue file into its flat keys. `path` names the file in
/// the diagnostic.
pub fn parse(path: &str, text: &str) -> Result<BTreeMap<String, Entry>, Diagnostic> {
    let raw: BTreeMap<String, RawEntry> = crate::yaml::parse(path, text)?;
    let mut out = BTreeMap::new();
    flatten("", raw, &mut out).map_err(|message| {
        Diagnostic::error(message).in_file(path).help(
            "a catalogue maps keys to texts; a counted noun is a map of CLDR plural categories (zero, one, two, few, many, other) with at least `other`",
        )
    })?;
    Ok(out)
}

fn flatten(prefix: &str, raw: BTreeMap<String, RawEntry>, out: &mut BTreeMap<String, Entry>) -> Result<(), String> {
    for (name, entry) in raw {
        let key = if prefix.is_empty() { name } else { format!("{prefix}.{name}") };
        match entry {
            RawEntry::Text(t) => {
                out.insert(key, Entry::Text(t));
            }
            RawEntry::Map(m) if !m.is_empty() && m.keys().all(|k| CATEGORIES.contains(&k.as_str())) => {
                let mut forms = BTreeMap::new();
                for (category, form) in m {
                    match form {
                        RawEntry::Text(t) => forms.insert(category, t),
                        RawEntry::Map(_) => return Err(format!("`{key}.{category}` must be a text")),
                    };
                }
                let Some(other) = forms.remove("other") else {
                    return Err(format!("counted noun `{key}` has no `other` form"));
                };
                out.insert(
                    key,
                    Entry::Counted(Forms {
                        zero: forms.remove("zero"),
                        one: forms.remove("one"),
                        two: forms.remove("two"),
                        few: forms.remove("few"),
                        many: forms.remove("many"),
                        other,
                    }),
                );
            }
            RawEntry::Map(m) => flatten(&key, m, out)?,
        }
    }
    Ok(())
}

/// A key no catalogue of the theme has (or a text asked for as a count,
/// or a count as a text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingKey(pub String);

impl std::fmt::Display for MissingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "no catalogue of the theme has the key `{}`", self.0)
    }
}

impl std::error::Error for MissingKey {}

/// The wording of one site: the dossier's language, its numerals, and the
/// entries of the theme's catalogue over the built-in one.
#[derive(Debug)]
pub struct Catalogue {
    lang: String,
    numerals: Numerals,
    entries: BTreeMap<String, Entry>,
    rules: PluralRules,
}

impl Catalogue {
    /// The catalogue for `lang`: the built-in one of that language (or of
    /// its primary subtag; English when the built-in theme has neither),
    /// with the entries of `user` (the dossier theme's catalogue files, by
    /// file name, `ar.yaml`…) for the same language put over it.
    pub fn new(lang: &str, numerals: Numerals, user: &[(String, String)]) -> Result<Catalogue, Diagnostic> {
        let builtin = pick(lang, DEFAULT_CATALOGUES.iter().map(|(l, t)| (*l, *t)))
            .or_else(|| DEFAULT_CATALOGUES.iter().find(|(l, _)| *l == FALLBACK_LANG).map(|(l, t)| (*l, *t)));
        let mut entries = match builtin {
            Some((l, text)) => parse(&format!("themes/default/i18n/{l}.yaml"), text)?,
            None => BTreeMap::new(),
        };
        let user_files = user.iter().filter_map(|(name, text)| Some((name.strip_suffix(".yaml")?, text.as_str())));
        if let Some((l, text)) = pick(lang, user_files) {
            entries.extend(parse(&format!("i18n/{l}.yaml"), text)?);
        }
        Ok(Catalogue { lang: lang.to_string(), numerals, entries, rules: plural_rules(lang)? })
    }

    /// The language the catalogue was built for.
    pub fn lang(&self) -> &str {
        &self.lang
    }

    pub fn numerals(&self) -> Numerals {
        self.numerals
    }

    /// The text of `key`, or the key's name as the error.
    pub fn get(&self, key: &str) -> Result<&str, MissingKey> {
        match self.entries.get(key) {
            Some(Entry::Text(t)) => Ok(t),
            _ => Err(MissingKey(key.to_string())),
        }
    }

    /// The text of `key` with each `{name}` replaced by its value.
    pub fn format(&self, key: &str, args: &[(&str, &str)]) -> Result<String, MissingKey> {
        Ok(fill(self.get(key)?, args))
    }

    /// The form of the counted noun `key` that agrees with `n`, its `{n}`
    /// the number in the dossier's numerals.
    pub fn count(&self, key: &str, n: u64) -> Result<String, MissingKey> {
        let Some(Entry::Counted(forms)) = self.entries.get(key) else { return Err(MissingKey(key.to_string())) };
        let shown = crate::render::number(n, self.numerals);
        Ok(fill(forms.of(self.rules.category_for(n)), &[("n", &shown)]))
    }

    /// For the Rust code that writes HTML, whose keys are fixed: the text
    /// of `key`. Every key the code asks for is in every built-in
    /// catalogue (a test reads the code for them), so the key's own name,
    /// shown in place of a missing text, cannot reach a page.
    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        self.get(key).unwrap_or(key)
    }

    /// `t` with placeholders filled.
    pub fn tf(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(self.t(key), args)
    }

    /// `count` for the Rust code (see `t`).
    pub fn n(&self, key: &str, n: usize) -> String {
        self.count(key, n as u64).unwrap_or_else(|_| key.to_string())
    }

    /// The forms of the counted noun `key`, for a page's script that counts
    /// with the browser's CLDR rules (`Intl.PluralRules`), with each `{n}`
    /// left in place.
    pub fn forms(&self, key: &str) -> Option<&Forms> {
        match self.entries.get(key) {
            Some(Entry::Counted(f)) => Some(f),
            _ => None,
        }
    }

    /// Every key, in order (for tests and theme authors).
    pub fn keys(&self) -> impl Iterator<Item = (&str, &Entry)> {
        self.entries.iter().map(|(k, e)| (k.as_str(), e))
    }
}

/// The keys a template names literally: each `t(key="…")` and
/// `count(key="…")` with its byte range in the template and whether it asks
/// for a counted noun. A key built from parts (`"voices." ~ g.id`) is not
/// literal and is checked when the page renders.
pub fn template_keys(text: &str) -> Vec<(std::ops::Range<usize>, &str, bool)> {
    let mut out = Vec::new();
    for (call, counted) in [("t(key=\"", false), ("count(key=\"", true)] {
        for (at, _) in text.match_indices(call) {
            // `t(` must be the function, not the end of a longer name.
            let before = text[..at].chars().next_back();
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            let start = at + call.len();
            let Some(len) = text[start..].find('"') else { continue };
            let end = start + len;
            if text[end + 1..].trim_start().starts_with('~') {
                continue;
            }
            out.push((start..end, &text[start..end], counted));
        }
    }
    out.sort_by_key(|(r, _, _)| r.start);
    out
}

impl Catalogue {
    /// Whether the catalogue has `key` as a text (or, `counted`, as a
    /// counted noun).
    pub fn has(&self, key: &str, counted: bool) -> bool {
        matches!((self.entries.get(key), counted), (Some(Entry::Text(_)), false) | (Some(Entry::Counted(_)), true))
    }
}

/// The file of `lang` among `(language, text)` pairs: the exact tag, else
/// its primary subtag (`ar-EG` → `ar`).
fn pick<'a>(lang: &str, files: impl Iterator<Item = (&'a str, &'a str)> + Clone) -> Option<(&'a str, &'a str)> {
    let primary = lang.split(['-', '_']).next().unwrap_or(lang);
    files
        .clone()
        .find(|(l, _)| l.eq_ignore_ascii_case(lang))
        .or_else(|| files.into_iter().find(|(l, _)| l.eq_ignore_ascii_case(primary)))
}

/// The CLDR cardinal rules of `lang` (ICU's locale fallback gives a
/// language without rules the root ones, where every number is `other`).
fn plural_rules(lang: &str) -> Result<PluralRules, Diagnostic> {
    let locale = icu_locale_core::Locale::try_from_str(lang).unwrap_or(icu_locale_core::Locale::UNKNOWN);
    PluralRules::try_new_cardinal((&locale).into())
        .map_err(|e| Diagnostic::error(format!("no CLDR plural rules for the language `{lang}`: {e}")))
}

/// `text` with each `{name}` of `args` replaced; other braces are kept.
pub fn fill(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| Some((close, args.iter().find(|(k, _)| *k == &after[..close])?))) {
            Some((close, (_, value))) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}
