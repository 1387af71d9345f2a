//! Fuzzes ids into output paths: an entity file and an event named by the
//! input. An id outside the grammar is an error; a dossier that builds
//! writes only paths that stay under the output folder.
#![no_main]

use libfuzzer_sys::fuzz_target;
use milaf::load::{Kind, SourceFile, Sources};
use std::sync::OnceLock;

fn templates() -> &'static milaf::render::Templates {
    static T: OnceLock<milaf::render::Templates> = OnceLock::new();
    T.get_or_init(|| milaf::render::Templates::new(None).unwrap())
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (entity, event) = text.split_once('\n').unwrap_or((text, "e"));
    let event_yaml = serde_json_string(event);
    let files = vec![
        SourceFile::text(
            Kind::Config,
            "content/dossier.yaml",
            "title: t\nkinds: [{ id: place, label: l, singular: s }]\n",
        ),
        SourceFile::text(
            Kind::Article,
            "content/articles/a.md",
            "---\ntitle: مقال\n---\nأعلنت مالي تسلم شحنة جديدة.\n",
        ),
        SourceFile {
            kind: Kind::Entity,
            path: format!("content/entities/{entity}.yaml"),
            stem: entity.to_string(),
            text: "name: مالي\nkind: place\n".to_string(),
            original: None,
        },
        SourceFile::text(
            Kind::Events,
            "content/events/e.yaml",
            &format!("- id: {event_yaml}\n  date: 2022\n  title: حدث\n  sources:\n    - article: a\n"),
        ),
    ];
    let mut sources = Sources { files, themes: Default::default() };
    let (dossier, diags) = milaf::compile(&mut sources);
    let errors = diags.iter().any(|d| d.is_error());
    if !milaf::model::is_valid_id(entity) {
        assert!(errors, "invalid entity id {entity:?} accepted");
    }
    let Some(dossier) = dossier.filter(|_| !errors) else { return };
    let sink = milaf::write::Collect::default();
    milaf::render::render_to(&dossier, templates(), &sink).unwrap();
    for f in sink.into_files() {
        assert!(
            !f.path.starts_with('/')
                && !f.path.contains('\\')
                && !f.path.split('/').any(|s| s.is_empty() || s == "." || s == ".."),
            "{}",
            f.path
        );
    }
});

/// `s` as a YAML (JSON-compatible) double-quoted string.
fn serde_json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
