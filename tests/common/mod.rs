//! Helpers shared by the integration tests: building a dossier in memory,
//! copying a fixture to a temporary folder, and checking every link of a
//! built site.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Builds the dossier at `root` in memory; panics with the diagnostics if
/// it has errors.
pub fn build(root: &Path) -> Vec<milaf::render::OutputFile> {
    let (dossier, diags, sources) = milaf::check(root).unwrap();
    let dossier = dossier.unwrap_or_else(|| panic!("{}", milaf::diag::render_human(&diags)));
    milaf::write::in_memory(&dossier, sources.theme(&dossier.config.theme)).unwrap()
}

/// Copies a folder tree (fixtures are read-only inputs; tests write into
/// temporary copies).
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The values of one attribute in an HTML page, entities decoded.
pub fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        let after = &rest[i + needle.len()..];
        let end = after.find('"').unwrap_or(after.len());
        out.push(after[..end].replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'"));
        rest = &after[end..];
    }
    out
}

/// Resolves `href` against the folder of `page` (both site-relative).
fn resolve(page: &str, href: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Every broken internal link or fragment, and every duplicate id, in a
/// built site. External links are not followed (the site makes none).
pub fn broken_links(files: &[milaf::render::OutputFile]) -> Vec<String> {
    let mut ids: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut problems = Vec::new();
    let paths: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for f in files.iter().filter(|f| f.path.ends_with(".html")) {
        let html = String::from_utf8_lossy(&f.bytes);
        let mut set = BTreeSet::new();
        for id in attr_values(&html, "id") {
            if !set.insert(id.clone()) {
                problems.push(format!("{}: duplicate id `{id}`", f.path));
            }
        }
        ids.insert(&f.path, set);
    }
    for f in files.iter().filter(|f| f.path.ends_with(".html")) {
        let html = String::from_utf8_lossy(&f.bytes);
        let mut targets = attr_values(&html, "href");
        targets.extend(attr_values(&html, "src"));
        for href in targets {
            if href.starts_with("http://") || href.starts_with("https://") || href.starts_with("mailto:") {
                continue;
            }
            let (path, frag) = match href.split_once('#') {
                Some((p, fr)) => (p, Some(fr)),
                None => (href.as_str(), None),
            };
            let target = if path.is_empty() { f.path.clone() } else { resolve(&f.path, path) };
            if !paths.contains(target.as_str()) {
                problems.push(format!("{}: link to missing file `{href}`", f.path));
                continue;
            }
            if let Some(fr) = frag {
                if !fr.is_empty() && !ids.get(target.as_str()).is_some_and(|s| s.contains(fr)) {
                    problems.push(format!("{}: link to missing fragment `{href}`", f.path));
                }
            }
        }
    }
    problems
}
