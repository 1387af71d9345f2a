//! Helpers shared by the integration tests: building a dossier in memory,
//! copying a fixture to a temporary folder, and checking every link of a
//! built site.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Builds the dossier at `root` in memory; panics with the diagnostics if
/// it has errors.
pub fn build(root: &Path) -> Vec<milaf::render::OutputFile> {
    let (dossier, diags, sources) = milaf::check(root).unwrap();
    let dossier = dossier.unwrap_or_else(|| panic!("{}", milaf::diag::render_human(&diags)));
    milaf::write::in_memory(&dossier, sources.theme(&dossier.config.theme)).unwrap()
}

/// Copies a folder tree (fixtures are read-only inputs; tests write into
/// temporary copies).
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The values of one attribute in an HTML page, entities decoded.
pub fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        let after = &rest[i + needle.len()..];
        let end = after.find('"').unwrap_or(after.len());
        out.push(after[..end].replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'"));
        rest = &after[end..];
    }
    out
}

/// Resolves `href` against the folder of `page` (both site-relative).
fn resolve(page: &str, href: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Every broken internal link or fragment, and every duplicate id, in a
/// built site. External links are not followed (the site makes none).
pub fn broken_links(files: &[milaf::render::OutputFile]) -> Vec<String> {
    let mut ids: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut problems = Vec::new();
    let paths: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for f in files.iter().filter(|f| f.path.ends_with(".html")) {
        let html = String::from_utf8_lossy(&f.bytes);
        let mut set = BTreeSet::new();
        for id in attr_values(&html, "id") {
            if !set.insert(id.clone()) {
                problems.push(format!("{}: duplicate id `{id}`", f.path));
            }
        }
        ids.insert(&f.path, set);
    }
    for f in files.iter().filter(|f| f.path.ends_with(".html")) {
        let html = String::from_utf8_lossy(&f.bytes);
        let mut targets = attr_values(&html, "href");
        targets.extend(attr_values(&html, "src"));
        for href in targets {
            if href.starts_with("http://") || href.starts_with("https://") || href.starts_with("mailto:") {
                continue;
            }
            let (path, frag) = match href.split_once('#') {
                Some((p, fr)) => (p, Some(fr)),
                None => (href.as_str(), None),
            };
            // The 404 page links from the site's path on a host, which it
            // names (`data-site`): from there, the link must reach a file.
            let site_path = attr_values(&html, "data-site").into_iter().next();
            let target = match site_path.as_deref() {
                Some(site) if path.starts_with('/') => match path.strip_prefix(site) {
                    Some(rest) => rest.to_string(),
                    None => {
                        problems.push(format!("{}: link outside the site's path `{href}`", f.path));
                        continue;
                    }
                },
                _ if path.is_empty() => f.path.clone(),
                _ => resolve(&f.path, path),
            };
            if !paths.contains(target.as_str()) {
                problems.push(format!("{}: link to missing file `{href}`", f.path));
                continue;
            }
            if let Some(fr) = frag {
                if !fr.is_empty() && !ids.get(target.as_str()).is_some_and(|s| s.contains(fr)) {
                    problems.push(format!("{}: link to missing fragment `{href}`", f.path));
                }
            }
        }
    }
    problems
}

/// One start tag of a page: its name and attributes (values as written,
/// entities not decoded).
pub struct Tag {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    /// Byte offset of the `<`.
    pub at: usize,
}

impl Tag {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// Every start tag of a page. Comments are skipped; the text of a page
/// holds no `<` (it is escaped), so a plain scan finds every tag.
pub fn tags(html: &str) -> Vec<Tag> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let at = i + off;
        i = at + 1;
        if html[at..].starts_with("<!--") {
            i = html[at..].find("-->").map_or(b.len(), |e| at + e + 3);
            continue;
        }
        if !b.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let name_end = html[i..].find(|c: char| c.is_whitespace() || c == '>' || c == '/').map_or(b.len(), |e| i + e);
        let name = html[i..name_end].to_ascii_lowercase();
        let mut attrs = Vec::new();
        let mut j = name_end;
        loop {
            while j < b.len() && (b[j].is_ascii_whitespace() || b[j] == b'/') {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' {
                break;
            }
            let n_end = html[j..]
                .find(|c: char| c.is_whitespace() || c == '=' || c == '>' || c == '/')
                .map_or(b.len(), |e| j + e);
            let attr = html[j..n_end].to_ascii_lowercase();
            j = n_end;
            let mut value = String::new();
            if b.get(j) == Some(&b'=') {
                j += 1;
                match b.get(j) {
                    Some(&q) if q == b'"' || q == b'\'' => {
                        let end = html[j + 1..].find(q as char).map_or(b.len(), |e| j + 1 + e);
                        value = html[j + 1..end].to_string();
                        j = (end + 1).min(b.len());
                    }
                    _ => {
                        let end = html[j..].find(|c: char| c.is_whitespace() || c == '>').map_or(b.len(), |e| j + e);
                        value = html[j..end].to_string();
                        j = end;
                    }
                }
            }
            if n_end == j && attr.is_empty() {
                j += 1;
            }
            attrs.push((attr, value));
        }
        out.push(Tag { name, attrs, at });
        i = j;
    }
    out
}

/// The Content-Security-Policy every page of a site carries.
pub fn csp_of(html: &str) -> Option<String> {
    tags(html)
        .into_iter()
        .find(|t| {
            t.name == "meta" && t.attr("http-equiv").is_some_and(|v| v.eq_ignore_ascii_case("content-security-policy"))
        })
        .and_then(|t| t.attr("content").map(|c| c.replace("&#39;", "'").replace("&quot;", "\"")))
}

/// What a page must not hold: scripts other than the theme's own files,
/// event-handler attributes, inline styles, link schemes other than http,
/// https, mailto (relative and fragment links have none), anything loaded
/// from another origin, elements that change where the page's links or
/// scripts go, and a page without the Content-Security-Policy.
pub fn page_hygiene(html: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let all = tags(html);
    // Relative, or a path from the host's root (the 404 page's, which a
    // host serves at any address): the same origin either way.
    let is_relative = |v: &str| {
        let v = v.trim();
        !v.starts_with("//") && !v.starts_with("/\\") && !v.starts_with('\\') && scheme(v).is_none()
    };
    for t in &all {
        for (name, value) in &t.attrs {
            if name.starts_with("on") {
                problems.push(format!("an event handler `{name}` on <{}>", t.name));
            }
            if name == "style" {
                problems.push(format!("an inline style on <{}>", t.name));
            }
            let decoded = value.replace("&amp;", "&").replace("&#x3a;", ":").replace("&colon;", ":");
            match name.as_str() {
                "href" | "action" | "formaction" | "xlink:href" => {
                    if let Some(s) = scheme(&decoded) {
                        if !matches!(s.as_str(), "http" | "https" | "mailto") || t.name == "link" {
                            problems.push(format!("<{} {name}=\"{value}\">: scheme `{s}` not allowed", t.name));
                        }
                    }
                }
                "src" | "srcset" | "poster" | "data" | "background" if !is_relative(&decoded) => {
                    problems.push(format!("<{} {name}=\"{value}\"> loads from elsewhere", t.name));
                }
                _ => {}
            }
        }
        match t.name.as_str() {
            "script" => {
                let src = t.attr("src").unwrap_or("");
                let own = is_relative(src)
                    && (src.ends_with("static/milaf.js")
                        || src.ends_with("static/search.js")
                        || src.ends_with("static/notfound.js")
                        || src.ends_with("static/timeline.js")
                        || is_search_index(src));
                if !own {
                    problems.push(format!("a script that is not the theme's own: <script src=\"{src}\">"));
                }
                let body_start = html[t.at..].find('>').map_or(html.len(), |e| t.at + e + 1);
                if !html[body_start..].starts_with("</script>") {
                    problems.push("an inline script".to_string());
                }
            }
            "iframe" | "object" | "embed" | "base" | "style" | "frame" | "applet" => {
                problems.push(format!("a <{}> element", t.name))
            }
            "meta" => {
                if let Some(equiv) = t.attr("http-equiv") {
                    if !equiv.eq_ignore_ascii_case("content-security-policy") {
                        problems.push(format!("<meta http-equiv=\"{equiv}\">"));
                    }
                }
            }
            "link" if !t.attr("href").is_some_and(is_relative) => {
                problems.push(format!("<link href=\"{}\"> is not relative", t.attr("href").unwrap_or("")));
            }
            _ => {}
        }
    }
    match csp_of(html) {
        None => problems.push("no Content-Security-Policy <meta>".to_string()),
        Some(csp) => {
            let first = all.iter().position(|t| {
                t.name == "meta"
                    && t.attr("http-equiv").is_some_and(|v| v.eq_ignore_ascii_case("content-security-policy"))
            });
            if all.iter().take(first.unwrap_or(0)).any(|t| matches!(t.name.as_str(), "script" | "link" | "style")) {
                problems.push("the Content-Security-Policy comes after what it governs".to_string());
            }
            for needed in [
                "default-src 'none'",
                "base-uri 'none'",
                "form-action 'self'",
                "object-src 'none'",
                "script-src 'self'",
            ] {
                if !csp.contains(needed) {
                    problems.push(format!("the Content-Security-Policy lacks {needed}: {csp}"));
                }
            }
            if csp.contains("unsafe-inline") || csp.contains("unsafe-eval") || csp.contains('*') {
                problems.push(format!("the Content-Security-Policy lets inline code or any host through: {csp}"));
            }
        }
    }
    problems
}

/// The scheme of a URL as a browser reads it (tabs and newlines removed,
/// case folded), or `None` for a relative or fragment link.
pub fn scheme(url: &str) -> Option<String> {
    let cleaned: String = url.trim().chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let end = cleaned.find([':', '/', '?', '#'])?;
    if cleaned[end..].starts_with(':') && end > 0 {
        Some(cleaned[..end].to_ascii_lowercase())
    } else {
        None
    }
}

/// The search page's index scripts, generated beside it (`index.js`, or
/// its shards).
fn is_search_index(src: &str) -> bool {
    let file = src.rsplit('/').next().unwrap_or(src);
    file.ends_with(".js") && (file.starts_with("index") || src.contains("search/"))
}
