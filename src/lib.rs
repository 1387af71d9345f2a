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
pub mod import;
pub mod index;
pub mod load;
pub mod markdown;
pub mod mentions;
pub mod model;
pub mod new;
pub mod parse;
pub mod render;
pub mod resolve;
pub mod rich;
pub mod rng;
pub mod serve;
pub mod terms;
pub mod workspace;
pub mod write;
pub mod yaml;

use diag::Diagnostic;
use std::path::Path;

/// Runs parse, resolve and index over loaded sources.
pub fn compile(sources: &mut load::Sources) -> (Option<model::Dossier>, Vec<Diagnostic>) {
    let t = Timer::start();
    let (parsed, diags) = parse::parse(sources);
    t.lap("parse");
    compile_parsed(sources, parsed, diags, None)
}

/// Runs resolve and index over parsed records (`cache`: what a workspace
/// kept of the previous build).
///
/// Placeholders that `milaf new` left unfilled are errors, and what the
/// stages say about those same values is dropped (an unfilled date is not
/// also a bad date).
pub fn compile_parsed(
    sources: &load::Sources,
    mut parsed: parse::Parsed,
    mut diags: Vec<Diagnostic>,
    cache: Option<&mut resolve::PassCache>,
) -> (Option<model::Dossier>, Vec<Diagnostic>) {
    let t = Timer::start();
    let unfilled = std::mem::take(&mut parsed.unfilled);
    let (resolved, more) = resolve::resolve_with(sources, parsed, cache);
    t.lap("resolve");
    diags.extend(more);
    new::drop_covered(&mut diags, &unfilled);
    diags.extend(unfilled);
    diag::sort(&mut diags);
    let dossier = resolved.map(index::index);
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
            eprintln!(
                "timing: {stage:<8} {:>8.3} s{}{}",
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
    let t = Timer::start();
    let (mut sources, mut diags) = load::load(root)?;
    t.lap("load");
    let (dossier, more) = compile(&mut sources);
    diags.extend(more);
    diag::sort(&mut diags);
    let dossier = if diags.iter().any(Diagnostic::is_error) { None } else { dossier };
    Ok((dossier, diags, sources))
}

/// Builds the site at `root` into `out`. Content errors leave `out`
/// untouched and are returned in the outcome.
pub fn build(root: &Path, out: &Path) -> anyhow::Result<Outcome> {
    write::check_replaceable(out)?;
    let (dossier, diagnostics, sources) = check(root)?;
    let Some(dossier) = dossier else {
        return Ok(Outcome { diagnostics, files: None });
    };
    // The source texts were only needed to point diagnostics at lines;
    // free them before rendering, which is when memory peaks.
    let templates = render::Templates::new(sources.theme(&dossier.config.theme))?;
    drop(sources);
    let t = Timer::start();
    let staging = write::Staging::new(out)?;
    let count = render::render_to(&dossier, &templates, &staging)?;
    t.lap("render");
    staging.commit()?;
    t.lap("swap");
    Ok(Outcome { diagnostics, files: Some(count) })
}
