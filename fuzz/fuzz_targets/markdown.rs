//! Fuzzes an editorial Markdown body (wiki links, citations, links,
//! images, raw HTML) as a note's body, through the whole pipeline and the
//! renderer: nothing may panic, and a page that builds holds no script,
//! event handler or link scheme that content could have put there.
#![no_main]

use libfuzzer_sys::fuzz_target;
use milaf::load::{Kind, SourceFile, Sources};
use std::sync::OnceLock;

fn templates() -> &'static milaf::render::Templates {
    static T: OnceLock<milaf::render::Templates> = OnceLock::new();
    T.get_or_init(|| milaf::render::Templates::new(None).unwrap())
}

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else { return };
    let rich = milaf::rich::parse(body);
    let _ = rich.problems.len();
    // As a note's body, in a YAML block scalar.
    let indented: String = body.lines().map(|l| format!("    {l}\n")).collect();
    let notes = format!("- id: n\n  quote: شحنة جديدة\n  body: |\n{indented}");
    let files = vec![
        SourceFile::text(
            Kind::Config,
            "content/dossier.yaml",
            "title: t\nkinds: [{ id: place, label: l, singular: s }]\n",
        ),
        SourceFile::text(
            Kind::Article,
            "content/articles/a.md",
            "---\ntitle: مقال\n---\nأعلنت مالي تسلم شحنة جديدة من روسيا.\n\nوقال إن الشحنة تضم مروحيتين.\n",
        ),
        SourceFile::text(Kind::Entity, "content/entities/mali.yaml", "name: مالي\nkind: place\n"),
        SourceFile::text(Kind::Annotations, "content/annotations/a.yaml", &notes),
    ];
    let mut sources = Sources { files, themes: Default::default() };
    let (dossier, diags) = milaf::compile(&mut sources);
    if diags.iter().any(|d| d.is_error()) {
        return;
    }
    let Some(dossier) = dossier else { return };
    let sink = milaf::write::Collect::default();
    milaf::render::render_path(&dossier, templates(), "articles/a/index.html").unwrap();
    let _ = milaf::render::render_to(&dossier, templates(), &sink);
    for f in sink.into_files() {
        if !f.path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(&f.bytes);
        let lower = html.to_ascii_lowercase();
        // The theme's own scripts are the only ones, all with a src.
        assert_eq!(lower.matches("<script").count(), lower.matches("<script src=").count(), "{}", f.path);
        assert!(!lower.contains("javascript:") || !lower.contains("href=\"javascript:"), "{}", f.path);
        for attr in [" onerror=", " onload=", " onclick=", " onmouseover=", " onfocus="] {
            assert!(!lower.contains(attr), "{} holds {attr}", f.path);
        }
        assert!(!lower.contains("<iframe") && !lower.contains("<base") && !lower.contains("<object"), "{}", f.path);
    }
});
