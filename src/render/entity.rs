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
/// Characters of context on each side of a mention, at most: the cut
/// falls at the last word boundary within them. Fifty keep a row on one
/// line on a desktop screen, so the words next to the keyword stay on its
/// line (a longer text before it would wrap them onto the next).
const CONTEXT: usize = 50;
/// Notes about an entity, and quotes attributed to it, shown on its page;
/// the rest are on paged lists (`notes.html`, `quotes.html` …) that the
/// page links to, so that an entity named in thousands of articles keeps
/// a page that is cheap to build and light to download.
pub const NOTES_ON_PAGE: usize = 20;
/// Events of an entity's own timeline shown on its page (the rest: `events.html` …).
pub const EVENTS_ON_PAGE: usize = 50;
/// Items per page of those paged lists.
pub const LIST_PER_PAGE: usize = 100;

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
    quotes_more: Option<MoreLink>,
    notes: Vec<QuoteView>,
    notes_more: Option<MoreLink>,
    events: Vec<EventRef>,
    events_more: Option<MoreLink>,
    citations: String,
    /// The relations both ways, grouped by the kind of the other entity.
    relation_groups: Vec<RelationGroup>,
    /// Whether the page is long enough for a table of contents.
    toc: bool,
}

/// A link from an entity page to the whole paged list it shows the start of.
#[derive(Serialize)]
struct MoreLink {
    href: String,
    count: usize,
}

/// One page of an entity's notes, quotes or events (`entity-list.html`).
#[derive(Serialize)]
struct ListPage {
    name: String,
    href: String,
    /// `notes`, `quotes` or `events`: which list this is.
    list: &'static str,
    count: usize,
    quotes: Vec<QuoteView>,
    events: Vec<EventRef>,
    pager: Vec<PagerLink>,
    citations: String,
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
    /// The context before the keyword, as HTML (Latin runs isolated).
    left: String,
    keyword: String,
    /// The context after the keyword, as HTML.
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
    pages(d, cat, i, &|_| true)
}

/// The one page of entity `i` at `path` (none if it has no such page),
/// without building its other pages: the preview renders a page of the
/// keyword-in-context list of an entity named thousands of times without
/// the dozens of others.
pub fn entity_page(d: &Dossier, cat: &Catalogue, i: usize, path: &str) -> Vec<PageOut> {
    pages(d, cat, i, &|p| p == path)
}

/// The breadcrumbs of entity `i`'s pages below its main one: the kind,
/// then the entity.
fn sub_crumbs(d: &Dossier, i: usize, current: String) -> super::Crumbs {
    let e = &d.entities[i];
    super::Crumbs {
        section: true,
        trail: kind_crumb(d, &e.kind)
            .into_iter()
            .chain([super::LinkView { title: e.name.clone(), href: "index.html".to_string() }])
            .collect(),
        current: Some(current),
    }
}

/// The entity index's section of entities of `kind`, as a breadcrumb.
fn kind_crumb(d: &Dossier, kind: &str) -> Option<super::LinkView> {
    d.config
        .kinds
        .iter()
        .find(|k| k.id == kind)
        .map(|k| super::LinkView { title: k.label.clone(), href: format!("{ROOT}entities/index.html#kind-{}", k.id) })
}

/// The pages of entity `i` whose path `want` accepts.
fn pages(d: &Dossier, cat: &Catalogue, i: usize, want: &dyn Fn(&str) -> bool) -> Vec<PageOut> {
    let e = &d.entities[i];
    let numerals = d.config.numerals;
    let chunks: Vec<&[(Ix, u32)]> = if d.index.mentions[i].is_empty() {
        vec![&[][..]]
    } else {
        d.index.mentions[i].chunks(MENTIONS_PER_PAGE).collect()
    };
    let hrefs: Vec<String> = (0..chunks.len())
        .map(|k| if k == 0 { "index.html".to_string() } else { format!("mentions-{}.html", k + 1) })
        .collect();
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
    let all_quotes = &d.index.quotes[i];
    let all_notes: Vec<(Ix, u32)> = d.index.entity_notes[i]
        .iter()
        .copied()
        .filter(|&(a, k)| d.articles[a as usize].notes[k as usize].speaker != Some(i as Ix))
        .collect();
    let all_events = &d.index.entity_events[i];
    let mut pages = Vec::new();
    let main = format!("entities/{}/index.html", e.id);
    if want(&main) {
        let mut cites = Citations::new(ROOT, cat);
        let description = rich::render(d, &e.description, ROOT, &mut cites);
        let rel = |to: Ix, label: &str, fallback: bool| {
            let other = &d.entities[to as usize];
            let href = url::entity(ROOT, &other.id);
            let link = format!("<a href=\"{href}\" class=\"entity-link\">{}</a>", escape(&other.name));
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
                let inverse =
                    d.entities[*from as usize].relations.iter().find(|r| r.to as usize == i && r.label == *label);
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
        let comentions: Vec<CountView> = d.index.comentions[i]
            .iter()
            .take(20)
            .map(|&(o, count)| {
                let other = &d.entities[o as usize];
                CountView {
                    name: other.name.clone(),
                    href: url::entity(ROOT, &other.id),
                    count: number(count, numerals),
                }
            })
            .collect();
        let quotes: Vec<QuoteView> =
            all_quotes.iter().take(NOTES_ON_PAGE).map(|&(a, k)| note_view(a, k, &mut cites)).collect();
        let notes: Vec<QuoteView> =
            all_notes.iter().take(NOTES_ON_PAGE).map(|&(a, k)| note_view(a, k, &mut cites)).collect();
        let events: Vec<EventRef> =
            all_events.iter().take(EVENTS_ON_PAGE).map(|&v| event_ref(d, cat, ROOT, v)).collect();
        let more = |list: &str, len: usize, shown: usize| {
            (len > shown).then(|| MoreLink { href: format!("{list}.html"), count: len })
        };
        let relation_groups = relation_groups(d, relations.into_iter().chain(inbound));
        let sections = [
            !relation_groups.is_empty(),
            !quotes.is_empty(),
            !events.is_empty(),
            !notes.is_empty(),
            true, // the mentions
            !comentions.is_empty(),
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
            mentions: kwic(d, cat, chunks[0]),
            pager: pager(d.config.numerals, &hrefs, 0),
            quotes,
            quotes_more: more("quotes", all_quotes.len(), NOTES_ON_PAGE),
            notes,
            notes_more: more("notes", all_notes.len(), NOTES_ON_PAGE),
            events,
            events_more: more("events", all_events.len(), EVENTS_ON_PAGE),
            citations: cites.list_html(d),
            relation_groups,
            toc,
        };
        let crumbs =
            super::Crumbs { section: true, trail: kind_crumb(d, &e.kind).into_iter().collect(), current: None };
        pages.push((
            main,
            "entity.html",
            page_view(d, ROOT, e.name.clone(), "entities", view).with_crumbs(crumbs),
            Vec::new(),
        ));
    }
    for (k, chunk) in chunks.iter().enumerate().skip(1) {
        let path = format!("entities/{}/{}", e.id, hrefs[k]);
        if !want(&path) {
            continue;
        }
        let view = MentionsPage {
            name: e.name.clone(),
            href: "index.html".to_string(),
            mention_count: d.index.mentions[i].len(),
            mentions: kwic(d, cat, chunk),
            pager: pager(d.config.numerals, &hrefs, k),
        };
        let title = cat.tf("entity.mentions_page", &[("name", &e.name), ("n", &number(k + 1, numerals))]);
        let crumbs = sub_crumbs(d, i, number(k + 1, numerals));
        pages.push((
            path,
            "mentions.html",
            page_view(d, ROOT, title, "entities", view).with_crumbs(crumbs),
            Vec::new(),
        ));
    }
    if all_quotes.len() > NOTES_ON_PAGE {
        pages.extend(list_pages(d, cat, i, "quotes", all_quotes.len(), want, &|range, cites| {
            let quotes = all_quotes[range].iter().map(|&(a, k)| note_view(a, k, cites)).collect();
            (quotes, Vec::new())
        }));
    }
    if all_notes.len() > NOTES_ON_PAGE {
        pages.extend(list_pages(d, cat, i, "notes", all_notes.len(), want, &|range, cites| {
            let notes = all_notes[range].iter().map(|&(a, k)| note_view(a, k, cites)).collect();
            (notes, Vec::new())
        }));
    }
    if all_events.len() > EVENTS_ON_PAGE {
        pages.extend(list_pages(d, cat, i, "events", all_events.len(), want, &|range, _| {
            (Vec::new(), all_events[range].iter().map(|&v| event_ref(d, cat, ROOT, v)).collect())
        }));
    }
    pages
}

/// The items of one page of a paged list: (notes or quotes, events).
type ListItems = (Vec<QuoteView>, Vec<EventRef>);

/// The pages of one of an entity's long lists: `{list}.html`, then
/// `{list}-2.html` …, `LIST_PER_PAGE` items each.
fn list_pages(
    d: &Dossier,
    cat: &Catalogue,
    i: usize,
    list: &'static str,
    len: usize,
    want: &dyn Fn(&str) -> bool,
    items: &dyn Fn(std::ops::Range<usize>, &mut Citations<'_>) -> ListItems,
) -> Vec<PageOut> {
    let e = &d.entities[i];
    let numerals = d.config.numerals;
    let n_pages = len.div_ceil(LIST_PER_PAGE);
    let hrefs: Vec<String> =
        (0..n_pages).map(|k| if k == 0 { format!("{list}.html") } else { format!("{list}-{}.html", k + 1) }).collect();
    let heading = cat.t(match list {
        "quotes" => "entity.quotes",
        "notes" => "entity.notes",
        _ => "entity.timeline",
    });
    (0..n_pages)
        .filter(|&k| want(&format!("entities/{}/{}", e.id, hrefs[k])))
        .map(|k| {
            let mut cites = Citations::new(ROOT, cat);
            let range = k * LIST_PER_PAGE..((k + 1) * LIST_PER_PAGE).min(len);
            let (quotes, events) = items(range, &mut cites);
            let view = ListPage {
                name: e.name.clone(),
                href: "index.html".to_string(),
                list,
                count: len,
                quotes,
                events,
                pager: pager(numerals, &hrefs, k),
                citations: cites.list_html(d),
            };
            let title =
                cat.tf("entity.list_page", &[("name", &e.name), ("list", heading), ("n", &number(k + 1, numerals))]);
            (
                format!("entities/{}/{}", e.id, hrefs[k]),
                "entity-list.html",
                page_view(d, ROOT, title, "entities", view).with_crumbs(sub_crumbs(
                    d,
                    i,
                    format!("{heading} ({})", number(k + 1, numerals)),
                )),
                Vec::new(),
            )
        })
        .collect()
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
        let (mut left, right) = context(&block.text, s, e2, CONTEXT);
        // A proclitic written onto the name (`و` of `وباماكو`) ends the text
        // before: it must not wrap away from the name onto a line of its own.
        if let Some(space) = left.rfind(' ').filter(|&i| left[i + 1..].chars().count() <= 2 && i + 1 < left.len()) {
            left.replace_range(space..space + 1, "\u{a0}");
        }
        let para = match block.kind {
            BlockKind::Paragraph(n) => cat.tf("paragraph.ref", &[("n", &number(n, numerals))]),
            BlockKind::Heading(_) => cat.t("paragraph.heading").to_string(),
        };
        let item = Kwic {
            left: text_html(&left),
            keyword: text_html(block.text.get(s..e2).unwrap_or("")),
            right: text_html(&right),
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

/// The context of the keyword at bytes `start..end` of `text`: at most
/// `width` characters on each side, cut at a word boundary, with «…» on
/// each side that was cut. A word is never cut in two: a cut Arabic word
/// takes another letter form and reads as another word.
pub fn context(text: &str, start: usize, end: usize, width: usize) -> (String, String) {
    let before = text.get(..start).unwrap_or("");
    let after = text.get(end..).unwrap_or("");
    let left = if before.chars().count() <= width {
        before.to_string()
    } else {
        // The last `width` characters, less the word the window cuts into
        // unless the window starts right after a space.
        let from = before.char_indices().rev().nth(width - 1).map_or(0, |(i, _)| i);
        let window = &before[from..];
        let at_boundary = before[..from].ends_with(char::is_whitespace);
        let kept = if at_boundary { window } else { window.find(char::is_whitespace).map_or("", |i| &window[i..]) };
        format!("…{}", kept.trim_start())
    };
    let right = if after.chars().count() <= width {
        after.to_string()
    } else {
        let to = after.char_indices().nth(width).map_or(after.len(), |(i, _)| i);
        let window = &after[..to];
        let at_boundary = after[to..].starts_with(char::is_whitespace);
        let kept = if at_boundary { window } else { window.rfind(char::is_whitespace).map_or("", |i| &window[..i]) };
        format!("{}…", kept.trim_end())
    };
    (left, right)
}

/// Plain text as HTML with each Latin run (`BMP-3`, `Su-24`) isolated in
/// a `<bdi>`; a run of one word is also kept on one line (`class="nb"`),
/// so that a model number never breaks at its hyphen.
pub fn text_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut at = 0;
    for (mut s, e) in super::overlay::latin_runs(text) {
        // A model number may start with digits (`59N6-TE`): they belong to
        // the run that follows them.
        while s > at && text.as_bytes()[s - 1].is_ascii_digit() {
            s -= 1;
        }
        out.push_str(&super::escape(&text[at..s]));
        let run = &text[s..e];
        if run.contains(char::is_whitespace) {
            out.push_str("<bdi>");
        } else {
            out.push_str("<bdi class=\"nb\">");
        }
        out.push_str(&super::escape(run));
        out.push_str("</bdi>");
        at = e;
    }
    out.push_str(&super::escape(&text[at..]));
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The context of the first `kw` in `text`.
    fn ctx(text: &str, kw: &str, width: usize) -> (String, String) {
        let s = text.find(kw).unwrap();
        context(text, s, s + kw.len(), width)
    }

    #[test]
    fn context_is_cut_at_word_boundaries_with_an_ellipsis_on_each_cut_side() {
        let text = "قال المتحدث إن الجيش المالي تسلم من روسيا مروحيات جديدة في مطار باماكو الدولي أمس";
        // Short contexts are whole: no ellipsis.
        assert_eq!(
            ctx(text, "روسيا", 100),
            ("قال المتحدث إن الجيش المالي تسلم من ".into(), " مروحيات جديدة في مطار باماكو الدولي أمس".into())
        );
        // 12 characters each side: «الجيش المالي تسلم من » is 21, so the
        // window «لمالي تسلم من » starts inside «المالي» and drops it.
        let (left, right) = ctx(text, "روسيا", 12);
        assert_eq!(left, "…تسلم من ");
        assert_eq!(right, " مروحيات…");
        // Every word shown is a whole word of the text.
        let words: Vec<&str> = text.split(' ').collect();
        for w in left.trim_start_matches('…').split_whitespace().chain(right.trim_end_matches('…').split_whitespace())
        {
            assert!(words.contains(&w), "«{w}» is a cut word");
        }
        // A window that ends exactly at a space keeps its last word.
        let (_, right) = ctx(text, "روسيا", " مروحيات".chars().count());
        assert_eq!(right, " مروحيات…");
        // A window inside one long word keeps nothing but the ellipsis.
        let (left, right) = ctx("كلمةطويلةجدابلافراغ X كلمةطويلةجدابلافراغ", "X", 5);
        assert_eq!((left.as_str(), right.as_str()), ("…", "…"));
    }

    #[test]
    fn latin_model_numbers_are_isolated_and_kept_on_one_line() {
        assert_eq!(
            text_html("تسلم BMP-3 و Su-24M"),
            "تسلم <bdi class=\"nb\">BMP-3</bdi> و <bdi class=\"nb\">Su-24M</bdi>"
        );
        assert_eq!(text_html("رادار 59N6-TE <جديد>"), "رادار <bdi class=\"nb\">59N6-TE</bdi> &lt;جديد&gt;");
        // A run of several words may wrap between them.
        assert_eq!(text_html("عن Omar Diarra"), "عن <bdi>Omar Diarra</bdi>");
    }
}
