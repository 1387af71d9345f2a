//! Where a build comes from, read by the `load` stage: the git commit the
//! dossier's `content/` was built from (its id, its time, whether the work
//! tree had uncommitted changes to `content/` or `themes/`), when each
//! content file last changed, and, for the files that hold many records
//! (annotation files), when each line last changed (what `git blame`
//! says, from one replay of the log's diffs), so a note revised in a file
//! of twenty shows its own date. It also reads
//! `SOURCE_DATE_EPOCH`, the one time a build may print besides commit
//! times: no time in the output comes from the wall clock.
//!
//! Git is read with the `git` command through `std::process` (a git
//! library would be a heavy compile for a few plain queries), always with
//! `LC_ALL=C` and the variables that could point git elsewhere removed, so
//! the answer depends on the repository only. Without git, or outside a
//! repository, the provenance is empty and the site says nothing about
//! commits. The parsers of git's output are pure functions, tested on
//! strings; `extract` writes a revision's files into a private folder for
//! `milaf snapshot --at`.

use anyhow::{bail, Context};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// When something last changed: at a commit's time (seconds since 1970,
/// UTC), or in the work tree and not committed yet (no time is claimed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Changed {
    At(i64),
    Uncommitted,
}

impl Changed {
    /// The later of two changes; an uncommitted change is the latest.
    pub fn max(self, other: Changed) -> Changed {
        std::cmp::max(self, other)
    }
}

/// The commit a build was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    /// The full hexadecimal object id.
    pub id: String,
    /// The committer time, seconds since 1970 (UTC).
    pub time: i64,
    /// Whether `content/` or `themes/` differed from the commit (untracked
    /// files included).
    pub dirty: bool,
}

/// What the load stage found out about where the dossier comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Provenance {
    pub commit: Option<Commit>,
    /// The time of the build: `SOURCE_DATE_EPOCH`, else the last commit
    /// that touched `content/`; `None` without either.
    pub time: Option<i64>,
    /// Per content file (`content/…`, as `load` names it): its last change.
    pub files: BTreeMap<String, Changed>,
    /// Per multi-record file: the last change of each line (index 0 is
    /// line 1).
    pub lines: BTreeMap<String, Vec<Changed>>,
}

impl Provenance {
    /// When a file last changed, if git knows it.
    pub fn file(&self, path: &str) -> Option<Changed> {
        self.files.get(path).copied()
    }

    /// When lines `first..=last` (1-based; `last` may run past the end of
    /// the file) of a file last changed: the latest of its lines, per line
    /// where `git blame` was read, else the file's.
    pub fn lines(&self, path: &str, first: u32, last: u32) -> Option<Changed> {
        match self.lines.get(path) {
            Some(lines) => {
                let from = (first.max(1) - 1) as usize;
                let to = (last as usize).min(lines.len());
                lines.get(from..to).and_then(|ls| ls.iter().copied().reduce(Changed::max)).or(self.file(path))
            }
            None => self.file(path),
        }
    }
}

/// `SOURCE_DATE_EPOCH` as the reproducible-builds convention defines it:
/// a decimal count of seconds since 1970 (UTC). Unset or empty is `None`;
/// anything else is an error that says how to fix it.
pub fn source_date_epoch(value: Option<&std::ffi::OsStr>) -> anyhow::Result<Option<i64>> {
    let Some(value) = value else { return Ok(None) };
    if value.is_empty() {
        return Ok(None);
    }
    let text = value.to_string_lossy();
    match text.parse::<i64>() {
        Ok(n) if n >= 0 && !text.starts_with('+') && n <= MAX_EPOCH => Ok(Some(n)),
        _ => bail!(
            "SOURCE_DATE_EPOCH=`{text}` is not a time\nhelp: set it to a whole number of seconds since 1970-01-01 UTC, \
             such as `SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)`, or unset it to use the last commit of content/"
        ),
    }
}

/// The last second of the year 9999: dates are shown with four-digit years.
const MAX_EPOCH: i64 = 253_402_300_799;

/// Reads the provenance of the dossier at `root`: of its work tree, or of
/// revision `at` (then nothing is dirty: the files come from the commit).
/// `epoch` is `SOURCE_DATE_EPOCH`, already checked.
pub fn read(root: &Path, at: Option<&str>, epoch: Option<i64>) -> Provenance {
    let mut p = Provenance { time: epoch, ..Provenance::default() };
    let Some(commit) = commit(root, at.unwrap_or("HEAD")) else { return p };
    let files =
        match git(root, &["log", "--format=%x01%ct", "--name-only", "-z", "--relative", &commit.0, "--", "content"]) {
            Some(out) => last_changes(&out),
            None => return p,
        };
    let dirty = match at {
        Some(_) => Vec::new(),
        None => git(
            root,
            &["status", "--porcelain", "-z", "--untracked-files=all", "--no-renames", "--", "content", "themes"],
        )
        .map(|out| dirty_paths(&out, &prefix(root)))
        .unwrap_or_default(),
    };
    let last_of_content = files.values().map(|(t, _)| *t).max();
    p.time = epoch.or(last_of_content);
    p.files = files.iter().map(|(path, (t, _))| (path.clone(), Changed::At(*t))).collect();
    // Annotation and event files hold many records: when each of their
    // lines last changed is read from one pass over their history
    // (every line a commit adds carries its time), then the work tree's
    // uncommitted changes on top.
    let diff = ["-p", "-U0", "--no-renames", "--relative", "--no-color", "--no-ext-diff", "--no-textconv"];
    let prefixes = ["--src-prefix=a/", "--dst-prefix=b/"];
    let mut lines = BTreeMap::new();
    let mut log = vec!["log", "--reverse", "--first-parent", "--diff-merges=first-parent", "--format=%x01%ct"];
    log.extend(diff.iter().chain(&prefixes));
    log.extend([commit.0.as_str(), "--", "content/annotations", "content/events"]);
    if let Some(out) = git(root, &log) {
        replay_diffs(&out, &mut lines, false);
    }
    if dirty.iter().any(|p| p.starts_with("content/annotations/") || p.starts_with("content/events/")) {
        let mut work = vec!["diff"];
        work.extend(diff.iter().chain(&prefixes));
        work.extend(["HEAD", "--", "content/annotations", "content/events"]);
        if let Some(out) = git(root, &work) {
            replay_diffs(&out, &mut lines, true);
        }
    }
    p.lines = lines;
    for path in &dirty {
        p.files.insert(path.clone(), Changed::Uncommitted);
    }
    p.commit = Some(Commit { id: commit.0, time: commit.1, dirty: !dirty.is_empty() });
    p
}

/// The commit `rev` names, with its committer time.
fn commit(root: &Path, rev: &str) -> Option<(String, i64)> {
    let out = git(root, &["show", "-s", "--format=%H %ct", &format!("{rev}^{{commit}}"), "--"])?;
    let (id, time) = out.trim().split_once(' ')?;
    Some((id.to_string(), time.parse().ok()?))
}

/// Where the dossier's root is inside its repository (`sub/`, or empty).
fn prefix(root: &Path) -> String {
    git(root, &["rev-parse", "--show-prefix"]).map(|p| p.trim().to_string()).unwrap_or_default()
}

/// Runs git in `root` with a fixed environment; its stdout, or `None` when
/// git is missing or fails (not a repository, no such revision).
fn git(root: &Path, args: &[&str]) -> Option<String> {
    let out = command(root).args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8(out.stdout).ok()
}

fn command(root: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("-C").arg(root).args(["-c", "core.quotepath=off", "-c", "log.showSignature=false"]);
    // The repository is the one holding `root`, and git's messages and
    // dates are the same in every locale and time zone.
    for var in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_CEILING_DIRECTORIES"] {
        cmd.env_remove(var);
    }
    cmd.env("LC_ALL", "C").env("LANG", "C").env("TZ", "UTC").env("GIT_OPTIONAL_LOCKS", "0");
    cmd.stdin(std::process::Stdio::null()).stderr(std::process::Stdio::null());
    cmd
}

/// Replays `git log -p -U0 --reverse --format=%x01%ct` (or, with
/// `work_tree`, `git diff -U0 HEAD`) over the per-line changes of each
/// file: a hunk replaces the lines it removes with the lines it adds, which
/// carry the commit's time (or are uncommitted). Over a linear history
/// this gives each line the time `git blame` gives it, in one process for
/// all files instead of one `git blame` per file (a test compares the two);
/// along merges it follows the first parent, so a line that came with a
/// merge carries the merge's time; a renamed file starts again at its
/// rename.
pub fn replay_diffs(out: &str, lines: &mut BTreeMap<String, Vec<Changed>>, work_tree: bool) {
    let mut time = Changed::Uncommitted;
    let mut old: Option<&str> = None;
    let mut file: Option<String> = None;
    let mut it = out.split('\n');
    while let Some(line) = it.next() {
        if let Some(t) = line.strip_prefix('\x01') {
            if let (false, Ok(t)) = (work_tree, t.trim().parse()) {
                time = Changed::At(t);
            }
            file = None;
        } else if line.starts_with("diff --git ") {
            (old, file) = (None, None);
        } else if let Some(path) = line.strip_prefix("--- ") {
            old = Some(path);
        } else if let Some(path) = line.strip_prefix("+++ ") {
            match path.strip_prefix("b/") {
                Some(new) => {
                    if old == Some("/dev/null") {
                        lines.insert(new.to_string(), Vec::new());
                    }
                    file = Some(new.to_string());
                }
                None => {
                    // Deleted: its lines are gone.
                    if let Some(gone) = old.and_then(|o| o.strip_prefix("a/")) {
                        lines.remove(gone);
                    }
                    file = None;
                }
            }
        } else if let Some(hunk) = line.strip_prefix("@@ -") {
            let Some((removed, added, start)) = hunk_header(hunk) else { continue };
            // The hunk's lines, by count (a removed line may itself look
            // like a header).
            let (mut r, mut a) = (0, 0);
            while r < removed || a < added {
                match it.next().and_then(|l| l.bytes().next()) {
                    Some(b'-') => r += 1,
                    Some(b'+') => a += 1,
                    Some(b'\\') => {}
                    _ => break,
                }
            }
            let Some(f) = &file else { continue };
            let v = lines.entry(f.clone()).or_default();
            // Earlier hunks are applied: lines before this one are already
            // numbered as in the new file.
            let at = if added > 0 { start.saturating_sub(1) } else { start };
            let at = at.min(v.len());
            let end = (at + removed).min(v.len());
            v.splice(at..end, std::iter::repeat_n(time, added));
        }
    }
}

/// `a,b +c,d @@` (after `@@ -`): the lines removed, the lines added, and
/// where they are in the new file (1-based).
fn hunk_header(h: &str) -> Option<(usize, usize, usize)> {
    let (old, rest) = h.split_once(" +")?;
    let new = rest.split(' ').next()?;
    let count = |r: &str| -> Option<(usize, usize)> {
        Some(match r.split_once(',') {
            Some((s, n)) => (s.parse().ok()?, n.parse().ok()?),
            None => (r.parse().ok()?, 1),
        })
    };
    let ((_, removed), (start, added)) = (count(old)?, count(new)?);
    Some((removed, added, start))
}

/// `git log --format=%x01%ct --name-only -z`: per path, the time of the
/// newest commit that touched it and how many commits did.
pub fn last_changes(out: &str) -> BTreeMap<String, (i64, u32)> {
    let mut files: BTreeMap<String, (i64, u32)> = BTreeMap::new();
    for record in out.split('\x01').filter(|r| !r.is_empty()) {
        let mut fields = record.split('\0');
        let Some(time) = fields.next().and_then(|t| t.trim().parse::<i64>().ok()) else { continue };
        for path in fields.map(|p| p.trim_start_matches('\n')).filter(|p| !p.is_empty()) {
            // Newest first: the first time a path is seen is its last change.
            files.entry(path.to_string()).and_modify(|e| e.1 += 1).or_insert((time, 1));
        }
    }
    files
}

/// `git status --porcelain -z`: the paths with uncommitted changes,
/// relative to the dossier's root (git names them from the repository's
/// top, where the dossier is at `prefix`).
pub fn dirty_paths(out: &str, prefix: &str) -> Vec<String> {
    let mut paths: Vec<String> =
        out.split('\0').filter_map(|e| e.get(3..)).map(|p| p.strip_prefix(prefix).unwrap_or(p).to_string()).collect();
    paths.sort();
    paths.dedup();
    paths
}

/// `git blame --porcelain`: the change of each line, in order (lines not
/// committed yet belong to the all-zero commit). Builds replay the history
/// instead (`replay_diffs`); this is git's own answer, to check it against.
pub fn blame_lines(out: &str) -> Vec<Changed> {
    let mut times: BTreeMap<&str, i64> = BTreeMap::new();
    let mut lines: Vec<(u32, &str)> = Vec::new();
    let mut current: Option<&str> = None;
    for line in out.lines() {
        if line.starts_with('\t') {
            continue;
        }
        let mut words = line.split(' ');
        let first = words.next().unwrap_or("");
        if first.len() == 40 && first.bytes().all(|b| b.is_ascii_hexdigit()) {
            let final_line = words.nth(1).and_then(|n| n.parse::<u32>().ok());
            if let Some(n) = final_line {
                lines.push((n, first));
                current = Some(first);
            }
        } else if let (Some(sha), Some(t)) = (current, line.strip_prefix("committer-time ")) {
            if let Ok(t) = t.parse() {
                times.insert(sha, t);
            }
        }
    }
    lines.sort();
    lines
        .into_iter()
        .map(|(_, sha)| match times.get(sha) {
            Some(&t) if sha.bytes().any(|b| b != b'0') => Changed::At(t),
            _ => Changed::Uncommitted,
        })
        .collect()
}

/// Writes the files of `content/` and `themes/` at revision `rev` into
/// `into` (which must not exist), from the repository's objects: the work
/// tree is never read or touched. Returns the commit id.
pub fn extract(root: &Path, rev: &str, into: &Path) -> anyhow::Result<String> {
    let Some((id, _)) = commit(root, rev) else {
        bail!("`{rev}` is not a commit of the git repository at {}\nhelp: name a commit, a tag or a branch, as `git log` shows them", root.display())
    };
    let list = git(root, &["ls-tree", "-r", "-z", "--full-name", &id, "--", "content", "themes"])
        .with_context(|| format!("cannot list the files of {rev}"))?;
    let prefix = prefix(root);
    let prefix = prefix.as_str();
    let mut entries = Vec::new();
    for entry in list.split('\0').filter(|e| !e.is_empty()) {
        let Some((meta, path)) = entry.split_once('\t') else { continue };
        let mut meta = meta.split(' ');
        let (mode, kind, object) = (meta.next().unwrap_or(""), meta.next().unwrap_or(""), meta.next().unwrap_or(""));
        let Some(rel) = path.strip_prefix(prefix) else { continue };
        if kind == "blob" {
            entries.push((mode.to_string(), object.to_string(), rel.to_string()));
        }
    }
    if !entries.iter().any(|(_, _, p)| p.starts_with("content/")) {
        bail!("revision {rev} has no content/ folder in {}", root.display());
    }
    let mut cat = command(root)
        .args(["cat-file", "--batch"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .context("cannot run git cat-file")?;
    let mut stdin = cat.stdin.take().context("git cat-file has no input")?;
    let objects: String = entries.iter().map(|(_, o, _)| format!("{o}\n")).collect();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let _ = stdin.write_all(objects.as_bytes());
    });
    let mut stdout = std::io::BufReader::new(cat.stdout.take().context("git cat-file has no output")?);
    for (mode, object, rel) in &entries {
        use std::io::{BufRead, Read};
        let mut header = String::new();
        stdout.read_line(&mut header)?;
        let size: usize = header
            .trim_end()
            .strip_prefix(object.as_str())
            .and_then(|h| h.strip_prefix(" blob "))
            .and_then(|s| s.parse().ok())
            .with_context(|| format!("git cat-file answered `{}` for {rel}", header.trim_end()))?;
        let mut bytes = vec![0; size + 1];
        stdout.read_exact(&mut bytes)?;
        bytes.pop();
        crate::write::extracted(into, rel, &bytes, mode == "120000")?;
    }
    let _ = writer.join();
    cat.wait()?;
    Ok(id)
}

/// A time in seconds since 1970 as a UTC calendar date and time of day:
/// `(year, month, day, hour, minute, second)`. Pure arithmetic (Howard
/// Hinnant's civil-from-days), so no time zone can enter.
pub fn utc(secs: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day, (rem / 3600) as u32, (rem % 3600 / 60) as u32, (rem % 60) as u32)
}

/// `2026-12-04T20:26:00Z`.
pub fn iso8601(secs: i64) -> String {
    let (y, mo, d, h, mi, s) = utc(secs);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// `2026-12-04`.
pub fn iso_date(secs: i64) -> String {
    iso8601(secs)[..10].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_date_epoch_is_a_plain_count_of_seconds() {
        let os = |s: &str| Some(std::ffi::OsString::from(s));
        assert_eq!(source_date_epoch(None).unwrap(), None);
        assert_eq!(source_date_epoch(os("").as_deref()).unwrap(), None);
        assert_eq!(source_date_epoch(os("1700000000").as_deref()).unwrap(), Some(1_700_000_000));
        for bad in ["yesterday", "-1", "+5", "1.5", "2024-01-01", "99999999999999"] {
            let e = source_date_epoch(os(bad).as_deref()).unwrap_err().to_string();
            assert!(e.contains("SOURCE_DATE_EPOCH") && e.contains("help:"), "{bad}: {e}");
        }
    }

    #[test]
    fn utc_dates_are_computed_not_looked_up() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(iso8601(1_795_984_515), "2026-11-29T20:35:15Z");
        assert_eq!(iso8601(253_402_300_799), "9999-12-31T23:59:59Z");
    }

    #[test]
    fn git_log_gives_each_file_its_newest_change() {
        let out = "\x011700000300\0\ncontent/a.md\0content/b.yaml\0\x011700000100\0\ncontent/a.md\0";
        let files = last_changes(out);
        assert_eq!(files["content/a.md"], (1_700_000_300, 2));
        assert_eq!(files["content/b.yaml"], (1_700_000_300, 1));
    }

    #[test]
    fn blame_gives_each_line_its_commit_time_and_uncommitted_lines_none() {
        let a = "a".repeat(40);
        let z = "0".repeat(40);
        let out = format!(
            "{a} 1 1 2\nauthor x\ncommitter-time 100\nfilename f\n\tline one\n{a} 2 2\n\tline two\n\
             {z} 3 3 1\nauthor Not Committed Yet\ncommitter-time 999\n\tline three\n"
        );
        assert_eq!(blame_lines(&out), [Changed::At(100), Changed::At(100), Changed::Uncommitted]);
        let p = Provenance {
            lines: [("f".to_string(), blame_lines(&out))].into(),
            files: [("f".to_string(), Changed::At(100))].into(),
            ..Default::default()
        };
        assert_eq!(p.lines("f", 1, 2), Some(Changed::At(100)));
        assert_eq!(p.lines("f", 2, u32::MAX), Some(Changed::Uncommitted));
    }

    #[test]
    fn a_diff_replayed_gives_each_line_the_commit_that_wrote_it() {
        let mut lines = BTreeMap::new();
        // Three lines; then the middle one replaced and one added at the
        // end; then the first removed; then a line inserted after line 1.
        let log = "\x01100\n\ndiff --git a/f b/f\nnew file mode 100644\n--- /dev/null\n+++ b/f\n@@ -0,0 +1,3 @@\n+a\n+b\n+c\n\
                   \x01200\n\ndiff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -2 +2 @@\n--- b\n+B\n@@ -3,0 +4 @@\n+d\n\
                   \x01300\n\ndiff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +0,0 @@\n-a\n";
        replay_diffs(log, &mut lines, false);
        assert_eq!(lines["f"], [Changed::At(200), Changed::At(100), Changed::At(200)]);
        replay_diffs("diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,0 +2 @@\n+x\n", &mut lines, true);
        assert_eq!(lines["f"], [Changed::At(200), Changed::Uncommitted, Changed::At(100), Changed::At(200)]);
        replay_diffs("\x01400\n\ndiff --git a/f b/f\ndeleted file mode 100644\n--- a/f\n+++ /dev/null\n@@ -1,4 +0,0 @@\n-B\n-x\n-c\n-d\n", &mut lines, false);
        assert!(!lines.contains_key("f"));
    }

    #[test]
    fn status_names_every_changed_path() {
        assert_eq!(
            dirty_paths(" M d/content/a.md\0?? d/content/new.yaml\0", "d/"),
            ["content/a.md", "content/new.yaml"]
        );
        assert!(dirty_paths("", "").is_empty());
    }
}
