//! The `render` stage: turns the finished `Dossier` into output files.
//! Templates (tera) see view structs built here, never the model, so the
//! model can change without breaking themes. Every link is relative to the
//! page (`root` is `../..` or `.`), and points at `…/index.html`, so the
//! folder works from `file://` and under any sub-path. Nothing here touches
//! the file system and nothing here reports content errors: everything that
//! could be wrong was reported by `resolve`.

mod affected;
mod article;
pub mod entity;
mod export;
mod home;
mod overlay;
mod rich;
pub mod search;
mod timeline;
mod voices;

use crate::config::Numerals;
use crate::date::{Date, DateStyle, Digits, MonthSeries};
use crate::i18n::Catalogue;
use crate::model::*;
use rayon::prelude::*;
use serde::Serialize;

pub use affected::{Affected, ChangedFile};

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The default theme, compiled in so the binary works from any folder.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../themes/default/templates/base.html")),
    ("macros.html", include_str!("../../themes/default/templates/macros.html")),
    ("index.html", include_str!("../../themes/default/templates/index.html")),
    ("article.html", include_str!("../../themes/default/templates/article.html")),
    ("entity.html", include_str!("../../themes/default/templates/entity.html")),
    ("entities.html", include_str!("../../themes/default/templates/entities.html")),
    ("timeline.html", include_str!("../../themes/default/templates/timeline.html")),
    ("timeline-index.html", include_str!("../../themes/default/templates/timeline-index.html")),
    ("voices.html", include_str!("../../themes/default/templates/voices.html")),
    ("articles.html", include_str!("../../themes/default/templates/articles.html")),
    ("mentions.html", include_str!("../../themes/default/templates/mentions.html")),
    ("entity-list.html", include_str!("../../themes/default/templates/entity-list.html")),
    ("page.html", include_str!("../../themes/default/templates/page.html")),
    ("404.html", include_str!("../../themes/default/templates/404.html")),
    ("search.html", include_str!("../../themes/default/templates/search.html")),
];

pub const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    ("milaf.css", include_bytes!("../../themes/default/static/milaf.css")),
    ("milaf.js", include_bytes!("../../themes/default/static/milaf.js")),
    ("search.js", include_bytes!("../../themes/default/static/search.js")),
    ("naskh-regular.woff2", include_bytes!("../../themes/default/static/naskh-regular.woff2")),
    ("naskh-bold.woff2", include_bytes!("../../themes/default/static/naskh-bold.woff2")),
    ("OFL.txt", include_bytes!("../../themes/default/static/OFL.txt")),
    ("notfound.js", include_bytes!("../../themes/default/static/notfound.js")),
    ("timeline.js", include_bytes!("../../themes/default/static/timeline.js")),
];

/// Where rendered files go. `render_to` calls it from several threads, as
/// soon as each page is ready, so a large site never sits in memory whole.
/// Both implementations live in `write`: `Staging` on disk, `Collect` in
/// memory (tests and `milaf serve`); nothing in `render` touches the file system.
pub trait Sink: Sync {
    fn file(&self, path: &str, bytes: &[u8]) -> anyhow::Result<()>;
    /// Writes a large file piece by piece (the JSON export).
    fn stream(
        &self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> anyhow::Result<()>;
    /// Puts a copy of a dossier file into the site, byte for byte.
    fn copy(&self, path: &str, from: &std::path::Path) -> anyhow::Result<()>;
}

/// A theme compiled once: its tera templates, its static files and its
/// catalogue for the dossier's language. A build compiles it once;
/// `serve` keeps it until the theme or the language changes.
pub struct Templates {
    tera: tera::Tera,
    statics: Vec<(String, Vec<u8>)>,
    catalogue: std::sync::Arc<crate::i18n::Catalogue>,
}

impl Templates {
    /// Compiles `theme`, or the compiled-in default theme, with the
    /// wording of `lang` (the theme's catalogue over the built-in one).
    pub fn new(theme: Option<&crate::load::Theme>, lang: &str, numerals: Numerals) -> anyhow::Result<Templates> {
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html"]);
        // Tera's default escaper also escapes `/`, which turns every relative
        // href into `..&#x2F;..`; ours escapes what HTML needs and no more.
        tera.set_escape_fn(escape);
        match theme {
            Some(t) if !t.templates.is_empty() => {
                tera.add_raw_templates(t.templates.iter().map(|(n, s)| (n.as_str(), s.as_str())))?;
            }
            _ => tera.add_raw_templates(DEFAULT_TEMPLATES.iter().copied())?,
        }
        let statics = match theme {
            Some(t) if !t.statics.is_empty() => t.statics.clone(),
            _ => DEFAULT_STATIC.iter().map(|(n, b)| (n.to_string(), b.to_vec())).collect(),
        };
        let user = theme.map_or(&[][..], |t| t.catalogues.as_slice());
        let catalogue = crate::i18n::Catalogue::new(lang, numerals, user)
            .map_err(|d| anyhow::anyhow!("{}", crate::diag::render_human(&[d])))?;
        // A key a template names that no catalogue has fails here, before
        // any page, with the template's name.
        let sources = match theme {
            Some(t) if !t.templates.is_empty() => t.templates.iter().map(|(n, s)| (n.as_str(), s.as_str())).collect(),
            _ => DEFAULT_TEMPLATES.to_vec(),
        };
        for (name, text) in sources {
            if let Some((_, key, _)) =
                crate::i18n::template_keys(text).into_iter().find(|(_, k, counted)| !catalogue.has(k, *counted))
            {
                anyhow::bail!("template {name}: no catalogue of the theme has the key `{key}`");
            }
        }
        let catalogue = std::sync::Arc::new(catalogue);
        tera.register_function("t", TextFn(catalogue.clone()));
        tera.register_function("count", CountFn(catalogue.clone()));
        Ok(Templates { tera, statics, catalogue })
    }

    /// The wording the pages are written in.
    pub fn catalogue(&self) -> &crate::i18n::Catalogue {
        &self.catalogue
    }
}

/// `t(key="…", name=value…)` in a template: the catalogue's text for the
/// key with its `{name}` placeholders filled (numbers in the dossier's
/// numerals). An unknown key fails the page with the key's name.
struct TextFn(std::sync::Arc<crate::i18n::Catalogue>);

impl tera::Function for TextFn {
    fn call(&self, args: &std::collections::HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
        let key = args.get("key").and_then(|k| k.as_str()).ok_or_else(|| tera::Error::msg("t() needs key=\"…\""))?;
        let text = self.0.get(key).map_err(|e| tera::Error::msg(e.to_string()))?;
        let mut values: Vec<(&str, String)> = args
            .iter()
            .filter(|(k, _)| k.as_str() != "key")
            .map(|(k, v)| {
                let shown = match v {
                    tera::Value::String(s) => s.clone(),
                    tera::Value::Number(n) => number(n, self.0.numerals()),
                    other => other.to_string(),
                };
                (k.as_str(), shown)
            })
            .collect();
        values.sort();
        let pairs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
        Ok(tera::Value::String(crate::i18n::fill(text, &pairs)))
    }
}

/// `count(key="count.article", n=…)` in a template: the form of the counted
/// noun that agrees with `n` by the CLDR plural rules of the language.
struct CountFn(std::sync::Arc<crate::i18n::Catalogue>);

impl tera::Function for CountFn {
    fn call(&self, args: &std::collections::HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
        let key =
            args.get("key").and_then(|k| k.as_str()).ok_or_else(|| tera::Error::msg("count() needs key=\"…\""))?;
        let n = match args.get("n") {
            Some(tera::Value::Number(n)) => n.as_u64(),
            Some(tera::Value::String(s)) => s.parse().ok(),
            _ => None,
        }
        .ok_or_else(|| tera::Error::msg(format!("count(key=\"{key}\") needs n=<a whole number>")))?;
        self.0.count(key, n).map(tera::Value::String).map_err(|e| tera::Error::msg(e.to_string()))
    }
}

fn site_view(d: &Dossier, cat: &Catalogue) -> SiteView {
    SiteView {
        title: d.config.title.clone(),
        description: d.config.description.clone(),
        lang: d.config.lang.clone(),
        dir: d.config.dir,
        pages: d
            .pages
            .iter()
            .map(|p| LinkView { title: p.title.clone(), href: format!("pages/{}/index.html", p.id) })
            .collect(),
        source: d.source.commit.as_ref().map(|c| SourceView {
            commit: c.id.clone(),
            short: c.id.chars().take(12).collect(),
            date: day_view(d, cat, c.time),
            dirty: c.dirty,
        }),
        remote_media: d.config.remote_media,
    }
}

/// The day (UTC) of a time, shown as the dossier shows dates.
pub fn day_view(d: &Dossier, cat: &Catalogue, secs: i64) -> DateView {
    let day = crate::provenance::iso_date(secs);
    match crate::date::parse(&day) {
        Ok(date) => DateView { datetime: crate::provenance::iso8601(secs), ..date_view(d, cat, &date) },
        Err(_) => DateView { text: day, datetime: crate::provenance::iso8601(secs), wording: None },
    }
}

/// When a record last changed, as a page shows it: a day, or "not
/// committed yet" (no day is claimed for a change git has not recorded).
#[derive(Serialize, Clone)]
pub struct ChangedView {
    pub date: Option<DateView>,
    pub uncommitted: bool,
}

pub fn changed_view(d: &Dossier, cat: &Catalogue, changed: Option<crate::provenance::Changed>) -> Option<ChangedView> {
    Some(match changed? {
        crate::provenance::Changed::At(t) => ChangedView { date: Some(day_view(d, cat, t)), uncommitted: false },
        crate::provenance::Changed::Uncommitted => ChangedView { date: None, uncommitted: true },
    })
}

/// Every page job of the dossier, heaviest first: the pages built from
/// the whole dossier, then the entities by number of mentions (their
/// keyword-in-context pages grow with it), then the articles. A build
/// takes the jobs in this order, so that the last ones to finish are
/// small and every core stays busy to the end.
fn jobs(d: &Dossier) -> Vec<Job> {
    let mut jobs: Vec<Job> =
        vec![Job::Timeline, Job::EntityIndex, Job::ArticleIndex, Job::Home, Job::Voices, Job::Search, Job::NotFound];
    jobs.extend((0..d.pages.len()).map(Job::Page));
    let mut entities: Vec<usize> = (0..d.entities.len()).collect();
    entities.sort_by_key(|&e| std::cmp::Reverse(d.index.mentions[e].len()));
    jobs.extend(entities.into_iter().map(Job::Entity));
    jobs.extend((0..d.articles.len()).map(Job::Article));
    jobs
}

/// One piece of a build's work after the search index: the JSON export
/// (one long sequential write, so it is taken first) or a page job.
enum Work<'a> {
    Export,
    Page(&'a Job),
}

/// Renders every page into `sink`, pages in parallel. Returns the number
/// of files.
pub fn render_to(d: &Dossier, templates: &Templates, sink: &dyn Sink) -> anyhow::Result<usize> {
    let site = site_view(d, templates.catalogue());
    let jobs = jobs(d);
    // The search index first, on all cores, before the pages.
    search::write_index(d, templates.catalogue(), sink)?;
    // Each core takes the next piece of work in order as it becomes free
    // (`par_bridge`), rather than a fixed share of the list.
    let written = std::iter::once(Work::Export)
        .chain(jobs.iter().map(Work::Page))
        .par_bridge()
        .map(|work| {
            let mut paths = Vec::new();
            match work {
                Work::Export => sink.stream("dossier.json", &mut |w| export::dossier_json(d, w))?,
                Work::Page(job) => {
                    for (path, html, extra) in render_job(d, templates, &site, job)? {
                        sink.file(&path, &html)?;
                        for c in extra {
                            sink.copy(&c.path, &c.from)?;
                        }
                        paths.push(path);
                    }
                }
            }
            Ok(paths)
        })
        .collect::<Vec<anyhow::Result<Vec<String>>>>();
    let mut pages = Vec::new();
    for w in written {
        pages.extend(w?);
    }
    let mut count = pages.len() + d.articles.iter().filter(|a| a.original.is_some()).count();
    // Each entity's preview card, once, beside its page.
    (0..d.entities.len())
        .into_par_iter()
        .try_for_each(|e| sink.file(&article::card_path(d, e as Ix), &article::card_script(d, e as Ix)))?;
    count += d.entities.len();
    for (name, bytes) in &templates.statics {
        sink.file(&format!("static/{name}"), bytes)?;
        count += 1;
    }
    let feed = export::feed(d);
    sink.file(&feed.path, &feed.bytes)?;
    count += 3;
    pages.sort();
    if let Some(map) = export::sitemap(d, &pages) {
        sink.file(&map.path, &map.bytes)?;
        count += 1;
    }
    Ok(count)
}

/// Writes the search index alone (`search/index.js` and, for a large
/// dossier, `search/shards/`), as `render_to` writes it; for measuring it.
pub fn search_index(d: &Dossier, cat: &Catalogue, sink: &dyn Sink) -> anyhow::Result<()> {
    search::write_index(d, cat, sink)
}

/// What one file of the site holds: rendered bytes, or a file of the
/// dossier copied as it is (an original), which the caller reads.
#[derive(Debug, PartialEq, Eq)]
pub enum Content {
    Bytes(Vec<u8>),
    Copy(std::path::PathBuf),
}

/// Renders the one file of the site at `path` (relative, `/`-separated,
/// as `render_to` names it), or `None` when the site has no such file.
/// The same bytes as a whole build; only the job that writes that path
/// runs (the sitemap, which lists every page, runs them all).
pub fn render_path(d: &Dossier, templates: &Templates, path: &str) -> anyhow::Result<Option<Content>> {
    let bytes = |b: Vec<u8>| Ok(Some(Content::Bytes(b)));
    match path {
        "search/index.js" => return Ok(search::index_file(d, templates.catalogue(), path).map(Content::Bytes)),
        "dossier.json" => {
            let mut out = Vec::new();
            export::dossier_json(d, &mut out)?;
            return bytes(out);
        }
        "feed.xml" => return bytes(export::feed(d).bytes),
        "sitemap.xml" => {
            let site = site_view(d, templates.catalogue());
            let mut pages = Vec::new();
            for job in jobs(d) {
                pages.extend(render_job(d, templates, &site, &job)?.into_iter().map(|(p, _, _)| p));
            }
            pages.sort();
            return Ok(export::sitemap(d, &pages).map(|f| Content::Bytes(f.bytes)));
        }
        _ => {}
    }
    if let Some(id) = path.strip_prefix("entities/").and_then(|p| p.strip_suffix("/card.js")) {
        let e = d.entities.binary_search_by(|e| e.id.as_str().cmp(id)).ok();
        return Ok(e.map(|e| Content::Bytes(article::card_script(d, e as Ix))));
    }
    if path.starts_with("search/shards/") {
        return Ok(search::index_file(d, templates.catalogue(), path).map(Content::Bytes));
    }
    if let Some(name) = path.strip_prefix("static/") {
        return Ok(templates.statics.iter().find(|(n, _)| n == name).map(|(_, b)| Content::Bytes(b.clone())));
    }
    let Some(job) = job_of(d, path) else { return Ok(None) };
    let site = site_view(d, templates.catalogue());
    // An entity named thousands of times has dozens of pages: only the
    // one asked for is built.
    let rendered = match job {
        Job::Entity(i) => render_pages(templates, &site, entity::entity_page(d, templates.catalogue(), i, path))?,
        _ => render_job(d, templates, &site, &job)?,
    };
    for (p, html, extra) in rendered {
        if p == path {
            return bytes(html);
        }
        if let Some(c) = extra.into_iter().find(|c| c.path == path) {
            return Ok(Some(Content::Copy(c.from)));
        }
    }
    Ok(None)
}

/// The job that renders `path`, from the path's shape and the dossier's ids.
fn job_of(d: &Dossier, path: &str) -> Option<Job> {
    let mut parts = path.splitn(3, '/');
    let (first, second, third) = (parts.next()?, parts.next(), parts.next());
    Some(match (first, second, third) {
        ("index.html", None, None) => Job::Home,
        ("404.html", None, None) => Job::NotFound,
        ("search", Some("index.html"), None) => Job::Search,
        ("articles", Some(_), None) => Job::ArticleIndex,
        ("articles", Some(id), Some(_)) => Job::Article(d.articles.binary_search_by(|a| a.id.as_str().cmp(id)).ok()?),
        ("entities", Some("index.html"), None) => Job::EntityIndex,
        ("entities", Some(id), Some(_)) => Job::Entity(d.entities.binary_search_by(|e| e.id.as_str().cmp(id)).ok()?),
        ("timeline", Some(_), None) => Job::Timeline,
        ("voices", Some("index.html"), None) => Job::Voices,
        // Pages are sorted by their `order`, not by id.
        ("pages", Some(id), Some(_)) => Job::Page(d.pages.iter().position(|p| p.id == id)?),
        _ => return None,
    })
}

/// A rendered page: its path, its bytes and the files that belong to it.
type RenderedPage = (String, Vec<u8>, Vec<CopyFile>);

/// Renders one job's pages.
fn render_job(d: &Dossier, templates: &Templates, site: &SiteView, job: &Job) -> anyhow::Result<Vec<RenderedPage>> {
    let cat = templates.catalogue();
    let pages = match *job {
        Job::Home => vec![home::home(d, cat)],
        Job::ArticleIndex => home::article_index(d, cat),
        Job::Article(i) => vec![article::article(d, cat, i)],
        Job::EntityIndex => vec![entity::index(d, cat)],
        Job::Entity(i) => entity::entity(d, cat, i),
        Job::Timeline => timeline::timeline(d, cat),
        Job::Voices => vec![voices::page(d, cat)],
        Job::Page(i) => vec![home::page(d, cat, i)],
        Job::NotFound => vec![home::not_found(d, cat)],
        Job::Search => vec![search::page(d, cat)],
    };
    render_pages(templates, site, pages)
}

/// Renders pages through their templates.
fn render_pages(templates: &Templates, site: &SiteView, pages: Vec<PageOut>) -> anyhow::Result<Vec<RenderedPage>> {
    let mut out = Vec::with_capacity(pages.len());
    for (path, template, ctx, extra) in pages {
        let mut context = tera::Context::from_serialize(&ctx)?;
        context.insert("site", site);
        // Into bytes: `render` would check the whole page for UTF-8
        // once more only to hand back a `String`.
        let mut html = Vec::with_capacity(32 * 1024);
        templates
            .tera
            .render_to(template, &context, &mut html)
            .map_err(|e| anyhow::anyhow!("template {template}: {}", error_chain(&e)))?;
        out.push((path, html, extra));
    }
    Ok(out)
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(inner) = src {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        src = inner.source();
    }
    s
}

enum Job {
    Home,
    ArticleIndex,
    Article(usize),
    EntityIndex,
    Entity(usize),
    Timeline,
    Voices,
    Page(usize),
    NotFound,
    Search,
}

/// What each page renderer returns: output path, template, context, and
/// any extra files that belong to the page (an article's original).
type PageOut = (String, &'static str, PageView, Vec<CopyFile>);

/// A file of the dossier copied into the site as it is (an original).
pub struct CopyFile {
    pub path: String,
    pub from: std::path::PathBuf,
}

#[derive(Serialize)]
struct SiteView {
    title: String,
    description: String,
    lang: String,
    dir: &'static str,
    pages: Vec<LinkView>,
    /// The commit the site was built from, when the dossier is in git.
    source: Option<SourceView>,
    /// Whether the dossier lets pages load images from other servers (its
    /// Content-Security-Policy then allows them).
    remote_media: bool,
}

#[derive(Serialize)]
struct SourceView {
    commit: String,
    short: String,
    date: DateView,
    dirty: bool,
}

#[derive(Serialize, Clone)]
pub struct LinkView {
    pub title: String,
    pub href: String,
}

/// The context every template gets: where the site root is from this page,
/// the page's language and direction, its title, and its own data.
#[derive(Serialize)]
pub struct PageView {
    pub root: String,
    pub lang: String,
    pub dir: &'static str,
    pub title: String,
    pub nav: &'static str,
    pub data: serde_json::Value,
    /// The breadcrumbs above the page, when it has any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crumbs: Option<Crumbs>,
    /// The site's own path on its host (`/mali-russia/`), for the page a
    /// host serves at any address (the 404 page): its `<base>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
}

/// A page's place in the site, as breadcrumbs: the home page, then (when
/// `section`) the section the header's `nav` names (its wording is the
/// template's), then `trail`, then the page itself (`current`, else its
/// title), marked `aria-current`.
#[derive(Serialize, Default)]
pub struct Crumbs {
    pub section: bool,
    pub trail: Vec<LinkView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<String>,
}

impl PageView {
    /// The page with breadcrumbs.
    pub fn with_crumbs(mut self, crumbs: Crumbs) -> PageView {
        self.crumbs = Some(crumbs);
        self
    }
}

pub fn page_view(d: &Dossier, root: &str, title: String, nav: &'static str, data: impl Serialize) -> PageView {
    PageView {
        root: root.to_string(),
        lang: d.config.lang.clone(),
        dir: d.config.dir,
        title,
        nav,
        data: serde_json::to_value(data).unwrap_or(serde_json::Value::Null),
        crumbs: None,
        base: None,
    }
}

/// The path of the site on its host: the path of `base_url`
/// (`https://milaf.example/mali-russia` → `/mali-russia/`), or `/` (the
/// host's root) when the dossier has none.
pub fn site_path(d: &Dossier) -> String {
    let url = d.config.base_url.as_str();
    let after_scheme = url.split_once("://").map_or("", |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let path = path.trim_end_matches('/');
    format!("{path}/")
}

/// Relative URLs. `root` is the path from the current page to the site
/// root, ending in `/` (or empty at the root).
pub mod url {
    pub fn article(root: &str, id: &str) -> String {
        format!("{root}articles/{id}/index.html")
    }
    pub fn entity(root: &str, id: &str) -> String {
        format!("{root}entities/{id}/index.html")
    }
    pub fn page(root: &str, id: &str) -> String {
        format!("{root}pages/{id}/index.html")
    }
    pub fn timeline(root: &str) -> String {
        format!("{root}timeline/index.html")
    }
    /// An event on the timeline: on the one timeline page, or on its
    /// year's page when the timeline is split (see `timeline::split`).
    pub fn event(d: &crate::model::Dossier, root: &str, ev: &crate::model::Event) -> String {
        if super::timeline::split(d) {
            format!("{root}timeline/{}.html#event-{}", ev.date.year(), ev.id)
        } else {
            format!("{root}timeline/index.html#event-{}", ev.id)
        }
    }
}

/// JSON made safe to stand in a script file: `</` (which would end an
/// inline script) as `<\/`, and U+2028 and U+2029 (line ends to older
/// JavaScript parsers) as escapes; all three mean the same in JSON.
pub fn script_json(json: &str) -> String {
    json.replace("</", "<\\/").replace('\u{2028}', "\\u2028").replace('\u{2029}', "\\u2029")
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    // The five characters are ASCII: a byte scan copies the runs between
    // them whole (a byte of one never occurs inside another character).
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let with = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(with);
        last = i + 1;
    }
    out.push_str(&s[last..]);
    out
}

/// ASCII digits as the dossier wants them shown.
pub fn to_digits(s: &str, numerals: Numerals) -> String {
    match numerals {
        Numerals::Ascii => s.to_string(),
        Numerals::Arabic => crate::date::to_arabic_digits(s),
    }
}

pub fn number(n: impl ToString, numerals: Numerals) -> String {
    to_digits(&n.to_string(), numerals)
}

pub fn date_style(d: &Dossier) -> DateStyle {
    DateStyle {
        months: match d.config.dates.months {
            crate::config::MonthNames::Maghrebi => MonthSeries::Maghrebi,
            crate::config::MonthNames::Levantine => MonthSeries::Levantine,
        },
        digits: match d.config.numerals {
            Numerals::Ascii => Digits::Ascii,
            Numerals::Arabic => Digits::ArabicIndic,
        },
        hijri: d.config.dates.calendar == crate::config::Calendar::Hijri,
    }
}

#[derive(Serialize, Clone)]
pub struct DateView {
    pub text: String,
    pub datetime: String,
    /// An event's date in its source's words, shown beside `text`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wording: Option<String>,
}

pub fn date_view(d: &Dossier, cat: &Catalogue, date: &Date) -> DateView {
    DateView {
        text: crate::date::display(date, &date_style(d), cat),
        datetime: crate::date::html_datetime(date),
        wording: None,
    }
}

/// The outside sources of a note or an event, each marked «من خارج
/// النصوص», with its publisher, date and when the editors read it.
pub fn external_html(d: &Dossier, cat: &Catalogue, list: &[External]) -> String {
    if list.is_empty() {
        return String::new();
    }
    let style = date_style(d);
    let mut out = String::from("<ul class=\"external\">");
    for x in list {
        let published = x.published.as_ref().map_or(String::new(), |p| {
            format!("{}{}", cat.t("punct.comma"), escape(&crate::date::display(p, &style, cat)))
        });
        let note = x.note.as_ref().map_or(String::new(), |n| format!(" — {}", escape(n)));
        let consulted = cat.tf("external.consulted", &[("date", &crate::date::display(&x.consulted, &style, cat))]);
        out.push_str(&format!(
            "<li><span class=\"tag outside\">{tag}</span> <a href=\"{url}\" dir=\"auto\">{title}</a> — {publisher}{published}{semicolon}{consulted}{note}</li>",
            semicolon = cat.t("punct.semicolon"),
            tag = escape(cat.t("external.tag")),
            url = escape(&x.url),
            title = escape(&x.title),
            publisher = escape(&x.publisher),
            consulted = escape(&consulted),
        ));
    }
    out.push_str("</ul>");
    out
}

/// An event's date, with the source's wording of it when the event gives
/// one.
pub fn event_date_view(d: &Dossier, cat: &Catalogue, ev: &Event) -> DateView {
    DateView { wording: ev.date_text.clone(), ..date_view(d, cat, &ev.date) }
}

/// The fragment id of a passage: paragraph and character offsets in the
/// NFC text, stable across builds and readable in a URL.
pub fn passage_fragment(d: &Dossier, p: &Passage) -> String {
    let (start, end) =
        d.articles[p.article as usize].paragraph(p.paragraph).map_or((0, 0), |b| b.nfc_chars(p.start, p.end));
    format!("p{}-{}-{}", p.paragraph, start, end)
}

/// One place of a cited article (the whole, a paragraph, a passage) and the
/// markers, by number, that cite it.
type CitedPlace = (CiteAt, Vec<usize>);

/// The citations of one page, with the list that ends the page. The list
/// has one entry per cited article (numbered in order of first citation),
/// the cited passages under it, and under each passage a back-link to
/// every place that cites it; a marker shows its article's number and
/// links to its passage.
pub struct Citations<'a> {
    cat: &'a Catalogue,
    root: String,
    /// The cited articles in order of first citation, each with its cited
    /// places (in order of first citation) and, per place, the occurrences
    /// (marker numbers) that cite it.
    sources: Vec<(Ix, Vec<CitedPlace>)>,
    /// Markers written so far.
    count: usize,
    /// A prefix that keeps ids unique when a page has several lists.
    prefix: &'static str,
}

impl<'a> Citations<'a> {
    pub fn new(root: &str, cat: &'a Catalogue) -> Self {
        Citations { cat, root: root.to_string(), sources: Vec::new(), count: 0, prefix: "cite" }
    }

    /// The wording the citations are written in.
    pub fn catalogue(&self) -> &'a Catalogue {
        self.cat
    }

    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// How many markers were written.
    pub fn len(&self) -> usize {
        self.count
    }

    /// The href of the exact spot a citation points at.
    pub fn target(d: &Dossier, root: &str, c: &Citation) -> String {
        let a = &d.articles[c.article as usize];
        let base = url::article(root, &a.id);
        match c.at {
            CiteAt::Article => base,
            CiteAt::Paragraph(p) => format!("{base}#p{p}"),
            CiteAt::Passage(p) => format!("{base}#{}", passage_fragment(d, &p)),
        }
    }

    pub fn marker(&mut self, d: &Dossier, c: Citation) -> String {
        self.count += 1;
        let k = self.count;
        let s = match self.sources.iter().position(|(a, _)| *a == c.article) {
            Some(s) => s,
            None => {
                self.sources.push((c.article, Vec::new()));
                self.sources.len() - 1
            }
        };
        let places = &mut self.sources[s].1;
        let j = match places.iter().position(|(at, _)| *at == c.at) {
            Some(j) => j,
            None => {
                places.push((c.at, Vec::new()));
                places.len() - 1
            }
        };
        places[j].1.push(k);
        let shown = number(s + 1, d.config.numerals);
        format!(
            "<sup class=\"cite\"><a href=\"#{p}-{s}-{j}\" id=\"{p}-ref-{k}\" role=\"doc-noteref\" aria-label=\"{label}\">{shown}</a></sup>",
            p = self.prefix,
            label = escape(&self.cat.tf("cite.marker", &[("n", &shown)])),
            s = s + 1,
            j = j + 1,
        )
    }

    /// The reference list: per cited article its title, outlet and date
    /// once, then each cited place (paragraph and quoted excerpt, linking
    /// to the exact spot) with back-links to the markers that cite it.
    pub fn list_html(&self, d: &Dossier) -> String {
        if self.sources.is_empty() {
            return String::new();
        }
        let numerals = d.config.numerals;
        let pre = self.prefix;
        let mut out = format!("<section class=\"citations\" role=\"doc-endnotes\" aria-labelledby=\"citations-title\">\n<h2 id=\"citations-title\">{}</h2>\n<ol>\n", escape(self.cat.t("cite.title")));
        // Back-links to the places that cite one passage, in the catalogue's
        // letter order (abjad in Arabic, as Wikipedia's a, b, c); past the
        // last letter, numbers.
        let letters: Vec<&str> = self.cat.t("cite.letters").split_whitespace().collect();
        let para = |p: u32| escape(&self.cat.tf("paragraph.ref", &[("n", &number(p, numerals))]));
        for (i, (article, places)) in self.sources.iter().enumerate() {
            let s = i + 1;
            let a = &d.articles[*article as usize];
            let mut meta = Vec::new();
            if let Some(o) = &a.outlet {
                meta.push(escape(o));
            }
            if let Some(p) = &a.published {
                let v = date_view(d, self.cat, p);
                meta.push(format!("<time datetime=\"{}\">{}</time>", v.datetime, escape(&v.text)));
            }
            out.push_str(&format!(
                "<li id=\"{pre}-{s}\"><span class=\"num\">{shown}</span> <a href=\"{href}\" class=\"cite-title\">{title}</a>{sep}{meta}\n<ul class=\"cited\">\n",
                shown = number(s, numerals),
                href = escape(&url::article(&self.root, &a.id)),
                title = escape(&a.title),
                sep = if meta.is_empty() { "" } else { " — " },
                meta = meta.join(self.cat.t("punct.comma")),
            ));
            // The places in reading order of the cited article (their ids
            // keep the order in which they were first cited).
            let mut order: Vec<usize> = (0..places.len()).collect();
            order.sort_by_key(|&j| match places[j].0 {
                CiteAt::Article => (0, 0, 0),
                CiteAt::Paragraph(p) => (p, 0, 0),
                CiteAt::Passage(p) => (p.paragraph, 1, p.start),
            });
            for j in order {
                let (at, markers) = &places[j];
                let href = escape(&Self::target(d, &self.root, &Citation { article: *article, at: *at }));
                let place = match *at {
                    CiteAt::Article => format!("<a href=\"{href}\">{}</a>", escape(self.cat.t("cite.whole"))),
                    CiteAt::Paragraph(p) => format!("<a href=\"{href}\">{}</a>", para(p)),
                    // The cited words' language, where it is not the page's.
                    CiteAt::Passage(p) => format!(
                        "{} <q class=\"excerpt\"{}><a href=\"{href}\">{}</a></q>",
                        para(p.paragraph),
                        if a.lang == d.config.lang {
                            String::new()
                        } else {
                            format!(" lang=\"{}\" dir=\"{}\"", escape(&a.lang), a.dir)
                        },
                        escape(a.passage_text(&p))
                    ),
                };
                let backs: Vec<String> = markers
                    .iter()
                    .enumerate()
                    .map(|(m, k)| {
                        let letter = if markers.len() == 1 {
                            "↩".to_string()
                        } else {
                            letters.get(m).map_or_else(|| number(m + 1, numerals), |l| l.to_string())
                        };
                        let tag = if markers.len() == 1 { String::new() } else { format!(" {letter}") };
                        format!(
                            "<a href=\"#{pre}-ref-{k}\" role=\"doc-backlink\" aria-label=\"{label}\">{letter}</a>",
                            label =
                                escape(&self.cat.tf("cite.back", &[("n", &format!("{}{tag}", number(s, numerals)))])),
                        )
                    })
                    .collect();
                out.push_str(&format!(
                    // A no-break space: the back-links never start a line alone.
                    "<li id=\"{pre}-{s}-{j}\">{place}&nbsp;<span class=\"backlinks-to\">{}</span></li>\n",
                    backs.join(" "),
                    j = j + 1,
                ));
            }
            out.push_str("</ul></li>\n");
        }
        out.push_str("</ol>\n</section>\n");
        out
    }
}

/// Links between the pages of a paginated list: `pages` page paths
/// relative to each other, the current one marked.
#[derive(Serialize, Clone)]
pub struct PagerLink {
    pub label: String,
    pub href: String,
    pub current: bool,
}

pub fn pager(numerals: Numerals, hrefs: &[String], current: usize) -> Vec<PagerLink> {
    if hrefs.len() < 2 {
        return Vec::new();
    }
    // The first and last pages and a few around the current one: a list of
    // a thousand pages must not put a thousand links on each of them.
    let near = current.saturating_sub(PAGER_NEAR)..=(current + PAGER_NEAR);
    let mut links = Vec::new();
    let mut gap = false;
    for (i, h) in hrefs.iter().enumerate() {
        if i == 0 || i + 1 == hrefs.len() || near.contains(&i) {
            links.push(PagerLink { label: number(i + 1, numerals), href: h.clone(), current: i == current });
            gap = false;
        } else if !gap {
            links.push(PagerLink { label: "…".to_string(), href: String::new(), current: false });
            gap = true;
        }
    }
    links
}

/// How many pages on each side of the current one the pager links.
const PAGER_NEAR: usize = 3;

/// A short text for lists: the first `max` characters, cut at a word.
pub fn excerpt(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let at_word = cut.rfind(' ').map_or(cut.as_str(), |i| &cut[..i]);
    format!("{at_word}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_replaces_the_five_characters_and_keeps_every_other_one() {
        assert_eq!(escape(""), "");
        assert_eq!(escape("مالي & <b>\"x\"</b> 'y'"), "مالي &amp; &lt;b&gt;&quot;x&quot;&lt;/b&gt; &#39;y&#39;");
        assert_eq!(escape("&&"), "&amp;&amp;");
        assert_eq!(escape("نص\u{202B}بلا شيء"), "نص\u{202B}بلا شيء");
        assert_eq!(escape("<"), "&lt;");
        assert_eq!(escape("آخر>"), "آخر&gt;");
    }

    #[test]
    fn the_pager_links_the_ends_and_the_neighbourhood_only() {
        let hrefs: Vec<String> = (1..=500).map(|i| format!("index-{i}.html")).collect();
        let links = pager(Numerals::Ascii, &hrefs, 250);
        let labels: Vec<&str> = links.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(labels, ["1", "…", "248", "249", "250", "251", "252", "253", "254", "…", "500"]);
        assert!(links[5].current, "page 251 is the current one");
        assert_eq!(pager(Numerals::Ascii, &hrefs[..1], 0).len(), 0);
        assert_eq!(
            pager(Numerals::Arabic, &hrefs[..3], 0).iter().map(|l| l.label.as_str()).collect::<Vec<_>>(),
            ["١", "٢", "٣"]
        );
    }
}
