//! Bad input never panics and never reaches a page unescaped. The sample
//! dossier is mutated thousands of ways in memory (cut, duplicated and
//! spliced bytes, YAML and Markdown syntax dropped in at random), and each
//! mutant goes through parse, resolve, index and render; specific hostile
//! cases check what a reader would otherwise see (raw HTML, characters
//! that once stood for a link).

mod common;

use milaf::load::{Kind, SourceFile, Sources};
use milaf::rng::Rng;

const SNIPPETS: &[&str] = &[
    "\n",
    ": ",
    "- ",
    "---\n",
    "\"",
    "'",
    "[[",
    "]]",
    "[@",
    "]",
    "#p",
    "#p0",
    "#p99999",
    "{",
    "}",
    "[",
    "|",
    "*",
    "_",
    "`",
    "```",
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "\u{202E}",
    "\u{2067}",
    "\u{0640}",
    "\u{064B}",
    "ً",
    "\t",
    "\u{FEFF}",
    "\u{E000}0\u{E001}",
    "  ",
    "~",
    "?",
    "%",
    "/",
    "2024-13-40",
    "..",
    "../",
    "&amp;",
    "\\",
    "\r\n",
    "ﷺ",
    "id: x\n",
    "quote: \"\"\n",
    "paragraph: -1\n",
    "speaker: mali\n",
    "kind: quote\n",
];

fn sample_sources() -> Sources {
    let (sources, diags) = milaf::load::load(common::repo()).unwrap();
    assert!(diags.is_empty());
    sources
}

/// Cuts `text` at a char boundary at or before `i`.
fn floor(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut t = text.to_string();
    for _ in 0..1 + rng.below(3) {
        let a = floor(&t, rng.below(t.len() + 1));
        let b = floor(&t, a + rng.below(40));
        match rng.below(4) {
            0 => t.replace_range(a..b, ""),
            1 => t.insert_str(a, SNIPPETS[rng.below(SNIPPETS.len())]),
            2 => {
                let piece = t[a..b].to_string();
                t.insert_str(floor(&t, rng.below(t.len() + 1)), &piece);
            }
            _ => t.truncate(a),
        }
    }
    t
}

#[test]
fn mutated_dossiers_never_panic() {
    let base = sample_sources();
    let editable: Vec<usize> = (0..base.files.len()).filter(|&i| base.files[i].kind != Kind::Original).collect();
    let mut rng = Rng::new(7);
    let mut with_errors = 0;
    let runs = 200;
    for run in 0..runs {
        let mut files: Vec<SourceFile> = base.files.clone();
        for _ in 0..1 + rng.below(3) {
            let i = editable[rng.below(editable.len())];
            files[i].text = mutate(&files[i].text, &mut rng);
        }
        let mut sources = Sources { files, themes: Default::default() };
        let (dossier, diags) = milaf::compile(&mut sources);
        // Every diagnostic points into its file.
        for d in &diags {
            if let Some(loc) = &d.location {
                assert!(!loc.file.is_empty(), "run {run}: {d:?}");
            }
        }
        if diags.iter().any(|d| d.is_error()) {
            with_errors += 1;
            continue;
        }
        if let Some(d) = dossier {
            let files = milaf::write::in_memory(&d, None).unwrap();
            for f in files.iter().filter(|f| f.path.ends_with(".html")) {
                let html = String::from_utf8_lossy(&f.bytes);
                assert!(!html.contains("<script>alert"), "run {run}: {} lets a script through", f.path);
                assert!(!html.contains("href=\"javascript:"), "run {run}: {}", f.path);
            }
        }
    }
    // The mutations must actually break things most of the time, or the
    // test proves little.
    assert!(with_errors > runs / 3, "only {with_errors} of {runs} mutants had errors");
}

#[test]
fn hostile_text_is_shown_as_text() {
    let mut sources = sample_sources();
    let notes = sources.files.iter_mut().find(|f| f.path.ends_with("annotations/mali-second-shipment.yaml")).unwrap();
    notes.text.push_str(
        "- id: hostile\n  quote: \"وباماكو\"\n  prefix: \"بين موسكو \"\n  body: |\n    <script>alert(1)</script> <img src=x onerror=alert(1)> \u{2067}abc\u{2069} \"quoted\" & more\n",
    );
    let (dossier, diags) = milaf::compile(&mut sources);
    assert!(!diags.iter().any(|d| d.is_error()), "{}", milaf::diag::render_human(&diags));
    let files = milaf::write::in_memory(&dossier.unwrap(), None).unwrap();
    let page = files.iter().find(|f| f.path == "articles/mali-second-shipment/index.html").unwrap();
    let html = String::from_utf8_lossy(&page.bytes);
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(!html.contains("<script>alert"));
    assert!(!html.contains("<img src=x"));
}

#[test]
fn placeholders_in_content_cannot_forge_links() {
    // Markdown bodies are parsed into typed nodes: the private-use
    // characters that once stood for a link in a body are text like any
    // other, kept as read and shown as written.
    assert_eq!(milaf::load::decode("نص \u{E000}0\u{E001} نص".as_bytes()).unwrap(), "نص \u{E000}0\u{E001} نص");
    let mut sources = sample_sources();
    let notes = sources.files.iter_mut().find(|f| f.path.ends_with("annotations/mali-second-shipment.yaml")).unwrap();
    notes.text.push_str(
        "- id: forged\n  quote: \"وباماكو\"\n  prefix: \"بين موسكو \"\n  body: \"قبل \u{E000}0\u{E001} [[mali]] \u{E000}1\u{E001} بعد\"\n",
    );
    let (dossier, diags) = milaf::compile(&mut sources);
    assert!(!diags.iter().any(|d| d.is_error()), "{}", milaf::diag::render_human(&diags));
    let files = milaf::write::in_memory(&dossier.unwrap(), None).unwrap();
    let page = files.iter().find(|f| f.path == "articles/mali-second-shipment/index.html").unwrap();
    let html = String::from_utf8_lossy(&page.bytes);
    let start =
        html.find("قبل \u{E000}0\u{E001} <a href=").expect("the characters are shown as text before the one link");
    let note = &html[start..start + html[start..].find("بعد").unwrap()];
    assert_eq!(note.matches("<a ").count(), 1, "{note}");
    assert!(note.contains("</a> \u{E000}1\u{E001} "), "{note}");
}

#[test]
fn bom_and_crlf_are_accepted() {
    let mut sources = sample_sources();
    for f in sources.files.iter_mut().filter(|f| f.kind == Kind::Entity) {
        let crlf = format!("\u{FEFF}{}", f.text.replace('\n', "\r\n"));
        f.text = milaf::load::decode(crlf.as_bytes()).unwrap();
    }
    let (_, diags) = milaf::compile(&mut sources);
    assert!(diags.is_empty(), "{}", milaf::diag::render_human(&diags));
}

#[test]
fn an_original_in_another_encoding_is_kept_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    for e in walkdir::WalkDir::new(common::repo().join("content")) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(common::repo()).unwrap();
        if e.file_type().is_dir() {
            std::fs::create_dir_all(tmp.path().join(rel)).unwrap();
        } else {
            std::fs::copy(e.path(), tmp.path().join(rel)).unwrap();
        }
    }
    // «السوريه» in Windows-1256: not UTF-8, and an original may be anything.
    let capture: &[u8] = b"\xc7\xe1\xd3\xe6\xd1\xed\xc9\r\n";
    std::fs::write(tmp.path().join("content/originals/mali-second-shipment.txt"), capture).unwrap();
    let article_path = tmp.path().join("content/articles/mali-second-shipment.md");
    let mut article = std::fs::read_to_string(&article_path).unwrap();
    let start = article.find("original_sha256: ").unwrap() + "original_sha256: ".len();
    article.replace_range(start..start + 64, &milaf::import::sha256_hex(capture));
    std::fs::write(&article_path, article).unwrap();
    let files = common::build(tmp.path());
    let copy = files.iter().find(|f| f.path == "articles/mali-second-shipment/original.txt").unwrap();
    assert_eq!(copy.bytes, capture);
}

#[test]
fn a_huge_file_is_refused_by_name_and_the_rest_still_loads() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    std::fs::create_dir_all(content.join("articles")).unwrap();
    std::fs::write(content.join("dossier.yaml"), "title: t\nkinds: [{ id: place, label: l, singular: s }]\n").unwrap();
    std::fs::write(content.join("articles/small.md"), "---\ntitle: صغير\n---\nنص.\n").unwrap();
    let limit = milaf::load::MAX_FILE_BYTES as usize;
    let huge = format!("---\ntitle: كبير\n---\n{}\n", "نص طويل جدا. ".repeat(limit / 20));
    assert!(huge.len() > limit);
    std::fs::write(content.join("articles/huge.md"), &huge).unwrap();
    let (sources, diags) = milaf::load::load(tmp.path()).unwrap();
    assert_eq!(diags.len(), 1, "{diags:?}");
    let d = &diags[0];
    assert!(d.is_error() && d.message.contains("content files are limited to 8 MiB"), "{d:?}");
    assert_eq!(d.location.as_ref().map(|l| l.file.as_str()), Some("content/articles/huge.md"));
    assert!(sources.files.iter().any(|f| f.path == "content/articles/small.md"));
    assert!(!sources.files.iter().any(|f| f.path == "content/articles/huge.md"));
}

#[test]
fn a_nul_byte_or_other_control_character_is_an_error_at_its_place() {
    for (text, line, column) in
        [("---\ntitle: ت\n---\nnul\u{0}byte\n", 4, 4), ("---\ntitle: ت\n---\nأ\n\nبـ\u{1b}[31m\n", 6, 3)]
    {
        let tmp = tempfile::tempdir().unwrap();
        let content = tmp.path().join("content");
        std::fs::create_dir_all(content.join("articles")).unwrap();
        std::fs::write(content.join("dossier.yaml"), "title: t\nkinds: [{ id: place, label: l, singular: s }]\n")
            .unwrap();
        std::fs::write(content.join("articles/a.md"), text).unwrap();
        let (dossier, diags, _) = milaf::check(tmp.path()).unwrap();
        assert!(dossier.is_none(), "{text:?} builds");
        let d = diags.iter().find(|d| d.message.contains("control character")).expect("a diagnostic");
        let at = d.location.as_ref().unwrap();
        assert_eq!((at.file.as_str(), at.line, at.column), ("content/articles/a.md", line, column), "{text:?}");
    }
}
