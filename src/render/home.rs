//! The home page (summary, articles, key entities, recent events), free
//! pages, and the 404 page.

use super::article::{event_ref, EventRef};
use super::{date_view, number, page_view, pager, rich, url, Citations, DateView, PageOut, PagerLink};
use crate::i18n::Catalogue;
use crate::model::*;
use serde::Serialize;

#[derive(Serialize)]
struct HomeView {
    description: String,
    more_articles: bool,
    articles: Vec<ArticleItem>,
    entities: Vec<KeyEntity>,
    events: Vec<EventRef>,
    counts: Counts,
}

#[derive(Serialize)]
struct Counts {
    articles: usize,
    entities: usize,
    notes: usize,
    events: usize,
}

#[derive(Serialize)]
struct ArticleItem {
    title: String,
    title_editorial: bool,
    href: String,
    outlet: Option<String>,
    published: Option<DateView>,
    notes: usize,
}

#[derive(Serialize)]
struct KeyEntity {
    name: String,
    href: String,
    count: String,
}

/// How many entities, events and articles the home page shows.
const KEY_ENTITIES: usize = 12;
const RECENT_EVENTS: usize = 6;
const HOME_ARTICLES: usize = 20;
/// Articles per page of the article index.
const ARTICLES_PER_PAGE: usize = 200;

pub fn home(d: &Dossier, cat: &Catalogue) -> PageOut {
    let root = "";
    let numerals = d.config.numerals;
    let articles = newest_first(d).into_iter().take(HOME_ARTICLES).map(|a| article_item(d, cat, root, a)).collect();
    let mut ranked: Vec<(usize, usize)> = d.index.mentions.iter().enumerate().map(|(i, m)| (m.len(), i)).collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let entities = ranked
        .into_iter()
        .filter(|&(n, _)| n > 0)
        .take(KEY_ENTITIES)
        .map(|(n, i)| KeyEntity {
            name: d.entities[i].name.clone(),
            href: url::entity(root, &d.entities[i].id),
            count: number(n, numerals),
        })
        .collect();
    let events = (0..d.events.len()).rev().take(RECENT_EVENTS).map(|v| event_ref(d, cat, root, v as Ix)).collect();
    let view = HomeView {
        description: d.config.description.clone(),
        more_articles: d.articles.len() > HOME_ARTICLES,
        articles,
        entities,
        events,
        counts: Counts {
            articles: d.articles.len(),
            entities: d.entities.len(),
            notes: d.articles.iter().map(|a| a.notes.len()).sum::<usize>(),
            events: d.events.len(),
        },
    };
    ("index.html".to_string(), "index.html", page_view(d, root, d.config.title.clone(), "home", view), Vec::new())
}

/// Newest first; undated articles last, then by id.
fn newest_first(d: &Dossier) -> Vec<&Article> {
    let mut articles: Vec<&Article> = d.articles.iter().collect();
    articles.sort_by(|a, b| b.published.cmp(&a.published).then_with(|| a.id.cmp(&b.id)));
    articles
}

fn article_item(d: &Dossier, cat: &Catalogue, root: &str, a: &Article) -> ArticleItem {
    ArticleItem {
        title: a.title.clone(),
        title_editorial: a.title_editorial,
        href: url::article(root, &a.id),
        outlet: a.outlet.clone(),
        published: a.published.as_ref().map(|p| date_view(d, cat, p)),
        notes: a.notes.len(),
    }
}

#[derive(Serialize)]
struct ArticleList {
    count: usize,
    articles: Vec<ArticleItem>,
    pager: Vec<PagerLink>,
}

/// Every article, newest first, in pages: `articles/index.html`, then
/// `articles/index-2.html` … (a name no article id can take).
pub fn article_index(d: &Dossier, cat: &Catalogue) -> Vec<PageOut> {
    let root = "../";
    let all = newest_first(d);
    let chunks: Vec<&[&Article]> = if all.is_empty() { vec![&[][..]] } else { all.chunks(ARTICLES_PER_PAGE).collect() };
    let hrefs: Vec<String> = (0..chunks.len())
        .map(|i| if i == 0 { "index.html".to_string() } else { format!("index-{}.html", i + 1) })
        .collect();
    chunks
        .iter()
        .enumerate()
        .map(|(i, chunk)| {
            let view = ArticleList {
                count: d.articles.len(),
                articles: chunk.iter().map(|a| article_item(d, cat, root, a)).collect(),
                pager: pager(d.config.numerals, &hrefs, i),
            };
            (
                format!("articles/{}", hrefs[i]),
                "articles.html",
                page_view(d, root, cat.t("articles.title").to_string(), "articles", view),
                Vec::new(),
            )
        })
        .collect()
}

#[derive(Serialize)]
struct FreePage {
    body: String,
    /// The list of outside sources, on a page that asks for it.
    external: String,
    citations: String,
}

/// Every source outside the texts that the dossier cites, each with the
/// notes and events that rest on it (a page with `external_sources: true`,
/// the methodology, ends with it).
fn external_list(d: &Dossier, cat: &Catalogue, root: &str) -> String {
    // url → (the source, where it is used)
    let mut by: std::collections::BTreeMap<&str, (&External, Vec<String>)> = Default::default();
    for a in &d.articles {
        let notes = a.notes.iter().map(|n| (&n.id, &n.external)).chain(a.about.iter().map(|n| (&n.id, &n.external)));
        for (id, list) in notes {
            for x in list {
                let at = format!(
                    "<a href=\"{}#note-{id}\">{}</a>",
                    super::url::article(root, &a.id),
                    super::escape(&cat.tf("external.note_on", &[("title", &a.title)]))
                );
                by.entry(x.url.as_str()).or_insert((x, Vec::new())).1.push(at);
            }
        }
    }
    for ev in &d.events {
        for x in &ev.external {
            let at = format!(
                "<a href=\"{}\">{}</a>",
                super::url::event(d, root, ev),
                super::escape(&cat.tf("external.event", &[("title", &ev.title)]))
            );
            by.entry(x.url.as_str()).or_insert((x, Vec::new())).1.push(at);
        }
    }
    if by.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "<section class=\"external-sources\" aria-labelledby=\"external-title\">\n<h2 id=\"external-title\">{}</h2>\n<ul>\n",
        super::escape(cat.t("external.title"))
    );
    for (x, uses) in by.values() {
        out.push_str(&format!(
            "<li>{} <span class=\"used\">{} {}</span></li>\n",
            super::external_html(d, cat, std::slice::from_ref(*x)),
            super::escape(cat.t("external.used_by")),
            uses.join(cat.t("punct.comma"))
        ));
    }
    out.push_str("</ul>\n</section>\n");
    out
}

pub fn page(d: &Dossier, cat: &Catalogue, i: usize) -> PageOut {
    let root = "../../";
    let p = &d.pages[i];
    let mut cites = Citations::new(root, cat);
    let body = rich::render(d, &p.body, root, &mut cites);
    let external = if p.external_sources { external_list(d, cat, root) } else { String::new() };
    let view = FreePage { body, external, citations: cites.list_html(d) };
    (
        format!("pages/{}/index.html", p.id),
        "page.html",
        page_view(d, root, p.title.clone(), "pages", view).with_crumbs(super::Crumbs::default()),
        Vec::new(),
    )
}

/// The page a host serves for any missing address, at any depth: its
/// links and files start from the site's path on the host (`base_url`'s,
/// else the host's root). Opened from a folder, it also loads the
/// stylesheet beside it, and `static/notfound.js` makes its links
/// relative (see `base.html`).
pub fn not_found(d: &Dossier, cat: &Catalogue) -> PageOut {
    let path = super::site_path(d);
    let mut view = page_view(d, &path, cat.t("not_found.title").to_string(), "", ());
    view.base = Some(path);
    ("404.html".to_string(), "404.html", view, Vec::new())
}
