//! milaf turns a folder of source articles and the editorial files that
//! annotate them into a cross-linked, right-to-left static site.
//!
//! # Steps
//! A build is a pipeline of stages over one model; only the first and the
//! last touch the disk.
//! 1. [`load`] walks `content/` and reads every file into memory.
//! 2. [`parse`] turns each file into raw typed records, each value with its
//!    span ([`yaml`]) and each editorial Markdown body parsed once into
//!    typed nodes ([`rich`]), checking what one file alone can show
//!    (syntax, fields, types, ids, dates, placeholders [`new`] left).
//! 3. [`resolve`] looks up every id, anchors quotes to passages, finds the
//!    mentions of every entity in every article, and reports every dangling
//!    reference with its position.
//! 4. [`index`] computes the cross-references and yields the immutable
//!    [`model::Dossier`].
//! 5. [`render`] turns the dossier into output files (tera templates over
//!    view structs).
//! 6. [`write`] stages the files beside the output folder and swaps them in.
//!
//! Stages collect diagnostics instead of stopping at the first problem; the
//! driver stops before `render` when there is any error. `milaf serve`
//! keeps a [`workspace::Workspace`] between rebuilds, which re-runs only
//! what a change touches and renders each page when it is asked for.

// A `Diagnostic` is the error type of content checks; it is built only on
// the error path, so its size does not matter.
#![allow(clippy::result_large_err)]

pub mod anchor;
pub mod arabic;
pub mod config;
pub mod date;
pub mod diag;
pub mod i18n;
pub mod import;
pub mod index;
pub mod load;
pub mod markdown;
pub mod mentions;
pub mod model;
pub mod new;
pub mod parse;
pub mod provenance;
pub mod render;
pub mod resolve;
pub mod rich;
pub mod rng;
pub mod serve;
pub mod snapshot;
pub mod suggest;
pub mod terms;
pub mod workspace;
pub mod write;
pub mod yaml;

use diag::Diagnostic;
use std::path::Path;

/// Runs parse, resolve and index over loaded sources.
pub fn compile(sources: &mut load::Sources) -> (Option<model::Dossier>, Vec<Diagnostic>) {
    compile_with(sources, provenance::Provenance::default())
}

/// `compile`, with the provenance `load` read from git for `index` to
/// apply to the records.
fn compile_with(
    sources: &mut load::Sources,
    provenance: provenance::Provenance,
) -> (Option<model::Dossier>, Vec<Diagnostic>) {
    let t = Timer::start();
    let (parsed, diags) = parse::parse(sources);
    t.lap("parse");
    compile_parsed_with(sources, parsed, diags, None, provenance)
}

/// Runs resolve and index over parsed records (`cache`: what a workspace
/// kept of the previous build).
///
/// Placeholders that `milaf new` left unfilled are errors, and what the
/// stages say about those same values is dropped (an unfilled date is not
/// also a bad date).
pub fn compile_parsed(
    sources: &load::Sources,
    parsed: parse::Parsed,
    diags: Vec<Diagnostic>,
    cache: Option<&mut resolve::PassCache>,
) -> (Option<model::Dossier>, Vec<Diagnostic>) {
    compile_parsed_with(sources, parsed, diags, cache, provenance::Provenance::default())
}

fn compile_parsed_with(
    sources: &load::Sources,
    mut parsed: parse::Parsed,
    mut diags: Vec<Diagnostic>,
    cache: Option<&mut resolve::PassCache>,
    provenance: provenance::Provenance,
) -> (Option<model::Dossier>, Vec<Diagnostic>) {
    let t = Timer::start();
    let unfilled = std::mem::take(&mut parsed.unfilled);
    let (resolved, more) = resolve::resolve_with(sources, parsed, cache);
    t.lap("resolve");
    diags.extend(more);
    new::drop_covered(&mut diags, &unfilled);
    diags.extend(unfilled);
    diag::sort(&mut diags);
    let dossier = resolved.map(|r| index::index(resolve::Resolved { provenance, ..r }));
    t.lap("index");
    (dossier, diags)
}

/// Stage timings on stderr when `MILAF_TIMINGS` is set, for profiling
/// large builds, with the process's memory from `/proc/self/status` (the
/// only file read outside `load`, and only then). Never part of the output.
struct Timer(Option<std::cell::Cell<std::time::Instant>>);

impl Timer {
    fn start() -> Timer {
        Timer(std::env::var_os("MILAF_TIMINGS").map(|_| std::cell::Cell::new(std::time::Instant::now())))
    }

    fn lap(&self, stage: &str) {
        if let Some(cell) = &self.0 {
            let now = std::time::Instant::now();
            // Resident and peak memory where the system reports them.
            let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
            let field = |name: &str| {
                let kb = status
                    .lines()
                    .find_map(|l| l.strip_prefix(name))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
                kb.map_or(String::new(), |kb| format!("  {} {:>6} MiB", name.trim_end_matches(':'), kb / 1024))
            };
            // The process's CPU time so far (user + system, in clock ticks
            // of 1/100 s), which shows how well a stage keeps the cores busy.
            let cpu = std::fs::read_to_string("/proc/self/stat").ok().and_then(|stat| {
                let after_name = &stat[stat.rfind(')')? + 2..];
                let mut fields = after_name.split(' ').skip(11);
                let user: u64 = fields.next()?.parse().ok()?;
                let system: u64 = fields.next()?.parse().ok()?;
                Some(user + system)
            });
            let cpu = cpu.map_or(String::new(), |ticks| format!("  CPU {:>8.2} s", ticks as f64 / 100.0));
            eprintln!(
                "timing: {stage:<8} {:>8.3} s{}{}{cpu}",
                (now - cell.get()).as_secs_f64(),
                field("VmRSS:"),
                field("VmHWM:")
            );
            cell.set(now);
        }
    }
}

/// What a build or check found.
pub struct Outcome {
    pub diagnostics: Vec<Diagnostic>,
    /// Files written (build) or that would be written (check); `None` when
    /// errors stopped the pipeline.
    pub files: Option<usize>,
}

impl Outcome {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Loads and compiles the dossier at `root`; I/O failures are `Err`.
pub fn check(root: &Path) -> anyhow::Result<(Option<model::Dossier>, Vec<Diagnostic>, load::Sources)> {
    check_with(root, None)
}

/// `check`, with the provenance `load` read from git (a build's, which
/// shows it; `check` has no use for it).
fn check_with(
    root: &Path,
    provenance: Option<provenance::Provenance>,
) -> anyhow::Result<(Option<model::Dossier>, Vec<Diagnostic>, load::Sources)> {
    let provenance = provenance.unwrap_or_default();
    let (dossier, mut diags, sources) = match check_lean(root, provenance.clone(), true)? {
        Some(done) => done,
        // A later stage found a problem in an annotation file whose text
        // was let go: read everything again, keeping the texts, to show
        // the lines.
        None => check_lean(root, provenance, false)?
            .ok_or_else(|| anyhow::anyhow!("the texts were kept, yet a diagnostic lacks one"))?,
    };
    diag::sort(&mut diags);
    let dossier = if diags.iter().any(Diagnostic::is_error) { None } else { dossier };
    Ok((dossier, diags, sources))
}

/// What `check_lean` found: the dossier, the diagnostics and the sources.
type Checked = (Option<model::Dossier>, Vec<Diagnostic>, load::Sources);

/// Loads and compiles, parsing each batch of files as soon as it is read,
/// so that the articles' texts (cut down to their front matter once
/// parsed) are never all in memory at once: a 100k-article dossier holds
/// about a gigabyte of them. With `lean`, an annotation file's text is let
/// go too once parsed (only diagnostics of later stages point into it),
/// and `None` is the answer when one does.
fn check_lean(root: &Path, provenance: provenance::Provenance, lean: bool) -> anyhow::Result<Option<Checked>> {
    let t = Timer::start();
    let mut parsed_files: Vec<parse::ParsedFile> = Vec::new();
    let mut let_go = std::collections::BTreeSet::new();
    let (sources, mut diags) = load::load_with(root, &mut |first, batch| {
        use rayon::prelude::*;
        parsed_files.par_extend(batch.par_iter_mut().enumerate().map(|(k, f)| parse::parse_file(first + k, f)));
        if lean {
            for f in batch.iter_mut().filter(|f| f.kind == load::Kind::Annotations && !f.text.is_empty()) {
                f.text = String::new();
                let_go.insert(f.path.clone());
            }
        }
    })?;
    t.lap("load+parse");
    let (parsed, parse_diags) = parse::assemble(parsed_files);
    let (dossier, more) = compile_parsed_with(&sources, parsed, parse_diags, None, provenance);
    if more.iter().any(|d| d.location.as_ref().is_some_and(|l| let_go.contains(&l.file))) {
        return Ok(None);
    }
    diags.extend(more);
    Ok(Some((dossier, diags, sources)))
}

/// `SOURCE_DATE_EPOCH` from the environment, checked.
pub fn source_date_epoch() -> anyhow::Result<Option<i64>> {
    provenance::source_date_epoch(std::env::var_os("SOURCE_DATE_EPOCH").as_deref())
}

/// Builds the site at `root` into `out`. Content errors leave `out`
/// untouched and are returned in the outcome.
///
/// The build's provenance (its commit and times) is read from the git
/// repository holding `root`, if any; `SOURCE_DATE_EPOCH` sets its time.
pub fn build(root: &Path, out: &Path) -> anyhow::Result<Outcome> {
    write::check_output_place(root, out)?;
    write::check_replaceable(out)?;
    let provenance = provenance::read(root, None, source_date_epoch()?);
    build_with(root, out, provenance).map(|(outcome, _)| outcome)
}

/// `build` with the given provenance; also returns the dossier's
/// configuration when it built.
fn build_with(
    root: &Path,
    out: &Path,
    provenance: provenance::Provenance,
) -> anyhow::Result<(Outcome, Option<config::Config>)> {
    let (dossier, diagnostics, sources) = check_with(root, Some(provenance))?;
    let Some(dossier) = dossier else {
        return Ok((Outcome { diagnostics, files: None }, None));
    };
    // The source texts were only needed to point diagnostics at lines;
    // free them before rendering, which is when memory peaks.
    let templates =
        render::Templates::new(sources.theme(&dossier.config.theme), &dossier.config.lang, dossier.config.numerals)?;
    drop(sources);
    let t = Timer::start();
    let staging = write::Staging::new(out)?;
    let count = render::render_to(&dossier, &templates, &staging)?;
    t.lap("render");
    staging.commit()?;
    t.lap("swap");
    let config = dossier.config.clone();
    free_aside(dossier);
    Ok((Outcome { diagnostics, files: Some(count) }, Some(config)))
}

/// Drops `value` on a thread of its own: freeing a large dossier's model
/// takes about a tenth of a second per 10,000 articles on one core, and
/// nothing waits for it (a build that ends the process does not wait at
/// all). Dropped here if no thread can be started.
fn free_aside<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new().name("free".into()).spawn(move || drop(value));
}

/// What `milaf snapshot` is asked for.
pub struct SnapshotOptions<'a> {
    pub format: snapshot::Format,
    /// A bag's folder, a bag's `.tar`, or the `.wacz` file; it must not exist.
    pub out: &'a Path,
    /// A git revision to build instead of the work tree.
    pub at: Option<&'a str>,
}

/// Builds the dossier at `root` (or at revision `at` of its repository,
/// from the repository's objects) and packages the site with its sources.
/// The inputs are copied into a private folder first and built from
/// there, so the package holds exactly the files its site was built from.
/// Content errors write nothing and are returned in the outcome.
pub fn snapshot(root: &Path, options: &SnapshotOptions) -> anyhow::Result<Outcome> {
    let epoch = source_date_epoch()?;
    if options.out.exists() {
        anyhow::bail!(
            "{} already exists; a snapshot never replaces one (choose another --out, or remove it)",
            options.out.display()
        );
    }
    // The package is made beside `out`: inside the folders it copies, it
    // would copy itself.
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let out_abs = absolute(options.out);
    if ["content", "themes"].iter().any(|f| out_abs.starts_with(absolute(&root.join(f)))) {
        anyhow::bail!(
            "{} is inside the dossier's content/ or themes/; write the snapshot elsewhere (--out)",
            options.out.display()
        );
    }
    let scratch = write::Scratch::new(options.out)?;
    let src = scratch.dir.join("src");
    match options.at {
        Some(rev) => {
            provenance::extract(root, rev, &src)?;
        }
        None => write::copy_inputs(root, &src)?,
    }
    let provenance = provenance::read(root, options.at, epoch);
    let site_dir = scratch.dir.join("site");
    let (outcome, config) = build_with(&src, &site_dir, provenance.clone())?;
    let Some(config) = config else { return Ok(outcome) };
    let meta = snapshot::Meta {
        tool: format!("milaf {}", env!("CARGO_PKG_VERSION")),
        title: config.title.clone(),
        organization: config.organization.clone(),
        base_url: config.base_url.clone(),
        commit: provenance.commit.clone(),
        time: provenance.time,
    };
    let site: Vec<(String, Vec<u8>)> =
        load::read_tree(&site_dir)?.into_iter().filter(|(p, _)| p != write::MARKER).collect();
    let files = match options.format {
        snapshot::Format::Wacz => vec![(String::new(), snapshot::wacz::package(&meta, &site)?)],
        snapshot::Format::Bagit => {
            let mut payload: Vec<(String, Vec<u8>)> =
                site.into_iter().map(|(p, b)| (format!("data/site/{p}"), b)).collect();
            for folder in ["content", "themes"] {
                if src.join(folder).is_dir() {
                    payload.extend(
                        load::read_tree(&src.join(folder))?.into_iter().map(|(p, b)| (format!("data/{folder}/{p}"), b)),
                    );
                }
            }
            payload.sort_by(|a, b| a.0.cmp(&b.0));
            let mut files = snapshot::bagit::tag_files(&meta, &payload);
            files.extend(payload);
            if options.out.extension().is_some_and(|e| e == "tar") {
                let top = options.out.file_stem().map_or("bag".into(), |s| s.to_string_lossy().into_owned());
                vec![(String::new(), snapshot::tar::write(&top, &files, meta.time.unwrap_or(0))?)]
            } else {
                files
            }
        }
    };
    write::package(options.out, &scratch, &files)?;
    Ok(outcome)
}

/// Re-checks a snapshot package (a bag's folder or `.tar`, or a WACZ):
/// `Err` with the first file that differs, `Ok` with what was checked.
pub fn verify_snapshot(path: &Path) -> anyhow::Result<Result<snapshot::Verified, snapshot::Difference>> {
    Ok(snapshot::verify(load::read_package(path)?))
}
