//! Every call into the YAML library lives here, so that switching
//! `serde_yaml` (archived upstream) for a maintained fork such as
//! `serde_yaml_ng` is a one-line change. The module also turns the library's
//! errors into editor diagnostics with a precise position, and finds the
//! position of a *well-formed* value later stages reject (an unknown id),
//! which the library itself cannot report.
//!
//! List files (annotations, events) are parsed item by item: each top-level
//! `- ` item is parsed on its own with its line offset, so a mistake in one
//! note does not hide the mistakes in the next ones.

use crate::diag::{self, Diagnostic};
use serde::de::DeserializeOwned;

/// Parses a whole YAML document into `T`, or one located diagnostic.
pub fn parse<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, Diagnostic> {
    parse_at(file, text, text, 0)
}

/// Parses `chunk`, which starts at byte `base` of `full`, reporting
/// positions in `full` (front matter inside a Markdown file).
pub fn parse_at<T: DeserializeOwned>(file: &str, full: &str, chunk: &str, base: usize) -> Result<T, Diagnostic> {
    serde_yaml::from_str::<T>(chunk).map_err(|e| to_diagnostic(file, full, chunk, base, &e))
}

fn to_diagnostic(file: &str, full: &str, chunk: &str, base: usize, e: &serde_yaml::Error) -> Diagnostic {
    let raw = e.to_string();
    let message = match raw.find(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw.clone(),
    };
    // Items of list files are parsed as one-element lists; the `.[0]` path
    // prefix that produces means nothing to an editor.
    let message = message
        .strip_prefix(".[0]: ")
        .or_else(|| message.strip_prefix(".[0]."))
        .or_else(|| message.strip_prefix("[0]."))
        .unwrap_or(&message)
        .to_string();
    let (start, end) = match e.location() {
        Some(loc) => {
            let start = base + diag::offset_of(chunk, loc.line(), loc.column());
            (start, token_end(full, start))
        }
        None => (base, base),
    };
    let mut d = Diagnostic::error(message.clone()).at(file, full, start, end);
    d = d.help(help_for(&message));
    // For an unknown field the library points at the key; make the caret
    // cover it exactly.
    if let Some(field) = between(&message, "unknown field `", "`") {
        if let Some(pos) = full[start.min(full.len())..].find(field) {
            let s = start + pos;
            d.location = Some(diag::locate(file, full, s, s + field.len()));
        }
    }
    d
}

/// The end of the token that starts at `start`: up to the next space, colon
/// or line end, so the caret underlines a word rather than one letter.
fn token_end(text: &str, start: usize) -> usize {
    let start = diag::floor_boundary(text, start);
    let rest = &text[start..];
    let stop = rest
        .char_indices()
        .find(|&(_, c)| c == '\n' || c == ':' || c == ' ' || c == ',')
        .map_or(rest.len(), |(i, _)| i);
    start + stop.max(rest.chars().next().map_or(0, char::len_utf8))
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let i = s.find(open)? + open.len();
    let j = s[i..].find(close)? + i;
    Some(&s[i..j])
}

/// A `help:` line for the library's error messages.
fn help_for(message: &str) -> String {
    if let Some(field) = between(message, "unknown field `", "`") {
        let expected: Vec<&str> =
            message.split("expected ").nth(1).unwrap_or("").split('`').skip(1).step_by(2).collect();
        return match diag::suggest(field, expected.iter().copied()) {
            Some(k) => format!("did you mean `{k}`? Allowed fields: {}", expected.join(", ")),
            None => format!("remove it; allowed fields: {}", expected.join(", ")),
        };
    }
    if let Some(field) = between(message, "missing field `", "`") {
        return format!("add `{field}: …` to this record");
    }
    if message.contains("invalid type") {
        return "check the value's type: quote text with \"…\", write lists as `[a, b]` or with `- ` items".to_string();
    }
    if message.contains("unknown variant") {
        return "use one of the allowed values listed above".to_string();
    }
    if message.contains("did not find expected")
        || message.contains("mapping values are not allowed")
        || message.contains("could not find expected")
        || message.contains("found character that cannot start")
    {
        return "check the indentation and quoting on this line and the line before: nested keys are indented by two spaces, and text holding `: ` or starting with a quote must be quoted".to_string();
    }
    "check the YAML syntax on this line".to_string()
}

/// A list file parsed item by item. Each item comes with the byte offset of
/// its `- ` in the file.
pub fn parse_list<T: DeserializeOwned>(file: &str, text: &str) -> (Vec<(T, usize)>, Vec<Diagnostic>) {
    let starts = item_starts(text);
    let mut items = Vec::new();
    let mut diags = Vec::new();
    if starts.is_empty() {
        // No block list: either an empty file, a flow list `[...]`, or
        // something that is not a list at all.
        if text.lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) {
            return (items, diags);
        }
        match parse::<Vec<T>>(file, text) {
            Ok(v) => items.extend(v.into_iter().map(|t| (t, 0))),
            Err(d) => {
                diags.push(d.help("this file holds a list: start each item with `- ` at the beginning of a line"))
            }
        }
        return (items, diags);
    }
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(text.len());
        let chunk = &text[start..end];
        match parse_at::<Vec<T>>(file, text, chunk, start) {
            Ok(mut v) if v.len() == 1 => items.push((v.remove(0), start)),
            Ok(_) => {}
            Err(d) => diags.push(d),
        }
    }
    (items, diags)
}

fn item_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with("- ") || line.trim_end() == "-" {
            starts.push(offset);
        }
        offset += line.len();
    }
    starts
}

/// Finds where a well-formed value sits: the first `key:` at or after byte
/// `from` whose value (inline, in a flow list, or in the `- ` items below it)
/// contains `value` as a whole token. Returns the value's byte range.
pub fn find_value(text: &str, from: usize, key: &str, value: &str) -> Option<(usize, usize)> {
    let from = diag::floor_boundary(text, from);
    let mut offset = from;
    let mut in_key: Option<usize> = None; // indentation of the key we are inside
    for line in text[from..].split_inclusive('\n') {
        if let Some(after) = key_in_line(line, key) {
            let indent = line.len() - line.trim_start_matches([' ', '-']).len();
            in_key = Some(indent);
            let rest = &line[after..];
            // In a flow mapping the value ends at the next `,` or `}`.
            let rest = if line.trim_start_matches([' ', '-']).starts_with('{') {
                &rest[..rest.find([',', '}']).unwrap_or(rest.len())]
            } else {
                rest
            };
            if let Some(p) = find_token(rest, value) {
                let s = offset + after + p;
                return Some((s, s + value.len()));
            }
        } else if let Some(k) = in_key {
            let trimmed = line.trim_start();
            let this_indent = line.len() - trimmed.len();
            if trimmed.starts_with("- ") && this_indent >= k {
                if let Some(p) = find_token(trimmed, value) {
                    let s = offset + this_indent + p;
                    return Some((s, s + value.len()));
                }
            } else if !trimmed.is_empty() && this_indent <= k {
                in_key = None;
            }
        }
        offset += line.len();
    }
    None
}

/// Where the value of `key:` starts in `line`, if the line holds that key
/// (as a block key or inside a `{ … }` flow mapping).
fn key_in_line(line: &str, key: &str) -> Option<usize> {
    let pat = format!("{key}:");
    let mut search = 0;
    while let Some(p) = line[search..].find(&pat) {
        let at = search + p;
        let before = line[..at].chars().next_back();
        let after_ok = line[at + pat.len()..].chars().next().is_none_or(|c| c == ' ' || c == '\n' || c == '\r');
        if before.is_none_or(|c| matches!(c, ' ' | '{' | ',' | '-')) && after_ok {
            return Some(at + pat.len());
        }
        search = at + pat.len();
    }
    None
}

/// `value` inside `hay` as a token: not glued to id characters on either side.
fn find_token(hay: &str, value: &str) -> Option<usize> {
    let is_id = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let mut start = 0;
    while let Some(p) = hay[start..].find(value) {
        let s = start + p;
        let e = s + value.len();
        let before_ok = hay[..s].chars().next_back().is_none_or(|c| !is_id(c));
        let after_ok = hay[e..].chars().next().is_none_or(|c| !is_id(c));
        if before_ok && after_ok && !value.is_empty() {
            return Some(s);
        }
        start = e.max(s + 1);
        if start > hay.len() {
            break;
        }
        start = diag::floor_boundary(hay, start);
        if start <= s {
            start = s + value.len().max(1);
        }
    }
    None
}

/// Finds the first `key:` at or after `from`, as a block key or inside a
/// `{ … }` flow mapping (a field's position when its value is missing or
/// multi-line). Returns the key's byte range.
pub fn find_key(text: &str, from: usize, key: &str) -> Option<(usize, usize)> {
    let from = diag::floor_boundary(text, from);
    let mut offset = from;
    // `from` may be inside a flow mapping (after its first value).
    let line_start = text[..from].rfind('\n').map_or(0, |i| i + 1);
    let mut in_flow = text[line_start..from].contains('{');
    for line in text[from..].split_inclusive('\n') {
        let body = line.trim_start_matches([' ', '-']);
        if body.starts_with(key) && body[key.len()..].starts_with(':') {
            let s = offset + line.len() - body.len();
            return Some((s, s + key.len()));
        }
        if in_flow || body.starts_with('{') {
            if let Some(after) = key_in_line(line, key) {
                let s = offset + after - key.len() - 1;
                return Some((s, s + key.len()));
            }
        }
        in_flow = false;
        offset += line.len();
    }
    None
}

/// Splits `---` front matter from a Markdown body. Returns the front matter,
/// the byte offset where it starts, and the body with its offset.
pub fn split_front_matter(text: &str) -> Result<(&str, usize, &str, usize), &'static str> {
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
        .ok_or("the file does not start with `---` front matter")?;
    let fm_start = text.len() - rest.len();
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let body_start = fm_start + offset + line.len();
            return Ok((&rest[..offset], fm_start, &text[body_start..], body_start));
        }
        offset += line.len();
    }
    Err("the front matter is not closed: add a line `---` after it")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Rec {
        id: String,
        count: Option<u32>,
    }

    #[test]
    fn list_items_are_parsed_one_by_one() {
        let text = "- id: a\n- id: b\n  cuont: 2\n- id: c\n  count: many\n- id: d\n";
        let (items, diags) = parse_list::<Rec>("f.yaml", text);
        assert_eq!(items.len(), 2);
        assert_eq!(diags.len(), 2);
        let l0 = diags[0].location.as_ref().unwrap();
        assert_eq!((l0.line, l0.column), (3, 3));
        assert!(diags[0].help.as_deref().unwrap().contains("`count`"));
        let l1 = diags[1].location.as_ref().unwrap();
        assert_eq!((l1.line, l1.column), (5, 10));
    }

    #[test]
    fn values_are_found_inline_in_flow_lists_and_in_block_lists() {
        let text = "id: x\nentities: [mali, russia]\nother:\n  - mali\nsources:\n  - russia\n";
        let (s0, e0) = find_value(text, 0, "entities", "russia").unwrap();
        assert_eq!((&text[s0..e0], s0), ("russia", 23));
        let (s, _) = find_value(text, 30, "sources", "russia").unwrap();
        assert_eq!(&text[s..s + 6], "russia");
        assert!(s > 50);
        assert_eq!(find_value(text, 0, "entities", "rus"), None);
    }

    #[test]
    fn keys_are_found_as_block_keys_and_inside_flow_mappings() {
        let text = "- id: e\n  sources:\n    - { article: a, quote: \"x y\" }\n    - { article: a, quote: \"z\" }\n";
        let (s, e) = find_key(text, 0, "quote").unwrap();
        assert_eq!((&text[s..e], &text[e..e + 5]), ("quote", ": \"x "));
        let second = text.find("- { article: a, quote: \"z").unwrap();
        let (s2, _) = find_key(text, second, "quote").unwrap();
        assert!(s2 > second && text[s2..].starts_with("quote: \"z"));
        // From inside a flow mapping, after its first value.
        let inside = second + "- { article: a".len();
        assert_eq!(find_key(text, inside, "quote").map(|(s, _)| s), Some(s2));
        let (b, _) = find_key(text, 0, "sources").unwrap();
        assert_eq!(b, text.find("sources").unwrap());
        // A word in running text is not a key.
        assert_eq!(find_key("body: the quote: here\n", 0, "quote"), None);
    }

    #[test]
    fn front_matter_must_be_closed() {
        assert!(split_front_matter("---\ntitle: x\nbody").is_err());
        let (fm, _, body, _) = split_front_matter("---\ntitle: x\n---\nbody\n").unwrap();
        assert_eq!((fm, body), ("title: x\n", "body\n"));
    }
}
