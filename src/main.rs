//! The `milaf` command: parses arguments, calls the library, prints the
//! diagnostics and maps the outcome to an exit code (0 success, 1 content
//! errors, 2 usage or I/O failure). All logic lives in the library.

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
    },
    /// Validate everything and report all problems.
    Check {
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
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
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

/// mimalloc's `mi_option_purge_delay` (`mimalloc.h`; the sys crate names
/// no constant for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    // A build allocates and frees the same amount of memory over and over
    // (one page after another); handing freed memory back to the kernel
    // only to fault it in zeroed again a moment later cost about 6 % of a
    // 100k-article build. The process is short-lived: keep what it has.
    // SAFETY: sets a plain integer option; valid at any time.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
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
        Command::Build { out } => {
            let out = if out.is_absolute() { out } else { root.join(out) };
            let outcome = milaf::build(&root, &out)?;
            eprint!("{}", milaf::diag::render_human(&outcome.diagnostics));
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
            match format {
                Format::Human => {
                    eprint!("{}", milaf::diag::render_human(&diags));
                    if diags.is_empty() {
                        eprintln!("no problems found");
                    }
                }
                Format::Json => println!("{}", milaf::diag::render_json(&diags)),
            }
            Ok(if diags.iter().any(|d| d.is_error()) { ExitCode::from(1) } else { ExitCode::SUCCESS })
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
    }
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
    for line in &draft.dropped {
        eprintln!("  dropped from the body (kept in the original): {line}");
    }
    Ok(true)
}
