//! Properties that must hold for every input, checked on inputs that
//! `proptest` draws from hostile alphabets (path separators, dots, percent
//! signs, Arabic letters with marks and their variant forms, bidi and
//! zero-width characters, markup):
//! - every path a build writes stays under the output folder, whatever the
//!   ids of the files and records;
//! - HTML escaping round-trips and leaves no character that could end text
//!   or an attribute;
//! - the Arabic normaliser is idempotent;
//! - a quote taken from a paragraph (whole words, with the text around it
//!   as prefix and suffix) is always anchored to that passage.

use milaf::load::{Kind, SourceFile, Sources};
use proptest::prelude::*;

/// Characters that ids, paths and text are drawn from.
const PATHY: &[&str] = &[
    "a", "b", "z", "0", "9", "-", "_", ".", "..", "/", "\\", "%2e", "%2f", "\0", " ", "A", "\u{202E}", "\u{200B}", "é",
    "م",
];

const TEXTY: &[&str] = &[
    "ا", "أ", "إ", "آ", "ٱ", "ى", "ي", "ة", "ه", "ك", "ی", "ک", "م", "ل", "و", "ب", "ف", "ن", "س", "ع", "\u{064E}",
    "\u{0651}", "\u{0640}", "١", "2", "a", "Z", "-", " ", " ", " ", "،", ".", "«", "»", "\u{200C}", "\u{2067}",
    "\u{2069}", "<", ">", "&", "\"", "'", "e\u{301}", "é", "ﻻ", "\t",
];

fn string_of(alphabet: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(alphabet), 0..max).prop_map(|v| v.concat())
}

/// Ids: half of them valid, so that sites get built, half drawn from
/// `PATHY`.
fn an_id() -> impl Strategy<Value = String> {
    prop_oneof![string_of(&["a", "b", "z", "0", "9", "-"], 8), string_of(PATHY, 6)]
}

/// A small dossier whose entity file, event and note carry the given ids.
fn dossier_with_ids(entity: &str, event: &str, note: &str) -> Sources {
    let entity_file = SourceFile {
        kind: Kind::Entity,
        path: format!("content/entities/{entity}.yaml"),
        stem: entity.to_string(),
        text: "name: مالي\nkind: place\n".to_string(),
        original: None,
    };
    let files = vec![
        SourceFile::text(
            Kind::Config,
            "content/dossier.yaml",
            "title: t\nkinds: [{ id: place, label: l, singular: s }]\n",
        ),
        SourceFile::text(
            Kind::Article,
            "content/articles/a.md",
            "---\ntitle: مقال\n---\nأعلنت مالي تسلم شحنة جديدة.\n",
        ),
        SourceFile::text(
            Kind::Annotations,
            "content/annotations/a.yaml",
            &format!("- id: {}\n  quote: شحنة جديدة\n  body: نص.\n", yaml_string(note)),
        ),
        SourceFile::text(
            Kind::Events,
            "content/events/e.yaml",
            &format!(
                "- id: {}\n  date: 2022-04\n  title: حدث\n  sources:\n    - article: a\n      quote: شحنة جديدة\n",
                yaml_string(event)
            ),
        ),
        entity_file,
    ];
    Sources { files, themes: Default::default() }
}

/// `s` as a YAML double-quoted string.
fn yaml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_output_path_stays_under_the_output_folder(
        entity in an_id(),
        event in an_id(),
        note in an_id(),
    ) {
        let mut sources = dossier_with_ids(&entity, &event, &note);
        let (dossier, diags) = milaf::compile(&mut sources);
        let valid = [&entity, &event, &note].iter().all(|id| milaf::model::is_valid_id(id));
        let errors = diags.iter().any(|d| d.is_error());
        // An id outside the grammar is always an error that names its file.
        prop_assert_eq!(errors, !valid, "{}", milaf::diag::render_human(&diags));
        for d in &diags {
            prop_assert!(d.location.as_ref().is_some_and(|l| l.file.starts_with("content/")), "{:?}", d);
        }
        if let Some(dossier) = dossier.filter(|_| !errors) {
            let out = std::path::Path::new("/srv/site");
            for f in milaf::write::in_memory(&dossier, None).unwrap() {
                let joined = out.join(&f.path);
                prop_assert!(
                    joined.components().skip(out.components().count()).all(|c| matches!(c, std::path::Component::Normal(_))),
                    "{} leaves the output folder", f.path
                );
                prop_assert!(!f.path.contains('\\') && !f.path.split('/').any(|s| s.is_empty() || s == "." || s == ".."), "{}", f.path);
            }
        }
    }

    #[test]
    fn html_escaping_round_trips(s in string_of(TEXTY, 40)) {
        let escaped = milaf::render::escape(&s);
        prop_assert_eq!(unescape(&escaped), s.clone());
        prop_assert!(!escaped.contains(['<', '>', '"', '\'']), "{}", escaped);
        // Every `&` starts one of the five entities.
        for (i, _) in escaped.match_indices('&') {
            let rest = &escaped[i..];
            prop_assert!(["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"].iter().any(|e| rest.starts_with(e)), "{}", escaped);
        }
    }

    #[test]
    fn the_normaliser_is_idempotent(s in string_of(TEXTY, 40)) {
        let once = milaf::arabic::normalize(&s);
        prop_assert_eq!(milaf::arabic::normalize(&once), once.clone());
        prop_assert_eq!(milaf::arabic::sort_key(&s), milaf::arabic::sort_key(&once));
    }

    #[test]
    fn a_quote_taken_from_a_paragraph_is_always_found(
        paragraphs in prop::collection::vec(prop::collection::vec(string_of(TEXTY, 8), 1..12), 1..4),
        pick in any::<prop::sample::Index>(),
        from in any::<prop::sample::Index>(),
        len in 1usize..5,
    ) {
        // Paragraphs of words joined by single spaces.
        let texts: Vec<String> = paragraphs.iter().map(|words| words.join(" ")).collect();
        let p = pick.index(texts.len());
        let words = &paragraphs[p];
        let a = from.index(words.len());
        let b = (a + len).min(words.len());
        let quote = words[a..b].join(" ");
        prop_assume!(!milaf::arabic::normalize(&quote).trim().is_empty());
        let prefix = words[..a].join(" ");
        let suffix = words[b..].join(" ");
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let selector = milaf::anchor::Selector {
            quote: &quote,
            prefix: Some(&prefix).filter(|p| !milaf::arabic::normalize(p).trim().is_empty()).map(|s| s.as_str()),
            suffix: Some(&suffix).filter(|s| !milaf::arabic::normalize(s).trim().is_empty()).map(|s| s.as_str()),
            paragraph: Some(p + 1),
        };
        let outcome = milaf::anchor::resolve(&refs, &selector);
        let anchor = match outcome {
            Ok(milaf::anchor::AnchorOutcome::Anchored(a)) | Ok(milaf::anchor::AnchorOutcome::Unmatched { anchor: a, .. }) => a,
            other => return Err(TestCaseError::fail(format!("{other:?} for {quote:?} in {texts:?}"))),
        };
        prop_assert_eq!(anchor.paragraph, p + 1);
        let found = &texts[p][anchor.start..anchor.end];
        prop_assert_eq!(
            milaf::arabic::normalize(found).trim().to_string(),
            milaf::arabic::normalize(&quote).trim().to_string(),
            "found {:?} for {:?} in {:?}", found, quote, texts[p]
        );
    }
}
