//! The hostile-input suite: one folder per case under `tests/hostile/`,
//! each a small dossier that an attacker or a careless editor could
//! commit. The runner lays the shared valid dossier (`_base/content`),
//! then the case's own `content/` over it, applies the case's `case.txt`
//! set-up, runs the real `milaf build` into an output folder that already
//! holds a previous site, and checks:
//! - the exit code (`exit N` in `case.txt`);
//! - what the build printed on stderr (`expected/stderr.txt`, paths
//!   redacted), with no panic and every diagnostic naming a file;
//! - after a failure, that the previous site, the content and the folder
//!   around the output are byte for byte as they were (no staging folder,
//!   no lock left behind);
//! - after a success, the output hygiene of every page (no script but the
//!   theme's own, no `on*` attribute, no other link scheme than http,
//!   https, mailto, relative and fragment, nothing loaded from another
//!   origin, the Content-Security-Policy in place) and the case's own
//!   `contains`, `lacks` and `same-as` expectations.
//!
//! `case.txt` directives, one a line (`#` starts a comment; `\n`, `\t`,
//! `\r` and `\u{…}` are unescaped in text):
//! `exit N`, `rm PATH`, `fill PATH BYTES TEXT` (appends TEXT until the file
//! holds BYTES), `append PATH TEXT`, `symlink PATH TARGET`, `out PATH`
//! (`content`, `.`, `/`, `~`, `foreign` or a folder under the root), `out-file`, `out-readonly`,
//! `out-full`, `hold-lock`, `stale-build`, `max-seconds N`,
//! `contains FILE TEXT` (in the HTML), `shows FILE TEXT` (in what a reader
//! sees: tags removed, entities decoded), `lacks FILE TEXT`, `same-as CASE`.
//!
//! `UPDATE_EXPECT=1 cargo test --test hostile_cases` rewrites the
//! `stderr.txt` expectations; review each one by eye.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn suite() -> PathBuf {
    common::repo().join("tests/hostile")
}

fn update() -> bool {
    std::env::var_os("UPDATE_EXPECT").is_some()
}

/// Text with `\n`, `\t`, `\r`, `\\` and `\u{…}` escapes resolved.
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('u') => {
                assert_eq!(chars.next(), Some('{'), "\\u needs braces: {s}");
                let hex: String = chars.by_ref().take_while(|&c| c != '}').collect();
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// One directive: its name and the rest of the line split once or twice.
struct Directive {
    name: String,
    rest: String,
}

impl Directive {
    /// The first word of the rest and the text after it.
    fn split(&self) -> (&str, String) {
        let (a, b) = self.rest.split_once(' ').unwrap_or((&self.rest, ""));
        (a, unescape(b))
    }
}

fn directives(case: &Path) -> Vec<Directive> {
    let text =
        std::fs::read_to_string(case.join("case.txt")).unwrap_or_else(|_| panic!("{} has no case.txt", case.display()));
    text.lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (name, rest) = l.split_once(' ').unwrap_or((l, ""));
            Directive { name: name.to_string(), rest: rest.to_string() }
        })
        .collect()
}

/// Every file under `dir` (symbolic links by their target), by relative
/// path: what "untouched" is compared on.
fn manifest(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    for e in walkdir::WalkDir::new(dir).follow_links(false).sort_by_file_name() {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
        if e.path_is_symlink() {
            out.insert(rel, std::fs::read_link(e.path()).unwrap().to_string_lossy().as_bytes().to_vec());
        } else if e.file_type().is_file() {
            out.insert(rel, std::fs::read(e.path()).unwrap());
        } else {
            out.insert(rel + "/", Vec::new());
        }
    }
    out
}

/// Unmounts what a case mounted, even when the case fails.
struct Mounts(Vec<PathBuf>);

impl Drop for Mounts {
    fn drop(&mut self) {
        for m in self.0.iter().rev() {
            let _ = Command::new("umount").arg(m).status();
        }
    }
}

fn mount_tmpfs(at: &Path, size: &str) -> Result<(), String> {
    std::fs::create_dir_all(at).unwrap();
    let status = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(at)
        .output()
        .map_err(|e| format!("cannot run mount: {e}"))?;
    if status.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&status.stderr).trim().to_string())
    }
}

fn remount_readonly(at: &Path) -> bool {
    Command::new("mount").args(["-o", "remount,ro"]).arg(at).status().is_ok_and(|s| s.success())
}

/// A previous build's site: what a failed build must leave as it was.
fn seed_old_site(out: &Path) {
    std::fs::create_dir_all(out.join("articles/old")).unwrap();
    std::fs::write(out.join(milaf::write::MARKER), "previous build\n").unwrap();
    std::fs::write(out.join("index.html"), "<!doctype html><title>old</title>previous site\n").unwrap();
    std::fs::write(out.join("articles/old/index.html"), "old article\n").unwrap();
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A process id that no running process has: above Linux's largest
/// possible one (`PID_MAX_LIMIT`, 2^22).
fn dead_pid() -> u32 {
    4_194_305
}

struct Run {
    code: i32,
    stderr: String,
    elapsed: Duration,
    out: PathBuf,
}

/// Lays out and builds one case; `failures` collects what went wrong.
fn run_case(case: &Path, tmp: &Path, failures: &mut Vec<String>) -> Option<Run> {
    let name = case.file_name().unwrap().to_string_lossy().into_owned();
    let fail = |failures: &mut Vec<String>, msg: String| failures.push(format!("{name}: {msg}"));
    let ds = directives(case);
    let root = tmp.join("dossier");
    let home = tmp.join("home");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(home.join("notes.txt"), "the editor's own files\n").unwrap();
    if !ds.iter().any(|d| d.name == "no-base") {
        common::copy_tree(&suite().join("_base"), &root);
    }
    if case.join("content").exists() {
        common::copy_tree(&case.join("content"), &root.join("content"));
    }
    let mut out = root.join("public");
    let mut seed = true;
    let mut mounts = Mounts(Vec::new());
    let mut expected_code = None;
    let mut max_seconds = 20.0;
    let mut held_lock = None;
    for d in &ds {
        let (first, text) = d.split();
        match d.name.as_str() {
            "exit" => expected_code = Some(d.rest.parse::<i32>().unwrap()),
            "no-base" | "contains" | "shows" | "lacks" | "same-as" => {}
            "rm" => std::fs::remove_file(root.join(&d.rest)).unwrap(),
            "append" => {
                use std::io::Write;
                let mut f = std::fs::OpenOptions::new().create(true).append(true).open(root.join(first)).unwrap();
                f.write_all(text.as_bytes()).unwrap();
            }
            "fill" => {
                let (bytes, text) = text.split_once(' ').unwrap();
                let target: usize = bytes.parse().unwrap();
                let path = root.join(first);
                let mut data = std::fs::read(&path).unwrap_or_default();
                while data.len() < target {
                    data.extend_from_slice(text.as_bytes());
                }
                std::fs::write(&path, data).unwrap();
            }
            "symlink" => {
                let link = root.join(first);
                std::fs::create_dir_all(link.parent().unwrap()).unwrap();
                if link.is_dir() {
                    std::fs::remove_dir_all(&link).unwrap();
                }
                std::os::unix::fs::symlink(text.replace("{tmp}", &tmp.to_string_lossy()), link).unwrap();
            }
            "out-file" => {
                seed = false;
                out = root.join("public");
                std::fs::write(&out, "not a folder\n").unwrap();
            }
            "out" => {
                seed = false;
                out = match d.rest.as_str() {
                    "content" => root.join("content"),
                    "." => root.clone(),
                    "/" => PathBuf::from("/"),
                    "~" => home.clone(),
                    "foreign" => {
                        let dir = tmp.join("photos");
                        std::fs::create_dir_all(&dir).unwrap();
                        std::fs::write(dir.join("family.jpg"), "not milaf's").unwrap();
                        dir
                    }
                    other => root.join(other),
                };
            }
            "out-readonly" | "out-full" => {
                if !is_root() && d.name == "out-readonly" {
                    // Without root, permissions are enough.
                    let dir = tmp.join("locked");
                    out = dir.join("public");
                    seed_old_site(&out);
                    let perms = std::os::unix::fs::PermissionsExt::from_mode(0o555);
                    std::fs::set_permissions(&dir, perms).unwrap();
                    seed = false;
                    continue;
                }
                let dir = tmp.join("mnt");
                // Room for the previous site, none for a new one.
                if let Err(e) = mount_tmpfs(&dir, "48k") {
                    eprintln!("SKIPPED {name}: cannot mount a small tmpfs ({e}); the write error path is covered by write::tests");
                    return None;
                }
                mounts.0.push(dir.clone());
                out = dir.join("public");
                seed_old_site(&out);
                if d.name == "out-readonly" && !remount_readonly(&dir) {
                    eprintln!("SKIPPED {name}: cannot remount the tmpfs read-only");
                    return None;
                }
                seed = false;
            }
            "hold-lock" => {
                // A live process holds the lock: this test's own.
                let lock = root.join(".public.lock");
                std::fs::write(&lock, std::process::id().to_string()).unwrap();
                held_lock = Some(lock);
            }
            "stale-build" => {
                // A build killed mid-way: its lock, and its staging and old
                // folders beside the output.
                let pid = dead_pid();
                std::fs::write(root.join(".public.lock"), pid.to_string()).unwrap();
                for tag in ["staging", "old"] {
                    let dir = root.join(format!(".public.{tag}-{pid}"));
                    std::fs::create_dir_all(&dir).unwrap();
                    std::fs::write(dir.join(milaf::write::MARKER), "").unwrap();
                    std::fs::write(dir.join("index.html"), "half").unwrap();
                }
            }
            "max-seconds" => max_seconds = d.rest.parse().unwrap(),
            other => panic!("{name}: unknown directive {other}"),
        }
    }
    if seed {
        seed_old_site(&out);
    }
    let Some(expected_code) = expected_code else {
        fail(failures, "case.txt has no `exit N`".into());
        return None;
    };
    let around = out.parent().map(|p| p.to_path_buf()).unwrap_or_else(|| out.clone());
    let watch_around = out != Path::new("/") && out != root;
    let before_out = if out == Path::new("/") { BTreeMap::new() } else { manifest(&out) };
    let before_content = manifest(&root.join("content"));
    let before_home = manifest(&home);
    let mut before_around: Vec<String> = if watch_around { listing(&around) } else { Vec::new() };
    // The lock another build holds is removed after the run.
    before_around.retain(|n| held_lock.is_none() || n != ".public.lock");

    let start = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_milaf"))
        .arg("--root")
        .arg(&root)
        .arg("build")
        .arg("--out")
        .arg(&out)
        .env("HOME", &home)
        .env_remove("MILAF_TIMINGS")
        .output()
        .unwrap();
    let elapsed = start.elapsed();
    if let Some(lock) = held_lock {
        std::fs::remove_file(lock).unwrap();
    }
    let code = output.status.code().unwrap_or(-1);
    let stderr = redact(&String::from_utf8_lossy(&output.stderr), tmp);

    if stderr.contains("panicked") || code == 101 || code < 0 {
        fail(failures, format!("crashed (code {code}):\n{stderr}"));
    }
    if code != expected_code {
        fail(failures, format!("exit code {code}, expected {expected_code}:\n{stderr}"));
    }
    if elapsed.as_secs_f64() > max_seconds {
        fail(failures, format!("took {:.1} s, more than {max_seconds} s", elapsed.as_secs_f64()));
    }
    // Every diagnostic names its file.
    for (i, line) in stderr.lines().enumerate() {
        if line.starts_with("error") || line.starts_with("warning") {
            let next = stderr.lines().nth(i + 1).unwrap_or("");
            if line.starts_with("error: ") && code == 1 && !next.trim_start().starts_with("--> ") {
                fail(failures, format!("a diagnostic without a file: {line}"));
            }
        }
    }
    let expected = case.join("expected/stderr.txt");
    if update() {
        std::fs::create_dir_all(expected.parent().unwrap()).unwrap();
        std::fs::write(&expected, &stderr).unwrap();
    } else {
        match std::fs::read_to_string(&expected) {
            Ok(e) if e == stderr => {}
            Ok(e) => fail(failures, format!("stderr differs\n--- expected\n{e}--- actual\n{stderr}")),
            Err(_) => fail(failures, "expected/stderr.txt is missing; run with UPDATE_EXPECT=1".into()),
        }
    }
    if manifest(&root.join("content")) != before_content && out != root.join("content") {
        fail(failures, "the build changed content/".into());
    }
    if manifest(&home) != before_home {
        fail(failures, "the build changed the home folder".into());
    }
    if code != 0 {
        if out != Path::new("/") && manifest(&out) != before_out {
            fail(failures, "the failed build changed the output folder".into());
        }
        if watch_around && listing(&around) != before_around {
            fail(
                failures,
                format!("the failed build left files beside the output: {:?} → {:?}", before_around, listing(&around)),
            );
        }
        if out == Path::new("/") && Path::new("/.public.lock").exists() {
            fail(failures, "the build wrote beside /".into());
        }
    } else if watch_around {
        let left: Vec<String> = listing(&around).into_iter().filter(|n| n.starts_with(".public")).collect();
        if !left.is_empty() {
            fail(failures, format!("a successful build left {left:?} beside the output"));
        }
    }
    drop(mounts);
    Some(Run { code, stderr, elapsed, out })
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|r| r.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

/// Stable stderr: the temporary folder and process ids replaced.
fn redact(stderr: &str, tmp: &Path) -> String {
    let mut text = stderr.replace(&tmp.to_string_lossy().into_owned(), "TMP");
    for before in ["process ", ".staging-", ".old-"] {
        let mut out = String::new();
        let mut rest = text.as_str();
        while let Some(i) = rest.find(before) {
            out.push_str(&rest[..i + before.len()]);
            rest = &rest[i + before.len()..];
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            if digits > 0 {
                out.push_str("PID");
                rest = &rest[digits..];
            }
        }
        out.push_str(rest);
        text = out;
    }
    // Pages are written in parallel: which one meets a full disk first
    // varies from run to run.
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(i) = rest.find(".staging-PID/") {
        out.push_str(&rest[..i + ".staging-PID/".len()]);
        rest = &rest[i + ".staging-PID/".len()..];
        let end = rest.find(": ").unwrap_or(rest.len());
        out.push_str("PAGE");
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn cases() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(suite())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("case.txt").exists())
        .collect();
    out.sort();
    out
}

#[test]
fn hostile_cases() {
    let cases = cases();
    assert!(cases.len() >= 60, "only {} hostile cases", cases.len());
    let only = std::env::var("HOSTILE_CASE").ok();
    let mut failures = Vec::new();
    let mut sites: BTreeMap<String, BTreeMap<String, Vec<u8>>> = BTreeMap::new();
    let mut checks = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        if only.as_deref().is_some_and(|o| !name.contains(o)) {
            continue;
        }
        let tmp = tempfile::tempdir().unwrap();
        let Some(run) = run_case(case, tmp.path(), &mut failures) else { continue };
        eprintln!("{name}: exit {} in {:.2} s", run.code, run.elapsed.as_secs_f64());
        if run.code != 0 {
            continue;
        }
        let site = manifest(&run.out);
        for problem in hygiene(&site) {
            failures.push(format!("{name}: {problem}"));
        }
        for d in directives(case) {
            if matches!(d.name.as_str(), "contains" | "shows" | "lacks" | "same-as") {
                checks.push((name.clone(), d));
            }
        }
        let _ = &run.stderr;
        sites.insert(name, site);
    }
    for (name, d) in checks {
        let site = &sites[&name];
        let (file, text) = d.split();
        let page = || String::from_utf8_lossy(site.get(file).map_or(&[][..], |b| b)).into_owned();
        match d.name.as_str() {
            "contains" if !site.contains_key(file) => failures.push(format!("{name}: no {file} in the site")),
            "contains" if !page().contains(&text) => failures.push(format!("{name}: {file} lacks {text:?}")),
            "shows" if !visible_text(&page()).contains(&text) => {
                failures.push(format!("{name}: {file} does not show {text:?}"))
            }
            "lacks" if page().contains(&text) => failures.push(format!("{name}: {file} contains {text:?}")),
            "same-as" => match sites.get(&d.rest) {
                Some(other) if other == site => {}
                Some(other) => {
                    let differ: Vec<&String> =
                        site.keys().chain(other.keys()).filter(|k| site.get(*k) != other.get(*k)).take(5).collect();
                    failures.push(format!("{name}: the site differs from {}'s: {differ:?}", d.rest))
                }
                None => failures.push(format!("{name}: no built site of {} to compare", d.rest)),
            },
            _ => {}
        }
    }
    assert!(failures.is_empty(), "{} hostile case(s) failed:\n\n{}", failures.len(), failures.join("\n\n"));
}

/// What a reader sees of a page: its text without tags, entities decoded.
fn visible_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

/// What no page of a built site may hold, as a list of problems.
fn hygiene(site: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut problems = Vec::new();
    for (path, bytes) in site.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        for problem in common::page_hygiene(&html) {
            problems.push(format!("{path}: {problem}"));
        }
    }
    problems
}

#[test]
fn the_sample_site_and_every_fixture_site_are_clean() {
    let mut roots = vec![common::repo().to_path_buf()];
    for feature in std::fs::read_dir(common::repo().join("tests/fixtures")).unwrap() {
        for case in std::fs::read_dir(feature.unwrap().path()).into_iter().flatten() {
            let case = case.unwrap().path();
            if case.join("content").is_dir() {
                roots.push(case);
            }
        }
    }
    roots.sort();
    let mut problems = Vec::new();
    let mut pages = 0;
    for root in &roots {
        let (dossier, _, sources) = milaf::check(root).unwrap();
        let Some(dossier) = dossier else { continue };
        // A dossier that allows remote media loads images from elsewhere
        // on purpose; the rest of its hygiene still holds.
        let remote = dossier.config.remote_media;
        let files = milaf::write::in_memory(&dossier, sources.theme(&dossier.config.theme)).unwrap();
        for f in files.iter().filter(|f| f.path.ends_with(".html")) {
            pages += 1;
            for p in common::page_hygiene(&String::from_utf8_lossy(&f.bytes)) {
                if !(remote && p.starts_with("<img src=\"http")) {
                    problems.push(format!("{}: {}: {p}", root.display(), f.path));
                }
            }
        }
    }
    assert!(pages > 100, "only {pages} pages checked");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_hygiene_check_finds_what_it_looks_for() {
    let csp = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'\">";
    assert_eq!(
        common::page_hygiene(&format!("<html><head>{csp}</head><body><a href=\"x.html\">x</a></body>")),
        Vec::<String>::new()
    );
    for (bad, found) in [
        ("<script>alert(1)</script>", "an inline script"),
        ("<script src=\"https://cdn.example/x.js\"></script>", "not the theme's own"),
        ("<img src=x onerror=alert(1)>", "event handler `onerror`"),
        ("<a href=\"JaVa&#x3a;script:x\">", "scheme"),
        ("<a href=\"java\tscript:x\">", "scheme `javascript`"),
        ("<a href=\"data:text/html,x\">", "scheme `data`"),
        ("<img src=\"//evil.example/p.gif\">", "loads from elsewhere"),
        ("<iframe src=\"x.html\"></iframe>", "<iframe>"),
        ("<base href=\"https://evil.example/\">", "<base>"),
        ("<meta http-equiv=\"refresh\" content=\"0\">", "http-equiv=\"refresh\""),
        ("<p style=\"color: red\">", "inline style"),
        ("<link rel=\"stylesheet\" href=\"https://cdn.example/x.css\">", "not relative"),
    ] {
        let problems = common::page_hygiene(&format!("<html><head>{csp}</head><body>{bad}</body>"));
        assert!(problems.iter().any(|p| p.contains(found)), "{bad}: {problems:?}");
    }
    let problems = common::page_hygiene("<html><head></head><body></body>");
    assert!(problems.iter().any(|p| p.contains("no Content-Security-Policy")), "{problems:?}");
}
