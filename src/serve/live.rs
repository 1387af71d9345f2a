//! What the preview serves right now, and the pages listening for the next
//! build. `Live` holds the last good site and the state of the last build
//! (its number, whether it failed, its diagnostics as JSON); the rebuild
//! loop replaces both at once, under one lock held only to swap `Arc`s, and
//! sends the new state to every page connected to `/__milaf/events`
//! (Server-Sent Events). Each such connection has its own thread, which
//! writes a keep-alive comment when there is nothing to say, so a client
//! that went away is noticed and its thread ends; their number is bounded.
//! `serve` is the one place in milaf with shared mutable state, and this is
//! all of it.

use super::preview::Site;
use crate::diag::Diagnostic;
use serde::Serialize;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Pages that may listen to build events at once; more get 503 (a browser
/// holds one connection per open tab).
pub const MAX_CLIENTS: usize = 32;
/// How long a listening connection may stay silent before a keep-alive
/// comment is written; a write to a client that went away fails.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// Build events queued for one client; a client that falls this far behind
/// is dropped (its browser reconnects and gets the current state).
const QUEUE: usize = 8;

/// The state of the preview, shared by the HTTP threads and the rebuild loop.
pub struct Live {
    /// Tells this server's pages from those of an earlier run (a page from
    /// another run reloads).
    server: String,
    current: Mutex<Current>,
    listeners: Arc<AtomicUsize>,
}

struct Current {
    site: Option<Arc<Site>>,
    /// The build that made `site`, or the last one that changed it: the
    /// version a page is from.
    site_version: u64,
    /// The last build's state as JSON (`/__milaf/status`, and the data of
    /// every build event).
    status: Arc<str>,
    /// Each listening page: where its events go, and the site path it shows.
    clients: Vec<(SyncSender<Arc<str>>, Option<String>)>,
}

/// What a request needs to answer from the current site.
pub struct Snapshot {
    pub site: Option<Arc<Site>>,
    pub site_version: u64,
}

/// The state of the last build, as the live script and `/__milaf/status`
/// receive it.
#[derive(Serialize)]
struct Status<'a> {
    server: &'a str,
    build: u64,
    ok: bool,
    /// The version of the site being served (see `Current::site_version`).
    site: u64,
    diagnostics: Vec<DiagnosticView<'a>>,
}

/// A diagnostic for the overlay: where, what, the line itself and the fix.
#[derive(Serialize)]
struct DiagnosticView<'a> {
    severity: &'static str,
    message: &'a str,
    file: Option<&'a str>,
    /// 1-based; absent when the problem is with a whole file.
    line: Option<usize>,
    column: Option<usize>,
    /// Characters under the caret.
    length: Option<usize>,
    line_text: Option<&'a str>,
    help: Option<&'a str>,
}

impl<'a> DiagnosticView<'a> {
    fn new(d: &'a Diagnostic) -> Self {
        let loc = d.location.as_ref();
        let placed = loc.filter(|l| l.line > 0);
        DiagnosticView {
            severity: if d.is_error() { "error" } else { "warning" },
            message: &d.message,
            file: loc.map(|l| l.file.as_str()),
            line: placed.map(|l| l.line),
            column: placed.map(|l| l.column),
            length: placed.map(|l| l.len),
            line_text: placed.map(|l| l.line_text.as_str()),
            help: d.help.as_deref(),
        }
    }
}

/// A listening page's end of the build events; dropping it frees its place.
pub struct Subscription {
    pub events: Receiver<Arc<str>>,
    _place: Place,
}

struct Place(Arc<AtomicUsize>);

impl Drop for Place {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Live {
    /// No site yet: the state of "build 0", which has not finished.
    pub fn new(server: String) -> Live {
        let status = status_json(&server, 0, true, 0, &[]);
        Live {
            server,
            current: Mutex::new(Current { site: None, site_version: 0, status, clients: Vec::new() }),
            listeners: Arc::new(AtomicUsize::new(0)),
        }
    }

    pub fn server(&self) -> &str {
        &self.server
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Current> {
        // Nothing that holds the lock can panic halfway through an update.
        self.current.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn snapshot(&self) -> Snapshot {
        let current = self.lock();
        Snapshot { site: current.site.clone(), site_version: current.site_version }
    }

    pub fn status(&self) -> Arc<str> {
        self.lock().status.clone()
    }

    /// The site paths of the pages listening now.
    pub fn open_pages(&self) -> Vec<String> {
        let mut pages: Vec<String> = self.lock().clients.iter().filter_map(|(_, page)| page.clone()).collect();
        pages.sort();
        pages.dedup();
        pages
    }

    /// Publishes a successful build: its site is served from now on, and
    /// pages reload if one of the open pages differs in it. Returns how
    /// many open pages changed.
    pub fn publish_built(&self, build: u64, site: Site, warnings: &[Diagnostic]) -> usize {
        // Compared outside the lock: only the rebuild loop publishes. The
        // open pages are rendered here, before any of them asks.
        let previous = self.snapshot();
        let changed = match &previous.site {
            Some(old) => site.changed_since(old, &self.open_pages()),
            None => 0,
        };
        let version = if changed == 0 && previous.site.is_some() { previous.site_version } else { build };
        let status = status_json(&self.server, build, true, version, warnings);
        let mut current = self.lock();
        current.site = Some(Arc::new(site));
        current.site_version = version;
        current.status = status;
        broadcast(&mut current);
        changed
    }

    /// Publishes a failed build: the last good site stays, and pages show
    /// the diagnostics over it.
    pub fn publish_failed(&self, build: u64, diagnostics: &[Diagnostic]) {
        let mut current = self.lock();
        current.status = status_json(&self.server, build, false, current.site_version, diagnostics);
        broadcast(&mut current);
    }

    /// A place among the listeners, whose first event is the current state;
    /// `None` when `MAX_CLIENTS` pages listen already.
    pub fn subscribe(&self, page: Option<String>) -> Option<Subscription> {
        let mut current = self.lock();
        let taken = self.listeners.fetch_add(1, Ordering::SeqCst);
        let place = Place(self.listeners.clone());
        if taken >= MAX_CLIENTS {
            return None;
        }
        let (tx, rx) = std::sync::mpsc::sync_channel(QUEUE);
        // Under the lock, so no build can be published between the current
        // state and the next event.
        let _ = tx.try_send(event(&current.status));
        current.clients.push((tx, page));
        Some(Subscription { events: rx, _place: place })
    }
}

fn status_json(server: &str, build: u64, ok: bool, site: u64, diagnostics: &[Diagnostic]) -> Arc<str> {
    let status = Status { server, build, ok, site, diagnostics: diagnostics.iter().map(DiagnosticView::new).collect() };
    serde_json::to_string(&status).unwrap_or_else(|_| "{}".to_string()).into()
}

/// One Server-Sent Event carrying a build's state (JSON has no newline).
fn event(status: &str) -> Arc<str> {
    format!("event: build\ndata: {status}\n\n").into()
}

fn broadcast(current: &mut Current) {
    let message = event(&current.status);
    // A client gone or too far behind is dropped; its thread ends when it
    // has written what was queued.
    current.clients.retain(|(tx, _)| match tx.try_send(message.clone()) {
        Ok(()) => true,
        Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => false,
    });
}

/// Streams build events to one page until it goes away. Runs on the
/// connection's own thread; `out` is the raw connection.
pub fn stream(mut out: Box<dyn Write + Send>, subscription: Subscription) {
    let head = "HTTP/1.1 200 OK\r\n\
                Content-Type: text/event-stream; charset=utf-8\r\n\
                Cache-Control: no-store\r\n\
                X-Content-Type-Options: nosniff\r\n\
                Connection: close\r\n\
                \r\n\
                retry: 1000\n\n";
    if out.write_all(head.as_bytes()).and_then(|()| out.flush()).is_err() {
        return;
    }
    loop {
        let written = match subscription.events.recv_timeout(KEEP_ALIVE) {
            Ok(message) => out.write_all(message.as_bytes()),
            Err(RecvTimeoutError::Timeout) => out.write_all(b": keep-alive\n\n"),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if written.and_then(|()| out.flush()).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(body: &str) -> Site {
        Site::from_files([("index.html".to_string(), Arc::from(body.as_bytes()))].into_iter().collect())
    }

    fn data(message: &str) -> serde_json::Value {
        let line = message.lines().find_map(|l| l.strip_prefix("data: ")).unwrap();
        serde_json::from_str(line).unwrap()
    }

    #[test]
    fn a_listener_gets_the_current_state_first_then_each_build() {
        let live = Live::new("s".into());
        live.publish_built(1, site("a"), &[]);
        let sub = live.subscribe(None).unwrap();
        let first = data(&sub.events.try_recv().unwrap());
        assert_eq!((first["build"].as_u64(), first["ok"].as_bool()), (Some(1), Some(true)));
        let error = Diagnostic::error("unknown entity 'x'")
            .at("content/annotations/a.yaml", "speaker: x\n", 9, 10)
            .help("did you mean 'y'?");
        live.publish_failed(2, std::slice::from_ref(&error));
        let failed = data(&sub.events.try_recv().unwrap());
        assert_eq!(failed["ok"], false);
        assert_eq!(failed["site"], 1, "the last good site is still served");
        let d = &failed["diagnostics"][0];
        assert_eq!(d["file"], "content/annotations/a.yaml");
        assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(1), Some(10)));
        assert_eq!(d["line_text"], "speaker: x");
        assert_eq!(d["help"], "did you mean 'y'?");
    }

    #[test]
    fn a_build_that_changes_no_open_page_keeps_the_site_version() {
        let live = Live::new("s".into());
        let _open = live.subscribe(Some("index.html".into())).unwrap();
        assert_eq!(live.publish_built(1, site("a"), &[]), 0);
        assert_eq!(live.snapshot().site_version, 1, "the first build is a new site");
        assert_eq!(live.publish_built(2, site("a"), &[]), 0);
        assert_eq!(live.snapshot().site_version, 1, "pages need not reload");
        assert_eq!(live.publish_built(3, site("b"), &[]), 1);
        assert_eq!(live.snapshot().site_version, 3);
    }

    #[test]
    fn listeners_are_bounded_and_their_places_freed() {
        let live = Live::new("s".into());
        let subs: Vec<_> = (0..MAX_CLIENTS).map(|_| live.subscribe(None).unwrap()).collect();
        assert!(live.subscribe(None).is_none());
        drop(subs);
        assert!(live.subscribe(None).is_some());
    }
}
