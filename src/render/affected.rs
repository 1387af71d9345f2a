//! Which pages of the site a change of content files can alter, derived
//! from the index of the dossier before and after the change.
//!
//! An edited annotation file (the editor's most frequent change) alters its
//! article's page, the pages of the entities its notes quote or tag (and,
//! when a mention override changed, of every entity the article names), the
//! pages of the articles its notes cite (their "what rests on this
//! paragraph" lists), and the dossier-wide lists and exports (note counts,
//! the search index, `dossier.json`). An edited article alters, besides its
//! page and the lists, the pages of every entity it mentions (mentions in
//! context, co-mention counts) or that its notes quote or tag, and of
//! everything that cites it (entities, events and so the timeline, pages,
//! other articles' notes and the entities those notes quote or tag). Any
//! other change (an entity, an event, a page, the configuration, the
//! theme), and an article's new title, date or outlet, may rename or move
//! what many pages show: every page. A change to an entity's number of
//! mentions in the dossier alters its preview card, one script beside its
//! page that every link to it loads. Both the
//! dossier before and the one after are read, so that what a change
//! removed is counted as well as what it added.

use crate::index::Citer;
use crate::model::*;
use std::collections::BTreeSet;

/// The pages a change may alter.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Affected {
    /// Every page.
    pub all: bool,
    /// The dossier-wide pages and files: the home page, the article and
    /// entity indexes, the search page and index, `dossier.json`, the feed
    /// and the sitemap.
    pub lists: bool,
    pub timeline: bool,
    /// Pages of these articles, entities and free pages, by id.
    pub articles: BTreeSet<String>,
    pub entities: BTreeSet<String>,
    pub pages: BTreeSet<String>,
}

/// A changed content file, by what it holds.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangedFile {
    /// `content/annotations/<article>.yaml`.
    Notes(String),
    /// `content/articles/<article>.md`.
    Article(String),
    /// Anything else: an entity, an event file, a page, an original, the
    /// configuration, a theme file, a folder.
    Other,
}

impl ChangedFile {
    /// What a changed path (relative to the dossier's root) holds.
    pub fn of(path: &str) -> ChangedFile {
        let stem = |p: &str, ext: &str| p.strip_suffix(ext).filter(|s| !s.contains('/')).map(str::to_string);
        if let Some(id) = path.strip_prefix("content/annotations/").and_then(|p| stem(p, ".yaml")) {
            return ChangedFile::Notes(id);
        }
        if let Some(id) = path.strip_prefix("content/articles/").and_then(|p| stem(p, ".md")) {
            return ChangedFile::Article(id);
        }
        ChangedFile::Other
    }
}

impl Affected {
    /// Every page.
    pub fn everything() -> Affected {
        Affected { all: true, ..Affected::default() }
    }

    /// What `changed` may alter, from the dossier before (if there was one)
    /// and after the change.
    pub fn of(before: Option<&Dossier>, after: &Dossier, changed: &[ChangedFile]) -> Affected {
        let Some(before) = before else { return Affected::everything() };
        let mut out = Affected { lists: !changed.is_empty(), ..Affected::default() };
        for change in changed {
            match change {
                ChangedFile::Other => return Affected::everything(),
                ChangedFile::Notes(id) => {
                    for d in [before, after] {
                        out.notes_of(d, id);
                    }
                    // A mention override moved a name: every entity the
                    // article mentions (counts, context, co-mentions).
                    let mentions = |d: &Dossier| article_ix(d, id).map(|a| d.articles[a].mentions.clone());
                    if mentions(before) != mentions(after) {
                        for d in [before, after] {
                            out.mentioned_in(d, id);
                        }
                    }
                }
                ChangedFile::Article(id) => {
                    // A new or removed article, or a new title, date or
                    // outlet, shows wherever the article is named.
                    let front = |d: &Dossier| {
                        article_ix(d, id).map(|a| {
                            let a = &d.articles[a];
                            (
                                a.title.clone(),
                                a.title_editorial,
                                a.outlet.clone(),
                                a.url.clone(),
                                a.published,
                                a.lang.clone(),
                            )
                        })
                    };
                    match (front(before), front(after)) {
                        (Some(x), Some(y)) if x == y => {}
                        _ => return Affected::everything(),
                    }
                    for d in [before, after] {
                        out.article(d, id);
                    }
                }
            }
        }
        out.totals_changed(before, after);
        out
    }

    /// Whether the page at `path` (site-relative) may have changed.
    pub fn contains(&self, path: &str) -> bool {
        if self.all {
            return true;
        }
        let mut parts = path.splitn(3, '/');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("index.html" | "dossier.json" | "feed.xml" | "sitemap.xml"), None, None) => self.lists,
            (Some("search"), Some(_), _) => self.lists,
            (Some("articles"), Some(_), None) | (Some("entities"), Some("index.html"), None) => self.lists,
            (Some("articles"), Some(id), Some(_)) => self.articles.contains(id),
            (Some("entities"), Some(id), Some(_)) => self.entities.contains(id),
            (Some("pages"), Some(id), Some(_)) => self.pages.contains(id),
            (Some("timeline"), _, _) => self.timeline,
            // Statements by speaker: any note may be one.
            (Some("voices"), Some(_), None) => self.lists,
            _ => false,
        }
    }

    /// An article's notes changed: its page, the entities they quote or
    /// tag, the articles they cite.
    fn notes_of(&mut self, d: &Dossier, id: &str) {
        let Some(a) = article_ix(d, id) else { return };
        self.articles.insert(id.to_string());
        // The page that lists the outside sources of every note.
        for p in d.pages.iter().filter(|p| p.external_sources) {
            self.pages.insert(p.id.clone());
        }
        for note in d.articles[a].notes.iter() {
            self.note(d, note);
        }
        for note in d.articles[a].about.iter() {
            for r in note.body.resolved() {
                if let Ref::Cite(c) = r {
                    self.articles.insert(d.articles[c.article as usize].id.clone());
                }
            }
        }
    }

    /// The pages that show a note: the entities it quotes or tags, and
    /// the articles its body cites.
    fn note(&mut self, d: &Dossier, note: &Note) {
        for e in note.speaker.iter().chain(&note.entities) {
            self.entities.insert(d.entities[*e as usize].id.clone());
        }
        for r in note.body.resolved() {
            if let Ref::Cite(c) = r {
                self.articles.insert(d.articles[c.article as usize].id.clone());
            }
        }
    }

    /// Entities whose number of mentions in the whole dossier changed: it
    /// shows on their preview cards, which every link to them loads from
    /// the one script beside their page (`entities/<id>/card.js`), so only
    /// the entity's own files change.
    fn totals_changed(&mut self, before: &Dossier, after: &Dossier) {
        fn totals(d: &Dossier) -> std::collections::BTreeMap<&str, usize> {
            d.entities.iter().zip(&d.index.mentions).map(|(e, m)| (e.id.as_str(), m.len())).collect()
        }
        let (old, new) = (totals(before), totals(after));
        for (id, n) in &new {
            if old.get(id) != Some(n) {
                self.entities.insert(id.to_string());
            }
        }
    }

    /// The entities an article mentions.
    fn mentioned_in(&mut self, d: &Dossier, id: &str) {
        let Some(a) = article_ix(d, id) else { return };
        for &(e, _) in &d.index.article_entities[a] {
            self.entities.insert(d.entities[e as usize].id.clone());
        }
    }

    /// An article's text or front matter changed: everything that shows
    /// its words, its title or its mentions.
    fn article(&mut self, d: &Dossier, id: &str) {
        let Some(a) = article_ix(d, id) else { return };
        self.notes_of(d, id);
        self.mentioned_in(d, id);
        if !d.index.article_events[a].is_empty() {
            self.timeline = true;
        }
        for v in &d.index.article_events[a] {
            for &e in &d.events[*v as usize].entities {
                self.entities.insert(d.entities[e as usize].id.clone());
            }
        }
        let citers = d.index.citers.range((a as Ix, 0)..=(a as Ix, u32::MAX)).flat_map(|(_, set)| set);
        for &(_, citer) in citers {
            match citer {
                Citer::Note(b, n) => {
                    self.articles.insert(d.articles[b as usize].id.clone());
                    let note = &d.articles[b as usize].notes[n as usize];
                    for e in note.speaker.iter().chain(&note.entities) {
                        self.entities.insert(d.entities[*e as usize].id.clone());
                    }
                }
                Citer::About(b, _) => {
                    self.articles.insert(d.articles[b as usize].id.clone());
                }
                Citer::Entity(e) => {
                    self.entities.insert(d.entities[e as usize].id.clone());
                }
                Citer::Event(v) => {
                    self.timeline = true;
                    for &e in &d.events[v as usize].entities {
                        self.entities.insert(d.entities[e as usize].id.clone());
                    }
                }
                Citer::Page(p) => {
                    self.pages.insert(d.pages[p as usize].id.clone());
                }
            }
        }
    }
}

fn article_ix(d: &Dossier, id: &str) -> Option<usize> {
    d.articles.binary_search_by(|a| a.id.as_str().cmp(id)).ok()
}
