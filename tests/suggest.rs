//! `milaf suggest` on the sample dossier and on a copy with one more
//! article, as an editor would run it: each of the five kinds of
//! suggestion is found where it should be, with the article's file, line
//! and column and its reason.

mod common;

use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// The new article: `فاجنر` with a ج (twice), a Latin spelling, a colonel
/// the dossier does not know, a date relative to publication and one
/// qualified by «نهاية», and «ضغط مالي» ("financial pressure").
const ARTICLE: &str = "---
title: فاجنر تغادر مالي
published: 2025-06-20
---
أعلنت مجموعة فاجنر الروسية انسحابها من مالي، بعد أن قالت Wagner في بيان إن مهمتها انتهت.

وقال العقيد فاضل كوليبالي إن الانسحاب بدأ في 12 يونيو الماضي، وسط ضغط مالي على الحكومة.

وأكد مصدر أن عناصر فاجنر غادروا قاعدة \"تمبكتو الجوية\" في نهاية عام 2024، ولم تعد كيدال تستقبلهم.
";

fn suggest(root: &Path, args: &[&str]) -> Vec<Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_milaf"))
        .arg("--root")
        .arg(root)
        .arg("suggest")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice::<Vec<Value>>(&out.stdout).unwrap()
}

/// The one suggestion of `kind` about `text`.
fn find<'a>(all: &'a [Value], kind: &str, text: &str) -> &'a Value {
    let found: Vec<&Value> = all.iter().filter(|s| s["kind"] == kind && s["text"] == text).collect();
    assert_eq!(found.len(), 1, "{kind} «{text}» in {}", serde_json::to_string_pretty(all).unwrap());
    found[0]
}

fn place(s: &Value) -> (String, u64, u64) {
    let p = &s["places"][0];
    (p["file"].as_str().unwrap().to_string(), p["line"].as_u64().unwrap(), p["column"].as_u64().unwrap())
}

fn copy_with_article() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_tree(&common::repo().join("content"), &tmp.path().join("content"));
    std::fs::write(tmp.path().join("content/articles/wagner-exit.md"), ARTICLE).unwrap();
    // One entity that is never linked automatically.
    let kidal = tmp.path().join("content/entities/kidal.yaml");
    let text = std::fs::read_to_string(&kidal).unwrap();
    std::fs::write(&kidal, format!("{}\nlink: false\n", text.trim_end())).unwrap();
    // Wagner without its Latin aliases, so that the Latin name in the
    // article is a spelling to propose.
    let wagner = tmp.path().join("content/entities/wagner.yaml");
    let text = std::fs::read_to_string(&wagner).unwrap();
    let without: String = text
        .lines()
        .map(|l| if l.starts_with("aliases:") { "aliases: [فاغنر]" } else { l })
        .collect::<Vec<_>>()
        .join("\n");
    assert_ne!(without.trim_end(), text.trim_end(), "the sample's wagner.yaml has no aliases line");
    std::fs::write(&wagner, without + "\n").unwrap();
    tmp
}

#[test]
fn other_spellings_are_proposed_as_aliases_with_counts() {
    let tmp = copy_with_article();
    let all = suggest(tmp.path(), &["wagner-exit"]);
    let v = find(&all, "variant", "فاجنر");
    assert_eq!(v["entity"], "wagner");
    assert_eq!(v["count"], 2);
    assert_eq!(place(v), ("content/articles/wagner-exit.md".into(), 5, 14));
    let latin = find(&all, "variant", "Wagner");
    assert_eq!(latin["entity"], "wagner");
    assert!(latin["reason"].as_str().unwrap().contains("Latin"), "{latin}");
    // Only the article asked for.
    assert!(all.iter().all(|s| s["places"][0]["file"] == "content/articles/wagner-exit.md"));
}

#[test]
fn names_that_are_no_entity_yet_are_found() {
    let tmp = copy_with_article();
    let all = suggest(tmp.path(), &["content/articles/wagner-exit.md"]);
    let colonel = find(&all, "name", "فاضل كوليبالي");
    assert!(colonel["reason"].as_str().unwrap().contains("title"), "{colonel}");
    assert_eq!(place(colonel), ("content/articles/wagner-exit.md".into(), 7, 13));
    find(&all, "name", "تمبكتو الجوية");
    // A Latin word that spells an existing name is not a new name.
    assert!(!all.iter().any(|s| s["kind"] == "name" && s["text"] == "Wagner"));
}

#[test]
fn names_that_may_be_adjectives_are_listed_for_review() {
    let tmp = copy_with_article();
    let all = suggest(tmp.path(), &["wagner-exit"]);
    let a = find(&all, "ambiguous", "مالي");
    assert!(a["message"].as_str().unwrap().contains("ضغط مالي"), "{a}");
    assert_eq!(place(a), ("content/articles/wagner-exit.md".into(), 7, 71));
    // The sample reviewed its own with mention overrides: none left.
    let sample = suggest(common::repo(), &[]);
    assert!(!sample.iter().any(|s| s["kind"] == "ambiguous"), "{sample:?}");
}

#[test]
fn dates_resolve_against_the_publication_date() {
    let tmp = copy_with_article();
    let all = suggest(tmp.path(), &["wagner-exit"]);
    let june = find(&all, "date", "12 يونيو الماضي");
    assert_eq!(june["date"], "2025-06-12");
    let late = find(&all, "date", "نهاية عام 2024");
    assert_eq!(late["date"], "2024-36");
    assert_eq!(place(late), ("content/articles/wagner-exit.md".into(), 9, 58));
}

#[test]
fn unlinked_names_say_why() {
    let tmp = copy_with_article();
    let all = suggest(tmp.path(), &[]);
    let reason = |text: &str, entity: &str| -> String {
        let s: Vec<&Value> =
            all.iter().filter(|s| s["kind"] == "unlinked" && s["text"] == text && s["entity"] == entity).collect();
        assert!(!s.is_empty(), "unlinked «{text}» of {entity}: {all:?}");
        s[0]["reason"].as_str().unwrap().to_string()
    };
    assert!(reason("كيدال", "kidal").contains("link: false"));
    assert!(reason("المالي", "mali").contains("definite article"));
    assert!(reason("إفريقياً", "africa").contains("not_mentions"));
    // The sample's overrides: «مالي» meaning Algeria, «موسكو» meaning Russia.
    assert!(reason("مالي", "mali").contains("override"));
    assert!(reason("موسكو", "moscow").contains("override"));
}

#[test]
fn the_human_form_names_each_place_and_kind() {
    let tmp = copy_with_article();
    let out = Command::new(env!("CARGO_BIN_EXE_milaf"))
        .arg("--root")
        .arg(tmp.path())
        .args(["suggest", "wagner-exit"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("content/articles/wagner-exit.md:5:14: «فاجنر» may be `wagner`"), "{text}");
    assert!(text.contains("== dates in the text that no event covers (2)"), "{text}");
    let unknown = Command::new(env!("CARGO_BIN_EXE_milaf"))
        .arg("--root")
        .arg(tmp.path())
        .args(["suggest", "no-such-article"])
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(2));
}
