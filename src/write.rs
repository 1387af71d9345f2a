//! The `write` stage, the only one besides `load` that touches the disk.
//! A build is written into a staging folder beside the output and swapped
//! in with renames, so readers and archivists never see a half-written
//! site, and a failed build leaves the previous output untouched. The
//! output folder carries a marker file; milaf refuses to replace a
//! non-empty folder without it, so a mistyped `--out content` cannot wipe
//! the dossier.

use crate::render::{OutputFile, Sink};
use anyhow::{bail, Context};
use std::path::{Path, PathBuf};

/// The marker that says "milaf wrote this folder".
pub const MARKER: &str = ".milaf-output";

fn sibling(out: &Path, tag: &str) -> PathBuf {
    let name = out.file_name().map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    out.with_file_name(format!(".{name}.{tag}-{}", std::process::id()))
}

/// One build at a time writes an output folder: `.<name>.lock` beside it
/// holds the writing process's id. A lock whose process is gone (a killed
/// build) is taken over, and what that build left beside the output (its
/// staging or old folder) is removed.
pub struct Lock {
    path: PathBuf,
}

impl Lock {
    pub fn take(out: &Path) -> anyhow::Result<Lock> {
        let name = out.file_name().map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        let path = out.with_file_name(format!(".{name}.lock"));
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        for _ in 0..2 {
            match std::fs::File::create_new(&path) {
                Ok(mut file) => {
                    use std::io::Write;
                    write!(file, "{}", std::process::id())
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    let lock = Lock { path };
                    lock.clean_leftovers(out, &name);
                    return Ok(lock);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = std::fs::read_to_string(&path).unwrap_or_default();
                    let holder = holder.trim();
                    if holder.parse::<u32>().is_ok_and(process_is_running) {
                        bail!(
                            "{} is being written by another milaf build (process {holder}); wait for it to finish, or remove {} if that process is gone",
                            out.display(),
                            path.display()
                        );
                    }
                    // Its writer was killed: the lock is stale.
                    let _ = std::fs::remove_file(&path);
                }
                Err(e) => return Err(e).with_context(|| format!("cannot create {}", path.display())),
            }
        }
        bail!("cannot take {}: another build keeps taking it", path.display())
    }

    /// Removes the staging and old folders that killed builds left beside
    /// the output (this build holds the lock, so none is in use). A build
    /// killed between moving the old site aside and moving the new one in
    /// (where folders cannot be exchanged in one step) left no output:
    /// its old site is put back first.
    fn clean_leftovers(&self, out: &Path, name: &str) {
        let dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        let mut entries: Vec<std::fs::DirEntry> = entries.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        if !out.exists() {
            let old = format!(".{name}.old-");
            let aside = entries
                .iter()
                .find(|e| e.file_name().to_string_lossy().starts_with(old.as_str()) && e.path().join(MARKER).exists());
            if let Some(aside) = aside {
                let _ = std::fs::rename(aside.path(), out);
            }
        }
        let prefixes = [format!(".{name}.staging-"), format!(".{name}.old-")];
        // Named by a build of this output (the lock is ours, so by a dead
        // one): a staging folder may lack its marker (killed before writing
        // it, or while a removal had already deleted it).
        let ours = std::process::id().to_string();
        for entry in entries {
            let file = entry.file_name().to_string_lossy().into_owned();
            let pid = prefixes.iter().find_map(|p| file.strip_prefix(p.as_str()));
            if pid.is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()) && pid != ours) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Whether a process runs with this id (Linux's /proc; elsewhere a lock is
/// taken to be held, and the message says how to remove it).
fn process_is_running(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

/// `path` made absolute and free of `.`, `..` and symbolic links, for the
/// part of it that exists (the rest is appended as written).
fn absolute(path: &Path) -> PathBuf {
    let path = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map(|d| d.join(path)).unwrap_or_else(|_| path.to_path_buf())
    };
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = std::fs::canonicalize(existing) {
            let mut out = real;
            for part in rest.iter().rev() {
                match part {
                    std::path::Component::ParentDir => {
                        out.pop();
                    }
                    std::path::Component::Normal(p) => out.push(p),
                    _ => {}
                }
            }
            return out;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => return path,
        }
    }
}

/// Refuses an output folder that a build must never replace, before
/// anything is written or deleted: the file system's root, the home
/// folder, the dossier's root or a folder above it (the build would
/// replace the dossier), or a folder inside `content/` (the next build
/// would read the site as content).
pub fn check_output_place(root: &Path, out: &Path) -> anyhow::Result<()> {
    let out_abs = absolute(out);
    let root_abs = absolute(root);
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty()).map(|h| absolute(Path::new(&h)));
    let why = if out_abs.parent().is_none() {
        Some("it is the root of the file system")
    } else if home.as_deref() == Some(out_abs.as_path()) {
        Some("it is your home folder")
    } else if root_abs.starts_with(&out_abs) {
        Some("it holds the dossier (its content/ would be replaced)")
    } else if out_abs.starts_with(root_abs.join("content")) {
        Some("it is inside content/, where the next build would read the site as content")
    } else {
        None
    };
    if let Some(why) = why {
        bail!(
            "refusing to build into {}: {why}; nothing was written or deleted (choose another --out, such as `public` beside content/)",
            out.display()
        );
    }
    Ok(())
}

/// Checks that `out` may be replaced: it does not exist, is empty, or was
/// written by milaf.
pub fn check_replaceable(out: &Path) -> anyhow::Result<()> {
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        bail!("{} exists and is not a folder; choose another --out", out.display());
    }
    let empty = std::fs::read_dir(out).with_context(|| format!("cannot read {}", out.display()))?.next().is_none();
    if !empty && !out.join(MARKER).exists() {
        bail!(
            "{} is not empty and was not written by milaf; refusing to replace it (choose another --out, or empty it first)",
            out.display()
        );
    }
    Ok(())
}

/// A build being written: files go into a staging folder beside the
/// output as soon as they are rendered; `commit` swaps it in. Dropped
/// without `commit` (an error while rendering), it removes itself and the
/// previous output stays as it was.
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    made: std::sync::Mutex<std::collections::BTreeSet<PathBuf>>,
    committed: bool,
    /// Held until the staging folder is swapped in or removed.
    _lock: Lock,
}

impl Staging {
    pub fn new(out: &Path) -> anyhow::Result<Staging> {
        check_replaceable(out)?;
        let lock = Lock::take(out)?;
        let dir = sibling(out, "staging");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let staging = Staging { dir, out: out.to_path_buf(), made: Default::default(), committed: false, _lock: lock };
        std::fs::write(
            staging.dir.join(MARKER),
            b"This folder is written by milaf build; it is replaced on every build.\n",
        )
        .with_context(|| format!("cannot write in {}", staging.dir.display()))?;
        Ok(staging)
    }

    /// The staging path of a site-relative file, refusing any path that
    /// could leave the folder (paths come from ids that passed the id
    /// grammar, but this is the last line of defence).
    fn path(&self, rel: &str) -> anyhow::Result<PathBuf> {
        if rel.split('/').any(|seg| seg.is_empty() || seg == ".." || seg == ".")
            || rel.starts_with('/')
            || rel.contains('\\')
        {
            bail!("refusing to write outside the output folder: {rel}");
        }
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            let mut made = self.made.lock().map_err(|_| anyhow::anyhow!("a writer thread panicked"))?;
            if made.insert(parent.to_path_buf()) {
                std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
            }
        }
        Ok(path)
    }

    /// Swaps the finished site in for the output folder.
    pub fn commit(mut self) -> anyhow::Result<()> {
        swap(&self.dir, &self.out)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

impl Sink for Staging {
    fn file(&self, rel: &str, bytes: &[u8]) -> anyhow::Result<()> {
        let path = self.path(rel)?;
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))
    }

    fn stream(
        &self,
        rel: &str,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> anyhow::Result<()> {
        let path = self.path(rel)?;
        let mut file = std::fs::File::create(&path).with_context(|| format!("cannot write {}", path.display()))?;
        write(&mut file).with_context(|| format!("cannot write {}", path.display()))
    }

    /// Originals are immutable captures (their SHA-256 is checked on every
    /// build), so the site may share the file with the dossier: a hard link
    /// costs no new inode and no bytes, which matters for a site of a
    /// hundred thousand articles. Across file systems it is a copy.
    fn copy(&self, rel: &str, from: &Path) -> anyhow::Result<()> {
        let path = self.path(rel)?;
        if std::fs::hard_link(from, &path).is_err() {
            std::fs::copy(from, &path)
                .with_context(|| format!("cannot copy {} to {}", from.display(), path.display()))?;
        }
        Ok(())
    }
}

/// Renders the whole site into memory, sorted by path (for tests, and
/// anything that wants the site without a folder).
pub fn in_memory(d: &crate::model::Dossier, theme: Option<&crate::load::Theme>) -> anyhow::Result<Vec<OutputFile>> {
    let sink = Collect::default();
    crate::render::render_to(d, &crate::render::Templates::new(theme, &d.config.lang, d.config.numerals)?, &sink)?;
    Ok(sink.into_files())
}

/// A sink that keeps every file in memory, by path: for tests, and for
/// `milaf serve`, which serves the site from memory. Each file is stored
/// once, in an `Arc` the server can hand out without copying.
#[derive(Default)]
pub struct Collect(std::sync::Mutex<std::collections::BTreeMap<String, std::sync::Arc<[u8]>>>);

impl Collect {
    /// The files by site-relative path.
    pub fn into_map(self) -> std::collections::BTreeMap<String, std::sync::Arc<[u8]>> {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    /// The files sorted by path.
    pub fn into_files(self) -> Vec<OutputFile> {
        self.into_map().into_iter().map(|(path, bytes)| OutputFile { path, bytes: bytes.to_vec() }).collect()
    }
}

impl Sink for Collect {
    /// A path rendered twice is a bug in `render` (on disk the second file
    /// would silently replace the first), so it is an error here.
    fn file(&self, path: &str, bytes: &[u8]) -> anyhow::Result<()> {
        let mut files = self.0.lock().map_err(|_| anyhow::anyhow!("a render thread panicked"))?;
        if files.insert(path.to_string(), bytes.into()).is_some() {
            bail!("{path} was rendered twice");
        }
        Ok(())
    }

    fn stream(
        &self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> anyhow::Result<()> {
        let mut bytes = Vec::new();
        write(&mut bytes)?;
        self.file(path, &bytes)
    }

    fn copy(&self, path: &str, from: &Path) -> anyhow::Result<()> {
        let bytes = std::fs::read(from).with_context(|| format!("cannot read {}", from.display()))?;
        self.file(path, &bytes)
    }
}

/// Puts the staging folder in the output's place. Where the system can
/// exchange two folders in one step (Linux's `renameat2` with
/// `RENAME_EXCHANGE`), the output path never stops naming a complete site:
/// a build killed at any moment leaves the old one or the new one. Else
/// the old site is moved aside first; a build killed between the two
/// renames leaves it there, and the next build puts it back (`Lock`).
fn swap(staging: &Path, out: &Path) -> anyhow::Result<()> {
    if out.exists() {
        if exchange(staging, out).is_ok() {
            // The staging folder now holds the previous site.
            let _ = std::fs::remove_dir_all(staging);
            return Ok(());
        }
        let old = sibling(out, "old");
        let _ = std::fs::remove_dir_all(&old);
        std::fs::rename(out, &old).with_context(|| format!("cannot move the previous {} aside", out.display()))?;
        if let Err(e) = std::fs::rename(staging, out) {
            // Put the previous site back before reporting.
            let _ = std::fs::rename(&old, out);
            return Err(e).with_context(|| format!("cannot move the new site into {}", out.display()));
        }
        let _ = std::fs::remove_dir_all(&old);
    } else {
        std::fs::rename(staging, out).with_context(|| format!("cannot move the new site into {}", out.display()))?;
    }
    Ok(())
}

/// A private folder beside an output path for the steps of a snapshot
/// (`.<name>.snapshot-<pid>`), removed when dropped.
pub struct Scratch {
    pub dir: PathBuf,
}

impl Scratch {
    pub fn new(out: &Path) -> anyhow::Result<Scratch> {
        let dir = sibling(out, "snapshot");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(Scratch { dir })
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Refuses a site-relative path that could leave its folder.
fn safe_relative(rel: &str) -> anyhow::Result<()> {
    if rel.split('/').any(|seg| seg.is_empty() || seg == ".." || seg == ".")
        || rel.starts_with('/')
        || rel.contains('\\')
    {
        bail!("refusing to write outside the output folder: {rel}");
    }
    Ok(())
}

/// Writes one file of a revision that `provenance::extract` read from git
/// into the folder `into` (a symbolic link stays one, so `load` reports it
/// as it would in a work tree).
pub fn extracted(into: &Path, rel: &str, bytes: &[u8], symlink: bool) -> anyhow::Result<()> {
    safe_relative(rel)?;
    let path = into.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    #[cfg(unix)]
    if symlink {
        use std::os::unix::ffi::OsStrExt;
        let target = std::ffi::OsStr::from_bytes(bytes);
        return std::os::unix::fs::symlink(target, &path).with_context(|| format!("cannot write {}", path.display()));
    }
    let _ = symlink;
    std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

/// Copies the dossier's inputs (`content/`, and `themes/` when there is
/// one) from `root` into `into`, byte for byte, so that a snapshot builds
/// from exactly the files it archives.
pub fn copy_inputs(root: &Path, into: &Path) -> anyhow::Result<()> {
    for folder in ["content", "themes"] {
        let from = root.join(folder);
        if !from.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&from).follow_links(false).sort_by_file_name() {
            let entry = entry.with_context(|| format!("cannot read {}", from.display()))?;
            let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
            let dest = into.join(rel);
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&dest).with_context(|| format!("cannot create {}", dest.display()))?;
            } else if entry.path_is_symlink() {
                let target = std::fs::read_link(entry.path())?;
                #[cfg(unix)]
                std::os::unix::fs::symlink(&target, &dest)
                    .with_context(|| format!("cannot write {}", dest.display()))?;
                #[cfg(not(unix))]
                let _ = target;
            } else {
                std::fs::copy(entry.path(), &dest)
                    .with_context(|| format!("cannot copy {} to {}", entry.path().display(), dest.display()))?;
            }
        }
    }
    Ok(())
}

/// Writes a package that must not replace anything: a file (`files` is
/// one entry with an empty path) or a folder of files, put in place with
/// one rename once complete.
pub fn package(out: &Path, scratch: &Scratch, files: &[(String, Vec<u8>)]) -> anyhow::Result<()> {
    if out.exists() {
        bail!("{} already exists; a snapshot never replaces one (choose another --out, or remove it)", out.display());
    }
    let staged = scratch.dir.join("package");
    match files {
        [(path, bytes)] if path.is_empty() => {
            std::fs::write(&staged, bytes).with_context(|| format!("cannot write {}", staged.display()))?
        }
        _ => {
            for (rel, bytes) in files {
                safe_relative(rel)?;
                let path = staged.join(rel);
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
                }
                std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
            }
        }
    }
    std::fs::rename(&staged, out).with_context(|| format!("cannot move the snapshot into {}", out.display()))
}

/// Exchanges two folders atomically.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let a = std::ffi::CString::new(a.as_os_str().as_bytes())?;
    let b = std::ffi::CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: two valid NUL-terminated paths; the call reads nothing else.
    let done =
        unsafe { libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE) };
    if done == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes a whole site at once, through `Staging` as a build does.
    pub fn write_site(out: &Path, files: &[OutputFile]) -> anyhow::Result<()> {
        let staging = Staging::new(out)?;
        for f in files {
            staging.file(&f.path, &f.bytes)?;
        }
        staging.commit()
    }

    fn file(path: &str, body: &str) -> OutputFile {
        OutputFile { path: path.to_string(), bytes: body.as_bytes().to_vec() }
    }

    #[test]
    fn a_site_replaces_the_previous_one_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_site(&out, &[file("a/index.html", "1"), file("old.html", "x")]).unwrap();
        write_site(&out, &[file("a/index.html", "2")]).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("a/index.html")).unwrap(), "2");
        assert!(!out.join("old.html").exists());
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging or old folder is left behind");
    }

    #[test]
    fn a_foreign_folder_is_never_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("content");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("dossier.yaml"), "title: x").unwrap();
        assert!(write_site(&out, &[file("index.html", "x")]).is_err());
        assert!(out.join("dossier.yaml").exists());
    }

    #[test]
    fn a_site_moved_aside_by_a_killed_build_is_put_back() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_site(&out, &[file("index.html", "old")]).unwrap();
        // What a build killed between its two renames leaves.
        std::fs::rename(&out, tmp.path().join(".public.old-4194305")).unwrap();
        std::fs::write(tmp.path().join(".public.lock"), "4194305").unwrap();
        let lock = Lock::take(&out).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "old");
        drop(lock);
        let names: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("public")]);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn two_folders_are_exchanged_in_one_step() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        std::fs::write(a.join("x"), "a").unwrap();
        std::fs::write(b.join("x"), "b").unwrap();
        exchange(&a, &b).unwrap();
        assert_eq!(std::fs::read_to_string(a.join("x")).unwrap(), "b");
        assert_eq!(std::fs::read_to_string(b.join("x")).unwrap(), "a");
    }

    #[test]
    fn a_failed_write_leaves_the_previous_site() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_site(&out, &[file("index.html", "old")]).unwrap();
        assert!(write_site(&out, &[file("../escape.html", "x")]).is_err());
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "old");
    }
}
