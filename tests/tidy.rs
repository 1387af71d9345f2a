//! Repository hygiene that review would otherwise have to remember: every
//! source file opens with a `//!` paragraph saying what it owns, and no
//! stub macros are left in the code.

use std::path::Path;

fn rust_files() -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["src", "tests", "examples"] {
        for e in walkdir::WalkDir::new(root.join(dir)).into_iter().filter_map(Result::ok) {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "rs") && !p.components().any(|c| c.as_os_str() == "fixtures") {
                out.push(p.to_path_buf());
            }
        }
    }
    out
}

#[test]
fn every_rust_file_opens_with_a_doc_paragraph() {
    let missing: Vec<String> = rust_files()
        .into_iter()
        .filter(|p| !std::fs::read_to_string(p).unwrap().starts_with("//!"))
        .map(|p| p.display().to_string())
        .collect();
    assert!(missing.is_empty(), "files without a `//!` opening paragraph: {missing:?}");
}

#[test]
fn no_stubs_in_the_code() {
    let stub = ["todo", "!("].concat();
    let unimpl = ["unimplemented", "!("].concat();
    let found: Vec<String> = rust_files()
        .into_iter()
        .filter(|p| {
            let t = std::fs::read_to_string(p).unwrap();
            t.contains(&stub) || t.contains(&unimpl)
        })
        .map(|p| p.display().to_string())
        .collect();
    assert!(found.is_empty(), "stubs in {found:?}");
}
