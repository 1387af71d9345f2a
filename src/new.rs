//! `milaf new`: the skeletons of the files editors write by hand (an
//! article, an entity, an event, a note on an article), each field with a
//! one-line comment saying what goes there, and the check that none of
//! their blanks is left. A value the command was not given is written as a
//! placeholder, `{{fill: what goes here}}`; `check` reports every one left
//! in any content file as an error at its position, and nothing else about
//! that value (an unfilled date is not also "not a date"), so a skeleton
//! can never pass for finished content and the editor sees one message per
//! blank. Everything here is text in, text out, so it is tested on strings:
//! `main.rs` reads the dossier and writes the file.

use crate::diag::Diagnostic;
use crate::load::SourceFile;
use crate::model::NoteKind;

/// How a placeholder starts; it ends at the next `}}` on its line.
pub const PLACEHOLDER: &str = "{{fill:";
const PLACEHOLDER_END: &str = "}}";

fn placeholder(what: &str) -> String {
    format!("{PLACEHOLDER} {what}{PLACEHOLDER_END}")
}

/// A YAML double-quoted scalar: JSON's string syntax is valid YAML, and
/// quoting keeps `: `, `#` and a leading quote mark from meaning YAML.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// The value of a field: what the command was given, or a placeholder.
fn value(given: Option<&str>, what: &str) -> String {
    quoted(given.unwrap_or(&placeholder(what)))
}

/// An id field: the id the command was given (checked, so plain), or a
/// placeholder.
fn id_value(given: Option<&str>, what: &str) -> String {
    given.map_or_else(|| quoted(&placeholder(what)), str::to_string)
}

/// Appends `# comment` and `key: value` lines at `indent`.
fn field(out: &mut String, indent: &str, comment: &str, key: &str, value: &str) {
    out.push_str(&format!("{indent}# {comment}\n{indent}{key}: {value}\n"));
}

/// Appends a comment and an optional field left commented out.
fn optional(out: &mut String, indent: &str, comment: &str, lines: &[&str]) {
    out.push_str(&format!("{indent}# {comment}\n"));
    for line in lines {
        out.push_str(&format!("{indent}# {line}\n"));
    }
}

const DATE_HELP: &str =
    "2022-03-31, 2022-03 or 2022; end with ~ if approximate, ? if uncertain; 2023-11/2023-12 for a span";

/// What `milaf new article` was told.
#[derive(Debug, Default)]
pub struct ArticleFields<'a> {
    pub title: Option<&'a str>,
    pub outlet: Option<&'a str>,
    pub url: Option<&'a str>,
    pub published: Option<&'a str>,
}

/// `content/articles/<id>.md`: front matter, then a placeholder for the text.
pub fn article(id: &str, f: &ArticleFields) -> String {
    let mut s = String::from("---\n");
    field(
        &mut s,
        "",
        "The headline as published (required); if the editors wrote it, add a line `title_editorial: true`.",
        "title",
        &value(f.title, "the headline as published"),
    );
    field(
        &mut s,
        "",
        "The newspaper, agency or website that published the article.",
        "outlet",
        &value(f.outlet, "the outlet that published it"),
    );
    field(
        &mut s,
        "",
        "The address where it was published (http or https); delete the line if it has none.",
        "url",
        &value(f.url, "the address where it was published"),
    );
    field(
        &mut s,
        "",
        &format!("When it was published: {DATE_HELP}."),
        "published",
        &value(f.published, "the date of publication, such as 2022-03-31"),
    );
    optional(
        &mut s,
        "",
        "How the date was worked out, when the article does not print it (optional).",
        &["published_note: \"\""],
    );
    optional(&mut s, "", "How the outlet was worked out, or why it is unknown (optional).", &["outlet_note: \"\""]);
    optional(
        &mut s,
        "",
        "The article's language when it is not the dossier's, as a tag such as fr or en (optional).",
        &["lang: fr"],
    );
    optional(
        &mut s,
        "",
        "The text as captured, in content/originals/, and its SHA-256 (`milaf import` writes both).",
        &[&format!("original: {id}.txt"), "original_sha256: \"\""],
    );
    s.push_str("# After the closing line: the cleaned text, paragraphs separated by blank lines, `## ` before a sub-heading.\n");
    s.push_str("---\n");
    s.push_str(&placeholder("the text of the article, one paragraph per block, a blank line between paragraphs"));
    s.push('\n');
    s
}

/// `content/entities/<id>.yaml`. `kind` is one of the dossier's kinds,
/// listed in the comment as the editor's reminder.
pub fn entity(kind: &str, kinds: &[String], name: Option<&str>) -> String {
    let mut s = String::new();
    field(
        &mut s,
        "",
        "The name as the dossier writes it (required); it is also looked for in the articles, like an alias.",
        "name",
        &value(name, "the name as the dossier writes it"),
    );
    field(
        &mut s,
        "",
        &format!("What it is, one of the kinds in content/dossier.yaml: {}.", kinds.join(", ")),
        "kind",
        kind,
    );
    optional(&mut s, "", "Its role or title in one line, shown with its name (optional).", &["role: \"\""]);
    field(
        &mut s,
        "",
        "Other spellings the articles use (variants, a Latin form): every one is linked wherever it occurs.",
        "aliases",
        "[]",
    );
    field(
        &mut s,
        "",
        "Who or what it is, in Markdown; cite the passage that says so as [@article-id \"exact words\"].",
        "description",
        &format!("|\n  {}", placeholder("who or what it is, with a citation of the passage that says so")),
    );
    optional(
        &mut s,
        "",
        "Links to other entities, each `- { to: <entity-id>, label: …, inverse: … }`: the label as read on this page, the inverse as read on the other's (optional).",
        &["relations: []"],
    );
    optional(
        &mut s,
        "",
        "Phrases that look like an alias but do not mean this entity (optional).",
        &["not_mentions: []"],
    );
    optional(&mut s, "", "false: never link its mentions (optional).", &["link: true"]);
    s
}

/// What `milaf new event` was told.
#[derive(Debug, Default)]
pub struct EventFields<'a> {
    pub date: Option<&'a str>,
    pub title: Option<&'a str>,
    pub article: Option<&'a str>,
    pub quote: Option<&'a str>,
}

/// One item of an event file, from its `- id:` line to its last line.
pub fn event(id: &str, f: &EventFields) -> String {
    let i = "  ";
    let mut s = format!("- id: {id}  # unique among all the events of content/events/\n");
    field(
        &mut s,
        i,
        &format!("When it happened: {DATE_HELP}."),
        "date",
        &value(f.date, "the date, such as 2022-03-31"),
    );
    field(&mut s, i, "What happened, in one line.", "title", &value(f.title, "what happened, in one line"));
    field(
        &mut s,
        i,
        "The account in Markdown, with citations; say how a relative date (\"last March\") was worked out.",
        "body",
        &format!("|\n{i}  {}", placeholder("what happened, and how its date was worked out")),
    );
    field(&mut s, i, "The entities involved, by id, such as [mali, russia].", "entities", "[]");
    s.push_str(&format!(
        "{i}# At least one source: an article's id and its exact words that report it (or `paragraph: N` for a whole paragraph).\n"
    ));
    s.push_str(&format!("{i}sources:\n"));
    s.push_str(&format!("{i}  - article: {}\n", id_value(f.article, "the id of the article that reports it")));
    s.push_str(&format!("{i}    quote: {}\n", value(f.quote, "the exact words of the article that report it")));
    s
}

/// What `milaf new note` was told.
#[derive(Debug, Default)]
pub struct NoteFields<'a> {
    pub kind: NoteKind,
    pub speaker: Option<&'a str>,
    pub quote: Option<&'a str>,
}

/// One item of an annotation file, from its `- id:` line to its last line.
pub fn note(id: &str, f: &NoteFields) -> String {
    let i = "  ";
    let mut s = format!("- id: {id}  # unique within this file\n");
    field(
        &mut s,
        i,
        "note (an editorial footnote), quote (a statement attributed to a speaker), context or correction.",
        "kind",
        f.kind.as_str(),
    );
    if f.kind == NoteKind::Quote {
        field(
            &mut s,
            i,
            "Who said it, by entity id.",
            "speaker",
            &id_value(f.speaker, "the id of the entity who said it"),
        );
    }
    field(
        &mut s,
        i,
        "The exact words of the passage the note is about, copied from the article.",
        "quote",
        &value(f.quote, "the exact words of the passage"),
    );
    optional(
        &mut s,
        i,
        "When these words occur more than once: the text just before or after them, or their paragraph (optional).",
        &["prefix: \"\"", "suffix: \"\"", "paragraph: 1"],
    );
    field(&mut s, i, "The entities the note is about, by id, such as [mali] (optional).", "entities", "[]");
    field(
        &mut s,
        i,
        "The note in Markdown; it may cite [@article-id \"exact words\"] and link [[entity-id]].",
        "body",
        &format!("|\n{i}  {}", placeholder("the note, with a citation for each fact it adds")),
    );
    s
}

/// The bytes to append to a list file so that `item` follows its items
/// after one blank line; the file's own bytes stay as they are. A file
/// that holds something other than `- ` items is refused.
pub fn append(existing: &str, item: &str) -> Result<String, String> {
    let meaningful = |l: &&str| !l.trim().is_empty() && !l.trim_start().starts_with('#');
    let has_items = existing.lines().any(|l| l.starts_with("- ") || l.trim_end() == "-");
    if !has_items && existing.lines().any(|l| meaningful(&l)) {
        return Err("it does not hold a list of `- ` items, so a new item cannot be added after them".to_string());
    }
    let crlf = existing.contains("\r\n");
    // The line breaks the file ends with: none, one (a last line), or a
    // blank line already.
    let ending = existing.bytes().rev().take_while(|b| matches!(b, b'\n' | b'\r')).filter(|&b| b == b'\n').count();
    let mut out = match (existing.is_empty(), ending) {
        (true, _) | (false, 2..) => String::new(),
        (false, 1) => "\n".to_string(),
        (false, _) => "\n\n".to_string(),
    };
    out.push_str(item);
    Ok(if crlf { out.replace('\n', "\r\n") } else { out })
}

/// The line (from 1) where a list file's top-level item has the `id:`
/// `id`, read from the text alone, so that an item the parser would reject
/// (a blank date, a broken field) still counts.
pub fn find_id(text: &str, id: &str) -> Option<usize> {
    // The indentation of the current item's keys, once known.
    let mut keys_at: Option<usize> = None;
    let mut in_item = false;
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        let first_key = if let Some(rest) = line.strip_prefix('-').filter(|r| r.is_empty() || r.starts_with(' ')) {
            in_item = true;
            let content = rest.trim_start();
            if content.is_empty() || content.starts_with('#') {
                keys_at = None;
                continue;
            }
            keys_at = Some(line.len() - content.len());
            content
        } else if in_item && keys_at.is_none_or(|k| k == indent) {
            keys_at = Some(indent);
            trimmed
        } else {
            continue;
        };
        if id_of(first_key).is_some_and(|v| v == id) {
            return Some(n + 1);
        }
    }
    None
}

/// The value of `id:` in a block key line (`id: x  # …`) or a flow mapping
/// (`{ id: x, … }`), without quotes.
fn id_of(line: &str) -> Option<&str> {
    let rest = if let Some(flow) = line.strip_prefix('{') {
        let at = flow.split(',').map(str::trim_start).find(|p| p.starts_with("id:"))?;
        at.strip_prefix("id:")?.split('}').next()?
    } else {
        line.strip_prefix("id:")?
    };
    let rest = rest.split(" #").next()?.trim();
    Some(rest.trim_matches(['"', '\'']))
}

/// Checks an id from the command line.
pub fn check_id(what: &str, id: &str) -> Result<(), String> {
    if crate::model::is_valid_id(id) {
        Ok(())
    } else {
        Err(format!("`{id}` is not a valid {what} id: {}", crate::model::ID_HELP))
    }
}

/// Checks a date from the command line with the dossier's own date parser.
pub fn check_date(date: &str) -> Result<(), String> {
    crate::date::parse(date).map(|_| ()).map_err(|e| format!("`{date}` is not a valid date: {}; {}", e.message, e.help))
}

/// Checks an article address from the command line, as `check` would.
pub fn check_url(url: &str) -> Result<(), String> {
    if url.starts_with("https://") || url.starts_with("http://") {
        Ok(())
    } else {
        Err(format!("`{url}` is not an http(s) address: give the address where the article was published"))
    }
}

/// Checks an entity kind against the kinds of `dossier.yaml`.
pub fn check_kind(kind: &str, kinds: &[String]) -> Result<(), String> {
    if kinds.iter().any(|k| k == kind) {
        return Ok(());
    }
    let hint = match crate::diag::suggest(kind, kinds.iter().map(String::as_str)) {
        Some(k) => format!(" (did you mean `{k}`?)"),
        None => String::new(),
    };
    Err(format!(
        "`{kind}` is not an entity kind of this dossier{hint}; content/dossier.yaml declares: {}",
        kinds.join(", ")
    ))
}

/// Which file of `content/events/` a new event goes to: the one asked for
/// (`events/x.yaml`, `content/events/x.yaml`, `x.yaml` or `x`), else the
/// only event file there is, else `events.yaml`. `existing` are the names
/// of the files already there.
pub fn events_file(asked: Option<&str>, existing: &[String]) -> Result<String, String> {
    let Some(asked) = asked else {
        return Ok(match existing {
            [only] => only.clone(),
            _ => "events.yaml".to_string(),
        });
    };
    let name = asked.trim_start_matches("./");
    let name = name.strip_prefix("content/").unwrap_or(name);
    let name = name.strip_prefix("events/").unwrap_or(name);
    let name = if name.contains('.') { name.to_string() } else { format!("{name}.yaml") };
    if name.contains(['/', '\\']) || name.starts_with('.') || !name.ends_with(".yaml") || name == ".yaml" {
        return Err(format!(
            "`{asked}` is not an event file: event files are `.yaml` files directly in content/events/, such as events/{}",
            existing.first().map_or("events.yaml", String::as_str)
        ));
    }
    Ok(name)
}

/// A placeholder found in a text: its byte range and what it asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blank<'a> {
    pub start: usize,
    pub end: usize,
    pub what: &'a str,
}

/// Every placeholder in `text`. One without its closing `}}` runs to the
/// end of its line.
pub fn blanks(text: &str) -> Vec<Blank<'_>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = text[from..].find(PLACEHOLDER) {
        let start = from + p;
        let inner = start + PLACEHOLDER.len();
        let line_end = text[inner..].find('\n').map_or(text.len(), |i| inner + i);
        let (what_end, end) = match text[inner..line_end].find(PLACEHOLDER_END) {
            Some(i) => (inner + i, inner + i + PLACEHOLDER_END.len()),
            None => (line_end, line_end),
        };
        out.push(Blank { start, end, what: text[inner..what_end].trim() });
        from = end;
    }
    out
}

/// The placeholders of a text from byte `from` on, as (line, what asks
/// for), for the command to list what is left to fill in.
pub fn blank_lines(text: &str, from: usize) -> Vec<(usize, String)> {
    blanks(text)
        .into_iter()
        .filter(|b| b.start >= from)
        .map(|b| (text[..b.start].matches('\n').count() + 1, b.what.to_string()))
        .collect()
}

/// One error for every placeholder left in a content file (the `parse`
/// stage asks, file by file, before it shortens an article to its front
/// matter).
pub fn unfilled(f: &SourceFile) -> Vec<Diagnostic> {
    if !f.text.contains(PLACEHOLDER) {
        return Vec::new();
    }
    blanks(&f.text)
        .into_iter()
        .map(|b| {
            Diagnostic::error(format!("unfilled placeholder: {}", b.what))
                .at(&f.path, &f.text, b.start, b.end)
                .help("replace `{{fill: …}}`, braces included, with what it asks for (`milaf new` left it here)")
        })
        .collect()
}

/// Drops the diagnostics that sit on a placeholder: an unfilled value is
/// reported as unfilled, not also as a bad date or an unknown id.
pub fn drop_covered(diags: &mut Vec<Diagnostic>, unfilled: &[Diagnostic]) {
    if unfilled.is_empty() {
        return;
    }
    diags.retain(|d| {
        let Some(at) = &d.location else { return true };
        !unfilled.iter().filter_map(|u| u.location.as_ref()).any(|b| {
            b.file == at.file && b.line == at.line && at.line > 0 && (b.column..b.column + b.len).contains(&at.column)
        })
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_found_with_what_they_ask_for() {
        let text = "a: \"{{fill: the date}}\"\nb: {{fill: no end\nc: {{fill:x}} and {{fill: y }}\n";
        let found: Vec<(&str, &str)> = blanks(text).iter().map(|b| (&text[b.start..b.end], b.what)).collect();
        assert_eq!(
            found,
            [
                ("{{fill: the date}}", "the date"),
                ("{{fill: no end", "no end"),
                ("{{fill:x}}", "x"),
                ("{{fill: y }}", "y")
            ]
        );
        assert_eq!(blank_lines(text, 5), [(2, "no end".to_string()), (3, "x".to_string()), (3, "y".to_string())]);
        assert!(blanks("title: {{ fill }} {fill: x}").is_empty());
    }

    #[test]
    fn an_unfilled_placeholder_is_one_error_at_its_place() {
        let text = "- id: e\n  date: \"{{fill: the date}}\"\n";
        let file = SourceFile::text(crate::load::Kind::Events, "content/events/e.yaml", text);
        let found = unfilled(&file);
        assert_eq!(found.len(), 1);
        let at = found[0].location.as_ref().unwrap();
        assert_eq!((at.line, at.column, at.len), (2, 10, 18));
        assert_eq!(found[0].message, "unfilled placeholder: the date");
        // A diagnostic about the same value goes; one elsewhere stays.
        let date = Diagnostic::error("not a date").at("content/events/e.yaml", text, 18, 20);
        let other = Diagnostic::error("other").at("content/events/e.yaml", text, 2, 3);
        let elsewhere = Diagnostic::error("not a date").at("content/events/f.yaml", text, 18, 20);
        let mut diags = vec![date, other.clone(), elsewhere.clone()];
        drop_covered(&mut diags, &found);
        assert_eq!(diags, [other, elsewhere]);
    }

    #[test]
    fn skeletons_leave_a_placeholder_for_every_value_not_given() {
        let cases: Vec<(String, Vec<&str>)> = vec![
            (
                article("a", &ArticleFields::default()),
                vec![
                    "title: \"{{fill: ",
                    "outlet: \"{{fill: ",
                    "url: \"{{fill: ",
                    "published: \"{{fill: ",
                    "---\n{{fill: ",
                ],
            ),
            (entity("person", &["person".into(), "place".into()], None), vec!["name: \"{{fill: ", "  {{fill: who"]),
            (event("e", &EventFields::default()), vec!["date: \"{{fill:", "title: \"{{fill:", "- article: \"{{fill:"]),
            (note("n", &NoteFields { kind: NoteKind::Quote, ..NoteFields::default() }), vec!["speaker: \"{{fill:"]),
        ];
        for (text, wanted) in cases {
            for w in wanted {
                assert!(text.contains(w), "`{w}` missing in:\n{text}");
            }
            // Every field of the record has a comment above it or beside it.
            let lines: Vec<&str> = text.lines().collect();
            for (n, line) in lines.iter().enumerate() {
                let t = line.trim_start();
                let indent = line.len() - t.len();
                let is_field = indent <= 2 && t.starts_with(|c: char| c.is_ascii_lowercase()) && t.contains(':')
                    || line.starts_with("- ");
                let commented = n > 0 && lines[n - 1].trim_start().starts_with("# ") || line.contains("  # ");
                assert!(!is_field || commented, "field without a comment: `{line}` in:\n{text}");
            }
        }
    }

    #[test]
    fn given_values_are_written_quoted_and_verbatim() {
        let text = article(
            "a",
            &ArticleFields {
                title: Some("مالي: \"شحنة\" # ثانية"),
                outlet: Some("سكاي نيوز عربية"),
                url: Some("https://x.org/a?b=1#c"),
                published: Some("2022-04~"),
            },
        );
        assert!(text.contains("title: \"مالي: \\\"شحنة\\\" # ثانية\"\n"), "{text}");
        assert!(text.contains("outlet: \"سكاي نيوز عربية\"\n"), "{text}");
        assert!(text.contains("published: \"2022-04~\"\n"), "{text}");
        assert_eq!(blank_lines(&text, 0).len(), 1, "only the body is left:\n{text}");
        let item = note("n", &NoteFields { kind: NoteKind::Context, speaker: None, quote: Some("قال: «نعم»") });
        assert!(item.starts_with("- id: n  #"), "{item}");
        assert!(item.contains("\n  kind: context\n") && !item.contains("speaker:"), "{item}");
        assert!(item.contains("\n  quote: \"قال: «نعم»\"\n"), "{item}");
    }

    #[test]
    fn an_item_is_appended_after_one_blank_line_and_the_file_kept() {
        let item = "- id: b\n";
        for (existing, appended) in [
            ("", "- id: b\n"),
            ("- id: a\n", "\n- id: b\n"),
            ("- id: a", "\n\n- id: b\n"),
            ("- id: a\n\n", "- id: b\n"),
            ("- id: a\n\n\n", "- id: b\n"),
            ("# notes on the article\n", "\n- id: b\n"),
            ("- id: a\r\n", "\r\n- id: b\r\n"),
            ("- id: a\r\n\r\n", "- id: b\r\n"),
        ] {
            assert_eq!(append(existing, item).as_deref(), Ok(appended), "after {existing:?}");
        }
        assert!(append("[{ id: a }]\n", item).is_err());
        assert!(append("id: a\n", item).is_err());
    }

    #[test]
    fn ids_of_list_items_are_found_in_every_form() {
        let text = "- id: a  # first\n  body: |\n    id: hidden\n- date: 2022\n  id: \"b\"\n  sources:\n    - id: nested\n- { id: c, date: 2022 }\n-\n  id: d\n";
        for (id, line) in
            [("a", Some(1)), ("b", Some(5)), ("c", Some(8)), ("d", Some(10)), ("hidden", None), ("nested", None)]
        {
            assert_eq!(find_id(text, id), line, "{id}");
        }
        assert_eq!(find_id("", "a"), None);
    }

    #[test]
    fn command_line_values_are_checked() {
        assert!(check_id("note", "ok-1").is_ok());
        let err = check_id("note", "Bad_Id").unwrap_err();
        assert!(err.contains("`Bad_Id` is not a valid note id") && err.contains(crate::model::ID_HELP), "{err}");
        assert!(check_date("2022-04~").is_ok());
        assert!(check_date("2022-13").unwrap_err().contains("`2022-13` is not a valid date"));
        assert!(check_url("https://x.org").is_ok() && check_url("x.org").is_err());
        let kinds = ["person".to_string(), "place".to_string()];
        assert!(check_kind("place", &kinds).is_ok());
        let err = check_kind("persn", &kinds).unwrap_err();
        assert!(err.contains("did you mean `person`?") && err.ends_with("declares: person, place"), "{err}");
    }

    #[test]
    fn an_event_goes_to_the_file_asked_for_or_the_only_one() {
        let one = ["deliveries.yaml".to_string()];
        let two = ["a.yaml".to_string(), "b.yaml".to_string()];
        assert_eq!(events_file(None, &one).unwrap(), "deliveries.yaml");
        assert_eq!(events_file(None, &two).unwrap(), "events.yaml");
        assert_eq!(events_file(None, &[]).unwrap(), "events.yaml");
        for asked in ["events/b.yaml", "content/events/b.yaml", "b.yaml", "b", "./events/b.yaml"] {
            assert_eq!(events_file(Some(asked), &two).unwrap(), "b.yaml", "{asked}");
        }
        for bad in ["events/../x.yaml", "events/a/b.yaml", "b.yml", ".yaml", "events/.hidden.yaml"] {
            assert!(events_file(Some(bad), &two).is_err(), "{bad}");
        }
    }
}
