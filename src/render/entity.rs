//! Entity pages (description with citations, every mention in context,
//! attributed quotes, relations both ways, co-mentions, its own timeline)
//! and the entity index, grouped by kind and sorted in Arabic alphabetical
//! order.

use super::article::{event_ref, kind_label, mention_id, EventRef};
use super::{escape, number, page_view, pager, passage_fragment, rich, url, Citations, PageOut, PagerLink};
use crate::i18n::{fill, Catalogue};
use crate::model::*;
use serde::Serialize;

const ROOT: &str = "../../";
/// Mentions in context per page: an entity named thousands of times keeps
/// a usable page, and the rest follow on `mentions-2.html` ….
pub const MENTIONS_PER_PAGE: usize = 200;
/// Characters of context on each side of a mention.
const CONTEXT: usize = 60;

#[derive(Serialize)]
struct EntityView {
    name: String,
    kind: String,
    role: Option<String>,
    aliases: Vec<String>,
    description: String,
    comentions: Vec<CountView>,
    mention_count: usize,
    mentions: Vec<ArticleMentions>,
    pager: Vec<PagerLink>,
    quotes: Vec<QuoteView>,
    notes: Vec<QuoteView>,
    events: Vec<EventRef>,
    citations: String,
    /// The relations both ways, grouped by the kind of the other entity.
    relation_groups: Vec<RelationGroup>,
    /// Whether the page is long enough for a table of contents.
    toc: bool,
}

/// The relations with entities of one kind, under that kind's name.
#[derive(Serialize)]
struct RelationGroup {
    id: String,
    label: String,
    items: Vec<RelationView>,
}

/// More sections than this, or more mentions than [`TOC_MENTIONS`], and
/// the entity page opens with a table of contents.
const TOC_SECTIONS: usize = 5;
const TOC_MENTIONS: usize = 30;

/// The relations of an entity, both ways (its own, then the others'
/// as read from its page), grouped by the other entity's kind in the order
/// of `dossier.yaml`, each group in Arabic order of names.
fn relation_groups(d: &Dossier, views: impl Iterator<Item = RelationView>) -> Vec<RelationGroup> {
    let mut all: Vec<(usize, String, usize, RelationView)> = views
        .enumerate()
        .map(|(n, v)| {
            let other = &d.entities[v.to as usize];
            let kind = d.config.kinds.iter().position(|k| k.id == other.kind).unwrap_or(usize::MAX);
            (kind, crate::arabic::sort_key(&other.name), n, v)
        })
        .collect();
    all.sort_by(|a, b| (a.0, &a.1, a.2).cmp(&(b.0, &b.1, b.2)));
    let mut groups: Vec<RelationGroup> = Vec::new();
    for (kind, _, _, item) in all {
        let (id, label) =
            d.config.kinds.get(kind).map_or((String::new(), String::new()), |k| (k.id.clone(), k.label.clone()));
        match groups.last_mut() {
            Some(g) if g.id == id => g.items.push(item),
            _ => groups.push(RelationGroup { id, label, items: vec![item] }),
        }
    }
    groups
}

#[derive(Serialize)]
struct RelationView {
    /// The other entity.
    #[serde(skip)]
    to: Ix,
    /// The label as read from this page: the relation's own, or for a
    /// relation another entity states, its `inverse:`.
    label: String,
    name: String,
    href: String,
    /// A relation stated by the other entity with no `inverse:` label: its
    /// label reads only in the other direction, so the page shows it in a
    /// whole sentence (`phrase`, HTML) instead of as `label: name`.
    fallback: bool,
    phrase: String,
}

#[derive(Serialize)]
struct CountView {
    name: String,
    href: String,
    count: String,
}

#[derive(Serialize)]
struct ArticleMentions {
    title: String,
    href: String,
    items: Vec<Kwic>,
}

#[derive(Serialize)]
struct Kwic {
    left: String,
    keyword: String,
    right: String,
    href: String,
    para: String,
}

#[derive(Serialize)]
struct QuoteView {
    kind: &'static str,
    label: String,
    /// The journalist's account of what was said, not the speaker's words.
    reported: bool,
    quote: String,
    href: String,
    article: String,
    body: String,
}

pub fn entity(d: &Dossier, cat: &Catalogue, i: usize) -> Vec<PageOut> {
    let e = &d.entities[i];
    let numerals = d.config.numerals;
    let mut cites = Citations::new(ROOT, cat);
    let description = rich::render(d, &e.description, ROOT, &mut cites);
    let rel = |to: Ix, label: &str, fallback: bool| {
        let other = &d.entities[to as usize];
        let href = url::entity(ROOT, &other.id);
        let link = format!("<a href=\"{href}\">{}</a>", escape(&other.name));
        let phrase = if fallback {
            // «الجزائر الجارة الشمالية لـ مالي»: the other entity's own
            // words, completed by this entity's name.
            fill(
                &escape(cat.t("relation.inverse_fallback")),
                &[("from", &link), ("label", &escape(label)), ("this", &escape(&e.name))],
            )
        } else {
            format!("{}: {link}", escape(label))
        };
        RelationView { to, label: label.to_string(), name: other.name.clone(), href, fallback, phrase }
    };
    let relations: Vec<RelationView> = e.relations.iter().map(|r| rel(r.to, &r.label, false)).collect();
    let inbound: Vec<RelationView> = d.index.inbound[i]
        .iter()
        // A relation stated both ways («عضو في» here, «يضم» there with the
        // inverse «عضو في») is shown once.
        .filter(|(from, label)| {
            let inverse = d.entities[*from as usize].relations.iter().find(|r| r.to as usize == i && r.label == *label);
            !e.relations.iter().any(|r| r.to == *from && Some(&r.label) == inverse.and_then(|r| r.inverse.as_ref()))
        })
        .map(|(from, label)| {
            // The inverse label of that relation, when its entity gives one.
            let inverse = d.entities[*from as usize]
                .relations
                .iter()
                .find(|r| r.to as usize == i && r.label == *label)
                .and_then(|r| r.inverse.as_deref());
            match inverse {
                Some(inv) => rel(*from, inv, false),
                None => rel(*from, label, true),
            }
        })
        .collect();
    let comentions = d.index.comentions[i]
        .iter()
        .take(20)
        .map(|&(o, count)| {
            let other = &d.entities[o as usize];
            CountView { name: other.name.clone(), href: url::entity(ROOT, &other.id), count: number(count, numerals) }
        })
        .collect();
    let chunks: Vec<&[(Ix, u32)]> = if d.index.mentions[i].is_empty() {
        vec![&[][..]]
    } else {
        d.index.mentions[i].chunks(MENTIONS_PER_PAGE).collect()
    };
    let hrefs: Vec<String> = (0..chunks.len())
        .map(|k| if k == 0 { "index.html".to_string() } else { format!("mentions-{}.html", k + 1) })
        .collect();
    let mentions = kwic(d, cat, chunks[0]);
    let note_view = |a: Ix, k: u32, cites: &mut Citations<'_>| {
        let art = &d.articles[a as usize];
        let note = &art.notes[k as usize];
        QuoteView {
            kind: note.kind.as_str(),
            label: cat.t(note.label_key()).to_string(),
            reported: note.reported,
            quote: art.passage_text(&note.passage).to_string(),
            href: format!("{}#{}", url::article(ROOT, &art.id), passage_fragment(d, &note.passage)),
            article: art.title.clone(),
            body: rich::render(d, &note.body, ROOT, cites),
        }
    };
    let quotes: Vec<QuoteView> = d.index.quotes[i].iter().map(|&(a, k)| note_view(a, k, &mut cites)).collect();
    let notes: Vec<QuoteView> = d.index.entity_notes[i]
        .iter()
        .filter(|&&(a, k)| d.articles[a as usize].notes[k as usize].speaker != Some(i as Ix))
        .map(|&(a, k)| note_view(a, k, &mut cites))
        .collect();
    let events: Vec<EventRef> = d.index.entity_events[i].iter().map(|&v| event_ref(d, cat, ROOT, v)).collect();
    let relation_groups = relation_groups(d, relations.into_iter().chain(inbound));
    let sections = [
        !relation_groups.is_empty(),
        !quotes.is_empty(),
        !events.is_empty(),
        !notes.is_empty(),
        true, // the mentions
        !d.index.comentions[i].is_empty(),
        !cites.is_empty(),
    ];
    let toc = sections.iter().filter(|&&s| s).count() > TOC_SECTIONS || d.index.mentions[i].len() > TOC_MENTIONS;
    let view = EntityView {
        name: e.name.clone(),
        kind: kind_label(d, &e.kind),
        role: e.role.clone(),
        aliases: e.aliases.iter().filter(|a| **a != e.name).cloned().collect(),
        description,
        comentions,
        mention_count: d.index.mentions[i].len(),
        mentions,
        pager: pager(d.config.numerals, &hrefs, 0),
        quotes,
        notes,
        events,
        citations: cites.list_html(d),
        relation_groups,
        toc,
    };
    let kind_crumb =
        d.config.kinds.iter().find(|k| k.id == e.kind).map(|k| super::LinkView {
            title: k.label.clone(),
            href: format!("{ROOT}entities/index.html#kind-{}", k.id),
        });
    let mut pages = vec![(
        format!("entities/{}/index.html", e.id),
        "entity.html",
        page_view(d, ROOT, e.name.clone(), "entities", view).with_crumbs(super::Crumbs {
            section: true,
            trail: kind_crumb.iter().cloned().collect(),
            current: None,
        }),
        Vec::new(),
    )];
    for (k, chunk) in chunks.iter().enumerate().skip(1) {
        let view = MentionsPage {
            name: e.name.clone(),
            href: "index.html".to_string(),
            mention_count: d.index.mentions[i].len(),
            mentions: kwic(d, cat, chunk),
            pager: pager(d.config.numerals, &hrefs, k),
        };
        let title = cat.tf("entity.mentions_page", &[("name", &e.name), ("n", &number(k + 1, numerals))]);
        pages.push((
            format!("entities/{}/{}", e.id, hrefs[k]),
            "mentions.html",
            page_view(d, ROOT, title, "entities", view).with_crumbs(super::Crumbs {
                section: true,
                trail: kind_crumb
                    .iter()
                    .cloned()
                    .chain([super::LinkView { title: e.name.clone(), href: "index.html".to_string() }])
                    .collect(),
                current: Some(number(k + 1, numerals)),
            }),
            Vec::new(),
        ));
    }
    pages
}

#[derive(Serialize)]
struct MentionsPage {
    name: String,
    href: String,
    mention_count: usize,
    mentions: Vec<ArticleMentions>,
    pager: Vec<PagerLink>,
}

/// Keyword in context for a run of mentions, grouped by article.
fn kwic(d: &Dossier, cat: &Catalogue, list: &[(Ix, u32)]) -> Vec<ArticleMentions> {
    let numerals = d.config.numerals;
    let mut mentions: Vec<ArticleMentions> = Vec::new();
    let mut last_article = None;
    for &(a, m) in list {
        let art = &d.articles[a as usize];
        let mention = &art.mentions[m as usize];
        let block = &art.blocks[mention.block as usize];
        let (s, e2) = (mention.start as usize, mention.end as usize);
        let left: String = {
            let before = block.text.get(..s).unwrap_or("");
            let n = before.chars().count();
            before.chars().skip(n.saturating_sub(CONTEXT)).collect()
        };
        let right: String = block.text.get(e2..).unwrap_or("").chars().take(CONTEXT).collect();
        let para = match block.kind {
            BlockKind::Paragraph(n) => cat.tf("paragraph.ref", &[("n", &number(n, numerals))]),
            BlockKind::Heading(_) => cat.t("paragraph.heading").to_string(),
        };
        let item = Kwic {
            left,
            keyword: block.text.get(s..e2).unwrap_or("").to_string(),
            right,
            href: format!("{}#{}", url::article(ROOT, &art.id), mention_id(m as usize)),
            para,
        };
        match mentions.last_mut() {
            Some(last) if last_article == Some(a) => last.items.push(item),
            _ => mentions.push(ArticleMentions {
                title: art.title.clone(),
                href: url::article(ROOT, &art.id),
                items: vec![item],
            }),
        }
        last_article = Some(a);
    }
    mentions
}

#[derive(Serialize)]
struct KindGroup {
    id: String,
    label: String,
    entities: Vec<IndexEntry>,
}

#[derive(Serialize)]
struct IndexEntry {
    name: String,
    href: String,
    role: Option<String>,
    count: String,
}

pub fn index(d: &Dossier, cat: &Catalogue) -> PageOut {
    let root = "../";
    let groups: Vec<KindGroup> = d
        .config
        .kinds
        .iter()
        .map(|k| {
            let mut members: Vec<(String, usize)> = d
                .entities
                .iter()
                .enumerate()
                .filter(|(_, e)| e.kind == k.id)
                .map(|(i, e)| (crate::arabic::sort_key(&e.name), i))
                .collect();
            members.sort();
            KindGroup {
                id: k.id.clone(),
                label: k.label.clone(),
                entities: members
                    .into_iter()
                    .map(|(_, i)| {
                        let e = &d.entities[i];
                        IndexEntry {
                            name: e.name.clone(),
                            href: format!("{}/index.html", e.id),
                            role: e.role.clone(),
                            count: number(d.index.mentions[i].len(), d.config.numerals),
                        }
                    })
                    .collect(),
            }
        })
        .filter(|g| !g.entities.is_empty())
        .collect();
    (
        "entities/index.html".to_string(),
        "entities.html",
        page_view(d, root, cat.t("entities.title").to_string(), "entities", groups),
        Vec::new(),
    )
}
