//! `milaf import`: turns a captured article (raw text as saved from the
//! web) into a draft article for editors. The capture itself is kept byte
//! for byte as the original; the draft body is the same text cleaned:
//! site chrome (comment forms, "related articles", copy-protection notices)
//! and repeated photo captions are dropped, short lines become headings,
//! Markdown's special characters are escaped so the text shows as written.
//! Import only drafts: editors then fix the front matter by hand.

use crate::diag::Diagnostic;
use sha2::{Digest, Sha256};

/// Lines that belong to the web page around the article, not to it.
const CHROME: &[&str] = &[
    "اترك تعليقاً",
    "اترك تعليقا",
    "لن يتم نشر عنوان بريدك الإلكتروني",
    "زر الذهاب إلى الأعلى",
    "مقالات ذات صلة",
    "هذا المحتوى محمي من القرصنة",
    "شارك هذا المقال",
];

/// A title or heading is a short line; a paragraph is longer or ends a
/// sentence.
const SHORT_WORDS: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// The complete Markdown file: front matter and body.
    pub article: String,
    pub sha256: String,
    /// What the import dropped, for the editor to review.
    pub dropped: Vec<String>,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn is_chrome(line: &str) -> bool {
    CHROME.iter().any(|c| line.contains(c))
}

fn is_short(line: &str) -> bool {
    let words = line.split_whitespace().count();
    words <= SHORT_WORDS && !line.ends_with(['.', ':', '،'])
}

/// Builds the draft. `title` overrides the title found in the text; when
/// the text has no title line and none is given, the first words of the
/// text stand in and the title is marked editorial.
pub fn draft(raw: &[u8], id: &str, title: Option<&str>) -> Result<Draft, Diagnostic> {
    let text = crate::load::decode(raw).map_err(|(line, col)| {
        Diagnostic::error(format!("the capture is not UTF-8 text (first bad byte at line {line}, column {col})"))
            .help("convert the file to UTF-8 first, e.g. with `iconv -f WINDOWS-1256 -t UTF-8`")
    })?;
    let mut dropped = Vec::new();
    let mut lines: Vec<&str> = Vec::new();
    let all: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    for (i, &line) in all.iter().enumerate() {
        let repeated = all.get(i + 1) == Some(&line) || (i > 0 && all[i - 1] == line);
        if is_chrome(line) || (repeated && is_short(line)) {
            dropped.push(line.to_string());
        } else {
            lines.push(line);
        }
    }
    // The title: the first short line of at least four words among the
    // first three; shorter lines before it are a section label, and a short
    // line right after it that names a source is a credit line.
    let mut found_title = None;
    for (i, line) in lines.iter().enumerate().take(3) {
        if is_short(line) && line.split_whitespace().count() >= 4 && lines.len() > i + 1 {
            found_title = Some(i);
            break;
        }
        if !is_short(line) {
            break;
        }
    }
    let mut body_from = 0;
    if let Some(t) = found_title {
        dropped.extend(lines[..t].iter().map(|s| s.to_string()));
        body_from = t + 1;
        if let Some(next) = lines.get(t + 1) {
            if next.starts_with("المصدر") && next.split_whitespace().count() <= 4 {
                dropped.push(next.to_string());
                body_from += 1;
            }
        }
    }
    let body_lines = &lines[body_from.min(lines.len())..];
    let editorial = title.is_some() || found_title.is_none();
    let title = match (title, found_title) {
        (Some(t), _) => t.to_string(),
        (None, Some(t)) => lines[t].to_string(),
        (None, None) => {
            let words: Vec<&str> = body_lines.first().map_or(vec![], |l| l.split_whitespace().take(8).collect());
            format!("{}…", words.join(" "))
        }
    };
    let mut body = String::new();
    for (i, line) in body_lines.iter().enumerate() {
        let next_is_longer = body_lines.get(i + 1).is_some_and(|n| !is_short(n));
        if is_short(line) && line.split_whitespace().count() <= 10 && next_is_longer && i > 0 {
            body.push_str("## ");
            body.push_str(&escape_markdown(line));
        } else {
            body.push_str(&escape_markdown(line));
        }
        body.push_str("\n\n");
    }
    let body = body.trim_end().to_string() + "\n";
    let sha256 = sha256_hex(raw);
    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let mut fm = String::from("---\n");
    fm.push_str(&format!("title: {}\n", q(&title)));
    if editorial {
        fm.push_str("title_editorial: true\n");
    }
    fm.push_str(&format!("original: {id}.txt\noriginal_sha256: {sha256}\n---\n"));
    Ok(Draft { article: fm + &body, sha256, dropped })
}

/// Escapes what Markdown would otherwise read as formatting, so the body
/// shows the captured words exactly.
pub fn escape_markdown(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '&' | '|' | '~') {
            out.push('\\');
        }
        out.push(c);
    }
    // Block markers only matter at the start of a line.
    let starts_block =
        out.starts_with('#') || out.starts_with("- ") || out.starts_with("+ ") || out.starts_with('=') || {
            let digits = out.chars().take_while(char::is_ascii_digit).count();
            digits > 0 && matches!(out[digits..].chars().next(), Some('.' | ')'))
        };
    if starts_block {
        let split = out.char_indices().find(|&(_, c)| !c.is_ascii_digit()).map_or(0, |(i, _)| i);
        let (head, tail) = out.split_at(if out.starts_with(|c: char| c.is_ascii_digit()) { split } else { 0 });
        out = format!("{head}\\{tail}");
    }
    out
}

/// Turns a file name into an id suggestion: lowercase ASCII, `-` for the rest.
pub fn id_from_name(name: &str) -> String {
    let mut id: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    while id.contains("--") {
        id = id.replace("--", "-");
    }
    let id = id.trim_matches('-').to_string();
    id.chars().take(64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chrome_and_repeated_captions_are_dropped_and_the_title_found() {
        let raw = "قسم\n\nعنوان المقال هنا بكلمات\n\nالمصدر وكالات\n\nصورة الوزير\nصورة الوزير\n\nفقرة أولى طويلة تنتهي بنقطة.\n\nعنوان فرعي\n\nفقرة ثانية طويلة جدا وفيها كلمات كثيرة تتجاوز الحد المعتاد للعناوين القصيرة في الصحف العربية اليوم.\n\nاترك تعليقاً\n";
        let d = draft(raw.as_bytes(), "x", None).unwrap();
        assert!(d.article.contains("title: \"عنوان المقال هنا بكلمات\"\n"), "{}", d.article);
        assert!(!d.article.contains("title_editorial"));
        assert!(d.article.contains("\n## عنوان فرعي\n"), "{}", d.article);
        assert!(!d.article.contains("اترك"));
        assert!(!d.article.contains("صورة الوزير"));
        assert!(!d.article.contains("المصدر"));
        assert_eq!(d.dropped.len(), 5);
    }

    #[test]
    fn markdown_characters_are_escaped() {
        assert_eq!(escape_markdown("1. أولا"), "1\\. أولا");
        assert_eq!(escape_markdown("# ليس عنوانا"), "\\# ليس عنوانا");
        assert_eq!(escape_markdown("a *b* <c>"), "a \\*b\\* \\<c\\>");
    }

    #[test]
    fn non_utf8_capture_is_an_error() {
        assert!(draft(b"\xff\xfe", "x", None).is_err());
    }
}
