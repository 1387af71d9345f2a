//! The `index` stage: computes every cross-reference the pages show, once,
//! by walking the resolved records (never by scanning one list per item of
//! another): mentions per entity, co-mentions, relations in both
//! directions, events per entity and per article, attributed quotes per
//! speaker, and for every paragraph of every article what cites it (event
//! sources, and the citations in each editorial body's tree). After this
//! stage the `Dossier` is complete and immutable.

use crate::model::*;
use crate::resolve::Resolved;
use std::collections::{BTreeMap, BTreeSet};

/// Who rests on a passage or paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Citer {
    /// A note on an article (its own or another one): (article, note index).
    Note(Ix, u32),
    /// A note on a whole article: (article, index into `Article::about`).
    About(Ix, u32),
    Entity(Ix),
    Event(Ix),
    Page(Ix),
}

/// One citer of a paragraph, with the byte range it cites (`None` for the
/// whole paragraph).
pub type CitedBy = (Option<(u32, u32)>, Citer);

#[derive(Debug, Default)]
pub struct Index {
    /// Per entity: (article, index into `Article::mentions`), in article order.
    pub mentions: Vec<Vec<(Ix, u32)>>,
    /// Per entity: other entities mentioned in the same paragraphs, with the
    /// number of paragraphs they share, most shared first.
    pub comentions: Vec<Vec<(Ix, u32)>>,
    /// Per entity: (from entity, label) of relations pointing at it.
    pub inbound: Vec<Vec<(Ix, String)>>,
    /// Per entity: events that tag it, in date order.
    pub entity_events: Vec<Vec<Ix>>,
    /// Per article: events citing it, in date order.
    pub article_events: Vec<Vec<Ix>>,
    /// Per entity: attributed quotes (article, note index).
    pub quotes: Vec<Vec<(Ix, u32)>>,
    /// Per entity: notes that tag it (article, note index).
    pub entity_notes: Vec<Vec<(Ix, u32)>>,
    /// Per (article, paragraph): each citer with the passage it cites
    /// (`None` for a citation of the whole paragraph), sorted, each once.
    /// A sorted list rather than a set: most paragraphs have one or two
    /// citers, and a set's node is made for eleven.
    pub citers: BTreeMap<(Ix, u32), Vec<CitedBy>>,
    /// Per article: passages cited from elsewhere (to highlight), sorted,
    /// each once.
    pub cited_passages: Vec<Vec<Passage>>,
    /// Per article: the entities it mentions, with counts, in id order.
    pub article_entities: Vec<Vec<(Ix, u32)>>,
    /// The articles in reading order for previous/next links: by
    /// publication date (oldest first), then id; undated articles last.
    pub chronology: Vec<Ix>,
    /// Per article: its place in `chronology`.
    pub chronology_rank: Vec<u32>,
}

/// The articles by publication date, then id (undated ones last, by id),
/// and each article's place in that order.
fn chronology(articles: &[Article]) -> (Vec<Ix>, Vec<u32>) {
    let mut order: Vec<Ix> = (0..articles.len() as Ix).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&articles[a as usize], &articles[b as usize]);
        (a.published.is_none(), a.published.as_ref())
            .cmp(&(b.published.is_none(), b.published.as_ref()))
            .then_with(|| a.id.cmp(&b.id))
    });
    let mut rank = vec![0; articles.len()];
    for (k, &a) in order.iter().enumerate() {
        rank[a as usize] = k as u32;
    }
    (order, rank)
}

pub fn index(r: Resolved) -> Dossier {
    let n_ent = r.entities.len();
    let n_art = r.articles.len();
    let mut ix = Index {
        mentions: Vec::new(),
        comentions: Vec::new(),
        inbound: vec![Vec::new(); n_ent],
        entity_events: vec![Vec::new(); n_ent],
        article_events: vec![Vec::new(); n_art],
        quotes: vec![Vec::new(); n_ent],
        entity_notes: vec![Vec::new(); n_ent],
        citers: BTreeMap::new(),
        cited_passages: vec![Vec::new(); n_art],
        article_entities: Vec::new(),
        chronology: Vec::new(),
        chronology_rank: Vec::new(),
    };
    // What the mentions give and what the notes, entities, events and
    // pages give are independent: the two halves run side by side.
    let ((mentions, comentions, article_entities), ()) =
        rayon::join(|| mention_index(&r.articles, n_ent), || citation_index(&mut ix, &r));
    ix.mentions = mentions;
    ix.comentions = comentions;
    ix.article_entities = article_entities;
    (ix.chronology, ix.chronology_rank) = chronology(&r.articles);
    let source = source(&r);
    Dossier {
        source,
        config: r.config,
        articles: r.articles,
        entities: r.entities,
        events: r.events,
        pages: r.pages,
        index: ix,
    }
}

/// A list of (index, number) pairs per entity or per article.
type Lists = Vec<Vec<(Ix, u32)>>;

/// Per entity: its mentions and co-mentions; per article: the entities it
/// mentions, with counts.
fn mention_index(articles: &[Article], n_ent: usize) -> (Lists, Lists, Lists) {
    let mut mentions = vec![Vec::new(); n_ent];
    let mut comentions: Lists = vec![Vec::new(); n_ent];
    let mut article_entities = vec![Vec::new(); articles.len()];
    // Co-mentions: every pair of entities named in the same paragraph, as a
    // flat list sorted once, rather than a map updated per pair.
    let mut pairs: Vec<(Ix, Ix)> = Vec::new();
    let mut in_block: Vec<Ix> = Vec::new();
    for (a, article) in articles.iter().enumerate() {
        let mut per_article: BTreeMap<Ix, u32> = BTreeMap::new();
        for (m, mention) in article.mentions.iter().enumerate() {
            mentions[mention.entity as usize].push((a as Ix, m as u32));
            *per_article.entry(mention.entity).or_default() += 1;
        }
        article_entities[a] = per_article.into_iter().collect();
        // Mentions are sorted by block, so each block is one run.
        for run in article.mentions.chunk_by(|x, y| x.block == y.block) {
            in_block.clear();
            in_block.extend(run.iter().map(|m| m.entity));
            in_block.sort_unstable();
            in_block.dedup();
            for (i, &x) in in_block.iter().enumerate() {
                for &y in &in_block[i + 1..] {
                    pairs.push((x, y));
                }
            }
        }
    }
    pairs.sort_unstable();
    for run in pairs.chunk_by(|p, q| p == q) {
        let (x, y) = run[0];
        let count = run.len() as u32;
        comentions[x as usize].push((y, count));
        comentions[y as usize].push((x, count));
    }
    for list in &mut comentions {
        list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    }
    (mentions, comentions, article_entities)
}

/// Quotes, tagged notes, relations, events and what cites each paragraph.
fn citation_index(ix: &mut Index, r: &Resolved) {
    for (a, article) in r.articles.iter().enumerate() {
        for (n, note) in article.notes.iter().enumerate() {
            let c = Citer::Note(a as Ix, n as u32);
            add_passage(ix, &note.passage, c, false);
            if let Some(s) = note.speaker {
                ix.quotes[s as usize].push((a as Ix, n as u32));
            }
            for &e in &note.entities {
                ix.entity_notes[e as usize].push((a as Ix, n as u32));
            }
            add_rich(ix, &note.body, c);
        }
        for (n, note) in article.about.iter().enumerate() {
            add_rich(ix, &note.body, Citer::About(a as Ix, n as u32));
        }
    }
    for (e, entity) in r.entities.iter().enumerate() {
        for rel in &entity.relations {
            ix.inbound[rel.to as usize].push((e as Ix, rel.label.clone()));
        }
        add_rich(ix, &entity.description, Citer::Entity(e as Ix));
    }
    for (v, event) in r.events.iter().enumerate() {
        let c = Citer::Event(v as Ix);
        for &e in &event.entities {
            ix.entity_events[e as usize].push(v as Ix);
        }
        let mut articles = BTreeSet::new();
        for s in &event.sources {
            articles.insert(s.article);
            add_citation(ix, s, c);
        }
        for a in articles {
            ix.article_events[a as usize].push(v as Ix);
        }
        add_rich(ix, &event.body, c);
    }
    for (p, page) in r.pages.iter().enumerate() {
        add_rich(ix, &page.body, Citer::Page(p as Ix));
    }
    for list in ix.citers.values_mut() {
        sorted_once(list);
    }
    for list in &mut ix.cited_passages {
        sorted_once(list);
    }
}

/// Sorts a list, keeps each item once, and lets the spare room go.
fn sorted_once<T: Ord>(list: &mut Vec<T>) {
    list.sort_unstable();
    list.dedup();
    list.shrink_to_fit();
}

fn add_rich(ix: &mut Index, rich: &Rich, c: Citer) {
    for r in rich.resolved() {
        if let Ref::Cite(cite) = r {
            add_citation(ix, cite, c);
        }
    }
}

fn add_citation(ix: &mut Index, cite: &Citation, c: Citer) {
    match cite.at {
        CiteAt::Article => {}
        CiteAt::Paragraph(p) => {
            ix.citers.entry((cite.article, p)).or_default().push((None, c));
        }
        CiteAt::Passage(p) => add_passage(ix, &p, c, true),
    }
}

fn add_passage(ix: &mut Index, p: &Passage, c: Citer, highlight: bool) {
    ix.citers.entry((p.article, p.paragraph)).or_default().push((Some((p.start, p.end)), c));
    if highlight {
        ix.cited_passages[p.article as usize].push(*p);
    }
}

/// The provenance applied to the records: an article's or entity's file's
/// last change; a note's or event's, read from the lines of its record
/// (from its first line to the line before the next record of its file).
fn source(r: &Resolved) -> crate::model::Source {
    let p = &r.provenance;
    let mut starts: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    let origins = r.articles.iter().flat_map(|a| a.notes.iter().map(|n| &n.origin));
    for o in origins.chain(r.events.iter().map(|e| &e.origin)) {
        starts.entry(&*o.file).or_default().push(o.line);
    }
    for lines in starts.values_mut() {
        lines.sort_unstable();
        lines.dedup();
    }
    let record = |o: &crate::model::Origin| {
        let next = starts.get(&*o.file).and_then(|ls| ls.iter().find(|&&l| l > o.line));
        p.lines(&o.file, o.line, next.map_or(u32::MAX, |l| l - 1))
    };
    crate::model::Source {
        commit: p.commit.clone(),
        time: p.time,
        articles: r.articles.iter().map(|a| p.file(&format!("content/articles/{}.md", a.id))).collect(),
        notes: r.articles.iter().map(|a| a.notes.iter().map(|n| record(&n.origin)).collect()).collect(),
        entities: r.entities.iter().map(|e| p.file(&format!("content/entities/{}.yaml", e.id))).collect(),
        events: r.events.iter().map(|e| record(&e.origin)).collect(),
    }
}
