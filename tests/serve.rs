//! `milaf serve` end to end: the real binary on a temporary copy of a small
//! dossier, spoken to in raw HTTP/1.1 over `TcpStream`. An edit is followed
//! by a build event and the new page; a content error by a failed event
//! with its diagnostics while the last good page is still served; requests
//! for anything outside the site are 404; `milaf build` never contains the
//! live script; the preview writes nothing to disk; a theme that appears
//! or changes is used by the next build. Every wait is bounded, and the
//! server is killed when a test ends, even on failure.

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const FIXTURE: &str = "tests/fixtures/anchoring/passages/content";
const ANNOTATIONS: &str = "content/annotations/shipment.yaml";
const ARTICLE_PAGE: &str = "/articles/shipment/index.html";
const OLD_NOTE: &str = "تتداخل هذه الملاحظة مع السابقة.";
/// Upper bounds only: each wait ends as soon as what it waits for happens.
const START: Duration = Duration::from_secs(60);
const REBUILD: Duration = Duration::from_secs(20);

fn milaf() -> Command {
    Command::new(env!("CARGO_BIN_EXE_milaf"))
}

/// A temporary dossier root holding a copy of the fixture's content/.
fn dossier() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE), &tmp.path().join("content"));
    tmp
}

/// A running `milaf serve`; killed when dropped.
struct Serve {
    child: Child,
    port: u16,
    log: Arc<Mutex<String>>,
}

impl Serve {
    fn start(root: &Path, args: &[&str]) -> Serve {
        Serve::start_with(root, args, &[])
    }

    fn start_with(root: &Path, args: &[&str], env: &[(&str, &Path)]) -> Serve {
        let mut command = milaf();
        command.arg("--root").arg(root).arg("serve").args(args);
        for (k, v) in env {
            command.env(k, v);
        }
        let mut child = command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
        let (log, lines) = read_lines(child.stderr.take().unwrap());
        let mut serve = Serve { child, port: 0, log };
        let deadline = Instant::now() + START;
        loop {
            let line = match lines.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(line) => line,
                Err(RecvTimeoutError::Timeout) => panic!("no `serving` line in {START:?}:\n{}", serve.log()),
                Err(RecvTimeoutError::Disconnected) => panic!("milaf serve ended:\n{}", serve.log()),
            };
            if let Some(rest) = line.strip_prefix("serving http://127.0.0.1:") {
                serve.port = rest.trim_end_matches('/').parse().unwrap();
                return serve;
            }
        }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Whether the terminal shows `text` within a few seconds: the server
    /// prints before it publishes, but its output reaches the test through
    /// a pipe and a reading thread, which may come later.
    fn logs(&self, text: &str) -> bool {
        let deadline = Instant::now() + Duration::from_secs(5);
        while !self.log().contains(text) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        self.log().contains(text)
    }

    fn get(&self, path: &str) -> Reply {
        get(self.port, path, &format!("127.0.0.1:{}", self.port))
    }

    fn events(&self) -> Events {
        Events::open(self.port)
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Collects a child's stderr on a thread (so the pipe never fills), and
/// passes each line on.
fn read_lines(stderr: impl Read + Send + 'static) -> (Arc<Mutex<String>>, Receiver<String>) {
    let log = Arc::new(Mutex::new(String::new()));
    let (tx, rx) = std::sync::mpsc::channel();
    let keep = log.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            keep.lock().unwrap().push_str(&format!("{line}\n"));
            let _ = tx.send(line);
        }
    });
    (log, rx)
}

struct Reply {
    status: u16,
    head: String,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// One HTTP/1.1 GET with `Connection: close`; the target is sent as given.
fn get(port: u16, target: &str, host: &str) -> Reply {
    let mut stream = connect(port);
    write!(stream, "GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap_or_else(|e| panic!("GET {target}: {e}"));
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or_else(|| panic!("GET {target}: no header end in {raw:?}"));
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("status of {head:?}"));
    Reply { status, head: head.to_string(), body: body.to_string() }
}

fn connect(port: u16) -> TcpStream {
    let stream = TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_secs(5)).unwrap();
    stream.set_read_timeout(Some(REBUILD)).unwrap();
    stream.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
    stream
}

/// The build events of one listening connection.
struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn open(port: u16) -> Events {
        let mut stream = connect(port);
        // Listening as the article page does: the open page a build compares.
        write!(stream, "GET /__milaf/events?page={ARTICLE_PAGE} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").unwrap();
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" || line.is_empty() {
                break;
            }
            head.push_str(&line);
        }
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(head.to_ascii_lowercase().contains("content-type: text/event-stream"), "{head}");
        Events { reader }
    }

    /// The next build event's data, within `timeout`.
    fn next(&mut self, timeout: Duration) -> Value {
        let deadline = Instant::now() + timeout;
        let mut data = None;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "no build event in {timeout:?}");
            self.reader.get_ref().set_read_timeout(Some(left)).unwrap();
            let mut line = String::new();
            if self.reader.read_line(&mut line).unwrap_or_else(|e| panic!("no build event in {timeout:?}: {e}")) == 0 {
                panic!("the event stream ended");
            }
            let line = line.trim_end_matches('\n');
            if let Some(d) = line.strip_prefix("data: ") {
                data = Some(serde_json::from_str(d).unwrap());
            } else if line.is_empty() {
                if let Some(d) = data.take() {
                    return d;
                }
            }
        }
    }

    /// Skips events until one of a build after `build`.
    fn after(&mut self, build: u64) -> Value {
        let deadline = Instant::now() + REBUILD;
        loop {
            let event = self.next(deadline.saturating_duration_since(Instant::now()));
            if event["build"].as_u64().unwrap() > build {
                return event;
            }
        }
    }
}

/// Replaces each `from` by its `to` in `file`, in one write.
fn edit(root: &Path, file: &str, replacements: &[(&str, &str)]) {
    let path = root.join(file);
    let mut text = std::fs::read_to_string(&path).unwrap();
    for (from, to) in replacements {
        assert!(text.contains(from), "{file} has no {from:?}");
        text = text.replacen(from, to, 1);
    }
    std::fs::write(&path, text).unwrap();
}

#[test]
fn an_edited_note_is_served_after_its_build_event() {
    let root = dossier();
    let serve = Serve::start(root.path(), &["--port", "0"]);
    let mut events = serve.events();
    let first = events.next(REBUILD);
    assert_eq!(first["ok"], true, "{first}");
    let page = serve.get(ARTICLE_PAGE);
    assert_eq!(page.status, 200);
    assert!(page.body.contains(OLD_NOTE));

    let new_note = "ملاحظة كتبت بعد فتح المعاينة.";
    edit(root.path(), ANNOTATIONS, &[(OLD_NOTE, new_note)]);
    let built = events.after(first["build"].as_u64().unwrap());
    assert_eq!(built["ok"], true, "{built}\n{}", serve.log());
    assert_eq!(built["site"], built["build"], "the site changed, so pages reload");
    let page = serve.get(ARTICLE_PAGE);
    assert!(page.body.contains(new_note), "{}", serve.log());
    assert!(!page.body.contains(OLD_NOTE));
}

#[test]
fn a_content_error_is_shown_over_the_last_good_page_until_fixed() {
    let root = dossier();
    let serve = Serve::start(root.path(), &["--port", "0"]);
    let mut events = serve.events();
    let good = events.next(REBUILD);

    // An unknown speaker, and a new note text that must not be served.
    let new_note = "نص لا يظهر ما دام في الملف خطأ.";
    edit(root.path(), ANNOTATIONS, &[(OLD_NOTE, new_note), ("speaker: omar-diarra", "speaker: omar-diara")]);
    let failed = events.after(good["build"].as_u64().unwrap());
    assert_eq!(failed["ok"], false, "{failed}");
    let text = std::fs::read_to_string(root.path().join(ANNOTATIONS)).unwrap();
    let line = text.lines().position(|l| l.contains("omar-diara")).unwrap() + 1;
    let column = text.lines().nth(line - 1).unwrap().find("omar-diara").unwrap() + 1;
    let diagnostic = &failed["diagnostics"][0];
    assert_eq!(diagnostic["severity"], "error");
    assert_eq!(diagnostic["file"], ANNOTATIONS);
    assert_eq!(diagnostic["line"], line);
    assert_eq!(diagnostic["column"], column);
    assert_eq!(diagnostic["line_text"], "  speaker: omar-diara");
    assert!(diagnostic["message"].as_str().unwrap().contains("omar-diara"), "{diagnostic}");
    assert!(diagnostic["help"].as_str().unwrap().contains("omar-diarra"), "{diagnostic}");
    assert!(serve.logs(&format!("{ANNOTATIONS}:{line}:{column}")), "the terminal shows it too");

    // What the live script of a page opened now gets: the same state, first.
    assert_eq!(serde_json::from_str::<Value>(&serve.get("/__milaf/status").body).unwrap(), failed);
    assert_eq!(serve.events().next(REBUILD), failed);
    let script = serve.get("/__milaf/live.js");
    assert_eq!(script.status, 200);
    assert_eq!(script.header("content-type"), Some("text/javascript; charset=utf-8"));
    for needed in ["/__milaf/events", "alertdialog", "line_text", "help", "textContent"] {
        assert!(script.body.contains(needed), "the live script uses {needed}");
    }
    assert!(!script.body.contains("innerHTML"), "the overlay sets text, never HTML");

    // The last good page is still served, and tells the script its version.
    let page = serve.get(ARTICLE_PAGE);
    assert_eq!(page.status, 200);
    assert!(page.body.contains(OLD_NOTE) && !page.body.contains(new_note));
    assert!(page.body.contains(&format!("data-site=\"{}\"", failed["site"])), "{}", page.body);

    edit(root.path(), ANNOTATIONS, &[("speaker: omar-diara\n", "speaker: omar-diarra\n")]);
    let fixed = events.after(failed["build"].as_u64().unwrap());
    assert_eq!(fixed["ok"], true, "{fixed}\n{}", serve.log());
    assert_ne!(fixed["site"], failed["site"], "pages reload");
    assert!(serve.get(ARTICLE_PAGE).body.contains(new_note));
}

/// Every file and folder under `dir`, with each file's bytes.
fn tree(dir: &Path) -> Vec<(PathBuf, Option<Vec<u8>>)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            let bytes = e.file_type().is_file().then(|| std::fs::read(e.path()).unwrap());
            (e.path().to_path_buf(), bytes)
        })
        .collect()
}

#[test]
fn nothing_outside_the_site_is_served_and_nothing_is_written() {
    let root = dossier();
    // Files a request escaping the site would reach if it were served from
    // a folder of the root (root/public, say).
    std::fs::write(root.path().join("Cargo.toml"), "[package]\n").unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let before = tree(root.path());
    let serve = Serve::start_with(root.path(), &["--port", "0"], &[("TMPDIR", tmp.path())]);

    for target in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2E%2E/%2e%2e/etc/passwd",
        "/..%2fCargo.toml",
        "/%2f..",
        "/%2f%2e%2e%2fCargo.toml",
        "/..\\Cargo.toml",
        "/%5c..%5cCargo.toml",
        "/index.html%00",
        "/%00",
        "//etc/passwd",
        "/articles//shipment/index.html",
        "/%2fetc%2fpasswd",
        "/content/dossier.yaml",
        "/../content/dossier.yaml",
        "/%2e%2e/content/dossier.yaml",
        "/..%2fcontent%2fdossier.yaml",
        "/__milaf/",
    ] {
        let reply = serve.get(target);
        assert_eq!(reply.status, 404, "{target}");
        for secret in ["[package]", "root:", "title:"] {
            assert!(!reply.body.contains(secret), "{target} served {secret}");
        }
    }

    let index = serve.get("/index.html");
    assert_eq!(index.status, 200);
    assert_eq!(index.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(index.body.matches("<script src=\"/__milaf/live.js\"").count(), 1);
    assert_eq!(serve.get("/").body, index.body);
    assert_eq!(serve.get("/static/milaf.css").header("content-type"), Some("text/css; charset=utf-8"));
    assert_eq!(serve.get("/dossier.json").header("content-type"), Some("application/json; charset=utf-8"));
    let folder = serve.get("/articles/shipment");
    assert_eq!((folder.status, folder.header("location")), (301, Some("/articles/shipment/")));
    assert!(serve.get("/articles/shipment/").body.contains(OLD_NOTE));
    assert_eq!(get(serve.port, "/index.html", "attacker.example").status, 403, "another host name");
    drop(serve);

    assert!(tree(root.path()) == before, "the preview wrote into the dossier");
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0, "the preview left temporary files");

    let out = root.path().join("public");
    let built = milaf().arg("--root").arg(root.path()).args(["build", "--out"]).arg(&out).output().unwrap();
    assert!(built.status.success(), "{built:?}");
    for (path, bytes) in tree(&out) {
        let text = String::from_utf8_lossy(bytes.as_deref().unwrap_or_default()).into_owned();
        assert!(!text.contains("__milaf"), "{} has the live script", path.display());
    }
}

#[test]
fn a_dossier_without_content_or_a_taken_port_is_refused() {
    let empty = tempfile::tempdir().unwrap();
    let out = milaf().arg("--root").arg(empty.path()).args(["serve", "--port", "0"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no content/ folder"), "{out:?}");

    let root = dossier();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = milaf().arg("--root").arg(root.path()).args(["serve", "--port", &port]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("choose another --port"), "{out:?}");
}

#[test]
fn open_without_a_browser_still_serves() {
    let root = dossier();
    let no_programs = tempfile::tempdir().unwrap();
    let serve = Serve::start_with(root.path(), &["--port", "0", "--open"], &[("PATH", no_programs.path())]);
    assert_eq!(serve.get("/").status, 200);
    assert!(serve.logs("cannot open a browser"), "{}", serve.log());
}

/// Copies the folder `from` to `to`, files and subfolders.
fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Waits for successful builds until `page` contains `text`.
fn wait_for_page(serve: &Serve, events: &mut Events, build: &mut u64, page: &str, text: &str) {
    let deadline = Instant::now() + REBUILD;
    loop {
        let event = events.after(*build);
        *build = event["build"].as_u64().unwrap();
        if event["ok"] == true && serve.get(page).body.contains(text) {
            return;
        }
        assert!(Instant::now() < deadline, "{page} never showed {text:?}:\n{}", serve.log());
    }
}

#[test]
fn a_theme_that_appears_and_changes_is_used_at_once() {
    let root = dossier();
    let serve = Serve::start(root.path(), &["--port", "0"]);
    let mut events = serve.events();
    let mut build = events.next(REBUILD)["build"].as_u64().unwrap();

    // themes/ did not exist when the preview started: the dossier's theme
    // (`default`, here a copy of the built-in one) is used once it appears…
    let theme = root.path().join("themes/default");
    copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default"), &theme);
    let base = theme.join("templates/base.html");
    let template = std::fs::read_to_string(&base).unwrap();
    let with = |marker: &str| {
        template.replacen("</head>", &format!("<meta name=\"description\" content=\"{marker}\">\n</head>"), 1)
    };
    std::fs::write(&base, with("theme appeared")).unwrap();
    wait_for_page(&serve, &mut events, &mut build, "/index.html", "theme appeared");
    // …and watched from then on: a template edit is compiled into the next build.
    std::fs::write(&base, with("template edited")).unwrap();
    wait_for_page(&serve, &mut events, &mut build, "/index.html", "template edited");
}

#[test]
fn a_content_folder_that_goes_and_comes_back_is_watched_again() {
    let root = dossier();
    let serve = Serve::start(root.path(), &["--port", "0"]);
    let mut events = serve.events();
    let mut build = events.next(REBUILD)["build"].as_u64().unwrap();

    // As a `git checkout` of another branch and back might: the folder is
    // gone (a failed build, the last good pages still served), then back.
    let content = root.path().join("content");
    let aside = tempfile::tempdir().unwrap();
    std::fs::rename(&content, aside.path().join("content")).unwrap();
    let gone = events.after(build);
    build = gone["build"].as_u64().unwrap();
    assert_eq!(gone["ok"], false, "{gone}");
    assert!(gone["diagnostics"][0]["message"].as_str().unwrap().contains("no content/ folder"), "{gone}");
    assert_eq!(serve.get(ARTICLE_PAGE).status, 200);
    std::fs::rename(aside.path().join("content"), &content).unwrap();
    let back = events.after(build);
    build = back["build"].as_u64().unwrap();
    assert_eq!(back["ok"], true, "{back}");

    let new_note = "ملاحظة بعد عودة المجلد.";
    edit(root.path(), ANNOTATIONS, &[(OLD_NOTE, new_note)]);
    wait_for_page(&serve, &mut events, &mut build, ARTICLE_PAGE, new_note);
}
