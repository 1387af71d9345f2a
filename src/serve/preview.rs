//! The preview's rebuild boundary: `Preview::rebuild` turns the dossier on
//! disk into a whole site in memory (`Site`), or into the diagnostics that
//! stopped it. It is the only part of `serve` that runs the pipeline, and
//! it is handed the files that changed since the last call, so that an
//! incremental workspace (re-running only what a change touches) can
//! replace the full rebuild behind the same signature. Today every call
//! loads, compiles and renders everything again.

use crate::diag::Diagnostic;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A built site held in memory: every file by its site-relative path
/// (`articles/x/index.html`). Immutable once built; the server shares it
/// behind an `Arc` and swaps in the next one whole.
#[derive(Debug, Default)]
pub struct Site {
    files: BTreeMap<String, Arc<[u8]>>,
}

impl Site {
    pub fn new(files: BTreeMap<String, Arc<[u8]>>) -> Site {
        Site { files }
    }

    pub fn get(&self, path: &str) -> Option<&Arc<[u8]>> {
        self.files.get(path)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// How many files differ from `previous`: added, removed or changed.
    pub fn changed_since(&self, previous: &Site) -> usize {
        let changed = self.files.iter().filter(|(path, bytes)| previous.files.get(*path) != Some(*bytes)).count();
        let removed = previous.files.keys().filter(|path| !self.files.contains_key(*path)).count();
        changed + removed
    }
}

/// What one rebuild gave.
#[derive(Debug)]
pub enum RebuildOutcome {
    /// The new site, with the warnings the content still has.
    Built { site: Site, warnings: Vec<Diagnostic> },
    /// The content has errors, or could not be read or rendered: the site
    /// served so far stays. Every diagnostic is listed, warnings included.
    Failed { diagnostics: Vec<Diagnostic> },
}

/// The dossier being previewed, and what it takes to rebuild its site.
pub struct Preview {
    root: PathBuf,
}

impl Preview {
    /// `root` is the dossier's root, the folder that holds `content/`.
    pub fn new(root: &Path) -> Preview {
        Preview { root: root.to_path_buf() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Rebuilds the site after `changed` (paths relative to the root, such
    /// as `content/annotations/x.yaml`; empty on the first build, which
    /// reads everything). A full rebuild reads everything whatever changed.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> RebuildOutcome {
        // Kept for the incremental workspace, which will re-run only what
        // these files touch.
        let _ = changed;
        let (dossier, mut diagnostics, sources) = match crate::check(&self.root) {
            Ok(checked) => checked,
            Err(e) => return RebuildOutcome::Failed { diagnostics: vec![Diagnostic::error(format!("{e:#}"))] },
        };
        let Some(dossier) = dossier else {
            return RebuildOutcome::Failed { diagnostics };
        };
        let theme = sources.theme;
        drop(sources.files);
        let sink = crate::write::Collect::default();
        if let Err(e) = crate::render::render_to(&dossier, theme.as_ref(), &sink) {
            diagnostics.push(
                Diagnostic::error(format!("cannot render the site: {e:#}"))
                    .help("a template of the dossier's theme (themes/<name>/templates/) is the likely cause"),
            );
            return RebuildOutcome::Failed { diagnostics };
        }
        RebuildOutcome::Built { site: Site::new(sink.into_map()), warnings: diagnostics }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> Site {
        Site::new(files.iter().map(|(p, b)| (p.to_string(), Arc::from(b.as_bytes()))).collect())
    }

    #[test]
    fn changed_files_count_additions_removals_and_edits() {
        let old = site(&[("a.html", "1"), ("b.html", "2"), ("c.html", "3")]);
        let new = site(&[("a.html", "1"), ("b.html", "2!"), ("d.html", "4")]);
        assert_eq!(new.changed_since(&old), 3);
        assert_eq!(old.changed_since(&old), 0);
    }

    #[test]
    fn a_root_without_content_fails_with_the_reason() {
        let tmp = tempfile::tempdir().unwrap();
        let RebuildOutcome::Failed { diagnostics } = Preview::new(tmp.path()).rebuild(&[]) else {
            panic!("a dossier without content/ cannot build");
        };
        assert!(diagnostics[0].message.contains("no content/ folder"), "{:?}", diagnostics);
    }
}
