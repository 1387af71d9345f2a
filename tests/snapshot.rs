//! `milaf snapshot` and the provenance a build reads from git, with the
//! real binary on temporary git repositories: a bag, a bag's `.tar` and a
//! WACZ check out with `--verify`, and one changed byte is named; `--at`
//! rebuilds an earlier commit byte for byte from the repository's objects
//! while the work tree holds later edits; a note revised in a later commit
//! shows its own date; a build outside git says nothing about commits; a
//! malformed `SOURCE_DATE_EPOCH` is refused.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn milaf() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_milaf"));
    cmd.env_remove("SOURCE_DATE_EPOCH");
    cmd
}

fn ok(out: Output) -> Output {
    assert!(out.status.success(), "exit {:?}\n{}", out.status.code(), String::from_utf8_lossy(&out.stderr));
    out
}

/// Runs git in `dir` as a fixed author at a fixed time (`time`, seconds
/// since 1970), so commits are the same on every machine.
fn git(dir: &Path, time: i64, args: &[&str]) -> String {
    let date = format!("@{time} +0000");
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"])
        .args(args)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env("GIT_AUTHOR_NAME", "Editor")
        .env("GIT_AUTHOR_EMAIL", "editor@example.org")
        .env("GIT_COMMITTER_NAME", "Editor")
        .env("GIT_COMMITTER_EMAIL", "editor@example.org")
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// A git repository holding a copy of a fixture dossier, committed once
/// at `time`.
fn repository(tmp: &Path, fixture: &str, time: i64) -> PathBuf {
    let root = tmp.join("dossier");
    common::copy_tree(&common::repo().join("tests/fixtures").join(fixture), &root);
    git(&root, time, &["init", "-q"]);
    git(&root, time, &["add", "-A"]);
    git(&root, time, &["commit", "-q", "-m", "first"]);
    root
}

fn build(root: &Path, out: &Path) -> Vec<(String, Vec<u8>)> {
    ok(milaf().arg("--root").arg(root).arg("build").arg("--out").arg(out).output().unwrap());
    milaf::load::read_tree(out).unwrap()
}

fn dossier_json(site: &[(String, Vec<u8>)]) -> serde_json::Value {
    serde_json::from_slice(&site.iter().find(|(p, _)| p == "dossier.json").unwrap().1).unwrap()
}

fn append(path: &Path, text: &str) {
    let mut s = std::fs::read_to_string(path).unwrap();
    s.push_str(text);
    std::fs::write(path, s).unwrap();
}

const T1: i64 = 1_700_000_000; // 2023-11-14
const T2: i64 = 1_710_000_000; // 2024-03-09

#[test]
fn snapshot_at_an_earlier_commit_reproduces_its_build_while_the_work_tree_holds_later_edits() {
    let tmp = tempfile::tempdir().unwrap();
    let root = repository(tmp.path(), "anchoring/passages", T1);
    let first = git(&root, T1, &["rev-parse", "HEAD"]);
    let then = build(&root, &tmp.path().join("site-then"));
    assert!(then.iter().any(|(p, _)| p == "articles/shipment/index.html"));
    // Later work: a commit, and edits not committed yet.
    let notes = root.join("content/annotations/shipment.yaml");
    append(&notes, "- id: later\n  quote: \"الدفعة الثانية\"\n  paragraph: 2\n  body: ملاحظة لاحقة.\n");
    git(&root, T2, &["commit", "-q", "-am", "second"]);
    std::fs::write(root.join("content/dossier.yaml"), "title: عنوان لم يودع\nlang: ar\nkinds:\n  - { id: person, label: أشخاص, singular: شخص }\n  - { id: place, label: أماكن, singular: مكان }\n  - { id: equipment, label: عتاد, singular: عتاد }\n").unwrap();
    let work_tree_before = milaf::load::read_tree(&root.join("content")).unwrap();

    let bag = tmp.path().join("bag");
    ok(milaf().arg("--root").arg(&root).args(["snapshot", "--at", &first, "--out"]).arg(&bag).output().unwrap());
    let site: Vec<(String, Vec<u8>)> = milaf::load::read_tree(&bag.join("data/site")).unwrap();
    let then: Vec<(String, Vec<u8>)> = then.into_iter().filter(|(p, _)| p != milaf::write::MARKER).collect();
    assert_eq!(site.len(), then.len());
    for ((p, a), (q, b)) in site.iter().zip(&then) {
        assert_eq!(p, q);
        assert!(a == b, "{p} differs from the build made at the first commit");
    }
    // Its sources are the first commit's, and the work tree is untouched.
    let content = std::fs::read_to_string(bag.join("data/content/annotations/shipment.yaml")).unwrap();
    assert!(!content.contains("id: later"));
    assert_eq!(milaf::load::read_tree(&root.join("content")).unwrap(), work_tree_before);
    let info = std::fs::read_to_string(bag.join("bag-info.txt")).unwrap();
    assert!(info.contains(&format!("External-Identifier: git:{first}\n")), "{info}");
    assert!(info.contains("Bagging-Date: 2023-11-14\n") && info.contains("Source-Work-Tree: clean\n"), "{info}");
    // A revision that is not there is a usage error that says so.
    let bad = milaf()
        .arg("--root")
        .arg(&root)
        .args(["snapshot", "--at", "no-such-tag", "--out"])
        .arg(tmp.path().join("x"))
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("`no-such-tag` is not a commit"));
    assert!(!tmp.path().join("x").exists());
}

#[test]
fn the_footer_and_the_export_name_the_commit_and_a_revised_note_its_own_date() {
    let tmp = tempfile::tempdir().unwrap();
    let root = repository(tmp.path(), "anchoring/passages", T1);
    let notes = root.join("content/annotations/shipment.yaml");
    let text = std::fs::read_to_string(&notes).unwrap();
    std::fs::write(
        &notes,
        text.replace("تتداخل هذه الملاحظة مع السابقة.", "تتداخل هذه الملاحظة مع السابقة، بعد مراجعة."),
    )
    .unwrap();
    git(&root, T2, &["commit", "-q", "-am", "revise one note"]);
    let head = git(&root, T2, &["rev-parse", "HEAD"]);
    let site = build(&root, &tmp.path().join("site"));
    let json = dossier_json(&site);
    assert_eq!(json["provenance"]["commit"]["id"], head.as_str());
    assert_eq!(json["provenance"]["commit"]["dirty"], false);
    assert_eq!(json["provenance"]["time"], "2024-03-09T16:00:00Z");
    let changed: Vec<(&str, &str)> = json["articles"][0]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["id"].as_str().unwrap(), n["changed"].as_str().unwrap()))
        .collect();
    assert_eq!(changed.len(), 7);
    for (id, changed) in &changed {
        let expected = if *id == "forces" { "2024-03-09T16:00:00Z" } else { "2023-11-14T22:13:20Z" };
        assert_eq!(*changed, expected, "note {id}");
    }
    assert_eq!(json["articles"][0]["changed"], "2023-11-14T22:13:20Z");
    let home = String::from_utf8(site.iter().find(|(p, _)| p == "index.html").unwrap().1.clone()).unwrap();
    assert!(home.contains(&format!("<code title=\"{head}\">{}</code>", &head[..12])), "{home}");
    assert!(!home.contains("لم تُودَع"), "a clean work tree is not called dirty");

    // An edit not committed yet: the footer says so, and the note claims no date.
    std::fs::write(&notes, std::fs::read_to_string(&notes).unwrap().replace("ملاحظة متداخلة", "ملاحظة متداخلة جدا"))
        .unwrap();
    let site = build(&root, &tmp.path().join("site"));
    let json = dossier_json(&site);
    assert_eq!(json["provenance"]["commit"]["dirty"], true);
    let second = json["articles"][0]["notes"].as_array().unwrap().iter().find(|n| n["id"] == "second-batch").unwrap();
    assert_eq!(second["changed"], "uncommitted");
    let page =
        String::from_utf8(site.iter().find(|(p, _)| p == "articles/shipment/index.html").unwrap().1.clone()).unwrap();
    assert!(page.contains("مع تعديلات لم تُودَع بعد"), "the footer names the uncommitted changes");
    assert!(page.contains("عُدّلت الملاحظة ولم يُودَع التعديل بعد"));
}

#[test]
fn outside_git_a_build_names_no_commit_and_no_time() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("plain");
    common::copy_tree(&common::repo().join("tests/fixtures/anchoring/passages"), &root);
    // A folder above that is not a repository: git must not find one further up.
    let site = build(&root, &tmp.path().join("site"));
    let json = dossier_json(&site);
    assert!(json["provenance"]["commit"].is_null() && json["provenance"]["time"].is_null(), "{}", json["provenance"]);
    assert!(json["articles"][0]["changed"].is_null());
    let home = String::from_utf8(site.iter().find(|(p, _)| p == "index.html").unwrap().1.clone()).unwrap();
    assert!(!home.contains("class=\"provenance\""));
    // SOURCE_DATE_EPOCH gives the build a time; a malformed one is refused.
    let out = milaf()
        .arg("--root")
        .arg(&root)
        .args(["build", "--out"])
        .arg(tmp.path().join("s2"))
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    ok(out);
    let json = dossier_json(&milaf::load::read_tree(&tmp.path().join("s2")).unwrap());
    assert_eq!(json["provenance"]["time"], "2023-11-14T22:13:20Z");
    let bad = milaf()
        .arg("--root")
        .arg(&root)
        .args(["build", "--out"])
        .arg(tmp.path().join("s3"))
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(stderr.contains("SOURCE_DATE_EPOCH=`yesterday` is not a time") && stderr.contains("help:"), "{stderr}");
    assert!(!tmp.path().join("s3").exists());
}

/// Flips one byte of `rel` inside a package's file.
fn flip_in(path: &Path, needle: &[u8]) {
    let mut bytes = std::fs::read(path).unwrap();
    let at = bytes.windows(needle.len()).position(|w| w == needle).expect("needle") + needle.len();
    bytes[at] ^= 1;
    std::fs::write(path, bytes).unwrap();
}

fn verify(path: &Path) -> (Option<i32>, String) {
    let out = milaf().args(["snapshot", "--verify"]).arg(path).output().unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn verify_accepts_each_package_and_names_the_one_changed_page() {
    let tmp = tempfile::tempdir().unwrap();
    let root = repository(tmp.path(), "anchoring/passages", T1);
    append(&root.join("content/dossier.yaml"), "base_url: https://dossier.example/mali/\norganization: مرصد الأخبار\n");
    git(&root, T2, &["commit", "-q", "-am", "publish"]);
    let page = "articles/shipment/index.html";
    let snapshot = |format: &str, out: &Path| {
        ok(milaf().arg("--root").arg(&root).args(["snapshot", "--format", format, "--out"]).arg(out).output().unwrap())
    };

    let bag = tmp.path().join("bag");
    snapshot("bagit", &bag);
    let info = std::fs::read_to_string(bag.join("bag-info.txt")).unwrap();
    assert!(info.starts_with("Source-Organization: مرصد الأخبار\nBagging-Date: 2024-03-09\nPayload-Oxum: "), "{info}");
    assert!(info.contains("Bag-Software-Agent: milaf "), "{info}");
    let original = std::fs::read(bag.join("data/content/articles/shipment.md")).unwrap();
    assert_eq!(
        original,
        std::fs::read(root.join("content/articles/shipment.md")).unwrap(),
        "sources are copied byte for byte"
    );
    assert_eq!(verify(&bag).0, Some(0));
    // The same bag twice is the same bag.
    let again = tmp.path().join("again");
    snapshot("bagit", &again);
    assert_eq!(milaf::load::read_tree(&bag).unwrap(), milaf::load::read_tree(&again).unwrap());
    // A snapshot never replaces what is there.
    let refused = milaf().arg("--root").arg(&root).args(["snapshot", "--out"]).arg(&bag).output().unwrap();
    assert_eq!(refused.status.code(), Some(2));

    let tar = tmp.path().join("bag.tar");
    snapshot("bagit", &tar);
    let wacz = tmp.path().join("site.wacz");
    snapshot("wacz", &wacz);
    for package in [&tar, &wacz] {
        let (code, stderr) = verify(package);
        assert_eq!(code, Some(0), "{}: {stderr}", package.display());
    }

    flip_in(&bag.join("data/site").join(page), b"<title>");
    let (code, stderr) = verify(&bag);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains(&format!("error: data/site/{page} differs from its SHA-256")), "{stderr}");
    // In the tar, the first page with a title is the 404 page (paths in order).
    flip_in(&tar, b"<title>");
    let (code, stderr) = verify(&tar);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("error: data/site/404.html differs from its SHA-256"), "{stderr}");
    // In the WACZ the page is a WARC record: the record names it.
    let before = std::fs::read(&wacz).unwrap();
    let at = before.windows(page.len()).position(|w| w == page.as_bytes()).unwrap();
    let mut bytes = before.clone();
    let title = at + bytes[at..].windows(7).position(|w| w == b"<title>").unwrap() + 7;
    bytes[title] ^= 1;
    std::fs::write(&wacz, bytes).unwrap();
    let (code, stderr) = verify(&wacz);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("error: {page} (its record in archive/data.warc) differs from its WARC-Block-Digest")),
        "{stderr}"
    );
}

/// `docs/dossier.schema.json` describes the version of the export that a
/// build writes (CI validates the sample's export against it with the
/// `jsonschema` package; this keeps the two versions together), and names
/// every key the export has at its top.
#[test]
fn the_schema_is_the_version_the_export_writes() {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(common::repo().join("docs/dossier.schema.json")).unwrap())
            .unwrap();
    let site = common::build(&common::repo().join("tests/fixtures/anchoring/passages"));
    let json = dossier_json(&site.into_iter().map(|f| (f.path, f.bytes)).collect::<Vec<_>>());
    assert_eq!(schema["properties"]["format"]["const"], json["format"]);
    let version = json["format"].as_str().unwrap().rsplit('/').next().unwrap();
    assert!(schema["$id"].as_str().unwrap().ends_with(&format!(":{version}")), "the schema's $id names its version");
    let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    let required: Vec<&str> = schema["required"].as_array().unwrap().iter().map(|k| k.as_str().unwrap()).collect();
    for k in &keys {
        assert!(required.contains(&k.as_str()), "the schema does not require `{k}`");
    }
    assert_eq!(keys.len(), required.len());
}

/// Format 6 writes no field that holds its default (null, false, an empty
/// list or string), below the top-level keys and `provenance`, which are
/// always written; and the schema gives the default of every field it
/// lets the export leave out, so a reader knows what an absent field means.
#[test]
fn the_export_leaves_out_defaults_and_the_schema_names_them() {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(common::repo().join("docs/dossier.schema.json")).unwrap())
            .unwrap();
    let site = common::build(common::repo());
    let json = dossier_json(&site.into_iter().map(|f| (f.path, f.bytes)).collect::<Vec<_>>());
    fn walk(v: &serde_json::Value, path: &str, fields: &mut usize) {
        match v {
            serde_json::Value::Object(o) => {
                for (k, x) in o {
                    let default = x.is_null()
                        || x == &serde_json::Value::Bool(false)
                        || x.as_array().is_some_and(Vec::is_empty)
                        || x.as_str().is_some_and(str::is_empty)
                        || (k == "kind" && x == "note" && (path.ends_with("notes") || path.ends_with("about")));
                    assert!(!default, "{path}.{k} holds its default {x}");
                    *fields += 1;
                    walk(x, &format!("{path}.{k}"), fields);
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, path, fields)),
            _ => {}
        }
    }
    let mut fields = 0;
    for key in ["articles", "entities", "events", "pages"] {
        walk(&json[key], key, &mut fields);
    }
    assert!(fields > 1000, "{fields}");
    assert!(
        json["articles"].as_array().unwrap().iter().all(|a| a.get("lang").is_none()),
        "the sample is in the dossier's language"
    );
    // Every optional field of the schema's records says what its absence means.
    fn objects<'a>(s: &'a serde_json::Value, out: &mut Vec<&'a serde_json::Value>) {
        match s {
            serde_json::Value::Object(o) => {
                if o.contains_key("properties") {
                    out.push(s);
                }
                o.values().for_each(|x| objects(x, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| objects(x, out)),
            _ => {}
        }
    }
    let defs = &schema["$defs"];
    fn resolve<'a>(defs: &'a serde_json::Value, s: &'a serde_json::Value) -> &'a serde_json::Value {
        s.get("$ref").and_then(|r| r.as_str()).and_then(|r| r.strip_prefix("#/$defs/")).map_or(s, |name| &defs[name])
    }
    let mut records = vec![];
    objects(defs, &mut records);
    let mut optional = 0;
    for r in records {
        let required: Vec<&str> =
            r["required"].as_array().map_or(vec![], |a| a.iter().map(|k| k.as_str().unwrap()).collect());
        for (k, p) in r["properties"].as_object().unwrap() {
            if !required.contains(&k.as_str()) {
                // A default that is not one value (an article's `lang` is the
                // dossier's) is given in words.
                let default = p.get("default").or_else(|| resolve(defs, p).get("default")).is_some()
                    || p["description"].as_str().is_some_and(|d| d.contains("its default"));
                assert!(default, "`{k}` is optional with no default");
                optional += 1;
            }
        }
    }
    assert!(optional > 30, "{optional}");
}

/// The defaults an article's place gives are left out only when they hold:
/// an article in another language than the dossier's names its `lang`,
/// an original not named `<id>.txt` names its `file`; an article with no
/// original keeps its paragraphs' text, so its notes' passages still read
/// back from the export alone.
#[test]
fn an_article_names_its_language_and_original_only_when_they_are_not_the_defaults() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("dossier");
    common::copy_tree(&common::repo().join("tests/fixtures/anchoring/passages"), &root);
    let capture = "A second article\n\nIts first paragraph names nobody.\n\nIts second paragraph neither.\n";
    std::fs::create_dir_all(root.join("content/originals")).unwrap();
    std::fs::write(root.join("content/originals/capture-2.txt"), capture).unwrap();
    std::fs::write(
        root.join("content/articles/second.md"),
        format!(
            "---\ntitle: A second article\nlang: en\noriginal: capture-2.txt\noriginal_sha256: {}\n---\nIts first paragraph names nobody.\n\nIts second paragraph neither.\n",
            milaf::import::sha256_hex(capture.as_bytes())
        ),
    )
    .unwrap();
    let site = common::build(&root);
    let json = dossier_json(&site.into_iter().map(|f| (f.path, f.bytes)).collect::<Vec<_>>());
    let article = |id: &str| json["articles"].as_array().unwrap().iter().find(|a| a["id"] == id).unwrap().clone();
    let second = article("second");
    assert_eq!(second["lang"], "en");
    assert_eq!(second["original"]["file"], "capture-2.txt");
    let paragraphs: Vec<String> = second["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| capture[p[0].as_u64().unwrap() as usize..p[1].as_u64().unwrap() as usize].to_string())
        .collect();
    assert_eq!(paragraphs, ["Its first paragraph names nobody.", "Its second paragraph neither."]);
    let shipment = article("shipment");
    assert!(shipment.get("lang").is_none() && shipment.get("original").is_none(), "{shipment}");
    let texts: Vec<&str> = shipment["paragraphs"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    let notes = shipment["notes"].as_array().unwrap();
    assert!(notes.len() > 3);
    let (dossier, _, _) = milaf::check(&root).unwrap();
    let d = dossier.unwrap();
    let model = d.articles.iter().find(|a| a.id == "shipment").unwrap();
    for (n, m) in notes.iter().zip(model.notes.iter()) {
        let p = n["passage"].as_array().unwrap();
        let (s, e) = (p[1].as_u64().unwrap() as usize, p[2].as_u64().unwrap() as usize);
        let words: String = texts[p[0].as_u64().unwrap() as usize - 1].chars().skip(s).take(e - s).collect();
        assert_eq!(words, model.passage_text(&m.passage), "{}", n["id"]);
    }
}

#[test]
fn a_snapshot_is_never_written_inside_the_folders_it_copies() {
    let tmp = tempfile::tempdir().unwrap();
    let root = repository(tmp.path(), "anchoring/passages", T1);
    let out = milaf().arg("--root").arg(&root).args(["snapshot", "--out", "content/bag"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("inside the dossier's content/"));
    assert!(!root.join("content/bag").exists());
}

#[test]
fn content_errors_write_no_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("broken");
    common::copy_tree(&common::repo().join("tests/fixtures/check/ten-mistakes"), &root);
    let out =
        milaf().arg("--root").arg(&root).args(["snapshot", "--out"]).arg(tmp.path().join("bag")).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--> content/entities/mali.yaml:5:2") && stderr.contains("nothing written"), "{stderr}");
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left, ["broken"], "no bag and no scratch folder is left");
}

/// The per-line history a build reads in one pass over the log agrees
/// with `git blame`, line by line, over commits that insert, replace and
/// remove lines in the middle of an annotation file, and over edits not
/// committed yet.
#[test]
fn the_history_of_each_line_is_the_one_git_blame_gives() {
    let tmp = tempfile::tempdir().unwrap();
    let root = repository(tmp.path(), "anchoring/passages", T1);
    let path = "content/annotations/shipment.yaml";
    let file = root.join(path);
    let edits: [&dyn Fn(&str) -> String; 4] = [
        &|s| s.replace("  kind: note\n", "  kind: note\n  entities: [omar-diarra]\n"),
        &|s| s.replace("يمتد المقتطف", "يمتد هذا المقتطف"),
        &|s| s.replace("  paragraph: 2\n", ""),
        &|s| format!("# ملاحظات المقال\n{s}- id: extra\n  quote: \"الدفعة الثانية\"\n  body: أخرى.\n"),
    ];
    for (i, edit) in edits.iter().enumerate() {
        std::fs::write(&file, edit(&std::fs::read_to_string(&file).unwrap())).unwrap();
        git(&root, T1 + 1000 * (i as i64 + 1), &["commit", "-q", "-am", &format!("edit {i}")]);
    }
    let blame = |root: &Path| {
        let out = Command::new("git").current_dir(root).args(["blame", "--porcelain", "--", path]).output().unwrap();
        milaf::provenance::blame_lines(&String::from_utf8(out.stdout).unwrap())
    };
    let read = milaf::provenance::read(&root, None, None);
    assert_eq!(read.lines[path], blame(&root));
    assert!(read.lines[path].iter().collect::<std::collections::BTreeSet<_>>().len() >= 4, "several commits' lines");
    // Uncommitted edits on top.
    std::fs::write(&file, std::fs::read_to_string(&file).unwrap().replace("أخرى.", "أخرى، معدلة.")).unwrap();
    let read = milaf::provenance::read(&root, None, None);
    assert_eq!(read.lines[path], blame(&root));
    assert!(read.lines[path].contains(&milaf::provenance::Changed::Uncommitted));
}

/// Events share their files too: each gets the date of its own lines, and
/// an entity the date of its file.
#[test]
fn each_event_gets_the_date_of_its_own_record_and_each_entity_of_its_file() {
    let tmp = tempfile::tempdir().unwrap();
    let root = repository(tmp.path(), "anchoring/passages", T1);
    let events = root.join("content/events/all.yaml");
    std::fs::create_dir_all(events.parent().unwrap()).unwrap();
    std::fs::write(
        &events,
        "- id: first\n  date: 2022-03-31\n  title: الأولى\n  body: نص.\n  sources: [{ article: shipment, paragraph: 1 }]\n\
         - id: second\n  date: 2022-04\n  title: الثانية\n  body: نص.\n  sources: [{ article: shipment, paragraph: 3 }]\n",
    )
    .unwrap();
    git(&root, T2, &["add", "-A"]);
    git(&root, T2, &["commit", "-q", "-m", "events"]);
    std::fs::write(
        &events,
        std::fs::read_to_string(&events).unwrap().replace("title: الثانية", "title: الشحنة الثانية"),
    )
    .unwrap();
    git(&root, T2 + 86_400, &["commit", "-q", "-am", "retitle"]);
    let json = dossier_json(&build(&root, &tmp.path().join("site")));
    let changed: Vec<(&str, &str)> = json["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["id"].as_str().unwrap(), e["changed"].as_str().unwrap()))
        .collect();
    assert_eq!(changed, [("first", "2024-03-09T16:00:00Z"), ("second", "2024-03-10T16:00:00Z")]);
    assert_eq!(json["entities"][0]["changed"], "2023-11-14T22:13:20Z");
}
