//! The `milaf` command: parses arguments, calls the library, prints the
//! diagnostics and maps the outcome to an exit code (0 success, 1 content
//! errors, 2 usage or I/O failure). All logic lives in the library; this
//! file only reads and writes the files of `import` and `new`.

use clap::{Parser, Subcommand, ValueEnum};

// A build allocates millions of small strings from several threads at
// once; mimalloc does that markedly faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "milaf", version, about = "Build annotated right-to-left news dossiers into static sites")]
struct Cli {
    /// The dossier's root: the folder that holds content/.
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site (atomically: a failed build leaves the previous output untouched).
    Build {
        /// Output folder, relative to the root unless absolute.
        #[arg(long, default_value = "public")]
        out: PathBuf,
        /// How to print problems.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Validate everything and report all problems.
    Check {
        /// How to print problems.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// List what the articles may be missing: unlinked names and why, other spellings of names,
    /// names that are no entity yet, names that may be adjectives, dates no event covers.
    ///
    /// Each suggestion gives the article's file:line:col and a reason. Nothing is changed.
    Suggest {
        /// Article ids (or paths of article files); all articles when none is given.
        articles: Vec<String>,
        /// How to print the suggestions.
        #[arg(long, value_enum, default_value_t = SuggestFormat::Human)]
        format: SuggestFormat,
    },
    /// Import captured articles: keep each original byte for byte and draft its article.
    Import {
        /// Captured text files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The article id (only with a single file); defaults to one made from the file name.
        #[arg(long)]
        id: Option<String>,
        /// An editorial title, for captures without a title line.
        #[arg(long)]
        title: Option<String>,
        /// Replace an existing article and original with the same id.
        #[arg(long)]
        force: bool,
    },
    /// Start a content file, or add an item to a list file, with every field explained.
    ///
    /// Each value not given is a `{{fill: …}}` placeholder; `check` fails until all are filled.
    /// An existing file or id is never overwritten.
    New {
        #[command(subcommand)]
        what: NewCommand,
    },
    /// Preview the site: build it in memory, serve it, rebuild on every change and reload open pages.
    Serve {
        /// The port to listen on; 0 for any free port. Without it, 8040, or any free port if 8040 is taken.
        #[arg(long)]
        port: Option<u16>,
        /// The address to listen on. The preview is for this machine only unless another is given
        /// (e.g. 0.0.0.0 for every interface).
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the preview in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Package the built site for archives: a BagIt bag of the site and its sources, or a WACZ web archive.
    ///
    /// Times come from SOURCE_DATE_EPOCH, else from the last commit of content/; never from the clock.
    Snapshot {
        /// Where to write it (never replaced): a folder, or a file ending in .tar, for a bag; a .wacz file.
        /// Defaults to snapshot/ or snapshot.wacz in the root.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The kind of package.
        #[arg(long, value_enum, default_value_t = SnapshotFormat::Bagit)]
        format: SnapshotFormat,
        /// Build the dossier as it was at this git revision (a commit, tag or branch), from the
        /// repository's objects; the work tree is not read.
        #[arg(long, value_name = "REV")]
        at: Option<String>,
        /// Re-check a bag (folder or .tar) or a WACZ and name the first file that differs.
        #[arg(long, value_name = "PATH", conflicts_with_all = ["out", "at"])]
        verify: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum SnapshotFormat {
    /// A BagIt bag (RFC 8493): data/site/ and data/content/.
    Bagit,
    /// A WACZ 1.1.1 web archive of the site at its base_url.
    Wacz,
}

#[derive(Clone, Copy, ValueEnum)]
enum SuggestFormat {
    /// Grouped by kind, one suggestion per line with its reason
    Human,
    /// A JSON array on stdout
    Json,
}

#[derive(Subcommand)]
enum NewCommand {
    /// A source article: writes content/articles/<ID>.md.
    Article {
        id: String,
        /// The headline as published.
        #[arg(long)]
        title: Option<String>,
        /// The outlet that published it.
        #[arg(long)]
        outlet: Option<String>,
        /// The address where it was published.
        #[arg(long)]
        url: Option<String>,
        /// The date of publication: 2022-03-31, 2022-03, 2022, 2022-04~ …
        #[arg(long)]
        published: Option<String>,
    },
    /// An entity: writes content/entities/<ID>.yaml.
    Entity {
        id: String,
        /// One of the entity kinds listed in content/dossier.yaml.
        #[arg(long)]
        kind: String,
        /// The name as the dossier writes it.
        #[arg(long)]
        name: Option<String>,
    },
    /// An event: adds it to a file of content/events/ (the only one there is, else events.yaml).
    Event {
        id: String,
        /// The event file, such as events/deliveries.yaml.
        #[arg(long)]
        file: Option<String>,
        /// When it happened: 2022-03-31, 2022-03, 2022, 2021-12~ …
        #[arg(long)]
        date: Option<String>,
        /// What happened, in one line.
        #[arg(long)]
        title: Option<String>,
        /// The id of the article that reports it.
        #[arg(long)]
        article: Option<String>,
        /// The article's exact words that report it.
        #[arg(long)]
        quote: Option<String>,
    },
    /// A note on an article: adds it to content/annotations/<ARTICLE>.yaml.
    Note {
        /// The id of the article the note is about.
        article: String,
        id: String,
        /// The kind of note (`quote` when --speaker is given, else `note`).
        #[arg(long, value_enum)]
        kind: Option<NoteKindArg>,
        /// Who said it (an entity id), for a quote.
        #[arg(long)]
        speaker: Option<String>,
        /// The exact words of the passage the note is about.
        #[arg(long)]
        quote: Option<String>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum NoteKindArg {
    /// An editorial footnote.
    Note,
    /// A statement attributed to a speaker.
    Quote,
    /// Background to the passage.
    Context,
    /// A correction of the passage.
    Correction,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Like rustc, on stderr.
    Human,
    /// A JSON array on stdout.
    Json,
    /// GitHub Actions workflow commands on stdout, shown as annotations.
    Github,
}

/// mimalloc's `mi_option_purge_delay` (`mimalloc.h`; the sys crate names
/// no constant for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    // A build allocates and frees the same amount of memory over and over
    // (one page after another); handing freed memory back to the kernel
    // only to fault it in zeroed again a moment later cost about 6 % of a
    // 100k-article build (mimalloc's default delay, 10 ms). Never handing
    // it back kept what the stages before rendering let go (the raw
    // records) and could not reuse: 190 MiB more at the peak of a
    // 100k-article build. Memory left unused for a second goes back.
    // SAFETY: sets a plain integer option; valid at any time.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 1000) };
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let root = cli.root;
    match cli.command {
        Command::Build { out, format } => {
            let out = if out.is_absolute() { out } else { root.join(out) };
            let outcome = milaf::build(&root, &out)?;
            print_diagnostics(&root, format, &outcome.diagnostics);
            if outcome.has_errors() {
                eprintln!("build failed: {} left untouched", out.display());
                return Ok(ExitCode::from(1));
            }
            if let Some(n) = outcome.files {
                eprintln!("built {n} files into {}", out.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { format } => {
            let (_, diags, _) = milaf::check(&root)?;
            print_diagnostics(&root, format, &diags);
            if diags.is_empty() && matches!(format, Format::Human) {
                eprintln!("no problems found");
            }
            Ok(if diags.iter().any(|d| d.is_error()) { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        Command::Suggest { articles, format } => {
            let (dossier, diags, _) = milaf::check(&root)?;
            let Some(dossier) = dossier else {
                print_diagnostics(&root, Format::Human, &diags);
                eprintln!("suggest needs a dossier without errors: fix them first");
                return Ok(ExitCode::from(1));
            };
            // An article may be named by its id or its file's path.
            let ids: Vec<String> = articles
                .iter()
                .map(|a| Path::new(a).file_stem().map_or(a.clone(), |s| s.to_string_lossy().into_owned()))
                .collect();
            if let Some(unknown) = ids.iter().find(|id| !dossier.articles.iter().any(|a| &a.id == *id)) {
                anyhow::bail!("no article `{unknown}` in {}", root.join("content/articles").display());
            }
            // The articles' text, which a build drops once parsed.
            let (sources, _) = milaf::load::load(&root)?;
            let found = milaf::suggest::suggest(&dossier, &sources, &ids);
            match format {
                SuggestFormat::Human => print!("{}", milaf::suggest::render_human(&found)),
                SuggestFormat::Json => println!("{}", serde_json::to_string_pretty(&found)?),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve { port, bind, open } => {
            milaf::serve::run(milaf::serve::Options { root, port, bind, open })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Import { files, id, title, force } => {
            if files.len() > 1 && (id.is_some() || title.is_some()) {
                anyhow::bail!("--id and --title apply to a single file; import several files one by one to set them");
            }
            let mut failed = false;
            for file in &files {
                failed |= !import_one(&root, file, id.as_deref(), title.as_deref(), force)?;
            }
            Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        Command::New { what } => new(&root, what),
        Command::Snapshot { out, format, at, verify } => snapshot(&root, out, format, at, verify),
    }
}

/// `milaf snapshot`: makes a package, or checks one.
fn snapshot(
    root: &Path,
    out: Option<PathBuf>,
    format: SnapshotFormat,
    at: Option<String>,
    verify: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    if let Some(path) = verify {
        return Ok(match milaf::verify_snapshot(&path)? {
            Ok(v) => {
                let what = match v.format {
                    milaf::snapshot::Format::Bagit => "bag: every payload file matches its manifest",
                    milaf::snapshot::Format::Wacz => "WACZ: every WARC record and resource matches its digest",
                };
                eprintln!("{}: valid {what} ({} checked)", path.display(), v.items);
                ExitCode::SUCCESS
            }
            Err(d) => {
                eprintln!("error: {} {}", d.file, d.what);
                eprintln!("  --> {}", path.display());
                eprintln!("help: the package changed after it was made; compare {} with another copy", d.file);
                ExitCode::from(1)
            }
        });
    }
    let format = match format {
        SnapshotFormat::Bagit => milaf::snapshot::Format::Bagit,
        SnapshotFormat::Wacz => milaf::snapshot::Format::Wacz,
    };
    let out = out.unwrap_or_else(|| match format {
        milaf::snapshot::Format::Bagit => PathBuf::from("snapshot"),
        milaf::snapshot::Format::Wacz => PathBuf::from("snapshot.wacz"),
    });
    let out = if out.is_absolute() { out } else { root.join(out) };
    let options = milaf::SnapshotOptions { format, out: &out, at: at.as_deref() };
    let outcome = milaf::snapshot(root, &options)?;
    print_diagnostics(root, Format::Human, &outcome.diagnostics);
    if outcome.has_errors() {
        eprintln!("snapshot failed: nothing written");
        return Ok(ExitCode::from(1));
    }
    eprintln!("wrote {}", out.display());
    Ok(ExitCode::SUCCESS)
}

/// `milaf new`: checks what it was given, has `milaf::new` write the text,
/// and writes it: a new file never replaces one, an item is appended to
/// its list file without touching the bytes already there.
fn new(root: &Path, what: NewCommand) -> anyhow::Result<ExitCode> {
    use milaf::new as skeleton;
    let usage = anyhow::Error::msg;
    match what {
        NewCommand::Article { id, title, outlet, url, published } => {
            skeleton::check_id("article", &id).map_err(usage)?;
            if let Some(url) = &url {
                skeleton::check_url(url).map_err(usage)?;
            }
            if let Some(date) = &published {
                skeleton::check_date(date).map_err(usage)?;
            }
            let fields = skeleton::ArticleFields {
                title: title.as_deref(),
                outlet: outlet.as_deref(),
                url: url.as_deref(),
                published: published.as_deref(),
            };
            create(root, &format!("content/articles/{id}.md"), &skeleton::article(&id, &fields))?;
        }
        NewCommand::Entity { id, kind, name } => {
            skeleton::check_id("entity", &id).map_err(usage)?;
            let kinds = match dossier_kinds(root)? {
                Ok(kinds) => kinds,
                Err(diags) => {
                    eprint!("{}", milaf::diag::render_human(&diags));
                    return Ok(ExitCode::from(1));
                }
            };
            skeleton::check_kind(&kind, &kinds).map_err(usage)?;
            create(root, &format!("content/entities/{id}.yaml"), &skeleton::entity(&kind, &kinds, name.as_deref()))?;
        }
        NewCommand::Event { id, file, date, title, article, quote } => {
            skeleton::check_id("event", &id).map_err(usage)?;
            if let Some(date) = &date {
                skeleton::check_date(date).map_err(usage)?;
            }
            if let Some(article) = &article {
                existing_article(root, article)?;
            }
            let files = yaml_files(&root.join("content/events"))?;
            let name = skeleton::events_file(file.as_deref(), &files).map_err(usage)?;
            for other in &files {
                let path = format!("content/events/{other}");
                if let Some(line) = skeleton::find_id(&read_text(root, &path)?, &id) {
                    anyhow::bail!("event id `{id}` is already used in {path}:{line}; choose another id");
                }
            }
            if file.is_none() && files.len() > 1 {
                eprintln!("content/events/ holds {} files; pass --file events/<name>.yaml to choose one", files.len());
            }
            let fields = skeleton::EventFields {
                date: date.as_deref(),
                title: title.as_deref(),
                article: article.as_deref(),
                quote: quote.as_deref(),
            };
            add(root, &format!("content/events/{name}"), &format!("event `{id}`"), &skeleton::event(&id, &fields))?;
        }
        NewCommand::Note { article, id, kind, speaker, quote } => {
            existing_article(root, &article)?;
            skeleton::check_id("note", &id).map_err(usage)?;
            let kind = match (kind, &speaker) {
                (Some(NoteKindArg::Quote), _) | (None, Some(_)) => milaf::model::NoteKind::Quote,
                (Some(_), Some(_)) => anyhow::bail!("--speaker is for quotes: drop it, or pass --kind quote"),
                (None | Some(NoteKindArg::Note), None) => milaf::model::NoteKind::Note,
                (Some(NoteKindArg::Context), None) => milaf::model::NoteKind::Context,
                (Some(NoteKindArg::Correction), None) => milaf::model::NoteKind::Correction,
            };
            if let Some(speaker) = &speaker {
                skeleton::check_id("entity", speaker).map_err(usage)?;
                if !root.join(format!("content/entities/{speaker}.yaml")).is_file() {
                    anyhow::bail!("no entity `{speaker}`: content/entities/{speaker}.yaml does not exist");
                }
            }
            let path = format!("content/annotations/{article}.yaml");
            let existing = read_text(root, &path)?;
            if let Some(line) = skeleton::find_id(&existing, &id) {
                anyhow::bail!("note id `{id}` is already used in {path}:{line}; choose another id");
            }
            let fields = skeleton::NoteFields { kind, speaker: speaker.as_deref(), quote: quote.as_deref() };
            add(root, &path, &format!("note `{id}`"), &skeleton::note(&id, &fields))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes a new file; an existing one is never replaced.
fn create(root: &Path, path: &str, text: &str) -> anyhow::Result<()> {
    use anyhow::Context;
    use std::io::Write;
    let full = root.join(path);
    if let Some(dir) = full.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create the folder of {path}"))?;
    }
    let mut file = match std::fs::OpenOptions::new().write(true).create_new(true).open(&full) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            anyhow::bail!("{path} already exists; choose another id, or edit the file")
        }
        Err(e) => return Err(e).with_context(|| format!("cannot create {path}")),
    };
    file.write_all(text.as_bytes()).with_context(|| format!("cannot write {path}"))?;
    eprintln!("created {path}");
    print_blanks(path, text, 0);
    Ok(())
}

/// Appends `item` to the list file at `path`, creating it if need be.
fn add(root: &Path, path: &str, what: &str, item: &str) -> anyhow::Result<()> {
    use anyhow::Context;
    use std::io::Write;
    let full = root.join(path);
    let existing = read_text(root, path)?;
    let appended = milaf::new::append(&existing, item).map_err(|e| anyhow::anyhow!("cannot add to {path}: {e}"))?;
    if let Some(dir) = full.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create the folder of {path}"))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(&full)
        .with_context(|| format!("cannot open {path}"))?;
    file.write_all(appended.as_bytes()).with_context(|| format!("cannot write {path}"))?;
    eprintln!("added {what} to {path}");
    print_blanks(path, &(existing.clone() + &appended), existing.len());
    Ok(())
}

/// Lists the placeholders written from byte `from` on, as `file:line`.
fn print_blanks(path: &str, text: &str, from: usize) {
    let blanks = milaf::new::blank_lines(text, from);
    if blanks.is_empty() {
        return;
    }
    eprintln!("fill in, then run `milaf check`:");
    for (line, what) in blanks {
        eprintln!("  {path}:{line}  {what}");
    }
}

/// The text of a content file, or "" when there is none yet.
fn read_text(root: &Path, path: &str) -> anyhow::Result<String> {
    match std::fs::read(root.join(path)) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("{path} is not UTF-8 text; fix it first")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(e) => Err(anyhow::Error::new(e).context(format!("cannot read {path}"))),
    }
}

/// The names of the `.yaml` files in a folder, sorted; none if it does not exist.
fn yaml_files(dir: &Path) -> anyhow::Result<Vec<String>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(anyhow::Error::new(e).context(format!("cannot read {}", dir.display()))),
    };
    let mut names = Vec::new();
    for entry in entries {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name.ends_with(".yaml") && !name.starts_with('.') {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// Refuses an article id that names no article file, suggesting the nearest.
fn existing_article(root: &Path, id: &str) -> anyhow::Result<()> {
    milaf::new::check_id("article", id).map_err(anyhow::Error::msg)?;
    if root.join(format!("content/articles/{id}.md")).is_file() {
        return Ok(());
    }
    let known: Vec<String> = match std::fs::read_dir(root.join("content/articles")) {
        Ok(entries) => {
            entries.filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".md").map(str::to_string)).collect()
        }
        Err(_) => Vec::new(),
    };
    anyhow::bail!(
        "no article `{id}`: content/articles/{id}.md does not exist; {}",
        milaf::diag::did_you_mean(id, known.iter().map(String::as_str))
    )
}

/// The entity kinds of content/dossier.yaml, read with the library's own
/// parser of that file; its diagnostics when it cannot be read or lists
/// no kinds.
fn dossier_kinds(root: &Path) -> anyhow::Result<Result<Vec<String>, Vec<milaf::diag::Diagnostic>>> {
    use anyhow::Context;
    let path = "content/dossier.yaml";
    let bytes = std::fs::read(root.join(path)).with_context(|| format!("cannot read {path}"))?;
    let text = milaf::load::decode(&bytes).map_err(|_| anyhow::anyhow!("{path} is not UTF-8 text"))?;
    let file = milaf::load::SourceFile::text(milaf::load::Kind::Config, path, &text);
    let (config, diags) = milaf::config::parse(&file);
    match config {
        Some(config) if !config.kinds.is_empty() => Ok(Ok(config.kinds.into_iter().map(|k| k.id).collect())),
        _ => Ok(Err(diags)),
    }
}

fn print_diagnostics(root: &Path, format: Format, diags: &[milaf::diag::Diagnostic]) {
    match format {
        Format::Human => eprint!("{}", milaf::diag::render_human(diags)),
        Format::Json => println!("{}", milaf::diag::render_json(diags)),
        Format::Github => print!("{}", milaf::diag::render_github(&from_current_dir(root, diags))),
    }
}

/// GitHub resolves an annotation's file from the workspace, where the
/// workflow runs milaf, not from the dossier's root: paths get the root as
/// given (relative to the current folder) in front.
fn from_current_dir(root: &Path, diags: &[milaf::diag::Diagnostic]) -> Vec<milaf::diag::Diagnostic> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let prefix = root.strip_prefix(&cwd).unwrap_or(root);
    let prefix: PathBuf = prefix.components().filter(|c| !matches!(c, std::path::Component::CurDir)).collect();
    let mut diags = diags.to_vec();
    if !prefix.as_os_str().is_empty() {
        for loc in diags.iter_mut().filter_map(|d| d.location.as_mut()) {
            loc.file = format!("{}/{}", prefix.to_string_lossy().replace('\\', "/"), loc.file);
        }
    }
    diags
}

fn import_one(root: &Path, file: &Path, id: Option<&str>, title: Option<&str>, force: bool) -> anyhow::Result<bool> {
    use anyhow::Context;
    let raw = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let id = match id {
        Some(id) => id.to_string(),
        None => milaf::import::id_from_name(&file.file_stem().unwrap_or_default().to_string_lossy()),
    };
    if !milaf::model::is_valid_id(&id) {
        anyhow::bail!("`{id}` is not a valid article id: {}", milaf::model::ID_HELP);
    }
    let article = root.join("content/articles").join(format!("{id}.md"));
    let original = root.join("content/originals").join(format!("{id}.txt"));
    if !force && (article.exists() || original.exists()) {
        anyhow::bail!("article `{id}` already exists; pass --force to replace it, or --id to choose another id");
    }
    let draft = match milaf::import::draft(&raw, &id, title) {
        Ok(d) => d,
        Err(d) => {
            eprint!("{}", milaf::diag::render_human(&[d.in_file(&file.display().to_string())]));
            return Ok(false);
        }
    };
    for dir in ["content/articles", "content/originals"] {
        std::fs::create_dir_all(root.join(dir)).with_context(|| format!("cannot create {dir}"))?;
    }
    std::fs::write(&original, &raw).with_context(|| format!("cannot write {}", original.display()))?;
    std::fs::write(&article, draft.article).with_context(|| format!("cannot write {}", article.display()))?;
    eprintln!("imported {} as `{id}` (SHA-256 {})", file.display(), draft.sha256);
    if !draft.dropped.is_empty() {
        eprintln!("  left out of the body (the original keeps them):");
    }
    for d in &draft.dropped {
        eprintln!("    {}  ({})", d.line, d.why);
    }
    eprintln!("  fill in the front matter of {}:", article.display());
    for (field, what) in &draft.to_fill {
        eprintln!("    {field}: {what}");
    }
    Ok(true)
}
