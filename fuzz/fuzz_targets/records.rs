//! Fuzzes the YAML of every record file (front matter, entities,
//! annotations, events, dossier.yaml) through parse, resolve and index:
//! the first byte picks which file of a small valid dossier the rest
//! replaces. Nothing may panic, and every diagnostic names its file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use milaf::load::{Kind, SourceFile, Sources};

const FILES: &[(Kind, &str, &str)] = &[
    (Kind::Config, "content/dossier.yaml", "title: t\nkinds: [{ id: place, label: l, singular: s }]\n"),
    (Kind::Article, "content/articles/a.md", "---\ntitle: مقال\npublished: 2022-04\n---\nأعلنت مالي تسلم شحنة جديدة من روسيا.\n\nوقال إن الشحنة تضم مروحيتين.\n"),
    (Kind::Entity, "content/entities/mali.yaml", "name: مالي\nkind: place\naliases: [باماكو]\n"),
    (Kind::Annotations, "content/annotations/a.yaml", "- id: n\n  quote: شحنة جديدة\n  body: نص [[mali]] [@a#p2].\n"),
    (Kind::Events, "content/events/e.yaml", "- id: e\n  date: 2022-04~\n  title: حدث\n  sources:\n    - article: a\n      quote: تضم مروحيتين\n"),
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let Ok(text) = milaf::load::decode(rest) else { return };
    let target = pick as usize % FILES.len();
    let files = FILES
        .iter()
        .enumerate()
        .map(|(i, (kind, path, base))| SourceFile::text(*kind, path, if i == target { &text } else { base }))
        .collect();
    let mut sources = Sources { files, themes: Default::default() };
    let (_, diags) = milaf::compile(&mut sources);
    for d in &diags {
        assert!(d.location.as_ref().is_some_and(|l| l.file.starts_with("content/")), "{d:?}");
    }
});
