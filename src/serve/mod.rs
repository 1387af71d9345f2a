//! `milaf serve`: the editor's live preview. The site is built in memory
//! (`preview::Preview`), served over HTTP from that memory (`http`), rebuilt
//! whenever `content/` or `themes/` changes (`watch`), and every open page
//! is told about each build (`live`): it reloads after a successful one,
//! and shows the diagnostics over the last good page after a failed one.
//!
//! Nothing is written to disk, so stopping the server (Ctrl-C) leaves
//! nothing behind, and nothing on disk is read to answer a request. It
//! listens on 127.0.0.1 unless told otherwise with `--bind`.
//!
//! Threads: the main thread and a few more answer requests; one thread
//! waits for changes and rebuilds; each page listening to build events has
//! one of its own.

mod http;
mod live;
pub mod preview;
mod watch;

use crate::diag::{render_human, Diagnostic};
use anyhow::Context;
use preview::{Preview, RebuildOutcome};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

/// The port `milaf serve` tries when none is given; when it is taken, any
/// free port is used instead.
pub const DEFAULT_PORT: u16 = 8040;
/// Threads answering requests (besides the event streams).
const HTTP_THREADS: usize = 4;

/// How to serve, from the command line.
pub struct Options {
    /// The dossier's root, the folder that holds `content/`.
    pub root: PathBuf,
    /// `None`: `DEFAULT_PORT`, or any free port if it is taken. `Some(0)`:
    /// any free port. `Some(n)`: that port or an error.
    pub port: Option<u16>,
    /// The address to listen on (the command line's default is 127.0.0.1).
    pub bind: IpAddr,
    /// Open the preview in a browser once it is ready.
    pub open: bool,
}

/// Serves the dossier until the process is stopped. Returns only on a
/// failure to start (no `content/`, the port is taken, the watcher cannot
/// start).
pub fn run(options: Options) -> anyhow::Result<()> {
    let root = std::fs::canonicalize(&options.root)
        .with_context(|| format!("cannot open the dossier root {}", options.root.display()))?;
    if !root.join("content").is_dir() {
        anyhow::bail!("no content/ folder in {}: run milaf from the dossier's root or pass --root DIR", root.display());
    }
    // Listening and watching first: a mistake here is reported before the
    // first build, and no change made during that build is missed.
    let ip = options.bind;
    let listener = listen(ip, options.port)?;
    let address = listener.local_addr().context("cannot read the address the preview listens on")?;
    let mut watch = watch::Watch::start(&root)?;

    let server = format!(
        "{:x}-{:x}",
        std::process::id(),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos())
    );
    let live = Arc::new(live::Live::new(server));
    let mut preview = Preview::new(&root);
    eprintln!("building {}", root.join("content").display());
    rebuild(&mut preview, &live, 1, &[]);

    let url = match address.ip() {
        ip if ip.is_unspecified() => format!("http://{}/", SocketAddr::new(Ipv4Addr::LOCALHOST.into(), address.port())),
        _ => format!("http://{address}/"),
    };
    eprintln!("serving {url}");
    if !ip.is_loopback() {
        eprintln!(
            "warning: listening on {ip}: anyone who can reach this machine on port {} can read the preview, drafts included",
            address.port()
        );
    }
    eprintln!("watching content/ and themes/ for changes; Ctrl-C stops");

    let rebuild_live = live.clone();
    std::thread::Builder::new()
        .name("milaf-rebuild".into())
        .spawn(move || {
            let mut build = 1;
            while let Some(changed) = watch.next_changes() {
                build += 1;
                eprintln!("\n{}", describe_changes(&changed));
                rebuild(&mut preview, &rebuild_live, build, &changed);
            }
            eprintln!("warning: stopped watching for changes; restart milaf serve to see further edits");
        })
        .context("cannot start the rebuild thread")?;

    if options.open {
        open_browser(&url);
    }

    let server = tiny_http::Server::from_listener(listener, None)
        .map_err(|e| anyhow::anyhow!("cannot serve on {address}: {e}"))?;
    let server = Arc::new(server);
    let config = Arc::new(http::Config { loopback_only: ip.is_loopback() });
    for i in 1..HTTP_THREADS {
        let (server, live, config) = (server.clone(), live.clone(), config.clone());
        std::thread::Builder::new()
            .name(format!("milaf-http-{i}"))
            .spawn(move || answer(&server, &live, &config))
            .context("cannot start the HTTP threads")?;
    }
    answer(&server, &live, &config);
    Ok(())
}

/// Answers requests until the server stops.
fn answer(server: &tiny_http::Server, live: &Arc<live::Live>, config: &http::Config) {
    for request in server.incoming_requests() {
        http::handle(request, live, config);
    }
}

/// Binds the listening socket: the given port, or for none the default one
/// and any free port if that is taken.
fn listen(ip: IpAddr, port: Option<u16>) -> anyhow::Result<TcpListener> {
    let bind = |port: u16| TcpListener::bind(SocketAddr::new(ip, port));
    match port {
        Some(port) => bind(port).with_context(|| {
            if port == 0 {
                format!("cannot listen on {ip}")
            } else {
                format!(
                    "cannot listen on {}: choose another --port, or --port 0 for any free port",
                    SocketAddr::new(ip, port)
                )
            }
        }),
        None => match bind(DEFAULT_PORT) {
            Ok(listener) => Ok(listener),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                eprintln!("port {DEFAULT_PORT} is in use; serving on a free port instead");
                bind(0).with_context(|| format!("cannot listen on {ip}"))
            }
            Err(e) => Err(e).with_context(|| format!("cannot listen on {}", SocketAddr::new(ip, DEFAULT_PORT))),
        },
    }
}

/// Rebuilds, prints the outcome in the terminal and publishes it to the
/// pages. A panic in the pipeline is a failed build, not a dead preview.
fn rebuild(preview: &mut Preview, live: &live::Live, build: u64, changed: &[PathBuf]) {
    let started = Instant::now();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| preview.rebuild(changed)))
        .unwrap_or_else(|panic| crashed(panic.as_ref()));
    let seconds = started.elapsed().as_secs_f64();
    match outcome {
        RebuildOutcome::Built { site, warnings } => {
            eprint!("{}", render_human(&warnings));
            let changed_pages = live.publish_built(build, site, &warnings);
            eprintln!("build {build} in {seconds:.2} s: {changed_pages} of the pages served so far changed");
        }
        RebuildOutcome::Failed { diagnostics } => {
            eprint!("{}", render_human(&diagnostics));
            live.publish_failed(build, &diagnostics);
            let serving = if live.snapshot().site.is_some() {
                "the last good build is still served, with the errors shown over its pages"
            } else {
                "nothing to serve until the errors are fixed"
            };
            eprintln!("build {build} failed in {seconds:.2} s: {serving}");
        }
    }
}

/// A panic during a rebuild, as the failed build it is.
fn crashed(panic: &(dyn std::any::Any + Send)) -> RebuildOutcome {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    let error = Diagnostic::error(format!("milaf crashed while building the preview: {what}"))
        .help("this is a bug in milaf; `milaf check` may say more, and the preview rebuilds on the next change");
    RebuildOutcome::Failed { diagnostics: vec![error] }
}

fn describe_changes(changed: &[PathBuf]) -> String {
    let first = changed.first().map(|p| p.display().to_string()).unwrap_or_default();
    match changed.len() {
        0 | 1 => format!("changed: {first}"),
        n => format!("changed: {first} and {} more", n - 1),
    }
}

/// Opens `url` in the default browser, if the system says how; never fails.
fn open_browser(url: &str) {
    let (program, args): (&str, &[&str]) = if cfg!(target_os = "macos") {
        ("open", &[])
    } else if cfg!(windows) {
        ("cmd", &["/C", "start", ""])
    } else {
        ("xdg-open", &[])
    };
    let spawned = std::process::Command::new(program)
        .args(args)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match spawned {
        // Reaped on a thread of its own, so it leaves no zombie behind.
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(e) => eprintln!("cannot open a browser ({program}: {e}); open {url} yourself"),
    }
}
