//! The `load` stage: walks `content/` and reads every file into memory, so
//! that no later stage touches the disk. It classifies files by folder,
//! decodes them as UTF-8 (a BOM is dropped, CRLF becomes LF, nothing else
//! changes: no character is reserved for milaf's own use), and reports
//! what cannot be a content file: non-UTF-8 text, symlinks, files in the
//! wrong place or with the wrong extension, files too large to be an article.

use crate::diag::Diagnostic;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// The largest content file milaf accepts; a bigger one is almost surely
/// not an article but a mistake (a video, a database dump).
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Config,
    Article,
    Original,
    Entity,
    Annotations,
    Events,
    Page,
}

/// One content file as read from disk. `path` is relative to the dossier
/// root and uses `/`, as diagnostics print it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub kind: Kind,
    pub path: String,
    /// The file stem: the id for articles, entities, annotations and pages.
    pub stem: String,
    /// The decoded text (empty for originals).
    pub text: String,
    /// For an original: its SHA-256, size and where it is. Originals are
    /// never held in memory: `write` copies the file itself into the site.
    pub original: Option<OriginalFile>,
}

impl SourceFile {
    /// A text file held in memory, as `load` would have read it from
    /// `path` (relative to the root): for tests that compile a dossier
    /// without a folder.
    pub fn text(kind: Kind, path: &str, text: &str) -> SourceFile {
        let stem = path.rsplit('/').next().unwrap_or("").split('.').next().unwrap_or("").to_string();
        SourceFile { kind, path: path.to_string(), stem, text: text.to_string(), original: None }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginalFile {
    pub sha256: String,
    pub len: u64,
    pub path: PathBuf,
    /// Its lines' digests and places (`model::OriginalLine`).
    pub lines: Vec<crate::model::OriginalLine>,
}

#[derive(Debug, Default)]
pub struct Sources {
    pub files: Vec<SourceFile>,
    /// The dossier's own themes (`themes/<name>/` beside `content/`), by
    /// name: their templates and static files. `dossier.yaml` picks one.
    pub themes: std::collections::BTreeMap<String, Theme>,
}

impl Sources {
    /// The dossier's own theme of that name; `None` means the built-in one.
    pub fn theme(&self, name: &str) -> Option<&Theme> {
        self.themes.get(name)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Theme {
    pub templates: Vec<(String, String)>,
    pub statics: Vec<(String, Vec<u8>)>,
    /// The theme's interface wording, by file name (`i18n/ar.yaml` →
    /// `ar.yaml`), over the built-in catalogues (`i18n.rs`).
    pub catalogues: Vec<(String, String)>,
}

fn classify(rel: &Path) -> Result<(Kind, &'static str), String> {
    let parts: Vec<&str> = rel.iter().filter_map(|p| p.to_str()).collect();
    let (folder, wanted) = match parts.as_slice() {
        ["dossier.yaml"] => return Ok((Kind::Config, "yaml")),
        [folder, _] => match *folder {
            "articles" => (Kind::Article, "md"),
            "originals" => (Kind::Original, "txt"),
            "entities" => (Kind::Entity, "yaml"),
            "annotations" => (Kind::Annotations, "yaml"),
            "events" => (Kind::Events, "yaml"),
            "pages" => (Kind::Page, "md"),
            other => {
                return Err(format!(
                    "unknown folder `{other}`: content/ holds articles/, originals/, entities/, annotations/, events/ and pages/"
                ))
            }
        },
        _ => {
            return Err(
                "content files live directly in one of articles/, originals/, entities/, annotations/, events/, pages/ (no nested folders), or are content/dossier.yaml".to_string(),
            )
        }
    };
    let ext = rel.extension().and_then(|e| e.to_str()).unwrap_or("");
    if ext != wanted {
        let folder = parts[0];
        return Err(format!("files in {folder}/ must end in `.{wanted}`; rename it (a `.{ext}` file is not read)"));
    }
    Ok((folder, wanted))
}

/// How many files `load_with` reads before it hands them on: enough for
/// both cores to keep busy, few enough that the texts of a large dossier
/// are never all in memory at once.
const BATCH: usize = 2048;

/// Reads the dossier under `root`. I/O failures that stop everything (no
/// `content/` folder) are returned as `Err`; problems with single files are
/// diagnostics.
pub fn load(root: &Path) -> anyhow::Result<(Sources, Vec<Diagnostic>)> {
    load_with(root, &mut |_, _| {})
}

/// `load`, handing each batch of files to `each` as soon as it is read,
/// with the position of its first file in the file list, and before the
/// next batch is read: a caller that parses a batch and cuts its texts
/// down (as `parse::parse_file` does an article's) never holds the texts
/// of every file at once.
pub fn load_with(
    root: &Path,
    each: &mut dyn FnMut(usize, &mut [SourceFile]),
) -> anyhow::Result<(Sources, Vec<Diagnostic>)> {
    let content = root.join("content");
    if !content.is_dir() {
        anyhow::bail!("no content/ folder in {}: run milaf from the dossier's root or pass --root DIR", root.display());
    }
    let mut diags = Vec::new();
    let mut paths: Vec<(PathBuf, Kind, String)> = Vec::new();
    for entry in walkdir::WalkDir::new(&content).follow_links(false).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let p = e.path().map(|p| display_path(root, p)).unwrap_or_default();
                diags.push(Diagnostic::error(format!("cannot read {p}: {e}")).in_file(&p));
                continue;
            }
        };
        let rel = entry.path().strip_prefix(&content).unwrap_or(entry.path());
        let name = entry.file_name().to_string_lossy();
        if rel.as_os_str().is_empty() || name.starts_with('.') {
            continue;
        }
        let shown = display_path(root, entry.path());
        if entry.path_is_symlink() {
            diags.push(
                Diagnostic::error("symbolic links are not followed in content/")
                    .in_file(&shown)
                    .help("replace the link with the file itself"),
            );
            continue;
        }
        if entry.file_type().is_dir() {
            if entry.depth() > 1 {
                diags.push(
                    Diagnostic::error("nested folders are not read")
                        .in_file(&shown)
                        .help("move its files up into their content folder"),
                );
            }
            continue;
        }
        match classify(rel) {
            Ok((kind, _)) => {
                let stem = rel.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                paths.push((entry.path().to_path_buf(), kind, stem));
            }
            Err(help) => {
                diags.push(Diagnostic::error("this file is not part of the dossier").in_file(&shown).help(help))
            }
        }
    }

    // The absolute place of content/, resolved once: originals are linked
    // into the site from there (no file in content/ is a symbolic link).
    let content_abs = std::fs::canonicalize(&content).unwrap_or_else(|_| content.clone());
    let mut files = Vec::with_capacity(paths.len());
    for batch in paths.chunks(BATCH) {
        let read: Vec<Result<SourceFile, Unreadable>> = batch
            .par_iter()
            .map(|(path, kind, stem)| {
                let abs = content_abs.join(path.strip_prefix(&content).unwrap_or(path));
                read_one(root, path, &abs, *kind, stem)
            })
            .collect();
        let first = files.len();
        for r in read {
            match r {
                Ok(f) => files.push(f),
                Err(Unreadable(d, kept)) => {
                    diags.push(d);
                    // Kept so that its id exists for the other files: one
                    // error, not one more for every reference to it.
                    files.extend(kept);
                }
            }
        }
        each(first, &mut files[first..]);
    }
    let mut themes = std::collections::BTreeMap::new();
    if let Ok(dirs) = std::fs::read_dir(root.join("themes")) {
        let mut dirs: Vec<PathBuf> = dirs.filter_map(|d| d.ok()).map(|d| d.path()).filter(|p| p.is_dir()).collect();
        dirs.sort();
        for dir in dirs {
            let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            if name.starts_with('.') {
                continue;
            }
            match load_theme(&dir) {
                Ok(Some(theme)) => {
                    themes.insert(name, theme);
                }
                Ok(None) => {}
                Err(e) => diags.push(Diagnostic::error(format!("{e:#}")).in_file(&display_path(root, &dir))),
            }
        }
    }
    Ok((Sources { files, themes }, diags))
}

/// Reads one file of `content/` again after a change, as `load` read it.
/// `None` when `path` is not a regular content file of a known kind (gone,
/// a folder, a link, misplaced): the caller then loads the whole folder
/// again, which reports such files.
pub fn reload_file(root: &Path, path: &Path) -> Option<Result<SourceFile, Diagnostic>> {
    let content = root.join("content");
    let rel = path.strip_prefix(&content).ok()?;
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.file_type().is_file() || rel.iter().any(|p| p.to_string_lossy().starts_with('.')) {
        return None;
    }
    let (kind, _) = classify(rel).ok()?;
    let stem = rel.file_stem()?.to_string_lossy().into_owned();
    let abs = std::fs::canonicalize(&content).ok()?.join(rel);
    Some(read_one(root, &content.join(rel), &abs, kind, &stem).map_err(|Unreadable(d, _)| d))
}

fn display_path(root: &Path, p: &Path) -> String {
    p.strip_prefix(root).unwrap_or(p).to_string_lossy().replace('\\', "/")
}

/// A file that is not content as it stands: the diagnostic, and the file
/// with what could be read of it (bytes that are no UTF-8 and characters
/// that no content may hold made U+FFFD), when it has text.
struct Unreadable(Diagnostic, Option<SourceFile>);

impl From<Diagnostic> for Unreadable {
    fn from(d: Diagnostic) -> Unreadable {
        Unreadable(d, None)
    }
}

/// Reads one content file; `abs` is its absolute path.
fn read_one(root: &Path, path: &Path, abs: &Path, kind: Kind, stem: &str) -> Result<SourceFile, Unreadable> {
    let shown = display_path(root, path);
    let cannot =
        |e: std::io::Error| Unreadable::from(Diagnostic::error(format!("cannot read {shown}: {e}")).in_file(&shown));
    // One open, one stat, one read (with room for the end-of-file read):
    // system calls are a large part of loading many small files.
    let mut file = std::fs::File::open(path).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    let too_large = |len: u64| {
        Diagnostic::error(format!(
            "file is {} MiB; content files are limited to {} MiB",
            len / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        ))
        .in_file(&shown)
        .help("split it, or keep large material outside content/")
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(meta.len()).into());
    }
    // Through `take`, which reads into the room already made (`File`'s own
    // `read_to_end` would stat the file again), and at most one byte past
    // the limit, so a file that grew meanwhile is refused, not cut short.
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    std::io::Read::read_to_end(&mut std::io::Read::take(&mut file, MAX_FILE_BYTES + 1), &mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64).into());
    }
    drop(file);
    // An original is kept byte for byte, whatever its encoding: it is never
    // decoded, only hashed here and copied by `write`.
    if kind == Kind::Original {
        let original = OriginalFile {
            sha256: crate::import::sha256_hex(&bytes),
            len: bytes.len() as u64,
            path: abs.to_path_buf(),
            lines: crate::model::OriginalLine::lines_of(&bytes),
        };
        return Ok(SourceFile {
            kind,
            path: shown,
            stem: stem.to_string(),
            text: String::new(),
            original: Some(original),
        });
    }
    if let Some(order) = utf16(&bytes) {
        return Err(Diagnostic::error(format!("the file is UTF-16 text ({order}), not UTF-8"))
            .in_file(&shown)
            .help("save the file as UTF-8 (most editors offer it under \"Save with encoding\"; `iconv -f UTF-16 -t UTF-8` converts it)")
            .into());
    }
    let text = match decode_owned(bytes) {
        Ok(t) => t,
        Err(((line, col), bytes)) => {
            let offset = std::str::from_utf8(&bytes).err().map_or(0, |e| e.valid_up_to());
            let byte = bytes.get(offset).copied().unwrap_or(0);
            // Arabic in a legacy code page (Windows-1256, ISO-8859-6) is
            // mostly bytes above 0x7F that never form UTF-8.
            let lossy = String::from_utf8_lossy(&bytes);
            let legacy =
                if lossy.matches('\u{FFFD}').count() > 1 && lossy.chars().all(|c| c.is_ascii() || c == '\u{FFFD}') {
                    " (it looks like a legacy code page such as Windows-1256: `iconv -f CP1256 -t UTF-8` converts it)"
                } else {
                    ""
                };
            let d = Diagnostic {
                location: Some(crate::diag::Location {
                    file: shown.clone(),
                    line,
                    column: col,
                    len: 1,
                    line_text: String::from_utf8_lossy(bytes.split(|&b| b == b'\n').nth(line - 1).unwrap_or(&[]))
                        .into_owned(),
                }),
                ..Diagnostic::error(format!(
                    "the file is not valid UTF-8 text: byte 0x{byte:02X} at byte offset {offset}"
                ))
            }
            .help(format!("save the file as UTF-8 (most editors offer it under \"Save with encoding\"){legacy}"));
            let text = defuse(&clean_text(&lossy));
            return Err(Unreadable(
                d,
                Some(SourceFile { kind, path: shown, stem: stem.to_string(), text, original: None }),
            ));
        }
    };
    if let Some(bad) = unsafe_char(&text) {
        let d = Diagnostic::error(bad.message).at(&shown, &text, bad.at, bad.at + bad.c.len_utf8()).help(bad.help);
        let text = defuse(&text);
        return Err(Unreadable(
            d,
            Some(SourceFile { kind, path: shown, stem: stem.to_string(), text, original: None }),
        ));
    }
    Ok(SourceFile { kind, path: shown, stem: stem.to_string(), text, original: None })
}

/// The byte order of a UTF-16 text: with its byte-order mark, or without
/// one when every other byte of its start is zero (ASCII in UTF-16).
fn utf16(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\xFF\xFE") {
        return Some("little-endian");
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return Some("big-endian");
    }
    let head = &bytes[..bytes.len().min(64) & !1];
    if head.len() < 4 {
        return None;
    }
    let zeros = |parity: usize| head.iter().skip(parity).step_by(2).filter(|&&b| b == 0).count() * 2 >= head.len() / 2;
    match (zeros(0), zeros(1)) {
        (true, false) => Some("big-endian"),
        (false, true) => Some("little-endian"),
        _ => None,
    }
}

/// `text` with every control character (but line feed and tab) and every
/// bidirectional embedding, override and isolate made U+FFFD: what later
/// stages may read of a file already reported, without reporting the same
/// characters again.
fn defuse(text: &str) -> String {
    text.chars()
        .map(|c| {
            if (c.is_control() && !matches!(c, '\n' | '\t'))
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
            {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// A character that content text must not hold where it is.
#[derive(Debug, PartialEq, Eq)]
pub struct UnsafeChar {
    /// Byte offset in the text.
    pub at: usize,
    pub c: char,
    pub message: String,
    pub help: &'static str,
}

/// The first character of `text` that no content may hold: a control
/// character other than line feed and tab, or a bidirectional control
/// left open at the end of its line or closing nothing (the "Trojan
/// Source" trick: text that reads differently from what it is). Used on
/// each file's text by `load` and on each YAML value (which escapes such
/// as `"\e"` or `"\u202E"` can produce) by `yaml`.
pub fn unsafe_char(text: &str) -> Option<UnsafeChar> {
    if !may_hold_unsafe(text.as_bytes()) {
        return None;
    }
    // Embeddings and overrides close with PDF, isolates with PDI.
    let opens = |c: char| match c {
        '\u{202A}' | '\u{202B}' | '\u{202D}' | '\u{202E}' => Some('\u{202C}'),
        '\u{2066}' | '\u{2067}' | '\u{2068}' => Some('\u{2069}'),
        _ => None,
    };
    let mut open: Vec<(usize, char, char)> = Vec::new();
    let unclosed = |(at, c, _): (usize, char, char)| {
        UnsafeChar {
        at,
        c,
        message: format!("a bidirectional control character (U+{:04X}) is not closed on its line", c as u32),
        help: "it would reorder the text after it on screen, so that it reads otherwise than it is written: remove it, or close it on the same line (U+202C after U+202A…U+202E, U+2069 after U+2066…U+2068)",
    }
    };
    for (at, c) in text.char_indices() {
        if c == '\n' {
            if let Some(&first) = open.first() {
                return Some(unclosed(first));
            }
            continue;
        }
        if c.is_control() && c != '\t' {
            return Some(UnsafeChar {
                at,
                c,
                message: format!("the file holds a control character (U+{:04X})", c as u32),
                help: "content files hold text only: remove it (a NUL or other control byte usually comes from pasting binary data)",
            });
        }
        if let Some(close) = opens(c) {
            open.push((at, c, close));
        } else if matches!(c, '\u{202C}' | '\u{2069}') {
            match open.last() {
                Some(&(_, _, want)) if want == c => {
                    open.pop();
                }
                _ => {
                    return Some(UnsafeChar {
                        at,
                        c,
                        message: format!("a bidirectional control character (U+{:04X}) closes nothing", c as u32),
                        help: "remove it: it closes no embedding, override or isolate opened before it on its line",
                    })
                }
            }
        }
    }
    open.first().map(|&first| unclosed(first))
}

/// Whether `bytes` (UTF-8) hold a byte sequence that begins a character
/// [`unsafe_char`] looks at: a control character other than tab and line
/// feed (C0, DEL, C1 as `C2 80`–`C2 9F`) or a bidirectional embedding,
/// override or isolate (`E2 80 AA`–`E2 80 AE`, `E2 81 A6`–`E2 81 A9`).
/// A byte scan, so that the usual file costs no character decoding.
fn may_hold_unsafe(bytes: &[u8]) -> bool {
    bytes.iter().enumerate().any(|(i, &b)| match b {
        b'\t' | b'\n' => false,
        0x00..=0x1F | 0x7F => true,
        0xC2 => matches!(bytes.get(i + 1), Some(0x80..=0x9F)),
        0xE2 => matches!(
            (bytes.get(i + 1), bytes.get(i + 2)),
            (Some(0x80), Some(0xAA..=0xAE)) | (Some(0x81), Some(0xA6..=0xA9))
        ),
        _ => false,
    })
}

/// Decodes UTF-8, dropping a BOM and turning CRLF into LF. On failure gives
/// the line and column of the first bad byte.
/// As `decode`, taking the bytes: valid UTF-8 without a BOM or CR becomes
/// the string without a copy.
fn decode_owned(mut bytes: Vec<u8>) -> Result<String, Undecodable> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(s) if !s.contains('\r') => Ok(s),
        Ok(s) => Ok(clean_text(&s)),
        Err(e) => {
            let position = decode(e.as_bytes()).err().unwrap_or((1, 1));
            Err((position, e.into_bytes()))
        }
    }
}

/// A decoding failure: the line and column of the first bad byte, and the
/// bytes (to quote the line).
type Undecodable = ((usize, usize), Vec<u8>);

pub fn decode(bytes: &[u8]) -> Result<String, (usize, usize)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(clean_text(s)),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let col = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
            Err((line, col))
        }
    }
}

/// CRLF to LF, lone CR to LF.
fn clean_text(s: &str) -> String {
    if s.contains('\r') {
        s.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        s.to_string()
    }
}

fn load_theme(dir: &Path) -> anyhow::Result<Option<Theme>> {
    if !dir.is_dir() {
        return Ok(None);
    }
    let mut theme = Theme::default();
    for sub in ["templates", "static", "i18n"] {
        let base = dir.join(sub);
        if !base.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&base).sort_by_file_name() {
            let entry = entry?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = display_path(&base, entry.path());
            let bytes = std::fs::read(entry.path())
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", entry.path().display()))?;
            if sub != "static" {
                let text =
                    String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("{} is not UTF-8", entry.path().display()))?;
                if sub == "templates" {
                    theme.templates.push((rel, text));
                } else {
                    theme.catalogues.push((rel, text));
                }
            } else {
                theme.statics.push((rel, bytes));
            }
        }
    }
    Ok(Some(theme))
}

/// Every regular file under `dir`, by `/`-separated relative path, sorted
/// (a built site, or the folder of a bag). A symbolic link is an error.
pub fn read_tree(dir: &Path) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    use anyhow::Context;
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).follow_links(false).sort_by_file_name() {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        if entry.path_is_symlink() {
            anyhow::bail!("{} is a symbolic link; a package holds files only", entry.path().display());
        }
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let rel: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
            let bytes =
                std::fs::read(entry.path()).with_context(|| format!("cannot read {}", entry.path().display()))?;
            files.push((rel.join("/"), bytes));
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

/// The files of a snapshot package: a bag's folder, a bag's `.tar`, or a
/// WACZ's entries.
pub fn read_package(path: &Path) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    use anyhow::Context;
    if path.is_dir() {
        return read_tree(path);
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    if bytes.starts_with(b"PK") {
        crate::snapshot::zip::read(&bytes).with_context(|| format!("cannot read {}", path.display()))
    } else if bytes.get(257..262) == Some(b"ustar") {
        crate::snapshot::tar::read(&bytes).with_context(|| format!("cannot read {}", path.display()))
    } else {
        anyhow::bail!("{} is neither a bag (a folder or a .tar) nor a WACZ", path.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_reports_the_first_bad_byte() {
        assert_eq!(decode(b"ok\nab\xffc"), Err((2, 3)));
        assert_eq!(decode(b"\xEF\xBB\xBFa\r\nb").unwrap(), "a\nb");
    }

    #[test]
    fn the_byte_scan_lets_through_only_text_without_unsafe_characters() {
        // Every character that `unsafe_char` looks at, alone and between
        // Arabic words, is seen by the byte scan.
        let flagged = (0u32..0x20)
            .filter(|&c| c != 9 && c != 10)
            .chain(0x7F..=0x9F)
            .chain(0x202A..=0x202E)
            .chain(0x2066..=0x2069)
            .filter_map(char::from_u32);
        for c in flagged {
            let text = format!("نص {c} آخر");
            assert!(may_hold_unsafe(text.as_bytes()), "U+{:04X}", c as u32);
        }
        // Guillemets, dashes, quotes, ellipses, no-break spaces, tabs and
        // newlines are text.
        for text in ["«مالي» — “كلام” … \u{A0}\t\n", "\u{2069}x", "a\u{2028}b"] {
            assert_eq!(
                may_hold_unsafe(text.as_bytes()),
                unsafe_char(text).is_some() || text.contains('\u{2069}'),
                "{text:?}"
            );
        }
    }

    #[test]
    fn unsafe_characters_are_found_where_they_are() {
        let at = |t: &str| unsafe_char(t).map(|u| (u.at, u.c));
        for (text, found) in [
            ("نص عادي\tمع جدولة\n", None),
            ("a\u{2067}b\u{2069}c\n\u{202B}x\u{202C}", None),
            ("a\u{202A}b\u{2066}c\u{2069}d\u{202C}", None),
            ("nul\0", Some((3, '\0'))),
            ("\u{1b}[31m", Some((0, '\u{1b}'))),
            ("ok\nab\u{202E}cd\nef", Some((5, '\u{202E}'))),
            ("ab\u{2069}", Some((2, '\u{2069}'))),
            // Closed in the wrong order: the PDF closes no embedding.
            ("a\u{202B}b\u{2067}c\u{202C}d\u{2069}", Some((9, '\u{202C}'))),
            ("end of file \u{2068}", Some((12, '\u{2068}'))),
        ] {
            assert_eq!(at(text), found, "{text:?}");
        }
        assert_eq!(defuse("a\u{0}b\u{202E}c\n"), "a\u{FFFD}b\u{FFFD}c\n");
    }

    #[test]
    fn utf16_is_recognised_with_or_without_its_mark() {
        assert_eq!(utf16(b"\xFF\xFEn\0a\0"), Some("little-endian"));
        assert_eq!(utf16(b"\0n\0a\0m\0e\0:"), Some("big-endian"));
        assert_eq!(utf16(b"n\0a\0m\0e\0:\0"), Some("little-endian"));
        assert_eq!(utf16("name: مالي".as_bytes()), None);
    }

    #[test]
    fn classify_rejects_wrong_extensions_and_folders() {
        assert!(classify(Path::new("entities/mali.yml")).is_err());
        assert!(classify(Path::new("stuff/x.md")).is_err());
        assert!(classify(Path::new("articles/a/b.md")).is_err());
        assert_eq!(classify(Path::new("articles/a.md")).unwrap().0, Kind::Article);
    }
}
