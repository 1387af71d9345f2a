//! `milaf import`: turns a captured article (raw text as saved from the
//! web) into a draft article for editors. The capture itself is kept byte
//! for byte as the original; the draft body is the same text cleaned:
//! site chrome (comment forms, "related articles", copy-protection notices,
//! menus, share buttons, copyright lines) and repeated photo captions are
//! dropped, the headline is told from a banner or a section label above
//! it, short lines become headings, Markdown's special characters are
//! escaped so the text shows as written. Import only drafts: it lists what
//! it left out and why, and which front-matter fields the editor fills.

use crate::diag::Diagnostic;
use sha2::{Digest, Sha256};

/// Lines that belong to the web page around the article, not to it
/// (contained anywhere in the line).
const CHROME: &[&str] = &[
    "اترك تعليقاً",
    "اترك تعليقا",
    "لن يتم نشر عنوان بريدك الإلكتروني",
    "زر الذهاب إلى الأعلى",
    "مقالات ذات صلة",
    "هذا المحتوى محمي من القرصنة",
    "شارك هذا المقال",
    "جميع الحقوق محفوظة",
    "حقوق النشر محفوظة",
    "©",
    "Copyright",
    "All rights reserved",
];

/// Short lines that are a site's menus, share buttons and prompts, when
/// they are the whole line (normalised, compared exactly).
const MENU: &[&str] = &[
    "الرئيسيه",
    "اخر الاخبار",
    "اخبار",
    "الاخبار",
    "سياسه",
    "اقتصاد",
    "رياضه",
    "ثقافه",
    "منوعات",
    "فيديو",
    "صور",
    "اتصل بنا",
    "من نحن",
    "الاكثر قراءه",
    "الاكثر مشاهده",
    "تابعنا",
    "تابعونا",
    "بحث",
    "القائمه",
    "عاجل",
    "المزيد",
    "اقرا ايضا",
    "اقرا المزيد",
    "ذات صله",
    "اعلان",
    "تسجيل الدخول",
    "اشترك",
    "النشره البريديه",
    "شارك",
    "مشاركه",
    "فيسبوك",
    "تويتر",
    "واتساب",
    "تيليجرام",
    "تلغرام",
    "لينكدان",
    "انسخ الرابط",
    "نسخ الرابط",
    "طباعه",
    "facebook",
    "twitter",
    "whatsapp",
    "telegram",
    "linkedin",
    "x",
    "email",
    "print",
    "share",
];

/// A title or heading is a short line; a paragraph is longer or ends a
/// sentence.
const SHORT_WORDS: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// The complete Markdown file: front matter and body.
    pub article: String,
    pub sha256: String,
    /// What the import dropped from the body, each with why, for the editor
    /// to review (the original keeps every line).
    pub dropped: Vec<Dropped>,
    /// The front matter fields the editor has to fill, each with what it
    /// holds.
    pub to_fill: Vec<(&'static str, &'static str)>,
}

/// A line left out of the draft's body, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    pub line: String,
    pub why: &'static str,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Why a line is the page around the article, if it is.
fn chrome(line: &str) -> Option<&'static str> {
    if CHROME.iter().any(|c| line.contains(c)) {
        return Some(if line.contains('©') || line.contains("حقوق") || line.contains("ight") {
            "copyright line"
        } else {
            "site text around the article"
        });
    }
    let normal = crate::arabic::normalize(line).trim().to_lowercase();
    let normal = normal.trim_matches(|c: char| !c.is_alphanumeric());
    if MENU.contains(&normal) {
        return Some("menu or share label");
    }
    // A menu bar: several short labels between separators.
    let separators = line.matches(['|', '•', '»', '«', '/']).count();
    if separators >= 2 && line.split(['|', '•', '»', '«', '/']).all(|p| p.split_whitespace().count() <= 4) {
        return Some("menu bar");
    }
    // Share buttons in a row: every word is a network's name.
    let words: Vec<String> = line.split_whitespace().map(|w| crate::arabic::normalize(w).to_lowercase()).collect();
    if words.len() >= 2 && words.iter().all(|w| MENU.contains(&w.as_str())) {
        return Some("menu or share label");
    }
    None
}

fn is_short(line: &str) -> bool {
    let words = line.split_whitespace().count();
    words <= SHORT_WORDS && !line.ends_with(['.', ':', '،'])
}

/// A line that is only a date (`12 يونيو 2025`, `2025-06-12`,
/// `الخميس 12 يونيو 2025 - 10:30`): its EDTF value.
fn date_line(line: &str) -> Option<String> {
    let iso = line.trim();
    if iso.len() == 10 && crate::date::parse(iso).is_ok() {
        return Some(iso.to_string());
    }
    let found = crate::suggest::find_dates(line, None);
    let f = found.first()?;
    let rest = format!("{}{}", &line[..f.start], &line[f.end..]);
    // What is left is a weekday, a time, separators.
    let letters = rest.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).count();
    (letters <= 1 && !f.edtf.is_empty()).then(|| f.edtf.clone())
}

/// Builds the draft. `title` overrides the title found in the text; when
/// the text has no title line and none is given, the first words of the
/// text stand in and the title is marked editorial.
///
/// The headline is the longest short line (three words or more) before the
/// first paragraph, so a site's banner, its menus, a section label, a
/// byline or a date above the article are not taken for it; they are left
/// out of the body and listed. A date line there becomes `published:`.
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
        if let Some(why) = chrome(line) {
            dropped.push(Dropped { line: line.to_string(), why });
        } else if repeated && is_short(line) {
            dropped.push(Dropped { line: line.to_string(), why: "repeated line (a photo caption)" });
        } else {
            lines.push(line);
        }
    }
    // The body starts at the first paragraph; the lines above it hold the
    // headline and what sites print around it.
    let first_paragraph = lines.iter().position(|l| !is_short(l)).unwrap_or(lines.len());
    let head = &lines[..first_paragraph];
    let is_credit = |l: &str| {
        let n = crate::arabic::normalize(l);
        (n.starts_with("المصدر") || n.starts_with("بقلم") || n.starts_with("كتب") || n.starts_with("تحرير"))
            && l.split_whitespace().count() <= 6
    };
    // A line with a site's separator (`العنوان | الموقع`) is a banner or
    // the page's title bar: the headline only when nothing else is.
    let banner = |l: &str| l.contains(" | ") || l.contains(" - ") || l.contains(" – ");
    let found_title = head
        .iter()
        .enumerate()
        .filter(|(_, l)| l.split_whitespace().count() >= 3 && date_line(l).is_none() && !is_credit(l))
        .max_by_key(|(i, l)| (!banner(l), l.split_whitespace().count(), *i))
        .map(|(i, _)| i);
    let mut published = None;
    for (i, line) in head.iter().enumerate() {
        if Some(i) == found_title {
            continue;
        }
        let why = if let Some(date) = date_line(line) {
            published.get_or_insert(date);
            "date line (taken as `published:`, check it)"
        } else if is_credit(line) {
            "credit or byline"
        } else if found_title.is_some_and(|t| i < t) {
            "above the headline (banner or section label)"
        } else {
            "between the headline and the text"
        };
        dropped.push(Dropped { line: line.to_string(), why });
    }
    let body_lines = &lines[first_paragraph..];
    let editorial = title.is_some() || found_title.is_none();
    let title = match (title, found_title) {
        (Some(t), _) => t.to_string(),
        (None, Some(t)) => head[t].to_string(),
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
    let mut to_fill = vec![("outlet", "who published the article (or `outlet_note:` saying why it is unknown)")];
    match &published {
        Some(date) => fm.push_str(&format!("published: {date}\n")),
        None => to_fill.push(("published", "the date of publication, such as 2022-03-31 (or `published_note:`)")),
    }
    to_fill.push(("url", "the address where it was published (delete the line if none)"));
    for (field, what) in &to_fill {
        fm.push_str(&format!("# {field}: {what}\n"));
    }
    fm.push_str(&format!("original: {id}.txt\noriginal_sha256: {sha256}\n---\n"));
    Ok(Draft { article: fm + &body, sha256, dropped, to_fill })
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
    fn the_headline_is_found_under_a_banner_and_menus() {
        let raw = "موقع الأخبار العربية | الصفحة الرئيسية\nالرئيسية\nآخر الأخبار\nسياسة | اقتصاد | رياضة\nشؤون إفريقية\nفاغنر تغادر مالي بعد ثلاث سنوات من الانتشار\nالخميس 12 يونيو 2025\nبقلم: محرر الموقع\nشارك\nفيسبوك تويتر واتساب\nأعلنت مجموعة فاغنر الروسية انسحابها من مالي بعد ثلاث سنوات ونصف من الانتشار في البلاد.\n\nوقال مصدر إن عناصرها يغادرون تباعا.\n\n© 2025 جميع الحقوق محفوظة\n";
        let d = draft(raw.as_bytes(), "x", None).unwrap();
        assert!(d.article.contains("title: \"فاغنر تغادر مالي بعد ثلاث سنوات من الانتشار\"\n"), "{}", d.article);
        assert!(d.article.contains("published: 2025-06-12\n"), "{}", d.article);
        assert!(d.article.contains("# outlet: "), "{}", d.article);
        assert!(!d.article.contains("# published: "), "{}", d.article);
        let body = d.article.split("\n---\n").nth(1).unwrap();
        assert!(body.starts_with("أعلنت مجموعة فاغنر"), "{body}");
        for gone in ["الرئيسية", "آخر الأخبار", "سياسة", "فيسبوك", "بقلم", "©", "شؤون إفريقية"]
        {
            assert!(!body.contains(gone), "{gone} in {body}");
        }
        let why = |l: &str| d.dropped.iter().find(|x| x.line.contains(l)).map(|x| x.why).unwrap_or("kept");
        assert_eq!(why("آخر الأخبار"), "menu or share label");
        assert_eq!(why("سياسة | اقتصاد"), "menu bar");
        assert_eq!(why("فيسبوك تويتر"), "menu or share label");
        assert_eq!(why("جميع الحقوق"), "copyright line");
        assert_eq!(why("بقلم"), "credit or byline");
        assert_eq!(why("شؤون إفريقية"), "above the headline (banner or section label)");
        assert!(why("12 يونيو").starts_with("date line"));
        let fields: Vec<&str> = d.to_fill.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["outlet", "url"]);
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
