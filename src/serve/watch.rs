//! Watches the dossier for changes: `content/` and `themes/` under the root
//! (each recursively, through `notify` and its full debouncer, which keeps
//! each event's kind: reading a file is an event too, and the rebuild's own
//! reads must not trigger the next rebuild), and the root itself, so that
//! either folder is picked up when it appears again (a `git checkout` may
//! delete and create it). `next_changes` waits for the first change and
//! then gathers whatever follows closely, so a checkout that rewrites a
//! hundred files costs one rebuild, not a hundred. Nothing here reads a
//! file: the rebuild does.

use notify_debouncer_full::notify::event::{EventKind, ModifyKind};
use notify_debouncer_full::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// An event is reported this long after it happened, merged with the
/// others on its path (an editor's save is several events: truncate,
/// write, rename, close).
const DEBOUNCE: Duration = Duration::from_millis(50);
/// After a first change, further changes that come within this much of
/// each other join the same rebuild…
const SETTLE: Duration = Duration::from_millis(25);
/// …but a stream of changes that never pauses still gets a rebuild this
/// often.
const MAX_SETTLE: Duration = Duration::from_secs(2);

/// The folders under the root that a build reads.
pub const WATCHED: [&str; 2] = ["content", "themes"];

pub struct Watch {
    root: PathBuf,
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    events: Receiver<DebounceEventResult>,
}

impl Watch {
    /// Starts watching `root` (an absolute path).
    pub fn start(root: &Path) -> anyhow::Result<Watch> {
        let (tx, events) = std::sync::mpsc::channel();
        let debouncer = new_debouncer(DEBOUNCE, None, tx)
            .map_err(|e| anyhow::anyhow!("cannot watch the dossier for changes: {e}"))?;
        let mut watch = Watch { root: root.to_path_buf(), debouncer, events };
        watch
            .debouncer
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| anyhow::anyhow!("cannot watch {} for changes: {e}", root.display()))?;
        for name in WATCHED {
            watch.watch_folder(name)?;
        }
        Ok(watch)
    }

    /// Watches `root/name` and everything under it, if it is a folder.
    fn watch_folder(&mut self, name: &str) -> anyhow::Result<()> {
        let dir = self.root.join(name);
        if !dir.is_dir() {
            return Ok(());
        }
        // Watching again after the folder was replaced; the old watch, if
        // any, went with the old folder.
        let _ = self.debouncer.unwatch(&dir);
        self.debouncer.watch(&dir, RecursiveMode::Recursive).map_err(|e| {
            anyhow::anyhow!(
                "cannot watch {} for changes: {e} (on Linux, the limit is fs.inotify.max_user_watches)",
                dir.display()
            )
        })
    }

    /// Blocks until something under `content/` or `themes/` changes, then
    /// returns every changed path (relative to the root, sorted) once the
    /// changes pause. `None` when the watcher has stopped.
    pub fn next_changes(&mut self) -> Option<Vec<PathBuf>> {
        let mut changed = BTreeSet::new();
        loop {
            let first = self.events.recv().ok()?;
            self.take(first, &mut changed);
            let deadline = Instant::now() + MAX_SETTLE;
            while Instant::now() < deadline {
                match self.events.recv_timeout(SETTLE) {
                    Ok(more) => self.take(more, &mut changed),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            }
            if !changed.is_empty() {
                return Some(changed.into_iter().collect());
            }
        }
    }

    fn take(&mut self, result: DebounceEventResult, changed: &mut BTreeSet<PathBuf>) {
        let events = match result {
            Ok(events) => events,
            Err(errors) => {
                for e in errors {
                    eprintln!("warning: watching for changes: {e}");
                }
                return;
            }
        };
        for event in events {
            if event.need_rescan() {
                // The system dropped events: anything may have changed.
                changed.extend(WATCHED.iter().map(PathBuf::from));
                continue;
            }
            // Opening or reading a file changes nothing, nor does a new
            // link count (`milaf build` hard-links the originals) or time.
            if matches!(event.kind, EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_))) {
                continue;
            }
            for path in &event.paths {
                let Some(rel) = relevant(&self.root, path) else { continue };
                if rel.components().count() == 1 {
                    // content/ or themes/ itself appeared or went.
                    if let Some(name) = rel.to_str() {
                        if let Err(e) = self.watch_folder(name) {
                            eprintln!("warning: {e:#}");
                        }
                    }
                }
                changed.insert(rel);
            }
        }
    }
}

/// `path` relative to `root` when a build reads it: under a watched folder
/// (or the folder itself), and not an editor's hidden or backup file.
fn relevant(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(root).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    if !WATCHED.contains(&first) {
        return None;
    }
    let name = rel.file_name()?.to_string_lossy();
    if name.starts_with('.') || name.ends_with('~') {
        return None;
    }
    Some(rel.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_a_build_reads_is_a_change() {
        let root = Path::new("/d");
        for (path, expected) in [
            ("/d/content/annotations/a.yaml", Some("content/annotations/a.yaml")),
            ("/d/themes/mine/templates/base.html", Some("themes/mine/templates/base.html")),
            ("/d/content", Some("content")),
            ("/d/content/articles/.a.md.swp", None),
            ("/d/content/articles/a.md~", None),
            ("/d/public/index.html", None),
            ("/d/Cargo.toml", None),
            ("/elsewhere/content/a.md", None),
        ] {
            assert_eq!(relevant(root, Path::new(path)).as_deref(), expected.map(Path::new), "{path}");
        }
    }

    #[test]
    fn a_burst_of_changes_is_one_rebuild() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("content/articles")).unwrap();
        let mut watch = Watch::start(&root).unwrap();
        for i in 0..50 {
            std::fs::write(root.join(format!("content/articles/a{i}.md")), "x").unwrap();
        }
        // One batch on a quiet machine; on a loaded one (CI runs browsers
        // beside the tests) the writes may straddle a pause, so a few
        // batches are allowed, never one per file.
        let mut changed = BTreeSet::new();
        let mut batches = 0;
        while changed.len() < 50 && batches < 5 {
            changed.extend(watch.next_changes().unwrap());
            batches += 1;
        }
        assert_eq!(changed.len(), 50, "{changed:?}");
        assert!(batches <= 3, "{batches} batches for one burst");
        assert!(changed.contains(&PathBuf::from("content/articles/a7.md")));
    }

    #[test]
    fn reading_the_dossier_is_no_change() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("content/articles")).unwrap();
        std::fs::write(root.join("content/articles/a.md"), "x").unwrap();
        let mut watch = Watch::start(&root).unwrap();
        std::fs::read(root.join("content/articles/a.md")).unwrap();
        let _ = std::fs::read_dir(root.join("content/articles")).unwrap().count();
        std::fs::write(root.join("content/articles/b.md"), "y").unwrap();
        assert_eq!(watch.next_changes().unwrap(), vec![PathBuf::from("content/articles/b.md")]);
    }
}
