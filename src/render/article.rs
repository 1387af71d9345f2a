//! The article page: the text with numbered paragraphs, linked mentions,
//! highlighted passages with their footnote markers, the notes as
//! endnotes, what rests on each paragraph, the entities and events of the
//! article, and the original capture with its SHA-256.

use super::overlay::{self, Point, Wrap, RANK_BDI, RANK_LINK, RANK_MARK, RANK_STYLE};
use super::{
    date_view, escape, excerpt, number, page_view, passage_fragment, rich, url, Citations, CopyFile, DateView, PageOut,
};
use crate::config::LinkMentions;
use crate::i18n::{fill, Catalogue};
use crate::index::Citer;
use crate::model::*;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct ArticleView {
    /// Notes on the whole article: its source, section, credit line.
    about: Vec<AboutView>,
    id: String,
    title: String,
    title_editorial: bool,
    outlet: Option<String>,
    outlet_note: Option<String>,
    url: Option<String>,
    published: Option<DateView>,
    published_note: Option<String>,
    lang: String,
    dir: &'static str,
    other_lang: bool,
    body: String,
    notes: String,
    citations: String,
    paragraphs: String,
    note_count: String,
    /// The kinds of highlight the text carries, for the key beside it.
    key: Vec<KeyItem>,
    entities: Vec<EntityRef>,
    events: Vec<EventRef>,
    original: Option<OriginalView>,
    /// When the article's file last changed (git).
    changed: Option<super::ChangedView>,
    /// The articles before and after this one by publication date.
    prev: Option<SiblingView>,
    next: Option<SiblingView>,
}

/// A neighbouring article, for the previous/next links.
#[derive(Serialize)]
struct SiblingView {
    title: String,
    href: String,
    published: Option<DateView>,
}

/// The article just before (or after) article `i` in publication order.
fn sibling(d: &Dossier, cat: &Catalogue, i: usize, forward: bool) -> Option<SiblingView> {
    let rank = *d.index.chronology_rank.get(i)? as usize;
    let at = if forward { rank.checked_add(1)? } else { rank.checked_sub(1)? };
    let a = &d.articles[*d.index.chronology.get(at)? as usize];
    Some(SiblingView {
        title: a.title.clone(),
        href: url::article(ROOT, &a.id),
        published: a.published.as_ref().map(|p| date_view(d, cat, p)),
    })
}

#[derive(Serialize)]
struct EntityRef {
    name: String,
    href: String,
    count: String,
}

/// The data of an entity's preview card: its name, its kind, its role or
/// the first sentence of its description (plain text), and its mentions in
/// the whole dossier. It is written once per entity, as the script
/// `entities/<id>/card.js` beside its page ([`card_script`]), which
/// `milaf.js` loads the first time a link to the entity asks for its card:
/// the links themselves carry nothing but their `href`.
#[derive(Serialize)]
pub(super) struct Card {
    pub name: String,
    pub kind: String,
    pub summary: String,
    pub total: String,
}

/// The preview card of entity `e`.
pub(super) fn card(d: &Dossier, e: Ix) -> Card {
    let ent = &d.entities[e as usize];
    Card {
        name: ent.name.clone(),
        kind: kind_label(d, &ent.kind),
        summary: entity_summary(d, ent),
        total: number(d.index.mentions[e as usize].len(), d.config.numerals),
    }
}

/// The path of entity `e`'s preview card script, site-relative.
pub fn card_path(d: &Dossier, e: Ix) -> String {
    format!("entities/{}/card.js", d.entities[e as usize].id)
}

/// The script of entity `e`'s preview card: it registers the card's data
/// under the entity's id in `window.MILAF_CARDS`.
pub fn card_script(d: &Dossier, e: Ix) -> Vec<u8> {
    let json = serde_json::to_string(&card(d, e)).unwrap_or_default();
    let json = super::script_json(&json);
    let id = serde_json::to_string(&d.entities[e as usize].id).unwrap_or_default();
    format!("(window.MILAF_CARDS=window.MILAF_CARDS||{{}})[{id}]={json};\n").into_bytes()
}

/// One kind of highlight in the key: its class and its label.
#[derive(Serialize)]
struct KeyItem {
    kind: &'static str,
    label: String,
}

#[derive(Serialize)]
pub struct EventRef {
    pub date: DateView,
    pub title: String,
    pub href: String,
}

#[derive(Serialize)]
struct OriginalView {
    href: String,
    sha256: String,
    bytes: u64,
}

/// A note on the whole article, as the head of its page shows it.
#[derive(Serialize)]
struct AboutView {
    id: String,
    kind: &'static str,
    label: String,
    body: String,
    external: String,
}

const ROOT: &str = "../../";

pub fn article(d: &Dossier, cat: &Catalogue, i: usize) -> PageOut {
    let a = &d.articles[i];
    let numerals = d.config.numerals;
    let mut cites = Citations::new(ROOT, cat);
    let body = body_html(d, cat, i as Ix);
    // Notes on the whole article come first on the page, so their
    // citations are numbered first.
    let about = a
        .about
        .iter()
        .map(|n| AboutView {
            id: n.id.clone(),
            kind: n.kind.as_str(),
            label: cat.t(n.kind.label_key()).to_string(),
            body: rich::render(d, &n.body, ROOT, &mut cites),
            external: super::external_html(d, cat, &n.external),
        })
        .collect();
    let notes = notes_html(d, i as Ix, &mut cites);
    // The chips in the order of the names (Arabic alphabetical order, the
    // definite article aside), not of the ids.
    let mut chips: Vec<(String, Ix, u32)> = d.index.article_entities[i]
        .iter()
        .map(|&(e, count)| (crate::arabic::sort_key(&d.entities[e as usize].name), e, count))
        .collect();
    chips.sort();
    let entities = chips
        .into_iter()
        .map(|(_, e, count)| {
            let ent = &d.entities[e as usize];
            EntityRef { name: ent.name.clone(), href: url::entity(ROOT, &ent.id), count: number(count, numerals) }
        })
        .collect();
    let events = d.index.article_events[i].iter().map(|&v| event_ref(d, cat, ROOT, v)).collect();
    let mut extra = Vec::new();
    let original = a.original.as_ref().map(|o| {
        extra.push(CopyFile { path: format!("articles/{}/original.txt", a.id), from: o.path.clone() });
        OriginalView { href: "original.txt".to_string(), sha256: o.sha256.clone(), bytes: o.len }
    });
    let view = ArticleView {
        id: a.id.clone(),
        title: a.title.clone(),
        title_editorial: a.title_editorial,
        outlet: a.outlet.clone(),
        outlet_note: a.outlet_note.clone(),
        url: a.url.clone(),
        published: a.published.as_ref().map(|p| date_view(d, cat, p)),
        published_note: a.published_note.clone(),
        lang: a.lang.clone(),
        dir: a.dir,
        other_lang: a.lang != d.config.lang,
        body,
        about,
        notes,
        citations: cites.list_html(d),
        paragraphs: number(a.paragraph_count(), numerals),
        note_count: number(a.notes.len(), numerals),
        key: highlight_key(a, cat),
        entities,
        events,
        original,
        changed: super::changed_view(d, cat, d.source.articles.get(i).copied().flatten()),
        prev: sibling(d, cat, i, false),
        next: sibling(d, cat, i, true),
    };
    (
        format!("articles/{}/index.html", a.id),
        "article.html",
        page_view(d, ROOT, a.title.clone(), "articles", view)
            .with_crumbs(super::Crumbs { section: true, ..Default::default() }),
        extra,
    )
}

/// The kinds of note the article's passages are highlighted for, in the
/// order of `NoteKind`, each once.
fn highlight_key(a: &Article, cat: &Catalogue) -> Vec<KeyItem> {
    let mut kinds: Vec<NoteKind> = a.notes.iter().map(|n| n.kind).collect();
    kinds.sort();
    kinds.dedup();
    kinds.into_iter().map(|k| KeyItem { kind: k.as_str(), label: cat.t(k.label_key()).to_string() }).collect()
}

/// An entity in a sentence: its role when it has one, else the first
/// sentence of its description, at most about 160 characters.
fn entity_summary(d: &Dossier, e: &Entity) -> String {
    if let Some(role) = e.role.as_ref().filter(|r| !r.trim().is_empty()) {
        return role.clone();
    }
    let text = super::search::plain(d, &e.description);
    let text = text.trim();
    let end = text
        .char_indices()
        .find(|&(i, c)| {
            matches!(c, '.' | '؟' | '!' | '?')
                && text[i + c.len_utf8()..].chars().next().is_none_or(char::is_whitespace)
        })
        .map_or(text.len(), |(i, c)| i + c.len_utf8());
    excerpt(&text[..end], 160)
}

pub fn kind_label(d: &Dossier, kind: &str) -> String {
    d.config.kinds.iter().find(|k| k.id == kind).map_or_else(|| kind.to_string(), |k| k.singular.clone())
}

pub fn event_ref(d: &Dossier, cat: &Catalogue, root: &str, v: Ix) -> EventRef {
    let ev = &d.events[v as usize];
    EventRef { date: super::event_date_view(d, cat, ev), title: ev.title.clone(), href: url::event(d, root, ev) }
}

/// Mention anchors are numbered per article so entity pages can link to
/// each one.
pub fn mention_id(m: usize) -> String {
    format!("m{m}")
}

fn body_html(d: &Dossier, cat: &Catalogue, a: Ix) -> String {
    let art = &d.articles[a as usize];
    let numerals = d.config.numerals;
    // Mentions by block.
    let mut mentions: BTreeMap<u32, Vec<(usize, &Mention)>> = BTreeMap::new();
    for (k, m) in art.mentions.iter().enumerate() {
        mentions.entry(m.block).or_default().push((k, m));
    }
    // Passages by paragraph: the notes' own and those cited from elsewhere.
    let mut passages: BTreeMap<u32, BTreeMap<(u32, u32), Vec<&'static str>>> = BTreeMap::new();
    let mut markers: BTreeMap<u32, Vec<Point>> = BTreeMap::new();
    for (k, note) in art.notes.iter().enumerate() {
        let p = &note.passage;
        passages.entry(p.paragraph).or_default().entry((p.start, p.end)).or_default().push(note.kind.as_str());
        let n = number(k + 1, numerals);
        markers.entry(p.paragraph).or_default().push(Point {
            at: p.end as usize,
            html: format!(
                "<sup class=\"noteref k-{kind}\"><a href=\"#note-{id}\" id=\"ref-{id}\" role=\"doc-noteref\" aria-label=\"{label} {n}\">{n}</a></sup>",
                kind = note.kind.as_str(),
                id = note.id,
                label = escape(cat.t(note.label_key())),
            ),
        });
    }
    for p in &d.index.cited_passages[a as usize] {
        passages.entry(p.paragraph).or_default().entry((p.start, p.end)).or_default().push("cited");
    }

    let mut out = String::new();
    for (b, block) in art.blocks.iter().enumerate() {
        let mut wraps = Vec::new();
        for s in &block.styles {
            let (tag, attrs, is_link) = match &s.style {
                Style::Emphasis => ("em", String::new(), false),
                Style::Strong => ("strong", String::new(), false),
                Style::Code => ("code", String::new(), false),
                Style::Link(dest) => ("a", format!("href=\"{}\"", escape(dest)), true),
            };
            wraps.push(Wrap {
                start: s.start as usize,
                end: s.end as usize,
                rank: if is_link { RANK_LINK } else { RANK_STYLE },
                tag,
                attrs_first: attrs.clone(),
                attrs_rest: attrs,
                is_link,
            });
        }
        // Only the first mention of an entity in a block is a link (unless
        // the dossier asks for all): the others keep their anchor, for the
        // entity page's keyword in context, in a plain span.
        let mut linked = std::collections::BTreeSet::new();
        for &(k, m) in mentions.get(&(b as u32)).into_iter().flatten() {
            let ent = &d.entities[m.entity as usize];
            let link = d.config.link_mentions == LinkMentions::All || linked.insert(m.entity);
            let (tag, attrs_first, attrs_rest) = if link {
                let href = url::entity(ROOT, &ent.id);
                (
                    "a",
                    format!("class=\"mention\" id=\"{}\" href=\"{href}\"", mention_id(k)),
                    format!("class=\"mention\" href=\"{href}\""),
                )
            } else {
                ("span", format!("id=\"{}\"", mention_id(k)), String::new())
            };
            wraps.push(Wrap {
                start: m.start as usize,
                end: m.end as usize,
                rank: RANK_LINK,
                tag,
                attrs_first,
                attrs_rest,
                is_link: link,
            });
        }
        for (s, e) in overlay::latin_runs(&block.text) {
            wraps.push(Wrap {
                start: s,
                end: e,
                rank: RANK_BDI,
                tag: "bdi",
                attrs_first: String::new(),
                attrs_rest: String::new(),
                is_link: false,
            });
        }
        match block.kind {
            BlockKind::Heading(level) => {
                // The page title is the only h1; `#` and `##` in a body are both h2.
                let level = level.clamp(2, 6);
                let html = overlay::render(&block.text, wraps, Vec::new());
                out.push_str(&format!("<h{level}>{html}</h{level}>\n"));
            }
            BlockKind::Paragraph(n) => {
                for (&(s, e), kinds) in passages.get(&n).into_iter().flatten() {
                    let passage = Passage { article: a, paragraph: n, start: s, end: e };
                    let mut classes: Vec<String> = kinds.iter().map(|k| format!("k-{k}")).collect();
                    classes.sort();
                    classes.dedup();
                    let class = format!("passage {}", classes.join(" "));
                    let frag = passage_fragment(d, &passage);
                    wraps.push(Wrap {
                        start: s as usize,
                        end: e as usize,
                        rank: RANK_MARK,
                        tag: "mark",
                        attrs_first: format!("id=\"{frag}\" class=\"{class}\""),
                        // A later piece names its passage, so that the whole
                        // passage lights up while its note is open.
                        attrs_rest: format!("class=\"{class} cont\" data-p=\"{frag}\""),
                        is_link: false,
                    });
                }
                let points = markers.remove(&n).unwrap_or_default();
                let html = overlay::render(&block.text, wraps, points);
                let shown = number(n, numerals);
                out.push_str(&format!(
                    "<div class=\"para\" id=\"p{n}\"><p><a class=\"pnum\" href=\"#p{n}\" aria-label=\"{label}\">{shown}</a> {html}</p>{}</div>\n",
                    backlinks_html(d, cat, a, n),
                    label = escape(&cat.tf("article.paragraph_label", &[("n", &shown)])),
                ));
            }
        }
    }
    out
}

/// What rests on one paragraph: notes, entity pages, events, pages. A
/// note of this article anchored on a passage of the paragraph is not
/// listed: its marker stands at the end of its passage, in the text.
fn backlinks_html(d: &Dossier, cat: &Catalogue, a: Ix, n: u32) -> String {
    let Some(citers) = d.index.citers.get(&(a, n)) else {
        return String::new();
    };
    let art = &d.articles[a as usize];
    let numerals = d.config.numerals;
    let marked = |range: &Option<(u32, u32)>, citer: &Citer| match (*range, *citer) {
        (Some((s, e)), Citer::Note(na, k)) if na == a => {
            let p = &art.notes[k as usize].passage;
            (p.paragraph, p.start, p.end) == (n, s, e)
        }
        _ => false,
    };
    let mut items = Vec::new();
    for (range, citer) in citers.iter().filter(|(range, citer)| !marked(range, citer)) {
        let what = match *citer {
            Citer::Note(na, k) => {
                let other = &d.articles[na as usize];
                let note = &other.notes[k as usize];
                let label = cat.t(note.label_key());
                if na == a {
                    format!("<a href=\"#note-{}\">{} {}</a>", note.id, escape(label), number(k + 1, numerals))
                } else {
                    format!(
                        "<a href=\"{}#note-{}\">{}</a>",
                        url::article(ROOT, &other.id),
                        note.id,
                        escape(&cat.tf("note.on_other", &[("label", label), ("title", &other.title)]))
                    )
                }
            }
            Citer::About(na, k) => {
                let other = &d.articles[na as usize];
                let note = &other.about[k as usize];
                if na == a {
                    format!("<a href=\"#note-{}\">{}</a>", note.id, escape(cat.t("note.about_article")))
                } else {
                    format!(
                        "<a href=\"{}#note-{}\">{}</a>",
                        url::article(ROOT, &other.id),
                        note.id,
                        escape(&cat.tf("note.about_other", &[("title", &other.title)]))
                    )
                }
            }
            Citer::Entity(e) => {
                let ent = &d.entities[e as usize];
                format!(
                    "<a href=\"{}\">{}</a>",
                    url::entity(ROOT, &ent.id),
                    escape(&cat.tf("note.entity_page", &[("name", &ent.name)]))
                )
            }
            Citer::Event(v) => {
                let ev = &d.events[v as usize];
                format!(
                    "<a href=\"{}\">{}</a>",
                    url::event(d, ROOT, ev),
                    escape(&cat.tf("note.event", &[("title", &ev.title)]))
                )
            }
            Citer::Page(p) => {
                let page = &d.pages[p as usize];
                format!("<a href=\"{}\">{}</a>", url::page(ROOT, &page.id), escape(&page.title))
            }
        };
        let on = match range {
            Some((s, e)) => {
                let passage = Passage { article: a, paragraph: n, start: *s, end: *e };
                format!(
                    " ← <a class=\"on\" href=\"#{}\">«{}»</a>",
                    passage_fragment(d, &passage),
                    escape(&excerpt(art.passage_text(&passage), 60))
                )
            }
            None => format!(" ← {}", escape(cat.t("paragraph.whole"))),
        };
        items.push(format!("<li>{what}{on}</li>"));
    }
    items.dedup();
    if items.is_empty() {
        return String::new();
    }
    format!(
        "<details class=\"backlinks\"><summary>{}</summary><ul>{}</ul></details>",
        escape(&cat.n("count.citer", items.len())),
        items.join("")
    )
}

fn notes_html(d: &Dossier, a: Ix, cites: &mut Citations<'_>) -> String {
    let art = &d.articles[a as usize];
    if art.notes.is_empty() {
        return String::new();
    }
    let numerals = d.config.numerals;
    let cat = cites.catalogue();
    let mut out = format!(
        "<section class=\"notes\" role=\"doc-endnotes\" aria-labelledby=\"notes-title\">\n<h2 id=\"notes-title\">{}</h2>\n<ol>\n",
        escape(cat.t("note.title"))
    );
    for (k, note) in art.notes.iter().enumerate() {
        let n = number(k + 1, numerals);
        let frag = passage_fragment(d, &note.passage);
        // The label names the speaker in a whole phrase («تصريح منسوب إلى …»).
        let speaker = match (note.speaker, &note.said_by) {
            (Some(s), _) => {
                let ent = &d.entities[s as usize];
                Some(format!("<a class=\"speaker\" href=\"{}\">{}</a>", url::entity(ROOT, &ent.id), escape(&ent.name)))
            }
            (None, Some(who)) => Some(format!("<span class=\"speaker\">{}</span>", escape(who))),
            (None, None) => None,
        };
        let label = match speaker {
            Some(who) => fill(&escape(cat.t(note.by_key())), &[("speaker", &who)]),
            None => escape(cat.t(note.label_key())),
        };
        let body = rich::render(d, &note.body, ROOT, cites);
        // When the note's own record last changed (git), so a reader sees
        // that a note was revised.
        let changed =
            match super::changed_view(d, cat, d.source.notes.get(a as usize).and_then(|n| n.get(k)).copied().flatten())
            {
                Some(super::ChangedView { date: Some(v), .. }) => format!(
                    "<p class=\"note-changed\">{} <time datetime=\"{}\">{}</time></p>",
                    escape(cat.t("note.changed")),
                    v.datetime,
                    escape(&v.text)
                ),
                Some(_) => format!("<p class=\"note-changed\">{}</p>", escape(cat.t("note.uncommitted"))),
                None => String::new(),
            };
        out.push_str(&format!(
            "<li id=\"note-{id}\" class=\"note k-{kind}\" value=\"{num}\"><p class=\"note-head\"><span class=\"num\">{n}</span> <a href=\"#ref-{id}\" role=\"doc-backlink\" aria-label=\"{back}\">↩</a> <span class=\"kind\">{label}</span> — {on} ({para})</p>\n<div class=\"note-body\">{body}{external}</div>{changed}</li>\n",
            id = note.id,
            kind = note.kind.as_str(),
            num = k + 1,
            external = super::external_html(d, cat, &note.external),
            back = escape(&cat.tf("note.back", &[("n", &n)])),
            // A reported quote is the article's account: never in «» beside
            // the speaker's name as if it were their words.
            on = if note.reported {
                format!(
                    "{} <a href=\"#{frag}\" class=\"on\">{}</a>",
                    escape(cat.t("note.per_article")),
                    escape(&excerpt(art.passage_text(&note.passage), 80))
                )
            } else {
                format!("<a href=\"#{frag}\" class=\"on\">«{}»</a>", escape(&excerpt(art.passage_text(&note.passage), 80)))
            },
            para = escape(&cat.tf("paragraph.ref", &[("n", &number(note.passage.paragraph, numerals))])),
        ));
    }
    out.push_str("</ol>\n</section>\n");
    out
}
