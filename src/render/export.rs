//! Machine-readable outputs: `dossier.json` (the whole resolved dossier for
//! reuse by archivists and other tools), `sitemap.xml` and `feed.xml`.
//! Positions in the export count Unicode scalar values of the NFC
//! paragraph text, as SPEC §4 asks, so they do not depend on how a file
//! happened to be encoded. An editorial body is exported as the Markdown
//! its editor wrote, each wiki link and citation in it written back in
//! canonical form at the place its parsed tree gives. The shape of
//! `dossier.json` is the JSON Schema `docs/dossier.schema.json`, whose
//! version is the export's `format`: change both together. The export
//! holds nothing twice: a field holding its default is left out (the
//! schema names each default), the numerous small records (mentions, note
//! passages, citations) are arrays, and no record repeats the words its
//! offsets point at in a paragraph, which the export gives or points at in
//! the original shipped next to it.

use super::{escape, OutputFile};
use crate::model::*;
use serde::Serialize;

/// The export's format and the version of its schema.
pub const FORMAT: &str = "milaf-dossier/6";

#[derive(Serialize)]
struct Export<'a, A, E, V, P> {
    format: &'static str,
    title: &'a str,
    description: &'a str,
    lang: &'a str,
    provenance: ProvenanceOut,
    /// Each an [`Each`] list.
    articles: A,
    entities: E,
    events: V,
    pages: P,
}

/// A list written item by item as each is made, so that the export of a
/// large dossier never holds all its records' views at once (a third of
/// a gigabyte at 100,000 articles): `F` makes the items afresh.
struct Each<F>(F);

impl<F, I, T> Serialize for Each<F>
where
    F: Fn() -> I,
    I: Iterator<Item = T>,
    T: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq((self.0)())
    }
}

#[derive(Serialize)]
struct PageOut<'a> {
    id: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    body: String,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    citations: Vec<CitationOut<'a>>,
}

/// Where the build comes from: `commit` is `null` outside git, `time`
/// (`SOURCE_DATE_EPOCH`, else the last commit of `content/`) `null`
/// without either.
#[derive(Serialize)]
struct ProvenanceOut {
    commit: Option<CommitOut>,
    time: Option<String>,
}

#[derive(Serialize)]
struct CommitOut {
    id: String,
    time: String,
    dirty: bool,
}

/// When a record last changed: a commit's time, `"uncommitted"`, or
/// `null` when git does not know.
fn changed(c: Option<crate::provenance::Changed>) -> Option<String> {
    Some(match c? {
        crate::provenance::Changed::At(t) => crate::provenance::iso8601(t),
        crate::provenance::Changed::Uncommitted => "uncommitted".to_string(),
    })
}

/// An article. From format 6 on, in every record of the export, a field
/// whose value is its default (null, false, an empty list or string, a
/// note's kind `note`, the dossier's language, an original named
/// `<id>.txt`) is left out; the schema gives each default.
#[derive(Serialize)]
struct ArticleOut<'a> {
    id: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "is_false")]
    title_editorial: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    outlet: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    outlet_note: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    published_note: Option<&'a str>,
    /// Left out when it is the dossier's.
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    original: Option<OriginalOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    changed: Option<String>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    paragraphs: Vec<ParagraphOut<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    mentions: Vec<MentionOut<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    notes: Vec<NoteOut<'a>>,
    /// Notes on the whole article (`about: article`).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    about: Vec<AboutOut<'a>>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_note(k: &NoteKind) -> bool {
    *k == NoteKind::Note
}

#[derive(Serialize)]
struct AboutOut<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "is_note")]
    kind: NoteKind,
    #[serde(skip_serializing_if = "str::is_empty")]
    body: String,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    citations: Vec<CitationOut<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    external: Vec<ExternalOut<'a>>,
}

/// A paragraph: its text, or, when the original holds it byte for byte as
/// one line, the `[start, end)` byte offsets of that line in the original
/// (which the site ships in `articles/<id>/original.txt`, its SHA-256 given).
#[derive(Serialize)]
#[serde(untagged)]
enum ParagraphOut<'a> {
    Text(&'a str),
    InOriginal([u32; 2]),
}

/// The paragraphs of `a`, each pointing into the original where one of its
/// lines has the same bytes, in order (a paragraph never matches a line
/// before the previous paragraph's).
fn paragraphs_of(a: &crate::model::Article) -> Vec<ParagraphOut<'_>> {
    let lines = a.original.as_ref().map_or(&[][..], |o| o.lines.as_slice());
    let mut next = 0;
    a.blocks
        .iter()
        .filter(|b| matches!(b.kind, BlockKind::Paragraph(_)))
        .map(|b| {
            if lines.len() > next {
                let digest = crate::model::OriginalLine::digest_of(b.text.as_bytes());
                let len = b.text.len();
                if let Some(k) =
                    lines[next..].iter().position(|l| l.digest == digest && (l.end - l.start) as usize == len)
                {
                    let l = lines[next + k];
                    next += k + 1;
                    return ParagraphOut::InOriginal([l.start, l.end]);
                }
            }
            ParagraphOut::Text(b.text.as_str())
        })
        .collect()
}

/// The original: `file` is left out when it is `<id>.txt`.
#[derive(Serialize)]
struct OriginalOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    sha256: &'a str,
    bytes: u64,
}

/// A mention, `[entity, paragraph, start, end]`: its words are the
/// paragraph's between the offsets, so they are not repeated. A mention in
/// a heading (whose text the export does not otherwise hold) is `[entity,
/// null, start, end, words]`, its offsets counted in the heading.
#[derive(Serialize)]
#[serde(untagged)]
enum MentionOut<'a> {
    InParagraph(&'a str, u32, usize, usize),
    InHeading(&'a str, (), usize, usize, &'a str),
}

#[derive(Serialize)]
struct NoteOut<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "is_note")]
    kind: NoteKind,
    /// `[paragraph, start, end]` in the article that holds the note; the
    /// words are the paragraph's between the offsets.
    passage: (u32, usize, usize),
    #[serde(skip_serializing_if = "Option::is_none")]
    speaker: Option<&'a str>,
    /// Who said it, in words, when the speaker has no entity.
    #[serde(skip_serializing_if = "Option::is_none")]
    said_by: Option<&'a str>,
    /// For a quote: `direct` (the speaker's words) or `reported` (the
    /// article's account of them); absent for other notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    speech: Option<&'static str>,
    /// The statement's voice when not its speaker's usual one.
    #[serde(skip_serializing_if = "Option::is_none")]
    voice: Option<Voice>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    entities: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    changed: Option<String>,
    #[serde(skip_serializing_if = "str::is_empty")]
    body: String,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    citations: Vec<CitationOut<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    external: Vec<ExternalOut<'a>>,
}

/// A citation resolved: `[article]` for a whole article, `[article,
/// paragraph]` for a paragraph, `[article, paragraph, start, end]` for a
/// quoted passage (the character offsets of the quoted words, which are
/// the paragraph's between them and are also in the citing body).
#[derive(Serialize)]
#[serde(untagged)]
enum CitationOut<'a> {
    Article((&'a str,)),
    Paragraph(&'a str, u32),
    Passage(&'a str, u32, usize, usize),
}

#[derive(Serialize)]
struct EntityOut<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    aliases: &'a [String],
    /// The kind of voice of the entity's statements, when it speaks.
    #[serde(skip_serializing_if = "Option::is_none")]
    voice: Option<Voice>,
    #[serde(skip_serializing_if = "Option::is_none")]
    changed: Option<String>,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: String,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    citations: Vec<CitationOut<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    relations: Vec<RelationOut<'a>>,
}

#[derive(Serialize)]
struct RelationOut<'a> {
    to: &'a str,
    label: &'a str,
    /// The label as read from `to`'s page, when the editors gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    inverse: Option<&'a str>,
}

#[derive(Serialize)]
struct EventOut<'a> {
    id: &'a str,
    date: String,
    /// The date in the source's words.
    #[serde(skip_serializing_if = "Option::is_none")]
    date_text: Option<&'a str>,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    changed: Option<String>,
    #[serde(skip_serializing_if = "str::is_empty")]
    body: String,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    citations: Vec<CitationOut<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    entities: Vec<&'a str>,
    sources: Vec<CitationOut<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    external: Vec<ExternalOut<'a>>,
}

/// A source outside the texts, as editors recorded it.
#[derive(Serialize)]
struct ExternalOut<'a> {
    title: &'a str,
    publisher: &'a str,
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<String>,
    consulted: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

fn externals(list: &[External]) -> Vec<ExternalOut<'_>> {
    list.iter()
        .map(|x| ExternalOut {
            title: &x.title,
            publisher: &x.publisher,
            url: &x.url,
            published: x.published.as_ref().map(ToString::to_string),
            consulted: x.consulted.to_string(),
            note: x.note.as_deref(),
        })
        .collect()
}

/// A passage's paragraph and the character offsets of its words in it.
fn passage(d: &Dossier, p: &Passage) -> (u32, usize, usize) {
    let a = &d.articles[p.article as usize];
    let (start, end) = a.paragraph(p.paragraph).map_or((0, 0), |b| b.nfc_chars(p.start, p.end));
    (p.paragraph, start, end)
}

fn citation<'a>(d: &'a Dossier, c: &Citation) -> CitationOut<'a> {
    let article = d.articles[c.article as usize].id.as_str();
    match c.at {
        CiteAt::Article => CitationOut::Article((article,)),
        CiteAt::Paragraph(p) => CitationOut::Paragraph(article, p),
        CiteAt::Passage(p) => {
            let (paragraph, start, end) = passage(d, &p);
            CitationOut::Passage(article, paragraph, start, end)
        }
    }
}

/// A body's Markdown as the editor wrote it, with each resolved wiki link
/// and citation written back in its canonical form (the ids it resolved
/// to, the words a quote anchored to), and its citations resolved. The
/// tree says where each reference's token is in the source.
fn body<'a>(d: &'a Dossier, rich: &Rich) -> (String, Vec<CitationOut<'a>>) {
    let mut spans = Vec::new();
    crate::rich::for_each_ref(&rich.blocks, &mut |_, span| spans.push(span.clone()));
    // A reference that did not resolve stays as written.
    let mut refs: Vec<(crate::rich::Span, &Ref)> =
        spans.into_iter().zip(&rich.refs).filter_map(|(span, r)| Some((span, r.as_ref()?))).collect();
    refs.sort_by_key(|(span, _)| span.start);
    let mut text = String::with_capacity(rich.source.len());
    let mut cites = Vec::new();
    let mut copied = 0;
    for (span, r) in refs {
        // The spans come from parsing this very text.
        text.push_str(rich.source.get(copied..span.start).unwrap_or(""));
        copied = span.end;
        let shown = match r {
            Ref::Cite(c) => {
                cites.push(citation(d, c));
                let a = &d.articles[c.article as usize];
                match c.at {
                    CiteAt::Article => format!("[@{}]", a.id),
                    CiteAt::Paragraph(p) => format!("[@{}#p{p}]", a.id),
                    CiteAt::Passage(p) => format!("[@{} \"{}\"]", a.id, a.passage_text(&p)),
                }
            }
            Ref::Link { target, text: shown } => {
                let id = match *target {
                    Target::Entity(e) => d.entities[e as usize].id.clone(),
                    Target::Article(a) => d.articles[a as usize].id.clone(),
                    Target::Paragraph(a, p) => format!("{}#p{p}", d.articles[a as usize].id),
                    Target::Page(p) => d.pages[p as usize].id.clone(),
                };
                match shown {
                    Some(t) => format!("[[{id}|{t}]]"),
                    None => format!("[[{id}]]"),
                }
            }
        };
        text.push_str(&shown);
    }
    text.push_str(rich.source.get(copied..).unwrap_or(""));
    (text, cites)
}

/// Writes `dossier.json` straight to `w`: for a large dossier the export is
/// as big as all its texts together, so it is never built as one string.
pub fn dossier_json(d: &Dossier, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let entity_id = |e: &Ix| d.entities[*e as usize].id.as_str();
    let export = Export {
        format: FORMAT,
        title: &d.config.title,
        description: &d.config.description,
        lang: &d.config.lang,
        provenance: ProvenanceOut {
            commit: d.source.commit.as_ref().map(|c| CommitOut {
                id: c.id.clone(),
                time: crate::provenance::iso8601(c.time),
                dirty: c.dirty,
            }),
            time: d.source.time.map(crate::provenance::iso8601),
        },
        articles: Each(|| {
            d.articles.iter().enumerate().map(|(i, a)| ArticleOut {
                id: &a.id,
                title: &a.title,
                title_editorial: a.title_editorial,
                outlet: a.outlet.as_deref(),
                outlet_note: a.outlet_note.as_deref(),
                url: a.url.as_deref(),
                published: a.published.as_ref().map(ToString::to_string),
                published_note: a.published_note.as_deref(),
                lang: (a.lang != d.config.lang).then_some(a.lang.as_str()),
                original: a.original.as_ref().map(|o| OriginalOut {
                    file: (o.file.strip_suffix(".txt") != Some(a.id.as_str())).then_some(o.file.as_str()),
                    sha256: &o.sha256,
                    bytes: o.len,
                }),
                changed: changed(d.source.articles.get(i).copied().flatten()),
                paragraphs: paragraphs_of(a),
                mentions: a
                    .mentions
                    .iter()
                    .map(|m| {
                        let b = &a.blocks[m.block as usize];
                        let (start, end) = b.nfc_chars(m.start, m.end);
                        let entity = entity_id(&m.entity);
                        match b.kind {
                            BlockKind::Paragraph(n) => MentionOut::InParagraph(entity, n, start, end),
                            BlockKind::Heading(_) => MentionOut::InHeading(
                                entity,
                                (),
                                start,
                                end,
                                b.text.get(m.start as usize..m.end as usize).unwrap_or(""),
                            ),
                        }
                    })
                    .collect(),
                notes: a
                    .notes
                    .iter()
                    .enumerate()
                    .map(|(k, n)| {
                        let (body, citations) = body(d, &n.body);
                        NoteOut {
                            id: &n.id,
                            kind: n.kind,
                            passage: passage(d, &n.passage),
                            speaker: n.speaker.as_ref().map(entity_id),
                            said_by: n.said_by.as_deref(),
                            speech: (n.kind == NoteKind::Quote).then_some(if n.reported {
                                "reported"
                            } else {
                                "direct"
                            }),
                            voice: n.voice,
                            entities: n.entities.iter().map(entity_id).collect(),
                            changed: changed(d.source.notes.get(i).and_then(|ns| ns.get(k)).copied().flatten()),
                            body,
                            citations,
                            external: externals(&n.external),
                        }
                    })
                    .collect(),
                about: a
                    .about
                    .iter()
                    .map(|n| {
                        let (body, citations) = body(d, &n.body);
                        AboutOut { id: &n.id, kind: n.kind, body, citations, external: externals(&n.external) }
                    })
                    .collect(),
            })
        }),
        entities: Each(|| {
            d.entities.iter().enumerate().map(|(i, e)| {
                let (description, citations) = body(d, &e.description);
                EntityOut {
                    id: &e.id,
                    name: &e.name,
                    kind: &e.kind,
                    role: e.role.as_deref(),
                    aliases: &e.aliases,
                    voice: e.voice,
                    changed: changed(d.source.entities.get(i).copied().flatten()),
                    description,
                    citations,
                    relations: e
                        .relations
                        .iter()
                        .map(|r| RelationOut { to: entity_id(&r.to), label: &r.label, inverse: r.inverse.as_deref() })
                        .collect(),
                }
            })
        }),
        events: Each(|| {
            d.events.iter().enumerate().map(|(i, ev)| {
                let (body, citations) = body(d, &ev.body);
                EventOut {
                    id: &ev.id,
                    date: ev.date.to_string(),
                    date_text: ev.date_text.as_deref(),
                    title: &ev.title,
                    changed: changed(d.source.events.get(i).copied().flatten()),
                    body,
                    citations,
                    entities: ev.entities.iter().map(entity_id).collect(),
                    sources: ev.sources.iter().map(|c| citation(d, c)).collect(),
                    external: externals(&ev.external),
                }
            })
        }),
        pages: Each(|| {
            d.pages.iter().map(|p| {
                let (body, citations) = body(d, &p.body);
                PageOut { id: &p.id, title: &p.title, body, citations }
            })
        }),
    };
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, w);
    serde::Serialize::serialize(&export, &mut serde_json::Serializer::with_formatter(&mut buffered, LineSafe))?;
    std::io::Write::write_all(
        &mut buffered,
        b"
",
    )?;
    std::io::Write::flush(&mut buffered)
}

/// The site's page paths, for the sitemap (absolute only when the dossier
/// has a `base_url`; a sitemap of relative URLs would be invalid, so
/// without one none is written).
pub fn sitemap(d: &Dossier, pages: &[String]) -> Option<OutputFile> {
    let base = d.config.base_url.trim_end_matches('/');
    if base.is_empty() {
        return None;
    }
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in pages.iter().filter(|p| p.ends_with(".html") && p.as_str() != "404.html") {
        let path = p.strip_suffix("index.html").unwrap_or(p);
        xml.push_str(&format!("  <url><loc>{}/{}</loc></url>\n", escape(base), escape(path)));
    }
    xml.push_str("</urlset>\n");
    Some(OutputFile { path: "sitemap.xml".to_string(), bytes: xml.into_bytes() })
}

/// An Atom feed of the articles, newest first. Entry ids are tag URIs
/// built from the article ids, so they are stable without a base URL.
pub fn feed(d: &Dossier) -> OutputFile {
    let base = d.config.base_url.trim_end_matches('/');
    let link = |path: &str| {
        if base.is_empty() {
            path.to_string()
        } else {
            format!("{base}/{path}")
        }
    };
    let mut articles: Vec<&Article> = d.articles.iter().collect();
    articles.sort_by(|a, b| b.published.cmp(&a.published).then_with(|| a.id.cmp(&b.id)));
    // The feed's date is the newest publication date it can name; no wall
    // clock, so the output stays the same for the same input.
    let updated = articles
        .iter()
        .filter_map(|a| a.published.as_ref())
        .map(|p| {
            let (y, m, day) = p.latest();
            format!("{y:04}-{m:02}-{day:02}T00:00:00Z")
        })
        .max()
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <id>tag:milaf,2026:{}</id>\n  <updated>{updated}</updated>\n  <link href=\"{}\"/>\n",
        escape(&d.config.lang),
        escape(&d.config.title),
        escape(&slug(&d.config.title)),
        escape(&link("index.html")),
    );
    let shown = if d.config.feed_limit == 0 { articles.len() } else { d.config.feed_limit.min(articles.len()) };
    for a in &articles[..shown] {
        let date = a.published.as_ref().map_or("1970-01-01T00:00:00Z".to_string(), |p| {
            let (y, m, day) = p.earliest();
            format!("{y:04}-{m:02}-{day:02}T00:00:00Z")
        });
        let summary: String = a
            .blocks
            .iter()
            .find(|b| matches!(b.kind, BlockKind::Paragraph(_)))
            .map_or(String::new(), |b| super::excerpt(&b.text, 280));
        xml.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <id>tag:milaf,2026:{}</id>\n    <link href=\"{}\"/>\n    <updated>{date}</updated>\n    <author><name>{}</name></author>\n    <summary>{}</summary>\n  </entry>\n",
            escape(&a.title),
            a.id,
            escape(&link(&format!("articles/{}/index.html", a.id))),
            escape(a.outlet.as_deref().unwrap_or(&d.config.title)),
            escape(&summary),
        ));
    }
    xml.push_str("</feed>\n");
    OutputFile { path: "feed.xml".to_string(), bytes: xml.into_bytes() }
}

fn slug(s: &str) -> String {
    crate::import::sha256_hex(s.as_bytes())[..16].to_string()
}

/// JSON as `serde_json` writes it, with U+2028 and U+2029 escaped: they
/// are valid in JSON strings but end a line in older JavaScript, where a
/// reader may paste the export.
struct LineSafe;

impl serde_json::ser::Formatter for LineSafe {
    fn write_string_fragment<W: ?Sized + std::io::Write>(&mut self, w: &mut W, fragment: &str) -> std::io::Result<()> {
        let mut rest = fragment;
        while let Some(at) = rest.find(['\u{2028}', '\u{2029}']) {
            w.write_all(&rest.as_bytes()[..at])?;
            w.write_all(if rest[at..].starts_with('\u{2028}') { b"\\u2028" } else { b"\\u2029" })?;
            rest = &rest[at + '\u{2028}'.len_utf8()..];
        }
        w.write_all(rest.as_bytes())
    }
}
