//! WACZ 1.1.1: the built site as a web archive that standard players
//! replay. Every file of the site is a WARC `response` record (HTTP 200)
//! at the dossier's `base_url`, indexed in `indexes/index.cdx` (CDXJ,
//! sorted by SURT), every page listed in `pages/pages.jsonl`, and
//! `datapackage.json` gives each resource's SHA-256 (with
//! `datapackage-digest.json` for the package itself). Record ids and times
//! derive from the content and the snapshot's time, so the same site gives
//! the same bytes.

use super::{Difference, Meta};
use crate::import::sha256_hex;
use anyhow::bail;
use serde_json::json;
use std::collections::BTreeMap;

pub const WARC: &str = "archive/data.warc";

/// The WACZ (a ZIP of stored entries) of `site` (paths and bytes).
pub fn package(meta: &Meta, site: &[(String, Vec<u8>)]) -> anyhow::Result<Vec<u8>> {
    let base = meta.base_url.trim_end_matches('/');
    if base.is_empty() {
        bail!("a WACZ archives the site at its address, and content/dossier.yaml has no base_url\nhelp: set `base_url: https://…/` in content/dossier.yaml, or make a BagIt bag (--format bagit)");
    }
    let Some(time) = meta.time else {
        bail!("a WACZ records when its pages were captured, and this build has no time\nhelp: commit content/ to git, or set SOURCE_DATE_EPOCH");
    };
    let date = crate::provenance::iso8601(time);
    let stamp: String = date.chars().filter(char::is_ascii_digit).collect();
    let mut warc = Vec::new();
    let info = format!(
        "software: {}\r\nformat: WARC File Format 1.1\r\nisPartOf: {}\r\n{}",
        meta.tool,
        meta.title.replace(['\r', '\n'], " "),
        meta.commit.as_ref().map_or(String::new(), |c| format!("source-commit: git:{}\r\n", c.id))
    );
    warc.extend(record("warcinfo", None, &date, "application/warc-fields", info.as_bytes()));
    let mut cdx = Vec::new();
    let mut pages = vec![json!({"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}).to_string()];
    let home = format!("{base}/index.html");
    for (path, body) in site.iter().filter(|(p, _)| !p.split('/').any(|s| s.starts_with('.'))) {
        let url = format!("{base}/{path}");
        let mime = mime(path);
        let mut block =
            format!("HTTP/1.1 200 OK\r\nContent-Type: {mime}\r\nContent-Length: {}\r\n\r\n", body.len()).into_bytes();
        block.extend(body);
        let offset = warc.len();
        // The length a CDX line gives is the record's without the blank
        // lines that end it, as pywb's indexer counts it.
        let rec = record("response", Some(&url), &date, "application/http; msgtype=response", &block);
        let payload_digest = format!("sha256:{}", sha256_hex(body));
        warc.extend(&rec);
        cdx.push(format!(
            "{} {stamp} {}",
            surt(&url),
            json!({"url": url, "mime": mime.split(';').next().unwrap_or(mime), "status": "200", "digest": payload_digest,
                   "length": (rec.len() - 4).to_string(), "offset": offset.to_string(), "filename": "data.warc"})
        ));
        if path.ends_with(".html") {
            let mut page = json!({"id": &sha256_hex(url.as_bytes())[..32], "url": url, "ts": date});
            if let Some(title) = title(body) {
                page["title"] = title.into();
            }
            pages.push(page.to_string());
        }
    }
    cdx.sort();
    let cdx: String = cdx.iter().map(|l| format!("{l}\n")).collect();
    let pages: String = pages.iter().map(|l| format!("{l}\n")).collect();
    let resources = vec![
        ("archive/data.warc".to_string(), warc),
        ("indexes/index.cdx".to_string(), cdx.into_bytes()),
        ("pages/pages.jsonl".to_string(), pages.into_bytes()),
    ];
    let mut package = json!({
        "profile": "data-package",
        "resources": resources.iter().map(|(path, bytes)| json!({
            "name": path.rsplit('/').next().unwrap_or(path),
            "path": path,
            "hash": format!("sha256:{}", sha256_hex(bytes)),
            "bytes": bytes.len(),
        })).collect::<Vec<_>>(),
        "wacz_version": "1.1.1",
        "title": meta.title,
        "created": date,
        "modified": date,
        "software": meta.tool,
        "mainPageUrl": home,
        "mainPageDate": date,
    });
    if let Some(c) = &meta.commit {
        package["description"] =
            format!("Built from git commit {}{}", c.id, if c.dirty { " with uncommitted changes" } else { "" }).into();
    }
    let package = serde_json::to_vec_pretty(&package)?;
    let digest = serde_json::to_vec_pretty(
        &json!({"path": "datapackage.json", "hash": format!("sha256:{}", sha256_hex(&package))}),
    )?;
    let mut entries = resources;
    entries.push(("datapackage.json".to_string(), package));
    entries.push(("datapackage-digest.json".to_string(), digest));
    super::zip::write(&entries, time)
}

/// One WARC/1.1 record; its id derives from its kind, target and block.
fn record(kind: &str, url: Option<&str>, date: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let digest = sha256_hex(block);
    let id = sha256_hex(format!("{kind} {} {digest}", url.unwrap_or("")).as_bytes());
    let uuid = format!("{}-{}-5{}-a{}-{}", &id[..8], &id[8..12], &id[13..16], &id[17..20], &id[20..32]);
    let mut head =
        format!("WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{uuid}>\r\nWARC-Date: {date}\r\n");
    if let Some(url) = url {
        head.push_str(&format!("WARC-Target-URI: {url}\r\n"));
        let body = block.windows(4).position(|w| w == b"\r\n\r\n").map_or(&block[..0], |i| &block[i + 4..]);
        head.push_str(&format!("WARC-Payload-Digest: sha256:{}\r\n", sha256_hex(body)));
    }
    head.push_str(&format!(
        "WARC-Block-Digest: sha256:{digest}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    ));
    let mut rec = head.into_bytes();
    rec.extend(block);
    rec.extend(b"\r\n\r\n");
    rec
}

fn mime(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" if path == "feed.xml" => "application/atom+xml",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// The Sort-friendly URI Reordering Transform of an http(s) URL, as CDX
/// indexes key their lines: `org,example)/path`.
pub fn surt(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let (host, path) = rest.split_once('/').map_or((rest, ""), |(h, p)| (h, p));
    let host = host.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let mut parts: Vec<&str> = host.split('.').collect();
    parts.reverse();
    format!("{})/{}", parts.join(","), path.to_ascii_lowercase())
}

/// A page's `<title>`, with the entities our escaping writes decoded.
fn title(html: &[u8]) -> Option<String> {
    let html = std::str::from_utf8(html).ok()?;
    let start = html.find("<title>")? + 7;
    let end = start + html[start..].find("</title>")?;
    Some(
        html[start..end]
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&"),
    )
}

/// Checks a WACZ's entries: each WARC record against its block digest
/// (a changed page is named by its path in the site), then every resource
/// against `datapackage.json`, and that against `datapackage-digest.json`.
pub fn verify(files: &BTreeMap<String, Vec<u8>>, base_url: Option<&str>) -> Result<usize, Difference> {
    let missing = |f: &str| Difference { file: f.to_string(), what: "is missing: this is not a complete WACZ".into() };
    let package = files.get("datapackage.json").ok_or_else(|| missing("datapackage.json"))?;
    let parsed: serde_json::Value = serde_json::from_slice(package)
        .map_err(|e| Difference { file: "datapackage.json".into(), what: format!("is not JSON: {e}") })?;
    let base = base_url
        .map(str::to_string)
        .or_else(|| parsed["mainPageUrl"].as_str().map(|u| u.trim_end_matches("index.html").to_string()))
        .unwrap_or_default();
    let mut records = 0;
    for (name, warc) in files.iter().filter(|(n, _)| n.starts_with("archive/")) {
        for rec in warc_records(warc).map_err(|what| Difference { file: name.clone(), what })? {
            records += 1;
            if rec.digest.as_deref() != Some(&format!("sha256:{}", sha256_hex(rec.block))) {
                let (file, what) = match rec.url.as_deref().and_then(|u| u.strip_prefix(base.as_str())) {
                    Some(path) => (path.trim_start_matches('/').to_string(), format!("(its record in {name})")),
                    None => (name.clone(), format!("(record {records})")),
                };
                return Err(Difference { file, what: format!("{what} differs from its WARC-Block-Digest") });
            }
        }
    }
    let listed: BTreeMap<&str, &str> = parsed["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| Some((r["path"].as_str()?, r["hash"].as_str()?)))
        .collect();
    for (name, bytes) in files.iter().filter(|(n, _)| !n.starts_with("datapackage")) {
        match listed.get(name.as_str()) {
            None => return Err(Difference { file: name.clone(), what: "is not listed in datapackage.json".into() }),
            Some(hash) if *hash != format!("sha256:{}", sha256_hex(bytes)) => {
                return Err(Difference {
                    file: name.clone(),
                    what: "differs from its SHA-256 in datapackage.json".into(),
                })
            }
            _ => {}
        }
    }
    if let Some(name) = listed.keys().find(|n| !files.contains_key(**n)) {
        return Err(Difference { file: name.to_string(), what: "is listed in datapackage.json but missing".into() });
    }
    if let Some(digest) = files.get("datapackage-digest.json") {
        let digest: serde_json::Value = serde_json::from_slice(digest).unwrap_or_default();
        if digest["hash"].as_str() != Some(&format!("sha256:{}", sha256_hex(package))) {
            return Err(Difference {
                file: "datapackage.json".into(),
                what: "differs from its SHA-256 in datapackage-digest.json".into(),
            });
        }
    }
    Ok(records)
}

struct Record<'a> {
    url: Option<String>,
    digest: Option<String>,
    block: &'a [u8],
}

/// The records of an uncompressed WARC file.
fn warc_records(warc: &[u8]) -> Result<Vec<Record<'_>>, String> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < warc.len() {
        let Some(end) = warc[at..].windows(4).position(|w| w == b"\r\n\r\n") else {
            return Err(format!("has a damaged WARC record header at byte {at}"));
        };
        let head = String::from_utf8_lossy(&warc[at..at + end]);
        if !head.starts_with("WARC/") {
            return Err(format!("has no WARC record at byte {at}"));
        }
        let field = |name: &str| {
            head.lines().find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
            })
        };
        let len: usize = field("Content-Length")
            .and_then(|l| l.parse().ok())
            .ok_or(format!("has a WARC record without Content-Length at byte {at}"))?;
        let start = at + end + 4;
        let block =
            warc.get(start..start + len).ok_or(format!("has a WARC record that runs past the end at byte {at}"))?;
        out.push(Record { url: field("WARC-Target-URI"), digest: field("WARC-Block-Digest"), block });
        at = start + len + 4;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn surt_reverses_the_host() {
        assert_eq!(super::surt("https://www.Example.org/d/a/index.html"), "org,example)/d/a/index.html");
        assert_eq!(super::surt("http://milaf.example/"), "example,milaf)/");
    }
}
