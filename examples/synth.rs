//! Synthetic dossier generator for the benchmarks in `bench/`.
//!
//! Writes a milaf dossier of N articles (and, with `--hugo`, an equivalent
//! Hugo site) that looks like a real one grown over years: Arabic articles
//! of about 800 words in 8–14 paragraphs built from the vocabulary of the
//! sample articles, N/5 entities of every kind with 1–3 aliases (some
//! Latin, like `T-72B3`), mentions written with proclitics (`و ب ل`, `لل`),
//! about five notes per article whose quotes are copied from the text and
//! anchor uniquely, N/2 events citing passages or paragraphs with dates of
//! mixed precision, and an original per article. The output is a pure
//! function of the seed, N and the vocabulary files: every article,
//! entity and event draws from its own random stream, so generation runs
//! in parallel and stays reproducible.
//!
//! Two shapes (`--shape`): `realistic` (the default) is a newsroom's, as
//! issue #16 measured it: entity popularity falls as 1/rank^0.89, so that
//! at 10k articles the most-mentioned entity is in about 44 % of them and
//! the median entity in about 13; each article names 4–10 entities
//! through about 17 mention surfaces. `uniform` is the flatter shape of
//! the earlier benchmarks (popularity 1/(rank+3), 5–12 entities per
//! article), kept so that both can be reported.
//!
//! ```text
//! cargo run --release --example synth -- --articles 1000 --out /tmp/d1k --hugo /tmp/h1k
//!   --articles N   number of articles (default 1000)
//!   --out DIR      the dossier root (content/ is written inside it)
//!   --hugo DIR     also write the equivalent Hugo site there
//!   --seed S       random seed (default 1)
//!   --shape SHAPE  realistic (default) or uniform
//!   --vocab DIR    Markdown or text files to take the words from
//!                  (default: this repository's content/articles)
//!   --force        replace a dossier or site this generator wrote before
//! ```

use milaf::rng::Rng;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------- random

// `milaf::rng::Rng` (SplitMix64) draws everything; one stream per record
// keeps the output independent of the order of generation.

/// Stream tags, so that two purposes never share a sequence.
const S_ENTITIES: u64 = 1;
const S_TEXT: u64 = 2;
const S_EXPORT: u64 = 3;
const S_NOTES: u64 = 4;
const S_DESCRIPTION: u64 = 5;
const S_EVENTS: u64 = 6;

// ------------------------------------------------------------ vocabulary

/// The words of the sample articles in reading order. Text is drawn from
/// an order-1 Markov chain over them (the next word is one that follows
/// the current word somewhere in the samples, or now and then any word),
/// so word frequencies and short phrases are those of real articles.
struct Vocab {
    words: Vec<String>,
    /// The words in reading order, as indices into `distinct`.
    stream: Vec<u32>,
    /// For each distinct word, where it occurs in `stream`.
    positions: Vec<Vec<u32>>,
    /// Normal forms of the distinct words, and of what is left of each
    /// once the proclitics milaf's matcher skips are taken off (`ودولي` →
    /// `دولي`, `للجيش` → `الجيش`), so that a generated name never matches
    /// an ordinary word of the text. Without the stripped forms, the more
    /// entities a dossier has, the more of their names turn up by accident
    /// in the generated text, and mentions per article grow with N.
    normal: HashSet<String>,
    /// Pairs of consecutive words (normal forms, the first also without its
    /// proclitics): the order-1 chain can write any sequence of them, so a
    /// name of several words all of whose neighbours are pairs here (`سيرغي
    /// لافروف`) could appear by accident too.
    pairs: HashSet<(String, String)>,
    /// SHA-256 over the files read, recorded in the manifest.
    sha256: String,
}

fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' | '\u{0671}'..='\u{06D3}')
}

fn is_arabic_mark(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}')
}

fn load_vocab(dir: &Path) -> Result<Vocab, String> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("cannot read vocabulary folder {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("md" | "txt")))
        .collect();
    files.sort();
    let mut hash = Sha256::new();
    let mut words = Vec::new();
    for f in &files {
        let text = fs::read_to_string(f).map_err(|e| format!("{}: {e}", f.display()))?;
        hash.update(text.as_bytes());
        // Skip YAML front matter.
        let body = match text.strip_prefix("---\n") {
            Some(rest) => rest.split_once("\n---\n").map_or(rest, |(_, b)| b),
            None => text.as_str(),
        };
        for token in body.split_whitespace() {
            let token = token.trim_matches(|c: char| !(is_arabic_letter(c) || is_arabic_mark(c)));
            if !token.is_empty()
                && token.chars().any(is_arabic_letter)
                && token.chars().all(|c| is_arabic_letter(c) || is_arabic_mark(c))
            {
                words.push(token.to_string());
            }
        }
    }
    if words.len() < 200 {
        return Err(format!(
            "only {} Arabic words in {}: point --vocab at a folder of Arabic articles",
            words.len(),
            dir.display()
        ));
    }
    let mut normal = HashSet::new();
    for w in &words {
        let n = norm(w);
        normal.extend(unprefixed(&n));
        normal.insert(n);
    }
    let mut pairs = HashSet::new();
    for w in words.windows(2) {
        let (a, b) = (norm(&w[0]), norm(&w[1]));
        for a in unprefixed(&a) {
            pairs.insert((a, b.clone()));
        }
        pairs.insert((a, b));
    }
    let mut ids: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
    let mut positions: Vec<Vec<u32>> = Vec::new();
    let mut stream = Vec::with_capacity(words.len());
    for (i, w) in words.iter().enumerate() {
        let next = positions.len() as u32;
        let id = *ids.entry(w.as_str()).or_insert(next);
        if id == next {
            positions.push(Vec::new());
        }
        positions[id as usize].push(i as u32);
        stream.push(id);
    }
    Ok(Vocab { words, stream, positions, normal, pairs, sha256: hex(&hash.finalize()) })
}

/// The words a normalised `word` also stands for in milaf's mention
/// matching (see `src/mentions.rs`): without one proclitic (`و ف ب ك ل`) or
/// two (`و`/`ف` then `ب ك ل`), and `لل…` as `ل` + `ال…`.
fn unprefixed(word: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = word;
    for depth in 0..2 {
        let Some(c) = rest.chars().next() else { break };
        let allowed = if depth == 0 { "وفبكل" } else { "بكل" };
        if !allowed.contains(c) || (depth == 1 && !"وف".contains(word.chars().next().unwrap_or(' '))) {
            break;
        }
        rest = &rest[c.len_utf8()..];
        if rest.chars().count() < 2 {
            break;
        }
        out.push(rest.to_string());
        if c == 'ل' && rest.starts_with('ل') {
            out.push(format!("ا{rest}"));
        }
    }
    out
}

/// Where the Markov chain is: a position in the vocabulary's stream.
#[derive(Clone, Copy, Default)]
struct Chain(Option<u32>);

impl Vocab {
    /// The next word after the one at `chain`: three times in four a word
    /// that follows it in the samples, else any word.
    fn word(&self, rng: &mut Rng, chain: &mut Chain) -> &str {
        let at = match chain.0 {
            Some(p) if rng.chance(0.75) => {
                let occ = &self.positions[self.stream[p as usize] as usize];
                let q = *rng.pick(occ) as usize + 1;
                if q < self.words.len() {
                    q
                } else {
                    rng.below(self.words.len())
                }
            }
            _ => rng.below(self.words.len()),
        };
        chain.0 = Some(at as u32);
        &self.words[at]
    }
    /// `n` words separated by spaces.
    fn phrase(&self, rng: &mut Rng, n: usize) -> String {
        let mut chain = Chain::default();
        let mut s = String::new();
        for i in 0..n {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(self.word(rng, &mut chain));
        }
        s
    }
    /// A sentence of `lo..=hi` words ending with a full stop.
    fn sentence(&self, rng: &mut Rng, lo: usize, hi: usize) -> String {
        let n = rng.range(lo, hi);
        let mut s = self.phrase(rng, n);
        s.push('.');
        s
    }
}

/// A normal form at least as coarse as milaf's (SPEC §5), used to make
/// sure a quote occurs once: marks and tatweel dropped, hamza seats, alef
/// maqsura, taa marbuta and Persian letters folded, digits to ASCII, Latin
/// lowercased, white space collapsed.
fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        let c = match c {
            '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' | '\u{06D6}'..='\u{06ED}' => continue,
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => continue,
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            'ؤ' => 'و',
            'ئ' | 'ى' | 'ی' => 'ي',
            'ة' => 'ه',
            'ک' => 'ك',
            '٠'..='٩' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            '۰'..='۹' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            c if c.is_whitespace() => {
                if !space {
                    out.push(' ');
                }
                space = true;
                continue;
            }
            c => c,
        };
        space = false;
        out.extend(c.to_lowercase());
    }
    out
}

/// How many times `needle` occurs in `hay`, overlaps included, up to 2.
fn occurrences(hay: &str, needle: &str) -> usize {
    let step = needle.chars().next().map_or(1, char::len_utf8);
    let mut n = 0;
    let mut from = 0;
    while let Some(i) = hay[from..].find(needle) {
        n += 1;
        if n > 1 {
            break;
        }
        from += i + step;
    }
    n
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// A YAML double-quoted scalar.
fn yq(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A YAML literal block (`key: |`) for Markdown bodies.
fn block(key: &str, text: &str, indent: &str) -> String {
    let mut s = format!("{indent}{key}: |\n");
    for line in text.lines() {
        let _ = writeln!(s, "{indent}  {line}");
    }
    s
}

// -------------------------------------------------------------- entities

/// The entity kinds of the sample dossier (content/dossier.yaml).
const KINDS_YAML: &str = "kinds:
  - { id: person, label: أشخاص, singular: شخص }
  - { id: organization, label: منظمات وهيئات, singular: جهة }
  - { id: place, label: دول وأماكن, singular: مكان }
  - { id: equipment, label: عتاد عسكري, singular: عتاد }
  - { id: media, label: وسائل إعلام, singular: وسيلة إعلام }
  - { id: event, label: أحداث ومناسبات, singular: حدث }
";

/// (Arabic, Latin) given names and surnames of the region's actors.
const FIRST: &[(&str, &str)] = &[
    ("عمر", "Omar"),
    ("ساديو", "Sadio"),
    ("عبد الله", "Abdallah"),
    ("آسيمي", "Assimi"),
    ("إيغور", "Igor"),
    ("سيرغي", "Sergey"),
    ("ديمتري", "Dmitry"),
    ("فلاديمير", "Vladimir"),
    ("موسى", "Moussa"),
    ("إبراهيم", "Ibrahim"),
    ("مامادو", "Mamadou"),
    ("فاطماتا", "Fatoumata"),
    ("عيساتا", "Aissata"),
    ("أليو", "Aliou"),
    ("بوبكر", "Boubacar"),
    ("يوسف", "Youssouf"),
    ("أحمد", "Ahmed"),
    ("محمد", "Mohamed"),
    ("سليمان", "Souleymane"),
    ("كريم", "Karim"),
    ("نيكولاي", "Nikolai"),
    ("أليكسي", "Alexei"),
    ("أندريه", "Andrei"),
    ("يفغيني", "Yevgeny"),
    ("ميخائيل", "Mikhail"),
    ("أولغا", "Olga"),
    ("ماريا", "Maria"),
    ("شوغل", "Choguel"),
    ("أمادو", "Amadou"),
    ("إسماعيل", "Ismael"),
    ("تيمور", "Timur"),
    ("بافل", "Pavel"),
    ("غوستاف", "Gustave"),
    ("عثمان", "Ousmane"),
    ("حمزة", "Hamza"),
    ("مريم", "Mariam"),
    ("كاديدياتو", "Kadidiatou"),
    ("سيدو", "Seydou"),
    ("أنطون", "Anton"),
    ("رسلان", "Ruslan"),
];

const LAST: &[(&str, &str)] = &[
    ("ديارا", "Diarra"),
    ("كامارا", "Camara"),
    ("غويتا", "Goita"),
    ("ميغا", "Maiga"),
    ("ديوب", "Diop"),
    ("تراوري", "Traore"),
    ("كوليبالي", "Coulibaly"),
    ("سيسي", "Cisse"),
    ("توري", "Toure"),
    ("كيتا", "Keita"),
    ("سانغاري", "Sangare"),
    ("دمبيلي", "Dembele"),
    ("ديالو", "Diallo"),
    ("لافروف", "Lavrov"),
    ("شويغو", "Shoigu"),
    ("غروميكو", "Gromyko"),
    ("بريغوجين", "Prigozhin"),
    ("إيفانوف", "Ivanov"),
    ("بتروف", "Petrov"),
    ("سميرنوف", "Smirnov"),
    ("كوزنيتسوف", "Kuznetsov"),
    ("بوبوف", "Popov"),
    ("سوكولوف", "Sokolov"),
    ("ليبيديف", "Lebedev"),
    ("كوزلوف", "Kozlov"),
    ("نوفيكوف", "Novikov"),
    ("موروزوف", "Morozov"),
    ("فولكوف", "Volkov"),
    ("سولوفيوف", "Solovyov"),
    ("واغي", "Wague"),
    ("سوماري", "Soumare"),
    ("كوناتي", "Konate"),
    ("سيديبي", "Sidibe"),
    ("بامبا", "Bamba"),
    ("ياتارا", "Yattara"),
    ("يفكوروف", "Yevkurov"),
    ("غيراسيموف", "Gerasimov"),
    ("أوتكين", "Utkin"),
    ("تياو", "Thiaw"),
    ("باري", "Barry"),
    ("ساو", "Sow"),
    ("كانتي", "Kante"),
    ("دياكيتي", "Diakite"),
    ("فوفانا", "Fofana"),
    ("ماريكو", "Mariko"),
];

const PERSON_ROLES: &[&str] = &[
    "وزير الدفاع",
    "رئيس هيئة الأركان",
    "كاتب ومحلل سياسي",
    "سفير لدى مالي",
    "قائد عسكري",
    "متحدث باسم الحكومة",
    "صحفي",
    "نائب وزير الخارجية",
    "باحث في الشؤون الإفريقية",
    "رئيس المرحلة الانتقالية",
];

/// Syllables (Arabic, Latin) for place and company names.
const SYLLABLES: &[(&str, &str)] = &[
    ("كا", "ka"),
    ("ما", "ma"),
    ("سي", "si"),
    ("تو", "tou"),
    ("با", "ba"),
    ("دو", "dou"),
    ("غا", "ga"),
    ("نيا", "nia"),
    ("كو", "ko"),
    ("لي", "li"),
    ("را", "ra"),
    ("مو", "mo"),
    ("سا", "sa"),
    ("ني", "ni"),
    ("تا", "ta"),
    ("بو", "bou"),
    ("كي", "ki"),
    ("دا", "da"),
    ("زا", "za"),
    ("غو", "go"),
    ("في", "fi"),
    ("لا", "la"),
    ("وا", "wa"),
    ("يا", "ya"),
    ("نو", "no"),
    ("سو", "sou"),
    ("ري", "ri"),
    ("جا", "dja"),
    ("تي", "ti"),
    ("فا", "fa"),
];

/// Organisation patterns: Arabic, an Arabic variant, English; `{}` is a
/// place name.
const ORGS: &[(&str, &str, &str)] = &[
    ("وزارة الدفاع في {}", "وزارة دفاع {}", "Ministry of Defence of {}"),
    ("وزارة الخارجية في {}", "خارجية {}", "Ministry of Foreign Affairs of {}"),
    ("هيئة الأركان العامة في {}", "أركان جيش {}", "General Staff of {}"),
    ("الحرس الوطني في {}", "حرس {} الوطني", "National Guard of {}"),
    ("المجلس العسكري في {}", "المجلس العسكري الحاكم في {}", "Military Council of {}"),
    ("القوات المسلحة في {}", "جيش {}", "Armed Forces of {}"),
    ("الرئاسة في {}", "رئاسة {}", "Presidency of {}"),
    ("حركة تحرير {}", "جبهة تحرير {}", "{} Liberation Movement"),
    ("مجموعة {} الأمنية", "شركة {} للأمن", "{} Security Group"),
    ("بعثة حفظ السلام في {}", "البعثة الأممية في {}", "Peacekeeping Mission in {}"),
    ("تحالف دول {}", "حلف {}", "{} Alliance"),
    ("البرلمان في {}", "المجلس الوطني في {}", "Parliament of {}"),
];

/// Equipment families: Latin code, Arabic spelling, what it is.
const EQUIPMENT: &[(&str, &str, &str)] = &[
    ("T", "تي", "دبابة"),
    ("BMP", "بي إم بي", "مركبة قتالية"),
    ("BTR", "بي تي آر", "ناقلة جنود مدرعة"),
    ("Mi", "مي", "مروحية قتالية"),
    ("Su", "سو", "طائرة هجومية"),
    ("L", "إل", "طائرة تدريب"),
    ("Tor-M", "تور إم", "منظومة دفاع جوي"),
    ("Pantsir-S", "بانتسير إس", "منظومة دفاع جوي"),
    ("Orlan", "أورلان", "طائرة مسيرة"),
    ("Kornet", "كورنيت", "صاروخ مضاد للدروع"),
    ("Tigr", "تيغر", "مركبة مدرعة"),
    ("KamAZ", "كاماز", "شاحنة عسكرية"),
    ("Grad", "غراد", "راجمة صواريخ"),
    ("Shilka", "شيلكا", "مدفع مضاد للطائرات"),
];

/// Model suffixes: Latin, Arabic.
const SUFFIXES: &[(&str, &str)] = &[
    ("", ""),
    ("A", " إيه"),
    ("B", " بي"),
    ("M", " إم"),
    ("P", " بي"),
    ("K", " كيه"),
    ("B3", " بي 3"),
    ("M2", " إم 2"),
];

const MEDIA: &[(&str, &str, &str)] = &[
    ("صحيفة {}", "جريدة {}", "{} Daily"),
    ("قناة {} الإخبارية", "تلفزيون {}", "{} News TV"),
    ("إذاعة {}", "راديو {}", "Radio {}"),
    ("وكالة {} للأنباء", "وكالة أنباء {}", "{} Press Agency"),
];

const OCCASIONS: &[(&str, &str, &str)] = &[
    ("قمة {}", "مؤتمر قمة {}", "{} Summit"),
    ("منتدى {} للأمن", "ملتقى {} الأمني", "{} Security Forum"),
    ("معرض {} للدفاع", "معرض {} العسكري", "{} Defence Expo"),
    ("اتفاق {} للسلام", "اتفاقية {}", "{} Peace Agreement"),
];

const OUTLETS: &[&str] = &[
    "سكاي نيوز عربية",
    "الجزيرة نت",
    "العربية",
    "فرانس 24",
    "RT عربي",
    "إندبندنت عربية",
    "الشرق الأوسط",
    "بي بي سي عربي",
    "DW عربية",
    "الشروق",
];

/// Relation labels, each with its inverse as read from the other entity's page.
const RELATIONS: &[(&str, &str)] = &[
    ("يعمل لدى", "يعمل لديه"),
    ("حليف", "حليف"),
    ("مقره في", "مقر"),
    ("سُلّم إلى", "تسلّم"),
    ("جزء من", "يضم"),
    ("خصم", "خصم"),
    ("يمول", "يموّله"),
    ("ينتمي إلى", "من المنتمين إليه"),
];

const MONTHS: &[&str] =
    &["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"];

struct Entity {
    id: String,
    name: String,
    kind: &'static str,
    role: Option<String>,
    aliases: Vec<String>,
}

/// Latin text to an id fragment.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out.truncate(48);
    out
}

/// Another spelling of an Arabic name, as transliterations vary
/// (`سيرغي` / `سيرجي`); `None` when no rule applies.
fn variant(s: &str) -> Option<String> {
    for (a, b) in [("غ", "ج"), ("ك", "ق"), ("يف", "يڤ"), ("ت", "ط"), ("س", "ص"), ("و", "ؤ")] {
        if s.contains(a) {
            return Some(s.replacen(a, b, 1));
        }
    }
    None
}

struct Names<'a> {
    taken: HashSet<String>,
    vocab: &'a Vocab,
    ids: HashSet<String>,
}

impl Names<'_> {
    /// Whether neither `name` nor anything spelt like it is taken, and the
    /// generated text cannot contain it by accident: it is not an ordinary
    /// word of the vocabulary, nor a chain of its consecutive word pairs.
    fn free(&self, name: &str) -> bool {
        let n = norm(name);
        let words: Vec<&str> = n.split(' ').collect();
        let accidental = if words.len() == 1 {
            self.vocab.normal.contains(&n)
        } else {
            words.windows(2).all(|w| self.vocab.pairs.contains(&(w[0].to_string(), w[1].to_string())))
        };
        !self.taken.contains(&n) && !accidental
    }
    /// Reserves `name` if it is free.
    fn claim(&mut self, name: &str) -> bool {
        if !self.free(name) {
            return false;
        }
        self.taken.insert(norm(name));
        true
    }
    fn id(&mut self, latin: &str) -> String {
        let base = slug(latin);
        let base = if base.is_empty() { "entity".to_string() } else { base };
        let mut id = base.clone();
        let mut k = 2;
        while !self.ids.insert(id.clone()) {
            id = format!("{base}-{k}");
            k += 1;
        }
        id
    }
    fn place_name(&mut self, rng: &mut Rng) -> (String, String) {
        loop {
            let n = rng.range(2, 3);
            let (mut ar, mut lat) = (String::new(), String::new());
            for _ in 0..n {
                let (a, l) = rng.pick(SYLLABLES);
                ar.push_str(a);
                lat.push_str(l);
            }
            let lat = capitalise(&lat);
            if self.claim(&ar) {
                return (ar, lat);
            }
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

fn kind_of(rng: &mut Rng) -> &'static str {
    match rng.below(100) {
        0..=34 => "person",
        35..=59 => "organization",
        60..=79 => "place",
        80..=91 => "equipment",
        92..=95 => "media",
        _ => "event",
    }
}

fn make_entities(seed: u64, count: usize, vocab: &Vocab) -> Vec<Entity> {
    let mut rng = Rng::stream(seed, S_ENTITIES, 0);
    let mut names = Names { taken: HashSet::new(), vocab, ids: HashSet::new() };
    // Places first: organisations, media and occasions are named after them.
    let kinds: Vec<&str> = (0..count).map(|_| kind_of(&mut rng)).collect();
    let mut places: Vec<(String, String)> = Vec::new();
    let mut out = Vec::with_capacity(count);
    for &kind in &kinds {
        let want = rng.range(1, 3);
        let (name, latin, mut candidates, role) = match kind {
            "person" => {
                let mut tries = 0;
                let (name, latin, short) = loop {
                    tries += 1;
                    let (fa, fl) = rng.pick(FIRST);
                    let (la, ll) = rng.pick(LAST);
                    let (name, latin, short) = if tries < 20 {
                        (format!("{fa} {la}"), format!("{fl} {ll}"), None)
                    } else {
                        let (ma, ml) = rng.pick(FIRST);
                        let extra = if tries > 60 {
                            let (xa, xl) = rng.pick(LAST);
                            (format!(" {xa}"), format!(" {xl}"))
                        } else {
                            (String::new(), String::new())
                        };
                        (
                            format!("{fa} {ma} {la}{}", extra.0),
                            format!("{fl} {ml} {ll}{}", extra.1),
                            Some(format!("{fa} {la}{}", extra.0)),
                        )
                    };
                    if names.claim(&name) {
                        break (name, latin, short);
                    }
                };
                let mut c: Vec<String> = Vec::new();
                c.extend(variant(&name));
                c.push(latin.clone());
                c.extend(short);
                (name, latin, c, Some(rng.pick(PERSON_ROLES).to_string()))
            }
            "place" => {
                let (ar, lat) = names.place_name(&mut rng);
                places.push((ar.clone(), lat.clone()));
                let mut c = Vec::new();
                c.extend(variant(&ar));
                c.push(lat.clone());
                c.push(format!("مدينة {ar}"));
                (ar, lat, c, None)
            }
            "equipment" => {
                let (name, latin, arabic, what) = loop {
                    let (code, ar, what) = rng.pick(EQUIPMENT);
                    let num = rng.range(2, 99);
                    let (sl, sa) = rng.pick(SUFFIXES);
                    let latin = format!("{code}-{num}{sl}");
                    let arabic = format!("{ar}-{num}{sa}");
                    let name = if rng.chance(0.5) { latin.clone() } else { format!("{what} {arabic}") };
                    if names.free(&latin) && names.free(&arabic) && names.claim(&name) {
                        break (name, latin, arabic, *what);
                    }
                };
                let mut c = vec![latin.clone(), arabic];
                c.retain(|a| a != &name);
                (name, latin, c, Some(what.to_string()))
            }
            _ => {
                let table = match kind {
                    "organization" => ORGS,
                    "media" => MEDIA,
                    _ => OCCASIONS,
                };
                loop {
                    let (ar, alt, en) = rng.pick(table);
                    let (pa, pl) = if kind == "organization" && !places.is_empty() && rng.chance(0.7) {
                        rng.pick(&places).clone()
                    } else {
                        names.place_name(&mut rng)
                    };
                    let name = ar.replace("{}", &pa);
                    if names.claim(&name) {
                        let latin = en.replace("{}", &pl);
                        let c = vec![alt.replace("{}", &pa), latin.clone()];
                        break (name, latin, c, None);
                    }
                }
            }
        };
        candidates.retain(|a| a != &name);
        candidates.dedup();
        // Reserve the aliases too, so no two entities share a spelling.
        let mut aliases = Vec::new();
        for a in candidates {
            if aliases.len() < want && names.claim(&a) {
                aliases.push(a);
            }
        }
        if aliases.is_empty() {
            aliases.push(latin.clone());
        }
        let id = names.id(&latin);
        out.push(Entity { id, name, kind, role, aliases });
    }
    out
}

/// The shape of a dossier: how popularity is spread over entities and
/// how many each article names (see the file's header).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Shape {
    Realistic,
    Uniform,
}

impl Shape {
    fn parse(s: &str) -> Result<Shape, String> {
        match s {
            "realistic" => Ok(Shape::Realistic),
            "uniform" => Ok(Shape::Uniform),
            other => Err(format!("--shape: `{other}` is neither realistic nor uniform")),
        }
    }
    fn name(self) -> &'static str {
        match self {
            Shape::Realistic => "realistic",
            Shape::Uniform => "uniform",
        }
    }
    /// How many distinct entities an article names.
    fn entities_per_article(self) -> (usize, usize) {
        match self {
            Shape::Realistic => (4, 10),
            Shape::Uniform => (5, 12),
        }
    }
    /// The words an article's paragraphs are planned to hold.
    fn words(self) -> (usize, usize) {
        match self {
            Shape::Realistic => (560, 840),
            Shape::Uniform => (650, 950),
        }
    }
    /// How many times one of an article's three main entities is named.
    fn main_mentions(self) -> (usize, usize) {
        match self {
            Shape::Realistic => (2, 5),
            Shape::Uniform => (2, 4),
        }
    }
}

/// Cumulative Zipf-like weights over a random ranking of the entities:
/// a few are in most articles (as the country a dossier is about), most
/// are in a handful.
struct Popularity {
    cumulative: Vec<f64>,
    order: Vec<u32>,
}

impl Popularity {
    fn new(seed: u64, n: usize, shape: Shape) -> Popularity {
        let mut rng = Rng::stream(seed, S_ENTITIES, 1);
        let mut order: Vec<u32> = (0..n as u32).collect();
        for i in (1..n).rev() {
            order.swap(i, rng.below(i + 1));
        }
        let mut total = 0.0;
        let cumulative = (0..n)
            .map(|r| {
                total += match shape {
                    Shape::Realistic => 1.0 / (r as f64 + 1.0).powf(0.89),
                    Shape::Uniform => 1.0 / (r as f64 + 3.0),
                };
                total
            })
            .collect();
        Popularity { cumulative, order }
    }
    fn draw(&self, rng: &mut Rng) -> u32 {
        let total = *self.cumulative.last().unwrap_or(&1.0);
        let x = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * total;
        let r = self.cumulative.partition_point(|&c| c < x);
        self.order[r.min(self.order.len() - 1)]
    }
}

// -------------------------------------------------------------- articles

/// One element of a paragraph: a word (with its punctuation) or a
/// mention. `text` is how milaf's source has it; `hugo` the same with the
/// mention as a Markdown link and footnote references.
#[derive(Clone)]
struct Piece {
    text: String,
    hugo: String,
    entity: Option<u32>,
}

struct Para {
    /// A `##` heading printed before the paragraph.
    heading: Option<String>,
    pieces: Vec<Piece>,
    /// A reported statement: (first piece, end piece, speaker).
    speech: Option<(usize, usize, u32)>,
}

struct Article {
    id: String,
    title: String,
    outlet: &'static str,
    published: Date,
    entities: Vec<u32>,
    paras: Vec<Para>,
}

impl Article {
    fn para_text(&self, p: usize) -> String {
        join(&self.paras[p].pieces, |x| &x.text)
    }
    /// The normal form of the whole text, paragraphs on their own lines.
    fn normal(&self) -> String {
        let mut s = String::new();
        for p in 0..self.paras.len() {
            s.push_str(&norm(&self.para_text(p)));
            s.push('\n');
        }
        s
    }
}

fn join(pieces: &[Piece], f: impl Fn(&Piece) -> &String) -> String {
    let mut s = String::new();
    for (i, p) in pieces.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(f(p));
    }
    s
}

/// A date as editors write it (EDTF subset) and the day Hugo files it
/// under (the first day of its period).
#[derive(Clone)]
struct Date {
    edtf: String,
    iso: String,
}

fn random_date(rng: &mut Rng) -> Date {
    let y = rng.range(2013, 2025);
    let m = rng.range(1, 12);
    let d = rng.range(1, 28);
    let edtf = match rng.below(100) {
        0..=49 => format!("{y}-{m:02}-{d:02}"),
        50..=71 => format!("{y}-{m:02}"),
        72..=79 => format!("{y}"),
        80..=87 => format!("{y}-{m:02}~"),
        88..=93 => format!("{y}?"),
        _ => {
            let (y2, m2) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            format!("{y}-{m:02}/{y2}-{m2:02}")
        }
    };
    let iso = if edtf.len() == 10 {
        edtf.clone()
    } else if edtf.len() >= 7 && edtf.as_bytes()[4] == b'-' {
        format!("{}-01", &edtf[..7])
    } else {
        format!("{y}-01-01")
    };
    Date { edtf, iso }
}

struct Ctx<'a> {
    seed: u64,
    vocab: &'a Vocab,
    entities: &'a [Entity],
    popularity: &'a Popularity,
    persons: Vec<u32>,
    shape: Shape,
}

fn word_piece(w: String) -> Piece {
    Piece { hugo: w.clone(), text: w, entity: None }
}

/// A mention of entity `e`, under one of its names, sometimes after a
/// proclitic (`وباماكو`, `بالجيش`, `للجيش`).
fn mention(cx: &Ctx, rng: &mut Rng, e: u32) -> Piece {
    let ent = &cx.entities[e as usize];
    let alias = if rng.chance(0.6) || ent.aliases.is_empty() { &ent.name } else { rng.pick(&ent.aliases) };
    let latin = alias.is_ascii();
    let (clitic, surface) = if latin {
        (if rng.chance(0.1) { "و" } else { "" }, alias.clone())
    } else if let Some(rest) = alias.strip_prefix("ال").filter(|_| rng.chance(0.3)) {
        match rng.below(4) {
            0 => ("و", alias.clone()),
            1 => ("ب", alias.clone()),
            2 => ("ل", format!("ل{rest}")),
            _ => ("وب", alias.clone()),
        }
    } else if rng.chance(0.25) {
        (*rng.pick(&["و", "ب", "ل", "وب", "ول", "ف"]), alias.clone())
    } else {
        ("", alias.clone())
    };
    Piece {
        text: format!("{clitic}{surface}"),
        hugo: format!("{clitic}[{surface}](/entities/{}/)", ent.id),
        entity: Some(e),
    }
}

fn article_id(i: usize) -> String {
    const TOPICS: &[&str] = &[
        "shipment",
        "summit",
        "army",
        "talks",
        "visit",
        "deal",
        "junta",
        "troops",
        "helicopters",
        "radar",
        "sanctions",
        "election",
        "border",
        "attack",
        "convoy",
        "treaty",
    ];
    let mut rng = Rng::stream(0, S_TEXT, i as u64);
    format!("{}-{}-{:06}", rng.pick(TOPICS), rng.pick(TOPICS), i + 1)
}

/// The entities an article names, the first ones most mentioned: the
/// first draws of the article's stream.
fn article_entities(popularity: &Popularity, shape: Shape, rng: &mut Rng) -> Vec<u32> {
    let mut entities: Vec<u32> = Vec::new();
    let (lo, hi) = shape.entities_per_article();
    let want = rng.range(lo, hi);
    let mut tries = 0;
    while entities.len() < want && tries < 100 {
        tries += 1;
        let e = popularity.draw(rng);
        if !entities.contains(&e) {
            entities.push(e);
        }
    }
    entities
}

fn generate_article(cx: &Ctx, i: usize) -> Article {
    let v = cx.vocab;
    let mut rng = Rng::stream(cx.seed, S_TEXT, i as u64);
    let mut entities = article_entities(cx.popularity, cx.shape, &mut rng);
    let mut planned: Vec<u32> = Vec::new();
    let (lo, hi) = cx.shape.main_mentions();
    for (k, &e) in entities.iter().enumerate() {
        let n = if k < 3 { rng.range(lo, hi) } else { rng.range(1, 2) };
        planned.extend(std::iter::repeat_n(e, n));
    }
    let n_par = rng.range(8, 14);
    // Sentences run past a paragraph's share and dates, mentions and a
    // reported statement come on top: the realistic range lands near 800.
    let (lo, hi) = cx.shape.words();
    let words = rng.range(lo, hi);
    let per_para = words / n_par;
    // Assign mentions to paragraphs; the first paragraph names the main actors.
    let mut by_para: Vec<Vec<u32>> = vec![Vec::new(); n_par];
    for (k, e) in planned.into_iter().enumerate() {
        let p = if k < 2 { 0 } else { rng.below(n_par) };
        by_para[p].push(e);
    }
    let speech_para = if rng.chance(0.35) { Some(rng.range(1, n_par - 1)) } else { None };
    let mut paras = Vec::with_capacity(n_par);
    for (p, mentions) in by_para.into_iter().enumerate() {
        let heading_words = rng.range(3, 6);
        let heading = (p >= 2 && rng.chance(0.12)).then(|| v.phrase(&mut rng, heading_words));
        let mut pieces: Vec<Piece> = Vec::new();
        let mut count = 0;
        while count < per_para {
            let n = rng.range(8, 20);
            let start = pieces.len();
            let mut chain = Chain::default();
            for k in 0..n {
                let mut w = v.word(&mut rng, &mut chain).to_string();
                if k + 1 < n && rng.chance(0.06) {
                    w.push('،');
                }
                pieces.push(word_piece(w));
            }
            if rng.chance(0.15) {
                let at = rng.range(start + 1, pieces.len() - 1);
                let date = match rng.below(3) {
                    0 => format!("في {} {} {}", rng.range(1, 28), rng.pick(MONTHS), rng.range(2013, 2025)),
                    1 => format!("في {} {}", rng.pick(MONTHS), rng.range(2013, 2025)),
                    _ => format!("منذ {}", rng.range(2013, 2025)),
                };
                let ws: Vec<Piece> = date.split(' ').map(|w| word_piece(w.to_string())).collect();
                pieces.splice(at..at, ws);
            }
            if let Some(last) = pieces.last_mut() {
                last.text.push('.');
                last.hugo.push('.');
            }
            count += n;
        }
        for e in mentions {
            let at = rng.below(pieces.len());
            let m = mention(cx, &mut rng, e);
            pieces.insert(at, m);
        }
        let mut speech = None;
        if speech_para == Some(p) {
            let speaker = entities
                .iter()
                .copied()
                .find(|&e| cx.entities[e as usize].kind == "person")
                .unwrap_or_else(|| *rng.pick(&cx.persons));
            if !entities.contains(&speaker) {
                entities.push(speaker);
            }
            let mut said = vec![word_piece("وقال".into())];
            let mut m = mention(cx, &mut rng, speaker);
            m.text.push('،');
            m.hugo.push('،');
            said.push(m);
            let role = v.phrase(&mut rng, 2);
            said.push(word_piece(format!("{role}:")));
            let first = said.len();
            let n = rng.range(8, 14);
            let mut chain = Chain::default();
            for k in 0..n {
                let mut w = v.word(&mut rng, &mut chain).to_string();
                if k == 0 {
                    w.insert(0, '«');
                }
                if k + 1 == n {
                    w.push_str("».");
                }
                said.push(word_piece(w));
            }
            let at = pieces.len();
            speech = Some((at + first, at + said.len(), speaker));
            pieces.extend(said);
        }
        paras.push(Para { heading, pieces, speech });
    }
    // A title naming the main actor.
    let main = &cx.entities[entities[0] as usize];
    let (before, after) = (rng.range(2, 4), rng.range(2, 5));
    let title = format!("{} {} {}", v.phrase(&mut rng, before), main.name, v.phrase(&mut rng, after));
    Article { id: article_id(i), title, outlet: rng.one(OUTLETS), published: random_date(&mut rng), entities, paras }
}

/// A passage: paragraph index (0-based), piece range, its text.
struct Span {
    para: usize,
    start: usize,
    end: usize,
    text: String,
}

/// A span of 4–8 pieces that occurs once in the article (in milaf's normal
/// form), preferably one holding a mention (of `entity`, if given).
fn pick_span(
    rng: &mut Rng,
    a: &Article,
    normal: &str,
    entity: Option<u32>,
    within: Option<(usize, usize, usize)>,
) -> Option<Span> {
    for _ in 0..40 {
        let len = rng.range(4, 8);
        let (para, lo, hi) = match within {
            Some(w) => w,
            None => {
                let p = rng.below(a.paras.len());
                (p, 0, a.paras[p].pieces.len())
            }
        };
        if hi - lo < len {
            continue;
        }
        let pieces = &a.paras[para].pieces;
        let anchor = match entity {
            Some(e) => {
                let at: Vec<usize> = (lo..hi).filter(|&k| pieces[k].entity == Some(e)).collect();
                if at.is_empty() {
                    return None;
                }
                Some(*rng.pick(&at))
            }
            None if within.is_none() && rng.chance(0.6) => {
                let at: Vec<usize> = (lo..hi).filter(|&k| pieces[k].entity.is_some()).collect();
                (!at.is_empty()).then(|| *rng.pick(&at))
            }
            None => None,
        };
        let start = match anchor {
            Some(k) => k.saturating_sub(rng.below(len)).max(lo).min(hi - len),
            None => rng.range(lo, hi - len),
        };
        let end = start + len;
        let text = join(&pieces[start..end], |x| &x.text);
        if occurrences(normal, &norm(&text)) == 1 {
            return Some(Span { para, start, end, text });
        }
    }
    None
}

/// What other records need to know about an article: enough to cite it.
struct Info {
    id: String,
    title: String,
    paragraphs: usize,
    entities: Vec<u32>,
    /// Unique quotes, each about an entity where possible.
    exports: Vec<(Option<u32>, String)>,
}

fn info(cx: &Ctx, i: usize, a: &Article) -> Info {
    let mut rng = Rng::stream(cx.seed, S_EXPORT, i as u64);
    let normal = a.normal();
    let mut exports = Vec::new();
    for &e in a.entities.iter().take(2) {
        let paras: Vec<usize> =
            (0..a.paras.len()).filter(|&p| a.paras[p].pieces.iter().any(|x| x.entity == Some(e))).collect();
        if paras.is_empty() {
            continue;
        }
        let p = *rng.pick(&paras);
        let len = a.paras[p].pieces.len();
        if let Some(s) = pick_span(&mut rng, a, &normal, Some(e), Some((p, 0, len))) {
            exports.push((Some(e), s.text));
        }
    }
    if let Some(s) = pick_span(&mut rng, a, &normal, None, None) {
        exports.push((None, s.text));
    }
    Info { id: a.id.clone(), title: a.title.clone(), paragraphs: a.paras.len(), entities: a.entities.clone(), exports }
}

/// A Markdown body of one to three sentences with, sometimes, a wiki link
/// and a citation of another article. Returns milaf's and Hugo's versions.
fn note_body(cx: &Ctx, rng: &mut Rng, infos: &[Info], near: &[u32], self_index: Option<usize>) -> (String, String) {
    let v = cx.vocab;
    let mut m = String::new();
    let mut h = String::new();
    let n = rng.range(1, 3);
    for k in 0..n {
        if k > 0 {
            m.push(' ');
            h.push(' ');
        }
        let s = v.sentence(rng, 8, 20);
        let s = s.trim_end_matches('.');
        m.push_str(s);
        h.push_str(s);
        if k == 0 && !near.is_empty() && rng.chance(0.3) {
            let e = &cx.entities[*rng.pick(near) as usize];
            if rng.chance(0.5) {
                let _ = write!(m, " [[{}]]", e.id);
            } else {
                let _ = write!(m, " [[{}|{}]]", e.id, e.name);
            }
            let _ = write!(h, " [{}](/entities/{}/)", e.name, e.id);
        }
        if k + 1 == n && !infos.is_empty() && rng.chance(0.45) {
            let j = rng.below(infos.len());
            if Some(j) != self_index {
                let other = &infos[j];
                let href = format!("/articles/{}/", other.id);
                match rng.below(10) {
                    0..=5 if !other.exports.is_empty() => {
                        let (_, q) = rng.pick(&other.exports);
                        let _ = write!(m, " [@{} \"{q}\"]", other.id);
                        let _ = write!(h, " ([{}]({href}): «{q}»)", other.title);
                    }
                    6..=7 => {
                        let p = rng.range(1, other.paragraphs);
                        let _ = write!(m, " [@{}#p{p}]", other.id);
                        let _ = write!(h, " ([{}]({href}#p{p}))", other.title);
                    }
                    _ => {
                        let _ = write!(m, " [@{}]", other.id);
                        let _ = write!(h, " ([{}]({href}))", other.title);
                    }
                }
            }
        }
        m.push('.');
        h.push('.');
    }
    (m, h)
}

/// The files of one article: its Markdown, original and annotations for
/// milaf, and the page for Hugo.
struct ArticleFiles {
    markdown: String,
    original: String,
    annotations: String,
    hugo: String,
    notes: usize,
}

fn article_files(cx: &Ctx, i: usize, mut a: Article, infos: &[Info]) -> ArticleFiles {
    let mut rng = Rng::stream(cx.seed, S_NOTES, i as u64);
    let normal = a.normal();
    let n_notes = rng.range(3, 7);
    let mut yaml = String::new();
    let mut footnotes = String::new();
    let mut made = 0;
    let speech: Option<(usize, usize, usize, u32)> =
        a.paras.iter().enumerate().find_map(|(p, x)| x.speech.map(|(s, e, who)| (p, s, e, who)));
    let mut quote_done = false;
    for k in 0..n_notes {
        let mut kind = match rng.below(100) {
            0..=54 => "note",
            55..=74 => "context",
            75..=84 => "correction",
            _ => "quote",
        };
        let span = if kind == "quote" && !quote_done {
            speech.and_then(|(p, s, e, _)| pick_span(&mut rng, &a, &normal, None, Some((p, s, e))))
        } else {
            None
        };
        let span = match span {
            Some(s) => {
                quote_done = true;
                Some(s)
            }
            None => {
                if kind == "quote" {
                    kind = "note";
                }
                pick_span(&mut rng, &a, &normal, None, None)
            }
        };
        let Some(span) = span else { continue };
        made += 1;
        let id = format!("{kind}-{}", k + 1);
        let _ = writeln!(yaml, "- id: {id}");
        if kind != "note" || rng.chance(0.3) {
            let _ = writeln!(yaml, "  kind: {kind}");
        }
        let pieces = &a.paras[span.para].pieces;
        let mut tagged: Vec<u32> = pieces[span.start..span.end].iter().filter_map(|x| x.entity).collect();
        tagged.dedup();
        if kind == "quote" {
            if let Some((_, _, _, who)) = speech {
                let _ = writeln!(yaml, "  speaker: {}", cx.entities[who as usize].id);
                tagged.push(who);
            }
        }
        let _ = writeln!(yaml, "  quote: {}", yq(&span.text));
        if span.start >= 2 && rng.chance(0.1) {
            let prefix = join(&pieces[span.start - 2..span.start], |x| &x.text);
            let _ = writeln!(yaml, "  prefix: {}", yq(&prefix));
        }
        if rng.chance(0.3) {
            let _ = writeln!(yaml, "  paragraph: {}", span.para + 1);
        }
        if !tagged.is_empty() && rng.chance(0.5) {
            let ids: Vec<&str> = tagged.iter().map(|&e| cx.entities[e as usize].id.as_str()).collect();
            let _ = writeln!(yaml, "  entities: [{}]", ids.join(", "));
        }
        let (body_m, body_h) = note_body(cx, &mut rng, infos, &a.entities, Some(i));
        let body_m = match kind {
            "correction" => format!("صوابه: {body_m}"),
            _ => body_m,
        };
        yaml.push_str(&block("body", &body_m, "  "));
        let label = format!("n{}", k + 1);
        let last = &mut a.paras[span.para].pieces[span.end - 1];
        let _ = write!(last.hugo, "[^{label}]");
        let _ = writeln!(footnotes, "[^{label}]: {body_h}");
    }

    let mut md = String::new();
    let mut original = format!("{}\n\n", a.title);
    let mut hugo_body = String::new();
    for (p, para) in a.paras.iter().enumerate() {
        if let Some(h) = &para.heading {
            let _ = write!(md, "## {h}\n\n");
            let _ = write!(original, "{h}\n\n");
            let _ = write!(hugo_body, "## {h}\n\n");
        }
        let text = a.para_text(p);
        let _ = write!(md, "{text}\n\n");
        let _ = write!(original, "{text}\n\n");
        let _ = write!(hugo_body, "{}\n\n", join(&para.pieces, |x| &x.hugo));
    }
    let original = original.trim_end().to_string() + "\n";
    let md = md.trim_end().to_string() + "\n";
    let sha = hex(&Sha256::digest(original.as_bytes()));

    let mut front = String::from("---\n");
    let _ = writeln!(front, "title: {}", yq(&a.title));
    if rng.chance(0.1) {
        front.push_str("title_editorial: true\n");
    }
    let _ = writeln!(front, "outlet: {}", yq(a.outlet));
    if rng.chance(0.5) {
        let _ = writeln!(front, "url: https://news.example/{}", a.id);
    }
    let _ = writeln!(front, "published: {}", yq(&a.published.edtf));
    if a.published.edtf.len() != 10 && rng.chance(0.5) {
        let _ = writeln!(front, "published_note: {}", yq(&cx.vocab.sentence(&mut rng, 8, 16)));
    }
    let _ = writeln!(front, "original: {}.txt", a.id);
    let _ = writeln!(front, "original_sha256: {sha}");
    front.push_str("---\n");

    let ids: Vec<String> = a.entities.iter().map(|&e| yq(&cx.entities[e as usize].id)).collect();
    let mut hugo = String::from("---\n");
    let _ = writeln!(hugo, "title: {}", yq(&a.title));
    let _ = writeln!(hugo, "date: {}", a.published.iso);
    let _ = writeln!(hugo, "outlet: {}", yq(a.outlet));
    let _ = writeln!(hugo, "period: {}", yq(&a.published.edtf));
    let _ = writeln!(hugo, "entities: [{}]", ids.join(", "));
    hugo.push_str("---\n");
    hugo.push_str(&hugo_body);
    hugo.push_str(&footnotes);

    ArticleFiles { markdown: front + "\n" + &md, original, annotations: yaml, hugo, notes: made }
}

// ---------------------------------------------------------------- output

struct Args {
    articles: usize,
    out: PathBuf,
    hugo: Option<PathBuf>,
    seed: u64,
    vocab: PathBuf,
    force: bool,
    shape: Shape,
}

const USAGE: &str =
    "usage: synth --articles N --out DIR [--hugo DIR] [--seed S] [--shape realistic|uniform] [--vocab DIR] [--force]";

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        articles: 1000,
        out: PathBuf::new(),
        hugo: None,
        seed: 1,
        vocab: Path::new(env!("CARGO_MANIFEST_DIR")).join("content/articles"),
        force: false,
        shape: Shape::Realistic,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or(format!("{a} needs a value\n{USAGE}"));
        match a.as_str() {
            "--articles" => {
                args.articles = value()?.replace('_', "").parse().map_err(|e| format!("--articles: {e}"))?
            }
            "--out" => args.out = value()?.into(),
            "--hugo" => args.hugo = Some(value()?.into()),
            "--seed" => args.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--vocab" => args.vocab = value()?.into(),
            "--shape" => args.shape = Shape::parse(&value()?)?,
            "--force" => args.force = true,
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    if args.out.as_os_str().is_empty() || args.articles < 10 {
        return Err(format!("--out is required and --articles at least 10\n{USAGE}"));
    }
    Ok(args)
}

const MARKER: &str = "synth.json";

/// Makes `dir` ready: refuses to touch a folder this generator did not
/// write; with `--force` removes what it wrote before.
fn prepare(dir: &Path, parts: &[&str], force: bool) -> Result<(), String> {
    let used = parts.iter().any(|p| dir.join(p).exists());
    if used {
        if !dir.join(MARKER).exists() {
            return Err(format!(
                "{} already holds a site that synth did not write; choose another folder",
                dir.display()
            ));
        }
        if !force {
            return Err(format!("{} already holds a generated site; pass --force to replace it", dir.display()));
        }
        for p in parts {
            let path = dir.join(p);
            if path.is_dir() {
                fs::remove_dir_all(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            } else if path.exists() {
                fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            }
        }
    }
    fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))
}

fn write(path: &Path, text: &str) {
    if let Err(e) = fs::write(path, text) {
        eprintln!("synth: cannot write {}: {e}", path.display());
        std::process::exit(2);
    }
}

fn mkdirs(base: &Path, dirs: &[&str]) {
    for d in dirs {
        if let Err(e) = fs::create_dir_all(base.join(d)) {
            eprintln!("synth: cannot create {}: {e}", base.join(d).display());
            std::process::exit(2);
        }
    }
}

const HUGO_BASEOF: &str = r#"<!doctype html>
<html lang="{{ site.Language.Lang }}" dir="{{ or site.Language.Direction "rtl" }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title>
<link rel="stylesheet" href="/site.css">
</head>
<body>
<header><a href="/">{{ site.Title }}</a> · <a href="/entities/">الكيانات</a> · <a href="/timeline/">الخط الزمني</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"#;

const HUGO_SINGLE: &str = r#"{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<dl><dt>المصدر</dt><dd>{{ .Params.outlet }}</dd><dt>تاريخ النشر</dt><dd><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Params.period }}</time></dd></dl>
<div class="text">{{ .Content }}</div>
</article>
<aside>
{{ with .GetTerms "entities" }}<h2>الكيانات في المقال</h2><ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
<p><a href="/originals/{{ .File.ContentBaseName }}.txt">النص الأصلي</a></p>
</aside>
{{ end }}
"#;

const HUGO_LIST: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Params.period }}</time></li>{{ end }}</ul>
{{ end }}
"#;

const HUGO_HOME: &str = r#"{{ define "main" }}
<h1>{{ site.Title }}</h1>
{{ .Content }}
<ul>{{ range site.RegularPages.ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <span>{{ .Params.outlet }}</span> <time>{{ .Params.period }}</time></li>{{ end }}</ul>
{{ end }}
"#;

const HUGO_TAXONOMY: &str = r#"{{ define "main" }}
<h1>الكيانات</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> ({{ len .Pages }})</li>{{ end }}</ul>
{{ end }}
"#;

const HUGO_TERM: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ with .Params.role }}<p>{{ . }}</p>{{ end }}
{{ .Content }}
<h2>المقالات</h2>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Params.period }}</time></li>{{ end }}</ul>
{{ end }}
"#;

const HUGO_TIMELINE: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
<ol class="timeline">{{ range sort hugo.Data.events "sort" }}
<li><time>{{ .date }}</time> <strong>{{ .title }}</strong> {{ .body | markdownify }} <a href="{{ .href }}">{{ .source }}</a></li>{{ end }}
</ol>
{{ end }}
"#;

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let started = std::time::Instant::now();
    let vocab = match load_vocab(&args.vocab) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("synth: {e}");
            std::process::exit(2);
        }
    };
    let parts = ["content", MARKER];
    if let Err(e) = prepare(&args.out, &parts, args.force) {
        eprintln!("synth: {e}");
        std::process::exit(2);
    }
    let hugo_parts = ["content", "data", "layouts", "static", "hugo.toml", MARKER];
    if let Some(h) = &args.hugo {
        if let Err(e) = prepare(h, &hugo_parts, args.force) {
            eprintln!("synth: {e}");
            std::process::exit(2);
        }
    }
    let n = args.articles;
    let seed = args.seed;

    let entities = make_entities(seed, (n / 5).max(10), &vocab);
    let popularity = Popularity::new(seed, entities.len(), args.shape);
    let persons: Vec<u32> = (0..entities.len() as u32).filter(|&e| entities[e as usize].kind == "person").collect();
    let cx = Ctx { seed, vocab: &vocab, entities: &entities, popularity: &popularity, persons, shape: args.shape };

    // Pass 1: what each article offers to be cited (its text is rebuilt in
    // pass 2 from the same stream rather than kept in memory).
    let infos: Vec<Info> = (0..n).into_par_iter().map(|i| info(&cx, i, &generate_article(&cx, i))).collect();

    let content = args.out.join("content");
    mkdirs(&content, &["articles", "originals", "entities", "annotations", "events"]);
    let hugo_content = args.hugo.as_ref().map(|h| h.join("content"));
    if let Some(h) = &args.hugo {
        mkdirs(h, &["content/articles", "content/entities", "content/timeline", "data", "layouts", "static/originals"]);
    }

    // Pass 2: articles, originals, annotations.
    let notes: usize = (0..n)
        .into_par_iter()
        .map(|i| {
            let a = generate_article(&cx, i);
            let id = a.id.clone();
            let files = article_files(&cx, i, a, &infos);
            write(&content.join("articles").join(format!("{id}.md")), &files.markdown);
            write(&content.join("originals").join(format!("{id}.txt")), &files.original);
            if !files.annotations.is_empty() {
                write(&content.join("annotations").join(format!("{id}.yaml")), &files.annotations);
            }
            if let (Some(hc), Some(h)) = (&hugo_content, &args.hugo) {
                write(&hc.join("articles").join(format!("{id}.md")), &files.hugo);
                write(&h.join("static/originals").join(format!("{id}.txt")), &files.original);
            }
            files.notes
        })
        .sum();

    // Entities: descriptions cite an article that mentions them.
    let mut mentioned_in: Vec<Vec<u32>> = vec![Vec::new(); entities.len()];
    for (i, info) in infos.iter().enumerate() {
        for &e in &info.entities {
            if mentioned_in[e as usize].len() < 64 {
                mentioned_in[e as usize].push(i as u32);
            }
        }
    }
    (0..entities.len()).into_par_iter().for_each(|e| {
        let ent = &entities[e];
        let mut rng = Rng::stream(seed, S_DESCRIPTION, e as u64);
        let mut desc_m = cx.vocab.sentence(&mut rng, 10, 22);
        let mut desc_h = desc_m.clone();
        let sources = &mentioned_in[e];
        if !sources.is_empty() {
            // Prefer a quote about this entity.
            let found = sources.iter().find_map(|&j| {
                infos[j as usize].exports.iter().find(|(x, _)| *x == Some(e as u32)).map(|(_, q)| (j, q))
            });
            let found = found.or_else(|| {
                let j = sources[0];
                infos[j as usize].exports.first().map(|(_, q)| (j, q))
            });
            if let Some((j, q)) = found {
                let other = &infos[j as usize];
                desc_m.pop();
                desc_h.pop();
                let _ = write!(desc_m, " [@{} \"{q}\"].", other.id);
                let _ = write!(desc_h, " ([{}](/articles/{}/): «{q}»).", other.title, other.id);
            }
        }
        let mut yaml = format!("name: {}\nkind: {}\n", yq(&ent.name), ent.kind);
        if let Some(r) = &ent.role {
            let _ = writeln!(yaml, "role: {}", yq(r));
        }
        let aliases: Vec<String> = ent.aliases.iter().map(|a| yq(a)).collect();
        let _ = writeln!(yaml, "aliases: [{}]", aliases.join(", "));
        let mut relations = Vec::new();
        for _ in 0..rng.range(0, 2) {
            let to = rng.below(entities.len());
            if to != e && !relations.contains(&to) {
                relations.push(to);
            }
        }
        if let Some(&to) = relations.first() {
            if rng.chance(0.5) {
                let t = &entities[to];
                let _ = write!(desc_m, " [[{}|{}]].", t.id, t.name);
                let _ = write!(desc_h, " [{}](/entities/{}/).", t.name, t.id);
            }
        }
        yaml.push_str(&block("description", &desc_m, ""));
        if !relations.is_empty() {
            yaml.push_str("relations:\n");
            for to in relations {
                let (label, inverse) = rng.one(RELATIONS);
                let _ =
                    writeln!(yaml, "  - {{ to: {}, label: {}, inverse: {} }}", entities[to].id, yq(label), yq(inverse));
            }
        }
        write(&content.join("entities").join(format!("{}.yaml", ent.id)), &yaml);
        if let Some(hc) = &hugo_content {
            let dir = hc.join("entities").join(&ent.id);
            mkdirs(&dir, &[""]);
            let mut page = format!("---\ntitle: {}\n", yq(&ent.name));
            if let Some(r) = &ent.role {
                let _ = writeln!(page, "role: {}", yq(r));
            }
            let _ = write!(page, "kind: {}\n---\n{desc_h}\n", ent.kind);
            write(&dir.join("_index.md"), &page);
        }
    });

    // Events, 100 to a file.
    let n_events = n / 2;
    let chunks: Vec<(String, Vec<serde_json::Value>)> = (0..n_events.div_ceil(100))
        .into_par_iter()
        .map(|c| {
            let mut yaml = String::new();
            let mut json = Vec::new();
            for k in c * 100..((c + 1) * 100).min(n_events) {
                let mut rng = Rng::stream(seed, S_EVENTS, k as u64);
                let j = rng.below(n);
                let art = &infos[j];
                let date = random_date(&mut rng);
                let main = &entities[*rng.pick(&art.entities) as usize];
                let (before, after) = (rng.range(2, 4), rng.range(1, 3));
                let title =
                    format!("{} {} {}", cx.vocab.phrase(&mut rng, before), main.name, cx.vocab.phrase(&mut rng, after));
                let (body_m, body_h) = note_body(&cx, &mut rng, &infos, &art.entities, None);
                let _ = writeln!(yaml, "- id: ev-{:06}", k + 1);
                let _ = writeln!(yaml, "  date: {}", yq(&date.edtf));
                let _ = writeln!(yaml, "  title: {}", yq(&title));
                yaml.push_str(&block("body", &body_m, "  "));
                let mut tags: Vec<&str> = Vec::new();
                for _ in 0..rng.range(1, 3) {
                    let e = &entities[*rng.pick(&art.entities) as usize];
                    if !tags.contains(&e.id.as_str()) {
                        tags.push(&e.id);
                    }
                }
                let _ = writeln!(yaml, "  entities: [{}]", tags.join(", "));
                yaml.push_str("  sources:\n");
                let mut cited = vec![j];
                for _ in 1..rng.range(1, 3) {
                    // Another article about the same actor, or any.
                    let e = *rng.pick(&art.entities) as usize;
                    let other =
                        if mentioned_in[e].len() > 1 { *rng.pick(&mentioned_in[e]) as usize } else { rng.below(n) };
                    if !cited.contains(&other) {
                        cited.push(other);
                    }
                }
                for &s in &cited {
                    let src = &infos[s];
                    if !src.exports.is_empty() && rng.chance(0.7) {
                        let (_, q) = rng.pick(&src.exports);
                        let _ = writeln!(yaml, "    - article: {}", src.id);
                        let _ = writeln!(yaml, "      quote: {}", yq(q));
                    } else {
                        let p = rng.range(1, src.paragraphs);
                        let _ = writeln!(yaml, "    - {{ article: {}, paragraph: {p} }}", src.id);
                    }
                }
                json.push(serde_json::json!({
                    "date": date.edtf,
                    "sort": date.iso,
                    "title": title,
                    "body": body_h,
                    "href": format!("/articles/{}/", art.id),
                    "source": art.title,
                }));
            }
            (yaml, json)
        })
        .collect();
    let mut all_events = Vec::with_capacity(n_events);
    for (c, (yaml, json)) in chunks.into_iter().enumerate() {
        write(&content.join("events").join(format!("events-{:04}.yaml", c + 1)), &yaml);
        all_events.extend(json);
    }

    let title = format!("ملف تجريبي: {n} مقال");
    let description = "ملف مولَّد آليًا لقياس أداء milaf، من مفردات المقالات النموذجية.";
    write(
        &content.join("dossier.yaml"),
        &format!(
            "# A synthetic dossier written by examples/synth.rs (seed {seed}).\n\
             title: {}\ndescription: {}\nlang: ar\nnumerals: ascii\n\
             dates:\n  months: maghrebi\n  calendar: gregorian\n{KINDS_YAML}",
            yq(&title),
            yq(description)
        ),
    );
    let manifest = serde_json::json!({
        "generator": "examples/synth.rs",
        "articles": n,
        "entities": entities.len(),
        "notes": notes,
        "events": n_events,
        "seed": seed,
        "shape": args.shape.name(),
        "vocabulary_sha256": vocab.sha256,
    });
    let manifest = serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n";
    write(&args.out.join(MARKER), &manifest);

    if let Some(h) = &args.hugo {
        let toml = format!(
            "# A Hugo site equivalent to a synthetic milaf dossier (examples/synth.rs).\n\
             baseURL = \"https://example.org/\"\ntitle = {title:?}\n\
             defaultContentLanguage = \"ar\"\n\
             [languages.ar]\n  locale = \"ar\"\n  direction = \"rtl\"\n  label = \"العربية\"\n  weight = 1\n\
             [taxonomies]\n  entity = \"entities\"\n\
             [outputs]\n  home = [\"html\", \"rss\"]\n  section = [\"html\"]\n  taxonomy = [\"html\"]\n  term = [\"html\"]\n\
             [markup.goldmark.extensions]\n  footnote = true\n"
        );
        write(&h.join("hugo.toml"), &toml);
        let layouts = h.join("layouts");
        for (name, text) in [
            ("baseof.html", HUGO_BASEOF),
            ("single.html", HUGO_SINGLE),
            ("list.html", HUGO_LIST),
            ("home.html", HUGO_HOME),
            ("taxonomy.html", HUGO_TAXONOMY),
            ("term.html", HUGO_TERM),
            ("timeline.html", HUGO_TIMELINE),
        ] {
            write(&layouts.join(name), text);
        }
        write(&h.join("content/_index.md"), &format!("---\ntitle: {}\n---\n{description}\n", yq(&title)));
        write(&h.join("content/timeline/_index.md"), "---\ntitle: \"الخط الزمني\"\nlayout: timeline\n---\n");
        write(
            &h.join("static/site.css"),
            "body { font-family: sans-serif; max-inline-size: 48rem; margin-inline: auto; }\n",
        );
        let events = serde_json::to_string(&all_events).unwrap_or_default();
        write(&h.join("data/events.json"), &events);
        write(&h.join(MARKER), &manifest);
    }
    eprintln!(
        "synth: {} shape, {n} articles, {} entities, {notes} notes, {n_events} events into {}{} in {:.1} s",
        args.shape.name(),
        entities.len(),
        args.out.display(),
        args.hugo.as_ref().map(|h| format!(" (Hugo site: {})", h.display())).unwrap_or_default(),
        started.elapsed().as_secs_f64()
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_vocab() -> Vocab {
        load_vocab(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content/articles")).unwrap()
    }

    #[test]
    fn proclitics_are_taken_off_as_the_matcher_does() {
        assert_eq!(unprefixed("ودولي"), ["دولي"]);
        assert_eq!(unprefixed("وبالجيش"), ["بالجيش", "الجيش"]);
        assert_eq!(unprefixed("للجيش"), ["لجيش", "الجيش"]);
        assert_eq!(unprefixed("بو"), Vec::<String>::new());
        assert_eq!(unprefixed("مالي"), Vec::<String>::new());
    }

    #[test]
    fn no_name_can_appear_by_accident_in_the_generated_text() {
        let vocab = sample_vocab();
        let names = Names { taken: HashSet::new(), vocab: &vocab, ids: HashSet::new() };
        // A word of the text, with or without its proclitics.
        assert!(!names.free("ودولي") && !names.free("دولي"));
        assert!(!names.free("الجيش"), "للجيش is ل + الجيش");
        // Two words the chain can write one after the other.
        assert!(!names.free("سيرغي لافروف"));
        // Names the text cannot contain stay free.
        assert!(names.free("زوكاراتا"));
        assert!(names.free("لافروف سيرغي"));
    }

    #[test]
    fn mentions_per_article_do_not_grow_with_the_number_of_entities() {
        // The same articles' text, with 10 and then 100 times as many
        // entities as a small dossier would have: only the planned
        // mentions may be found, so the count per article stays put.
        let vocab = sample_vocab();
        let per_article = |n: usize| {
            let entities = make_entities(1, n / 5, &vocab);
            let aliases: Vec<(usize, &str)> =
                entities.iter().enumerate().flat_map(|(i, e)| e.aliases.iter().map(move |a| (i, a.as_str()))).collect();
            let names: Vec<(usize, &str)> = entities.iter().enumerate().map(|(i, e)| (i, e.name.as_str())).collect();
            let all: Vec<(usize, &str)> = aliases.into_iter().chain(names).collect();
            let matcher = milaf::mentions::Matcher::new(&all, &[]);
            let mut rng = Rng::stream(7, S_TEXT, 0);
            let mut found = 0;
            for _ in 0..200 {
                found += matcher.find(&vocab.phrase(&mut rng, 120)).len();
            }
            found
        };
        assert_eq!(per_article(100), 0);
        assert_eq!(per_article(10_000), 0, "a generated name matched the plain generated text");
    }

    /// How many of `n` articles name each entity, most named first, as the
    /// generator draws them (entity draws come first in an article's stream).
    fn articles_per_entity(n: usize, shape: Shape) -> Vec<usize> {
        let entities = n / 5;
        let popularity = Popularity::new(1, entities, shape);
        let mut count = vec![0usize; entities];
        for i in 0..n {
            let mut rng = Rng::stream(1, S_TEXT, i as u64);
            for e in article_entities(&popularity, shape, &mut rng) {
                count[e as usize] += 1;
            }
        }
        count.sort_unstable_by(|a, b| b.cmp(a));
        count
    }

    #[test]
    fn the_realistic_shape_has_a_newsrooms_popularity_curve() {
        // Issue #16's workload at 10k: the most named entity in 4,383
        // articles, the median one in 13, 4–10 entities per article.
        let count = articles_per_entity(10_000, Shape::Realistic);
        let (top, median) = (count[0], count[count.len() / 2]);
        assert!((4_000..=4_800).contains(&top), "top entity in {top} of 10,000 articles");
        assert!((10..=16).contains(&median), "median entity in {median} of 10,000 articles");
        let per_article = count.iter().sum::<usize>() as f64 / 10_000.0;
        assert!((6.5..=7.5).contains(&per_article), "{per_article} entities per article");
        // The earlier shape is flatter: its top entity is in fewer articles.
        let uniform = articles_per_entity(10_000, Shape::Uniform);
        assert!(uniform[0] < top * 9 / 10, "uniform top {} against realistic {top}", uniform[0]);
    }

    #[test]
    fn the_realistic_shape_writes_about_seventeen_mentions_per_article() {
        let vocab = sample_vocab();
        let entities = make_entities(1, 100, &vocab);
        let popularity = Popularity::new(1, entities.len(), Shape::Realistic);
        let persons: Vec<u32> = (0..entities.len() as u32).filter(|&e| entities[e as usize].kind == "person").collect();
        let cx = Ctx {
            seed: 1,
            vocab: &vocab,
            entities: &entities,
            popularity: &popularity,
            persons,
            shape: Shape::Realistic,
        };
        let (mut mentions, mut words, mut paras) = (0, 0, 0);
        let n = 200;
        for i in 0..n {
            let a = generate_article(&cx, i);
            paras += a.paras.len();
            for p in &a.paras {
                mentions += p.pieces.iter().filter(|x| x.entity.is_some()).count();
                words += p.pieces.len();
            }
        }
        let (mentions, words, paras) = (mentions as f64 / n as f64, words as f64 / n as f64, paras as f64 / n as f64);
        assert!((15.0..=19.0).contains(&mentions), "{mentions} mentions per article");
        assert!((750.0..=850.0).contains(&words), "{words} words per article");
        assert!((10.0..=12.0).contains(&paras), "{paras} paragraphs per article");
    }
}
