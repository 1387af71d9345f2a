//! A dossier kept in memory between builds, for `serve`: a change re-runs
//! only what depends on it.
//!
//! The workspace holds every content file with the hash of its text and
//! what parsing it gave, keyed by its path; a changed file is read and
//! parsed again, the others are not. `resolve` keeps, per article, what
//! the pass over its text found (mentions, anchored notes, anchored cited
//! quotes) with a fingerprint of its inputs (its text, its annotation
//! files, the quotes cited from it, every alias), so an edited note
//! re-anchors the notes of its article only, an edited article re-reads
//! that article only, and an edited alias list matches every article again
//! (the slow path). What follows `resolve` — the cross-references of
//! `index` — is computed again in full; it is a small part of a build.
//!
//! Like `load`, the workspace reads the disk (only when told which paths
//! changed); compiling touches nothing.

use crate::diag::Diagnostic;
use crate::load::{self, SourceFile, Sources};
use crate::parse::{self, ParsedFile};
use std::path::{Path, PathBuf};

pub struct Workspace {
    root: PathBuf,
    /// Every content file, sorted by path, with its text as `parse` left it.
    sources: Sources,
    /// The hash of each file's text as read, by the index in `sources`.
    hashes: Vec<u64>,
    /// What parsing each file gave, by the index in `sources`.
    parsed: Vec<ParsedFile>,
    /// What walking `content/` found wrong (misplaced files, links…).
    load_diags: Vec<Diagnostic>,
    cache: crate::resolve::PassCache,
}

/// What a change touched.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Touched {
    pub content: bool,
    pub theme: bool,
}

fn hash(f: &SourceFile) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    let h = BuildHasherDefault::<DefaultHasher>::default();
    match &f.original {
        Some(o) => h.hash_one((&f.path, &o.sha256)),
        None => h.hash_one((&f.path, &f.text)),
    }
}

impl Workspace {
    /// Loads and parses the dossier at `root`.
    pub fn open(root: &Path) -> anyhow::Result<Workspace> {
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let mut ws = Workspace {
            root,
            sources: Sources::default(),
            hashes: Vec::new(),
            parsed: Vec::new(),
            load_diags: Vec::new(),
            cache: Default::default(),
        };
        ws.reload_all()?;
        Ok(ws)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The dossier's own theme of that name (`None`: the built-in one).
    pub fn theme(&self, name: &str) -> Option<&load::Theme> {
        self.sources.theme(name)
    }

    /// How many articles the last `compile` passed over again.
    pub fn articles_recomputed(&self) -> usize {
        self.cache.recomputed
    }

    /// Loads every file again, parsing only those whose text changed.
    fn reload_all(&mut self) -> anyhow::Result<()> {
        let (mut sources, diags) = load::load(&self.root)?;
        let mut kept: std::collections::BTreeMap<String, (u64, ParsedFile, SourceFile)> =
            std::mem::take(&mut self.sources.files)
                .into_iter()
                .zip(std::mem::take(&mut self.hashes))
                .zip(std::mem::take(&mut self.parsed))
                .map(|((f, h), p)| (f.path.clone(), (h, p, f)))
                .collect();
        let hashes: Vec<u64> = sources.files.iter().map(hash).collect();
        let mut files = Vec::with_capacity(sources.files.len());
        let mut parsed = Vec::with_capacity(sources.files.len());
        for (i, (f, h)) in std::mem::take(&mut sources.files).into_iter().zip(&hashes).enumerate() {
            match kept.remove(&f.path) {
                Some((old, mut p, old_file)) if old == *h => {
                    p.set_file(i);
                    files.push(old_file);
                    parsed.push(p);
                }
                _ => {
                    let mut f = f;
                    parsed.push(parse::parse_file(i, &mut f));
                    files.push(f);
                }
            }
        }
        sources.files = files;
        self.sources = sources;
        self.hashes = hashes;
        self.parsed = parsed;
        self.load_diags = diags;
        Ok(())
    }

    /// Takes note of changed paths (files or folders, absolute or relative
    /// to the dossier's root, as a file watcher reports them): reads and
    /// parses again what changed. A change the workspace cannot apply file
    /// by file (a file added, removed or renamed, a folder, the dossier's
    /// configuration) loads the whole folder again.
    pub fn update(&mut self, changed: &[PathBuf]) -> anyhow::Result<Touched> {
        let mut touched = Touched::default();
        let mut whole = false;
        let content = self.root.join("content");
        let themes = self.root.join("themes");
        for path in changed {
            let path = absolute(&self.root, path);
            if path.starts_with(&themes) {
                touched.theme = true;
                whole = true;
                continue;
            }
            if !path.starts_with(&content) {
                continue;
            }
            touched.content = true;
            if whole {
                continue;
            }
            let shown = path.strip_prefix(&self.root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            let Ok(i) = self.sources.files.binary_search_by(|f| f.path.as_str().cmp(&shown)) else {
                whole = true;
                continue;
            };
            match load::reload_file(&self.root, &path) {
                Some(Ok(mut f)) => {
                    let h = hash(&f);
                    if h != self.hashes[i] {
                        self.parsed[i] = parse::parse_file(i, &mut f);
                        self.sources.files[i] = f;
                        self.hashes[i] = h;
                    }
                }
                _ => whole = true,
            }
        }
        if whole {
            self.reload_all()?;
        }
        Ok(touched)
    }

    /// Compiles the dossier as it is now: what `crate::check` gives for the
    /// same files.
    pub fn compile(&mut self) -> (Option<crate::model::Dossier>, Vec<Diagnostic>) {
        self.cache.file_hashes.clone_from(&self.hashes);
        let (parsed, parse_diags) = parse::assemble(self.parsed.iter().cloned());
        let (dossier, more) = crate::compile_parsed(&self.sources, parsed, parse_diags, Some(&mut self.cache));
        let mut diags = self.load_diags.clone();
        diags.extend(more);
        crate::diag::sort(&mut diags);
        let dossier = if diags.iter().any(Diagnostic::is_error) { None } else { dossier };
        (dossier, diags)
    }
}

fn absolute(root: &Path, path: &Path) -> PathBuf {
    let abs = if path.is_absolute() { path.to_path_buf() } else { root.join(path) };
    // A path that still exists resolves fully; a removed one through its
    // folder, so it compares with the workspace's canonical root.
    std::fs::canonicalize(&abs).unwrap_or_else(|_| match (abs.parent(), abs.file_name()) {
        (Some(dir), Some(name)) => std::fs::canonicalize(dir).map(|d| d.join(name)).unwrap_or(abs.clone()),
        _ => abs.clone(),
    })
}
