//! Publishing is atomic: `milaf build` is killed (SIGKILL, nothing to clean
//! up with) at fifty moments drawn from a fixed seed, and after each kill
//! the output folder holds, byte for byte, either the complete site that
//! was there before or the complete new one, compared against manifests of
//! both taken from uninterrupted builds. The build alternates between two
//! versions of the sample dossier so that every run replaces a site. After
//! the last kill, one uninterrupted build cleans up whatever the killed
//! ones left beside the output.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Every file of a site with its bytes (folders as empty entries).
fn manifest(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
        if e.file_type().is_file() {
            out.insert(rel, std::fs::read(e.path()).unwrap());
        } else {
            out.insert(rel + "/", Vec::new());
        }
    }
    out
}

fn build(root: &Path, out: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_milaf"))
        .arg("--root")
        .arg(root)
        .arg("build")
        .arg("--out")
        .arg(out)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

/// Sets the dossier's title: the two versions differ on every page.
fn set_version(root: &Path, original: &str, version: usize) {
    let text = original.replacen("title: \"", &format!("title: \"(v{version}) "), 1);
    std::fs::write(root.join("content/dossier.yaml"), text).unwrap();
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_old_site_or_the_new_one() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("dossier");
    common::copy_tree(&common::repo().join("content"), &root.join("content"));
    let config = std::fs::read_to_string(root.join("content/dossier.yaml")).unwrap();
    assert!(config.contains("title: \""), "the sample's title is quoted");

    // The two sites, from uninterrupted builds, and how long one takes.
    let mut sites = Vec::new();
    let mut took = Duration::ZERO;
    for version in 0..2 {
        set_version(&root, &config, version);
        let out = tmp.path().join(format!("site-{version}"));
        let start = Instant::now();
        assert!(build(&root, &out).wait().unwrap().success());
        took = took.max(start.elapsed());
        sites.push(manifest(&out));
    }
    assert_ne!(sites[0], sites[1]);

    let out = tmp.path().join("public");
    set_version(&root, &config, 0);
    assert!(build(&root, &out).wait().unwrap().success());
    let mut current = 0;
    let mut rng = milaf::rng::Rng::new(14);
    let (mut kept_old, mut got_new) = (0, 0);
    let span = took.as_micros() as usize * 6 / 5;
    for run in 0..50 {
        let next = 1 - current;
        set_version(&root, &config, next);
        let delay = Duration::from_micros(rng.below(span.max(1)) as u64);
        let mut child = build(&root, &out);
        std::thread::sleep(delay);
        let _ = child.kill();
        child.wait().unwrap();
        let now = manifest(&out);
        if now == sites[current] {
            kept_old += 1;
        } else if now == sites[next] {
            got_new += 1;
            current = next;
        } else {
            let differ: Vec<&String> = now
                .keys()
                .chain(sites[current].keys())
                .filter(|k| now.get(*k) != sites[current].get(*k) && now.get(*k) != sites[next].get(*k))
                .take(5)
                .collect();
            panic!("run {run} (killed after {delay:?}): the output is neither site; differs at {differ:?}");
        }
    }
    eprintln!("50 builds killed: {kept_old} left the old site, {got_new} the new one (a build took {took:?})");
    assert!(kept_old > 0, "no build was killed before it finished: the test proves nothing");

    // The next build takes over the dead builds' lock and removes what
    // they left beside the output.
    set_version(&root, &config, 1 - current);
    assert!(build(&root, &out).wait().unwrap().success());
    assert_eq!(manifest(&out), sites[1 - current]);
    let beside: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect();
    assert!(beside.is_empty(), "left beside the output: {beside:?}");
}
