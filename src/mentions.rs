//! Finding every mention of every entity in a text, in one pass.
//!
//! SPEC §5 asks for the aliases of all entities to be found in every
//! article body with Arabic-aware rules, in one pass rather than one per
//! alias, so that a dossier with thousands of aliases stays linear in the
//! size of its text. A [`Matcher`] is built once per dossier: it holds one
//! Aho-Corasick automaton over the normalised aliases (and `not_mentions`
//! phrases), runs it over the normalised text ([`crate::arabic`]) and maps
//! each match back to the text as written.
//!
//! # Rules
//!
//! - Aliases and text are compared in their normalised form, so tashkeel,
//!   tatweel, hamza forms, `ى/ي`, `ة/ه`, Persian letters, white space,
//!   invisible characters and Latin case do not matter.
//! - A match ends at a word boundary: `مالياً`, `المالية` and `الماليين`
//!   are not `مالي`.
//! - A match starts at a word boundary, or after proclitics that start the
//!   word: one of `و ف ب ك ل`, or two where the first is `و`/`ف` and the
//!   second `ب ك ل` (`وب ول وك فب فل فك`). `بموسكو`, `لموسكو`, `وباماكو`,
//!   `وTigr` are mentions.
//! - The definite article is not a proclitic: `المالي` is not `مالي`.
//!   An alias that itself starts with `ال` is found after `و ف ب ك` and
//!   `وب فب وك فك` (`والجيش`, `بالجيش`), and in the contraction `لل`
//!   (`للجيش` = `ل` + `الجيش`, also `ولل` and `فلل`). An alias starting
//!   with `الل` loses a lam as well (`للجنة` = `ل` + `اللجنة`).
//! - **The mention covers the name, not its proclitics**, so the linked
//!   text is the name: in `وباماكو` it is `باماكو`; in `للجيش المالي` it
//!   starts at the second `ل` (the article's lam, whose alef was elided):
//!   `لجيش المالي`; in `للجنة` (`ل` + `اللجنة`), where the preposition
//!   and the article are one letter, it is the whole word. Marks and
//!   tatweel inside or right after the name are inside the range.
//! - Where matches overlap, the longest (in normalised characters) wins;
//!   at equal length the earlier start, then the lower entity index, then
//!   the lower alias index. Two entities sharing an alias: the lower index
//!   gets every mention.
//! - An occurrence of an alias inside an occurrence of one of its entity's
//!   `not_mentions` phrases (found with the same rules) is not a mention.
//!   Suppressed occurrences do not take part in the overlap contest.
//! - Aliases that normalise to nothing are ignored.

use std::collections::BTreeMap;

use aho_corasick::{AhoCorasick, BuildError};

use crate::arabic::{self, is_word_char};

/// One mention: a byte range of the original text and what it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub entity: usize,
    /// Index into the `aliases` slice the matcher was built from.
    pub alias: usize,
}

/// What a pattern of the automaton stands for.
#[derive(Debug, Clone, Copy)]
enum Role {
    Alias { entity: usize, alias: usize },
    NotMention { entity: usize },
}

/// How the pattern is written in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// The alias as it is.
    Plain { has_article: bool },
    /// An alias starting with `ال`, written without its alef after the
    /// preposition `ل` (`للجيش`): the pattern starts at the article's lam.
    Contracted,
    /// An alias starting with `الل`, written after the preposition `ل` as
    /// `لل` (`للجنة` = `ل` + `اللجنة`): the preposition and the article are
    /// merged into the pattern, which starts the word.
    Merged,
}

#[derive(Debug, Clone, Copy)]
struct PatternUse {
    role: Role,
    form: Form,
}

/// All aliases of a dossier, ready to be searched for in any text.
#[derive(Debug, Clone)]
pub struct Matcher {
    /// `None` when there is nothing to look for.
    automaton: Option<AhoCorasick>,
    /// For each pattern of the automaton, every alias or phrase it stands
    /// for (several aliases may share a normal form).
    uses: Vec<Vec<PatternUse>>,
}

/// A match accepted by the word rules, in normalised byte offsets.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    start: usize,
    end: usize,
    chars: usize,
    entity: usize,
    alias: usize,
}

impl Matcher {
    /// `aliases`: (entity index, alias text). `not_mentions`: (entity
    /// index, phrase): an occurrence of an alias inside such a phrase is
    /// not a mention of that entity.
    ///
    /// Building the automaton can only fail beyond limits no dossier
    /// reaches (about two billion patterns); if it ever did, this matcher
    /// finds nothing, and [`Matcher::try_new`] says why.
    pub fn new(aliases: &[(usize, &str)], not_mentions: &[(usize, &str)]) -> Matcher {
        Matcher::try_new(aliases, not_mentions).unwrap_or(Matcher { automaton: None, uses: Vec::new() })
    }

    /// Like [`Matcher::new`], reporting a failure to build the automaton.
    pub fn try_new(aliases: &[(usize, &str)], not_mentions: &[(usize, &str)]) -> Result<Matcher, BuildError> {
        // A BTreeMap keeps pattern ids independent of hashing, and merges
        // aliases that normalise alike into one pattern.
        let mut patterns: BTreeMap<String, Vec<PatternUse>> = BTreeMap::new();
        let roles = aliases
            .iter()
            .enumerate()
            .map(|(alias, &(entity, text))| (Role::Alias { entity, alias }, text))
            .chain(not_mentions.iter().map(|&(entity, text)| (Role::NotMention { entity }, text)));
        for (role, text) in roles {
            let normal = arabic::normalize(text);
            let normal = normal.trim_matches(' ');
            if normal.is_empty() {
                continue;
            }
            let contracted = contracted_form(normal);
            let form = Form::Plain { has_article: contracted.is_some() };
            patterns.entry(normal.to_owned()).or_default().push(PatternUse { role, form });
            if let Some(contracted) = contracted {
                let form = if contracted.starts_with("لل") { Form::Merged } else { Form::Contracted };
                patterns.entry(contracted.to_owned()).or_default().push(PatternUse { role, form });
            }
        }
        if patterns.is_empty() {
            return Ok(Matcher { automaton: None, uses: Vec::new() });
        }
        let automaton = AhoCorasick::new(patterns.keys())?;
        Ok(Matcher { automaton: Some(automaton), uses: patterns.into_values().collect() })
    }

    /// Mentions in `text`, as byte ranges of `text` (the original, not
    /// normalised), sorted by start and not overlapping.
    pub fn find(&self, text: &str) -> Vec<Mention> {
        if self.automaton.is_none() {
            return Vec::new();
        }
        self.find_normalized(&arabic::normalize_with_map(text))
    }

    /// As `find`, on a text already normalised with its map (so a caller
    /// that also anchors quotes normalises each paragraph only once).
    pub fn find_normalized(&self, normal: &arabic::Normalized) -> Vec<Mention> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let haystack = normal.text.as_str();
        let mut candidates = Vec::new();
        // (entity, start, end) of every not_mentions phrase occurrence.
        let mut blockers = Vec::new();
        // Overlapping search reports every pattern at every position, so a
        // match rejected by the word rules (`مالي` inside `الشمالية`) cannot
        // hide an acceptable one that overlaps it.
        for found in automaton.find_overlapping_iter(haystack) {
            let (start, end) = (found.start(), found.end());
            if !ends_at_boundary(haystack, start, end) {
                continue;
            }
            let Some(uses) = self.uses.get(found.pattern().as_usize()) else {
                continue;
            };
            for pattern in uses {
                if !starts_at_boundary(haystack, start, pattern.form) {
                    continue;
                }
                match pattern.role {
                    Role::Alias { entity, alias } => candidates.push(Candidate {
                        start,
                        end,
                        chars: haystack.get(start..end).map_or(0, |s| s.chars().count()),
                        entity,
                        alias,
                    }),
                    Role::NotMention { entity } => blockers.push((entity, start, end)),
                }
            }
        }
        let blockers = Blockers::new(blockers);
        candidates.retain(|c| !blockers.contain(c.entity, c.start, c.end));
        select(candidates)
            .into_iter()
            .map(|c| {
                let range = normal.source_range(c.start, c.end);
                Mention { start: range.start, end: range.end, entity: c.entity, alias: c.alias }
            })
            .collect()
    }
}

/// Words after which a name is not read as an adjective: prepositions,
/// conjunctions and particles (`في مالي`, `إن مالي`), in normalised form
/// (hamza seats folded, `ى` as `ي`), compared after [`arabic::normalize`].
pub(crate) const PARTICLES: &[&str] = &[
    "في",
    "الي",
    "من",
    "عن",
    "علي",
    "مع",
    "بين",
    "حول",
    "داخل",
    "خارج",
    "نحو",
    "لدي",
    "منذ",
    "حتي",
    "عبر",
    "ضد",
    "تجاه",
    "دون",
    "عند",
    "قبل",
    "بعد",
    "او",
    "ثم",
    "ان",
    "لان",
    "بان",
    "كما",
    "مثل",
    "لكن",
    "بل",
    "قد",
    "لقد",
    "هل",
    "اما",
    "اذا",
    "لو",
    "كي",
    "لا",
    "لم",
    "لن",
    "ما",
    "ماذا",
    "هو",
    "هي",
    "يا",
    "وفي",
    "ومن",
    "والي",
    "وعلي",
    "وبين",
    "ومع",
    "فان",
    "وان",
    "انها",
    "ذلك",
    "تلك",
    "ذاك",
    "هذا",
    "هذه",
    "هولاء",
    "اولئك",
];

/// Whether the name at `start..end` of `text` may be read as an adjective
/// rather than a name: it has the shape of a relative adjective (one word
/// ending in `ي`, like `مالي` "financial"), starts its word (no proclitic),
/// and follows, after one space, an indefinite Arabic word that could be
/// the noun it describes: not a particle or demonstrative, not definite,
/// with no pronoun suffix, and not ending in `ة` or `ات`, whose adjective
/// would end in `ية` (`حكومة مالي` is "the government of Mali").
/// `ضغط مالي` ("financial pressure") and `رئيس مالي`
/// ("Mali's president") both qualify: telling them apart takes a reader,
/// which is what `milaf suggest` lists them for.
pub fn may_be_adjective(text: &str, start: usize, end: usize) -> bool {
    let Some(name) = text.get(start..end) else { return false };
    let name = arabic::normalize(name);
    let name = name.trim();
    if name.contains(' ') || !name.ends_with('ي') || name.chars().count() < 3 {
        return false;
    }
    let before = text.get(..start).unwrap_or("");
    // One plain space, then the previous word.
    let Some(before) = before.strip_suffix(' ') else { return false };
    let word_start = before.char_indices().rev().find(|&(_, c)| !is_word_char(c)).map_or(0, |(i, c)| i + c.len_utf8());
    let word = arabic::normalize(&before[word_start..]);
    let word = word.trim();
    if word.is_empty() || !word.chars().all(|c| ('\u{0621}'..='\u{064A}').contains(&c)) {
        return false;
    }
    let definite = ["ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل", "وبال"].iter().any(|p| word.starts_with(p));
    // The normaliser writes `ة` as `ه`.
    let feminine = word.ends_with('ه') || word.ends_with("ات");
    // A noun with a pronoun suffix is definite (its adjective takes `ال`);
    // a verb with one (`تتسلمها مالي`) has the name as its subject.
    let suffixed = ["ها", "هم", "هما", "هن"].iter().any(|p| word.ends_with(p));
    // A past verb with its subject after it (`أعلنت مالي`, `قالت مالي`):
    // a noun ending in `ت` that takes this adjective is rare.
    let verb = word.ends_with('ت');
    !definite && !feminine && !suffixed && !verb && !PARTICLES.contains(&word)
}

/// The form of an alias starting with the article `ال` as written after
/// the preposition `ل` (`الجيش` → `لجيش`, read in `للجيش`), or `None` when
/// the alias has no article followed by a word.
fn contracted_form(alias: &str) -> Option<&str> {
    let rest = alias.strip_prefix('ا')?;
    let after = rest.strip_prefix('ل')?;
    match after.chars().next() {
        Some(c) if is_word_char(c) => Some(rest),
        _ => None,
    }
}

fn is_proclitic(c: char) -> bool {
    matches!(c, 'و' | 'ف' | 'ب' | 'ك' | 'ل')
}

/// Whether a match ending at `end` ends a word.
fn ends_at_boundary(haystack: &str, start: usize, end: usize) -> bool {
    let last = haystack.get(start..end).and_then(|s| s.chars().next_back());
    let next = haystack.get(end..).and_then(|s| s.chars().next());
    match (last, next) {
        (Some(last), Some(next)) => !(is_word_char(last) && is_word_char(next)),
        _ => true,
    }
}

/// Whether a match starting at `start` starts a word, allowing the
/// proclitics the form accepts.
fn starts_at_boundary(haystack: &str, start: usize, form: Form) -> bool {
    let first = haystack.get(start..).and_then(|s| s.chars().next());
    let mut before = haystack.get(..start).unwrap_or("").chars().rev();
    let (c1, c2, c3) = (before.next(), before.next(), before.next());
    let open = |c: Option<char>| c.is_none_or(|c| !is_word_char(c));
    // A sequence of proclitics, last one `c1`, that starts a word.
    let proclitics =
        |c1: char| open(c2) || (matches!(c2, Some('و' | 'ف')) && matches!(c1, 'ب' | 'ك' | 'ل') && open(c3));
    match form {
        Form::Plain { has_article } => {
            if first.is_none_or(|c| !is_word_char(c)) || open(c1) {
                return true;
            }
            match c1 {
                // `لال` is never written: `ل` + `ال` contracts to `لل`.
                Some('ل') if has_article => false,
                Some(c1) if is_proclitic(c1) => proclitics(c1),
                _ => false,
            }
        }
        Form::Contracted => c1 == Some('ل') && proclitics('ل'),
        Form::Merged => open(c1) || (matches!(c1, Some('و' | 'ف')) && open(c2)),
    }
}

/// The occurrences of `not_mentions` phrases, by entity.
struct Blockers {
    /// (entity, start, end, greatest end among this entity's blockers up
    /// to this one), sorted by entity and start.
    spans: Vec<(usize, usize, usize, usize)>,
}

impl Blockers {
    fn new(mut found: Vec<(usize, usize, usize)>) -> Blockers {
        found.sort_unstable();
        let mut spans = Vec::with_capacity(found.len());
        let mut reach: Option<(usize, usize)> = None;
        for (entity, start, end) in found {
            let furthest = match reach {
                Some((e, far)) if e == entity => far.max(end),
                _ => end,
            };
            reach = Some((entity, furthest));
            spans.push((entity, start, end, furthest));
        }
        Blockers { spans }
    }

    /// Whether some phrase of `entity` covers `start..end`.
    fn contain(&self, entity: usize, start: usize, end: usize) -> bool {
        // The last blocker of this entity starting at or before `start`
        // carries the furthest end of all of them.
        let upto = self.spans.partition_point(|&(e, s, _, _)| (e, s) <= (entity, start));
        upto.checked_sub(1)
            .and_then(|i| self.spans.get(i))
            .is_some_and(|&(e, _, _, furthest)| e == entity && furthest >= end)
    }
}

/// The non-overlapping candidates, longest first, in text order.
fn select(mut candidates: Vec<Candidate>) -> Vec<Candidate> {
    candidates.sort_unstable_by(|a, b| {
        b.chars.cmp(&a.chars).then(a.start.cmp(&b.start)).then(a.entity.cmp(&b.entity)).then(a.alias.cmp(&b.alias))
    });
    let mut taken: BTreeMap<usize, Candidate> = BTreeMap::new();
    for candidate in candidates {
        // Taken ranges do not overlap, so the one starting last before this
        // candidate's end also ends last: if any overlaps, it does.
        let overlaps = taken.range(..candidate.end).next_back().is_some_and(|(_, t)| t.end > candidate.start);
        if !overlaps {
            taken.insert(candidate.start, candidate);
        }
    }
    taken.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_after_an_indefinite_noun_may_be_an_adjective() {
        let at = |text: &str| {
            let start = text.rfind("مالي").unwrap();
            may_be_adjective(text, start, start + "مالي".len())
        };
        assert!(at("وسط ضغط مالي"));
        assert!(at("رئيس مالي"));
        assert!(at("ملتزمة بدعم مالي"));
        assert!(!at("في مالي"), "after a preposition");
        assert!(!at("وقالت إلى مالي"), "hamza seat and alef maqsura folded");
        assert!(!at("حكومة مالي"), "a feminine noun would take مالية");
        assert!(!at("المساعدات مالي"), "a feminine plural too");
        assert!(!at("الجيش مالي"), "after a definite word");
        assert!(!at("تتسلمها مالي"), "a pronoun suffix");
        assert!(!at("ذلك مالي"), "a demonstrative");
        assert!(!at("أعلنت مالي"), "a past verb and its subject");
        assert!(!at("مرحبا، مالي"), "punctuation between");
        assert!(!at("وتسعى ومالي"), "a proclitic on the name");
        let text = "ضغط موسكو";
        assert!(!may_be_adjective(text, text.find("موسكو").unwrap(), text.len()), "not a relative adjective's shape");
    }

    /// Entity indices of the shared alias list.
    const MOSCOW: usize = 0;
    const BAMAKO: usize = 1;
    const MALI: usize = 2;
    const RUSSIA: usize = 3;
    const LAVROV: usize = 4;
    const AFRICA_CORPS: usize = 5;
    const MALIAN_ARMY: usize = 6;
    const T72: usize = 7;
    const BMP3: usize = 8;
    const TIGR: usize = 9;
    const SPARTAK: usize = 10;
    const BAMAKO_AIRPORT: usize = 11;
    const GOITA: usize = 12;
    const WAGNER: usize = 13;
    const ALGERIA: usize = 14;
    const BURKINA: usize = 15;
    const NIGER: usize = 16;
    const CAMARA: usize = 17;
    const PUTIN: usize = 18;
    const RUSSIAN_ARMY: usize = 19;
    const DIOP: usize = 20;
    const KIDAL: usize = 21;
    const LINZA: usize = 22;
    const FRANCE: usize = 23;

    /// The aliases of a dossier built from the seed texts.
    const ALIASES: &[(usize, &str)] = &[
        (MOSCOW, "موسكو"),
        (BAMAKO, "باماكو"),
        (MALI, "مالي"),
        (RUSSIA, "روسيا"),
        (LAVROV, "سيرغي لافروف"),
        (LAVROV, "سيرجي لافروف"),
        (LAVROV, "لافروف"),
        (AFRICA_CORPS, "فيلق أفريقيا"),
        (AFRICA_CORPS, "الفيلق الإفريقي"),
        (MALIAN_ARMY, "الجيش المالي"),
        (MALIAN_ARMY, "القوات المسلحة المالية"),
        (T72, "T-72B3"),
        (BMP3, "BMP-3"),
        (TIGR, "Tigr"),
        (SPARTAK, "Spartak"),
        (BAMAKO_AIRPORT, "مطار باماكو الدولي"),
        (GOITA, "آسيمي غويتا"),
        (GOITA, "غويتا"),
        (WAGNER, "فاغنر"),
        (WAGNER, "مجموعة فاغنر"),
        (ALGERIA, "الجزائر"),
        (BURKINA, "بوركينا فاسو"),
        (NIGER, "النيجر"),
        (CAMARA, "ساديو كامارا"),
        (CAMARA, "كامارا"),
        (PUTIN, "فلاديمير بوتين"),
        (PUTIN, "بوتين"),
        (RUSSIAN_ARMY, "الجيش الروسي"),
        (DIOP, "عبد الله ديوب"),
        (DIOP, "ديوب"),
        (KIDAL, "كيدال"),
        (LINZA, "Linza"),
        (FRANCE, "فرنسا"),
    ];

    struct Case {
        text: &'static str,
        /// `None`: the shared [`ALIASES`].
        aliases: Option<&'static [(usize, &'static str)]>,
        not_mentions: &'static [(usize, &'static str)],
        /// (the mention as written, entity), in text order.
        expected: &'static [(&'static str, usize)],
    }

    const fn case(text: &'static str, expected: &'static [(&'static str, usize)]) -> Case {
        Case { text, aliases: None, not_mentions: &[], expected }
    }

    const CASES: &[Case] = &[
        // Proclitics before a name.
        case("الشراكة الاستراتيجية بين موسكو وباماكو،", &[("موسكو", MOSCOW), ("باماكو", BAMAKO)]),
        case("اجتمع الوزيران بموسكو أمس", &[("موسكو", MOSCOW)]),
        case("فإن زيارة غويتا لموسكو وما تبعها", &[("غويتا", GOITA), ("موسكو", MOSCOW)]),
        case("موجها لموسكو الشكر", &[("موسكو", MOSCOW)]),
        case("العلاقات بين روسيا ومالي تطورًا", &[("روسيا", RUSSIA), ("مالي", MALI)]),
        case("ففي بوركينا فاسو، حققت", &[("بوركينا فاسو", BURKINA)]),
        case("وبموسكو وفبموسكو", &[("موسكو", MOSCOW)]),
        case("ولمالي وكمالي", &[("مالي", MALI), ("مالي", MALI)]),
        // The definite article is not a proclitic of a name.
        case("تقوم ببيعها للجيش المالي.", &[("لجيش المالي", MALIAN_ARMY)]),
        case("القدرات الدفاعية للجيش المالي في مواجهة", &[("لجيش المالي", MALIAN_ARMY)]),
        case("سيطرة الجيش المالي على مدينة كيدال", &[("الجيش المالي", MALIAN_ARMY), ("كيدال", KIDAL)]),
        case("هجوم شنه الجيش المالي وبلغ ذروته", &[("الجيش المالي", MALIAN_ARMY)]),
        case("فبالجيش المالي وللجيش المالي", &[("الجيش المالي", MALIAN_ARMY), ("لجيش المالي", MALIAN_ARMY)]),
        case("تسلم القوات المسلحة المالية شحنة", &[("القوات المسلحة المالية", MALIAN_ARMY)]),
        case("مثالاً للقوات المسلحة المالية، المنخرطة", &[("لقوات المسلحة المالية", MALIAN_ARMY)]),
        case("وزير الدفاع المالي", &[]),
        case("نشرت الرئاسة المالية عبر حسابها", &[]),
        case("تدريب الجنود الماليين وتعزيز", &[]),
        case("مما يرفع الآمال لدى الماليين", &[]),
        case("للمالي حق", &[]),
        case("الأراضي المالية هم مدربون", &[]),
        case("أثبت نجاحه في دول مثل بوركينا فاسو والنيجر خلال", &[("بوركينا فاسو", BURKINA), ("النيجر", NIGER)]),
        case("بين باماكو والجزائر.", &[("باماكو", BAMAKO), ("الجزائر", ALGERIA)]),
        case("رسائل مبطنة إلى الجزائر!", &[("الجزائر", ALGERIA)]),
        case("لالجزائر", &[]),
        // Suffixes are not part of a name.
        case("دعما مالياً كبيرا", &[]),
        case("إلى الجارة الشمالية مالي، التي", &[("مالي", MALI)]),
        case("الروسية والروسيات", &[]),
        // Spelling variants of one entity.
        case("وزير الخارجية الروسي سيرغي لافروف في تصريح", &[("سيرغي لافروف", LAVROV)]),
        case("والروسي سيرجي لافروف، في موسكو", &[("سيرجي لافروف", LAVROV), ("موسكو", MOSCOW)]),
        case("وفقًا للافروف.", &[("لافروف", LAVROV)]),
        case("عقب اجتماعه مع لافروف:", &[("لافروف", LAVROV)]),
        case("لقوات \"فيلق أفريقيا\"، تبقى", &[("فيلق أفريقيا", AFRICA_CORPS)]),
        case("ما يُعرف بـ”الفيلق الإفريقي”، وهو", &[("الفيلق الإفريقي", AFRICA_CORPS)]),
        case("من “فاغنر” إلى “الفيلق الإفريقي”", &[("فاغنر", WAGNER), ("الفيلق الإفريقي", AFRICA_CORPS)]),
        case("فيلق إفريقيا والفيلق الأفريقي", &[("فيلق إفريقيا", AFRICA_CORPS), ("الفيلق الأفريقي", AFRICA_CORPS)]),
        // Latin aliases inside Arabic text, any case.
        case("دبابات من طراز T-72B3، ومركبات", &[("T-72B3", T72)]),
        case("ومركبات قتالية من نوع BMP-3، وناقلات", &[("BMP-3", BMP3)]),
        case("مثل Spartak وTigr وLinza.", &[("Spartak", SPARTAK), ("Tigr", TIGR), ("Linza", LINZA)]),
        case("مركبات bmp-3 خفيفة", &[("bmp-3", BMP3)]),
        case("SPARTAK-2 وTigrs", &[("SPARTAK", SPARTAK)]),
        case("من طراز \u{2067}T-72B3\u{2069} الحديثة", &[("T-72B3", T72)]),
        // Marks, tatweel and spelling inside a name.
        case("في مَالِي", &[("مَالِي", MALI)]),
        case("وفّرتها روسيا التي", &[("روسيا", RUSSIA)]),
        case("في مالـــي اليوم", &[("مالـــي", MALI)]),
        case("بـمالي", &[("مالي", MALI)]),
        case("ماليٌ", &[("ماليٌ", MALI)]),
        case("كشف الجنرال آسيمى غويتا", &[("آسيمى غويتا", GOITA)]),
        case("سيرجي\u{00A0}\u{00A0}لافروف", &[("سيرجي\u{00A0}\u{00A0}لافروف", LAVROV)]),
        case("فيلق \u{0627}\u{0654}فريقيا", &[("فيلق \u{0627}\u{0654}فريقيا", AFRICA_CORPS)]),
        // The longest alias wins.
        case("العتاد إلى مطار باماكو الدولي.", &[("مطار باماكو الدولي", BAMAKO_AIRPORT)]),
        case("قاعدة عسكرية في مطار باماكو، لتنضم", &[("باماكو", BAMAKO)]),
        case("كشف الجنرال آسيمي غويتا، رئيس", &[("آسيمي غويتا", GOITA)]),
        case("بعد انسحاب مجموعة فاغنر التي", &[("مجموعة فاغنر", WAGNER)]),
        case("عناصر من شركة \"فاغنر\" الروسية", &[("فاغنر", WAGNER)]),
        case("وزير الدفاع المالي ساديو كامارا، قد", &[("ساديو كامارا", CAMARA)]),
        case("وجاءت تصريحات كامارا خلال", &[("كامارا", CAMARA)]),
        case("التقى الرئيس الروسي فلاديمير بوتين، وجرى", &[("فلاديمير بوتين", PUTIN)]),
        case("وأكد بوتين خلال اللقاء", &[("بوتين", PUTIN)]),
        case("تابعون للجيش الروسي.", &[("لجيش الروسي", RUSSIAN_ARMY)]),
        case("وزيرا الخارجية المالي، عبد الله ديوب والروسي", &[("عبد الله ديوب", DIOP)]),
        case("وقد رحب المالي ديوب، بـ", &[("ديوب", DIOP)]),
        case("الكاتب عبدالله ميغا، في", &[]),
        case("ومنذ 2013، كانت تعمل فرنسا على مساعدة مالي", &[("فرنسا", FRANCE), ("مالي", MALI)]),
        // An alias starting with `الل` merges with the preposition `ل`.
        Case {
            text: "تقرير للجنة الأولمبية وللجنة الأولمبية ولجنة الأولمبية",
            aliases: Some(&[(0, "اللجنة الأولمبية")]),
            not_mentions: &[],
            expected: &[("للجنة الأولمبية", 0), ("للجنة الأولمبية", 0)],
        },
        Case {
            text: "اللجنة الأولمبية وباللجنة الأولمبية ولللجنة الأولمبية",
            aliases: Some(&[(0, "اللجنة الأولمبية")]),
            not_mentions: &[],
            expected: &[("اللجنة الأولمبية", 0), ("اللجنة الأولمبية", 0)],
        },
        // `not_mentions`.
        Case {
            text: "بين روسيا البيضاء وروسيا",
            aliases: Some(&[(0, "روسيا"), (1, "روسيا البيضاء")]),
            not_mentions: &[(0, "روسيا البيضاء")],
            expected: &[("روسيا البيضاء", 1), ("روسيا", 0)],
        },
        Case {
            text: "من روسيا البيضاء ومن روسيا",
            aliases: Some(&[(0, "روسيا")]),
            not_mentions: &[(0, "روسيا البيضاء")],
            expected: &[("روسيا", 0)],
        },
        Case {
            text: "في شمال مالي وفي مالي",
            aliases: Some(&[(0, "مالي"), (1, "شمال")]),
            not_mentions: &[(0, "شمال مالي")],
            expected: &[("شمال", 1), ("مالي", 0)],
        },
        Case {
            text: "نادي سبارتاك موسكو ومركبة سبارتاك",
            aliases: Some(&[(0, "موسكو"), (1, "سبارتاك")]),
            not_mentions: &[(1, "نادي سبارتاك")],
            expected: &[("موسكو", 0), ("سبارتاك", 1)],
        },
        // Ties: same text, two entities: the lower index wins.
        Case {
            text: "قال كامارا",
            aliases: Some(&[(5, "كامارا"), (2, "كامارا")]),
            not_mentions: &[],
            expected: &[("كامارا", 2)],
        },
        // Aliases that normalise to nothing are ignored.
        Case {
            text: "مالي ـ مالي",
            aliases: Some(&[(0, "\u{064E}ـ"), (1, "  "), (2, "مالي")]),
            not_mentions: &[],
            expected: &[("مالي", 2), ("مالي", 2)],
        },
        case("", &[]),
    ];

    fn check(case: &Case, found: &[Mention]) {
        let got: Vec<(&str, usize)> = found.iter().map(|m| (&case.text[m.start..m.end], m.entity)).collect();
        assert_eq!(got, case.expected, "text {:?}", case.text);
    }

    #[test]
    fn finds_the_mentions_of_the_table() {
        assert!(CASES.len() >= 45);
        let shared = Matcher::new(ALIASES, &[]);
        for case in CASES {
            let found = match case.aliases {
                None => shared.find(case.text),
                Some(aliases) => Matcher::new(aliases, case.not_mentions).find(case.text),
            };
            check(case, &found);
            let aliases = case.aliases.unwrap_or(ALIASES);
            for m in &found {
                assert_eq!(aliases[m.alias].0, m.entity, "text {:?}", case.text);
            }
            assert_eq!(found, naive(aliases, case.not_mentions, case.text));
        }
    }

    #[test]
    fn both_spellings_of_lavrov_reach_one_entity() {
        let matcher = Matcher::new(ALIASES, &[]);
        for text in ["سيرجي لافروف", "سيرغي لافروف"] {
            let found = matcher.find(text);
            assert_eq!(found.len(), 1);
            assert_eq!((found[0].start, found[0].end), (0, text.len()));
            assert_eq!(found[0].entity, LAVROV);
        }
    }

    #[test]
    fn an_empty_matcher_finds_nothing() {
        assert_eq!(Matcher::new(&[], &[]).find("مالي"), []);
        assert_eq!(Matcher::new(&[(0, "ـ")], &[]).find("مالي ـ"), []);
    }

    /// A reference written the slow, obvious way: every alias, every
    /// position, every way of writing the alias with its proclitics.
    fn naive(aliases: &[(usize, &str)], not_mentions: &[(usize, &str)], text: &str) -> Vec<Mention> {
        const SIMPLE: &[&str] = &["", "و", "ف", "ب", "ك", "ل", "وب", "وك", "ول", "فب", "فك", "فل"];
        const BEFORE_ARTICLE: &[&str] = &["", "و", "ف", "ب", "ك", "وب", "وك", "فب", "فك"];
        const BEFORE_CONTRACTION: &[&str] = &["ل", "ول", "فل"];
        // `ل` + `اللجنة` is `للجنة`: the preposition is inside the body.
        const BEFORE_MERGED: &[&str] = &["", "و", "ف"];
        let normal = arabic::normalize_with_map(text);
        let t = normal.text.as_str();
        let word_at = |i: usize| t[i..].chars().next().is_some_and(is_word_char);
        let word_before = |i: usize| t[..i].chars().next_back().is_some_and(is_word_char);
        // (entity, alias or None for a phrase, start, end) of the name part.
        let mut found: Vec<(usize, Option<usize>, usize, usize)> = Vec::new();
        let all = aliases
            .iter()
            .enumerate()
            .map(|(i, &(e, a))| (e, Some(i), a))
            .chain(not_mentions.iter().map(|&(e, a)| (e, None, a)));
        for (entity, alias, written) in all {
            let name = arabic::normalize(written);
            let name = name.trim_matches(' ');
            if name.is_empty() {
                continue;
            }
            let mut forms: Vec<(String, String)> = Vec::new();
            let has_article = name.starts_with("ال") && name["ال".len()..].chars().next().is_some_and(is_word_char);
            if has_article {
                for p in BEFORE_ARTICLE {
                    forms.push((p.to_string(), name.to_string()));
                }
                let contracted = &name["ا".len()..];
                let before = if contracted.starts_with("لل") { BEFORE_MERGED } else { BEFORE_CONTRACTION };
                for p in before {
                    forms.push((p.to_string(), contracted.to_string()));
                }
            } else {
                for p in SIMPLE {
                    forms.push((p.to_string(), name.to_string()));
                }
            }
            for i in (0..=t.len()).filter(|&i| t.is_char_boundary(i)) {
                for (prefix, body) in &forms {
                    let whole = format!("{prefix}{body}");
                    if !t[i..].starts_with(&whole) {
                        continue;
                    }
                    let (s, e) = (i + prefix.len(), i + whole.len());
                    let glued_before = word_before(i) && whole.chars().next().is_some_and(is_word_char);
                    let glued_after = word_at(e) && body.chars().next_back().is_some_and(is_word_char);
                    if !glued_before && !glued_after {
                        found.push((entity, alias, s, e));
                    }
                }
            }
        }
        let blocked = |entity: usize, s: usize, e: usize| {
            found.iter().any(|&(be, a, bs, bend)| a.is_none() && be == entity && bs <= s && e <= bend)
        };
        let mut candidates: Vec<(usize, usize, usize, usize, usize)> = found
            .iter()
            .filter_map(|&(entity, alias, s, e)| Some((entity, alias?, s, e)))
            .filter(|&(entity, _, s, e)| !blocked(entity, s, e))
            .map(|(entity, alias, s, e)| (t[s..e].chars().count(), s, entity, alias, e))
            .collect();
        candidates.sort_by(|a, b| b.0.cmp(&a.0).then((a.1, a.2, a.3).cmp(&(b.1, b.2, b.3))));
        let mut chosen: Vec<(usize, usize, usize, usize)> = Vec::new();
        for (_, s, entity, alias, e) in candidates {
            if chosen.iter().all(|&(cs, ce, _, _)| ce <= s || e <= cs) {
                chosen.push((s, e, entity, alias));
            }
        }
        chosen.sort();
        chosen
            .into_iter()
            .map(|(s, e, entity, alias)| {
                let range = normal.source_range(s, e);
                Mention { start: range.start, end: range.end, entity, alias }
            })
            .collect()
    }

    /// A small deterministic generator for the comparison with [`naive`].
    struct Xorshift(u64);

    impl Xorshift {
        fn next(&mut self) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            // Truncation is fine: only the low bits pick among few items.
            self.0 as usize
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.next() % items.len()]
        }
    }

    const GLUE: &[&str] = &[" ", " ", " ", "  ", "\n", "، ", "“", "”", ".", "ـ", "\u{200F}", "-"];
    const PREFIXES: &[&str] = &["", "", "", "و", "ب", "ل", "ال", "وال", "فل", "وب", "لل", "ب"];
    const SUFFIXES: &[&str] = &["", "", "", "ي", "ية", "ين", "اً", "\u{064C}", "s"];
    const WORDS: &[&str] = &[
        "مالي",
        "الجيش",
        "المالي",
        "الجيش المالي",
        "جيش",
        "موسكو",
        "باماكو",
        "مطار",
        "الدولي",
        "مطار باماكو الدولي",
        "روسيا",
        "البيضاء",
        "لافروف",
        "سيرجي",
        "سيرغي",
        "فيلق",
        "أفريقيا",
        "الفيلق",
        "الإفريقي",
        "T-72B3",
        "bmp-3",
        "Tigr",
        "الشمالية",
        "في",
        "من",
        "مَالِي",
        "غويتا",
        "آسيمي",
        "شمال",
        "ما",
        "لي",
        "ال",
        "اللجنة",
        "لجنة",
    ];
    const GENERATED_ALIASES: &[(usize, &str)] = &[
        (0, "مالي"),
        (1, "الجيش المالي"),
        (2, "موسكو"),
        (3, "باماكو"),
        (4, "مطار باماكو الدولي"),
        (5, "روسيا"),
        (6, "روسيا البيضاء"),
        (7, "سيرجي لافروف"),
        (7, "سيرغي لافروف"),
        (7, "لافروف"),
        (8, "فيلق أفريقيا"),
        (8, "الفيلق الإفريقي"),
        (9, "T-72B3"),
        (10, "BMP-3"),
        (11, "Tigr"),
        (12, "آسيمي غويتا"),
        (12, "غويتا"),
        (13, "الجيش"),
        (14, "مطار"),
        (15, "الدولي"),
        (17, "اللجنة"),
        (2, "مالي"),
        (16, "ما لي"),
    ];
    const GENERATED_NOT_MENTIONS: &[(usize, &str)] = &[(5, "روسيا البيضاء"), (0, "شمال مالي"), (13, "الجيش المالي")];

    fn generated_text(rng: &mut Xorshift, words: usize) -> String {
        let mut text = String::new();
        for _ in 0..words {
            text.push_str(rng.pick(PREFIXES));
            text.push_str(rng.pick(WORDS));
            text.push_str(rng.pick(SUFFIXES));
            text.push_str(rng.pick(GLUE));
        }
        text
    }

    #[test]
    fn agrees_with_the_naive_reference_on_generated_texts() {
        let matcher = Matcher::new(GENERATED_ALIASES, GENERATED_NOT_MENTIONS);
        let mut rng = Xorshift(0x2545_F491_4F6C_DD1D);
        let mut total = 0;
        for _ in 0..400 {
            let words = 1 + rng.next() % 30;
            let text = generated_text(&mut rng, words);
            let found = matcher.find(&text);
            assert_eq!(found, naive(GENERATED_ALIASES, GENERATED_NOT_MENTIONS, &text), "text {text:?}");
            total += found.len();
        }
        // The generator must actually produce mentions for the comparison to
        // mean anything.
        assert!(total > 500, "only {total} mentions");
    }

    fn seeds() -> Vec<&'static str> {
        // The seed articles, one paragraph each, as a corpus of real text.
        vec![
            "في إطار الشراكة الاستراتيجية بين موسكو وباماكو، أعلن المجلس العسكري الحاكم في مالي تسلم القوات المسلحة المالية شحنة جديدة من العتاد العسكري من جانب روسيا، وهي الثانية التي تتسلمها مالي في أقل من شهر.",
            "كما تحدث الوزير المالي عن “الصمود التاريخي للجيش الروسي” في الحرب ضد أوكرانيا، معرباً عن تضامنه مع الشعب الروسي.",
            "وتضمنت القافلة العسكرية التي وصلت إلى باماكو معدات عسكرية متقدمة تشمل دبابات من طراز T-72B3، ومركبات قتالية من نوع BMP-3، وناقلات جنود مدرعة BTR-82A، إضافةً إلى مركبات تكتيكية متنوعة مثل Spartak وTigr وLinza.",
            "وفي تحول لافت في الشراكة الأمنية، يبدو أن مالي بصدد إعادة هيكلة تحالفاتها العسكرية مع روسيا، بعد انسحاب مجموعة فاغنر التي كانت تنتشر في البلاد منذ أواخر 2021، لتنتقل نحو التعاون مع الهياكل الرسمية الروسية، وعلى رأسها ما يُعرف بـ”الفيلق الإفريقي”، وهو جهاز عسكري تابع مباشرة للحكومة الروسية.",
            "فوفقا لصحيفة لو موند الفرنسية، فقد التقى وزيرا الخارجية المالي، عبد الله ديوب والروسي سيرجي لافروف، في موسكو بهدف تعزيز العلاقات الثنائية الاستراتيجية بين البلدين.",
        ]
    }

    #[test]
    fn a_megabyte_of_text_gives_the_mentions_of_its_parts() {
        let matcher = Matcher::new(ALIASES, &[]);
        let parts = seeds();
        let per_round: Vec<Vec<Mention>> = parts.iter().map(|p| matcher.find(p)).collect();
        let round: String = parts.join("\n\n") + "\n\n";
        let rounds = (1 << 20) / round.len() + 1;
        let corpus = round.repeat(rounds);
        assert!(corpus.len() >= 1 << 20);
        let found = matcher.find(&corpus);
        let expected: usize = per_round.iter().map(Vec::len).sum::<usize>() * rounds;
        assert_eq!(found.len(), expected);
        // Every mention is well formed, in order, and names what its
        // counterpart in the single paragraph named.
        let mut expected_entities = per_round.iter().flatten().map(|m| m.entity).cycle();
        let mut last_end = 0;
        for m in &found {
            assert!(m.start >= last_end && m.start < m.end);
            assert!(corpus.is_char_boundary(m.start) && corpus.is_char_boundary(m.end));
            assert_eq!(Some(m.entity), expected_entities.next());
            last_end = m.end;
        }
    }
}
