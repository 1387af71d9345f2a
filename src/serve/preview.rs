//! The preview's rebuild boundary: `Preview::rebuild` brings the dossier
//! in memory up to date with the files that changed, and gives the new
//! site, or the diagnostics that stopped it. It is the only part of `serve`
//! that runs the pipeline.
//!
//! Rebuilding is incremental: a `Workspace` re-reads and re-parses only the
//! changed files and re-runs the per-article pass only for the articles
//! whose inputs changed. Nothing is rendered ahead: a `Site` renders each
//! page the first time a reader asks for it (`render::render_path`, the
//! same bytes as a build) and keeps it until the next rebuild. The search
//! index's postings are built once per site, on the first request for a
//! file of the index, not once per file. The theme's templates are
//! compiled once, and again only when the theme changes.

use crate::diag::Diagnostic;
use crate::model::Dossier;
use crate::render::{Affected, ChangedFile, Content, Templates};
use crate::workspace::Workspace;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// A built site: the compiled dossier and its theme, with each page
/// rendered on its first request and kept (by site-relative path, such as
/// `articles/x/index.html`). The server shares it behind an `Arc` and
/// swaps in the next one whole.
pub struct Site {
    /// What renders a page not asked for yet; `None` for a site of given
    /// files only.
    source: Option<(Arc<Dossier>, Arc<Templates>)>,
    /// The pages that may differ from the site before this one.
    affected: Affected,
    pages: Mutex<BTreeMap<String, Option<Arc<[u8]>>>>,
    /// The search index's manifest and term shards, built together on the
    /// first request for one of them: building the postings is most of the
    /// cost of any of them (over a second at 10k articles).
    search: OnceLock<crate::render::search::IndexFiles>,
}

impl Site {
    pub fn new(dossier: Arc<Dossier>, templates: Arc<Templates>, affected: Affected) -> Site {
        Site { source: Some((dossier, templates)), affected, pages: Mutex::default(), search: OnceLock::new() }
    }

    /// A site of exactly these files.
    pub fn from_files(files: BTreeMap<String, Arc<[u8]>>) -> Site {
        Site {
            source: None,
            affected: Affected::everything(),
            pages: Mutex::new(files.into_iter().map(|(p, b)| (p, Some(b))).collect()),
            search: OnceLock::new(),
        }
    }

    /// The file at `path`, rendered now if no one asked for it before;
    /// `None` when the site has no such file.
    pub fn get(&self, path: &str) -> Option<Arc<[u8]>> {
        if let Some(page) = self.lock().get(path) {
            return page.clone();
        }
        let page = self.render(path);
        self.lock().insert(path.to_string(), page.clone());
        page
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Option<Arc<[u8]>>>> {
        // A renderer that panicked left at most a page out.
        self.pages.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn render(&self, path: &str) -> Option<Arc<[u8]>> {
        let (dossier, templates) = self.source.as_ref()?;
        if path == "search/index.js" || path.starts_with("search/shards/") {
            let cat = templates.catalogue();
            let files = self.search.get_or_init(|| crate::render::search::IndexFiles::new(dossier, cat));
            return files.get(dossier, cat, path).map(Into::into);
        }
        match crate::render::render_path(dossier, templates, path) {
            Ok(Some(Content::Bytes(b))) => Some(b.into()),
            // An original, copied into a build as it is: read where it is.
            Ok(Some(Content::Copy(from))) => std::fs::read(from).ok().map(Into::into),
            Ok(None) => None,
            Err(e) => {
                eprintln!("error: cannot render {path}: {e:#}");
                None
            }
        }
    }

    /// How many of `pages` (the pages open in browsers) differ from
    /// `previous`: whether they must reload. Only the pages the change may
    /// have altered (`Affected`, from the index) are rendered, in both
    /// sites if they were not yet, and compared.
    pub fn changed_since(&self, previous: &Site, pages: &[String]) -> usize {
        pages
            .iter()
            .filter(|path| self.affected.contains(path))
            .filter(|path| self.get(path) != previous.get(path))
            .count()
    }

    /// How many pages have been rendered so far.
    pub fn rendered(&self) -> usize {
        self.lock().len()
    }
}

/// What one rebuild gave.
pub enum RebuildOutcome {
    /// The new site, with the warnings the content still has.
    Built { site: Site, warnings: Vec<Diagnostic> },
    /// The content has errors, or could not be read or rendered: the site
    /// served so far stays. Every diagnostic is listed, warnings included.
    Failed { diagnostics: Vec<Diagnostic> },
}

/// The dossier being previewed, kept in memory between rebuilds.
pub struct Preview {
    root: PathBuf,
    workspace: Option<Workspace>,
    /// The compiled templates and the theme they are from.
    templates: Option<(String, Arc<Templates>)>,
    /// The last dossier that built, to tell what a change altered, and
    /// what changed since (over failed builds too).
    last: Option<Arc<Dossier>>,
    pending: Vec<ChangedFile>,
}

impl Preview {
    /// `root` is the dossier's root, the folder that holds `content/`.
    pub fn new(root: &Path) -> Preview {
        Preview { root: root.to_path_buf(), workspace: None, templates: None, last: None, pending: Vec::new() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Rebuilds the site after `changed` (paths relative to the root, such
    /// as `content/annotations/x.yaml`; empty on the first build, which
    /// reads everything).
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> RebuildOutcome {
        self.pending.extend(changed.iter().map(|p| ChangedFile::of(&p.to_string_lossy().replace('\\', "/"))));
        let failed =
            |e: anyhow::Error| RebuildOutcome::Failed { diagnostics: vec![Diagnostic::error(format!("{e:#}"))] };
        let theme_changed = match &mut self.workspace {
            Some(ws) => match ws.update(changed) {
                Ok(touched) => touched.theme,
                Err(e) => return failed(e),
            },
            None => match Workspace::open(&self.root) {
                Ok(ws) => {
                    self.workspace = Some(ws);
                    true
                }
                Err(e) => return failed(e),
            },
        };
        let Some(ws) = self.workspace.as_mut() else { return failed(anyhow::anyhow!("no dossier loaded")) };
        let (dossier, diagnostics) = ws.compile();
        let Some(dossier) = dossier else {
            return RebuildOutcome::Failed { diagnostics };
        };
        let theme = dossier.config.theme.clone();
        let wording = (dossier.config.lang.as_str(), dossier.config.numerals);
        let templates = match &self.templates {
            Some((name, t))
                if !theme_changed && *name == theme && (t.catalogue().lang(), t.catalogue().numerals()) == wording =>
            {
                t.clone()
            }
            _ => match Templates::new(ws.theme(&theme), wording.0, wording.1) {
                Ok(t) => {
                    let t = Arc::new(t);
                    self.templates = Some((theme, t.clone()));
                    t
                }
                Err(e) => {
                    let mut diagnostics = diagnostics;
                    diagnostics.push(
                        Diagnostic::error(format!("cannot compile the theme's templates: {e:#}"))
                            .help("a template of the dossier's theme (themes/<name>/templates/) is the likely cause"),
                    );
                    return RebuildOutcome::Failed { diagnostics };
                }
            },
        };
        if theme_changed {
            self.pending.push(ChangedFile::Other);
        }
        let affected = Affected::of(self.last.as_deref(), &dossier, &std::mem::take(&mut self.pending));
        let dossier = Arc::new(dossier);
        self.last = Some(dossier.clone());
        RebuildOutcome::Built { site: Site::new(dossier, templates, affected), warnings: diagnostics }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_root_without_content_fails_with_the_reason() {
        let tmp = tempfile::tempdir().unwrap();
        let RebuildOutcome::Failed { diagnostics } = Preview::new(tmp.path()).rebuild(&[]) else {
            panic!("a dossier without content/ cannot build");
        };
        assert!(diagnostics[0].message.contains("no content/ folder"), "{:?}", diagnostics);
    }

    #[test]
    fn pages_render_when_asked_and_only_asked_pages_are_compared() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/anchoring/passages/content");
        for entry in walkdir::WalkDir::new(&fixture) {
            let entry = entry.unwrap();
            let to = root.join("content").join(entry.path().strip_prefix(&fixture).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        let mut preview = Preview::new(root);
        let RebuildOutcome::Built { site: first, .. } = preview.rebuild(&[]) else { panic!("builds") };
        assert_eq!(first.rendered(), 0, "nothing is rendered before it is asked for");
        let home = first.get("index.html").unwrap();
        assert!(first.get("no/such/page.html").is_none());
        assert_eq!(first.rendered(), 2);
        // Nothing changed: no open page is even rendered again.
        let RebuildOutcome::Built { site: second, .. } = preview.rebuild(&[]) else { panic!("builds") };
        assert_eq!(second.changed_since(&first, &["index.html".to_string()]), 0);
        assert_eq!(second.rendered(), 0);
        assert_eq!(second.get("index.html").unwrap(), home);
        // A note edited: its article's open page is compared and reloads;
        // an open page the change cannot alter is not rendered.
        let open = ["articles/shipment/index.html".to_string(), "timeline/index.html".to_string()];
        for page in &open {
            second.get(page).unwrap();
        }
        let notes = root.join("content/annotations/shipment.yaml");
        let text = std::fs::read_to_string(&notes).unwrap();
        std::fs::write(&notes, text.replace("يمتد المقتطف", "يمتد هذا المقتطف")).unwrap();
        let RebuildOutcome::Built { site: third, .. } =
            preview.rebuild(&[PathBuf::from("content/annotations/shipment.yaml")])
        else {
            panic!("builds")
        };
        assert_eq!(third.changed_since(&second, &open), 1);
        assert_eq!(third.rendered(), 1, "only the article page was rendered to compare");
    }
}
