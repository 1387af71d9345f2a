//! Tests of the real `milaf` binary: exit codes, what it prints, and what
//! it leaves on disk. Paths in the output are relative to the dossier root,
//! so expectations hold on any machine.

mod common;

use common::copy_tree;
use std::path::Path;
use std::process::Command;

fn milaf() -> Command {
    Command::new(env!("CARGO_BIN_EXE_milaf"))
}

fn fixture(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(path)
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().display().to_string(), std::fs::read(e.path()).unwrap()))
        .collect();
    out.sort();
    out
}

#[test]
fn check_reports_every_mistake_and_exits_1() {
    let out = milaf().arg("--root").arg(fixture("check/ten-mistakes")).arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for expected in [
        "content/entities/mali.yaml:5:2",          // bad indentation
        "content/entities/sadio-camara.yaml:3:1",  // unknown field
        "content/entities/moscow.yaml:3:10",       // wrong type
        "content/annotations/shipment.yaml:10:7",  // missing body
        "content/annotations/shipment.yaml:7:7",   // bad id
        "content/annotations/shipment.yaml:3:12",  // unknown referenced id
        "content/annotations/shipment.yaml:12:7",  // duplicate id
        "content/entities/latin1.yaml:1:7",        // non-UTF-8
        "content/articles/broken.md:1:1",          // unclosed front matter
        "content/events/events.yaml:2:14",         // bad date
        "content/events/events.yaml:6:7",          // event without source
        "content/annotations/shipment.yaml:17:21", // javascript: link
        "content/events/events.yaml:13:18",        // unknown article
    ] {
        assert!(stderr.contains(&format!("--> {expected}")), "missing {expected} in:\n{stderr}");
    }
    assert!(stderr.contains("help: did you mean 'sadio-camara'?"), "{stderr}");
    assert!(stderr.contains("13 error(s)"), "{stderr}");
}

#[test]
fn check_json_lists_the_same_problems() {
    let out =
        milaf().arg("--root").arg(fixture("check/ten-mistakes")).args(["check", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), 13);
    assert!(list.iter().all(|d| d["severity"] == "error" && d["file"].is_string() && d["line"].is_u64()));
}

#[test]
fn check_github_prints_one_annotation_per_problem() {
    let dossier = fixture("check/ten-mistakes");
    let out = milaf().current_dir(&dossier).args(["check", "--format", "github"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[..3],
        [
            "::error file=content/annotations/shipment.yaml,line=3,col=12,endLine=3,endColumn=24,title=milaf\
             ::unknown entity 'sadio-kamara'%0Ahelp: did you mean 'sadio-camara'?",
            "::error file=content/annotations/shipment.yaml,line=7,col=7,endLine=7,endColumn=13,title=milaf\
             ::`Bad_Id` is not a valid id%0Ahelp: ids use lowercase ASCII letters, digits and `-`, \
             start with a letter or digit, and are at most 64 characters",
            "::error file=content/annotations/shipment.yaml,line=10,col=7,endLine=10,endColumn=14,title=milaf\
             ::note `no-body` has no `body:`%0Ahelp: add `body: …` with what the editors say about the passage; \
             an item that only points an occurrence at an entity has `mention: <entity-id>` instead of a body",
        ]
    );
    assert_eq!(lines.len(), 13, "{stdout}");
    assert!(lines.iter().all(|l| l.starts_with("::error file=content/")), "{stdout}");
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));

    // From another folder, paths start where the workflow runs milaf.
    let out = milaf()
        .current_dir(dossier.parent().unwrap())
        .args(["--root", "ten-mistakes", "check", "--format", "github"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with("::error file=ten-mistakes/content/annotations/shipment.yaml,line=3,"), "{stdout}");

    // `build` prints the same annotations before it refuses to write.
    let tmp = tempfile::tempdir().unwrap();
    let out = milaf()
        .current_dir(&dossier)
        .args(["build", "--format", "github", "--out"])
        .arg(tmp.path().join("site"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().collect::<Vec<_>>(), lines);
    assert!(!tmp.path().join("site").exists());
}

#[test]
fn a_failed_build_leaves_the_previous_output_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let good = tmp.path().join("good");
    copy_tree(&fixture("anchoring/passages"), &good);
    let out_dir = tmp.path().join("site");
    let ok = milaf().arg("--root").arg(&good).arg("build").arg("--out").arg(&out_dir).output().unwrap();
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stderr));
    let before = snapshot(&out_dir);
    assert!(before.len() > 5);

    let bad = milaf()
        .arg("--root")
        .arg(fixture("check/ten-mistakes"))
        .arg("build")
        .arg("--out")
        .arg(&out_dir)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("left untouched"));
    assert_eq!(snapshot(&out_dir), before);
}

#[test]
fn build_refuses_to_replace_a_folder_it_did_not_write() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("d");
    copy_tree(&fixture("anchoring/passages"), &root);
    let out = milaf().arg("--root").arg(&root).args(["build", "--out", "content"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(root.join("content/dossier.yaml").exists());
}

#[test]
fn usage_and_io_failures_exit_2() {
    let out = milaf().args(["--root", "/nonexistent/milaf", "check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no content/ folder"));
    let out = milaf().arg("frobnicate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn import_keeps_the_original_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let raw = tmp.path().join("capture.txt");
    let bytes =
        "عنوان الخبر هنا في سطر قصير\r\n\r\nالفقرة الأولى من الخبر، وفيها نجمة * وشرطة سفلية _.\r\nاترك تعليقاً\r\n"
            .as_bytes();
    std::fs::write(&raw, bytes).unwrap();
    let out = milaf().arg("--root").arg(tmp.path()).arg("import").arg(&raw).args(["--id", "news"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read(tmp.path().join("content/originals/news.txt")).unwrap(), bytes);
    let article = std::fs::read_to_string(tmp.path().join("content/articles/news.md")).unwrap();
    assert!(article.contains("title: \"عنوان الخبر هنا في سطر قصير\""), "{article}");
    assert!(article.contains("نجمة \\* وشرطة سفلية \\_."), "{article}");
    assert!(!article.contains("اترك"), "{article}");
    // A second import of the same id is refused without --force.
    let again = milaf().arg("--root").arg(tmp.path()).arg("import").arg(&raw).args(["--id", "news"]).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
}

/// One setting of everything around a build that must not change its bytes.
struct Environment {
    threads: &'static str,
    tz: &'static str,
    lang: &'static str,
    lc_all: &'static str,
    umask: &'static str,
    /// Copy the dossier's files in reverse order (a folder lists its
    /// entries in an order that depends on how they were made).
    reverse: bool,
}

/// Copies the sample's `content/` and `themes/` into `to`, file by file in
/// the order given, and commits them as one fixed author at a fixed time,
/// so that both copies are the same commit.
fn sample_checkout(to: &Path, reverse: bool) {
    let mut entries: Vec<std::path::PathBuf> = Vec::new();
    for folder in ["content", "themes"] {
        for e in walkdir::WalkDir::new(Path::new(env!("CARGO_MANIFEST_DIR")).join(folder)).sort_by_file_name() {
            entries.push(e.unwrap().into_path());
        }
    }
    if reverse {
        entries.reverse();
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for from in entries.iter().filter(|p| p.is_file()) {
        let dest = to.join(from.strip_prefix(root).unwrap());
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(from, &dest).unwrap();
    }
    for args in [&["init", "-q"][..], &["add", "-A"], &["commit", "-q", "-m", "sample"]] {
        let out = Command::new("git")
            .current_dir(to)
            .args(["-c", "commit.gpgsign=false", "-c", "user.name=Editor", "-c", "user.email=e@example.org"])
            .args(args)
            .env("GIT_AUTHOR_DATE", "@1700000000 +0000")
            .env("GIT_COMMITTER_DATE", "@1700000000 +0000")
            .env_remove("GIT_DIR")
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
}

/// The same content gives the same bytes whatever the environment: thread
/// count, time zone, locale, umask, checkout path (and file system) and
/// the order of the folder's entries; for `build`, and for `snapshot` (a
/// bag as one `.tar`, with its modes and times, and a WACZ), every byte.
#[test]
fn output_does_not_depend_on_the_environment() {
    let a = tempfile::tempdir().unwrap();
    // Another file system where there is one (tmpfs lists a folder in
    // another order than the disk), and a longer path with spaces.
    let b = tempfile::tempdir_in("/dev/shm").or_else(|_| tempfile::tempdir()).unwrap();
    let settings = [
        (
            a.path().join("d"),
            Environment { threads: "1", tz: "UTC", lang: "C", lc_all: "C", umask: "022", reverse: false },
        ),
        (
            b.path().join("a longer path/with spaces/dossier"),
            Environment {
                threads: "3",
                tz: "America/St_Johns",
                lang: "ar_EG.UTF-8",
                lc_all: "fr_FR.UTF-8",
                umask: "077",
                reverse: true,
            },
        ),
    ];
    let mut results = Vec::new();
    for (root, env) in &settings {
        sample_checkout(root, env.reverse);
        let run = |args: &[&str]| {
            let out = Command::new("sh")
                .arg("-c")
                .arg(format!("umask {}; exec \"$0\" \"$@\"", env.umask))
                .arg(env!("CARGO_BIN_EXE_milaf"))
                .arg("--root")
                .arg(root)
                .args(args)
                .env("RAYON_NUM_THREADS", env.threads)
                .env("TZ", env.tz)
                .env("LANG", env.lang)
                .env("LC_ALL", env.lc_all)
                .env_remove("SOURCE_DATE_EPOCH")
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        };
        let out = root.join("out");
        run(&["build", "--out", out.to_str().unwrap()]);
        let tar = root.join("snap.tar");
        run(&["snapshot", "--out", tar.to_str().unwrap()]);
        let wacz = root.join("snap.wacz");
        run(&["snapshot", "--format", "wacz", "--out", wacz.to_str().unwrap()]);
        results.push((snapshot(&out), std::fs::read(&tar).unwrap(), std::fs::read(&wacz).unwrap()));
    }
    let (site, tar, wacz) = &results[0];
    assert!(site.len() > 80);
    let json = String::from_utf8_lossy(&site.iter().find(|(p, _)| p == "dossier.json").unwrap().1).into_owned();
    assert!(json.contains("\"time\":\"2023-11-14T22:13:20Z\""), "the build's time is the commit's");
    for (i, (p, bytes)) in site.iter().enumerate() {
        assert_eq!(p, &results[1].0[i].0);
        assert!(bytes == &results[1].0[i].1, "{p} differs between the two environments");
    }
    assert_eq!(site.len(), results[1].0.len());
    assert!(tar == &results[1].1, "the bag's .tar differs between the two environments");
    assert!(wacz == &results[1].2, "the WACZ differs between the two environments");
}

#[test]
fn a_second_build_into_one_folder_fails_fast_and_a_killed_builds_leftovers_are_cleaned() {
    let tmp = tempfile::tempdir().unwrap();
    let root = fixture("anchoring/passages");
    let out_dir = tmp.path().join("site");
    let build = || milaf().arg("--root").arg(&root).arg("build").arg("--out").arg(&out_dir).output().unwrap();
    assert_eq!(build().status.code(), Some(0));
    let before = snapshot(&out_dir);
    // A build in progress: this test's own process holds the lock.
    let lock = tmp.path().join(".site.lock");
    std::fs::write(&lock, std::process::id().to_string()).unwrap();
    let second = build();
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&format!("another milaf build (process {})", std::process::id())), "{stderr}");
    assert_eq!(snapshot(&out_dir), before, "the output is untouched");
    // The holder was killed: its lock and its staging folder are left over.
    std::fs::write(&lock, u32::MAX.to_string()).unwrap();
    let stale = tmp.path().join(".site.staging-4294967295");
    std::fs::create_dir_all(&stale).unwrap();
    std::fs::write(stale.join(milaf::write::MARKER), "").unwrap();
    let third = build();
    assert_eq!(third.status.code(), Some(0), "{}", String::from_utf8_lossy(&third.stderr));
    let left: Vec<String> =
        std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(left, ["site"], "no lock, staging or old folder is left");
}
