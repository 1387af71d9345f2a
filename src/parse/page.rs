//! Free pages such as the methodology: front matter with a title, then
//! Markdown that may cite the articles.

use super::At;
use crate::diag::Diagnostic;
use crate::load::SourceFile;
use crate::yaml;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: String,
    #[serde(default)]
    order: i64,
    /// Lists every source outside the texts the dossier cites, at the end
    /// of the page (the methodology).
    #[serde(default)]
    external_sources: bool,
}

#[derive(Debug, Clone)]
pub struct RawPage {
    pub at: At,
    pub id: String,
    pub title: String,
    pub order: i64,
    pub external_sources: bool,
    pub body: String,
    pub body_rich: crate::rich::RawRich,
    pub body_at: usize,
}

pub fn parse(at: At, f: &SourceFile) -> (Option<RawPage>, Vec<Diagnostic>) {
    let (fm, fm_start, body, body_at) = match yaml::split_front_matter(&f.text) {
        Ok(p) => p,
        Err(msg) => {
            return (
                None,
                vec![Diagnostic::error(msg)
                    .at(&f.path, &f.text, 0, f.text.find('\n').unwrap_or(f.text.len()))
                    .help("a page starts with `---`, `title: …`, `---`, then Markdown")],
            )
        }
    };
    match yaml::parse_at::<FrontMatter>(&f.path, &f.text, fm, fm_start) {
        Ok(m) => (
            Some(RawPage {
                at,
                id: f.stem.clone(),
                title: m.title,
                order: m.order,
                external_sources: m.external_sources,
                body: body.to_string(),
                body_rich: crate::rich::parse(body),
                body_at,
            }),
            Vec::new(),
        ),
        Err(d) => (None, vec![d]),
    }
}
