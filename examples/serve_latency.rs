//! The preview's rebuild latency, as an editor feels it: the time from
//! writing a file to the page with the new text being served by
//! `milaf serve`. Driven by `bench/serve.sh`; see docs/PERFORMANCE.md.
//!
//! It starts `milaf serve --port 0` on a dossier (which it edits, so give
//! it a copy), listens to the build events, and for each kind of edit
//! writes the file `--edits` times (after one warm-up edit that is not
//! counted), each time with a new marker word, then measures (1) until the
//! build event of a successful build arrives and (2) until a GET of the
//! page returns the marker. It prints the median and the min–max of each
//! and restores every file it edited.
//!
//! Kinds of edit: `note` (a word added to the first note's body, in the
//! first annotation file; the article page is read), `article` (a word at
//! the end of the article's last paragraph; its page), `alias` (a new alias
//! at the head of the first entity's `aliases: [...]`; the entity page,
//! which lists the aliases).
//!
//! ```sh
//! cargo run --release --example serve_latency -- --milaf target/release/milaf --root /tmp/copy --edits 10
//! ```

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const USAGE: &str = "usage: serve_latency --milaf BIN --root DIR [--edits N] [--kinds note,article,alias]";
/// Upper bound of one rebuild (a 100k dossier takes about a minute).
const TIMEOUT: Duration = Duration::from_secs(600);
/// Quiet time between edits, so that each one is a rebuild of its own.
const PAUSE: Duration = Duration::from_millis(300);

struct Args {
    milaf: PathBuf,
    root: PathBuf,
    edits: usize,
    kinds: Vec<String>,
}

fn args() -> Result<Args, String> {
    let mut args = Args { milaf: PathBuf::new(), root: PathBuf::new(), edits: 10, kinds: Vec::new() };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or(format!("{a} needs a value\n{USAGE}"));
        match a.as_str() {
            "--milaf" => args.milaf = value()?.into(),
            "--root" => args.root = value()?.into(),
            "--edits" => args.edits = value()?.parse().map_err(|e| format!("--edits: {e}"))?,
            "--kinds" => args.kinds = value()?.split(',').map(str::to_string).collect(),
            _ => return Err(USAGE.to_string()),
        }
    }
    if args.milaf.as_os_str().is_empty() || args.root.as_os_str().is_empty() || args.edits == 0 {
        return Err(USAGE.to_string());
    }
    if args.kinds.is_empty() {
        args.kinds = ["note", "article", "alias"].map(String::from).to_vec();
    }
    Ok(args)
}

/// One kind of edit: the file, its text, how to put a marker in it, and the
/// page that shows the marker.
struct Edit {
    file: PathBuf,
    original: String,
    page: String,
    with_marker: Box<dyn Fn(&str) -> String>,
}

/// The first file of `dir` (by name) for which `f` gives an edit.
fn first_file<T>(dir: &Path, f: impl Fn(&Path, &str) -> Option<T>) -> Result<T, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    files
        .iter()
        .find_map(|p| f(p, &std::fs::read_to_string(p).ok()?))
        .ok_or_else(|| format!("no file in {} to edit", dir.display()))
}

fn stem(path: &Path) -> String {
    path.file_stem().unwrap_or_default().to_string_lossy().into_owned()
}

fn edit(root: &Path, kind: &str) -> Result<Edit, String> {
    let content = root.join("content");
    match kind {
        // The first content line of the first `body:` (a block scalar, as
        // the sample and synthetic dossiers write them, or a plain one).
        "note" => first_file(&content.join("annotations"), |path, text| {
            let lines: Vec<&str> = text.lines().collect();
            let at = lines.iter().position(|l| l.trim_start().starts_with("body:"))?;
            let target = if lines[at].trim_end().ends_with(['|', '>']) { at + 1 } else { at };
            if target >= lines.len() || lines[target].trim_end().ends_with(['"', '\'']) {
                return None;
            }
            Some(marker_at_line_end(path, text, target, format!("articles/{}/index.html", stem(path))))
        }),
        // The article's last line of text: the end of its last paragraph.
        "article" => first_file(&content.join("articles"), |path, text| {
            let lines: Vec<&str> = text.lines().collect();
            let target = lines.iter().rposition(|l| !l.trim().is_empty() && !l.starts_with(['#', '-', '>']))?;
            Some(marker_at_line_end(path, text, target, format!("articles/{}/index.html", stem(path))))
        }),
        "alias" => first_file(&content.join("entities"), |path, text| {
            let target = text.lines().position(|l| l.starts_with("aliases: ["))?;
            let (text, page) = (text.to_string(), format!("entities/{}/index.html", stem(path)));
            Some(Edit {
                file: path.to_path_buf(),
                original: text.clone(),
                page,
                with_marker: Box::new(move |m| {
                    replace_line(&text, target, |l| l.replacen("aliases: [", &format!("aliases: [\"{m}\", "), 1))
                }),
            })
        }),
        other => Err(format!("unknown kind of edit `{other}`\n{USAGE}")),
    }
}

fn replace_line(text: &str, index: usize, f: impl Fn(&str) -> String) -> String {
    let mut out: Vec<String> = text.lines().map(str::to_string).collect();
    out[index] = f(&out[index]);
    let mut s = out.join("\n");
    if text.ends_with('\n') {
        s.push('\n');
    }
    s
}

/// A running `milaf serve`, killed when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(milaf: &Path, root: &Path) -> Result<Server, String> {
    let mut child = Command::new(milaf)
        .arg("--root")
        .arg(root)
        .args(["serve", "--port", "0"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", milaf.display()))?;
    let mut lines = BufReader::new(child.stderr.take().ok_or("no stderr")?).lines();
    let mut server = Server { child, port: 0 };
    for line in lines.by_ref() {
        let line = line.map_err(|e| e.to_string())?;
        if let Some(rest) = line.strip_prefix("serving http://127.0.0.1:") {
            server.port = rest.trim_end_matches('/').parse().map_err(|e| format!("{line}: {e}"))?;
            break;
        }
        if line.contains("error") {
            eprintln!("{line}");
        }
    }
    if server.port == 0 {
        return Err("milaf serve ended before serving".into());
    }
    // Keep reading stderr so the pipe never fills; the terminal lines are
    // echoed for whoever watches the benchmark.
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            if line.starts_with("build ") {
                eprintln!("    {line}");
            }
        }
    });
    Ok(server)
}

fn connect(port: u16) -> Result<TcpStream, String> {
    let s = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(TIMEOUT)).map_err(|e| e.to_string())?;
    Ok(s)
}

fn get(port: u16, path: &str) -> Result<String, String> {
    let mut s = connect(port)?;
    write!(s, "GET /{path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).map_err(|e| format!("GET /{path}: {e}"))?;
    let raw = String::from_utf8_lossy(&raw).into_owned();
    if !raw.starts_with("HTTP/1.1 200") {
        return Err(format!("GET /{path}: {}", raw.lines().next().unwrap_or("")));
    }
    Ok(raw)
}

/// The build events of the server.
struct Events(BufReader<TcpStream>);

impl Events {
    /// Listens as a browser tab showing `page` does (the server renders the
    /// open pages before it announces a build).
    fn open(port: u16, page: &str) -> Result<Events, String> {
        let mut s = connect(port)?;
        write!(s, "GET /__milaf/events?page=/{page} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").map_err(|e| e.to_string())?;
        Ok(Events(BufReader::new(s)))
    }

    /// The next build event's (build, ok).
    fn next(&mut self) -> Result<(u64, bool), String> {
        loop {
            let mut line = String::new();
            if self.0.read_line(&mut line).map_err(|e| format!("waiting for a build event: {e}"))? == 0 {
                return Err("the event stream ended".into());
            }
            if let Some(data) = line.strip_prefix("data: ") {
                let v: serde_json::Value = serde_json::from_str(data).map_err(|e| e.to_string())?;
                return Ok((v["build"].as_u64().unwrap_or(0), v["ok"].as_bool().unwrap_or(false)));
            }
        }
    }
}

/// An edit that writes the marker at the end of line `target` of a file;
/// `page` shows it.
fn marker_at_line_end(path: &Path, text: &str, target: usize, page: String) -> Edit {
    let text = text.to_string();
    Edit {
        file: path.to_path_buf(),
        original: text.clone(),
        page,
        with_marker: Box::new(move |m| replace_line(&text, target, |l| format!("{} {m}", l.trim_end()))),
    }
}

/// Median, min and max in seconds.
fn summary(mut xs: Vec<f64>) -> String {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    let median = if n % 2 == 1 { xs[n / 2] } else { (xs[n / 2 - 1] + xs[n / 2]) / 2.0 };
    format!("{median:.3} ({:.3}–{:.3})", xs[0], xs[n - 1])
}

fn run(args: &Args) -> Result<(), String> {
    let edits: Vec<(String, Edit)> =
        args.kinds.iter().map(|k| edit(&args.root, k).map(|e| (k.clone(), e))).collect::<Result<_, _>>()?;
    let started = Instant::now();
    let server = start(&args.milaf, &args.root)?;
    eprintln!("serving after {:.2} s (initial build)", started.elapsed().as_secs_f64());
    let first_page = edits.first().map_or("/", |(_, e)| e.page.as_str());
    let mut events = Events::open(server.port, first_page)?;
    let (mut build, ok) = events.next()?;
    if !ok {
        return Err("the dossier does not build; fix it first (milaf check)".into());
    }
    println!("| edit | file | edits | build event s, median (min–max) | page served s, median (min–max) |");
    println!("|---|---|---:|---:|---:|");
    let mut result = Ok(());
    for (kind, e) in &edits {
        // A tab on this edit's page (its first event is the current state).
        events = Events::open(server.port, &e.page)?;
        events.next()?;
        let mut to_event = Vec::new();
        let mut to_page = Vec::new();
        for i in 0..=args.edits {
            let marker = format!("bench-{kind}-{i}");
            let text = (e.with_marker)(&marker);
            std::thread::sleep(PAUSE);
            let t0 = Instant::now();
            if let Err(err) = std::fs::write(&e.file, &text) {
                result = Err(format!("cannot write {}: {err}", e.file.display()));
                break;
            }
            let measured = (|| -> Result<(f64, f64), String> {
                loop {
                    let (b, ok) = events.next()?;
                    if b <= build {
                        continue;
                    }
                    build = b;
                    if !ok {
                        return Err(format!("build {b} failed after editing {}", e.file.display()));
                    }
                    let event = t0.elapsed().as_secs_f64();
                    // A build may have started before the write landed: the
                    // marker is then in the next one.
                    if get(server.port, &e.page)?.contains(&marker) {
                        return Ok((event, t0.elapsed().as_secs_f64()));
                    }
                }
            })();
            match measured {
                // The first edit warms up and is not counted.
                Ok((event, page)) if i > 0 => {
                    to_event.push(event);
                    to_page.push(page);
                }
                Ok(_) => {}
                Err(err) => {
                    result = Err(err);
                    break;
                }
            }
        }
        let _ = std::fs::write(&e.file, &e.original);
        if result.is_err() {
            break;
        }
        let file = e.file.strip_prefix(&args.root).unwrap_or(&e.file).display().to_string();
        println!("| {kind} | `{file}` | {} | {} | {} |", to_event.len(), summary(to_event), summary(to_page));
    }
    for (_, e) in &edits {
        let _ = std::fs::write(&e.file, &e.original);
    }
    result
}

fn main() {
    let args = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(&args) {
        eprintln!("serve_latency: {e}");
        std::process::exit(1);
    }
}
