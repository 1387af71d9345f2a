//! The resolved dossier: one immutable value that `resolve` and `index`
//! build and `render` only reads. Records live in vectors sorted by id and
//! refer to each other by index (`Ix`), so no later stage handles a raw
//! string id, lookups are O(1), and iteration order — hence output — is
//! deterministic. An editorial Markdown body is a typed tree (`Rich`)
//! whose wiki links and citations point at records the same way.

use crate::config::Config;
use crate::date::Date;
use serde::Serialize;

/// An index into one of the dossier's sorted record vectors.
pub type Ix = u32;

/// Ids are file stems: `[a-z0-9][a-z0-9-]{0,63}`. They become URL path
/// segments, so nothing else may pass (`..`, `/`, spaces, capitals).
pub fn is_valid_id(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 64
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter().all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
}

pub const ID_HELP: &str =
    "ids use lowercase ASCII letters, digits and `-`, start with a letter or digit, and are at most 64 characters";

#[derive(Debug)]
pub struct Dossier {
    pub config: Config,
    pub articles: Vec<Article>,
    pub entities: Vec<Entity>,
    /// Sorted by date (the order documented in `date`), then id.
    pub events: Vec<Event>,
    /// Sorted by `order`, then id.
    pub pages: Vec<Page>,
    pub index: crate::index::Index,
    /// Where the build comes from (git), and when each article and note
    /// last changed.
    pub source: Source,
}

/// The dossier's provenance as `load` read it from git, applied to the
/// records: the commit, the build's time, and the last change of each
/// article's file and each note's lines. Empty without git.
#[derive(Debug, Clone, Default)]
pub struct Source {
    pub commit: Option<crate::provenance::Commit>,
    /// `SOURCE_DATE_EPOCH`, else the last commit of `content/`.
    pub time: Option<i64>,
    /// By article index.
    pub articles: Vec<Option<crate::provenance::Changed>>,
    /// By article index, then by note (as in `Article::notes`).
    pub notes: Vec<Vec<Option<crate::provenance::Changed>>>,
    /// By entity index (its file).
    pub entities: Vec<Option<crate::provenance::Changed>>,
    /// By event index (the lines of its record).
    pub events: Vec<Option<crate::provenance::Changed>>,
}

#[derive(Debug)]
pub struct Article {
    pub id: String,
    pub title: String,
    pub title_editorial: bool,
    pub outlet: Option<String>,
    /// Why the outlet is unknown, or how it was inferred.
    pub outlet_note: Option<String>,
    pub url: Option<String>,
    pub published: Option<Date>,
    pub published_note: Option<String>,
    pub lang: String,
    pub dir: &'static str,
    pub original: Option<Original>,
    /// Shared with the parsed record, which a workspace keeps between
    /// builds: the text is never copied.
    pub blocks: std::sync::Arc<[Block]>,
    /// Notes in reading order of their passages.
    pub notes: std::sync::Arc<[Note]>,
    /// Notes on the whole article (`about: article`), in file order.
    pub about: std::sync::Arc<[AboutNote]>,
    /// Entity mentions, sorted by block then start.
    pub mentions: Vec<Mention>,
    /// The ranges the editors decided with a mention override (block,
    /// start, end), whatever they decided: `suggest` and the adjective
    /// check leave them alone.
    pub overrides: Vec<[u32; 3]>,
}

impl Article {
    /// The paragraph numbered `n` (1-based), if any.
    pub fn paragraph(&self, n: u32) -> Option<&Block> {
        self.blocks.iter().find(|b| b.kind == BlockKind::Paragraph(n))
    }

    pub fn paragraph_count(&self) -> u32 {
        self.blocks.iter().filter(|b| matches!(b.kind, BlockKind::Paragraph(_))).count() as u32
    }

    /// The passage's words as written in the article.
    pub fn passage_text(&self, p: &Passage) -> &str {
        self.paragraph(p.paragraph).and_then(|b| b.text.get(p.start as usize..p.end as usize)).unwrap_or("")
    }
}

#[derive(Debug, Clone)]
pub struct Original {
    pub file: String,
    pub sha256: String,
    pub len: u64,
    /// Where the capture is on disk; `write` copies it into the site.
    pub path: std::path::PathBuf,
    /// The capture's lines, so `dossier.json` can point at a paragraph
    /// written byte for byte in it instead of repeating its text.
    pub lines: Vec<OriginalLine>,
}

/// One line of an original (without its surrounding whitespace): a digest
/// of its bytes and where they are, as byte offsets into the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OriginalLine {
    pub digest: [u8; 16],
    pub start: u32,
    pub end: u32,
}

impl OriginalLine {
    /// The digest two equal texts share: the first 16 bytes of their SHA-256.
    pub fn digest_of(bytes: &[u8]) -> [u8; 16] {
        use sha2::Digest;
        let full = sha2::Sha256::digest(bytes);
        let mut d = [0u8; 16];
        d.copy_from_slice(&full[..16]);
        d
    }

    /// The non-empty lines of `bytes`, each trimmed of ASCII whitespace
    /// (a `\r` before the line break included). A file over 4 GiB has none.
    pub fn lines_of(bytes: &[u8]) -> Vec<OriginalLine> {
        let mut lines = Vec::new();
        if u32::try_from(bytes.len()).is_err() {
            return lines;
        }
        let mut at = 0usize;
        for line in bytes.split(|&b| b == b'\n') {
            let start = at + line.iter().take_while(|b| b.is_ascii_whitespace()).count();
            let end = at + line.len() - line.iter().rev().take_while(|b| b.is_ascii_whitespace()).count();
            if end > start {
                lines.push(OriginalLine {
                    digest: Self::digest_of(&bytes[start..end]),
                    start: start as u32,
                    end: end as u32,
                });
            }
            at += line.len() + 1;
        }
        lines
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A numbered paragraph, ¶1 … with anchor `#p1` ….
    Paragraph(u32),
    Heading(u8),
}

/// One paragraph or heading as plain text plus the inline formatting over
/// it, so anchors, mentions and highlights are ranges on `text`.
#[derive(Debug, Clone)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
    pub styles: Vec<StyleSpan>,
    /// Whether `text` is already in NFC (nearly always), so positions shown
    /// to readers can be counted without normalising.
    pub nfc: bool,
}

impl Block {
    /// A byte range of the text as character offsets in its NFC form, the
    /// positions SPEC §4 shows to readers and tools.
    pub fn nfc_chars(&self, start: u32, end: u32) -> (usize, usize) {
        use unicode_normalization::UnicodeNormalization;
        let count = |s: &str| if self.nfc { s.chars().count() } else { s.nfc().count() };
        let s = self.text.get(..start as usize).map_or(0, count);
        let len = self.text.get(start as usize..end as usize).map_or(0, count);
        (s, s + len)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StyleSpan {
    pub start: u32,
    pub end: u32,
    pub style: Style,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Style {
    Emphasis,
    Strong,
    Code,
    Link(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Mention {
    pub block: u32,
    pub start: u32,
    pub end: u32,
    pub entity: Ix,
}

/// A stretch of one paragraph: byte offsets into that paragraph's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Passage {
    pub article: Ix,
    pub paragraph: u32,
    pub start: u32,
    pub end: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum NoteKind {
    #[default]
    Note,
    Quote,
    Correction,
    Context,
}

impl NoteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NoteKind::Note => "note",
            NoteKind::Quote => "quote",
            NoteKind::Correction => "correction",
            NoteKind::Context => "context",
        }
    }

    /// The catalogue key of the label a reader sees (`note.kind.*`).
    pub fn label_key(self) -> &'static str {
        match self {
            NoteKind::Note => "note.kind.note",
            NoteKind::Quote => "note.kind.quote",
            NoteKind::Correction => "note.kind.correction",
            NoteKind::Context => "note.kind.context",
        }
    }

    /// The catalogue key of the label with the speaker named
    /// (`note.by.*`, whose `{speaker}` takes the name).
    pub fn by_key(self) -> &'static str {
        match self {
            NoteKind::Note => "note.by.note",
            NoteKind::Quote => "note.by.quote",
            NoteKind::Correction => "note.by.correction",
            NoteKind::Context => "note.by.context",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Note {
    pub id: String,
    pub kind: NoteKind,
    pub passage: Passage,
    pub speaker: Option<Ix>,
    /// Who said it, in words, when the speaker has no entity.
    pub said_by: Option<String>,
    /// A quote in the journalist's words (`speech: reported`): the
    /// speaker's meaning, not their words, so never shown in «» as theirs.
    pub reported: bool,
    /// The voice of this statement when it is not the speaker's usual one
    /// (an official quoting a leaked report, say).
    pub voice: Option<Voice>,
    /// Sources outside the texts (`external:`), read by the editors.
    pub external: Vec<External>,
    pub entities: Vec<Ix>,
    pub body: Rich,
    /// The annotation file and the line its record starts on (for when it
    /// last changed).
    pub origin: Origin,
}

/// Where a record of a file of many records starts: its file and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Shared by the records of one file.
    pub file: std::sync::Arc<str>,
    pub line: u32,
}

/// A source outside the dossier's texts that an editor read: what it is,
/// where, and when it was read. Shown marked «من خارج النصوص».
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct External {
    pub title: String,
    pub publisher: String,
    pub url: String,
    /// When the source was published, if it says.
    pub published: Option<Date>,
    /// When the editor read it.
    pub consulted: Date,
    /// What the editors took from it, in a sentence (optional).
    pub note: Option<String>,
}

/// The kind of voice a statement comes from, for the «من يقول ماذا» page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Voice {
    /// A government, an army, an embassy, an official speaking as such.
    Official,
    /// An analyst or expert.
    Analyst,
    /// A newspaper, a channel, a news agency.
    Media,
    /// A source the article does not name («مصادر»، «خبراء»).
    Unnamed,
    /// A report by a third party (an NGO, a research group).
    Report,
}

impl Voice {
    pub fn as_str(self) -> &'static str {
        match self {
            Voice::Official => "official",
            Voice::Analyst => "analyst",
            Voice::Media => "media",
            Voice::Unnamed => "unnamed",
            Voice::Report => "report",
        }
    }
}

/// A note on a whole article: its source, its section, its credit line,
/// how far it can be relied on. Shown at the head of the article.
#[derive(Debug, Clone)]
pub struct AboutNote {
    pub id: String,
    pub kind: NoteKind,
    pub body: Rich,
    /// Sources outside the texts the note rests on.
    pub external: Vec<External>,
}

impl Note {
    /// The catalogue key of the label a reader sees: a reported quote is
    /// not a statement in the speaker's words.
    pub fn label_key(&self) -> &'static str {
        if self.reported {
            "note.kind.reported"
        } else {
            self.kind.label_key()
        }
    }

    /// The catalogue key of the label with the speaker named.
    pub fn by_key(&self) -> &'static str {
        if self.reported {
            "note.by.reported"
        } else {
            self.kind.by_key()
        }
    }
}

/// Editorial Markdown parsed once (`rich::parse`) into typed nodes, and
/// each wiki link and citation of it resolved: what `render` walks (the
/// tree, taking the resolved references in reading order).
#[derive(Debug, Clone, Default)]
pub struct Rich {
    /// The body's tree as parsed, shared with the parsed record.
    pub blocks: std::sync::Arc<[crate::rich::Block<crate::rich::RawRef>]>,
    /// Each reference of the tree, in reading order, resolved (`None`: it
    /// did not resolve, and an error says so; such a dossier is never
    /// rendered).
    pub refs: Vec<Option<Ref>>,
    /// The body as the editor wrote it; the spans of the tree's references
    /// point into it. `dossier.json` reads it (to give the Markdown back),
    /// and a reference that did not resolve shows as its text. Shared with
    /// the tree, whose text is ranges of it (`rich::Text`).
    pub source: std::sync::Arc<str>,
}

impl Rich {
    /// Every resolved reference, in reading order.
    pub fn resolved(&self) -> impl Iterator<Item = &Ref> {
        self.refs.iter().flatten()
    }

    /// The text a reference of the tree is written as.
    pub fn token(&self, span: &crate::rich::Span) -> &str {
        self.source.get(span.clone()).unwrap_or("")
    }
}

/// What a wiki link or citation resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ref {
    Link { target: Target, text: Option<String> },
    Cite(Citation),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Entity(Ix),
    Article(Ix),
    Paragraph(Ix, u32),
    Page(Ix),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Citation {
    pub article: Ix,
    pub at: CiteAt,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CiteAt {
    Article,
    Paragraph(u32),
    Passage(Passage),
}

#[derive(Debug)]
pub struct Entity {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub role: Option<String>,
    pub aliases: Vec<String>,
    pub description: Rich,
    pub relations: Vec<Relation>,
    pub link: bool,
    /// What kind of voice the entity's statements are, when it speaks.
    pub voice: Option<Voice>,
    /// Phrases that hold a name but are not a mention of this entity.
    pub not_mentions: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Relation {
    pub to: Ix,
    pub label: String,
    /// The label as read from `to`'s page (`inverse:`): «عضو في» one way,
    /// «من أعضائه» the other. Without it, `to`'s page quotes `label` in a
    /// whole sentence, and `check` warns.
    pub inverse: Option<String>,
}

#[derive(Debug)]
pub struct Event {
    pub id: String,
    pub date: Date,
    /// The date in the source's words («نهاية عام 2023»), when given.
    pub date_text: Option<String>,
    pub title: String,
    pub body: Rich,
    pub entities: Vec<Ix>,
    pub sources: Vec<Citation>,
    /// Sources outside the texts (`external:`), read by the editors.
    pub external: Vec<External>,
    /// The event file and the line its record starts on.
    pub origin: Origin,
}

#[derive(Debug)]
pub struct Page {
    pub id: String,
    pub title: String,
    pub order: i64,
    /// The page ends with the list of every outside source.
    pub external_sources: bool,
    pub body: Rich,
}
