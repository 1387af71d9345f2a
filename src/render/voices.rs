//! The «من يقول ماذا» page: every attributed statement (a `kind: quote`
//! note) grouped by the kind of voice it comes from (official, analyst,
//! media, unnamed source, third-party report; the note's `voice:` or else
//! its speaker's), then by speaker in Arabic alphabetical order, each
//! linking to its passage. Reported speech is shown as the article's
//! account, never in «» as the speaker's words.

use super::{page_view, passage_fragment, url, PageOut};
use crate::model::*;
use serde::Serialize;

const ROOT: &str = "../";

/// The voices in the order the page lists them; statements with no voice
/// come last.
const ORDER: [Option<Voice>; 6] =
    [Some(Voice::Official), Some(Voice::Analyst), Some(Voice::Media), Some(Voice::Unnamed), Some(Voice::Report), None];

#[derive(Serialize)]
struct VoiceGroup {
    /// The voice's id (`official` …, or `none`): the template words it.
    id: &'static str,
    speakers: Vec<SpeakerView>,
}

#[derive(Serialize)]
struct SpeakerView {
    name: String,
    href: String,
    role: Option<String>,
    statements: Vec<StatementView>,
}

#[derive(Serialize)]
struct StatementView {
    text: String,
    reported: bool,
    href: String,
    article: String,
}

pub fn page(d: &Dossier) -> PageOut {
    // (voice, speaker) → statements, in article and note order.
    let mut by: std::collections::BTreeMap<(usize, String, Ix), Vec<StatementView>> = Default::default();
    for a in &d.articles {
        for note in a.notes.iter() {
            let Some(s) = note.speaker else { continue };
            let speaker = &d.entities[s as usize];
            let voice = note.voice.or(speaker.voice);
            let rank = ORDER.iter().position(|v| *v == voice).unwrap_or(ORDER.len());
            by.entry((rank, crate::arabic::sort_key(&speaker.name), s)).or_default().push(StatementView {
                text: a.passage_text(&note.passage).to_string(),
                reported: note.reported,
                href: format!("{}#{}", url::article(ROOT, &a.id), passage_fragment(d, &note.passage)),
                article: a.title.clone(),
            });
        }
    }
    let mut groups: Vec<VoiceGroup> = Vec::new();
    for ((rank, _, s), statements) in by {
        let id = ORDER.get(rank).copied().flatten().map_or("none", Voice::as_str);
        if groups.last().is_none_or(|g| g.id != id) {
            groups.push(VoiceGroup { id, speakers: Vec::new() });
        }
        let e = &d.entities[s as usize];
        if let Some(g) = groups.last_mut() {
            g.speakers.push(SpeakerView {
                name: e.name.clone(),
                href: url::entity(ROOT, &e.id),
                role: e.role.clone(),
                statements,
            });
        }
    }
    (
        "voices/index.html".to_string(),
        "voices.html",
        page_view(d, ROOT, "من يقول ماذا".to_string(), "voices", groups),
        Vec::new(),
    )
}
