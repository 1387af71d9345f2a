//! BagIt (RFC 8493): the tag files of a bag holding the built site and its
//! sources under `data/`, and the check of a bag against its manifests.
//! The payload's paths and bytes are given; nothing here reads a disk.

use super::{Difference, Meta};
use crate::import::sha256_hex;
use std::collections::BTreeMap;

/// `bagit.txt`, `bag-info.txt`, `manifest-sha256.txt` and
/// `tagmanifest-sha256.txt` for `payload` (paths under `data/`, sorted).
pub fn tag_files(meta: &Meta, payload: &[(String, Vec<u8>)]) -> Vec<(String, Vec<u8>)> {
    let bagit = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n".to_string();
    let mut info = String::new();
    let mut field = |name: &str, value: &str| {
        // A value is one line: line breaks would start another field.
        info.push_str(&format!("{name}: {}\n", value.replace(['\r', '\n'], " ")));
    };
    if let Some(org) = &meta.organization {
        field("Source-Organization", org);
    }
    if let Some(time) = meta.time {
        field("Bagging-Date", &crate::provenance::iso_date(time));
    }
    let octets: u64 = payload.iter().map(|(_, b)| b.len() as u64).sum();
    field("Payload-Oxum", &format!("{octets}.{}", payload.len()));
    field(
        "External-Description",
        &format!("{}: the dossier as built (data/site/) and its sources (data/content/)", meta.title),
    );
    if let Some(c) = &meta.commit {
        field("External-Identifier", &format!("git:{}", c.id));
        field("Source-Commit-Date", &crate::provenance::iso8601(c.time));
        field("Source-Work-Tree", if c.dirty { "uncommitted changes" } else { "clean" });
    }
    if let Some(time) = meta.time {
        field("Snapshot-Time", &crate::provenance::iso8601(time));
    }
    field("Bag-Software-Agent", &meta.tool);
    let manifest: String = payload.iter().map(|(p, b)| format!("{}  {}\n", sha256_hex(b), encode(p))).collect();
    let mut tags = vec![
        ("bagit.txt".to_string(), bagit.into_bytes()),
        ("bag-info.txt".to_string(), info.into_bytes()),
        ("manifest-sha256.txt".to_string(), manifest.into_bytes()),
    ];
    let tagmanifest: String = tags.iter().map(|(p, b)| format!("{}  {p}\n", sha256_hex(b))).collect();
    tags.push(("tagmanifest-sha256.txt".to_string(), tagmanifest.into_bytes()));
    tags
}

/// RFC 8493 §2.1.3: `%`, CR and LF in a manifest path are percent-encoded.
fn encode(path: &str) -> String {
    path.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn decode(path: &str) -> String {
    path.replace("%0D", "\r").replace("%0d", "\r").replace("%0A", "\n").replace("%0a", "\n").replace("%25", "%")
}

/// A manifest's entries: path → checksum.
fn manifest(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|l| {
            let (sum, path) = l.split_once(char::is_whitespace)?;
            Some((decode(path.trim_start()), sum.to_ascii_lowercase()))
        })
        .collect()
}

/// Checks a bag's files (paths relative to the bag) against its manifests,
/// in path order; the first difference names its file.
pub fn verify(files: &BTreeMap<String, Vec<u8>>) -> Result<usize, Difference> {
    let text = |name: &str| {
        files.get(name).map(|b| String::from_utf8_lossy(b).into_owned()).ok_or_else(|| Difference {
            file: name.to_string(),
            what: "is missing: this is not a complete BagIt bag".to_string(),
        })
    };
    text("bagit.txt")?;
    let payload = manifest(&text("manifest-sha256.txt")?);
    let tags = files.get("tagmanifest-sha256.txt").map(|b| manifest(&String::from_utf8_lossy(b))).unwrap_or_default();
    let mut paths: Vec<&String> = files.keys().chain(payload.keys()).chain(tags.keys()).collect();
    paths.sort();
    paths.dedup();
    for path in paths {
        let listed = payload.get(path).or_else(|| tags.get(path));
        let in_data = path.starts_with("data/");
        match (files.get(path), listed) {
            (Some(bytes), Some(sum)) if &sha256_hex(bytes) != sum => {
                return Err(Difference { file: path.clone(), what: "differs from its SHA-256 in the manifest".into() })
            }
            (None, Some(_)) => {
                return Err(Difference { file: path.clone(), what: "is listed in the manifest but missing".into() })
            }
            (Some(_), None) if in_data => {
                return Err(Difference { file: path.clone(), what: "is in the payload but not in the manifest".into() })
            }
            _ => {}
        }
    }
    let info = text("bag-info.txt")?;
    if let Some(oxum) = info.lines().find_map(|l| l.strip_prefix("Payload-Oxum:")) {
        let data: Vec<&Vec<u8>> = files.iter().filter(|(p, _)| p.starts_with("data/")).map(|(_, b)| b).collect();
        let octets: usize = data.iter().map(|b| b.len()).sum();
        if oxum.trim() != format!("{octets}.{}", data.len()) {
            return Err(Difference {
                file: "bag-info.txt".into(),
                what: format!("says Payload-Oxum {} but the payload is {octets}.{}", oxum.trim(), data.len()),
            });
        }
    }
    Ok(payload.len())
}
