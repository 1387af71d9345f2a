//! Finding the passage an annotation points at (SPEC §4): a W3C
//! TextQuoteSelector (`quote`, optional `prefix`/`suffix`) with an optional
//! paragraph hint, resolved against an article's paragraphs.
//!
//! Editors copy quotes by hand, so matching compares the normalised forms
//! of [`crate::arabic`]: differences of white space and Unicode
//! normalisation form do not matter, and neither do tashkeel, tatweel,
//! hamza forms or Latin case, because the one normaliser folds those too.
//! A match is mapped back to a byte range of the paragraph as written.
//!
//! # Resolution
//!
//! 1. Every occurrence of the quote inside one paragraph is a candidate (a
//!    quote never spans paragraphs; occurrences may overlap).
//! 2. `prefix` keeps the candidates whose preceding text ends with it,
//!    `suffix` those whose following text starts with it; the context may
//!    run into the neighbouring paragraph, and spaces at the join do not
//!    matter. A prefix or suffix that fits none of the candidates is
//!    treated as stale and ignored, so that editing the words around an
//!    intact quote never breaks its annotation; if that leaves several
//!    candidates the error says the context matched none.
//! 3. `paragraph` keeps the candidates in that paragraph, if there are any.
//! 4. One candidate left: anchored, or *moved* (a warning naming the new
//!    paragraph) when it is not in the hinted paragraph. Several: an error
//!    listing where they are, with a help naming the words before each,
//!    ready to be used as a `prefix:`. None: an error carrying the closest
//!    passage as written and its paragraph, found by approximate matching,
//!    with its similarity (`strsim`) in the help; it is never anchored to,
//!    however similar.

use crate::arabic::{self, is_word_char, Normalized};

/// Which passage an annotation means.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Selector<'a> {
    pub quote: &'a str,
    pub prefix: Option<&'a str>,
    pub suffix: Option<&'a str>,
    /// 1-based paragraph hint.
    pub paragraph: Option<usize>,
}

/// A resolved passage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// 1-based paragraph number.
    pub paragraph: usize,
    /// Byte range in that paragraph's text, on character boundaries and
    /// covering whole source characters (with the marks of its last
    /// letter).
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnchorOutcome {
    Anchored(Anchor),
    /// Found exactly once, but not in the hinted paragraph: a warning.
    Moved {
        anchor: Anchor,
        hint: usize,
    },
    /// Found exactly once, but the `prefix` or `suffix` given (named here)
    /// does not match the words around it: a warning, since a context that
    /// no longer fits will not tell the quote apart when it is needed.
    Unmatched {
        anchor: Anchor,
        context: &'static str,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnchorError {
    /// The quote is empty once normalised.
    EmptyQuote,
    /// Several matches remain after prefix, suffix and paragraph: the
    /// 1-based paragraphs where they are (repeated for two in one
    /// paragraph), and what to add.
    Ambiguous { paragraphs: Vec<usize>, help: String },
    /// No match: the closest passage as written and its paragraph (when
    /// the article has any text), and a help text with its similarity.
    NotFound { closest: Option<(usize, String)>, help: String },
}

/// Resolves `sel` against `paragraphs` (paragraph `i` is ¶`i + 1`).
pub fn resolve(paragraphs: &[&str], sel: &Selector) -> Result<AnchorOutcome, AnchorError> {
    Paragraphs::new(paragraphs).resolve(sel)
}

/// An article's paragraphs, normalised once so that resolving all of its
/// annotations costs one normalisation.
#[derive(Debug, Clone)]
pub struct Paragraphs<'a> {
    source: Vec<&'a str>,
    normal: Vec<Normalized>,
}

/// A candidate: a normalised byte range of one paragraph (0-based here).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Occurrence {
    index: usize,
    start: usize,
    end: usize,
}

/// How many cells of the approximate-matching table one `NotFound` may
/// fill; a longer quote is shortened for the search, which keeps the error
/// fast on any input.
const FUZZY_BUDGET: usize = 20_000_000;

/// How many words before a candidate the `Ambiguous` help quotes.
const CONTEXT_WORDS: usize = 3;

/// How many candidates the `Ambiguous` help describes one by one.
const MAX_PLACES: usize = 8;

impl<'a> Paragraphs<'a> {
    /// Normalises `paragraphs` (paragraph `i` is ¶`i + 1`) for resolving.
    pub fn new(paragraphs: &[&'a str]) -> Paragraphs<'a> {
        Paragraphs::from_normalized(paragraphs, paragraphs.iter().map(|p| arabic::normalize_with_map(p)).collect())
    }

    /// As `new`, with the paragraphs already normalised (`normal[i]` is
    /// `arabic::normalize_with_map(paragraphs[i])`).
    pub fn from_normalized(paragraphs: &[&'a str], normal: Vec<Normalized>) -> Paragraphs<'a> {
        Paragraphs { source: paragraphs.to_vec(), normal }
    }

    /// Resolves `sel` (see the module documentation for the rules).
    pub fn resolve(&self, sel: &Selector) -> Result<AnchorOutcome, AnchorError> {
        let quote = arabic::normalize(sel.quote);
        let quote = quote.trim_matches(' ');
        if quote.is_empty() {
            return Err(AnchorError::EmptyQuote);
        }
        let mut chosen = self.occurrences(quote);
        if chosen.is_empty() {
            return Err(self.not_found(quote));
        }
        let mut stale = Vec::new();
        if let Some(prefix) = normal_context(sel.prefix) {
            if !keep_if(&mut chosen, |o| self.preceded_by(o, &prefix)) {
                stale.push("prefix");
            }
        }
        if let Some(suffix) = normal_context(sel.suffix) {
            if !keep_if(&mut chosen, |o| self.followed_by(o, &suffix)) {
                stale.push("suffix");
            }
        }
        if let Some(hint) = sel.paragraph {
            keep_if(&mut chosen, |o| o.index + 1 == hint);
        }
        match chosen.as_slice() {
            [only] => {
                let anchor = self.anchor(only);
                Ok(match (sel.paragraph, stale.as_slice()) {
                    (Some(hint), _) if hint != anchor.paragraph => AnchorOutcome::Moved { anchor, hint },
                    (_, []) => AnchorOutcome::Anchored(anchor),
                    (_, [one]) => AnchorOutcome::Unmatched { anchor, context: one },
                    (_, _) => AnchorOutcome::Unmatched { anchor, context: "prefix and suffix" },
                })
            }
            _ => Err(self.ambiguous(&chosen, &stale, sel.paragraph)),
        }
    }

    /// Every occurrence of `quote`, overlapping ones included, in order.
    fn occurrences(&self, quote: &str) -> Vec<Occurrence> {
        let mut found = Vec::new();
        // One searcher for every paragraph (UTF-8 is self-synchronising: a
        // byte match of the quote starts and ends on character boundaries).
        let finder = memchr::memmem::Finder::new(quote.as_bytes());
        for (index, normal) in self.normal.iter().enumerate() {
            let text = normal.text.as_str();
            let mut from = 0;
            while let Some(at) = text.as_bytes().get(from..).and_then(|rest| finder.find(rest)) {
                let start = from + at;
                found.push(Occurrence { index, start, end: start + quote.len() });
                let step = text.get(start..).and_then(|s| s.chars().next());
                from = start + step.map_or(1, char::len_utf8);
            }
        }
        found
    }

    /// Whether the text before `o` (running into the previous paragraph)
    /// ends with `prefix`.
    fn preceded_by(&self, o: &Occurrence, prefix: &str) -> bool {
        let text = self.normal_text(o.index);
        let here = text.get(..o.start).unwrap_or("").trim_matches(' ');
        if here.len() >= prefix.len() || o.index == 0 {
            return here.ends_with(prefix);
        }
        let previous = self.normal_text(o.index - 1).trim_matches(' ');
        join(previous, here).ends_with(prefix)
    }

    /// Whether the text after `o` (running into the next paragraph) starts
    /// with `suffix`.
    fn followed_by(&self, o: &Occurrence, suffix: &str) -> bool {
        let text = self.normal_text(o.index);
        let here = text.get(o.end..).unwrap_or("").trim_matches(' ');
        if here.len() >= suffix.len() || o.index + 1 >= self.normal.len() {
            return here.starts_with(suffix);
        }
        let next = self.normal_text(o.index + 1).trim_matches(' ');
        join(here, next).starts_with(suffix)
    }

    fn normal_text(&self, index: usize) -> &str {
        self.normal.get(index).map_or("", |n| n.text.as_str())
    }

    fn source_text(&self, index: usize) -> &'a str {
        self.source.get(index).copied().unwrap_or("")
    }

    fn anchor(&self, o: &Occurrence) -> Anchor {
        let range = self.normal.get(o.index).map_or(0..0, |n| n.source_range(o.start, o.end));
        Anchor { paragraph: o.index + 1, start: range.start, end: range.end }
    }

    fn ambiguous(&self, chosen: &[Occurrence], stale: &[&str], hint: Option<usize>) -> AnchorError {
        let paragraphs: Vec<usize> = chosen.iter().map(|o| o.index + 1).collect();
        let mut places: Vec<String> = chosen
            .iter()
            .take(MAX_PLACES)
            .map(|o| {
                let anchor = self.anchor(o);
                let before = words_before(self.source_text(o.index), anchor.start);
                if before.is_empty() {
                    format!("¶{} at the start of the paragraph", anchor.paragraph)
                } else {
                    format!("¶{} after \"{before}\"", anchor.paragraph)
                }
            })
            .collect();
        if chosen.len() > MAX_PLACES {
            places.push(format!("and {} more", chosen.len() - MAX_PLACES));
        }
        let mut help = String::new();
        for context in stale {
            help.push_str(&format!("the given `{context}:` fits none of the matches; "));
        }
        // The count and the paragraphs are in the error's fields; the help
        // says how to choose, with the words that would do it.
        help.push_str(&format!(
            "add a `prefix:` with the words just before the passage you mean ({}), \
             or a `suffix:` with the words just after it",
            places.join(", ")
        ));
        let one_paragraph = paragraphs.windows(2).all(|w| w[0] == w[1]);
        match hint {
            Some(hint) if one_paragraph && paragraphs.first() == Some(&hint) => {
                help.push_str(&format!(" (`paragraph: {hint}` holds all of them)"));
            }
            _ if one_paragraph => {}
            _ => help.push_str(", or `paragraph: N`"),
        }
        AnchorError::Ambiguous { paragraphs, help }
    }

    fn not_found(&self, quote: &str) -> AnchorError {
        let closest = self.closest(quote);
        let help = match &closest {
            // The passage and its paragraph are in the error's fields.
            Some((_, _, similarity)) => format!(
                "the closest passage is {:.0} % similar to the quote; copy the passage \
                 exactly as it appears in the article (a quote lies within one paragraph)",
                similarity * 100.0
            ),
            None if self.normal.iter().all(|n| n.text.trim_matches(' ').is_empty()) => {
                "the article has no text this quote could point at".to_owned()
            }
            None => "no passage reads like this quote, nor comes close to it: \
                     is the annotation on the right article?"
                .to_owned(),
        };
        AnchorError::NotFound { closest: closest.map(|(paragraph, passage, _)| (paragraph, passage)), help }
    }

    /// The passage most like `quote`, as written, with its 1-based
    /// paragraph and its similarity in [0, 1].
    fn closest(&self, quote: &str) -> Option<(usize, String, f64)> {
        let total: usize = self.normal.iter().map(|n| n.text.len()).sum();
        let limit = (FUZZY_BUDGET / total.max(1)).max(64);
        let pattern: Vec<char> = quote.chars().take(limit).collect();
        let shortened: String = pattern.iter().collect();
        // (edit distance, paragraph index, normalised byte range)
        let mut best: Option<(usize, usize, usize, usize)> = None;
        for (index, normal) in self.normal.iter().enumerate() {
            let chars: Vec<(usize, char)> = normal.text.char_indices().collect();
            let Some((distance, start, end)) = best_window(&pattern, &chars) else {
                continue;
            };
            if best.is_none_or(|(d, ..)| distance < d) {
                best = Some((distance, index, start, end));
            }
        }
        let (_, index, start, end) = best?;
        let normal = self.normal.get(index)?;
        let range = normal.source_range(start, end);
        let passage = self.source_text(index).get(range)?.trim();
        let similarity = strsim::normalized_levenshtein(normal.text.get(start..end)?, &shortened);
        Some((index + 1, passage.to_owned(), similarity))
    }
}

/// Keeps the items satisfying `keep`, unless none does; says whether any did.
fn keep_if(items: &mut Vec<Occurrence>, keep: impl Fn(&Occurrence) -> bool) -> bool {
    if !items.iter().any(&keep) {
        return false;
    }
    items.retain(keep);
    true
}

/// A prefix or suffix in normal form, or `None` when there is none.
fn normal_context(context: Option<&str>) -> Option<String> {
    let normal = arabic::normalize(context?);
    let trimmed = normal.trim_matches(' ');
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// Two pieces of context with one space between them (none when a piece
/// is empty).
fn join(first: &str, second: &str) -> String {
    match (first.is_empty(), second.is_empty()) {
        (true, _) => second.to_owned(),
        (_, true) => first.to_owned(),
        _ => format!("{first} {second}"),
    }
}

/// Up to [`CONTEXT_WORDS`] words of `text` before byte `at`, as written.
fn words_before(text: &str, at: usize) -> String {
    let words: Vec<&str> = text.get(..at).unwrap_or("").split_whitespace().collect();
    let from = words.len().saturating_sub(CONTEXT_WORDS);
    words.get(from..).unwrap_or(&[]).join(" ")
}

/// The stretch of `text` (characters with their byte offsets) with the
/// smallest edit distance to `pattern`, grown to whole words: (distance,
/// byte start, byte end). Sellers' algorithm: edit distance with free
/// starts and ends in the text, one column of the table at a time, each
/// cell remembering where its alignment began. `None` when nothing of the
/// text resembles the pattern.
fn best_window(pattern: &[char], text: &[(usize, char)]) -> Option<(usize, usize, usize)> {
    let m = pattern.len();
    let mut cost: Vec<usize> = (0..=m).collect();
    let mut began: Vec<usize> = vec![0; m + 1];
    let mut best = (m, 0, 0);
    for (j, &(_, c)) in text.iter().enumerate() {
        let (mut diagonal, mut diagonal_began) = (cost[0], began[0]);
        cost[0] = 0;
        began[0] = j + 1;
        for i in 1..=m {
            let substitute = diagonal + usize::from(pattern[i - 1] != c);
            let skip_pattern = cost[i - 1] + 1;
            let skip_text = cost[i] + 1;
            let (value, from) = if substitute <= skip_pattern && substitute <= skip_text {
                (substitute, diagonal_began)
            } else if skip_pattern <= skip_text {
                (skip_pattern, began[i - 1])
            } else {
                (skip_text, began[i])
            };
            diagonal = cost[i];
            diagonal_began = began[i];
            cost[i] = value;
            began[i] = from;
        }
        if cost[m] < best.0 {
            best = (cost[m], began[m], j + 1);
        }
    }
    let (distance, mut start, mut end) = best;
    let word_at = |k: usize| text.get(k).is_some_and(|&(_, c)| is_word_char(c));
    let space_at = |k: usize| text.get(k).is_some_and(|&(_, c)| c == ' ');
    while start > 0 && start < end && word_at(start - 1) && word_at(start) {
        start -= 1;
    }
    while end > start && word_at(end - 1) && word_at(end) {
        end += 1;
    }
    while start < end && space_at(start) {
        start += 1;
    }
    while end > start && space_at(end - 1) {
        end -= 1;
    }
    if start == end {
        return None;
    }
    let byte = |k: usize| text.get(k).map(|&(at, _)| at);
    let last = text.last().map_or(0, |&(at, c)| at + c.len_utf8());
    Some((distance, byte(start)?, byte(end).unwrap_or(last)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Paragraphs of the first seed article.
    const ARTICLE: &[&str] = &[
        "في إطار الشراكة الاستراتيجية بين موسكو وباماكو، أعلن المجلس العسكري الحاكم في مالي تسلم القوات المسلحة المالية شحنة جديدة من العتاد العسكري من جانب روسيا، وهي الثانية التي تتسلمها مالي في أقل من شهر.",
        "وقال رئيس هيئة الأركان العامة في مالي، الجنرال عمر ديارا: \"نحن نتلقى هذه الدفعة الثانية من العتاد العسكري من روسيا، إنها تعبير عن شراكة مثمرة للغاية مع الدولة الروسية، وتتضمن الشحنة الجديدة مروحيتين قتاليتين ورادارات للمراقبة\".",
        "من جانبها، نشرت الرئاسة المالية عبر حسابها على موقع التواصل الاجتماعي \"تويتر\"، صورًا لعملية تفريغ حمولة طائرة الشحن الروسية التي نقلت العتاد إلى مطار باماكو الدولي.",
        "ودفع التقارب بين العسكريين في مالي والكرملين، القوات الفرنسية وحلفاءها الأوروبيين لإعلان سحب قواتهم من مالي في فبراير الماضي، وذلك بعد أن تدهورت العلاقات بين باريس وباماكو، عقب قرار فرنسا خفض قواتها في مالي من 5 آلاف عسكري إلى ما بين 2500 و3000 بحلول عام 2023، وغادرت 3 قواعد في شمال مالي بهدف تركيز وجودها في المناطق القريبة مِن حدود النيجر وبوركينا فاسو.",
        "كان وزير الدفاع المالي ساديو كامارا، قد أعلن الشهر الماضي تسلم بلاده مروحيتين وجهاز رادار ومعدات عسكرية أخرى، وصلت على متن طائرة شحن روسية إلى قاعدة عسكرية في مطار باماكو.",
    ];

    #[derive(Debug)]
    enum Expect {
        /// (paragraph, the passage as written)
        Anchored(usize, &'static str),
        /// (paragraph, the passage as written, hint)
        Moved(usize, &'static str, usize),
        /// (paragraph, the passage as written, the context that fits not)
        Unmatched(usize, &'static str, &'static str),
        Ambiguous(&'static [usize]),
        /// The closest passage, when the case checks it.
        NotFound(Option<(usize, &'static str)>),
        Empty,
    }

    struct Case {
        /// `None`: [`ARTICLE`].
        paragraphs: Option<&'static [&'static str]>,
        quote: &'static str,
        prefix: Option<&'static str>,
        suffix: Option<&'static str>,
        paragraph: Option<usize>,
        expect: Expect,
    }

    const fn quote(quote: &'static str, expect: Expect) -> Case {
        Case { paragraphs: None, quote, prefix: None, suffix: None, paragraph: None, expect }
    }

    const REPEATED: &[&str] = &["مالي تفتح صفحة جديدة", "مالي تفتح صفحة جديدة"];

    const CASES: &[Case] = &[
        // One match.
        quote("تسلم القوات المسلحة المالية شحنة جديدة", Expect::Anchored(1, "تسلم القوات المسلحة المالية شحنة جديدة")),
        quote("مطار باماكو الدولي", Expect::Anchored(3, "مطار باماكو الدولي")),
        // Several matches.
        quote("العتاد العسكري", Expect::Ambiguous(&[1, 2])),
        quote("في مالي", Expect::Ambiguous(&[1, 2, 4, 4])),
        // Prefix, suffix and paragraph choose among them.
        Case {
            prefix: Some("الدفعة الثانية من"), ..quote("العتاد العسكري", Expect::Anchored(2, "العتاد العسكري"))
        },
        Case {
            prefix: Some("الدفعة الثانية من "), ..quote("العتاد العسكري", Expect::Anchored(2, "العتاد العسكري"))
        },
        Case {
            suffix: Some("من جانب"), ..quote("العتاد العسكري", Expect::Anchored(1, "العتاد العسكري"))
        },
        Case {
            paragraph: Some(2), ..quote("العتاد العسكري", Expect::Anchored(2, "العتاد العسكري"))
        },
        Case { prefix: Some("العسكريين"), ..quote("في مالي", Expect::Anchored(4, "في مالي")) },
        Case { paragraph: Some(4), ..quote("في مالي", Expect::Ambiguous(&[4, 4])) },
        Case {
            paragraph: Some(4), suffix: Some("من 5"), ..quote("في مالي", Expect::Anchored(4, "في مالي"))
        },
        Case { paragraph: Some(5), ..quote("العتاد العسكري", Expect::Ambiguous(&[1, 2])) },
        // Context that fits no match is ignored rather than fatal, and
        // said (a warning).
        Case {
            suffix: Some("في المساء"),
            ..quote("مطار باماكو الدولي", Expect::Unmatched(3, "مطار باماكو الدولي", "suffix"))
        },
        Case {
            prefix: Some("نقلت الطائرة إلى"),
            ..quote("مطار باماكو الدولي", Expect::Unmatched(3, "مطار باماكو الدولي", "prefix"))
        },
        Case { prefix: Some("لا شيء هنا"), ..quote("العتاد العسكري", Expect::Ambiguous(&[1, 2])) },
        // Context runs into the neighbouring paragraph.
        Case {
            paragraphs: Some(REPEATED),
            prefix: Some("صفحة جديدة"),
            ..quote("مالي تفتح", Expect::Anchored(2, "مالي تفتح"))
        },
        Case {
            paragraphs: Some(REPEATED),
            suffix: Some("مالي تفتح"),
            ..quote("صفحة جديدة", Expect::Anchored(1, "صفحة جديدة"))
        },
        // The hint names another paragraph: found, with a warning.
        Case {
            paragraph: Some(1), ..quote("مطار باماكو الدولي", Expect::Moved(3, "مطار باماكو الدولي", 1))
        },
        Case {
            paragraph: Some(9), ..quote("مطار باماكو الدولي", Expect::Moved(3, "مطار باماكو الدولي", 9))
        },
        Case {
            paragraph: Some(3), ..quote("مطار باماكو الدولي", Expect::Anchored(3, "مطار باماكو الدولي"))
        },
        // White space, normalisation form, tashkeel, tatweel, case.
        quote("القوات  المسلحة\nالمالية", Expect::Anchored(1, "القوات المسلحة المالية")),
        quote(" \u{00A0}مطار باماكو الدولي. ", Expect::Anchored(3, "مطار باماكو الدولي.")),
        quote("\u{0627}\u{0654}علن المجلس", Expect::Anchored(1, "أعلن المجلس")),
        quote("مِنْ جانبها", Expect::Anchored(3, "من جانبها")),
        quote("من حدود النيجر", Expect::Anchored(4, "مِن حدود النيجر")),
        quote("مطـار باماكو", Expect::Ambiguous(&[3, 5])),
        Case {
            paragraphs: Some(&["من نوع BMP-3، وناقلات"]), ..quote("bmp-3", Expect::Anchored(1, "BMP-3"))
        },
        Case {
            paragraphs: Some(&["دعما ماليٌ كبيرا"]), ..quote("دعما مالي", Expect::Anchored(1, "دعما ماليٌ"))
        },
        Case { paragraphs: Some(&["ها ها ها"]), ..quote("ها ها", Expect::Ambiguous(&[1, 1])) },
        // Missing quotes: the closest passage, never an anchor.
        quote("تسلم القوات المسلحة المالبة شحنة", Expect::NotFound(Some((1, "تسلم القوات المسلحة المالية شحنة")))),
        quote("وزير الدفاع المالي ساديو كمارا", Expect::NotFound(Some((5, "وزير الدفاع المالي ساديو كامارا")))),
        quote("أقل من شهر. وقال رئيس هيئة", Expect::NotFound(None)),
        Case { paragraphs: Some(&[]), ..quote("مالي", Expect::NotFound(None)) },
        // Nothing to look for.
        quote("", Expect::Empty),
        quote(" \n ", Expect::Empty),
        quote("ـ\u{064E}\u{200F}", Expect::Empty),
    ];

    fn passage(paragraphs: &[&str], anchor: &Anchor) -> String {
        paragraphs[anchor.paragraph - 1][anchor.start..anchor.end].to_owned()
    }

    #[test]
    fn resolves_the_table() {
        for case in CASES {
            let paragraphs = case.paragraphs.unwrap_or(ARTICLE);
            let sel =
                Selector { quote: case.quote, prefix: case.prefix, suffix: case.suffix, paragraph: case.paragraph };
            let got = resolve(paragraphs, &sel);
            let context = format!("quote {:?}: {got:?}", case.quote);
            match (&case.expect, &got) {
                (Expect::Anchored(p, text), Ok(AnchorOutcome::Anchored(anchor))) => {
                    assert_eq!((anchor.paragraph, passage(paragraphs, anchor).as_str()), (*p, *text), "{context}");
                }
                (Expect::Moved(p, text, h), Ok(AnchorOutcome::Moved { anchor, hint })) => {
                    assert_eq!(
                        (anchor.paragraph, passage(paragraphs, anchor).as_str(), *hint),
                        (*p, *text, *h),
                        "{context}"
                    );
                }
                (Expect::Unmatched(p, text, c), Ok(AnchorOutcome::Unmatched { anchor, context: got })) => {
                    assert_eq!(
                        (anchor.paragraph, passage(paragraphs, anchor).as_str(), *got),
                        (*p, *text, *c),
                        "{context}"
                    );
                }
                (Expect::Ambiguous(expected), Err(AnchorError::Ambiguous { paragraphs, help })) => {
                    assert_eq!(paragraphs, expected, "{context}");
                    assert!(help.contains("prefix:") && help.contains("suffix:"), "{context}");
                }
                (Expect::NotFound(expected), Err(AnchorError::NotFound { closest, help })) => {
                    if let Some((p, text)) = expected {
                        assert_eq!(closest.as_ref(), Some(&(*p, text.to_string())), "{context}");
                        assert!(help.contains('%'), "{context}");
                    }
                }
                (Expect::Empty, Err(AnchorError::EmptyQuote)) => {}
                _ => panic!("expected {:?}, {context}", case.expect),
            }
        }
    }

    #[test]
    fn ambiguous_help_names_the_words_before_each_match() {
        let sel = Selector { quote: "العتاد العسكري", ..Selector::default() };
        let Err(AnchorError::Ambiguous { help, .. }) = resolve(ARTICLE, &sel) else {
            panic!("not ambiguous");
        };
        assert!(help.contains("¶1 after \"شحنة جديدة من\""), "{help}");
        assert!(help.contains("¶2 after \"الدفعة الثانية من\""), "{help}");
        assert!(help.contains("`paragraph: N`"), "{help}");
        // The suggested prefix does choose the passage.
        let sel = Selector { prefix: Some("الدفعة الثانية من"), ..sel };
        assert!(matches!(resolve(ARTICLE, &sel), Ok(AnchorOutcome::Anchored(a)) if a.paragraph == 2));
    }

    #[test]
    fn nfc_and_nfd_articles_anchor_alike() {
        use unicode_normalization::UnicodeNormalization;
        let nfd: Vec<String> = ARTICLE.iter().map(|p| p.nfd().collect()).collect();
        let nfd: Vec<&str> = nfd.iter().map(String::as_str).collect();
        let sel = Selector {
            quote: "أعلن المجلس العسكري الحاكم في مالي", ..Selector::default()
        };
        let Ok(AnchorOutcome::Anchored(anchor)) = resolve(&nfd, &sel) else {
            panic!("not anchored");
        };
        let found = &nfd[0][anchor.start..anchor.end];
        assert_eq!(found.nfc().collect::<String>(), sel.quote);
    }

    #[test]
    fn a_long_article_gives_its_closest_passage() {
        // 100 paragraphs of 100 words: the search for the closest passage
        // must stay quick (not timed here, but run in every test pass).
        let words: Vec<&str> = ARTICLE.iter().flat_map(|p| p.split_whitespace()).collect();
        let paragraphs: Vec<String> = (0..100)
            .map(|i| (0..100).map(|k| words[(i * 37 + k * 11) % words.len()]).collect::<Vec<_>>().join(" "))
            .collect();
        let mut paragraphs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
        paragraphs.push(ARTICLE[4]);
        let sel = Selector {
            quote: "قد أعلن الشهر الماضى تسلم بلادة مروحيتين وجهاز رادر", ..Selector::default()
        };
        let Err(AnchorError::NotFound { closest, .. }) = resolve(&paragraphs, &sel) else {
            panic!("found a quote that is not there");
        };
        assert_eq!(closest, Some((101, "قد أعلن الشهر الماضي تسلم بلاده مروحيتين وجهاز رادار".to_owned())));
    }

    #[test]
    fn a_huge_quote_is_refused_quickly() {
        let quote = "مالي روسيا ".repeat(20_000);
        let sel = Selector { quote: &quote, ..Selector::default() };
        assert!(matches!(resolve(ARTICLE, &sel), Err(AnchorError::NotFound { closest: Some(_), .. })));
    }
}
