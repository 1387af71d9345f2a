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
    /// The speaker's entity page; none for a speaker named in words.
    href: Option<String>,
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

pub fn page(d: &Dossier, cat: &crate::i18n::Catalogue) -> PageOut {
    // (voice, speaker's sort key, speaker) → statements, in article and
    // note order. A speaker is an entity, or words (`said_by:`).
    type Key = (usize, String, Result<Ix, String>);
    let mut by: std::collections::BTreeMap<Key, Vec<StatementView>> = Default::default();
    for a in &d.articles {
        for note in a.notes.iter() {
            let (who, name, voice) = match (note.speaker, &note.said_by) {
                (Some(s), _) => {
                    let e = &d.entities[s as usize];
                    (Ok(s), e.name.as_str(), note.voice.or(e.voice))
                }
                (None, Some(words)) => (Err(words.clone()), words.as_str(), note.voice),
                (None, None) => continue,
            };
            let rank = ORDER.iter().position(|v| *v == voice).unwrap_or(ORDER.len());
            by.entry((rank, crate::arabic::sort_key(name), who)).or_default().push(StatementView {
                text: a.passage_text(&note.passage).to_string(),
                reported: note.reported,
                href: format!("{}#{}", url::article(ROOT, &a.id), passage_fragment(d, &note.passage)),
                article: a.title.clone(),
            });
        }
    }
    let mut groups: Vec<VoiceGroup> = Vec::new();
    for ((rank, _, who), statements) in by {
        let id = ORDER.get(rank).copied().flatten().map_or("none", Voice::as_str);
        if groups.last().is_none_or(|g| g.id != id) {
            groups.push(VoiceGroup { id, speakers: Vec::new() });
        }
        let speaker = match who {
            Ok(s) => {
                let e = &d.entities[s as usize];
                SpeakerView {
                    name: e.name.clone(),
                    href: Some(url::entity(ROOT, &e.id)),
                    role: e.role.clone(),
                    statements,
                }
            }
            Err(words) => SpeakerView { name: words, href: None, role: None, statements },
        };
        if let Some(g) = groups.last_mut() {
            g.speakers.push(speaker);
        }
    }
    (
        "voices/index.html".to_string(),
        "voices.html",
        page_view(d, ROOT, cat.t("voices.title").to_string(), "voices", groups),
        Vec::new(),
    )
}
