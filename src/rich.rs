//! Editorial Markdown (entity descriptions, note and event bodies, free
//! pages) parsed once into typed nodes. `parse` runs pulldown-cmark over a
//! body a single time and builds a tree of blocks and inlines in which the
//! dossier's own syntax is typed too: a `[[id]]` wiki link or an `[@id]`
//! citation is an `Inline::Ref`, found in runs of text only — never in code,
//! and never in an image's alt, which is plain text. Raw HTML is kept as
//! text. Each problem found (a malformed citation, a link target with a
//! scheme that is not allowed) comes with its byte range in the body, so the
//! caller, which knows where the body sits in its file, can point at it.
//!
//! The tree is generic over what a reference holds: the ids as written here
//! (`RawRef`), the resolved targets after `resolve` (`model::Rich`). Nothing
//! after `resolve` reads Markdown again, and content cannot forge a node:
//! every node comes from the parser.

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Parser, Tag};
use std::iter::Peekable;
use std::ops::Range;
use std::sync::Arc;

/// A byte range in a body.
pub type Span = Range<usize>;

/// A block of a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block<R> {
    Paragraph(Vec<Inline<R>>),
    /// Inline content that is not a paragraph: the text of a tight list
    /// item, or a raw HTML block (shown as text).
    Plain(Vec<Inline<R>>),
    Heading {
        level: u8,
        content: Vec<Inline<R>>,
    },
    /// `start` is the first number of an ordered list, `None` for bullets.
    List {
        start: Option<u64>,
        items: Vec<Vec<Block<R>>>,
    },
    Quote(Vec<Block<R>>),
    /// Fenced or indented code; `lang` is the first word of the fence's
    /// info string, empty when there is none.
    Code {
        lang: String,
        text: String,
    },
    Table {
        alignments: Vec<Alignment>,
        head: Vec<Vec<Inline<R>>>,
        rows: Vec<Vec<Vec<Inline<R>>>>,
    },
    Rule,
}

/// How a table column is aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alignment {
    None,
    Left,
    Center,
    Right,
}

/// A stretch of text in a body's tree: where it is the body as written
/// (nearly always), a range of the body, shared with it (`RawRich::source`)
/// rather than copied; else (an escape or an entity decoded) its own
/// characters. Reads as a `str`.
#[derive(Clone)]
pub struct Text {
    base: Arc<str>,
    range: Range<usize>,
}

impl Text {
    /// The range `range` of `base`.
    fn shared(base: &Arc<str>, range: Range<usize>) -> Text {
        Text { base: base.clone(), range }
    }

    pub fn as_str(&self) -> &str {
        self.base.get(self.range.clone()).unwrap_or("")
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text { base: s.into(), range: 0..s.len() }
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text::from(s.as_str())
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

/// Inline content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline<R> {
    /// Text as the reader sees it: escapes and entities decoded, raw HTML
    /// included as the characters it is written with.
    Text(Text),
    Code(Text),
    Emphasis(Vec<Inline<R>>),
    Strong(Vec<Inline<R>>),
    Strikethrough(Vec<Inline<R>>),
    /// An e-mail autolink's `dest` already starts with `mailto:`.
    Link {
        dest: String,
        title: String,
        children: Vec<Inline<R>>,
    },
    /// An image's alt is plain text: nothing inside it is a node.
    Image {
        dest: String,
        title: String,
        alt: Text,
    },
    SoftBreak,
    HardBreak,
    /// A wiki link or a citation: what it refers to, and the body range of
    /// its token (from `[` to `]` included).
    Ref {
        to: R,
        span: Span,
    },
}

/// A wiki link or citation as written, before its ids are looked up. Its
/// strings are boxed (no spare room): a large dossier keeps hundreds of
/// thousands of them, in the trees the model shares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawRef {
    /// `[[target]]`, `[[target|label]]`, `[[target#pN]]`; `paragraph` is
    /// what follows `#p`, as written (checked when the target is known).
    Wiki { target: Box<str>, paragraph: Option<Box<str>>, label: Option<Box<str>> },
    /// `[@article]`, `[@article#pN]`, `[@article "quote"]` and
    /// `[@article#pN "quote"]`. `#p` without a number is paragraph 0, which
    /// no article has.
    Cite { article: Box<str>, paragraph: Option<u32>, quote: Option<Box<str>> },
}

/// A body parsed, with the problems found in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawRich {
    /// Shared with the model's `Rich`, which resolves its references
    /// beside it rather than copying the tree.
    pub blocks: std::sync::Arc<[Block<RawRef>]>,
    pub problems: Vec<Problem>,
    /// The citations that give a quote, as (article id, paragraph, quote),
    /// in reading order: what `resolve` anchors in its per-article pass,
    /// collected here once so that it need not walk every tree again.
    pub cited_quotes: Vec<(String, Option<u32>, String)>,
    /// The body as written, which the tree's text shares.
    pub source: Arc<str>,
}

/// Something wrong in a body that parsing alone can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub span: Span,
    pub kind: ProblemKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// `[@` that does not continue as a citation; the span runs to the next
    /// `]`.
    MalformedCitation,
    /// A link or image target outside `parse::is_allowed_link`.
    LinkNotAllowed(String),
    /// An image on another server: every reader's browser would ask that
    /// server for it (an error unless the dossier allows remote media).
    RemoteImage(String),
    /// A link by a path into the site (`../synthesis/`): a body is shown on
    /// several pages, so a path right on one is wrong on another.
    RelativeLink(String),
    /// Elements nested deeper than `MAX_NESTING` (quotes in quotes, lists
    /// in lists, emphasis in emphasis); the span is the first one too deep.
    TooDeep,
}

impl Problem {
    pub fn message(&self) -> String {
        match &self.kind {
            ProblemKind::MalformedCitation => "malformed citation".to_string(),
            ProblemKind::LinkNotAllowed(dest) => format!("link target `{dest}` is not allowed"),
            ProblemKind::RemoteImage(dest) => format!("the image `{dest}` is on another server"),
            ProblemKind::RelativeLink(dest) => format!("the link `{dest}` is a path into the site"),
            ProblemKind::TooDeep => format!("elements are nested more than {MAX_NESTING} deep here"),
        }
    }

    pub fn help(&self) -> &'static str {
        match self.kind {
            ProblemKind::MalformedCitation => {
                "write `[@article-id]`, `[@article-id#p6]` or `[@article-id \"exact quote\"]` (`[@article-id «exact quote»]` when the quote holds a `\"`)"
            }
            ProblemKind::LinkNotAllowed(_) => {
                "links may only point to http, https, mailto, relative paths or #fragments"
            }
            ProblemKind::TooDeep => {
                "quotes within quotes, lists within lists or emphasis within emphasis this deep are no text a reader can follow: flatten the structure"
            }
            ProblemKind::RelativeLink(_) => {
                "a body is shown on several pages (its own, entity pages, search), so a path right on one is broken on another: link a page of the dossier with [[id]] or [[article-id#p3]], or give a full https:// address"
            }
            ProblemKind::RemoteImage(_) => {
                "the site loads nothing from elsewhere (readers' privacy, archival snapshots): save the image beside the page and link it by a relative path, or set `remote_media: true` in content/dossier.yaml"
            }
        }
    }
}

/// Parses a body: one pass of pulldown-cmark, then wiki links and citations
/// in its text runs.
pub fn parse(body: &str) -> RawRich {
    let mut builder = Builder {
        body,
        base: body.into(),
        events: Parser::new_ext(body, crate::markdown::options()).into_offset_iter().peekable(),
        last_end: 0,
        problems: Vec::new(),
        depth: 0,
    };
    let mut blocks = Vec::new();
    // A stray end event (there is none in well-formed output) must not end
    // the body early.
    while builder.events.peek().is_some() {
        blocks.extend(builder.blocks());
        builder.next();
    }
    let mut cited_quotes = Vec::new();
    for_each_ref(&blocks, &mut |r, _| {
        if let RawRef::Cite { article, paragraph, quote: Some(quote) } = r {
            cited_quotes.push((article.to_string(), *paragraph, quote.to_string()));
        }
    });
    RawRich { blocks: blocks.into(), problems: builder.problems, cited_quotes, source: builder.base }
}

/// Calls `f` on every reference of a tree, in reading order.
pub fn for_each_ref<'a, R>(blocks: &'a [Block<R>], f: &mut impl FnMut(&'a R, &'a Span)) {
    fn inlines<'a, R>(list: &'a [Inline<R>], f: &mut impl FnMut(&'a R, &'a Span)) {
        for inline in list {
            match inline {
                Inline::Ref { to, span } => f(to, span),
                Inline::Emphasis(c)
                | Inline::Strong(c)
                | Inline::Strikethrough(c)
                | Inline::Link { children: c, .. } => inlines(c, f),
                Inline::Text(_) | Inline::Code(_) | Inline::Image { .. } | Inline::SoftBreak | Inline::HardBreak => {}
            }
        }
    }
    for block in blocks {
        match block {
            Block::Paragraph(c) | Block::Plain(c) | Block::Heading { content: c, .. } => inlines(c, f),
            Block::List { items, .. } => items.iter().for_each(|item| for_each_ref(item, f)),
            Block::Quote(inner) => for_each_ref(inner, f),
            Block::Table { head, rows, .. } => {
                head.iter().chain(rows.iter().flatten()).for_each(|cell| inlines(cell, f));
            }
            Block::Code { .. } | Block::Rule => {}
        }
    }
}

/// A piece of a text run: text with the body range it was read from (the
/// two differ for an escape or an entity), or a soft line break.
enum Piece {
    Text(String, Span),
    SoftBreak(Span),
}

impl Piece {
    fn span(&self) -> &Span {
        match self {
            Piece::Text(_, s) | Piece::SoftBreak(s) => s,
        }
    }
}

type Events<'a> = Peekable<pulldown_cmark::OffsetIter<'a>>;

/// Builds the tree from pulldown-cmark's events. `blocks` and `inlines` read
/// up to the end event of the element they are in and leave it for their
/// caller, so that every element consumes exactly its own events.
struct Builder<'a> {
    body: &'a str,
    /// The body again, shared by the tree's text.
    base: Arc<str>,
    events: Events<'a>,
    /// Where the last event taken ends in the body.
    last_end: usize,
    problems: Vec<Problem>,
    /// How many elements the builder is inside (it recurses into each).
    depth: usize,
}

/// The deepest nesting of elements a body may have: far beyond what an
/// editor writes, and shallow enough that the trees built from it (and
/// every walk over them) stay well within a thread's stack.
pub const MAX_NESTING: usize = 32;

fn is_inline(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

impl<'a> Builder<'a> {
    fn next(&mut self) -> Option<(Event<'a>, Span)> {
        let (event, span) = self.events.next()?;
        self.last_end = span.end;
        Some((event, span))
    }

    /// Blocks until the end of the enclosing element (left unread).
    fn blocks(&mut self) -> Vec<Block<RawRef>> {
        let mut out = Vec::new();
        while let Some((event, _)) = self.events.peek() {
            match event {
                Event::End(_) => break,
                Event::Start(tag) if !is_inline(tag) => {
                    let Some((Event::Start(tag), span)) = self.next() else { break };
                    if self.skipped_too_deep(&span) {
                        continue;
                    }
                    self.depth += 1;
                    self.block(tag, &mut out);
                    self.depth -= 1;
                }
                Event::Rule => {
                    self.next();
                    out.push(Block::Rule);
                }
                // Inline content straight in a container: a tight list item.
                _ => out.push(Block::Plain(self.inlines())),
            }
        }
        exact(out)
    }

    /// One block element whose start event was just read, with its end.
    fn block(&mut self, tag: Tag<'a>, out: &mut Vec<Block<RawRef>>) {
        match tag {
            Tag::Paragraph => out.push(Block::Paragraph(self.inlines())),
            Tag::Heading { level, .. } => out.push(Block::Heading { level: level as u8, content: self.inlines() }),
            Tag::BlockQuote(_) => out.push(Block::Quote(self.blocks())),
            Tag::HtmlBlock => out.push(Block::Plain(self.inlines())),
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or("").to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                let mut text = String::new();
                while let Some((Event::Text(t), _)) = self.events.peek() {
                    text.push_str(t);
                    self.next();
                }
                out.push(Block::Code { lang, text });
            }
            Tag::List(start) => {
                let mut items = Vec::new();
                while let Some((Event::Start(Tag::Item), _)) = self.events.peek() {
                    self.next();
                    items.push(self.blocks());
                    self.next();
                }
                out.push(Block::List { start, items });
            }
            Tag::Table(alignments) => {
                let alignments = alignments
                    .iter()
                    .map(|a| match a {
                        pulldown_cmark::Alignment::None => Alignment::None,
                        pulldown_cmark::Alignment::Left => Alignment::Left,
                        pulldown_cmark::Alignment::Center => Alignment::Center,
                        pulldown_cmark::Alignment::Right => Alignment::Right,
                    })
                    .collect();
                let mut head = Vec::new();
                let mut rows = Vec::new();
                while let Some((Event::Start(tag), _)) = self.events.peek() {
                    let is_head = matches!(tag, Tag::TableHead);
                    self.next();
                    let cells = self.cells();
                    self.next();
                    if is_head {
                        head = cells;
                    } else {
                        rows.push(cells);
                    }
                }
                out.push(Block::Table { alignments, head, rows });
            }
            // Containers of extensions that are not enabled: their content
            // counts, the container does not.
            _ => out.extend(self.blocks()),
        }
        self.next();
    }

    /// The cells of a table head or row.
    fn cells(&mut self) -> Vec<Vec<Inline<RawRef>>> {
        let mut cells = Vec::new();
        while let Some((Event::Start(Tag::TableCell), _)) = self.events.peek() {
            self.next();
            cells.push(self.inlines());
            self.next();
        }
        cells
    }

    /// Inlines until the end of the enclosing element or the next block
    /// (left unread).
    fn inlines(&mut self) -> Vec<Inline<RawRef>> {
        let mut out = Vec::new();
        let mut run: Vec<Piece> = Vec::new();
        while let Some((event, _)) = self.events.peek() {
            match event {
                Event::End(_) | Event::Rule => break,
                Event::Start(tag) if !is_inline(tag) => break,
                _ => {}
            }
            let Some((event, span)) = self.next() else { break };
            match event {
                // pulldown-cmark splits text at every `[`; the pieces are
                // read as one run so that a token across them is seen.
                Event::Text(t) | Event::InlineHtml(t) | Event::Html(t) => run.push(Piece::Text(t.into_string(), span)),
                Event::SoftBreak => run.push(Piece::SoftBreak(span)),
                other => {
                    self.flush(&mut run, &mut out);
                    self.inline(other, span, &mut out);
                }
            }
        }
        self.flush(&mut run, &mut out);
        exact(out)
    }

    /// Records that the element at `span` is nested too deeply (once per
    /// body: one diagnostic says it all).
    /// At the nesting limit, reports the element just opened at `span`
    /// and skips it whole (to its end event); says whether it did.
    fn skipped_too_deep(&mut self, span: &Span) -> bool {
        if self.depth < MAX_NESTING {
            return false;
        }
        self.too_deep(span);
        self.skip_to_end();
        self.next();
        true
    }

    fn too_deep(&mut self, span: &Span) {
        if !self.problems.iter().any(|p| p.kind == ProblemKind::TooDeep) {
            let end = self.body[span.start..].chars().next().map_or(span.start, |c| span.start + c.len_utf8());
            self.problems.push(Problem { span: span.start..end, kind: ProblemKind::TooDeep });
        }
    }

    /// Skips the content of the element whose start was just read, without
    /// recursion, leaving its end unread.
    fn skip_to_end(&mut self) {
        let mut depth = 0usize;
        while let Some((event, _)) = self.events.peek() {
            match event {
                Event::End(_) if depth == 0 => break,
                Event::End(_) => depth -= 1,
                Event::Start(_) => depth += 1,
                _ => {}
            }
            self.next();
        }
    }

    /// One inline event that is not part of a text run, with its content
    /// and end when it is an element (elements nested too deeply are
    /// reported and skipped).
    fn inline(&mut self, event: Event<'a>, span: Span, out: &mut Vec<Inline<RawRef>>) {
        if matches!(event, Event::Start(_)) {
            if self.skipped_too_deep(&span) {
                return;
            }
            self.depth += 1;
            self.element(event, span, out);
            self.depth -= 1;
        } else {
            self.element(event, span, out);
        }
    }

    fn element(&mut self, event: Event<'a>, span: Span, out: &mut Vec<Inline<RawRef>>) {
        match event {
            Event::Code(t) => out.push(Inline::Code(Text::from(&*t))),
            Event::HardBreak => out.push(Inline::HardBreak),
            Event::Start(Tag::Emphasis) => {
                let children = self.inlines();
                self.next();
                out.push(Inline::Emphasis(children));
            }
            Event::Start(Tag::Strong) => {
                let children = self.inlines();
                self.next();
                out.push(Inline::Strong(children));
            }
            Event::Start(Tag::Strikethrough) => {
                let children = self.inlines();
                self.next();
                out.push(Inline::Strikethrough(children));
            }
            Event::Start(Tag::Link { link_type, dest_url, title, .. }) => {
                let children = self.inlines();
                let label_end = self.last_end.max(span.start);
                self.next();
                self.check_link(&dest_url, &span, label_end);
                let lower = dest_url.trim().to_ascii_lowercase();
                let relative = link_type != LinkType::Email
                    && !lower.is_empty()
                    && !["http:", "https:", "mailto:", "#"].iter().any(|p| lower.starts_with(p))
                    && crate::parse::is_allowed_link(&dest_url);
                if relative {
                    let at = self.body.get(span.clone()).and_then(|t| t.rfind(dest_url.as_ref()));
                    let at = at.map_or(span.clone(), |p| span.start + p..span.start + p + dest_url.len());
                    self.problems.push(Problem { span: at, kind: ProblemKind::RelativeLink(dest_url.to_string()) });
                }
                let dest = match link_type {
                    LinkType::Email => format!("mailto:{dest_url}"),
                    _ => dest_url.into_string(),
                };
                out.push(Inline::Link { dest, title: title.into_string(), children });
            }
            Event::Start(Tag::Image { dest_url, title, .. }) => {
                let label_end = span.start;
                let alt = self.alt();
                self.check_link(&dest_url, &span, label_end);
                let lower = dest_url.trim().to_ascii_lowercase();
                if ["http://", "https://", "//"].iter().any(|p| lower.starts_with(p)) {
                    let at = self.body.get(span.clone()).and_then(|t| t.find(dest_url.as_ref()));
                    let at = at.map_or(span.clone(), |p| span.start + p..span.start + p + dest_url.len());
                    self.problems.push(Problem { span: at, kind: ProblemKind::RemoteImage(dest_url.to_string()) });
                }
                out.push(Inline::Image { dest: dest_url.into_string(), title: title.into_string(), alt: alt.into() });
            }
            // Elements of extensions that are not enabled: their content
            // counts, the element does not.
            Event::Start(_) => {
                out.extend(self.inlines());
                self.next();
            }
            // Events of extensions that are not enabled: shown as written.
            _ => {
                if self.body.get(span.clone()).is_some() {
                    push_text(out, Text::shared(&self.base, span));
                }
            }
        }
    }

    /// An image's alt as plain text (what pulldown-cmark's own writer puts
    /// there), up to and with the image's end.
    fn alt(&mut self) -> String {
        let mut alt = String::new();
        let mut depth = 0;
        while let Some((event, span)) = self.next() {
            match event {
                Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) => {
                    self.check_link(&dest_url, &span, span.start);
                    depth += 1;
                }
                Event::Start(_) => depth += 1,
                Event::End(_) if depth == 0 => break,
                Event::End(_) => depth -= 1,
                Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) => alt.push_str(&t),
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                _ => {}
            }
        }
        alt
    }

    /// Reports a link or image target that is not allowed, at its text
    /// within the element when it is written there (after the label), else
    /// where it first occurs in the body (a reference definition), else at
    /// the element.
    fn check_link(&mut self, dest: &str, element: &Span, label_end: usize) {
        if crate::parse::is_allowed_link(dest) {
            return;
        }
        let within = |from: usize| {
            let from = from.clamp(element.start, element.end);
            self.body.get(from..element.end).and_then(|t| t.find(dest)).map(|p| from + p)
        };
        let span = within(label_end)
            .or_else(|| within(element.start))
            .or_else(|| self.body.find(dest))
            .map_or(element.clone(), |s| s..s + dest.len());
        self.problems.push(Problem { span, kind: ProblemKind::LinkNotAllowed(dest.to_string()) });
    }

    /// Turns a text run into text, soft breaks and the references in it.
    fn flush(&mut self, run: &mut Vec<Piece>, out: &mut Vec<Inline<RawRef>>) {
        let (Some(first), Some(last)) = (run.first(), run.last()) else { return };
        let tokens = self.tokens(first.span().start, last.span().end);
        let mut tokens = tokens.into_iter().peekable();
        // Where the last token taken ends: what comes before is read.
        let mut covered = 0;
        for piece in run.drain(..) {
            let span = piece.span().clone();
            let mut pos = span.start.max(covered);
            loop {
                while let Some((token, _)) = tokens.peek() {
                    if token.start > pos {
                        break;
                    }
                    let Some((token, to)) = tokens.next() else { break };
                    pos = pos.max(token.end);
                    covered = token.end;
                    out.push(Inline::Ref { to, span: token });
                }
                if pos >= span.end {
                    break;
                }
                let next = tokens.peek().map_or(span.end, |(t, _)| t.start.min(span.end));
                match &piece {
                    Piece::SoftBreak(_) if pos == span.start => out.push(Inline::SoftBreak),
                    Piece::SoftBreak(_) => {}
                    // Text read as written: cut where the tokens are.
                    Piece::Text(text, _) if self.body.get(span.clone()) == Some(text.as_str()) => {
                        push_text(out, Text::shared(&self.base, pos..next));
                    }
                    // An escape or entity: whole, unless a token covers its
                    // start.
                    Piece::Text(text, _) if pos == span.start => push_text(out, Text::from(text.as_str())),
                    Piece::Text(..) => {}
                }
                pos = next;
            }
        }
        for (token, to) in tokens {
            out.push(Inline::Ref { to, span: token });
        }
    }

    /// The wiki links and citations written in `start..end`, a text run's
    /// range in the body. Text is read as written, so an escaped bracket
    /// (`\[\[x]]`) starts no token.
    fn tokens(&mut self, start: usize, end: usize) -> Vec<(Span, RawRef)> {
        let mut out = Vec::new();
        let mut i = start;
        // The next `]]` at or after a position, found once and kept while
        // it is still ahead: a run of `[[` without one stays linear.
        let mut next_close: Option<Option<usize>> = None;
        while i < end {
            let rest = &self.body[i..end];
            if let Some(after) = rest.strip_prefix("[[") {
                let from = i + 2;
                let close = match next_close {
                    Some(Some(c)) if c >= from => Some(c),
                    Some(None) => None,
                    _ => {
                        let found = self.body[from..end].find("]]").map(|c| from + c);
                        next_close = Some(found);
                        found
                    }
                };
                if let Some(close) = close {
                    out.push((i..close + 2, wiki(&after[..close - from])));
                    i = close + 2;
                    continue;
                }
            } else if rest.starts_with("[@") {
                match citation(rest) {
                    Some((len, cite)) => {
                        out.push((i..i + len, cite));
                        i += len;
                    }
                    None => {
                        let stop = self.body[i..].find(']').map_or(self.body.len(), |e| i + e + 1);
                        self.problems.push(Problem { span: i..stop, kind: ProblemKind::MalformedCitation });
                        i = stop;
                    }
                }
                continue;
            }
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
        out
    }
}

/// A list without spare room: a body's tree is kept until its pages are
/// written, and a list grown item by item has up to twice the room it
/// needs. A new list of the exact size, since shrinking in place may keep
/// the whole block.
fn exact<T>(list: Vec<T>) -> Vec<T> {
    if list.capacity() == list.len() {
        return list;
    }
    let mut out = Vec::with_capacity(list.len());
    out.extend(list);
    out
}

/// Appends text, joined to the text before it.
fn push_text<R>(out: &mut Vec<Inline<R>>, text: Text) {
    if text.is_empty() {
        return;
    }
    match out.last_mut() {
        // The body's next characters: the same range, longer.
        Some(Inline::Text(t)) if Arc::ptr_eq(&t.base, &text.base) && t.range.end == text.range.start => {
            t.range.end = text.range.end;
        }
        Some(Inline::Text(t)) => *t = Text::from(format!("{}{}", t.as_str(), text.as_str())),
        _ => out.push(Inline::Text(text)),
    }
}

/// What is between `[[` and `]]`: `id`, `id|label` or `id#pN`, spaces
/// around each part ignored.
fn wiki(inner: &str) -> RawRef {
    let (target, label) = match inner.split_once('|') {
        Some((t, x)) => (t.trim(), Some(x.trim().into())),
        None => (inner.trim(), None),
    };
    let (target, paragraph) = match target.split_once("#p") {
        Some((id, p)) => (id, Some(p.into())),
        None => (target, None),
    };
    RawRef::Wiki { target: target.into(), paragraph, label }
}

/// Parses `[@id]`, `[@id#p6]`, `[@id "quote"]` or `[@id#p6 "quote"]` at the
/// start of `s`: the token's length and the citation.
fn citation(s: &str) -> Option<(usize, RawRef)> {
    let rest = s.strip_prefix("[@")?;
    let id_len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).unwrap_or(rest.len());
    let article = &rest[..id_len];
    if article.is_empty() {
        return None;
    }
    let mut after = &rest[id_len..];
    let mut paragraph = None;
    if let Some(p) = after.strip_prefix("#p") {
        let n = p.find(|c: char| !c.is_ascii_digit()).unwrap_or(p.len());
        paragraph = Some(p[..n].parse::<u32>().unwrap_or(0));
        after = &p[n..];
    }
    let mut quote = None;
    let trimmed = after.trim_start();
    // The quote between "…", or «…» or “…” when it holds a `"` itself.
    let delimited = [('"', '"'), ('«', '»'), ('“', '”')]
        .into_iter()
        .find_map(|(open, close)| trimmed.strip_prefix(open).map(|q| (q, close)));
    if let Some((q, close)) = delimited {
        // A backslash takes the next `\`, or the closing mark, as text:
        // `[@id "قال \"نعم\""]`.
        let mut text = String::new();
        let mut chars = q.char_indices();
        let end = loop {
            match chars.next()? {
                (_, '\\') => match chars.clone().next() {
                    Some((_, c)) if c == close || c == '\\' => {
                        chars.next();
                        text.push(c);
                    }
                    _ => text.push('\\'),
                },
                (i, c) if c == close => break i,
                (_, c) => text.push(c),
            }
        };
        quote = Some(text.into());
        after = &q[end + close.len_utf8()..];
    } else {
        after = trimmed;
    }
    let after = after.trim_start();
    if !after.starts_with(']') {
        return None;
    }
    Some((s.len() - after.len() + 1, RawRef::Cite { article: article.into(), paragraph, quote }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline<RawRef> {
        Inline::Text(s.into())
    }

    fn wiki_ref(target: &str, paragraph: Option<&str>, label: Option<&str>, span: Span) -> Inline<RawRef> {
        Inline::Ref {
            to: RawRef::Wiki {
                target: target.into(),
                paragraph: paragraph.map(Into::into),
                label: label.map(Into::into),
            },
            span,
        }
    }

    fn cite_ref(article: &str, paragraph: Option<u32>, quote: Option<&str>, span: Span) -> Inline<RawRef> {
        Inline::Ref { to: RawRef::Cite { article: article.into(), paragraph, quote: quote.map(Into::into) }, span }
    }

    /// The inlines of a body that is one paragraph.
    fn paragraph(body: &str) -> Vec<Inline<RawRef>> {
        let parsed = parse(body);
        assert!(parsed.problems.is_empty(), "{body}: {:?}", parsed.problems);
        match &*parsed.blocks {
            [Block::Paragraph(inlines)] => inlines.clone(),
            other => panic!("{body}: {other:?}"),
        }
    }

    /// The range of the first `token` in `body`.
    fn at(body: &str, token: &str) -> Span {
        let start = body.find(token).unwrap();
        start..start + token.len()
    }

    #[test]
    fn images_on_other_servers_are_problems_and_local_ones_are_not() {
        for (body, remote) in [
            ("![x](https://evil.example/p.gif)", Some("https://evil.example/p.gif")),
            ("![x](HTTP://evil.example/p.gif)", Some("HTTP://evil.example/p.gif")),
            ("![x](//evil.example/p.gif)", Some("//evil.example/p.gif")),
            ("![x](images/map.png)", None),
            ("[a link](https://example.org/)", None),
        ] {
            let raw = parse(body);
            let found: Vec<(&str, &str)> = raw
                .problems
                .iter()
                .filter_map(|p| match &p.kind {
                    ProblemKind::RemoteImage(d) => Some((d.as_str(), &body[p.span.clone()])),
                    _ => None,
                })
                .collect();
            assert_eq!(found, remote.map(|r| (r, r)).into_iter().collect::<Vec<_>>(), "{body}");
        }
    }

    #[test]
    fn wiki_links_and_citations_in_text() {
        let cases: Vec<(&str, Vec<Inline<RawRef>>)> = vec![
            ("انظر [[mali]].", vec![text("انظر "), wiki_ref("mali", None, None, 9..17), text(".")]),
            ("[[russia|روسيا]]", vec![wiki_ref("russia", None, Some("روسيا"), 0..21)]),
            ("[[ russia | روسيا ]]", vec![wiki_ref("russia", None, Some("روسيا"), 0..25)]),
            ("[[shipment#p3]]", vec![wiki_ref("shipment", Some("3"), None, 0..15)]),
            ("[[shipment#pX|ن]]", vec![wiki_ref("shipment", Some("X"), Some("ن"), 0..18)]),
            ("[@shipment]", vec![cite_ref("shipment", None, None, 0..11)]),
            ("[@shipment#p6]", vec![cite_ref("shipment", Some(6), None, 0..14)]),
            ("[@shipment#p]", vec![cite_ref("shipment", Some(0), None, 0..13)]),
            ("قال [@a \"نص مقتبس\"] ثم", vec![text("قال "), cite_ref("a", None, Some("نص مقتبس"), 7..29), text(" ثم")]),
            ("[@a#p2 \"نص\"]", vec![cite_ref("a", Some(2), Some("نص"), 0..14)]),
            // Inside emphasis and inside a link's label.
            ("*[[mali]]*", vec![Inline::Emphasis(vec![wiki_ref("mali", None, None, 1..9)])]),
            (
                "[انظر [[mali]]](https://x.org)",
                vec![Inline::Link {
                    dest: "https://x.org".to_string(),
                    title: String::new(),
                    children: vec![text("انظر "), wiki_ref("mali", None, None, 10..18)],
                }],
            ),
            // A token across a line break is read as written.
            ("[[mali|مالي\nالدولة]]", vec![wiki_ref("mali", None, Some("مالي\nالدولة"), 0..30)]),
            // In code, escaped or unclosed: text.
            ("`[[mali]]` و`[@a]`", vec![Inline::Code("[[mali]]".into()), text(" و"), Inline::Code("[@a]".into())]),
            ("\\[\\[mali]]", vec![text("[[mali]]")]),
            ("[[mali", vec![text("[[mali")]),
            // Raw HTML is text, and tokens in it are still found.
            ("<b>[[mali]]</b>", vec![text("<b>"), wiki_ref("mali", None, None, 3..11), text("</b>")]),
            ("a &amp; [[mali]]", vec![text("a & "), wiki_ref("mali", None, None, 8..16)]),
        ];
        for (body, expected) in cases {
            let found = paragraph(body);
            assert_eq!(found, expected, "{body}");
            // Each range is the token as written.
            for_each_ref(&[Block::Paragraph(found)], &mut |_, span| {
                assert!(body[span.clone()].starts_with("[[") || body[span.clone()].starts_with("[@"), "{body}");
                assert!(body[span.clone()].ends_with(']'), "{body}");
            });
        }
    }

    #[test]
    fn citation_syntax() {
        let cite = |article: &str, paragraph: Option<u32>, quote: Option<&str>| RawRef::Cite {
            article: article.into(),
            paragraph,
            quote: quote.map(Into::into),
        };
        let cases: Vec<(&str, Option<(usize, RawRef)>)> = vec![
            ("[@a-b]", Some((6, cite("a-b", None, None)))),
            ("[@a#p6] x", Some((7, cite("a", Some(6), None)))),
            ("[@a \"نص مقتبس\"] بعد", Some((22, cite("a", None, Some("نص مقتبس"))))),
            ("[@a#p2  \"نص\" ]", Some((16, cite("a", Some(2), Some("نص"))))),
            ("[@a#p99999999999]", Some((17, cite("a", Some(0), None)))),
            ("[@a \"غير مغلق]", None),
            ("[@a «قال \"نعم\" ثم مضى»]", Some((36, cite("a", None, Some("قال \"نعم\" ثم مضى"))))),
            ("[@a#p3 “قال \"لا\"”]", Some((27, cite("a", Some(3), Some("قال \"لا\""))))),
            ("[@a «غير مغلق]", None),
            ("[@a \"قال \\\"نعم\\\" ثم\"]", Some((29, cite("a", None, Some("قال \"نعم\" ثم"))))),
            ("[@a \"خط \\\\ مائل\"]", Some((23, cite("a", None, Some("خط \\ مائل"))))),
            ("[@a \"غير مغلق \\\"]", None),
            ("[@]", None),
            ("[@a b]", None),
        ];
        for (s, expected) in cases {
            assert_eq!(citation(s), expected, "{s}");
        }
    }

    #[test]
    fn an_image_alt_is_plain_text() {
        let inlines = paragraph("![صورة [[mali]] و[@a] *هنا*](x.png \"عنوان\")");
        assert_eq!(
            inlines,
            vec![Inline::Image {
                dest: "x.png".to_string(),
                title: "عنوان".to_string(),
                alt: "صورة [[mali]] و[@a] هنا".into(),
            }]
        );
    }

    #[test]
    fn two_identical_tokens_have_their_own_ranges() {
        let body = "[[malix]] ثم [[malix]]\n\n[@a] [@a]";
        let mut spans = Vec::new();
        for_each_ref(&parse(body).blocks, &mut |_, span| spans.push(span.clone()));
        assert_eq!(spans, vec![0..9, 15..24, 26..30, 31..35]);
        for s in &spans {
            assert!(body[s.clone()].starts_with('[') && body[s.clone()].ends_with(']'));
        }
    }

    #[test]
    fn problems_carry_their_body_range() {
        let not_allowed = |dest: &str| ProblemKind::LinkNotAllowed(dest.to_string());
        let cases: Vec<(&str, Vec<(&str, ProblemKind)>)> = vec![
            ("نص [@a \"غير مغلق] بعد", vec![("[@a \"غير مغلق]", ProblemKind::MalformedCitation)]),
            ("[@] و[@ب]", vec![("[@]", ProblemKind::MalformedCitation), ("[@ب]", ProblemKind::MalformedCitation)]),
            ("[@a #p3]", vec![("[@a #p3]", ProblemKind::MalformedCitation)]),
            ("`[@` في شفرة", vec![]),
            ("[هنا](javascript:alert(1))", vec![("javascript:alert(1)", not_allowed("javascript:alert(1)"))]),
            ("![صورة](data:x)", vec![("data:x", not_allowed("data:x"))]),
            ("[هنا][r]\n\n[r]: javascript:x\n", vec![("javascript:x", not_allowed("javascript:x"))]),
            ("[a](https://x.org) [b](#p3) <a@b.org> [c](mailto:a@b.org)", vec![]),
            (
                "[c](../x/index.html)",
                vec![("../x/index.html", ProblemKind::RelativeLink("../x/index.html".to_string()))],
            ),
        ];
        for (body, expected) in cases {
            let found: Vec<(Span, ProblemKind)> = parse(body).problems.into_iter().map(|p| (p.span, p.kind)).collect();
            let expected: Vec<(Span, ProblemKind)> = expected.into_iter().map(|(t, k)| (at(body, t), k)).collect();
            assert_eq!(found, expected, "{body}");
        }
        // The target, not the label that reads the same.
        let body = "[javascript:x](javascript:x)";
        assert_eq!(parse(body).problems[0].span, 15..27);
    }

    #[test]
    fn nesting_past_the_limit_is_one_problem_not_a_deep_tree() {
        for body in [format!("{} نص", ">".repeat(10_000)), "* ".repeat(5_000), format!("{}a", "*a **a ".repeat(200))]
        {
            let rich = parse(&body);
            let depth = |blocks: &[Block<RawRef>]| {
                fn d(b: &Block<RawRef>) -> usize {
                    match b {
                        Block::Quote(c) => 1 + c.iter().map(d).max().unwrap_or(0),
                        Block::List { items, .. } => 1 + items.iter().flatten().map(d).max().unwrap_or(0),
                        _ => 1,
                    }
                }
                blocks.iter().map(d).max().unwrap_or(0)
            };
            assert!(depth(&rich.blocks) <= MAX_NESTING + 1, "{}", depth(&rich.blocks));
            let deep = rich.problems.iter().filter(|p| p.kind == ProblemKind::TooDeep).count();
            assert!(deep <= 1, "{deep}");
        }
        assert_eq!(parse(&format!("{} نص", ">".repeat(100))).problems[0].kind, ProblemKind::TooDeep);
        assert!(parse(&format!("{} نص", ">".repeat(20))).problems.is_empty());
    }

    #[test]
    fn a_run_of_double_brackets_without_a_close_is_text() {
        let body = format!("{} [[mali]]", "[[".repeat(20_000));
        let rich = parse(&body);
        let mut refs = Vec::new();
        for_each_ref(&rich.blocks, &mut |r, _| refs.push(r.clone()));
        // The first `[[` runs to the only `]]`: one token, as before.
        assert_eq!(refs.len(), 1);
    }

    #[test]
    fn text_as_written_is_a_range_of_the_body_and_decoded_text_its_own() {
        let body = "قال [[mali]] إن &amp; «الجيش» انسحب *فعلا*\n";
        let parsed = parse(body);
        assert_eq!(&*parsed.source, body);
        let [Block::Paragraph(inlines)] = &*parsed.blocks else { panic!("{:?}", parsed.blocks) };
        let texts: Vec<&Text> = inlines
            .iter()
            .flat_map(|i| match i {
                Inline::Text(t) => vec![t],
                Inline::Emphasis(c) => {
                    c.iter().filter_map(|i| if let Inline::Text(t) = i { Some(t) } else { None }).collect()
                }
                _ => vec![],
            })
            .collect();
        let shown: Vec<&str> = texts.iter().map(|t| t.as_str()).collect();
        assert_eq!(shown, ["قال ", " إن & «الجيش» انسحب ", "فعلا"]);
        // Written as it reads: the body's own characters, not a copy.
        let shared = |t: &Text| Arc::ptr_eq(&t.base, &parsed.source);
        assert!(shared(texts[0]) && shared(texts[2]), "{texts:?}");
        assert_eq!(&parsed.source[texts[0].range.clone()], "قال ");
        // An entity decoded is text of its own, joined to what surrounds it.
        assert!(!shared(texts[1]));
    }

    #[test]
    fn blocks_are_typed() {
        let body = "## عنوان\n\nفقرة\nثانية  \nسطر\n\n- أ [[mali]]\n- ب\n\n3. ج\n\n> اقتباس\n\n```rust extra\nfn x() {}\n```\n\n| أ | ب |\n|:-|-:|\n| ١ | ٢ |\n\n---\n\n<div>\n[[mali]]\n</div>\n";
        let parsed = parse(body);
        assert!(parsed.problems.is_empty());
        let mali = |span: Span| wiki_ref("mali", None, None, span);
        let start = body.find("[[mali]]").unwrap();
        let html_start = body.rfind("[[mali]]").unwrap();
        assert_eq!(
            parsed.blocks.to_vec(),
            vec![
                Block::Heading { level: 2, content: vec![text("عنوان")] },
                Block::Paragraph(vec![text("فقرة"), Inline::SoftBreak, text("ثانية"), Inline::HardBreak, text("سطر")]),
                Block::List {
                    start: None,
                    items: vec![
                        vec![Block::Plain(vec![text("أ "), mali(start..start + 8)])],
                        vec![Block::Plain(vec![text("ب")])],
                    ],
                },
                Block::List { start: Some(3), items: vec![vec![Block::Plain(vec![text("ج")])]] },
                Block::Quote(vec![Block::Paragraph(vec![text("اقتباس")])]),
                Block::Code { lang: "rust".to_string(), text: "fn x() {}\n".to_string() },
                Block::Table {
                    alignments: vec![Alignment::Left, Alignment::Right],
                    head: vec![vec![text("أ")], vec![text("ب")]],
                    rows: vec![vec![vec![text("١")], vec![text("٢")]]],
                },
                Block::Rule,
                Block::Plain(vec![text("<div>\n"), mali(html_start..html_start + 8), text("\n</div>\n")]),
            ]
        );
    }

    #[test]
    fn a_loose_list_holds_paragraphs() {
        let parsed = parse("- أ\n\n- ب\n  - ج\n");
        assert_eq!(
            parsed.blocks.to_vec(),
            vec![Block::List {
                start: None,
                items: vec![
                    vec![Block::Paragraph(vec![text("أ")])],
                    vec![
                        Block::Paragraph(vec![text("ب")]),
                        Block::List { start: None, items: vec![vec![Block::Plain(vec![text("ج")])]] },
                    ],
                ],
            }]
        );
    }
}
