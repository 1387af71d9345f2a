//! Archival packages of a built dossier (`milaf snapshot`): a BagIt bag of
//! the site and its sources (`bagit`), optionally one `.tar` (`tar`), or a
//! WACZ web archive of the site (`wacz`, a `zip`), and the check of either
//! that names the first file that differs (`verify`). Everything here
//! turns paths and bytes into paths and bytes: the driver (`lib.rs`) has
//! `load` read and `write` write them.

pub mod bagit;
pub mod tar;
pub mod wacz;
pub mod zip;

use std::collections::BTreeMap;

/// What a package says about the build it holds.
#[derive(Debug, Clone)]
pub struct Meta {
    /// `milaf 0.1.0`.
    pub tool: String,
    pub title: String,
    /// `organization:` of `dossier.yaml`, if any.
    pub organization: Option<String>,
    pub base_url: String,
    pub commit: Option<crate::provenance::Commit>,
    /// The snapshot's time: `SOURCE_DATE_EPOCH`, else the last commit of
    /// `content/`.
    pub time: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Bagit,
    Wacz,
}

/// The first file of a package that is not as its manifest says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub file: String,
    pub what: String,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.file, self.what)
    }
}

/// What a package that checked out holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub format: Format,
    /// Payload files (bag) or WARC records (WACZ) checked.
    pub items: usize,
}

/// Checks a package given as its files (a bag's folder or tar, a WACZ's
/// entries). A tar's single top folder is taken as the bag.
pub fn verify(files: Vec<(String, Vec<u8>)>) -> Result<Verified, Difference> {
    let mut map: BTreeMap<String, Vec<u8>> = files.into_iter().collect();
    if map.contains_key("datapackage.json") {
        return wacz::verify(&map, None).map(|items| Verified { format: Format::Wacz, items });
    }
    if !map.contains_key("bagit.txt") {
        let tops: std::collections::BTreeSet<&str> =
            map.keys().filter_map(|p| p.split_once('/').map(|(t, _)| t)).collect();
        if let [top] = tops.into_iter().collect::<Vec<_>>()[..] {
            let prefix = format!("{top}/");
            map = map.into_iter().filter_map(|(p, b)| Some((p.strip_prefix(&prefix)?.to_string(), b))).collect();
        }
    }
    bagit::verify(&map).map(|items| Verified { format: Format::Bagit, items })
}
