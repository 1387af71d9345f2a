//! The `resolve` stage: turns raw records into the typed model. Every id is
//! looked up here (and only here): entity kinds, relations, speakers,
//! tagged entities, citations and wiki links in Markdown, event sources.
//! Quotes are anchored to passages (SPEC §4) and mentions of every alias are
//! found in every article in one pass (SPEC §5). Each dangling reference is
//! reported at the exact position of the value that names it, with the
//! nearest valid id as a suggestion; nothing downstream sees a raw id.
//!
//! Each editorial Markdown body is parsed once (`rich::parse`) before the
//! rest; `rich` then resolves the wiki links and citations of its tree. A
//! problem in a body is found at a range of the body, and each call of
//! `rich` says how such a range maps to the file (`to_file`).

use crate::anchor::{self, AnchorError, AnchorOutcome, Paragraphs, Selector};
use crate::config::Config;
use crate::diag::{self, Diagnostic};
use crate::load::{SourceFile, Sources};
use crate::mentions::Matcher;
use crate::model::*;
use crate::parse::{At, Parsed, RawNote, RawSource};
use crate::rich::{RawRef, RawRich};
use crate::yaml::{Span, Spanned};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// What the pass over one article's text finds: its mentions, how each of
/// its notes anchors, and how each quote cited from it anchors.
type ArticlePass = (Vec<Mention>, Vec<Anchoring>, Vec<(CitedKey, Anchoring)>);
/// One article resolved: its mentions, its notes, and problems.
type ArticleFindings = (Vec<Mention>, ResolvedNotes, Vec<Mention>, Vec<[u32; 3]>);

/// Everything `resolve` produces; `index` adds the cross-references.
pub struct Resolved {
    pub config: Config,
    pub articles: Vec<Article>,
    pub entities: Vec<Entity>,
    pub events: Vec<Event>,
    pub pages: Vec<Page>,
    /// What `load` read from git, for `index` to apply to the records
    /// (set by the driver; empty from `resolve`).
    pub provenance: crate::provenance::Provenance,
}

/// Id → index tables for every kind of record, built once.
pub struct Ids<'a> {
    articles: BTreeMap<&'a str, Ix>,
    entities: BTreeMap<&'a str, Ix>,
    pages: BTreeMap<&'a str, Ix>,
    /// Ids whose own file failed to parse: references to them are not
    /// reported again (the file's error says what to fix).
    broken: std::collections::BTreeSet<(crate::load::Kind, &'a str)>,
}

impl<'a> Ids<'a> {
    /// Every id of one kind, including those whose file failed to parse,
    /// for "did you mean" suggestions.
    fn known(&self, kind: crate::load::Kind) -> Vec<&'a str> {
        let map = if kind == crate::load::Kind::Article { &self.articles } else { &self.entities };
        let mut v: Vec<&str> = map.keys().copied().collect();
        v.extend(self.broken.iter().filter(|(k, _)| *k == kind).map(|(_, s)| *s));
        v
    }
}

/// What resolution needs to look at while resolving one record.
struct Ctx<'a> {
    ids: &'a Ids<'a>,
    /// Paragraph texts of every article, for anchoring citations.
    paragraphs: &'a [Vec<&'a str>],
    /// Article ids by index, for messages.
    article_ids: &'a [&'a str],
    files: &'a [SourceFile],
    /// Every quote a citation gives, anchored in its article (by article,
    /// sorted by quote and paragraph hint); empty until the per-article
    /// pass has filled it.
    cited: &'a [Vec<(CitedKey, Anchoring)>],
    /// Whether `dossier.yaml` allows images from other servers.
    remote_media: bool,
}

/// A quote cited from an article, with its paragraph hint. Its own copy:
/// the bodies it comes from are let go while the notes resolve.
type CitedKey = (Box<str>, Option<usize>);
/// What anchoring a selector gives.
type Anchoring = Result<AnchorOutcome, AnchorError>;

pub fn resolve(sources: &Sources, parsed: Parsed) -> (Option<Resolved>, Vec<Diagnostic>) {
    resolve_with(sources, parsed, None)
}

/// What the pass over one article's text found, as a workspace keeps it:
/// its mentions, how each of its notes anchors, and how each quote cited
/// from it anchors (in the order of the cited quotes).
#[derive(Debug, Clone)]
pub struct PassOut {
    mentions: Vec<Mention>,
    anchored: Vec<Anchoring>,
    cited: Vec<Anchoring>,
}

/// What a workspace keeps of `resolve` between two builds: the alias
/// matcher, and each article's pass with the fingerprint of its inputs.
#[derive(Default)]
pub struct PassCache {
    /// The content hash of each file of the current file list, by index;
    /// set by the workspace before each resolve.
    pub file_hashes: Vec<u64>,
    matcher: Option<(u64, std::sync::Arc<Matcher>)>,
    articles: BTreeMap<String, (u64, PassOut)>,
    /// Each article's resolved notes and their problems, and its
    /// mentions that may be adjectives (they depend on the same inputs).
    notes: BTreeMap<String, (u64, ResolvedNotes, Vec<Mention>)>,
    /// How many articles the last resolve passed over again.
    pub recomputed: usize,
}

/// An article's resolved notes (on passages, on the whole article) and
/// their problems.
type ResolvedNotes = (std::sync::Arc<[Note]>, std::sync::Arc<[AboutNote]>, Vec<Diagnostic>);

/// A fingerprint of inputs, for cache keys only (never in the output).
fn fingerprint(value: &impl std::hash::Hash) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    BuildHasherDefault::<DefaultHasher>::default().hash_one(value)
}

/// The pass over one article's text: normalise each block once, find the
/// mentions of every alias, anchor the article's notes and the quotes
/// cited from it.
fn article_pass(
    raw: &crate::parse::RawArticle,
    paragraphs: &[&str],
    matcher: &Matcher,
    notes: &[&RawNote],
    quotes: &[CitedKey],
) -> PassOut {
    let normals: Vec<crate::arabic::Normalized> =
        raw.blocks.iter().map(|b| crate::arabic::normalize_with_map(&b.text)).collect();
    let mut mentions = Vec::new();
    for (b, normal) in normals.iter().enumerate() {
        for m in matcher.find_normalized(normal) {
            mentions.push(Mention {
                block: b as u32,
                start: m.start as u32,
                end: m.end as u32,
                entity: m.entity as Ix,
            });
        }
    }
    if notes.is_empty() && quotes.is_empty() {
        return PassOut { mentions, anchored: Vec::new(), cited: Vec::new() };
    }
    let paragraph_normals = raw
        .blocks
        .iter()
        .zip(normals)
        .filter(|(b, _)| matches!(b.kind, BlockKind::Paragraph(_)))
        .map(|(_, n)| n)
        .collect();
    let paras = Paragraphs::from_normalized(paragraphs, paragraph_normals);
    let anchored = notes.iter().map(|n| paras.resolve(&note_selector(n))).collect();
    let cited = quotes
        .iter()
        .map(|(quote, paragraph)| paras.resolve(&Selector { quote, prefix: None, suffix: None, paragraph: *paragraph }))
        .collect();
    PassOut { mentions, anchored, cited }
}

/// `resolve`, reusing what `cache` kept of the previous build where the
/// inputs are unchanged, and keeping this build's for the next one.
pub fn resolve_with(
    sources: &Sources,
    mut parsed: Parsed,
    mut cache: Option<&mut PassCache>,
) -> (Option<Resolved>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let Some(config) = parsed.config.take() else {
        return (None, diags);
    };
    diags.extend(check_theme(&config, sources));
    let raw_articles = std::mem::take(&mut parsed.articles);
    let mut raw_articles = raw_articles;
    raw_articles.sort_by(|a, b| a.id.cmp(&b.id));
    let files = &sources.files;
    parsed.entities.sort_by(|a, b| a.id.cmp(&b.id));
    parsed.pages.sort_by(|a, b| (a.order, &a.id).cmp(&(b.order, &b.id)));

    let ids = Ids {
        articles: raw_articles.iter().enumerate().map(|(i, a)| (a.id.as_str(), i as Ix)).collect(),
        entities: parsed.entities.iter().enumerate().map(|(i, e)| (e.id.as_str(), i as Ix)).collect(),
        pages: parsed.pages.iter().enumerate().map(|(i, p)| (p.id.as_str(), i as Ix)).collect(),
        broken: std::collections::BTreeSet::new(),
    };
    let broken = files
        .iter()
        .filter(|f| match f.kind {
            crate::load::Kind::Article => !ids.articles.contains_key(f.stem.as_str()),
            crate::load::Kind::Entity => !ids.entities.contains_key(f.stem.as_str()),
            _ => false,
        })
        .map(|f| (f.kind, f.stem.as_str()))
        .collect();
    let ids = Ids { broken, ..ids };
    for p in &parsed.pages {
        if ids.articles.contains_key(p.id.as_str()) || ids.entities.contains_key(p.id.as_str()) {
            let f = &files[p.at.file];
            diags.push(
                Diagnostic::error(format!("page id `{}` is also an article or entity id", p.id))
                    .in_file(&f.path)
                    .help("rename the page so `[[id]]` links are unambiguous"),
            );
        }
    }
    let paragraphs: Vec<Vec<&str>> = raw_articles
        .iter()
        .map(|a| {
            a.blocks.iter().filter(|b| matches!(b.kind, BlockKind::Paragraph(_))).map(|b| b.text.as_str()).collect()
        })
        .collect();
    let article_ids: Vec<&str> = raw_articles.iter().map(|a| a.id.as_str()).collect();
    let ctx = Ctx {
        ids: &ids,
        paragraphs: &paragraphs,
        article_ids: &article_ids,
        files,
        cited: &[],
        remote_media: config.remote_media,
    };

    // One matcher for all aliases of all linkable entities.
    let mut alias_list: Vec<(usize, &str)> = Vec::new();
    let mut not_list: Vec<(usize, &str)> = Vec::new();
    for (i, raw) in parsed.entities.iter().enumerate() {
        if !raw.link {
            continue;
        }
        alias_list.extend(raw.aliases.iter().map(|a| (i, a.as_str())));
        not_list.extend(raw.not_mentions.iter().map(|a| (i, a.as_str())));
    }
    diags.extend(shared_aliases(&parsed.entities, files));
    let matcher_key = cache.as_ref().map(|_| fingerprint(&(&alias_list, &not_list)));
    let matcher = match (&mut cache, matcher_key) {
        (Some(c), Some(key)) => match &c.matcher {
            Some((k, m)) if *k == key => m.clone(),
            _ => {
                let m = std::sync::Arc::new(Matcher::new(&alias_list, &not_list));
                c.matcher = Some((key, m.clone()));
                m
            }
        },
        _ => std::sync::Arc::new(Matcher::new(&alias_list, &not_list)),
    };

    // Every quote a citation gives, by cited article (see the pass below).
    let quotes = cited_quotes(&ids, &parsed);

    // Annotation files by article, taken from `parsed`: each article's
    // notes are let go as soon as they are resolved. A file named after no
    // article is an error here, and its notes are not resolved.
    let mut annotations_of: Vec<Vec<std::sync::Arc<[RawNote]>>> = vec![Vec::new(); raw_articles.len()];
    for (article_id, at, notes) in std::mem::take(&mut parsed.annotations) {
        match ids.articles.get(article_id.as_str()) {
            Some(&article) => annotations_of[article as usize].push(notes),
            // An article whose own file failed to parse already has an error.
            None if ids.broken.contains(&(crate::load::Kind::Article, article_id.as_str())) => {}
            None => diags.push(
                Diagnostic::error(format!("annotations for unknown article `{article_id}`"))
                    .in_file(&files[at.file].path)
                    .help(format!(
                        "annotation files are named after their article: {}",
                        diag::did_you_mean(&article_id, ids.articles.keys().copied())
                    )),
            ),
        }
    }

    // One pass over the articles, in parallel: each block is normalised
    // once, for the alias matcher, for anchoring the article's own notes
    // and for anchoring every quote cited from it anywhere in the dossier
    // (collected beforehand), so no article is normalised twice. A
    // workspace's cache gives back what the pass found for an article
    // whose inputs (its text, its annotation files, the quotes cited from
    // it, the aliases) are unchanged.
    let keys: Vec<Option<u64>> = raw_articles
        .iter()
        .zip(&quotes)
        .enumerate()
        .map(|(i, (raw, quotes))| {
            let c = cache.as_ref()?;
            // The annotation files by their hashes: cheaper than hashing
            // every note's selector, at the cost of anchoring an article's
            // notes again when only a note's body changed.
            let notes: Option<Vec<u64>> = annotations_of[i]
                .iter()
                .flat_map(|notes| notes.first())
                .map(|n| c.file_hashes.get(n.at.file).copied())
                .collect();
            Some(fingerprint(&(matcher_key?, c.file_hashes.get(raw.at.file)?, notes?, quotes)))
        })
        .collect();
    let kept = |i: usize| -> Option<&PassOut> {
        let (key, out) = cache.as_ref()?.articles.get(&raw_articles[i].id)?;
        (Some(*key) == keys[i]).then_some(out)
    };
    let outs: Vec<(PassOut, bool)> = raw_articles
        .par_iter()
        .zip(&quotes)
        .enumerate()
        .map(|(i, (raw, quotes))| match kept(i) {
            Some(out) => (out.clone(), false),
            None => {
                let notes: Vec<&RawNote> = annotations_of[i].iter().flat_map(|notes| notes.iter()).collect();
                (article_pass(raw, &paragraphs[i], &matcher, &notes, quotes), true)
            }
        })
        .collect();
    if let Some(c) = cache.as_mut() {
        c.recomputed = outs.iter().filter(|(_, fresh)| *fresh).count();
        let mut articles = BTreeMap::new();
        for ((raw, (out, _)), key) in raw_articles.iter().zip(&outs).zip(&keys) {
            if let Some(key) = key {
                articles.insert(raw.id.clone(), (*key, out.clone()));
            }
        }
        c.articles = articles;
    }
    let found: Vec<ArticlePass> = outs
        .into_iter()
        .zip(quotes)
        .map(|((out, _), quotes)| (out.mentions, out.anchored, quotes.into_iter().zip(out.cited).collect()))
        .collect();
    let mut found_mentions = Vec::with_capacity(found.len());
    let mut found_notes = Vec::with_capacity(found.len());
    let mut cited = Vec::with_capacity(found.len());
    for (m, n, c) in found {
        found_mentions.push(m);
        found_notes.push(n);
        cited.push(c);
    }
    let ctx = Ctx { cited: &cited, ..ctx };

    // Entities.
    let kinds: Vec<&str> = config.kinds.iter().map(|k| k.id.as_str()).collect();
    let resolved_entities: Vec<(Entity, Vec<Diagnostic>)> = parsed
        .entities
        .par_iter()
        .map(|raw| {
            let mut diags = Vec::new();
            let f = &files[raw.at.file];
            if !kinds.contains(&raw.kind.as_str()) {
                diags.push(
                    Diagnostic::error(format!("unknown entity kind `{}`", raw.kind.value))
                        .at_span(&f.path, &f.text, raw.kind.span)
                        .help(format!(
                            "{} (kinds are listed in content/dossier.yaml)",
                            diag::did_you_mean(&raw.kind, kinds.iter().copied())
                        )),
                );
            }
            let mut relations = Vec::new();
            for rel in &raw.relations {
                if let Some(to) = lookup_entity(&ctx, f, &rel.to, &mut diags) {
                    if rel.inverse.is_none() {
                        diags.push(
                            Diagnostic::warning(format!(
                                "the relation «{}» to `{}` has no inverse label for `{}`'s page",
                                rel.label, rel.to.value, rel.to.value
                            ))
                            .at_span(&f.path, &f.text, rel.to.span)
                            .help(format!(
                                // not interface wording: an example for the editor, in the language of the content
                                "add `inverse:` with the label as read from `{}`'s page (`{{ to: x, label: عضو في, inverse: من أعضائه }}`); without it that page shows the label in a sentence",
                                rel.to.value
                            )),
                        );
                    }
                    relations.push(Relation { to, label: rel.label.clone(), inverse: rel.inverse.clone() });
                }
            }
            let to_file = in_value(f, &raw.description);
            let description = rich(&ctx, f, &raw.description_rich, &to_file, &mut diags);
            (
                Entity {
                    id: raw.id.clone(),
                    name: raw.name.clone(),
                    kind: raw.kind.value.clone(),
                    role: raw.role.clone(),
                    aliases: raw.aliases.clone(),
                    description,
                    relations,
                    link: raw.link,
                    not_mentions: raw.not_mentions.clone(),
                    voice: raw.voice,
                },
                diags,
            )
        })
        .collect();
    let mut entities = Vec::with_capacity(resolved_entities.len());
    for (e, d) in resolved_entities {
        diags.extend(d);
        entities.push(e);
    }

    // Events.
    // Duplicates first, in file order, so the first occurrence wins
    // deterministically; then the rest resolve in parallel.
    let raw_events = std::mem::take(&mut parsed.events);
    let mut seen_events: BTreeMap<&str, &At> = BTreeMap::new();
    let mut keep = Vec::with_capacity(raw_events.len());
    for raw in &raw_events {
        let f = &files[raw.at.file];
        keep.push(false);
        if let Some(first) = seen_events.insert(raw.id.as_str(), &raw.at) {
            let ff = &files[first.file];
            let line = diag::locate(&ff.path, &ff.text, first.offset, first.offset).line;
            diags.push(
                Diagnostic::error(format!("duplicate event id `{}`", raw.id.value))
                    .at_span(&f.path, &f.text, raw.id.span)
                    .help(format!(
                        "`{}` is already used in {}:{line}; give each event its own id",
                        raw.id.value, ff.path
                    )),
            );
            continue;
        }
        *keep.last_mut().expect("pushed above") = true;
    }
    drop(seen_events);
    // The events' files, each path shared by the origins of its events,
    // with where its lines start.
    let mut event_files: BTreeMap<usize, (std::sync::Arc<str>, diag::Lines)> = BTreeMap::new();
    for raw in &raw_events {
        event_files.entry(raw.at.file).or_insert_with(|| {
            let f = &files[raw.at.file];
            (f.path.as_str().into(), diag::Lines::new(&f.text))
        });
    }
    let unique: Vec<std::sync::Arc<crate::parse::RawEvent>> =
        raw_events.into_iter().zip(keep).filter_map(|(raw, keep)| keep.then_some(raw)).collect();
    let resolved_events: Vec<(Option<Event>, Vec<Diagnostic>)> = unique
        .into_par_iter()
        .map(|raw| {
            // A build's records are its own: moved, not copied.
            let mut raw = std::sync::Arc::unwrap_or_clone(raw);
            let mut diags = Vec::new();
            let f = &files[raw.at.file];
            let entities = lookup_entities(&ctx, f, &raw.entities, &mut diags);
            let sources: Vec<Citation> =
                raw.sources.iter().filter_map(|src| resolve_source(&ctx, f, src, &mut diags)).collect();
            let body = rich(&ctx, f, &raw.body_rich, &in_value(f, &raw.body), &mut diags);
            let (file, lines) = &event_files[&raw.at.file];
            let origin = Origin { file: file.clone(), line: lines.line(raw.at.offset) as u32 };
            let event = (!sources.is_empty()).then(|| Event {
                id: std::mem::take(&mut raw.id.value),
                date: raw.date,
                date_text: raw.date_text.take(),
                title: std::mem::take(&mut raw.title),
                body,
                entities,
                sources,
                external: std::mem::take(&mut raw.external),
                origin,
            });
            (event, diags)
        })
        .collect();
    let mut events = Vec::with_capacity(resolved_events.len());
    for (e, d) in resolved_events {
        diags.extend(d);
        events.extend(e);
    }
    events.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));

    let pages = parsed
        .pages
        .iter()
        .map(|p| {
            let f = &files[p.at.file];
            // A page's body is the rest of its file, as written.
            let to_file = |s: usize, e: usize| (p.body_at + s, p.body_at + e);
            Page {
                id: p.id.clone(),
                title: p.title.clone(),
                order: p.order,
                external_sources: p.external_sources,
                body: rich(&ctx, f, &p.body_rich, &to_file, &mut diags),
            }
        })
        .collect();

    // The rest of each note (speaker, entities, body), now that every cited
    // quote is anchored. A workspace keeps each article's resolved notes
    // with a fingerprint of what they depend on: their annotation files,
    // every id of the dossier (ids become indices), and every article's
    // text (a body may cite any article).
    let notes_keys: Vec<Option<u64>> = match cache.as_ref() {
        Some(c) => {
            // The configuration, by its file: it says what bodies may hold.
            let config_file = files.iter().position(|f| f.kind == crate::load::Kind::Config);
            let ids_key = fingerprint(&(
                config_file.and_then(|i| c.file_hashes.get(i)),
                ids.articles.keys().collect::<Vec<_>>(),
                ids.entities.keys().collect::<Vec<_>>(),
                ids.pages.keys().collect::<Vec<_>>(),
                &ids.broken,
            ));
            // Citations in a body anchor in the cited article's text
            // (never in its notes): every article's text, by its file.
            let texts_key = fingerprint(&raw_articles.iter().map(|a| c.file_hashes.get(a.at.file)).collect::<Vec<_>>());
            (0..raw_articles.len())
                .map(|i| {
                    let files: Option<Vec<u64>> = annotations_of[i]
                        .iter()
                        .flat_map(|notes| notes.first())
                        .map(|n| c.file_hashes.get(n.at.file).copied())
                        .collect();
                    // The aliases too: an override that unlinks is checked
                    // against the mentions they give.
                    Some(fingerprint(&(ids_key, texts_key, matcher_key, files?)))
                })
                .collect()
        }
        None => vec![None; raw_articles.len()],
    };
    let kept_notes = |i: usize| -> Option<(&ResolvedNotes, &Vec<Mention>)> {
        let (key, out, adjectival) = cache.as_ref()?.notes.get(&raw_articles[i].id)?;
        (Some(*key) == notes_keys[i]).then_some((out, adjectival))
    };
    let found: Vec<ArticleFindings> = found_mentions
        .into_par_iter()
        .zip(found_notes)
        .zip(annotations_of)
        .enumerate()
        .map(|(i, ((mentions, anchored), mut raw_files))| {
            let items = raw_files.iter().flat_map(|notes| notes.iter()).zip(anchored.iter());
            let overrides = mention_overrides(&ctx, &raw_articles[i].blocks, items);
            let kept = kept_notes(i);
            let resolved = match kept {
                Some((kept, _)) => kept.clone(),
                None => {
                    let mut diags = Vec::new();
                    let mut notes = Vec::new();
                    let mut about = Vec::new();
                    let mut anchored = anchored.into_iter();
                    for raw_file in &mut raw_files {
                        // A build's notes are its own: their strings move
                        // into the model, and what is left of them goes when
                        // the article is done. A workspace keeps its notes:
                        // they are copied.
                        let mut copy;
                        let list: &mut [RawNote] = match std::sync::Arc::get_mut(raw_file) {
                            Some(list) => list,
                            None => {
                                copy = raw_file.to_vec();
                                &mut copy
                            }
                        };
                        let Some(first) = list.first() else { continue };
                        let path: std::sync::Arc<str> = ctx.files[first.at.file].path.as_str().into();
                        for (n, anchoring) in list.iter_mut().zip(&mut anchored) {
                            if n.is_override() {
                                diags.extend(check_override(
                                    &ctx,
                                    i as Ix,
                                    anchoring,
                                    n,
                                    &raw_articles[i].blocks,
                                    &mentions,
                                ));
                                continue;
                            }
                            if n.about_article {
                                let f = &ctx.files[n.at.file];
                                let body = rich(&ctx, f, &n.body_rich, &in_value(f, &n.body), &mut diags);
                                about.push(AboutNote {
                                    id: std::mem::take(&mut n.id),
                                    kind: n.kind,
                                    body,
                                    external: std::mem::take(&mut n.external),
                                });
                                continue;
                            }
                            let (note, d) = resolve_note(&ctx, i as Ix, anchoring, n, &path);
                            diags.extend(d);
                            notes.extend(note);
                        }
                    }
                    drop(raw_files);
                    notes.sort_by_key(|n: &Note| {
                        (n.passage.paragraph, n.passage.end, std::cmp::Reverse(n.passage.start), n.id.clone())
                    });
                    (notes.into(), about.into(), diags)
                }
            };
            let mentions = apply_overrides(mentions, &overrides);
            let adjectival = match kept {
                Some((_, kept)) => kept.clone(),
                None => adjectival(&raw_articles[i].blocks, &mentions, &overrides),
            };
            (mentions, resolved, adjectival, overrides.iter().map(|o| [o.block, o.start, o.end]).collect())
        })
        .collect();
    if let Some(c) = cache.as_mut() {
        c.notes = raw_articles
            .iter()
            .zip(&notes_keys)
            .zip(&found)
            .filter_map(|((raw, key), (_, resolved, adjectival, _))| {
                Some((raw.id.clone(), ((*key)?, resolved.clone(), adjectival.clone())))
            })
            .collect();
    }

    diags.extend(adjective_warnings(&parsed.entities, files, &raw_articles, &found));

    // Everything that reads the paragraphs (through `ctx`) is done: the
    // articles can now take their blocks instead of copying them.
    drop(paragraphs);
    let articles: Vec<(Article, Vec<Diagnostic>)> = raw_articles
        .into_par_iter()
        .zip(found)
        .map(|(raw, (mentions, (notes, about, mut d), _, overrides))| {
            // A build's records are its own: moved, not copied. A
            // workspace keeps them, and only the few strings are copied.
            let raw = std::sync::Arc::unwrap_or_clone(raw);
            let f = &files[raw.at.file];
            let original = raw.original.as_ref().and_then(|name| {
                check_original(f, name, raw.original_sha256.as_ref(), &parsed.originals, files, &mut d)
            });
            let lang = raw.lang.clone().unwrap_or_else(|| config.lang.clone());
            let dir = crate::config::dir_of(&lang);
            (
                Article {
                    id: raw.id,
                    title: raw.title,
                    title_editorial: raw.title_editorial,
                    outlet: raw.outlet,
                    outlet_note: raw.outlet_note,
                    url: raw.url,
                    published: raw.published,
                    published_note: raw.published_note,
                    lang,
                    dir,
                    original,
                    blocks: raw.blocks,
                    notes,
                    about,
                    mentions,
                    overrides,
                },
                d,
            )
        })
        .collect();
    let articles: Vec<Article> = articles
        .into_iter()
        .map(|(a, d)| {
            diags.extend(d);
            a
        })
        .collect();

    (Some(Resolved { config, articles, entities, events, pages, provenance: Default::default() }), diags)
}

/// A name that two linked entities both claim would link to whichever the
/// matcher meets first: an error at each claim after the first (entities
/// in id order), naming the entity that has it already.
fn shared_aliases(entities: &[std::sync::Arc<crate::parse::RawEntity>], files: &[SourceFile]) -> Vec<Diagnostic> {
    let mut first: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut diags = Vec::new();
    let key_of = |s: &str| crate::arabic::normalize(s).trim().to_lowercase();
    for (e, raw) in entities.iter().enumerate().filter(|(_, r)| r.link) {
        // A name an entity also lists under `not_mentions` is one it gives
        // up: the other entity takes it.
        let given_up: Vec<String> = raw.not_mentions.iter().map(|n| key_of(n)).collect();
        for (k, alias) in raw.aliases.iter().enumerate() {
            let key = key_of(alias);
            if given_up.contains(&key) {
                continue;
            }
            match first.get(&key) {
                None => {
                    first.insert(key, (e, k));
                }
                Some(&(other, _)) if other == e => {}
                Some(&(other, j)) => {
                    let (o, f) = (&entities[other], &files[raw.at.file]);
                    let of = &files[o.at.file];
                    let at = o.alias_spans.get(j).copied().unwrap_or_default();
                    let line = diag::locate(&of.path, &of.text, at.start, at.start).line;
                    diags.push(
                        Diagnostic::error(format!("`{alias}` is also a name of `{}` ({}:{line})", o.id, of.path))
                            .at_span(&f.path, &f.text, raw.alias_spans.get(k).copied().unwrap_or_default())
                            .help(format!(
                                "a name links to one entity: keep it on `{}` or on `{}`, not both, or list it under `not_mentions:` of the one that does not take it (a mention override can still point one occurrence at it)",
                                o.id, raw.id
                            )),
                    );
                }
            }
        }
    }
    diags
}

/// The theme `dossier.yaml` names is one of the dossier's own (or the
/// built-in `default`), and has every template a site needs.
fn check_theme(config: &Config, sources: &Sources) -> Vec<Diagnostic> {
    let Some(file) = sources.files.iter().find(|f| f.kind == crate::load::Kind::Config) else {
        return Vec::new();
    };
    let at = config.theme_at.unwrap_or_default();
    let error = |message: String| Diagnostic::error(message).at_span(&file.path, &file.text, at);
    // The theme's catalogues: each file must read as one, whatever the
    // dossier's language (a build reads the one of its language).
    let mut catalogue_errors: Vec<Diagnostic> = sources
        .theme(&config.theme)
        .map(|t| t.catalogues.as_slice())
        .unwrap_or_default()
        .iter()
        .filter_map(|(name, text)| crate::i18n::parse(&format!("themes/{}/i18n/{name}", config.theme), text).err())
        .collect();
    // Every key the theme's templates name is in its wording (or the
    // built-in one), reported where the template names it.
    if let Some(theme) = sources.theme(&config.theme).filter(|t| !t.templates.is_empty()) {
        if let Ok(cat) = crate::i18n::Catalogue::new(&config.lang, config.numerals, &theme.catalogues) {
            for (name, text) in &theme.templates {
                let path = format!("themes/{}/templates/{name}", config.theme);
                for (range, key, counted) in crate::i18n::template_keys(text) {
                    if !cat.has(key, counted) {
                        let kind = if counted { "counted noun" } else { "text" };
                        catalogue_errors.push(
                            Diagnostic::error(format!(
                                "the template asks for the {kind} `{key}`, which no catalogue of the theme has"
                            ))
                            .at(&path, text, range.start, range.end)
                            .help(format!(
                                "add `{key}` to themes/{}/i18n/{}.yaml, or use a key of milaf's themes/default/i18n/",
                                config.theme, config.lang
                            )),
                        );
                    }
                }
            }
        }
    }
    let mut diags = match sources.theme(&config.theme) {
        None if config.theme != "default" => {
            let known: Vec<&str> = sources.themes.keys().map(String::as_str).collect();
            let help = match diag::suggest(&config.theme, known.iter().copied()) {
                Some(k) => format!("did you mean `{k}`? Themes are the folders under themes/ beside content/"),
                None => "a theme is a folder themes/<name>/ beside content/; remove `theme:` to use the built-in theme"
                    .to_string(),
            };
            vec![error(format!("unknown theme `{}`", config.theme)).help(help)]
        }
        Some(theme) if !theme.templates.is_empty() => crate::render::DEFAULT_TEMPLATES
            .iter()
            .filter(|(name, _)| !theme.templates.iter().any(|(n, _)| n == name))
            .map(|(name, _)| {
                error(format!("theme `{}` has no template `{name}`", config.theme)).help(format!(
                    "add themes/{}/templates/{name} (start from the built-in one in milaf's themes/default/templates/)",
                    config.theme
                ))
            })
            .collect(),
        _ => Vec::new(),
    };
    diags.append(&mut catalogue_errors);
    diags
}

fn check_original(
    f: &SourceFile,
    name: &Spanned<String>,
    recorded: Option<&Spanned<String>>,
    originals: &BTreeMap<String, usize>,
    files: &[SourceFile],
    diags: &mut Vec<Diagnostic>,
) -> Option<Original> {
    let Some(&i) = originals.get(name.as_str()) else {
        diags.push(
            Diagnostic::error(format!("original `{}` is not in content/originals/", name.value))
                .at_span(&f.path, &f.text, name.span)
                .help(format!(
                    "put the captured text there, or fix the name: {}",
                    diag::did_you_mean(name, originals.keys().map(String::as_str))
                )),
        );
        return None;
    };
    let source = files[i].original.clone()?;
    let sha256 = source.sha256.clone();
    match recorded {
        Some(r) if r.value != sha256 => {
            diags.push(
                Diagnostic::error(format!("content/originals/{} does not match its recorded SHA-256", name.value))
                    .at_span(&f.path, &f.text, r.span)
                    .help(format!(
                        "the original must stay byte for byte as captured; restore it, or if a new capture replaces it on purpose, record `original_sha256: {sha256}`"
                    )),
            );
        }
        None => {
            diags.push(
                Diagnostic::warning(format!("the SHA-256 of original `{}` is not recorded", name.value))
                    .at_span(&f.path, &f.text, name.span)
                    .help(format!("add `original_sha256: {sha256}` to the front matter")),
            );
        }
        _ => {}
    }
    Some(Original { file: name.value.clone(), sha256, len: source.len, path: source.path, lines: source.lines })
}

fn lookup_entity(ctx: &Ctx, f: &SourceFile, id: &Spanned<String>, diags: &mut Vec<Diagnostic>) -> Option<Ix> {
    if let Some(&ix) = ctx.ids.entities.get(id.as_str()) {
        return Some(ix);
    }
    if ctx.ids.broken.contains(&(crate::load::Kind::Entity, id.as_str())) {
        return None;
    }
    diags.push(
        Diagnostic::error(format!("unknown entity '{}'", id.value))
            .at_span(&f.path, &f.text, id.span)
            .help(diag::did_you_mean(id, ctx.ids.known(crate::load::Kind::Entity))),
    );
    None
}

fn lookup_entities(ctx: &Ctx, f: &SourceFile, list: &[Spanned<String>], diags: &mut Vec<Diagnostic>) -> Vec<Ix> {
    let mut out = Vec::new();
    for id in list {
        if let Some(ix) = lookup_entity(ctx, f, id, diags) {
            if !out.contains(&ix) {
                out.push(ix);
            }
        }
    }
    out
}

fn lookup_article(ctx: &Ctx, f: &SourceFile, pos: (usize, usize), id: &str, diags: &mut Vec<Diagnostic>) -> Option<Ix> {
    if let Some(&ix) = ctx.ids.articles.get(id) {
        return Some(ix);
    }
    if ctx.ids.broken.contains(&(crate::load::Kind::Article, id)) {
        return None;
    }
    diags.push(
        Diagnostic::error(format!("unknown article '{id}'"))
            .at(&f.path, &f.text, pos.0, pos.1)
            .help(diag::did_you_mean(id, ctx.ids.known(crate::load::Kind::Article))),
    );
    None
}

/// What a note asks of its article's text.
fn note_selector(n: &RawNote) -> Selector<'_> {
    Selector {
        quote: &n.quote,
        prefix: n.prefix.as_deref(),
        suffix: n.suffix.as_deref(),
        paragraph: n.paragraph.map(|p| p as usize),
    }
}

/// Resolves a note whose quote `anchoring` has already been looked up.
/// The note's strings are taken from `n` (`path`: its file's, shared by
/// its notes).
fn resolve_note(
    ctx: &Ctx,
    article: Ix,
    anchoring: Anchoring,
    n: &mut RawNote,
    path: &std::sync::Arc<str>,
) -> (Option<Note>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let f = &ctx.files[n.at.file];
    let speaker = n.speaker.as_ref().and_then(|s| lookup_entity(ctx, f, s, &mut diags));
    let entities = lookup_entities(ctx, f, &n.entities, &mut diags);
    let passage = anchor_passage(ctx, f, article, anchoring, first_line(f, n.quote.span), false, &mut diags);
    let body = rich(ctx, f, &n.body_rich, &in_value(f, &n.body), &mut diags);
    let origin = Origin { file: path.clone(), line: n.line };
    let note = passage.map(|passage| Note {
        id: std::mem::take(&mut n.id),
        kind: n.kind,
        passage,
        speaker,
        said_by: n.said_by.take(),
        reported: n.reported,
        voice: n.voice,
        external: std::mem::take(&mut n.external),
        entities,
        body,
        origin,
    });
    (note, diags)
}

/// One mention override, resolved: the block and byte range its quote
/// selects, and the entity that range names (`None`: no entity).
#[derive(Debug, Clone, Copy)]
struct Override {
    block: u32,
    start: u32,
    end: u32,
    entity: Option<Ix>,
}

/// The block index of paragraph `n` (counted from 1) of an article.
fn block_of_paragraph(blocks: &[crate::model::Block], n: u32) -> Option<u32> {
    blocks.iter().position(|b| b.kind == BlockKind::Paragraph(n)).map(|b| b as u32)
}

/// The overrides of an article that anchored and name a known entity (or
/// none); the others have an error from [`check_override`].
fn mention_overrides<'a>(
    ctx: &Ctx,
    blocks: &[crate::model::Block],
    items: impl Iterator<Item = (&'a RawNote, &'a Anchoring)>,
) -> Vec<Override> {
    let mut out = Vec::new();
    for (n, anchoring) in items {
        let Some(target) = &n.mention else { continue };
        let anchor = match anchoring {
            Ok(
                AnchorOutcome::Anchored(a)
                | AnchorOutcome::Unmatched { anchor: a, .. }
                | AnchorOutcome::Moved { anchor: a, .. },
            ) => a,
            Err(_) => continue,
        };
        let entity = match &target.value {
            None => None,
            Some(id) => match ctx.ids.entities.get(id.as_str()) {
                Some(&ix) => Some(ix),
                None => continue,
            },
        };
        let Some(block) = block_of_paragraph(blocks, anchor.paragraph as u32) else { continue };
        out.push(Override { block, start: anchor.start as u32, end: anchor.end as u32, entity });
    }
    out
}

/// The mentions of an article once its overrides apply: every mention that
/// overlaps an override's range gives way to it. An override that names an
/// entity re-points the one name its quote holds (`quote: الجارة الشمالية
/// مالي` re-points `مالي`), or, when the quote holds no name or several,
/// makes the quoted words one mention of that entity.
fn apply_overrides(mut mentions: Vec<Mention>, overrides: &[Override]) -> Vec<Mention> {
    if overrides.is_empty() {
        return mentions;
    }
    let overlaps = |m: &Mention, o: &Override| m.block == o.block && m.start < o.end && o.start < m.end;
    let mut added = Vec::new();
    for o in overrides {
        let Some(entity) = o.entity else { continue };
        let inside: Vec<&Mention> = mentions.iter().filter(|m| overlaps(m, o)).collect();
        let m = match inside.as_slice() {
            // One name quoted with its surroundings: that name, re-pointed.
            [one] if one.start >= o.start && one.end <= o.end => Mention { entity, ..**one },
            // No name or several: the quoted words become the name.
            _ => Mention { block: o.block, start: o.start, end: o.end, entity },
        };
        // Two overrides over one range: the first written wins.
        if !added.iter().any(|x: &Mention| x.block == m.block && x.start < m.end && m.start < x.end) {
            added.push(m);
        }
    }
    mentions.retain(|m| !overrides.iter().any(|o| overlaps(m, o)));
    mentions.extend(added);
    mentions.sort();
    mentions
}

/// The mentions of an article that may be adjectives rather than names
/// ([`crate::mentions::may_be_adjective`]), leaving out those an override
/// set (an editor decided them).
fn adjectival(blocks: &[crate::model::Block], mentions: &[Mention], overrides: &[Override]) -> Vec<Mention> {
    mentions
        .iter()
        .filter(|m| !overrides.iter().any(|o| o.block == m.block && o.start <= m.start && m.end <= o.end))
        .filter(|m| {
            blocks
                .get(m.block as usize)
                .is_some_and(|b| crate::mentions::may_be_adjective(&b.text, m.start as usize, m.end as usize))
        })
        .copied()
        .collect()
}

/// One warning per entity whose name may be read as an adjective
/// somewhere (`ضغط مالي`, "financial pressure"), at the alias in the
/// entity's file, with the count and the first place.
fn adjective_warnings(
    entities: &[std::sync::Arc<crate::parse::RawEntity>],
    files: &[SourceFile],
    articles: &[std::sync::Arc<crate::parse::RawArticle>],
    found: &[ArticleFindings],
) -> Vec<Diagnostic> {
    // entity → (count, first (article, block, mention))
    let mut by_entity: BTreeMap<Ix, (usize, usize, Mention)> = BTreeMap::new();
    for (a, (_, _, adjectival, _)) in found.iter().enumerate() {
        for m in adjectival {
            by_entity.entry(m.entity).or_insert((0, a, *m)).0 += 1;
        }
    }
    let mut diags = Vec::new();
    for (entity, (count, a, m)) in by_entity {
        let (Some(raw), Some(article)) = (entities.get(entity as usize), articles.get(a)) else { continue };
        let Some(block) = article.blocks.get(m.block as usize) else { continue };
        let f = &files[raw.at.file];
        let name = crate::arabic::normalize(block.text.get(m.start as usize..m.end as usize).unwrap_or(""));
        let k = raw.aliases.iter().position(|x| crate::arabic::normalize(x).trim() == name.trim()).unwrap_or(0);
        let span = raw.alias_spans.get(k).copied().unwrap_or_default();
        let word_start = block.text[..m.start as usize].trim_end().rfind(' ').map_or(0, |i| i + 1);
        let context = block.text.get(word_start..m.end as usize).unwrap_or("");
        let place = match block.kind {
            BlockKind::Paragraph(p) => format!("`{}` ¶{p}", article.id),
            BlockKind::Heading(_) => format!("a heading of `{}`", article.id),
        };
        let times = if count == 1 { "once".to_string() } else { format!("{count} times") };
        diags.push(
            Diagnostic::warning(format!(
                "`{}` may be read as an adjective after a noun, {times} (first «{context}» in {place})",
                raw.aliases.get(k).map_or(raw.name.as_str(), String::as_str)
            ))
            .at_span(&f.path, &f.text, span)
            .help(format!(
                "`milaf suggest` lists each place with its context; where the word is not `{}`, add a mention override to the article's annotation file (`- mention: false` with the `quote:`), and where it is, confirm it (`- mention: {}`)",
                raw.id, raw.id
            )),
        );
    }
    diags
}

/// The problems of one mention override: its quote must anchor, its
/// entity exist, and an override that unlinks must have a mention to
/// unlink.
fn check_override(
    ctx: &Ctx,
    article: Ix,
    anchoring: Anchoring,
    n: &RawNote,
    blocks: &[crate::model::Block],
    mentions: &[Mention],
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let f = &ctx.files[n.at.file];
    let Some(target) = &n.mention else { return diags };
    if let Some(id) = &target.value {
        lookup_entity(ctx, f, &Spanned { span: target.span, value: id.clone() }, &mut diags);
    }
    let passage = anchor_passage(ctx, f, article, anchoring, first_line(f, n.quote.span), false, &mut diags);
    if let (None, Some(p)) = (&target.value, passage) {
        let block = block_of_paragraph(blocks, p.paragraph);
        let found = mentions.iter().any(|m| Some(m.block) == block && m.start < p.end && p.start < m.end);
        if !found {
            diags.push(
                Diagnostic::warning("nothing to unlink: no name is linked in the quoted words")
                    .at_span(&f.path, &f.text, target.span)
                    .help("the quote already links to no entity; remove this item, or quote the words of the name it should unlink"),
            );
        }
    }
    diags
}

/// The part of a span on its first line: where a caret under a long,
/// folded value goes.
fn first_line(f: &SourceFile, span: Span) -> (usize, usize) {
    let end = f.text.get(span.start..span.end).and_then(|t| t.find('\n')).map_or(span.end, |i| span.start + i);
    (span.start, end)
}

/// The passage an anchoring found in an article, or the problem reported
/// at `pos`; `markdown` when the quote is a `[@id "…"]` citation, whose fix
/// is written in Markdown rather than in YAML fields.
fn anchor_passage(
    ctx: &Ctx,
    f: &SourceFile,
    article: Ix,
    anchoring: Anchoring,
    pos: (usize, usize),
    markdown: bool,
    diags: &mut Vec<Diagnostic>,
) -> Option<Passage> {
    let article_id = ctx.article_ids[article as usize];
    match anchoring {
        Ok(AnchorOutcome::Anchored(a)) => Some(to_passage(article, &a)),
        Ok(AnchorOutcome::Unmatched { anchor, context }) => {
            diags.push(
                Diagnostic::warning(format!(
                    "the {context} given does not match the words around the quote in ¶{} of `{article_id}`",
                    anchor.paragraph
                ))
                .at(&f.path, &f.text, pos.0, pos.1)
                .help(format!(
                    "the quote occurs once, so the note is anchored there; correct the {context} from the article's text, or remove it"
                )),
            );
            Some(to_passage(article, &anchor))
        }
        Ok(AnchorOutcome::Moved { anchor, hint }) => {
            diags.push(
                Diagnostic::warning(format!(
                    "the quote is in ¶{} of `{article_id}`, not in ¶{hint} as the `paragraph:` hint says",
                    anchor.paragraph
                ))
                .at(&f.path, &f.text, pos.0, pos.1)
                .help(format!("the text moved: update the hint to `paragraph: {}`", anchor.paragraph)),
            );
            Some(to_passage(article, &anchor))
        }
        Err(AnchorError::EmptyQuote) => {
            diags.push(
                Diagnostic::error("the quote is empty")
                    .at(&f.path, &f.text, pos.0, pos.1)
                    .help("copy the exact words of the passage from the article"),
            );
            None
        }
        Err(AnchorError::Ambiguous { paragraphs, help }) => {
            let list: Vec<String> = paragraphs.iter().map(|p| format!("¶{p}")).collect();
            let help = if markdown {
                let mut numbers: Vec<String> = paragraphs.iter().map(usize::to_string).collect();
                numbers.dedup();
                format!(
                    "say which paragraph: `[@{article_id}#p{} \"…\"]` (it occurs in ¶{}), or quote more words, so that they occur once",
                    numbers[0],
                    numbers.join(", ¶")
                )
            } else {
                help
            };
            diags.push(
                Diagnostic::error(format!(
                    "the quote occurs {} times in `{article_id}` ({})",
                    paragraphs.len(),
                    list.join(", ")
                ))
                .at(&f.path, &f.text, pos.0, pos.1)
                .help(help),
            );
            None
        }
        Err(AnchorError::NotFound { closest, help }) => {
            let help = match closest {
                Some((p, text)) => format!("¶{p} has «{text}»; {help}"),
                None => help,
            };
            diags.push(
                Diagnostic::error(format!("the quote is not in `{article_id}`"))
                    .at(&f.path, &f.text, pos.0, pos.1)
                    .help(help),
            );
            None
        }
    }
}

fn to_passage(article: Ix, a: &anchor::Anchor) -> Passage {
    Passage { article, paragraph: a.paragraph as u32, start: a.start as u32, end: a.end as u32 }
}

/// Resolves one event source.
fn resolve_source(ctx: &Ctx, f: &SourceFile, src: &RawSource, diags: &mut Vec<Diagnostic>) -> Option<Citation> {
    let pos = (src.article.span.start, src.article.span.end);
    let article = lookup_article(ctx, f, pos, &src.article, diags)?;
    let quote = src.quote.as_ref().map(|q| (q.as_str(), first_line(f, q.span)));
    let para = src.paragraph.as_ref().map(|p| (p.value, (p.span.start, p.span.end)));
    let at = cite_at(ctx, f, article, quote, para, false, diags)?;
    Some(Citation { article, at })
}

/// Where a citation of `article` points: the passage its quote finds (a
/// paragraph number given with it is a hint), a whole paragraph, or the
/// article. Each part comes with its position in the file for errors.
fn cite_at(
    ctx: &Ctx,
    f: &SourceFile,
    article: Ix,
    quote: Option<(&str, (usize, usize))>,
    para: Option<(u32, (usize, usize))>,
    markdown: bool,
    diags: &mut Vec<Diagnostic>,
) -> Option<CiteAt> {
    let count = ctx.paragraphs[article as usize].len() as u32;
    if let Some((p, ppos)) = para {
        if p == 0 || p > count {
            diags.push(
                Diagnostic::error(format!("`{}` has no paragraph {p}", ctx.article_ids[article as usize]))
                    .at(&f.path, &f.text, ppos.0, ppos.1)
                    .help(format!("its paragraphs are numbered 1 to {count}")),
            );
            return None;
        }
    }
    Some(match (quote, para) {
        (Some((q, qpos)), hint) => {
            let key = (q, hint.map(|(p, _)| p as usize));
            // Anchored in the per-article pass; a citation that pass did not
            // see (none, as `cited_quotes` reads every body) is anchored here.
            let anchoring = match ctx
                .cited
                .get(article as usize)
                .map(|c| c.binary_search_by(|((quote, hint), _)| (&**quote, *hint).cmp(&key)))
            {
                Some(Ok(i)) => ctx.cited[article as usize][i].1.clone(),
                _ => {
                    let sel = Selector { quote: q, prefix: None, suffix: None, paragraph: key.1 };
                    Paragraphs::new(&ctx.paragraphs[article as usize]).resolve(&sel)
                }
            };
            CiteAt::Passage(anchor_passage(ctx, f, article, anchoring, qpos, markdown, diags)?)
        }
        (None, Some((p, _))) => CiteAt::Paragraph(p),
        (None, None) => CiteAt::Article,
    })
}

/// Every quote that a citation gives (`[@id "quote"]` in any Markdown body,
/// `quote:` in an event's sources), by the index of the cited article,
/// sorted and without repeats: what the per-article pass anchors. Walks
/// the parsed bodies, so a citation inside code is not one; the citations
/// are checked properly by `rich` later, which finds its quotes here.
fn cited_quotes(ids: &Ids, parsed: &Parsed) -> Vec<Vec<CitedKey>> {
    let mut by_article: Vec<Vec<CitedKey>> = vec![Vec::new(); ids.articles.len()];
    let mut add = |id: &str, quote: &str, para: Option<usize>| {
        if let Some(&a) = ids.articles.get(id) {
            by_article[a as usize].push((quote.into(), para));
        }
    };
    let bodies = parsed
        .entities
        .iter()
        .map(|e| &e.description_rich)
        .chain(parsed.events.iter().map(|e| &e.body_rich))
        .chain(parsed.pages.iter().map(|p| &p.body_rich))
        .chain(parsed.annotations.iter().flat_map(|(_, _, notes)| notes.iter().map(|n| &n.body_rich)));
    for body in bodies {
        for (article, paragraph, quote) in &body.cited_quotes {
            add(article, quote, paragraph.map(|p| p as usize));
        }
    }
    for event in &parsed.events {
        for src in &event.sources {
            if let Some(quote) = &src.quote {
                add(&src.article, quote, src.paragraph.as_ref().map(|p| p.value as usize));
            }
        }
    }
    for list in &mut by_article {
        list.sort_unstable();
        list.dedup();
    }
    by_article
}

/// Maps a byte range of a YAML scalar's value (a Markdown body) to the
/// file, through the value's span: each token is reported where it is
/// written, also when the same token occurs twice.
fn in_value<'a>(f: &'a SourceFile, value: &'a Spanned<String>) -> impl Fn(usize, usize) -> (usize, usize) + 'a {
    move |start, end| {
        let span = crate::yaml::value_range(&f.text, value.span, value, start..end);
        (span.start, span.end)
    }
}

/// How many problems of one Markdown body are listed one by one.
const MAX_BODY_DIAGNOSTICS: usize = 100;

/// Resolves the wiki links and citations of a parsed Markdown body and
/// reports the problems its parsing found. `to_file` maps a byte range of
/// the body to one of `f`, so that each problem is reported where its text
/// is.
fn rich(
    ctx: &Ctx,
    f: &SourceFile,
    body: &RawRich,
    to_file: &dyn Fn(usize, usize) -> (usize, usize),
    diags: &mut Vec<Diagnostic>,
) -> Rich {
    let at = |span: &crate::rich::Span| to_file(span.start, span.end);
    // Past a hundred problems in one body, each further one is only
    // counted: placing a diagnostic costs a walk over the body, and a body
    // made of thousands of broken links must not take minutes to report.
    let first = diags.len();
    let mut unlisted = 0usize;
    let room = |diags: &Vec<Diagnostic>| diags.len() - first < MAX_BODY_DIAGNOSTICS;
    for problem in &body.problems {
        if ctx.remote_media && matches!(problem.kind, crate::rich::ProblemKind::RemoteImage(_)) {
            continue;
        }
        if !room(diags) {
            unlisted += 1;
            continue;
        }
        let (s, e) = at(&problem.span);
        diags.push(Diagnostic::error(problem.message()).at(&f.path, &f.text, s, e).help(problem.help()));
    }
    let mut refs = Vec::new();
    crate::rich::for_each_ref(&body.blocks, &mut |r, span| {
        let resolved = match r {
            RawRef::Wiki { target, paragraph, label } => {
                match resolve_wiki(ctx, target, paragraph.as_deref(), label.as_deref()) {
                    Ok(r) => Some(r),
                    Err(_) if !room(diags) => {
                        unlisted += 1;
                        None
                    }
                    Err((msg, help)) => {
                        let (s, e) = at(span);
                        diags.push(Diagnostic::error(msg).at(&f.path, &f.text, s, e).help(help));
                        None
                    }
                }
            }
            RawRef::Cite { article, paragraph, quote } if !room(diags) => {
                let mut counted = Vec::new();
                let cite = resolve_citation(ctx, f, (0, 0), article, *paragraph, quote.as_deref(), &mut counted);
                unlisted += counted.len();
                cite.map(Ref::Cite)
            }
            RawRef::Cite { article, paragraph, quote } => {
                resolve_citation(ctx, f, at(span), article, *paragraph, quote.as_deref(), diags).map(Ref::Cite)
            }
        };
        refs.push(resolved);
    });
    if unlisted > 0 {
        diags.push(
            Diagnostic::error(format!("{unlisted} more problem(s) in the same text are not listed"))
                .in_file(&f.path)
                .help("fix the problems listed above and run `milaf check` again"),
        );
    }
    Rich { blocks: body.blocks.clone(), refs, source: body.source.clone() }
}

fn resolve_wiki(ctx: &Ctx, id: &str, para: Option<&str>, label: Option<&str>) -> Result<Ref, (String, String)> {
    let text = label.map(str::to_string);
    let all_ids = || {
        ctx.ids.entities.keys().chain(ctx.ids.articles.keys()).chain(ctx.ids.pages.keys()).copied().collect::<Vec<_>>()
    };
    if let Some(p) = para {
        let Some(&a) = ctx.ids.articles.get(id) else {
            return Err((format!("unknown article '{id}'"), diag::did_you_mean(id, ctx.ids.articles.keys().copied())));
        };
        let count = ctx.paragraphs[a as usize].len() as u32;
        return match p.parse::<u32>() {
            Ok(n) if n >= 1 && n <= count => Ok(Ref::Link { target: Target::Paragraph(a, n), text }),
            _ => Err((
                format!("`{id}` has no paragraph `{p}`"),
                format!("its paragraphs are numbered 1 to {count}: write `[[{id}#p3]]`"),
            )),
        };
    }
    if let Some(&e) = ctx.ids.entities.get(id) {
        return Ok(Ref::Link { target: Target::Entity(e), text });
    }
    if let Some(&a) = ctx.ids.articles.get(id) {
        return Ok(Ref::Link { target: Target::Article(a), text });
    }
    if let Some(&p) = ctx.ids.pages.get(id) {
        return Ok(Ref::Link { target: Target::Page(p), text });
    }
    Err((format!("unknown id '{id}' in wiki link"), diag::did_you_mean(id, all_ids())))
}

fn resolve_citation(
    ctx: &Ctx,
    f: &SourceFile,
    pos: (usize, usize),
    id: &str,
    para: Option<u32>,
    quote: Option<&str>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Citation> {
    let article = lookup_article(ctx, f, pos, id, diags)?;
    // `#p` followed by no number (`[@id#p]`) is paragraph 0, which is refused.
    let para = para.map(|p| (p, pos));
    let at = cite_at(ctx, f, article, quote.map(|q| (q, pos)), para, true, diags)?;
    Some(Citation { article, at })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Kind;

    #[test]
    fn every_cited_quote_is_collected_for_the_per_article_pass() {
        let mut sources = Sources {
            files: vec![
                SourceFile::text(Kind::Config, "content/dossier.yaml", "title: t\nkinds: [{ id: person, label: l, singular: s }]\n"),
                SourceFile::text(Kind::Article, "content/articles/a.md", "---\ntitle: أ\noutlet: و\npublished: 2022\n---\nفقرة أولى فيها كلام.\n\nفقرة ثانية.\n"),
                SourceFile::text(Kind::Article, "content/articles/b.md", "---\ntitle: ب\noutlet: و\npublished: 2022\n---\nنص آخر.\n"),
                SourceFile::text(
                    Kind::Entity,
                    "content/entities/e.yaml",
                    "name: ه\nkind: person\ndescription: وصف [@a \"فقرة أولى\"] و[@b \"نص\"].\n",
                ),
                SourceFile::text(
                    Kind::Events,
                    "content/events/all.yaml",
                    "- id: ev\n  date: 2022\n  title: ح\n  sources: [{ article: a, quote: \"ثانية\", paragraph: 2 }]\n  body: نص [@a#p1 \"فيها كلام\"].\n",
                ),
                SourceFile::text(
                    Kind::Annotations,
                    "content/annotations/a.yaml",
                    "- id: n\n  quote: \"فقرة ثانية\"\n  body: انظر [@a \"أولى\"] و[@a \"أولى\"] و[@none \"x\"] و[@b].\n",
                ),
                SourceFile::text(Kind::Page, "content/pages/p.md", "---\ntitle: ص\n---\nنص `[@a \"في شفرة\"]` [@a \"كلام\"].\n"),
            ],
            themes: Default::default(),
        };
        let files = sources.files.clone();
        let (mut parsed, diags) = crate::parse::parse(&mut sources);
        assert!(diags.is_empty(), "{diags:?}");
        parsed.articles.sort_by(|x, y| x.id.cmp(&y.id));
        let ids = Ids {
            articles: parsed.articles.iter().enumerate().map(|(i, a)| (a.id.as_str(), i as Ix)).collect(),
            entities: BTreeMap::new(),
            pages: BTreeMap::new(),
            broken: Default::default(),
        };
        let quotes = cited_quotes(&ids, &parsed);
        // Every body kind and event sources; each quote once; unknown
        // articles, citations without a quote and citations in code left
        // out.
        let quotes: Vec<Vec<(&str, Option<usize>)>> =
            quotes.iter().map(|q| q.iter().map(|(quote, hint)| (&**quote, *hint)).collect()).collect();
        assert_eq!(
            quotes[0],
            vec![("أولى", None), ("ثانية", Some(2)), ("فقرة أولى", None), ("فيها كلام", Some(1)), ("كلام", None)]
        );
        assert_eq!(quotes[1], vec![("نص", None)]);
        // The dossier resolves with them: each citation points at its words.
        let mut files = files;
        files[5].text = files[5].text.replace(" و[@none \"x\"]", "");
        let (d, diags) = crate::compile(&mut Sources { files, themes: Default::default() });
        assert!(diags.is_empty(), "{diags:?}");
        let d = d.unwrap();
        let cited = |rich: &Rich| -> Vec<String> {
            rich.resolved()
                .filter_map(|r| match r {
                    Ref::Cite(Citation { article, at: CiteAt::Passage(p) }) => {
                        Some(d.articles[*article as usize].passage_text(p).to_string())
                    }
                    _ => None,
                })
                .collect()
        };
        assert_eq!(cited(&d.entities[0].description), ["فقرة أولى", "نص"]);
        assert_eq!(cited(&d.events[0].body), ["فيها كلام"]);
        assert_eq!(cited(&d.articles[0].notes[0].body), ["أولى", "أولى"]);
        assert_eq!(cited(&d.pages[0].body), ["كلام"]);
        let CiteAt::Passage(p) = d.events[0].sources[0].at else { panic!("{:?}", d.events[0].sources) };
        assert_eq!((p.paragraph, d.articles[0].passage_text(&p)), (2, "ثانية"));
    }

    #[test]
    fn two_identical_unknown_wiki_links_are_reported_at_their_own_ranges() {
        let ids = Ids {
            articles: BTreeMap::new(),
            entities: BTreeMap::from([("mali", 0)]),
            pages: BTreeMap::new(),
            broken: Default::default(),
        };
        let body = "[[malix]] ثم [[malix]]\n";
        let f = SourceFile::text(Kind::Page, "content/pages/p.md", &format!("---\ntitle: ص\n---\n{body}"));
        let body_at = f.text.len() - body.len();
        let ctx = Ctx {
            ids: &ids,
            paragraphs: &[],
            article_ids: &[],
            files: std::slice::from_ref(&f),
            cited: &[],
            remote_media: false,
        };
        let mut diags = Vec::new();
        let to_file = |s: usize, e: usize| (body_at + s, body_at + e);
        let rich = rich(&ctx, &f, &crate::rich::parse(body), &to_file, &mut diags);
        let found: Vec<(&str, usize, usize)> = diags
            .iter()
            .map(|d| {
                let loc = d.location.as_ref().unwrap();
                (d.message.as_str(), loc.column, loc.len)
            })
            .collect();
        assert_eq!(found, [("unknown id 'malix' in wiki link", 1, 9), ("unknown id 'malix' in wiki link", 14, 9)]);
        assert!(diags.iter().all(|d| d.help.as_deref() == Some("did you mean 'mali'?")), "{diags:?}");
        // Neither resolves; each keeps its place, and its text.
        assert_eq!(rich.refs, vec![None, None]);
        let mut tokens = Vec::new();
        crate::rich::for_each_ref(&rich.blocks, &mut |_, span| tokens.push(rich.token(span).to_string()));
        assert_eq!(tokens, ["[[malix]]", "[[malix]]"]);
    }
}
