//! The `parse` stage: turns each loaded file into raw typed records
//! (strings for ids, nothing resolved yet), checking everything that can be
//! checked within one file: YAML syntax, unknown fields, types, required
//! fields, the id grammar, dates, link schemes. Each record keeps the index
//! of its file and the byte offset where it starts, so `resolve` can point
//! at the exact value it rejects.

mod annotation;
pub(crate) mod article;
mod entity;
mod event;
mod page;

pub use annotation::RawNote;
pub use article::RawArticle;
pub use entity::{RawEntity, RawRelation};
pub use event::{RawEvent, RawSource};
pub use page::RawPage;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::load::{Kind, SourceFile, Sources};
use crate::model;
use crate::yaml::Spanned;
use rayon::prelude::*;
use std::sync::Arc;

/// Where a record came from: the file (index into `Sources::files`) and the
/// byte offset of the record in it.
#[derive(Debug, Clone, Copy)]
pub struct At {
    pub file: usize,
    pub offset: usize,
}

#[derive(Debug, Default)]
/// The records are shared (`Arc`) with the parsed files they come from, so
/// a workspace hands the same records to each build without copying them.
pub struct Parsed {
    pub config: Option<Config>,
    pub articles: Vec<Arc<RawArticle>>,
    pub entities: Vec<Arc<RawEntity>>,
    /// (article id, file index) for every annotation file, and its notes.
    pub annotations: Vec<(String, At, Arc<[RawNote]>)>,
    pub events: Vec<Arc<RawEvent>>,
    pub pages: Vec<Arc<RawPage>>,
    /// Original file name → file index.
    pub originals: std::collections::BTreeMap<String, usize>,
    /// Placeholders `milaf new` left unfilled, as errors.
    pub unfilled: Vec<Diagnostic>,
}

#[derive(Debug, Clone)]
enum One {
    Config(Option<Config>),
    Article(Arc<RawArticle>),
    Entity(Arc<RawEntity>),
    Annotations(String, At, Arc<[RawNote]>),
    Events(Vec<Arc<RawEvent>>),
    Page(Arc<RawPage>),
    Original(String, usize),
    Nothing,
}

/// What parsing one file gave: its records, its problems, and the
/// placeholders `milaf new` left in it. A workspace keeps one per file and
/// parses a file again only when its text changes.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    one: One,
    diags: Vec<Diagnostic>,
    unfilled: Vec<Diagnostic>,
}

impl ParsedFile {
    /// Points the records at position `i` of the file list, where the
    /// file now stands (files come and go between two builds of a
    /// workspace; a record's other positions are within its own file).
    pub fn set_file(&mut self, i: usize) {
        let fix = |at: &mut At| at.file = i;
        match &mut self.one {
            // Not shared while the workspace updates: no record is copied.
            One::Article(a) => fix(&mut Arc::make_mut(a).at),
            One::Entity(e) => fix(&mut Arc::make_mut(e).at),
            One::Annotations(_, at, notes) => {
                fix(at);
                let mut list = notes.to_vec();
                list.iter_mut().for_each(|n| fix(&mut n.at));
                *notes = list.into();
            }
            One::Events(events) => events.iter_mut().for_each(|e| fix(&mut Arc::make_mut(e).at)),
            One::Page(p) => fix(&mut Arc::make_mut(p).at),
            One::Original(_, file) => *file = i,
            One::Config(_) | One::Nothing => {}
        }
    }
}

/// Parses every file. An article's text is cut down to its front matter
/// once its body is parsed into blocks: later stages point diagnostics only
/// into front matter, and a large dossier would otherwise hold its texts
/// twice.
pub fn parse(sources: &mut Sources) -> (Parsed, Vec<Diagnostic>) {
    let results: Vec<ParsedFile> = sources.files.par_iter_mut().enumerate().map(|(i, f)| parse_file(i, f)).collect();
    assemble(results)
}

/// Parses the file at position `i` of the file list (see `parse`).
pub fn parse_file(i: usize, f: &mut SourceFile) -> ParsedFile {
    let unfilled = crate::new::unfilled(f);
    let (one, diags) = parse_one(i, f);
    if f.kind == Kind::Article {
        if let Ok((_, _, _, body_start)) = crate::yaml::split_front_matter(&f.text) {
            f.text.truncate(body_start);
            f.text.shrink_to_fit();
        }
    }
    ParsedFile { one, diags, unfilled }
}

/// Gathers the records of every file, in file order.
pub fn assemble(files: impl IntoIterator<Item = ParsedFile>) -> (Parsed, Vec<Diagnostic>) {
    let mut parsed = Parsed::default();
    let mut diags = Vec::new();
    let mut saw_config = false;
    for ParsedFile { one, diags: d, unfilled } in files {
        diags.extend(d);
        parsed.unfilled.extend(unfilled);
        match one {
            One::Config(c) => {
                saw_config = true;
                parsed.config = c;
            }
            One::Article(a) => parsed.articles.push(a),
            One::Entity(e) => parsed.entities.push(e),
            One::Annotations(id, at, notes) => parsed.annotations.push((id, at, notes)),
            One::Events(ev) => parsed.events.extend(ev),
            One::Page(p) => parsed.pages.push(p),
            One::Original(name, i) => {
                parsed.originals.insert(name, i);
            }
            One::Nothing => {}
        }
    }
    if !saw_config {
        diags.push(
            Diagnostic::error("content/dossier.yaml is missing")
                .in_file("content/dossier.yaml")
                .help("create it with at least `title:` and `kinds:` (see docs/CONTENT.md)"),
        );
    }
    (parsed, diags)
}

fn parse_one(i: usize, f: &SourceFile) -> (One, Vec<Diagnostic>) {
    let at = At { file: i, offset: 0 };
    if !matches!(f.kind, Kind::Config | Kind::Original | Kind::Events) && !model::is_valid_id(&f.stem) {
        return (
            One::Nothing,
            vec![Diagnostic::error(format!("`{}` is not a valid id for a file name", f.stem))
                .in_file(&f.path)
                .help(format!("rename the file; {}", model::ID_HELP))],
        );
    }
    // A record file with nothing in it: said plainly, not as a type error.
    let blank = f.text.lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'));
    if blank && matches!(f.kind, Kind::Config | Kind::Entity) {
        let help = if f.kind == Kind::Config {
            "give the dossier at least `title:` and `kinds:` (see docs/CONTENT.md)"
        } else {
            "an entity file gives at least `name:` and `kind:`; delete the file if the entity is not wanted"
        };
        let d = Diagnostic::error("the file is empty").in_file(&f.path).help(help);
        let one = if f.kind == Kind::Config { One::Config(Default::default()) } else { One::Nothing };
        return (one, vec![d]);
    }
    match f.kind {
        Kind::Config => {
            let (c, d) = crate::config::parse(f);
            (One::Config(c), d)
        }
        Kind::Original => (One::Original(format!("{}.txt", f.stem), i), Vec::new()),
        Kind::Article => match article::parse(at, f) {
            (Some(a), d) => (One::Article(Arc::new(a)), d),
            (None, d) => (One::Nothing, d),
        },
        Kind::Entity => match entity::parse(at, f) {
            (Some(e), d) => (One::Entity(Arc::new(e)), d),
            (None, d) => (One::Nothing, d),
        },
        Kind::Annotations => {
            let (notes, d) = annotation::parse(at, f);
            (One::Annotations(f.stem.clone(), at, notes.into()), d)
        }
        Kind::Events => {
            let (ev, d) = event::parse(at, f);
            (One::Events(ev.into_iter().map(Arc::new).collect()), d)
        }
        Kind::Page => match page::parse(at, f) {
            (Some(p), d) => (One::Page(Arc::new(p)), d),
            (None, d) => (One::Nothing, d),
        },
    }
}

/// One `external:` item of a note or an event: a source outside the texts.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExternal {
    pub title: String,
    pub publisher: String,
    pub url: Spanned<String>,
    #[serde(default)]
    pub published: Option<Spanned<String>>,
    pub consulted: Spanned<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// Checks `external:` items (an http(s) address, valid dates) and gives
/// them as the model has them; a bad one is reported and left out.
pub(crate) fn externals(
    f: &SourceFile,
    raw: Vec<RawExternal>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<crate::model::External> {
    let mut out = Vec::new();
    for x in raw {
        if !(x.url.starts_with("https://") || x.url.starts_with("http://")) {
            diags.push(
                Diagnostic::error("an outside source's `url` must be an http(s) address")
                    .at_span(&f.path, &f.text, x.url.span)
                    .help("give the address where you read the source, starting with https://"),
            );
            continue;
        }
        let published = match &x.published {
            Some(p) => match parse_date(f, p, diags) {
                Some(d) => Some(d),
                None => continue,
            },
            None => None,
        };
        let Some(consulted) = parse_date(f, &x.consulted, diags) else { continue };
        out.push(crate::model::External {
            title: x.title,
            publisher: x.publisher,
            url: x.url.value,
            published,
            consulted,
            note: x.note,
        });
    }
    out
}

/// Checks a record's own `id:` value against the grammar.
pub(crate) fn check_id(f: &SourceFile, id: &Spanned<String>, diags: &mut Vec<Diagnostic>) -> bool {
    if model::is_valid_id(id) {
        return true;
    }
    diags.push(
        Diagnostic::error(format!("`{}` is not a valid id", id.value))
            .at_span(&f.path, &f.text, id.span)
            .help(model::ID_HELP),
    );
    false
}

/// Parses a date value, reporting a bad one at its position in the file.
pub(crate) fn parse_date(
    f: &SourceFile,
    value: &Spanned<String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<crate::date::Date> {
    match crate::date::parse(value) {
        Ok(d) => Some(d),
        Err(err) => {
            let end = err.end.max(err.start + 1).min(value.len().max(err.start));
            let at = crate::yaml::value_range(&f.text, value.span, value, err.start..end);
            diags.push(
                Diagnostic::error(format!("`{}` is not a valid date: {}", value.value, err.message))
                    .at_span(&f.path, &f.text, at)
                    .help(err.help),
            );
            None
        }
    }
}

/// Only these link targets may appear in content (SPEC §5): anything else,
/// such as `javascript:` or `data:`, could run code in a reader's browser.
pub fn is_allowed_link(dest: &str) -> bool {
    let d = dest.trim();
    let lower = d.to_ascii_lowercase();
    if lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("mailto:")
        || d.starts_with('#')
    {
        return true;
    }
    // A relative link has no scheme: no `:` before the first `/`, `?` or `#`.
    let head = d.split(['/', '?', '#']).next().unwrap_or("");
    !head.contains(':') && !d.starts_with("//") && !d.chars().any(|c| c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_safe_link_schemes_pass() {
        for ok in ["https://x.org", "http://x", "mailto:a@b", "#p3", "../x/", "a/b.html", "?q=1"] {
            assert!(is_allowed_link(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:x",
            "data:text/html,x",
            "vbscript:x",
            "//evil.org/x",
            " javascript:x",
            "file:///etc",
        ] {
            assert!(!is_allowed_link(bad), "{bad}");
        }
    }
}
