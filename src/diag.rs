//! Diagnostics written for editors: every problem milaf finds in content is
//! a `Diagnostic` that names the file, the line and column of the offending
//! value, quotes that line with a caret under the value, and says how to fix
//! it. Stages collect all of them instead of stopping at the first, and the
//! printer renders them like rustc (or, for CI, as JSON or as GitHub Actions
//! annotations), so an editor fixes a whole batch of mistakes in one round.

use serde::Serialize;
use std::fmt::Write as _;

/// How serious a problem is: errors stop the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Where in a source file a problem sits. Lines and columns count from 1;
/// columns and lengths count characters, not bytes, so the caret lands under
/// the right Arabic letter.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
    #[serde(skip)]
    pub len: usize,
    #[serde(skip)]
    pub line_text: String,
}

/// One problem in the content, with what the editor should do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, message: message.into(), location: None, help: None }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(message) }
    }

    /// Places the diagnostic on a byte range of a source text. Out-of-range
    /// or mid-character offsets are clamped, never a panic.
    pub fn at(mut self, file: &str, text: &str, start: usize, end: usize) -> Self {
        self.location = Some(locate(file, text, start, end));
        self
    }

    /// Points at a span of the file (a YAML value's).
    pub fn at_span(self, file: &str, text: &str, span: crate::yaml::Span) -> Self {
        self.at(file, text, span.start, span.end)
    }

    /// Names a file without a position (a file that cannot be read as text).
    pub fn in_file(mut self, file: &str) -> Self {
        self.location = Some(Location { file: file.to_string(), line: 0, column: 0, len: 0, line_text: String::new() });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Turns a byte range into a line, a column and the line's text.
pub fn locate(file: &str, text: &str, start: usize, end: usize) -> Location {
    let start = floor_boundary(text, start.min(text.len()));
    let end = floor_boundary(text, end.clamp(start, text.len()));
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = memchr::memchr_iter(b'\n', &text.as_bytes()[..start]).count() + 1;
    let column = text[line_start..start].chars().count() + 1;
    let len = text[start..end.min(line_end)].chars().count().max(1);
    Location {
        file: file.to_string(),
        line,
        column,
        len,
        line_text: text[line_start..line_end].trim_end_matches('\r').to_string(),
    }
}

/// Where the lines of a text start, for the line of many offsets in one
/// file ([`locate`] reads the text from its start for each).
pub struct Lines(Vec<usize>);

impl Lines {
    pub fn new(text: &str) -> Lines {
        Lines(memchr::memchr_iter(b'\n', text.as_bytes()).collect())
    }

    /// The line (from 1) that byte `offset` is on, as [`locate`] gives it.
    pub fn line(&self, offset: usize) -> usize {
        self.0.partition_point(|&feed| feed < offset) + 1
    }
}

pub fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Sorts diagnostics by file and position so output is deterministic and
/// reads top to bottom, whatever order the parallel stages found them in.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        let key = |d: &Diagnostic| d.location.as_ref().map(|l| (l.file.clone(), l.line, l.column));
        key(a).cmp(&key(b)).then(a.severity.cmp(&b.severity)).then(a.message.cmp(&b.message))
    });
}

/// Renders diagnostics the way rustc does.
pub fn render_human(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        let label = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(out, "{label}: {}", d.message);
        // The notes line up with the gutter of the quoted line.
        let mut note_pad = " ".to_string();
        if let Some(loc) = &d.location {
            if loc.line == 0 {
                let _ = writeln!(out, "  --> {}", loc.file);
            } else {
                let gutter = loc.line.to_string().len();
                let pad = " ".repeat(gutter);
                note_pad = pad.clone();
                let _ = writeln!(out, "{pad}--> {}:{}:{}", loc.file, loc.line, loc.column);
                let _ = writeln!(out, "{pad} |");
                let (shown, column) = window(&loc.line_text, loc.column);
                let _ = writeln!(out, "{} | {}", loc.line, shown);
                let before: String =
                    shown.chars().take(column - 1).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
                let _ = writeln!(out, "{pad} | {before}{}", "^".repeat(loc.len));
                // A terminal lays a right-to-left line out in its own order,
                // so the caret may sit under other words: name them.
                if loc.line_text.chars().any(is_rtl) {
                    let marked: String = loc.line_text.chars().skip(loc.column - 1).take(loc.len).collect();
                    if !marked.trim().is_empty() {
                        let _ = writeln!(out, "{pad} = marked: «{}» (column {})", marked.trim(), loc.column);
                    }
                }
            }
        }
        if let Some(help) = &d.help {
            let _ = writeln!(out, "{note_pad} = help: {help}");
        }
        out.push('\n');
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    if errors + warnings > 0 {
        let _ = writeln!(out, "{errors} error(s), {warnings} warning(s)");
    }
    out
}

/// A letter of a right-to-left script (Hebrew, Arabic, Syriac, Thaana, NKo
/// and their presentation forms).
fn is_rtl(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// A long line (a Markdown paragraph in a YAML block) is shown as a window
/// around the caret, so the error stays readable in a terminal.
fn window(line: &str, column: usize) -> (String, usize) {
    const SIDE: usize = 50;
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= 2 * SIDE + 20 {
        return (line.to_string(), column);
    }
    let start = column.saturating_sub(1).saturating_sub(SIDE);
    let end = (column + SIDE + 20).min(chars.len());
    let mut shown = String::new();
    let mut col = column - start;
    if start > 0 {
        shown.push('…');
        col += 1;
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push('…');
    }
    (shown, col)
}

pub fn render_json(diags: &[Diagnostic]) -> String {
    serde_json::to_string_pretty(diags).unwrap_or_else(|_| "[]".to_string())
}

/// Renders diagnostics as GitHub Actions workflow commands, one line each
/// (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=milaf::…`),
/// which the runner shows as annotations on the files of a pull request.
/// The help follows the message on its own line. `endColumn` is exclusive,
/// one past the last character of the value. A diagnostic on a whole file
/// has no line; one without a file has no `file=`.
pub fn render_github(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut properties = Vec::new();
        if let Some(loc) = &d.location {
            properties.push(format!("file={}", github_property(&loc.file)));
            if loc.line > 0 {
                properties.push(format!(
                    "line={0},col={1},endLine={0},endColumn={2}",
                    loc.line,
                    loc.column,
                    loc.column + loc.len.max(1)
                ));
            }
        }
        properties.push("title=milaf".to_string());
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let _ = writeln!(out, "::{command} {}::{}", properties.join(","), github_data(&message));
    }
    out
}

/// Escapes the message of a workflow command: the runner reads `%` escapes
/// and ends the command at a line break.
fn github_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value of a workflow command: as the message, and
/// also `:` (which ends the properties) and `,` (which separates them).
fn github_property(s: &str) -> String {
    github_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The closest known id to a mistyped one, for a `help: did you mean` line.
pub fn suggest<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (strsim::normalized_levenshtein(wanted, k), k))
        .filter(|(score, _)| *score >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(a.1)))
        .map(|(_, k)| k)
}

pub fn did_you_mean<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    match suggest(wanted, known) {
        Some(k) => format!("did you mean '{k}'?"),
        None => "no id of that kind is close; check the spelling or create it".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_counts_characters_not_bytes() {
        let text = "a: 1\nاسم: سادیو\n";
        let start = text.find("سادیو").unwrap();
        let loc = locate("f.yaml", text, start, start + "سادیو".len());
        assert_eq!((loc.line, loc.column, loc.len), (2, 6, 5));
    }

    #[test]
    fn lines_give_the_line_locate_gives_at_every_offset() {
        for text in ["", "\n", "a", "a: 1\nاسم: سادیو\n", "\n\nx\r\ny\n\n", "- id: a\n  date: 2023\n- id: b"] {
            let lines = Lines::new(text);
            for offset in 0..=text.len() + 2 {
                assert_eq!(lines.line(offset), locate("f", text, offset, offset).line, "{text:?} at {offset}");
            }
        }
    }

    #[test]
    fn a_right_to_left_line_names_the_words_under_its_caret() {
        let text = "quote: مطار باماكو الدولي\n";
        let start = text.find("باماكو").unwrap();
        let d = Diagnostic::error("x").at("f.yaml", text, start, start + "باماكو".len());
        assert!(render_human(&[d]).contains("  = marked: «باماكو» (column 13)"), "{}", render_human(&[]));
        let latin = Diagnostic::error("x").at("f.yaml", "speaker: omar\n", 9, 13);
        assert!(!render_human(&[latin]).contains("marked"));
    }

    #[test]
    fn human_output_has_arrow_line_caret_and_help() {
        let text = "speaker: sadio-kamara\n";
        let d = Diagnostic::error("unknown entity 'sadio-kamara'")
            .at("content/a.yaml", text, 9, 21)
            .help("did you mean 'sadio-camara'?");
        let out = render_human(&[d]);
        assert!(out.contains("--> content/a.yaml:1:10"), "{out}");
        assert!(out.contains("1 | speaker: sadio-kamara"), "{out}");
        assert!(out.contains("  |          ^^^^^^^^^^^^"), "{out}");
        assert!(out.contains("= help: did you mean 'sadio-camara'?"), "{out}");
    }

    #[test]
    fn github_output_is_one_escaped_workflow_command_per_diagnostic() {
        let text = "- id: x\n  speaker: sadio-kamara\n";
        let at = text.find("sadio").unwrap();
        let cases: Vec<(Diagnostic, &str)> = vec![
            (
                Diagnostic::error("unknown entity 'sadio-kamara'")
                    .at("content/annotations/a.yaml", text, at, at + "sadio-kamara".len())
                    .help("did you mean 'sadio-camara'?"),
                "::error file=content/annotations/a.yaml,line=2,col=12,endLine=2,endColumn=24,title=milaf\
                 ::unknown entity 'sadio-kamara'%0Ahelp: did you mean 'sadio-camara'?",
            ),
            // Arabic text is written as it is; columns count characters.
            (
                Diagnostic::warning("الاقتباس في الفقرة 3").at("content/events/أحداث.yaml", "title: نص عربي\n", 7, 11),
                "::warning file=content/events/أحداث.yaml,line=1,col=8,endLine=1,endColumn=10,title=milaf\
                 ::الاقتباس في الفقرة 3",
            ),
            // `:` and `,` end or separate properties, so a path escapes
            // them; the message keeps them.
            (
                Diagnostic::error("a: b, c").at("content/x,y:z.yaml", "k: v\n", 3, 4),
                "::error file=content/x%2Cy%3Az.yaml,line=1,col=4,endLine=1,endColumn=5,title=milaf::a: b, c",
            ),
            // `%` and line breaks are escaped in the message and the help.
            (
                Diagnostic::error("100% wrong\r\nsecond line").help("first\nsecond"),
                "::error title=milaf::100%25 wrong%0D%0Asecond line%0Ahelp: first%0Asecond",
            ),
            // A whole file: no line or column.
            (
                Diagnostic::error("the file is not valid UTF-8 text").in_file("content/entities/latin1.yaml"),
                "::error file=content/entities/latin1.yaml,title=milaf::the file is not valid UTF-8 text",
            ),
        ];
        for (diag, expected) in cases {
            assert_eq!(render_github(&[diag]), format!("{expected}\n"));
        }
    }

    #[test]
    fn suggestion_picks_the_nearest_id() {
        let known = ["sadio-camara", "omar-diarra", "mali"];
        assert_eq!(suggest("sadio-kamara", known), Some("sadio-camara"));
        assert_eq!(suggest("zzzzzz", known), None);
    }
}
