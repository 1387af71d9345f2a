//! Every YAML file of a dossier is read here, and every value a later stage
//! may report on comes out of it with its exact place in the file.
//!
//! The parser (`saphyr-parser`, a YAML 1.2 event parser that marks every
//! event with its position) builds a small tree of [`Node`]s whose spans
//! are byte ranges of the file; a serde `Deserializer` over that tree fills
//! the typed records of `parse`, so record types keep their plain
//! `#[derive(Deserialize)]`, and any field declared as [`Spanned<T>`]
//! receives its value together with its span. No stage searches the raw
//! text for a position again: an unknown id named twice in one file is
//! reported twice, at two places. Type errors (an unknown field, a missing
//! one, a list where text was expected) carry the span of the node where
//! they arose.
//!
//! Content files need no anchors or aliases: an alias (`*name`) is refused,
//! which also rules out alias bombs; nesting is bounded by the parser.
//! A mapping that names one key twice is refused at the second key.
//!
//! List files (annotations, events) are parsed item by item: each
//! top-level `- ` item is parsed on its own, so a mistake in one note does
//! not hide the mistakes in the next ones.

use crate::diag::{self, Diagnostic};
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};
use std::fmt;

/// A byte range of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
}

/// A value together with the span of the YAML node it was read from.
/// Declared as a record field, it is filled by this module's deserializer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Spanned<T> {
    pub span: Span,
    pub value: T,
}

impl<T> std::ops::Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// One node of a parsed YAML document.
#[derive(Debug, Clone)]
pub struct Node {
    pub span: Span,
    pub value: Value,
}

#[derive(Debug, Clone)]
pub enum Value {
    /// A scalar and whether it was written plain (unquoted, not a block),
    /// which is when YAML reads `null`, `true` or `12` as such.
    Scalar(String, bool),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

/// Parses a whole YAML document into `T`, or one located diagnostic.
pub fn parse<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, Diagnostic> {
    parse_at(file, text, text, 0)
}

/// Parses `chunk`, which starts at byte `base` of `full`, reporting
/// positions in `full` (front matter inside a Markdown file).
pub fn parse_at<T: DeserializeOwned>(file: &str, full: &str, chunk: &str, base: usize) -> Result<T, Diagnostic> {
    let node = tree(chunk, base).map_err(|e| e.into_diagnostic(file, full))?;
    let node = node.unwrap_or(Node { span: Span::new(base, base), value: Value::Scalar(String::new(), true) });
    from_node(&node).map_err(|e| e.into_diagnostic(file, full, node.span))
}

/// Deserializes a typed value from a parsed node.
pub fn from_node<T: DeserializeOwned>(node: &Node) -> Result<T, DeError> {
    T::deserialize(De { node })
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
        match tree(text, 0) {
            Err(e) => diags.push(e.into_diagnostic(file, text)),
            Ok(Some(Node { value: Value::Seq(nodes), .. })) => {
                for n in nodes {
                    match from_node::<T>(&n) {
                        Ok(t) => items.push((t, n.span.start)),
                        Err(e) => diags.push(e.into_diagnostic(file, text, n.span)),
                    }
                }
            }
            Ok(Some(n)) => diags.push(
                Diagnostic::error("this file holds a list, but its text is not one")
                    .at(file, text, n.span.start, line_end(text, n.span.start))
                    .help("start each item with `- ` at the beginning of a line"),
            ),
            Ok(None) => {}
        }
        return (items, diags);
    }
    if let Some(first) = text[..starts[0]].lines().map(str::trim).position(|l| !l.is_empty() && !l.starts_with('#')) {
        let s: usize = text[..starts[0]].split_inclusive('\n').take(first).map(str::len).sum();
        let s = s + text[s..].len() - text[s..].trim_start().len();
        diags.push(
            Diagnostic::error("text before the first item of the list")
                .at(file, text, s, line_end(text, s))
                .help("every item starts with `- ` at the beginning of a line; indent the lines that belong to it"),
        );
    }
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(text.len());
        match tree(&text[start..end], start) {
            Ok(Some(Node { value: Value::Seq(mut nodes), .. })) if nodes.len() == 1 => {
                let n = nodes.remove(0);
                match from_node::<T>(&n) {
                    Ok(t) => items.push((t, start)),
                    Err(e) => diags.push(e.into_diagnostic(file, text, n.span)),
                }
            }
            Ok(_) => diags.push(
                Diagnostic::error("an empty list item")
                    .at(file, text, start, line_end(text, start))
                    .help("write the item's fields after `- `, or remove the line"),
            ),
            Err(e) => diags.push(e.into_diagnostic(file, text)),
        }
    }
    (items, diags)
}

fn line_end(text: &str, from: usize) -> usize {
    text[from..].find('\n').map_or(text.len(), |i| from + i)
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

/// Where the bytes `range` of a scalar's value sit in the file, given the
/// scalar's span. The value and its source differ by quotes, escapes,
/// indentation and line folding; both are walked together, each value
/// character matched to the next source character equal to it, skipping
/// only what YAML removes. A character YAML produced (an escape) maps to
/// where its escape starts.
pub fn value_range(full: &str, span: Span, value: &str, range: std::ops::Range<usize>) -> Span {
    let src = full.get(span.start..span.end).unwrap_or("");
    if src == value || src.is_empty() {
        let s = (span.start + range.start).min(span.end.max(span.start));
        let e = (span.start + range.end).min(span.end.max(span.start));
        return Span::new(s, e.max(s));
    }
    let mut map_start = span.start;
    let mut map_end = span.start;
    let mut s_chars = src.char_indices().peekable();
    for (vi, vc) in value.char_indices() {
        let mut at = None;
        while let Some(&(si, sc)) = s_chars.peek() {
            if sc == vc {
                at = Some(si);
                s_chars.next();
                break;
            }
            if !matches!(sc, ' ' | '\t' | '\n' | '\r' | '"' | '\'' | '\\' | '|' | '>' | '-' | '+') {
                // A character YAML produced: it stands where this is.
                at = Some(si);
                s_chars.next();
                break;
            }
            s_chars.next();
        }
        let here = span.start + at.unwrap_or(src.len());
        if vi <= range.start {
            map_start = here;
        }
        if vi < range.end {
            map_end = here + vc.len_utf8();
        } else {
            break;
        }
    }
    Span::new(map_start, map_end.max(map_start))
}

/// A syntax error of the YAML text, or a construct content files refuse.
#[derive(Debug)]
pub struct SyntaxError {
    message: String,
    at: usize,
    /// May name `{line}`: the line of `first`, an earlier place it refers to.
    help: String,
    first: Option<usize>,
}

impl SyntaxError {
    fn into_diagnostic(self, file: &str, full: &str) -> Diagnostic {
        let at = diag::floor_boundary(full, self.at.min(full.len()));
        let help = match self.first {
            Some(first) => self.help.replace("{line}", &diag::locate(file, full, first, first).line.to_string()),
            None => self.help,
        };
        Diagnostic::error(self.message).at(file, full, at, token_end(full, at)).help(help)
    }
}

/// Char index → byte offset, for the parser's markers (they count
/// characters). Markers arrive nearly in order, so a cursor walks.
struct Offsets<'a> {
    text: &'a str,
    chars: usize,
    bytes: usize,
}

impl Offsets<'_> {
    fn byte(&mut self, char_index: usize) -> usize {
        if self.text.is_ascii() {
            return char_index.min(self.text.len());
        }
        if char_index < self.chars {
            self.chars = 0;
            self.bytes = 0;
        }
        for c in self.text[self.bytes..].chars() {
            if self.chars == char_index {
                break;
            }
            self.chars += 1;
            self.bytes += c.len_utf8();
        }
        self.bytes
    }
}

/// The deepest nesting of lists and mappings a file may have: deeper
/// trees are refused as they are read, before anything recurses into them.
pub const MAX_DEPTH: usize = 32;

/// Builds the node tree of the one document in `text`, whose first byte is
/// byte `base` of the file. `None` for an empty document.
pub fn tree(text: &str, base: usize) -> Result<Option<Node>, SyntaxError> {
    enum Open {
        Seq(usize, Vec<Node>),
        Map(usize, Vec<(Node, Node)>, Option<Node>),
    }
    let mut offsets = Offsets { text, chars: 0, bytes: 0 };
    let mut stack: Vec<Open> = Vec::new();
    let mut root: Option<Node> = None;
    let mut documents = 0;
    for ev in Parser::new_from_str(text) {
        let (ev, span) = ev.map_err(|e| match unindented_block(text) {
            // The parser stumbles only where the block's key ends, often at
            // the next item: the mistake is the line not indented.
            Some((at, key)) => SyntaxError {
                message: format!("the text of `{key}:` is not indented under it"),
                at: base + at,
                help: format!(
                    "indent every line of a `|` or `>` block by two spaces more than `{key}:` (or put short text on the key's line, quoted)"
                ),
                first: None,
            },
            // Nesting too deep is its own error, whatever else is open.
            None if e.info().contains("recursion limit") => scan_error(&e, &mut offsets, base),
            None => match unclosed_flow(text) {
                // The parser reads on past the line and stumbles later.
                Some((at, open)) => {
                    let close = if open == '[' { ']' } else { '}' };
                    SyntaxError {
                        message: format!("this `{open}` is not closed"),
                        at: base + at,
                        help: format!(
                            "end the list on the same line with `{close}` (`entities: [mali, russia]`), or write one `- ` item per line under the key"
                        ),
                        first: None,
                    }
                }
                None => scan_error(&e, &mut offsets, base),
            },
        })?;
        let start = base + offsets.byte(span.start.index());
        let end = base + offsets.byte(span.end.index());
        let node = match ev {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(SyntaxError {
                        message: "a second YAML document in one file".into(),
                        at: start,
                        help:
                            "a file holds one document: remove the `---` line, or move what follows into its own file"
                                .into(),
                        first: None,
                    });
                }
                continue;
            }
            Event::Alias(_) => {
                return Err(SyntaxError {
                    message: "YAML aliases (`*name`) are not allowed in dossier files".into(),
                    at: start,
                    help: "write the value out in full".into(),
                    first: None,
                })
            }
            Event::Scalar(value, style, _, _) => {
                // A quoted scalar's span is its text, inside the quotes.
                let span = match style {
                    ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                        quoted_text(text, start - base, end - base)
                            .map_or(Span::new(start, end), |(s, e)| Span::new(base + s, base + e))
                    }
                    _ => Span::new(start, end),
                };
                // The file's text was checked by `load`; an escape such as
                // `"\0"` or `"\u202E"` makes the character only here.
                if let Some(bad) = crate::load::unsafe_char(&value) {
                    return Err(SyntaxError {
                        message: match bad.message.strip_prefix("the file ") {
                            Some(rest) => format!("this value {rest}"),
                            None => bad.message,
                        },
                        at: span.start,
                        help: bad.help.into(),
                        first: None,
                    });
                }
                Node { span, value: Value::Scalar(value.into_owned(), style == ScalarStyle::Plain) }
            }
            Event::SequenceStart(..) | Event::MappingStart(..) if stack.len() >= MAX_DEPTH => {
                return Err(SyntaxError {
                    message: format!("lists and mappings are nested more than {MAX_DEPTH} deep"),
                    at: start,
                    help: "no dossier file needs this depth: flatten the structure".into(),
                    first: None,
                })
            }
            Event::SequenceStart(..) => {
                stack.push(Open::Seq(start, Vec::new()));
                continue;
            }
            Event::MappingStart(..) => {
                stack.push(Open::Map(start, Vec::new(), None));
                continue;
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Open::Seq(s, items)) => {
                    // A flow list ends at its `]`; a block list at its last item.
                    let flow = text.as_bytes().get(s - base) == Some(&b'[');
                    let e = if flow { end } else { items.last().map_or(end, |n| n.span.end) };
                    Node { span: Span::new(s, e.max(s)), value: Value::Seq(items) }
                }
                _ => continue,
            },
            Event::MappingEnd => match stack.pop() {
                Some(Open::Map(s, entries, _)) => {
                    let flow = text.as_bytes().get(s - base) == Some(&b'{');
                    let e = if flow { end } else { entries.last().map_or(end, |(_, v)| v.span.end) };
                    Node { span: Span::new(s, e.max(s)), value: Value::Map(entries) }
                }
                _ => continue,
            },
            _ => continue,
        };
        match stack.last_mut() {
            None => root = Some(node),
            Some(Open::Seq(_, items)) => items.push(node),
            Some(Open::Map(_, entries, key)) => match key.take() {
                None => {
                    if let Value::Scalar(k, _) = &node.value {
                        if let Some((first, _)) =
                            entries.iter().find(|(e, _)| matches!(&e.value, Value::Scalar(x, _) if x == k))
                        {
                            return Err(SyntaxError {
                                message: format!("the key `{k}` appears twice in this mapping"),
                                at: node.span.start,
                                help: format!("`{k}` is already given on line {{line}}; keep one of them"),
                                first: Some(first.span.start),
                            });
                        }
                    }
                    *key = Some(node);
                }
                Some(k) => entries.push((k, node)),
            },
        }
    }
    Ok(root)
}

/// The text of a quoted scalar written at `start..end` of `text`, inside
/// its quotes (the parser's span may run on over the blanks after it).
fn quoted_text(text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let src = text.get(start..end.min(text.len()))?;
    let quote = src.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let mut chars = src.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        match (quote, c) {
            ('"', '\\') => {
                chars.next();
            }
            ('\'', '\'') if chars.peek().map(|&(_, n)| n) == Some('\'') => {
                chars.next();
            }
            (q, c) if c == q => return Some((start + 1, start + i)),
            _ => {}
        }
    }
    None
}

/// A `key: value` line indented unlike the line before it (the usual cause
/// of "mapping values are not allowed"), reported at its key.
fn misindented_key(text: &str, error_at: usize, base: usize) -> Option<SyntaxError> {
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let line_start = text[..error_at.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].split('\n').next()?;
    let previous = text[..line_start].trim_end_matches('\n').rsplit('\n').find(|l| !l.trim().is_empty())?;
    let expected = indent(previous) + if previous.trim_start().starts_with("- ") { 2 } else { 0 };
    let (key, _) = line.trim_start().split_once(':')?;
    if indent(line) == expected || key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    Some(SyntaxError {
        message: format!("`{key}:` is indented by {} spaces, the line above it by {expected}", indent(line)),
        at: base + line_start + indent(line),
        help: format!("the keys of one record line up: indent `{key}:` by {expected} spaces"),
        first: None,
    })
}

/// The first line of `text` that should belong to a block scalar (`key: |`
/// or `key: >`) but is not indented under its key; with the key.
fn unindented_block(text: &str) -> Option<(usize, String)> {
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let mut offset = 0;
    let mut open: Option<(usize, String)> = None;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end();
        let trimmed = body.trim_start_matches(' ').trim_start_matches("- ");
        if let Some((key_indent, key)) = open.take() {
            if !body.trim().is_empty() {
                let is_key = trimmed.split_once(':').is_some_and(|(k, rest)| {
                    !k.is_empty()
                        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                        && (rest.is_empty() || rest.starts_with(' '))
                });
                if indent(line) <= key_indent && !is_key && !trimmed.starts_with('#') {
                    return Some((offset + indent(line), key));
                }
            } else {
                open = Some((key_indent, key));
            }
        }
        if let Some((key, value)) = trimmed.split_once(':') {
            let v = value.trim();
            if !v.is_empty() && v.len() <= 3 && (v.starts_with('|') || v.starts_with('>')) {
                let key_indent = body.len() - trimmed.len();
                open = Some((key_indent, key.trim().to_string()));
            }
        }
        offset += line.len();
    }
    None
}

/// The first `[` or `{` left open at the end of its line when the next
/// line with text starts a key (`quote: …`), or there is none: a flow list the editor meant
/// to close on its line. Quoted text and comments are skipped.
fn unclosed_flow(text: &str) -> Option<(usize, char)> {
    let lines: Vec<(usize, &str)> = text
        .split_inclusive('\n')
        .scan(0, |offset, line| {
            let at = *offset;
            *offset += line.len();
            Some((at, line))
        })
        .collect();
    let starts_key = |line: &str| {
        let t = line.trim_start().trim_start_matches("- ");
        t.split_once(':').is_some_and(|(k, rest)| {
            !k.is_empty()
                && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && (rest.is_empty() || rest.starts_with([' ', '\n', '\r']))
        })
    };
    for (k, &(offset, line)) in lines.iter().enumerate() {
        let mut open: Vec<(usize, char)> = Vec::new();
        let mut quote: Option<char> = None;
        let mut prev = ' ';
        for (i, c) in line.char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') if matches!(prev, ' ' | '[' | '{' | ',' | ':') => quote = Some(c),
                (None, '#') if prev == ' ' => break,
                (None, '[' | '{') => open.push((offset + i, c)),
                (None, ']' | '}') => {
                    open.pop();
                }
                _ => {}
            }
            prev = c;
        }
        let next = lines[k + 1..].iter().map(|(_, l)| *l).find(|l| !l.trim().is_empty());
        if let Some(&first) = open.first() {
            // The next line starts a key, or the file ends.
            if next.is_none_or(starts_key) {
                return Some(first);
            }
        }
    }
    None
}

fn scan_error(e: &ScanError, offsets: &mut Offsets, base: usize) -> SyntaxError {
    let at = base + offsets.byte(e.marker().index());
    let info = e.info();
    if info.contains("mapping values are not allowed") {
        if let Some(error) = misindented_key(offsets.text, at - base, base) {
            return error;
        }
    }
    SyntaxError { message: syntax_message(info), at, help: syntax_help(info), first: None }
}

/// The parser's message, worded for an editor.
fn syntax_message(info: &str) -> String {
    if info.contains("quoted scalar") && (info.contains("end of stream") || info.contains("indentation")) {
        return "this quoted value is not closed".into();
    }
    if info.contains("recursion limit") {
        return "the YAML nests too deeply".into();
    }
    format!("YAML syntax: {info}")
}

/// A `help:` line for the parser's syntax errors.
fn syntax_help(info: &str) -> String {
    if info.contains("quoted scalar") && (info.contains("end of stream") || info.contains("indentation")) {
        return "a quoted value is not closed: add the closing quote, or indent its continuation lines".into();
    }
    if info.contains("mapping values are not allowed") {
        return "a value that holds `: ` must be quoted (\"…\"), and nested keys are indented by two spaces under their parent".into();
    }
    if info.contains("tab") {
        return "indent with spaces, not tabs".into();
    }
    if info.contains("flow sequence") || info.contains("flow mapping") {
        return "a `[` or `{` list is not closed, or an item in it holds `,` `:` `[` `]` unquoted: close it, or quote the item".into();
    }
    if info.contains("recursion limit") {
        return "dossier files nest a few levels at most; check for stray `[` or `-`".into();
    }
    "check the indentation and quoting on this line and the line before: nested keys are indented by two spaces, and text holding `: ` or starting with a quote must be quoted".into()
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

/// A type error found while filling a record, with the span of the node
/// where it arose.
#[derive(Debug)]
pub struct DeError {
    message: String,
    span: Option<Span>,
}

impl DeError {
    fn or_span(mut self, span: Span) -> Self {
        self.span.get_or_insert(span);
        self
    }

    fn into_diagnostic(self, file: &str, full: &str, fallback: Span) -> Diagnostic {
        let span = self.span.unwrap_or(fallback);
        // The caret covers one line: the first of a multi-line node.
        let end = span.end.min(line_end(full, span.start.min(full.len())));
        let mut help = help_for(&self.message);
        let text = full.get(span.start..end).unwrap_or("");
        if self.message.ends_with("found `key: value` fields")
            && text.contains(':')
            && !text.contains('\n')
            && !text.starts_with('{')
        {
            help = format!(
                "`{}` holds `: `, which YAML reads as a key and its value: quote the whole item (\"{}\")",
                text.trim(),
                text.trim()
            );
        }
        Diagnostic::error(self.message).at(file, full, span.start, end.max(span.start)).help(help)
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError { message: msg.to_string(), span: None }
    }

    /// In an editor's words, not serde's: "expected text, found fields".
    fn invalid_type(unexp: de::Unexpected, exp: &dyn de::Expected) -> Self {
        DeError { message: format!("expected {}, found {}", expected_words(exp), found_words(&unexp)), span: None }
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        let list: Vec<String> = expected.iter().map(|v| format!("`{v}`")).collect();
        DeError { message: format!("`{variant}` is not an allowed value (expected {})", list.join(", ")), span: None }
    }

    fn invalid_value(unexp: de::Unexpected, exp: &dyn de::Expected) -> Self {
        DeError { message: format!("expected {}, found {}", expected_words(exp), found_words(&unexp)), span: None }
    }
}

/// What a record field expects, as an editor says it.
fn expected_words(exp: &dyn de::Expected) -> String {
    let serde = exp.to_string();
    let words = match serde.as_str() {
        "a string" | "a borrowed string" | "a character" => "text",
        "a sequence" => "a list (`[a, b]` or `- ` items)",
        "a boolean" => "`true` or `false`",
        "a map" => "fields (`key: value` lines)",
        s if s.starts_with("struct ") => "fields (`key: value` lines)",
        s if s.starts_with('u') || s.starts_with('i') => "a whole number",
        s if s.starts_with('f') => "a number",
        s => return s.trim_start_matches("a value with its position").to_string(),
    };
    words.to_string()
}

/// What the file holds instead, as an editor sees it.
fn found_words(unexp: &de::Unexpected) -> String {
    match unexp {
        de::Unexpected::Map => "`key: value` fields".to_string(),
        de::Unexpected::Seq => "a list".to_string(),
        de::Unexpected::Str(s) => format!("the text `{s}`"),
        de::Unexpected::Unsigned(n) => format!("the number {n}"),
        de::Unexpected::Signed(n) => format!("the number {n}"),
        de::Unexpected::Float(n) => format!("the number {n}"),
        de::Unexpected::Bool(b) => format!("`{b}`"),
        de::Unexpected::Unit => "nothing (an empty value)".to_string(),
        other => other.to_string(),
    }
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let i = s.find(open)? + open.len();
    let j = s[i..].find(close)? + i;
    Some(&s[i..j])
}

/// A `help:` line for type errors.
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
    if message.starts_with("expected ") {
        return "check the value's type: quote text with \"…\", write lists as `[a, b]` or with `- ` items".to_string();
    }
    if message.contains("is not an allowed value") {
        let expected: Vec<&str> =
            message.split("(expected ").nth(1).unwrap_or("").split('`').skip(1).step_by(2).collect();
        let given = between(message, "`", "`").unwrap_or("");
        return match diag::suggest(given, expected.iter().copied()) {
            Some(v) => format!("did you mean `{v}`?"),
            None => "use one of the allowed values".to_string(),
        };
    }
    "check the value on this line".to_string()
}

/// The magic struct name through which `Spanned<T>` asks this module's
/// deserializer for a span (the technique of `toml`'s `Spanned`).
const SPANNED: &str = "$__milaf_yaml_spanned";
const SPANNED_FIELDS: &[&str] = &["$__start", "$__end", "$__value"];

impl<'de, T: de::Deserialize<'de>> de::Deserialize<'de> for Spanned<T> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: de::Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Spanned<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a value with its position")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Spanned<T>, A::Error> {
                let mut start = None;
                let mut end = None;
                let mut value = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "$__start" => start = Some(map.next_value::<usize>()?),
                        "$__end" => end = Some(map.next_value::<usize>()?),
                        _ => value = Some(map.next_value::<T>()?),
                    }
                }
                match (start, end, value) {
                    (Some(start), Some(end), Some(value)) => Ok(Spanned { span: Span { start, end }, value }),
                    _ => Err(de::Error::custom("a position is only available from a YAML file")),
                }
            }
        }
        d.deserialize_struct(SPANNED, SPANNED_FIELDS, V(std::marker::PhantomData))
    }
}

/// The deserializer over one node.
struct De<'a> {
    node: &'a Node,
}

impl De<'_> {
    fn unexpected(&self) -> de::Unexpected<'_> {
        match &self.node.value {
            Value::Scalar(s, true) if is_null(s) => de::Unexpected::Unit,
            Value::Scalar(s, _) => de::Unexpected::Str(s),
            Value::Seq(_) => de::Unexpected::Seq,
            Value::Map(_) => de::Unexpected::Map,
        }
    }

    fn invalid(&self, exp: &dyn de::Expected) -> DeError {
        let e: DeError = de::Error::invalid_type(self.unexpected(), exp);
        e.or_span(self.node.span)
    }

    /// The scalar's text when it is one (and not a plain null).
    fn text(&self) -> Option<&str> {
        match &self.node.value {
            Value::Scalar(s, plain) if !(*plain && is_null(s)) => Some(s),
            _ => None,
        }
    }

    fn plain(&self) -> Option<&str> {
        match &self.node.value {
            Value::Scalar(s, true) => Some(s),
            _ => None,
        }
    }
}

fn is_null(s: &str) -> bool {
    matches!(s, "" | "~" | "null" | "Null" | "NULL")
}

fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

fn parse_int(s: &str) -> Option<i128> {
    let (neg, digits) = match s.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let v = if let Some(h) = digits.strip_prefix("0x") {
        i128::from_str_radix(h, 16).ok()?
    } else if let Some(o) = digits.strip_prefix("0o") {
        i128::from_str_radix(o, 8).ok()?
    } else if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse().ok()?
    } else {
        return None;
    };
    Some(if neg { -v } else { v })
}

fn parse_float(s: &str) -> Option<f64> {
    match s {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => Some(f64::NAN),
        _ if s.bytes().any(|b| b.is_ascii_digit())
            && s.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-')) =>
        {
            s.parse().ok()
        }
        _ => None,
    }
}

macro_rules! integer {
    ($($method:ident $ty:ty => $visit:ident),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            match self.plain().and_then(parse_int).and_then(|i| <$ty>::try_from(i).ok()) {
                Some(i) => visitor.$visit::<DeError>(i.into()).map_err(|e| e.or_span(self.node.span)),
                None => Err(self.invalid(&visitor)),
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for De<'_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let r = match &self.node.value {
            Value::Scalar(s, true) if is_null(s) => visitor.visit_unit(),
            Value::Scalar(s, true) => {
                if let Some(b) = parse_bool(s) {
                    visitor.visit_bool(b)
                } else if let Some(i) = parse_int(s).and_then(|i| i64::try_from(i).ok()) {
                    visitor.visit_i64(i)
                } else if let Some(f) = parse_float(s) {
                    visitor.visit_f64(f)
                } else {
                    visitor.visit_str(s)
                }
            }
            Value::Scalar(s, false) => visitor.visit_str(s),
            Value::Seq(items) => visitor.visit_seq(SeqAccess { items: items.iter() }),
            Value::Map(entries) => visitor.visit_map(MapAccess::new(entries)),
        };
        r.map_err(|e| e.or_span(self.node.span))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.plain().and_then(parse_bool) {
            Some(b) => visitor.visit_bool(b),
            None => Err(self.invalid(&visitor)),
        }
    }

    integer!(deserialize_i8 i8 => visit_i64, deserialize_i16 i16 => visit_i64, deserialize_i32 i32 => visit_i64,
        deserialize_i64 i64 => visit_i64, deserialize_u8 u8 => visit_u64, deserialize_u16 u16 => visit_u64,
        deserialize_u32 u32 => visit_u64, deserialize_u64 u64 => visit_u64);

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.plain().and_then(parse_float) {
            Some(f) => visitor.visit_f64(f),
            None => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    /// Any scalar is text when text is wanted: `published: 2022` and
    /// `quote: 2013` are what the editor wrote, not numbers.
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.text() {
            Some(s) => visitor.visit_str::<DeError>(s).map_err(|e| e.or_span(self.node.span)),
            None => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.plain() {
            Some(s) if is_null(s) => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.plain() {
            Some(s) if is_null(s) => visitor.visit_unit(),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.node.value {
            Value::Seq(items) => {
                visitor.visit_seq(SeqAccess { items: items.iter() }).map_err(|e| e.or_span(self.node.span))
            }
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.node.value {
            // A missing field is reported at the record's first key.
            Value::Map(entries) => visitor
                .visit_map(MapAccess::new(entries))
                .map_err(|e| e.or_span(entries.first().map_or(self.node.span, |(k, _)| k.span))),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        if name == SPANNED {
            return visitor.visit_map(SpannedAccess { node: self.node, field: 0 });
        }
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match self.text() {
            Some(s) => visitor.visit_enum(UnitVariant(s)).map_err(|e| e.or_span(self.node.span)),
            None => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }
}

struct SeqAccess<'a> {
    items: std::slice::Iter<'a, Node>,
}

impl<'de> de::SeqAccess<'de> for SeqAccess<'_> {
    type Error = DeError;
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, DeError> {
        match self.items.next() {
            Some(node) => seed.deserialize(De { node }).map(Some).map_err(|e| e.or_span(node.span)),
            None => Ok(None),
        }
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct MapAccess<'a> {
    entries: std::slice::Iter<'a, (Node, Node)>,
    value: Option<&'a Node>,
}

impl<'a> MapAccess<'a> {
    fn new(entries: &'a [(Node, Node)]) -> Self {
        MapAccess { entries: entries.iter(), value: None }
    }
}

impl<'de> de::MapAccess<'de> for MapAccess<'_> {
    type Error = DeError;
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(De { node: key }).map(Some).map_err(|e| e.or_span(key.span))
            }
            None => Ok(None),
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let node = self.value.take().ok_or_else(|| <DeError as de::Error>::custom("a value without its key"))?;
        seed.deserialize(De { node }).map_err(|e| e.or_span(node.span))
    }
}

/// Hands `Spanned<T>` its start, end and value.
struct SpannedAccess<'a> {
    node: &'a Node,
    field: usize,
}

impl<'de> de::MapAccess<'de> for SpannedAccess<'_> {
    type Error = DeError;
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        match SPANNED_FIELDS.get(self.field) {
            Some(name) => seed.deserialize((*name).into_deserializer()).map(Some),
            None => Ok(None),
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let field = self.field;
        self.field += 1;
        match field {
            0 => seed.deserialize(self.node.span.start.into_deserializer()),
            1 => seed.deserialize(self.node.span.end.into_deserializer()),
            _ => seed.deserialize(De { node: self.node }),
        }
    }
}

/// An enum written as its variant's name (`kind: quote`).
struct UnitVariant<'a>(&'a str);

impl<'de> de::EnumAccess<'de> for UnitVariant<'_> {
    type Error = DeError;
    type Variant = Self;
    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), DeError> {
        let v = seed.deserialize(self.0.into_deserializer())?;
        Ok((v, self))
    }
}

impl<'de> de::VariantAccess<'de> for UnitVariant<'_> {
    type Error = DeError;
    fn unit_variant(self) -> Result<(), DeError> {
        Ok(())
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _: T) -> Result<T::Value, DeError> {
        Err(de::Error::invalid_type(de::Unexpected::UnitVariant, &"a value with fields"))
    }
    fn tuple_variant<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, DeError> {
        Err(de::Error::invalid_type(de::Unexpected::UnitVariant, &"a list"))
    }
    fn struct_variant<V: Visitor<'de>>(self, _: &'static [&'static str], _: V) -> Result<V::Value, DeError> {
        Err(de::Error::invalid_type(de::Unexpected::UnitVariant, &"a mapping"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Rec {
        id: Spanned<String>,
        count: Option<u32>,
        #[serde(default)]
        tags: Vec<Spanned<String>>,
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
    fn every_value_carries_its_own_span_even_when_repeated() {
        let text = "- id: x\n  tags: [mali, mali]\n  count: 2\n- id: y\n  tags:\n    - mali\n    - \"mali\"\n- id: z\n  tags: [ \"mali\" , 'mali' ]\n";
        let (items, diags) = parse_list::<Rec>("f.yaml", text);
        assert!(diags.is_empty(), "{diags:?}");
        let spans: Vec<Span> = items.iter().flat_map(|(r, _)| r.tags.iter().map(|t| t.span)).collect();
        let texts: Vec<&str> = spans.iter().map(|s| &text[s.start..s.end]).collect();
        assert_eq!(texts, ["mali"; 6]);
        let mut starts: Vec<usize> = spans.iter().map(|s| s.start).collect();
        starts.dedup();
        assert_eq!(starts.len(), 6, "six places");
        assert_eq!(&text[items[1].0.id.span.start..items[1].0.id.span.end], "y");
    }

    #[test]
    fn scalars_are_text_when_text_is_wanted() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct T {
            a: String,
            b: String,
            c: Option<String>,
            d: Option<String>,
            n: u32,
            f: bool,
        }
        let t: T = parse("f", "a: 2022\nb: 1.50\nc: ~\nd: \"null\"\nn: 7\nf: true\n").unwrap();
        assert_eq!(
            (t.a.as_str(), t.b.as_str(), t.c, t.d.as_deref(), t.n, t.f),
            ("2022", "1.50", None, Some("null"), 7, true)
        );
        let e = parse::<T>("f", "a: [x]\nb: y\nn: 1\nf: false\n").unwrap_err();
        assert_eq!(e.location.as_ref().map(|l| (l.line, l.column)), Some((1, 4)));
        assert!(e.message.starts_with("expected "), "{}", e.message);
    }

    #[test]
    fn missing_fields_point_at_the_record_and_duplicates_at_the_second_key() {
        let e = parse::<Rec>("f", "count: 3\n").unwrap_err();
        assert!(e.message.contains("missing field `id`"), "{}", e.message);
        let e = parse::<Rec>("f", "id: a\ncount: 1\nid: b\n").unwrap_err();
        assert_eq!(e.location.as_ref().map(|l| (l.line, l.column)), Some((3, 1)));
        assert!(e.help.as_deref().unwrap().contains("line 1"), "{:?}", e.help);
    }

    #[test]
    fn aliases_and_deep_nesting_are_refused() {
        assert!(parse::<Rec>("f", "id: &a x\ncount: *a\n").unwrap_err().message.contains("alias"));
        let deep = format!("id: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse::<Rec>("f", &deep).unwrap_err().message.contains("nests too deeply"));
    }

    #[test]
    fn syntax_errors_point_at_their_line() {
        let text = "- id: a\n  quote: \"x y\n  body: b\n- id: c\n";
        let (_, diags) = parse_list::<Rec>("f", text);
        assert_eq!(diags[0].location.as_ref().map(|l| l.line), Some(2));
        assert!(diags[0].help.as_deref().unwrap().contains("not closed"), "{:?}", diags[0].help);
    }

    #[test]
    fn offsets_inside_values_map_to_the_file() {
        for text in [
            "body: |\n  أ [[x]] ب\n  [[x]] ج\n",
            "body: \"أ [[x]] ب\n  [[x]] ج\"\n",
            "body: أ [[x]] ب\n  [[x]] ج\n",
            "body: >\n  أ [[x]] ب\n  [[x]] ج\n",
        ] {
            let node = tree(text, 0).unwrap().unwrap();
            let Value::Map(entries) = &node.value else { panic!() };
            let (_, v) = &entries[0];
            let Value::Scalar(value, _) = &v.value else { panic!() };
            let found: Vec<Span> =
                value.match_indices("[[x]]").map(|(i, t)| value_range(text, v.span, value, i..i + t.len())).collect();
            assert_eq!(found.len(), 2, "{text}");
            for s in &found {
                assert_eq!(&text[s.start..s.end], "[[x]]", "{text:?}");
            }
            assert_ne!(found[0], found[1]);
        }
    }

    #[test]
    fn front_matter_must_be_closed() {
        assert!(split_front_matter("---\ntitle: x\nbody").is_err());
        let (fm, _, body, _) = split_front_matter("---\ntitle: x\n---\nbody\n").unwrap();
        assert_eq!((fm, body), ("title: x\n", "body\n"));
    }
}
