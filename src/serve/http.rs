//! The preview's HTTP side: maps a request to a file of the site held in
//! memory, with its content type, and adds the live script to HTML pages.
//!
//! Path safety: the request target is split on `/`, each segment is
//! percent-decoded once, and any `.`, `..`, empty segment (`//`), decoded
//! `/` or `\`, NUL or control character makes the request a 404 — so
//! `/../x`, `/%2e%2e/x`, `/..%2fx` and `/%2f..` never name anything. What
//! is left is looked up in the site's map of path → bytes: nothing on disk
//! is ever opened to answer a request, so no request (and no symbolic link)
//! can reach a file outside the site.
//!
//! The routes under `/__milaf/` belong to the server: `live.js` (the live
//! script), `events` (build events), `status` (the last build's state as
//! JSON). When the server listens on a loopback address it answers only
//! requests whose `Host` is a loopback name, so a web page cannot read the
//! preview through DNS rebinding.

use super::live::{self, Live};
use std::io::Cursor;
use std::sync::Arc;
use tiny_http::{Header, Method, Request, Response, StatusCode};

pub const LIVE_SCRIPT: &str = include_str!("live.js");
const LIVE_SCRIPT_PATH: &str = "/__milaf/live.js";

/// How the server was asked to listen.
pub struct Config {
    /// Answer only `Host: localhost`, `127.x.x.x` or `[::1]`.
    pub loopback_only: bool,
}

/// Answers one request.
pub fn handle(request: Request, live: &Arc<Live>, config: &Config) {
    let response = match respond(&request, live, config) {
        Answer::Events(page) => {
            stream_events(request, live, page);
            return;
        }
        Answer::Response(r) => r,
    };
    // A client that went away is no concern of ours.
    let _ = request.respond(response);
}

enum Answer {
    Response(Response<Cursor<Arc<[u8]>>>),
    Events(Option<String>),
}

fn respond(request: &Request, live: &Live, config: &Config) -> Answer {
    let method = request.method();
    if *method != Method::Get && *method != Method::Head {
        let r = text(405, "only GET and HEAD are served\n").with_header(header("Allow", "GET, HEAD"));
        return Answer::Response(r);
    }
    let host = request.headers().iter().find(|h| h.field.equiv("Host")).map(|h| h.value.as_str());
    if config.loopback_only && !is_loopback_host(host) {
        return Answer::Response(text(403, "this preview answers requests for localhost only\n"));
    }
    let (target, query) = request.url().split_once('?').map_or((request.url(), None), |(t, q)| (t, Some(q)));
    match target {
        LIVE_SCRIPT_PATH => {
            return Answer::Response(bytes(200, "text/javascript; charset=utf-8", Arc::from(LIVE_SCRIPT.as_bytes())))
        }
        "/__milaf/events" if *method == Method::Get => {
            // The page it listens for, as `?page=/articles/x/`.
            let page = query
                .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("page=")))
                .and_then(|p| site_path(&percent_decode(p)?));
            return Answer::Events(page);
        }
        "/__milaf/status" => {
            let status = live.status();
            return Answer::Response(bytes(200, "application/json; charset=utf-8", Arc::from(status.as_bytes())));
        }
        _ => {}
    }
    let snapshot = live.snapshot();
    let tag = format!(
        "<script src=\"{LIVE_SCRIPT_PATH}\" data-server=\"{}\" data-site=\"{}\"></script>",
        live.server(),
        snapshot.site_version
    );
    let Some(site) = snapshot.site else {
        let page = format!(
            "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>milaf serve</title>\
             <body><p>The dossier has not built yet; the problems are listed in the terminal.</p>{tag}</body></html>"
        );
        return Answer::Response(html(503, page.as_bytes(), &tag));
    };
    let Some(path) = site_path(target) else {
        return Answer::Response(not_found(&site, &tag));
    };
    if let Some(file) = site.get(&path) {
        let kind = content_type(&path, &file);
        return Answer::Response(if path.ends_with(".html") { html(200, &file, &tag) } else { bytes(200, kind, file) });
    }
    // A folder asked for without its final slash: relative links in its
    // index.html only work from the slashed address.
    if !path.is_empty() && site.get(&format!("{path}/index.html")).is_some() {
        let location = match query {
            Some(q) => format!("{target}/?{q}"),
            None => format!("{target}/"),
        };
        return Answer::Response(text(301, "moved\n").with_header(header("Location", &location)));
    }
    Answer::Response(not_found(&site, &tag))
}

fn not_found(site: &super::preview::Site, tag: &str) -> Response<Cursor<Arc<[u8]>>> {
    match site.get("404.html") {
        Some(page) => html(404, &page, tag),
        None => text(404, "not found\n"),
    }
}

/// The site-relative path a request target names (`/` → `index.html`,
/// `/x/` → `x/index.html`), or `None` when it names nothing inside the
/// site. Decodes percent-escapes once, segment by segment.
pub fn site_path(target: &str) -> Option<String> {
    let rest = target.strip_prefix('/')?;
    let mut segments = Vec::new();
    let raw: Vec<&str> = rest.split('/').collect();
    for (i, raw_segment) in raw.iter().enumerate() {
        let last = i + 1 == raw.len();
        if raw_segment.is_empty() {
            // Only the last segment may be empty: `/x/` is the folder x.
            if last {
                break;
            }
            return None;
        }
        let segment = percent_decode(raw_segment)?;
        if segment == "."
            || segment == ".."
            || segment.is_empty()
            || segment.contains(['/', '\\'])
            || segment.chars().any(char::is_control)
        {
            return None;
        }
        segments.push(segment);
    }
    let mut path = segments.join("/");
    if target.ends_with('/') {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some(path)
}

/// `%XX` escapes decoded once; `None` for a malformed escape or bytes that
/// are not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The content type of a site file by its extension; text types say
/// UTF-8 (an original capture that is not UTF-8 gets no charset, so the
/// browser guesses as it would from a static host).
pub fn content_type(path: &str, bytes: &[u8]) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e).to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "txt" | "md" if std::str::from_utf8(bytes).is_ok() => "text/plain; charset=utf-8",
        "txt" | "md" => "text/plain",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// `html` with `tag` inserted before its last `</body>` (or at its end).
/// The page's Content-Security-Policy, which lets nothing connect, is
/// widened to this server for the live script's event stream.
pub fn with_live_script(html: &[u8], tag: &str) -> Vec<u8> {
    const POLICY: &[u8] = b"default-src 'none';";
    let at = html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(html.len());
    let head_end = html.windows(7).position(|w| w.eq_ignore_ascii_case(b"</head>")).unwrap_or(0).min(at);
    let policy = html[..head_end].windows(POLICY.len()).position(|w| w == POLICY).map(|p| p + POLICY.len());
    let mut out = Vec::with_capacity(html.len() + tag.len() + 24);
    let mut from = 0;
    if let Some(p) = policy {
        out.extend_from_slice(&html[..p]);
        out.extend_from_slice(b" connect-src 'self';");
        from = p;
    }
    out.extend_from_slice(&html[from..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// Whether a `Host` header names this machine's loopback interface. A
/// request without one (HTTP/1.0) comes from a client that is no browser.
pub fn is_loopback_host(host: Option<&str>) -> bool {
    let Some(host) = host else { return true };
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    let name = name.to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn header(name: &str, value: &str) -> Header {
    // Only fixed names and values made here: always valid header text.
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a valid header")
}

fn bytes(status: u16, kind: &str, body: Arc<[u8]>) -> Response<Cursor<Arc<[u8]>>> {
    let len = body.len();
    Response::new(
        StatusCode(status),
        vec![
            header("Content-Type", kind),
            // The preview changes under the reader: never keep a copy.
            header("Cache-Control", "no-store"),
            header("X-Content-Type-Options", "nosniff"),
        ],
        Cursor::new(body),
        Some(len),
        None,
    )
    // Always a Content-Length, never chunks: the length is known.
    .with_chunked_threshold(usize::MAX)
}

fn html(status: u16, page: &[u8], tag: &str) -> Response<Cursor<Arc<[u8]>>> {
    bytes(status, "text/html; charset=utf-8", with_live_script(page, tag).into())
}

fn text(status: u16, message: &str) -> Response<Cursor<Arc<[u8]>>> {
    bytes(status, "text/plain; charset=utf-8", Arc::from(message.as_bytes()))
}

/// Hands the connection to a thread of its own that streams build events,
/// or answers 503 when too many pages listen already.
fn stream_events(request: Request, live: &Arc<Live>, page: Option<String>) {
    let Some(subscription) = live.subscribe(page) else {
        let busy = text(503, "too many pages are listening to this preview; close some tabs\n")
            .with_header(header("Retry-After", "5"));
        let _ = request.respond(busy);
        return;
    };
    let spawned = std::thread::Builder::new()
        .name("milaf-events".into())
        .spawn(move || live::stream(request.into_writer(), subscription));
    if let Err(e) = spawned {
        eprintln!("warning: cannot start a thread for a listening page: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_map_to_site_files() {
        for (target, expected) in [
            ("/", Some("index.html")),
            ("/index.html", Some("index.html")),
            ("/articles/x/", Some("articles/x/index.html")),
            ("/articles/x", Some("articles/x")),
            ("/static/milaf.css", Some("static/milaf.css")),
            ("/articles/%D8%A7/", Some("articles/ا/index.html")),
            ("/a%20b.html", Some("a b.html")),
        ] {
            assert_eq!(site_path(target).as_deref(), expected, "{target}");
        }
    }

    #[test]
    fn paths_that_could_leave_the_site_name_nothing() {
        for target in [
            "/../Cargo.toml",
            "/%2e%2e/Cargo.toml",
            "/%2E%2E/%2e%2e/etc/passwd",
            "/..%2fCargo.toml",
            "/..%2FCargo.toml",
            "/%2f..",
            "/%2fetc/passwd",
            "/.%2e/Cargo.toml",
            "/./index.html",
            "/articles/../../Cargo.toml",
            "/..\\Cargo.toml",
            "/%5c..%5cCargo.toml",
            "/index.html%00.css",
            "/%00",
            "//etc/passwd",
            "/articles//x/",
            "/C:%5Cwindows",
            "/%zz",
            "/%",
            "/%ff",
            "etc/passwd",
            "http://example.com/index.html",
            "",
        ] {
            assert_eq!(site_path(target), None, "{target:?}");
        }
    }

    #[test]
    fn content_types_follow_the_extension() {
        for (path, expected) in [
            ("index.html", "text/html; charset=utf-8"),
            ("static/milaf.css", "text/css; charset=utf-8"),
            ("static/search.js", "text/javascript; charset=utf-8"),
            ("dossier.json", "application/json; charset=utf-8"),
            ("feed.xml", "application/xml; charset=utf-8"),
            ("timeline/overview.svg", "image/svg+xml; charset=utf-8"),
            ("articles/x/original.txt", "text/plain; charset=utf-8"),
            ("static/logo.PNG", "image/png"),
            ("static/font.woff2", "font/woff2"),
            ("static/blob", "application/octet-stream"),
        ] {
            assert_eq!(content_type(path, b"text"), expected, "{path}");
        }
        assert_eq!(content_type("articles/x/original.txt", b"\xff\xfe"), "text/plain");
    }

    #[test]
    fn the_live_script_goes_before_the_last_body_end() {
        let tag = "<script src=\"/__milaf/live.js\"></script>";
        let page = with_live_script(b"<body><p>&lt;/body&gt;</p></BODY></html>", tag);
        assert_eq!(
            String::from_utf8(page).unwrap(),
            "<body><p>&lt;/body&gt;</p><script src=\"/__milaf/live.js\"></script></BODY></html>"
        );
        assert_eq!(with_live_script(b"<p>x", tag), format!("<p>x{tag}").into_bytes());
    }

    #[test]
    fn the_live_page_may_connect_to_the_server() {
        let tag = "<script src=\"/__milaf/live.js\"></script>";
        let page = with_live_script(
            b"<head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'self'\"></head><body><p>default-src 'none';</p></body>",
            tag,
        );
        assert_eq!(
            String::from_utf8(page).unwrap(),
            format!("<head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; connect-src 'self'; script-src 'self'\"></head><body><p>default-src 'none';</p>{tag}</body>")
        );
    }

    #[test]
    fn only_loopback_hosts_are_answered_on_loopback() {
        for host in ["localhost:8040", "127.0.0.1:1", "127.0.0.1", "[::1]:80", "LOCALHOST", "site.localhost:3"] {
            assert!(is_loopback_host(Some(host)), "{host}");
        }
        for host in ["example.com", "evil.example:8040", "192.168.1.2:8040", "[2001:db8::1]:80", "localhost.evil.com"] {
            assert!(!is_loopback_host(Some(host)), "{host}");
        }
        assert!(is_loopback_host(None));
    }
}
