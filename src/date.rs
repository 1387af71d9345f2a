//! Dates: the EDTF subset that editors write, its total order, and its Arabic
//! display. Every date in the dossier (an article's `published`, an event's
//! `date`) goes through this module, so that one parser decides what is
//! valid, one order decides where a date sits on the timeline, and one
//! formatter decides how it reads, with its precision never invented.
//!
//! **Accepted forms** (ISO 8601-2 / EDTF levels 0 and 1, and the sub-year
//! groupings of level 2): a day `2022-03-31`, a month `2022-03`, a year
//! `2022`; unspecified digits at the end of a year (`202X`: a year of the
//! 2020s, `20XX`), an unspecified month (`2004-XX`) or day (`2004-06-XX`);
//! a season (`2022-21` spring … `2022-24` winter) or, from level 2, a
//! quarter (`2023-33` … `2023-36`), a third (`2023-37` … `-39`) or a half
//! (`2021-40`, `2021-41`) of a year — «الربع الأخير من 2023»، «النصف الثاني
//! من 2021» — each optionally ending in one qualifier: `~` approximate, `?`
//! uncertain, `%` both; and an interval of two such dates joined by `/`
//! (`2023-11/2023-12`), each end with its own precision and qualifier, or
//! with one end open (`2024/..`: still going on; `../2021`: from an
//! indefinite start) or unknown (`2021/`, `/2021`). Years have four digits,
//! 0001–9999 (proleptic Gregorian). Refused with a precise error, because
//! an editor who writes them means something this site cannot show
//! faithfully: other `X` patterns (`2X22`), the hemisphere-specific
//! seasons (25–32), qualifiers on one part (`2022?-03`), times, and
//! Arabic-Indic digits or
//! look-alike dashes in the value. White space around the whole value is
//! ignored (it is invisible to the editor and means nothing); white space
//! inside it is an error. A [`DateError`] carries the byte range of the
//! offending part of the input (offsets into the string given to [`parse`],
//! untrimmed) and a `help` with the fix, validated where the fix is a whole
//! date.
//!
//! **Order** ([`Ord`] for [`Date`]) is total and deterministic. Dates compare
//! by, in turn:
//! 1. the earliest day the date allows ([`Date::earliest`]);
//! 2. the precision of the start, coarser first, so a year sorts before its
//!    months and a month before its days: `2022` < `2022-01` < `2022-01-01`;
//! 3. a single date before an interval that starts on the same day;
//! 4. the latest day the date allows ([`Date::latest`]), shorter first;
//! 5. qualifiers: exact, then approximate, then uncertain, then both (for an
//!    interval the start's qualifier, then the end's);
//! 6. the EDTF string, and finally the raw fields, so that two dates compare
//!    equal exactly when they are equal.
//!
//! **Display** ([`display`], [`DateFormatter`]) writes the date in the words
//! of the theme's catalogue (`date.*` keys; the Arabic ones are quoted
//! here): `31 مارس 2022`, `مارس 2022`, `2022`; approximate reads
//! `نحو مارس 2022`, uncertain `مارس 2022 على الأرجح`, `%` both. A span of
//! days reads `A – B` with an en dash between spaces; any other interval
//! (months, years, or a qualified end) reads `بين A وB`, a time somewhere
//! between its ends, because editors date an event they cannot place more
//! closely by the months it may fall in (`2025-02/2026-02`), and a dash
//! would read as an event lasting a year. Two months of the same year with
//! no qualifier share the year: `بين نوفمبر وديسمبر 2023`. The string holds
//! no bidi control characters: the renderer isolates it (`<bdi>`, `dir`)
//! where it sits inside left-to-right text. With Arabic-Indic digits every
//! digit
//! becomes `٠`–`٩`. With the Hijri option a day is followed by its Hijri date
//! in the Umm al-Qura calendar, `24 فبراير 2022 (23 رجب 1443 هـ)`; a month or
//! a year gets none, because a Gregorian month straddles two Hijri months and
//! naming one would invent precision.
//!
//! **Calendar and locale data** come from ICU4X. `icu_calendar` converts to
//! the Hijri calendar with the Umm al-Qura rules (CLDR `islamic-umalqura`,
//! the Saudi official calendar, KACST tables for 1300–1600 AH, i.e.
//! 1882–2174; outside that ICU falls back to the tabular civil calendar).
//! `icu_datetime` supplies the month names: the CLDR `ar-EG` series for
//! [`MonthSeries::Maghrebi`] (يناير … ديسمبر) and the `ar-SY` series for
//! [`MonthSeries::Levantine`] (كانون الثاني … كانون الأول), and the Hijri
//! month names. The patterns around the names are ours (`d MMMM y`, the
//! pattern CLDR gives every Arabic locale): ICU's full-date patterns insert
//! an era marker before years under 1000 and leave the pre-Hijra era
//! untranslated (`BH`), and the dossier needs one predictable shape; before
//! the Hijra we write `ق.هـ`.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use icu_calendar::cal::hijri::UmmAlQura;
use icu_calendar::cal::{Gregorian, Hijri};
use icu_datetime::fieldsets::M;
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_locale_core::{locale, Locale};

use crate::i18n::Catalogue;

/// How much of a date is known. The declaration order (year, month, day) is
/// the order of coarse to fine, which the ordering of dates relies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Precision {
    /// `2022`
    Year,
    /// `2022-03`
    Month,
    /// `2022-03-31`
    Day,
}

/// One EDTF date: a year, optionally a month, optionally a day, and its
/// qualifiers. `day` is meaningful only when `month` is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Point {
    /// 1 to 9999 when parsed (with unspecified digits: the first year they
    /// allow, `2020` for `202X`).
    pub year: i32,
    /// 1 to 12 when parsed.
    pub month: Option<u8>,
    /// 1 to the length of the month when parsed.
    pub day: Option<u8>,
    /// `~` (or `%`): about this date.
    pub approximate: bool,
    /// `?` (or `%`): this date is not confirmed.
    pub uncertain: bool,
    /// A season (21–24) or a sub-year grouping (33–41: quarters, thirds,
    /// halves) of `year`, when the date is one; `month` and `day` are then
    /// `None`.
    pub group: Option<u8>,
    /// Digits the editor marked unknown with `X`.
    pub unspecified: Unspecified,
}

/// Which part of a date is written with `X`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub enum Unspecified {
    #[default]
    None,
    /// `202X`: some year of the decade.
    Decade,
    /// `20XX`: some year of the century.
    Century,
    /// `2004-XX`: some month of the year.
    Month,
    /// `2004-06-XX`: some day of the month.
    Day,
}

/// An interval's end that is not a date: open (`..`) or unknown (empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum End {
    /// `2024/..`: the span goes on (or, as a start, began indefinitely early).
    Open,
    /// `2021/`: the span ends (or, as a start, began) at a date not known.
    Unknown,
}

/// A date as an editor writes it: one point, or an interval between two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Date {
    /// `2022-03-31`, `2022-03~`, `2022?` …
    Point(Point),
    /// `2023-11/2023-12`: start and end, the end never before the start.
    Interval(Point, Point),
    /// `2024/..`, `2021/`: a known start, an open or unknown end.
    From(Point, End),
    /// `../2021`, `/2021`: an open or unknown start, a known end.
    Until(End, Point),
}

/// Why a string is not a date: `start..end` is the byte range of the wrong
/// part in the string given to [`parse`], so the caller can point a caret
/// at it in the source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    /// First byte of the wrong part.
    pub start: usize,
    /// One past its last byte (equal to `start` only for an empty input).
    pub end: usize,
    /// What is wrong, in a short sentence without a final period.
    pub message: String,
    /// How to fix it, often with the corrected value.
    pub help: String,
}

/// Which Arabic names the Gregorian months take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum MonthSeries {
    /// يناير، فبراير … ديسمبر (CLDR `ar-EG`). The name is the one
    /// `dossier.yaml` uses; the series is the Egyptian one of pan-Arab news
    /// media, not CLDR's Moroccan `ar-MA` (ماي، يوليوز، غشت …).
    #[default]
    Maghrebi,
    /// كانون الثاني، شباط … كانون الأول (CLDR `ar-SY`).
    Levantine,
}

/// Which digits a displayed date uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Digits {
    /// 0-9.
    #[default]
    Ascii,
    /// ٠-٩.
    ArabicIndic,
}

/// How dates are displayed, from `dossier.yaml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct DateStyle {
    /// The names of the Gregorian months.
    pub months: MonthSeries,
    /// The digits of days and years.
    pub digits: Digits,
    /// Follow every day-precision date with its Hijri date.
    pub hijri: bool,
}

/// The forms we accept, shown whenever the input is not recognisable as a
/// date at all.
const FORMS_HELP: &str = "write a day 2022-03-31, a month 2022-03 or a year 2022; \
end it with ~ (approximate), ? (uncertain) or % (both); \
join two dates with / for an interval: 2023-11/2023-12";

/// English month names, for the diagnostics (which are in English like the
/// rest of the command line); the Arabic names come from ICU.
const ENGLISH_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const ARABIC_INDIC_DIGITS: [char; 10] = ['٠', '١', '٢', '٣', '٤', '٥', '٦', '٧', '٨', '٩'];

// ---------------------------------------------------------------------------
// Calendar arithmetic

fn is_leap_year(year: i32) -> bool {
    year.rem_euclid(4) == 0 && (year.rem_euclid(100) != 0 || year.rem_euclid(400) == 0)
}

/// Days in a month of the proleptic Gregorian calendar. A month outside
/// 1..=12 (only possible in a hand-built [`Point`]) is clamped so that
/// nothing downstream can panic on it.
fn days_in_month(year: i32, month: u8) -> u8 {
    match month.clamp(1, 12) {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn english_month(month: u8) -> &'static str {
    ENGLISH_MONTHS.get(usize::from(month.clamp(1, 12)) - 1).copied().unwrap_or("?")
}

// ---------------------------------------------------------------------------
// The model

impl Point {
    /// How much of this point is known.
    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            (None, _) => Precision::Year,
        }
    }

    /// The months a season or grouping covers, as (first, last) month of
    /// `year` (winter runs into February of the next year: last = 14).
    fn group_months(group: u8) -> (u8, u8) {
        match group {
            21 => (3, 5),
            22 => (6, 8),
            23 => (9, 11),
            24 => (12, 14),
            33..=36 => {
                let q = group - 33;
                (q * 3 + 1, q * 3 + 3)
            }
            37..=39 => {
                let t = group - 37;
                (t * 4 + 1, t * 4 + 4)
            }
            40 => (1, 6),
            _ => (7, 12),
        }
    }

    /// The first day this point allows, as (year, month, day).
    pub fn earliest(&self) -> (i32, u8, u8) {
        if let Some(g) = self.group {
            return (self.year, Point::group_months(g).0, 1);
        }
        match self.month {
            None => (self.year, 1, 1),
            Some(month) => {
                let month = month.clamp(1, 12);
                let day = self.day.map_or(1, |d| d.clamp(1, days_in_month(self.year, month)));
                (self.year, month, day)
            }
        }
    }

    /// The last day this point allows, as (year, month, day).
    pub fn latest(&self) -> (i32, u8, u8) {
        if let Some(g) = self.group {
            let last = Point::group_months(g).1;
            let (year, month) = if last > 12 { (self.year + 1, last - 12) } else { (self.year, last) };
            return (year, month, days_in_month(year, month));
        }
        match self.unspecified {
            Unspecified::Decade => return (self.year + 9, 12, 31),
            Unspecified::Century => return (self.year + 99, 12, 31),
            _ => {}
        }
        match self.month {
            None => (self.year, 12, 31),
            Some(month) => {
                let month = month.clamp(1, 12);
                let last = days_in_month(self.year, month);
                (self.year, month, self.day.map_or(last, |d| d.clamp(1, last)))
            }
        }
    }

    /// The date without its qualifier, as HTML's `datetime` attribute wants
    /// it: `2022-03-31`, `2022-03` or `2022`. HTML has no unspecified digits
    /// or seasons: a decade or century gives nothing more precise than its
    /// first year, and a season its year.
    fn machine(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{:02}-{:02}", self.year, m, d),
            (Some(m), None) => format!("{:04}-{:02}", self.year, m),
            (None, _) => format!("{:04}", self.year),
        }
    }

    fn qualifier_rank(&self) -> u8 {
        match (self.approximate, self.uncertain) {
            (false, false) => 0,
            (true, false) => 1,
            (false, true) => 2,
            (true, true) => 3,
        }
    }

    fn fields(&self) -> (i32, Option<u8>, Option<u8>, bool, bool, Option<u8>, Unspecified) {
        (self.year, self.month, self.day, self.approximate, self.uncertain, self.group, self.unspecified)
    }

    /// The EDTF form without the qualifier.
    fn edtf(&self) -> String {
        match (self.unspecified, self.group) {
            (Unspecified::Decade, _) => format!("{:03}X", self.year / 10),
            (Unspecified::Century, _) => format!("{:02}XX", self.year / 100),
            (Unspecified::Month, _) => format!("{:04}-XX", self.year),
            (Unspecified::Day, _) => format!("{:04}-{:02}-XX", self.year, self.month.unwrap_or(1)),
            (_, Some(g)) => format!("{:04}-{g}", self.year),
            _ => self.machine(),
        }
    }
}

impl fmt::Display for Point {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.edtf())?;
        match (self.approximate, self.uncertain) {
            (true, true) => f.write_str("%"),
            (true, false) => f.write_str("~"),
            (false, true) => f.write_str("?"),
            (false, false) => Ok(()),
        }
    }
}

impl Date {
    /// The point the date starts at (the date itself for a single date).
    /// For an interval with an open or unknown start, the known end.
    pub fn start(&self) -> Point {
        match *self {
            Date::Point(p) | Date::Interval(p, _) | Date::From(p, _) | Date::Until(_, p) => p,
        }
    }

    /// The point the date ends at (the date itself for a single date).
    /// For an interval with an open or unknown end, the known start.
    pub fn end(&self) -> Point {
        match *self {
            Date::Point(p) | Date::Interval(_, p) | Date::From(p, _) | Date::Until(_, p) => p,
        }
    }

    /// How precisely the date is known. For an interval that is its coarser
    /// end, so a caller never claims more precision than both ends have.
    pub fn precision(&self) -> Precision {
        self.start().precision().min(self.end().precision())
    }

    /// The first day the date allows, for drawing spans on a timeline.
    pub fn earliest(&self) -> (i32, u8, u8) {
        self.start().earliest()
    }

    /// The last day the date allows, for drawing spans on a timeline.
    pub fn latest(&self) -> (i32, u8, u8) {
        self.end().latest()
    }

    /// The year a timeline groups this date under: the start year.
    pub fn year(&self) -> i32 {
        self.start().year
    }

    fn is_interval(&self) -> bool {
        !matches!(self, Date::Point(..))
    }

    /// Whether the date is less than exact: a qualifier, an open or unknown
    /// end, unknown digits, a season or part of a year. A timeline draws
    /// such a date as vague.
    pub fn is_vague(&self) -> bool {
        let vague = |p: &Point| p.approximate || p.uncertain || p.group.is_some() || p.unspecified != Unspecified::None;
        matches!(self, Date::From(..) | Date::Until(..)) || vague(&self.start()) || vague(&self.end())
    }

    /// Distinguishes the kinds of date with equal points, for a total order.
    fn shape(&self) -> (u8, Option<End>) {
        match *self {
            Date::Point(_) => (0, None),
            Date::Interval(..) => (1, None),
            Date::From(_, e) => (2, Some(e)),
            Date::Until(e, _) => (3, Some(e)),
        }
    }
}

impl fmt::Display for Date {
    /// The canonical EDTF string, which [`parse`] reads back to the same
    /// date.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Date::Point(p) => write!(f, "{p}"),
            Date::Interval(a, b) => write!(f, "{a}/{b}"),
            Date::From(p, End::Open) => write!(f, "{p}/.."),
            Date::From(p, End::Unknown) => write!(f, "{p}/"),
            Date::Until(End::Open, p) => write!(f, "../{p}"),
            Date::Until(End::Unknown, p) => write!(f, "/{p}"),
        }
    }
}

impl Ord for Date {
    /// The order documented at the top of this module.
    fn cmp(&self, other: &Self) -> Ordering {
        let qualifiers = |d: &Date| [d.start().qualifier_rank(), d.end().qualifier_rank()];
        let fields = |d: &Date| (d.shape(), d.start().fields(), d.end().fields());
        self.earliest()
            .cmp(&other.earliest())
            .then_with(|| self.start().precision().cmp(&other.start().precision()))
            .then_with(|| self.is_interval().cmp(&other.is_interval()))
            .then_with(|| self.latest().cmp(&other.latest()))
            .then_with(|| qualifiers(self).cmp(&qualifiers(other)))
            .then_with(|| self.to_string().cmp(&other.to_string()))
            .then_with(|| fields(self).cmp(&fields(other)))
    }
}

impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse(s)
    }
}

impl serde::Serialize for Date {
    /// A date exports as its EDTF string, the form an editor wrote.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DateError {}

/// The value for `<time datetime="…">`: the start point without qualifiers
/// (`2022-03-31`, `2022-03`, `2022`). HTML has no interval syntax for
/// `datetime`, so an interval gives its start; a renderer that wants both
/// ends wraps each in its own `<time>` using [`Date::start`] and
/// [`Date::end`].
pub fn html_datetime(date: &Date) -> String {
    date.start().machine()
}

/// Replaces ASCII digits with Arabic-Indic ones (٠-٩) and leaves everything
/// else as it is.
pub fn to_arabic_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) if c.is_ascii_digit() => ARABIC_INDIC_DIGITS.get(d as usize).copied().unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Arabic-Indic and Extended Arabic-Indic (Persian) digits to ASCII, so an
/// error can show the value as it should have been written.
fn to_ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '٠'..='٩' => char::from(b'0' + (c as u32 - 0x660) as u8),
            '۰'..='۹' => char::from(b'0' + (c as u32 - 0x6F0) as u8),
            _ => c,
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Parsing

fn error(start: usize, end: usize, message: impl Into<String>, help: impl Into<String>) -> DateError {
    DateError { start, end, message: message.into(), help: help.into() }
}

/// A help that proposes `candidate` only if it really is a valid date, so
/// that following the advice never leads to a second error.
fn suggest(candidate: &str, fallback: &str, depth: u8) -> String {
    match check(candidate, depth) {
        Some(date) => format!("write {date}"),
        None => fallback.to_string(),
    }
}

/// Whether a proposed fix is a valid date. Only the top-level parse checks
/// its fixes; the check's own fixes are not checked again, which bounds
/// the recursion (a fix for `~~` would otherwise be `~~` again).
fn check(candidate: &str, depth: u8) -> Option<Date> {
    if depth > 0 {
        return None;
    }
    parse_at(candidate, depth + 1).ok()
}

/// Parses an EDTF date of the subset described at the top of this module.
/// Never panics; every error names the byte range that is wrong.
pub fn parse(s: &str) -> Result<Date, DateError> {
    parse_at(s, 0)
}

/// [`parse`], `depth` levels deep in checking proposed fixes.
fn parse_at(s: &str, depth: u8) -> Result<Date, DateError> {
    let text = s.trim();
    let base = s.len() - s.trim_start().len();
    if text.is_empty() {
        return Err(error(0, s.len(), "the date is empty", FORMS_HELP));
    }
    check_characters(text, base, depth)?;

    let slashes: Vec<usize> = text.match_indices('/').map(|(i, _)| i).collect();
    match slashes.as_slice() {
        [] => parse_point(text, base, depth).map(Date::Point),
        [slash] => parse_interval(text, base, *slash, depth),
        [_, second, ..] => {
            if let Some((message, help)) = misplaced_separator(text, '/', depth) {
                return Err(error(base, base + text.len(), message, help));
            }
            Err(error(
                base + second,
                base + second + 1,
                "an interval has exactly two ends",
                "join two dates with one '/': 2023-11/2023-12",
            ))
        }
    }
}

/// Rejects characters that look right to the eye but are not part of the
/// syntax: invisible bidi marks pasted with Arabic text, Arabic-Indic
/// digits, look-alike dashes and inner white space.
fn check_characters(text: &str, base: usize, depth: u8) -> Result<(), DateError> {
    for (i, c) in text.char_indices() {
        if matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{FEFF}' | '\u{00AD}')
        {
            return Err(error(
                base + i,
                base + i + c.len_utf8(),
                format!("invisible character U+{:04X} in the date", c as u32),
                "delete it, or retype the date by hand: it is invisible in most editors",
            ));
        }
    }
    if text.chars().any(|c| matches!(c, '٠'..='٩' | '۰'..='۹')) {
        return Err(error(
            base,
            base + text.len(),
            "the date is written with Arabic-Indic digits",
            format!(
                "write it with ASCII digits: {} (the site shows Arabic-Indic digits when dossier.yaml asks for them)",
                to_ascii_digits(text)
            ),
        ));
    }
    let is_dash = |c: char| matches!(c, '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}');
    if let Some((i, c)) = text.char_indices().find(|&(_, c)| is_dash(c)) {
        let fixed: String = text.chars().map(|c| if is_dash(c) { '-' } else { c }).collect();
        return Err(error(
            base + i,
            base + i + c.len_utf8(),
            format!("'{c}' is not the hyphen '-'"),
            suggest(&fixed, "separate year, month and day with the ASCII hyphen '-'", depth),
        ));
    }
    // A word (`yesterday`, `مارس 2022`, `late 2021`) means the editor wrote
    // the date in prose; say that, rather than complain about a part of it.
    // Single letters are left to the parser, which names them precisely.
    let mut letters = text.chars().filter(|c| c.is_alphabetic());
    if letters.nth(1).is_some() && !text.chars().all(|c| !c.is_alphabetic() || matches!(c, 'X' | 'x')) {
        return Err(error(base, base + text.len(), format!("'{text}' is not a date"), FORMS_HELP));
    }
    if let Some((i, _)) = text.char_indices().find(|&(_, c)| c.is_whitespace()) {
        // `2022-03-31 10:00`: a time after the date, not stray space.
        if text[i..].contains(':') {
            return Err(error(
                base + i,
                base + text.len(),
                "a time is not part of a date here",
                suggest(&text[..i], "remove the time", depth),
            ));
        }
        let end = text[i..].char_indices().find(|&(_, c)| !c.is_whitespace()).map_or(text.len(), |(j, _)| i + j);
        let fixed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        return Err(error(
            base + i,
            base + end,
            "white space inside the date",
            suggest(&fixed, "remove the white space", depth),
        ));
    }
    Ok(())
}

/// Recognises a whole date written with `sep` between day, month and year
/// in either order (`2022/03/31`, `31/03/2022`, `31-03-2022`) and says how
/// to write it, since the generic error would be about a part of it.
fn misplaced_separator(text: &str, sep: char, depth: u8) -> Option<(String, String)> {
    let parts: Vec<&str> = text.split(sep).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    if !parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let short = |p: &str| (1..=2).contains(&p.len());
    if a.len() == 4 && short(b) && short(c) && sep == '/' {
        let candidate = format!("{a}-{b:0>2}-{c:0>2}");
        return Some((
            "'/' separates the two ends of an interval, not the parts of a date".to_string(),
            suggest(&candidate, "write the date as YYYY-MM-DD", depth),
        ));
    }
    if c.len() == 4 && short(a) && short(b) {
        let first: u32 = a.parse().unwrap_or(0);
        let second: u32 = b.parse().unwrap_or(0);
        let day_first = format!("{c}-{b:0>2}-{a:0>2}");
        let month_first = format!("{c}-{a:0>2}-{b:0>2}");
        let help = match (check(&day_first, depth).is_some(), check(&month_first, depth).is_some()) {
            (true, true) if first != second => {
                format!("write it year first: {day_first} (or {month_first} if the month came first)")
            }
            (true, _) => format!("write it year first: {day_first}"),
            (false, true) => format!("write it year first: {month_first}"),
            (false, false) => "write it year first, as YYYY-MM-DD".to_string(),
        };
        return Some(("the date is written day first".to_string(), help));
    }
    None
}

fn parse_interval(text: &str, base: usize, slash: usize, depth: u8) -> Result<Date, DateError> {
    let (left, right) = (&text[..slash], &text[slash + 1..]);
    let right_base = base + slash + 1;
    // An open (`..`) or unknown (empty) end, beside a date.
    let end_of = |side: &str| match side {
        ".." => Some(End::Open),
        "" => Some(End::Unknown),
        _ => None,
    };
    match (end_of(left), end_of(right)) {
        (Some(_), Some(_)) => {
            return Err(error(
                base,
                base + text.len(),
                "the interval has no date at either end",
                "give at least one end: 2024/.. (still going on), ../2021, 2021/ (end unknown)",
            ))
        }
        (Some(start), None) => return Ok(Date::Until(start, parse_point(right, right_base, depth)?)),
        (None, Some(end)) => return Ok(Date::From(parse_point(left, base, depth)?, end)),
        (None, None) => {}
    }
    // `2022/03` is far more likely a month written with the wrong separator
    // than an interval ending in year 3, so say so instead of asking for a
    // four-digit year.
    if left.len() == 4
        && left.bytes().all(|b| b.is_ascii_digit())
        && (1..=2).contains(&right.len())
        && right.bytes().all(|b| b.is_ascii_digit())
    {
        let month = format!("{left}-{right:0>2}");
        let end_year = format!("{}{right:0>2}", &left[..2]);
        let interval = format!("{left}/{end_year}");
        let help = match (check(&month, depth), check(&interval, depth)) {
            (Some(_), Some(_)) => {
                format!("for a month write {month}; for an interval write both years in full: {interval}")
            }
            (Some(_), None) => format!("for a month write {month}"),
            (None, Some(_)) => format!("write both years in full: {interval}"),
            (None, None) => "write both ends of an interval in full: 2022/2023".to_string(),
        };
        return Err(error(
            right_base,
            right_base + right.len(),
            "the end of the interval needs a four-digit year",
            help,
        ));
    }

    let start = parse_point(left, base, depth)?;
    let end = parse_point(right, right_base, depth)?;
    let whole = (base, base + text.len());
    if start == end {
        return Err(error(
            whole.0,
            whole.1,
            "the interval starts and ends on the same date",
            format!("write it as one date: {start}"),
        ));
    }
    if end.latest() < start.earliest() {
        return Err(error(
            whole.0,
            whole.1,
            "the interval ends before it starts",
            format!("swap the two ends: {end}/{start}"),
        ));
    }
    Ok(Date::Interval(start, end))
}

fn is_qualifier(b: u8) -> bool {
    matches!(b, b'~' | b'?' | b'%')
}

fn digit_run(bytes: &[u8], from: usize) -> usize {
    bytes.get(from..).map_or(0, |rest| rest.iter().take_while(|b| b.is_ascii_digit()).count()) + from
}

/// The value of a run of at most four ASCII digits.
fn number(digits: &[u8]) -> u32 {
    digits.iter().fold(0, |n, d| n * 10 + u32::from(d.wrapping_sub(b'0')))
}

/// Pads every one-digit month or day with a zero (`2022-3-1~` →
/// `2022-03-01~`), the usual fix for a short part.
fn pad_parts(text: &str) -> String {
    let mut parts = text.split('-');
    let mut out = parts.next().unwrap_or_default().to_string();
    for part in parts {
        out.push('-');
        let digits = part.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 1 {
            out.push('0');
        }
        out.push_str(part);
    }
    out
}

/// Parses one side: `YYYY[-MM[-DD]][~|?|%]`. `base` is the byte offset of
/// `text` in the caller's string. Every advance is over ASCII bytes, so
/// every position used to slice `text` is a character boundary.
fn parse_point(text: &str, base: usize, depth: u8) -> Result<Point, DateError> {
    let bytes = text.as_bytes();
    let at = |from: usize, to: usize| (base + from, base + to);
    let fail = |(start, end): (usize, usize), message: String, help: String| Err(error(start, end, message, help));

    match bytes.first() {
        Some(&q) if is_qualifier(q) => {
            let candidate = format!("{}{}", &text[1..], q as char);
            return fail(
                at(0, 1),
                "a qualifier goes at the end of the date".into(),
                suggest(&candidate, "put ~, ? or % after the date", depth),
            );
        }
        Some(b'-' | b'+') => {
            return fail(
                at(0, 1),
                "signed years are not supported".into(),
                "years run from 0001 to 9999, without a sign".into(),
            );
        }
        _ => {}
    }

    let year_end = digit_run(bytes, 0);
    // `202X`, `20XX`: the last digits of the year unknown.
    let xs = bytes.get(year_end..).map_or(0, |r| r.iter().take_while(|b| matches!(b, b'X' | b'x')).count());
    if (2..=3).contains(&year_end) && year_end + xs == 4 && !bytes.get(4).is_some_and(u8::is_ascii_digit) {
        let digits = number(&bytes[..year_end]) as i32;
        let (year, unspecified) =
            if year_end == 3 { (digits * 10, Unspecified::Decade) } else { (digits * 100, Unspecified::Century) };
        if year == 0 {
            return fail(at(0, 4), "years before 0001 are out of range".into(), "years run from 0001 to 9999".into());
        }
        if bytes.get(4) == Some(&b'-') {
            return fail(
                at(4, text.len()),
                "a year with unknown digits takes no month or day".into(),
                format!("write the year alone: {}", &text[..4]),
            );
        }
        let point = Point { year: year.max(1), unspecified, ..Point::default() };
        return qualify(text, base, 4, point, depth);
    }
    if let Some(e) = unspecified(text, base, 0, year_end, Part::Year) {
        return Err(e);
    }
    if year_end == 0 {
        if let Some((message, help)) = misplaced_separator(text, '-', depth) {
            return fail(at(0, text.len()), message, help);
        }
        return fail(at(0, text.len()), format!("'{text}' is not a date"), FORMS_HELP.into());
    }
    let year_digits = &bytes[..year_end];
    if year_digits.len() != 4 {
        if let Some((message, help)) = misplaced_separator(text, '-', depth) {
            return fail(at(0, text.len()), message, help);
        }
        return if year_digits.len() < 4 {
            fail(
                at(0, year_end),
                "the year needs four digits".into(),
                "write all four digits of the year: 2022, not 22".into(),
            )
        } else {
            fail(
                at(0, year_end),
                format!("the year has {} digits", year_digits.len()),
                "years have four digits, from 0001 to 9999".into(),
            )
        };
    }
    let year = number(year_digits) as i32;
    if year == 0 {
        return fail(at(0, 4), "year 0000 is out of range".into(), "years run from 0001 to 9999".into());
    }

    let mut pos = year_end;
    let mut month = None;
    let mut day = None;
    let is_xx = |from: usize| {
        bytes.get(from..from + 2).is_some_and(|p| p.iter().all(|b| matches!(b, b'X' | b'x')))
            && !bytes.get(from + 2).is_some_and(|b| b.is_ascii_alphanumeric())
    };
    if bytes.get(pos) == Some(&b'-') && is_xx(pos + 1) {
        // `2004-XX`, or `2004-XX-XX`: the month (and so the day) unknown.
        let mut end = pos + 3;
        if bytes.get(end) == Some(&b'-') && is_xx(end + 1) {
            end += 3;
        }
        let point = Point { year, unspecified: Unspecified::Month, ..Point::default() };
        return qualify(text, base, end, point, depth);
    }
    if bytes.get(pos) == Some(&b'-') {
        let (value, end) = component(text, base, pos, Part::Month, depth)?;
        let grouping = (21..=24).contains(&value) || (33..=41).contains(&value);
        if grouping && bytes.get(end) != Some(&b'-') {
            let point = Point { year, group: Some(value as u8), ..Point::default() };
            return qualify(text, base, end, point, depth);
        }
        if (25..=32).contains(&value) && bytes.get(end) != Some(&b'-') {
            return fail(
                at(pos + 1, end),
                format!("seasons of one hemisphere ({value}) are not supported"),
                format!("write the season for the dossier's readers (21 spring, 22 summer, 23 autumn, 24 winter), or the months: {year:04}-03/{year:04}-05"),
            );
        }
        if !(1..=12).contains(&value) {
            return fail(
                at(pos + 1, end),
                format!("month {value:02} does not exist"),
                "months run from 01 to 12".into(),
            );
        }
        let m = value as u8;
        month = Some(m);
        pos = end;
        if bytes.get(pos) == Some(&b'-') && is_xx(pos + 1) {
            // `2004-06-XX`: the day unknown.
            let point = Point { year, month, unspecified: Unspecified::Day, ..Point::default() };
            return qualify(text, base, pos + 3, point, depth);
        }
        if bytes.get(pos) == Some(&b'-') {
            let (value, end) = component(text, base, pos, Part::Day, depth)?;
            let last = days_in_month(year, m);
            let month_name = english_month(m);
            if value == 0 || value > 31 {
                return fail(
                    at(pos + 1, end),
                    format!("day {value:02} does not exist"),
                    format!("days run from 01 to {last} in {month_name} {year:04}"),
                );
            }
            if value > u32::from(last) {
                let help = if m == 2 && value == 29 {
                    format!("{year:04} is not a leap year: February ends on {year:04}-02-28")
                } else {
                    format!("the last day of {month_name} {year:04} is {year:04}-{m:02}-{last}")
                };
                return fail(at(pos + 1, end), format!("{month_name} {year:04} has {last} days"), help);
            }
            day = Some(value as u8);
            pos = end;
        }
    }

    qualify(text, base, pos, Point { year, month, day, ..Point::default() }, depth)
}

/// Reads the qualifier after a point's digits, at `pos`, and what may
/// follow it (nothing, or an error that says what the extra part is).
fn qualify(text: &str, base: usize, mut pos: usize, mut point: Point, depth: u8) -> Result<Point, DateError> {
    let bytes = text.as_bytes();
    let at = |from: usize, to: usize| (base + from, base + to);
    let fail = |(start, end): (usize, usize), message: String, help: String| Err(error(start, end, message, help));
    let (approximate, uncertain) = match bytes.get(pos) {
        Some(b'~') => (true, false),
        Some(b'?') => (false, true),
        Some(b'%') => (true, true),
        _ => (false, false),
    };
    let qualified = approximate || uncertain;
    if qualified {
        pos += 1;
    }
    point.approximate = approximate;
    point.uncertain = uncertain;
    let day = point.day;

    let Some(&next) = bytes.get(pos) else {
        return Ok(point);
    };
    let rest = &text[pos..];
    if qualified && is_qualifier(next) {
        let pair = &text[pos - 1..pos + 1];
        let unqualified = &text[..pos - 1];
        return if pair.as_bytes().first() == Some(&next) {
            fail(
                at(pos - 1, pos + 1),
                format!("the qualifier '{}' is repeated", next as char),
                suggest(&format!("{unqualified}{}", next as char), "write it once", depth),
            )
        } else {
            fail(
                at(pos - 1, pos + 1),
                format!("'{pair}' combines two qualifiers"),
                suggest(&format!("{unqualified}%"), "write % for approximate and uncertain at once", depth),
            )
        };
    }
    if qualified && next == b'-' {
        // EDTF level 2 lets a qualifier sit on one part (`2004?-06`); we
        // keep level 1, where it qualifies the whole date, so move it.
        let qualifier = &text[pos - 1..pos];
        let candidate = format!("{}{}{}", &text[..pos - 1], rest, qualifier);
        return fail(
            at(pos - 1, pos),
            "a qualifier goes at the end of the date".into(),
            suggest(&candidate, "put ~, ? or % after the whole date", depth),
        );
    }
    if matches!(next, b'T' | b't' | b':') || (next.is_ascii_digit() && rest.contains(':')) {
        return fail(
            at(pos, text.len()),
            "a time is not part of a date here".into(),
            suggest(&text[..pos], "remove the time", depth),
        );
    }
    if next == b'-' && day.is_some() {
        return fail(
            at(pos, text.len()),
            "a date has at most a year, a month and a day".into(),
            "remove the extra part: 2022-03-31".into(),
        );
    }
    fail(at(pos, text.len()), format!("unexpected '{rest}' after the date"), FORMS_HELP.into())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Year,
    Month,
    Day,
}

impl Part {
    fn name(self) -> &'static str {
        match self {
            Part::Year => "year",
            Part::Month => "month",
            Part::Day => "day",
        }
    }
}

/// Reads the two digits of a month or day after the `-` at `dash`, and
/// returns the value and the position after them.
fn component(text: &str, base: usize, dash: usize, part: Part, depth: u8) -> Result<(u32, usize), DateError> {
    let bytes = text.as_bytes();
    let start = dash + 1;
    let end = digit_run(bytes, start);
    if let Some(e) = unspecified(text, base, start, end, part) {
        return Err(e);
    }
    let name = part.name();
    if end == start {
        return Err(match text[start..].chars().next() {
            None => error(
                base + dash,
                base + start,
                format!("the date ends with '-' but no {name}"),
                format!("add the {name} after '-', or remove the '-'"),
            ),
            Some(c) => error(
                base + start,
                base + start + c.len_utf8(),
                format!("expected the two digits of the {name} after '-'"),
                FORMS_HELP,
            ),
        });
    }
    let digits = &bytes[start..end];
    if digits.len() == 1 {
        let range = if part == Part::Month { "01 to 12" } else { "01 to 31" };
        let fallback = format!("{name}s have two digits, from {range}");
        let whole_side = pad_parts(text);
        let help = match check(&whole_side, depth) {
            Some(date) => format!("write the {name} with two digits: {date}"),
            None => fallback,
        };
        return Err(error(base + start, base + end, format!("the {name} needs two digits"), help));
    }
    if digits.len() > 2 {
        let range = if part == Part::Month { "01 to 12" } else { "01 to 31" };
        return Err(error(
            base + start,
            base + end,
            format!("the {name} has {} digits", digits.len()),
            format!("{name}s have two digits, from {range}"),
        ));
    }
    Ok((number(digits), end))
}

/// EDTF level 1 `X` digits (`201X`, `2022-XX`): refused with the nearest
/// form we support. `from..digits_end` is the run of digits of the part.
fn unspecified(text: &str, base: usize, from: usize, digits_end: usize, part: Part) -> Option<DateError> {
    let bytes = text.as_bytes();
    let x_end = digits_end
        + bytes
            .get(digits_end..)
            .map_or(0, |rest| rest.iter().take_while(|b| matches!(b, b'X' | b'x' | b'0'..=b'9')).count());
    // Once the part has all its digits, an `X` after it is just a stray
    // letter, reported as such by the caller.
    let full = if part == Part::Year { 4 } else { 2 };
    if digits_end - from >= full || x_end == digits_end || !matches!(bytes.get(digits_end), Some(b'X' | b'x')) {
        return None;
    }
    let help = match part {
        Part::Year => {
            "write the known digits first and X after them (202X, 20XX), or an interval of years: 2010/2029".to_string()
        }
        Part::Month => format!("write the year alone: {}", &text[..from.saturating_sub(1)]),
        Part::Day => format!("write the month alone: {}", &text[..from.saturating_sub(1)]),
    };
    let message = match part {
        Part::Year => "only the last digits of a year can be unknown ('202X', '20XX')",
        _ => "unknown digits ('X') stand for a whole month or day ('2004-XX', '2004-06-XX')",
    };
    Some(error(base + from, base + x_end, message, help))
}

// ---------------------------------------------------------------------------
// Display

/// Displays dates in one [`DateStyle`], in the words of a catalogue
/// (`date.*` keys: qualifiers, intervals, parts of a year). Building it
/// loads the month names from ICU once, so a page or a timeline that shows
/// many dates builds one.
#[derive(Debug, Clone)]
pub struct DateFormatter<'a> {
    months: [String; 12],
    hijri_months: Option<[String; 12]>,
    digits: Digits,
    words: &'a Catalogue,
}

impl<'a> DateFormatter<'a> {
    /// A formatter for `style`, with its month names loaded from ICU: the
    /// Arabic series of `style` for an Arabic catalogue, else the names of
    /// the catalogue's language.
    pub fn new(style: &DateStyle, words: &'a Catalogue) -> Self {
        let arabic = words.lang().split(['-', '_']).next().is_some_and(|l| l.eq_ignore_ascii_case("ar"));
        let locale = match style.months {
            _ if !arabic => Locale::try_from_str(words.lang()).unwrap_or(locale!("en")),
            MonthSeries::Maghrebi => locale!("ar-EG"),
            MonthSeries::Levantine => locale!("ar-SY"),
        };
        DateFormatter {
            months: gregorian_month_names(&locale),
            hijri_months: style.hijri.then(|| hijri_month_names(&locale)),
            digits: style.digits,
            words,
        }
    }

    /// The date in words, as described at the top of this module.
    pub fn format(&self, date: &Date) -> String {
        let w = |key: &str, args: &[(&str, &str)]| self.words.tf(key, args);
        let text = match date {
            Date::Point(p) => self.point(p),
            Date::Interval(a, b) => {
                let plain = |p: &Point| !p.approximate && !p.uncertain;
                let shared_year = a.precision() == Precision::Month
                    && b.precision() == Precision::Month
                    && a.year == b.year
                    && plain(a)
                    && plain(b);
                // A span of days reads as a span; anything coarser or
                // qualified is a time somewhere between its ends (an event
                // dated by the months in which it may have happened must
                // not read as lasting a year).
                let days = a.precision() == Precision::Day && b.precision() == Precision::Day && plain(a) && plain(b);
                let (from, to) = if shared_year {
                    (self.month_name(a.month).to_string(), self.body(b))
                } else {
                    (self.point(a), self.point(b))
                };
                w(if days { "date.range" } else { "date.between" }, &[("from", &from), ("to", &to)])
            }
            Date::From(p, End::Open) => w("date.since_ongoing", &[("date", &self.point(p))]),
            Date::From(p, End::Unknown) => w("date.from_unknown_end", &[("date", &self.point(p))]),
            Date::Until(End::Open, p) => w("date.until", &[("date", &self.point(p))]),
            Date::Until(End::Unknown, p) => w("date.unknown_start_until", &[("date", &self.point(p))]),
        };
        match self.digits {
            Digits::Ascii => text,
            Digits::ArabicIndic => to_arabic_digits(&text),
        }
    }

    fn point(&self, p: &Point) -> String {
        let mut out = self.body(p);
        if let (Some(names), Some(month), Some(day)) = (&self.hijri_months, p.month, p.day) {
            if let Some(hijri) = hijri_date(p.year, month, day, names, self.words) {
                out.push_str(" (");
                out.push_str(&hijri);
                out.push(')');
            }
        }
        let key = match (p.approximate, p.uncertain) {
            (false, false) => return out,
            (true, false) => "date.approximate",
            (false, true) => "date.uncertain",
            (true, true) => "date.approximate_uncertain",
        };
        self.words.tf(key, &[("date", &out)])
    }

    /// The date alone, without qualifiers: `31 مارس 2022`, `مارس 2022`,
    /// `2022`.
    fn body(&self, p: &Point) -> String {
        let year = p.year.to_string();
        let w = |key: &str| self.words.tf(key, &[("year", &year)]);
        if let Some(g) = p.group {
            return w(match g {
                21 => "date.spring",
                22 => "date.summer",
                23 => "date.autumn",
                24 => "date.winter",
                33 => "date.quarter1",
                34 => "date.quarter2",
                35 => "date.quarter3",
                36 => "date.quarter4",
                37 => "date.third1",
                38 => "date.third2",
                39 => "date.third3",
                40 => "date.half1",
                _ => "date.half2",
            });
        }
        let span = |key: &str, years: i32| {
            self.words.tf(key, &[("from", &year), ("to", &p.year.saturating_add(years).to_string())])
        };
        match p.unspecified {
            Unspecified::Decade => return span("date.decade", 9),
            Unspecified::Century => return span("date.century", 99),
            Unspecified::Month => return w("date.some_month"),
            Unspecified::Day => {
                return self.words.tf("date.some_day", &[("month", self.month_name(p.month)), ("year", &year)])
            }
            Unspecified::None => {}
        }
        match (p.month, p.day) {
            (Some(month), Some(day)) => {
                format!("{day} {} {}", self.month_name(Some(month)), p.year)
            }
            (Some(month), None) => format!("{} {}", self.month_name(Some(month)), p.year),
            (None, _) => year,
        }
    }

    fn month_name(&self, month: Option<u8>) -> &str {
        month.and_then(|m| self.months.get(usize::from(m).checked_sub(1)?)).map_or("", String::as_str)
    }
}

/// Displays one date; see [`DateFormatter`] to display many.
pub fn display(date: &Date, style: &DateStyle, words: &Catalogue) -> String {
    DateFormatter::new(style, words).format(date)
}

/// The twelve Gregorian month names of `locale`, from CLDR through ICU.
/// Compiled data cannot fail to load for these locales (a test checks
/// them); should it ever, the month number stands in rather than a panic.
fn gregorian_month_names(locale: &Locale) -> [String; 12] {
    let formatter = FixedCalendarDateTimeFormatter::<Gregorian, M>::try_new(locale.into(), M::long()).ok();
    std::array::from_fn(|i| {
        let month = i as u8 + 1;
        formatter
            .as_ref()
            .zip(icu_calendar::Date::try_new_gregorian(2001, month, 1).ok())
            .map_or_else(|| format!("{month:02}"), |(f, d)| f.format(&d).to_string())
    })
}

/// The twelve Hijri month names (محرم … ذو الحجة), from CLDR through ICU.
fn hijri_month_names(locale: &Locale) -> [String; 12] {
    let formatter = FixedCalendarDateTimeFormatter::<Hijri<UmmAlQura>, M>::try_new(locale.into(), M::long()).ok();
    std::array::from_fn(|i| {
        let month = i as u8 + 1;
        formatter
            .as_ref()
            .zip(icu_calendar::Date::try_new_hijri_with_calendar(1443, month, 1, Hijri::new_umm_al_qura()).ok())
            .map_or_else(|| format!("{month:02}"), |(f, d)| f.format(&d).to_string())
    })
}

/// The Umm al-Qura date of a Gregorian day: `23 رجب 1443 هـ`, or with
/// `ق.هـ` (before the Hijra) for days before 19 July 622 (proleptic
/// Gregorian; 16 July in the Julian calendar).
fn hijri_date(year: i32, month: u8, day: u8, names: &[String; 12], words: &Catalogue) -> Option<String> {
    let gregorian = icu_calendar::Date::try_new_gregorian(year, month, day).ok()?;
    let hijri = gregorian.to_calendar(Hijri::new_umm_al_qura());
    let name = names.get(usize::from(hijri.month().ordinal).checked_sub(1)?)?;
    let day = hijri.day_of_month().0.to_string();
    let extended = hijri.year().extended_year();
    let (key, year) = if extended >= 1 { ("date.hijri", extended) } else { ("date.before_hijra", 1 - extended) };
    Some(words.tf(key, &[("day", &day), ("month", name), ("year", &year.to_string())]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::LazyLock;

    static AR: LazyLock<Catalogue> =
        LazyLock::new(|| Catalogue::new("ar", crate::config::Numerals::Ascii, &[]).expect("the built-in catalogue"));

    const MAGHREBI: DateStyle = DateStyle { months: MonthSeries::Maghrebi, digits: Digits::Ascii, hijri: false };
    const LEVANTINE_INDIC: DateStyle =
        DateStyle { months: MonthSeries::Levantine, digits: Digits::ArabicIndic, hijri: false };

    /// (input, canonical EDTF, precision, `<time datetime>`, display in the
    /// Maghrebi series with ASCII digits, display in the Levantine series
    /// with Arabic-Indic digits).
    #[rustfmt::skip]
    const VALID: &[(&str, &str, Precision, &str, &str, &str)] = &[
        ("2022-03-31", "2022-03-31", Precision::Day, "2022-03-31", "31 مارس 2022", "٣١ آذار ٢٠٢٢"),
        ("2022-03", "2022-03", Precision::Month, "2022-03", "مارس 2022", "آذار ٢٠٢٢"),
        ("2022", "2022", Precision::Year, "2022", "2022", "٢٠٢٢"),
        ("2021-12~", "2021-12~", Precision::Month, "2021-12", "نحو ديسمبر 2021", "نحو كانون الأول ٢٠٢١"),
        ("2023?", "2023?", Precision::Year, "2023", "2023 على الأرجح", "٢٠٢٣ على الأرجح"),
        ("2023%", "2023%", Precision::Year, "2023", "نحو 2023 على الأرجح", "نحو ٢٠٢٣ على الأرجح"),
        ("2023-11/2023-12", "2023-11/2023-12", Precision::Month, "2023-11", "بين نوفمبر وديسمبر 2023", "بين تشرين الثاني وكانون الأول ٢٠٢٣"),
        ("2022-01-01", "2022-01-01", Precision::Day, "2022-01-01", "1 يناير 2022", "١ كانون الثاني ٢٠٢٢"),
        ("2024-02-29", "2024-02-29", Precision::Day, "2024-02-29", "29 فبراير 2024", "٢٩ شباط ٢٠٢٤"),
        ("2000-02-29", "2000-02-29", Precision::Day, "2000-02-29", "29 فبراير 2000", "٢٩ شباط ٢٠٠٠"),
        ("2022-04~", "2022-04~", Precision::Month, "2022-04", "نحو أبريل 2022", "نحو نيسان ٢٠٢٢"),
        ("2022-05-09?", "2022-05-09?", Precision::Day, "2022-05-09", "9 مايو 2022 على الأرجح", "٩ أيار ٢٠٢٢ على الأرجح"),
        ("2022-06-15%", "2022-06-15%", Precision::Day, "2022-06-15", "نحو 15 يونيو 2022 على الأرجح", "نحو ١٥ حزيران ٢٠٢٢ على الأرجح"),
        ("2022-07/2022-08", "2022-07/2022-08", Precision::Month, "2022-07", "بين يوليو وأغسطس 2022", "بين تموز وآب ٢٠٢٢"),
        ("2021-09/2022-10", "2021-09/2022-10", Precision::Month, "2021-09", "بين سبتمبر 2021 وأكتوبر 2022", "بين أيلول ٢٠٢١ وتشرين الأول ٢٠٢٢"),
        ("2022/2023", "2022/2023", Precision::Year, "2022", "بين 2022 و2023", "بين ٢٠٢٢ و٢٠٢٣"),
        ("2022-02-24/2022-03-03", "2022-02-24/2022-03-03", Precision::Day, "2022-02-24", "24 فبراير 2022 – 3 مارس 2022", "٢٤ شباط ٢٠٢٢ – ٣ آذار ٢٠٢٢"),
        ("2023-11~/2023-12", "2023-11~/2023-12", Precision::Month, "2023-11", "بين نحو نوفمبر 2023 وديسمبر 2023", "بين نحو تشرين الثاني ٢٠٢٣ وكانون الأول ٢٠٢٣"),
        ("2021/2022-06?", "2021/2022-06?", Precision::Year, "2021", "بين 2021 ويونيو 2022 على الأرجح", "بين ٢٠٢١ وحزيران ٢٠٢٢ على الأرجح"),
        ("2022-06/2022-06-15", "2022-06/2022-06-15", Precision::Month, "2022-06", "بين يونيو 2022 و15 يونيو 2022", "بين حزيران ٢٠٢٢ و١٥ حزيران ٢٠٢٢"),
        ("  2022-03-31\n", "2022-03-31", Precision::Day, "2022-03-31", "31 مارس 2022", "٣١ آذار ٢٠٢٢"),
        ("0001-01-01", "0001-01-01", Precision::Day, "0001-01-01", "1 يناير 1", "١ كانون الثاني ١"),
        ("9999-12-31", "9999-12-31", Precision::Day, "9999-12-31", "31 ديسمبر 9999", "٣١ كانون الأول ٩٩٩٩"),
        ("1999-12-31~", "1999-12-31~", Precision::Day, "1999-12-31", "نحو 31 ديسمبر 1999", "نحو ٣١ كانون الأول ١٩٩٩"),
        ("2022-10%/2023-01~", "2022-10%/2023-01~", Precision::Month, "2022-10", "بين نحو أكتوبر 2022 على الأرجح ونحو يناير 2023", "بين نحو تشرين الأول ٢٠٢٢ على الأرجح ونحو كانون الثاني ٢٠٢٣"),
        ("2024/..", "2024/..", Precision::Year, "2024", "منذ 2024 (مستمر)", "منذ ٢٠٢٤ (مستمر)"),
        ("../2021", "../2021", Precision::Year, "2021", "حتى 2021", "حتى ٢٠٢١"),
        ("2021-10/", "2021-10/", Precision::Month, "2021-10", "من أكتوبر 2021 إلى تاريخ غير معروف", "من تشرين الأول ٢٠٢١ إلى تاريخ غير معروف"),
        ("/2021", "/2021", Precision::Year, "2021", "من تاريخ غير معروف إلى 2021", "من تاريخ غير معروف إلى ٢٠٢١"),
        ("202X", "202X", Precision::Year, "2020", "سنة ما بين 2020 و2029", "سنة ما بين ٢٠٢٠ و٢٠٢٩"),
        ("20xx", "20XX", Precision::Year, "2000", "سنة ما بين 2000 و2099", "سنة ما بين ٢٠٠٠ و٢٠٩٩"),
        ("2004-XX", "2004-XX", Precision::Year, "2004", "شهر غير محدد من 2004", "شهر غير محدد من ٢٠٠٤"),
        ("2004-XX-XX", "2004-XX", Precision::Year, "2004", "شهر غير محدد من 2004", "شهر غير محدد من ٢٠٠٤"),
        ("2004-06-xx", "2004-06-XX", Precision::Month, "2004-06", "يوم غير محدد من يونيو 2004", "يوم غير محدد من حزيران ٢٠٠٤"),
        ("2022-21", "2022-21", Precision::Year, "2022", "ربيع 2022", "ربيع ٢٠٢٢"),
        ("2022-24", "2022-24", Precision::Year, "2022", "شتاء 2022", "شتاء ٢٠٢٢"),
        ("2023-33", "2023-33", Precision::Year, "2023", "الربع الأول من 2023", "الربع الأول من ٢٠٢٣"),
        ("2023-36", "2023-36", Precision::Year, "2023", "الربع الأخير من 2023", "الربع الأخير من ٢٠٢٣"),
        ("2023-38?", "2023-38?", Precision::Year, "2023", "الثلث الثاني من 2023 على الأرجح", "الثلث الثاني من ٢٠٢٣ على الأرجح"),
        ("2021-41~", "2021-41~", Precision::Year, "2021", "نحو النصف الثاني من 2021", "نحو النصف الثاني من ٢٠٢١"),
        ("2023-36/2024-40", "2023-36/2024-40", Precision::Year, "2023", "بين الربع الأخير من 2023 والنصف الأول من 2024", "بين الربع الأخير من ٢٠٢٣ والنصف الأول من ٢٠٢٤"),
    ];

    /// (input, error start, error end, message fragment, help fragment).
    #[rustfmt::skip]
    const INVALID: &[(&str, usize, usize, &str, &str)] = &[
        ("2024-13-40", 5, 7, "month 13 does not exist", "months run from 01 to 12"),
        ("2024-02-30", 8, 10, "February 2024 has 29 days", "2024-02-29"),
        ("2023-02-29", 8, 10, "February 2023 has 28 days", "2023 is not a leap year"),
        ("1900-02-29", 8, 10, "February 1900 has 28 days", "1900 is not a leap year"),
        ("yesterday", 0, 9, "'yesterday' is not a date", "a day 2022-03-31, a month 2022-03 or a year 2022"),
        ("2023-12/2023-11", 0, 15, "the interval ends before it starts", "2023-11/2023-12"),
        ("2023-06-15/2023-06-14", 0, 21, "the interval ends before it starts", "2023-06-14/2023-06-15"),
        ("2022-3-1", 5, 6, "the month needs two digits", "2022-03-01"),
        ("2022-03-1", 8, 9, "the day needs two digits", "2022-03-01"),
        ("22-03-01", 0, 2, "the year needs four digits", "2022, not 22"),
        ("", 0, 0, "the date is empty", "2022-03-31"),
        ("   ", 0, 3, "the date is empty", "2022-03-31"),
        ("0000", 0, 4, "year 0000 is out of range", "0001 to 9999"),
        ("12345", 0, 5, "the year has 5 digits", "0001 to 9999"),
        ("2023-00", 5, 7, "month 00 does not exist", "01 to 12"),
        ("2023-01-00", 8, 10, "day 00 does not exist", "01 to 31 in January 2023"),
        ("2023-01-32", 8, 10, "day 32 does not exist", "01 to 31"),
        ("2023-04-31", 8, 10, "April 2023 has 30 days", "2023-04-30"),
        ("2023/2024/2025", 9, 10, "exactly two ends", "one '/'"),
        ("2023~?", 4, 6, "combines two qualifiers", "2023%"),
        ("2023~~", 4, 6, "the qualifier '~' is repeated", "2023~"),
        ("2023?-03", 4, 5, "a qualifier goes at the end", "2023-03?"),
        ("~2023", 0, 1, "a qualifier goes at the end", "2023~"),
        ("2022-03-31T10:00", 10, 16, "a time is not part of a date", "write 2022-03-31"),
        ("2022/03/31", 0, 10, "'/' separates the two ends", "write 2022-03-31"),
        ("31/03/2022", 0, 10, "written day first", "2022-03-31"),
        ("31-03-2022", 0, 10, "written day first", "2022-03-31"),
        ("04/03/2022", 0, 10, "written day first", "2022-03-04 (or 2022-04-03"),
        ("٢٠٢٢-٠٣-٣١", 0, 18, "Arabic-Indic digits", "2022-03-31"),
        ("2022–03–31", 4, 7, "is not the hyphen", "write 2022-03-31"),
        ("2023-11 / 2023-12", 7, 8, "white space inside the date", "write 2023-11/2023-12"),
        ("\u{200F}2022", 0, 3, "invisible character U+200F", "delete it"),
        ("2022-03-31-01", 10, 13, "at most a year, a month and a day", "2022-03-31"),
        ("2022/2022", 0, 9, "starts and ends on the same date", "write it as one date: 2022"),
        ("2022/03", 5, 7, "four-digit year", "for a month write 2022-03"),
        ("2022/23", 5, 7, "four-digit year", "2022/2023"),
        (" 2022-13 ", 6, 8, "month 13 does not exist", "01 to 12"),
        ("2022-", 4, 5, "ends with '-' but no month", "add the month"),
        ("2022-003", 5, 8, "the month has 3 digits", "01 to 12"),
        ("-2022", 0, 1, "signed years", "0001 to 9999"),
        ("2022x", 4, 5, "unexpected 'x' after the date", "2022-03-31"),
        ("2022-02-30/2022-03", 8, 10, "February 2022 has 28 days", "2022-02-28"),
        ("2022/2023-13", 10, 12, "month 13 does not exist", "01 to 12"),
        ("2022-0a", 5, 6, "the month needs two digits", "two digits"),
        ("2022-a", 5, 6, "expected the two digits of the month", "2022-03"),
        ("مارس 2022", 0, 13, "'مارس 2022' is not a date", "2022-03"),
        ("late 2021", 0, 9, "'late 2021' is not a date", "~ (approximate)"),
        ("2022-03-31 10:00", 10, 16, "a time is not part of a date", "write 2022-03-31"),
        ("2022-0", 5, 6, "the month needs two digits", "from 01 to 12"),
        ("../..", 0, 5, "no date at either end", "2024/.."),
        ("/", 0, 1, "no date at either end", "2021/"),
        ("2022-25", 5, 7, "seasons of one hemisphere", "21 spring"),
        ("202X-05", 4, 7, "takes no month or day", "write the year alone: 202X"),
        ("2X22", 0, 4, "only the last digits of a year", "202X"),
        ("2023-42", 5, 7, "month 42 does not exist", "01 to 12"),
    ];

    #[test]
    fn valid_dates_round_trip_and_display() {
        assert!(VALID.len() >= 20);
        for &(input, edtf, precision, html, maghrebi, levantine_indic) in VALID {
            let date = parse(input).unwrap_or_else(|e| panic!("{input:?}: {e:?}"));
            assert_eq!(date.to_string(), edtf, "{input:?}");
            assert_eq!(parse(edtf), Ok(date), "{input:?} round trip");
            assert_eq!(edtf.parse::<Date>(), Ok(date), "{input:?} FromStr");
            assert_eq!(date.precision(), precision, "{input:?}");
            assert_eq!(html_datetime(&date), html, "{input:?}");
            assert_eq!(display(&date, &MAGHREBI, &AR), maghrebi, "{input:?}");
            assert_eq!(display(&date, &LEVANTINE_INDIC, &AR), levantine_indic, "{input:?}");
            // The other two combinations differ only in their digits.
            let maghrebi_indic = DateStyle { digits: Digits::ArabicIndic, ..MAGHREBI };
            let levantine_ascii = DateStyle { digits: Digits::Ascii, ..LEVANTINE_INDIC };
            assert_eq!(display(&date, &maghrebi_indic, &AR), to_arabic_digits(maghrebi), "{input:?}");
            let levantine = display(&date, &levantine_ascii, &AR);
            assert_eq!(to_arabic_digits(&levantine), levantine_indic, "{input:?}");
            assert!(!levantine.chars().any(|c| ARABIC_INDIC_DIGITS.contains(&c)));
        }
    }

    #[test]
    fn invalid_dates_name_the_wrong_part() {
        assert!(INVALID.len() >= 20);
        for &(input, start, end, message, help) in INVALID {
            let e = parse(input).expect_err(input);
            assert_eq!((e.start, e.end), (start, end), "{input:?}: {e:?}");
            assert!(e.message.contains(message), "{input:?}: {e:?}");
            assert!(e.help.contains(help), "{input:?}: {e:?}");
            assert!(input.is_char_boundary(e.start) && input.is_char_boundary(e.end));
        }
    }

    #[test]
    fn leap_years() {
        for ok in ["2024-02-29", "2000-02-29", "1600-02-29", "0004-02-29"] {
            assert!(parse(ok).is_ok(), "{ok}");
        }
        for bad in ["2023-02-29", "1900-02-29", "2100-02-29", "0001-02-29"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn earliest_and_latest_day() {
        // (input, earliest, latest, timeline year)
        type Ymd = (i32, u8, u8);
        let cases: &[(&str, Ymd, Ymd, i32)] = &[
            ("2022", (2022, 1, 1), (2022, 12, 31), 2022),
            ("2024-02", (2024, 2, 1), (2024, 2, 29), 2024),
            ("2023-02~", (2023, 2, 1), (2023, 2, 28), 2023),
            ("2022-03-31", (2022, 3, 31), (2022, 3, 31), 2022),
            ("2021-12/2022-01", (2021, 12, 1), (2022, 1, 31), 2021),
            ("2022-04?/2023", (2022, 4, 1), (2023, 12, 31), 2022),
        ];
        for &(input, earliest, latest, year) in cases {
            let date = parse(input).expect(input);
            assert_eq!(date.earliest(), earliest, "{input}");
            assert_eq!(date.latest(), latest, "{input}");
            assert_eq!(date.year(), year, "{input}");
        }
    }

    /// The documented order, as it must come out of a sort.
    const ORDERED: &[&str] = &[
        "2021",
        "2021-12~",
        "2022",
        "2022~",
        "2022?",
        "2022%",
        "2022/2022-06",
        "2022/2023",
        "2022-01",
        "2022-01/2022-03",
        "2022-01-01",
        "2022-01-01~",
        "2022-01-01/2022-01-15",
        "2022-01-02",
        "2022-02",
        "2022-02-24",
        "2022-12-31",
        "2023-11/2023-12",
        "2023-11~/2023-12",
        "2023-12",
    ];

    #[test]
    fn mixed_precision_sorts_in_the_documented_order() {
        let expected: Vec<Date> = ORDERED.iter().map(|s| parse(s).expect(s)).collect();
        // 7 and 20 are coprime, so this visits every index once.
        let n = expected.len();
        let mut shuffled: Vec<Date> = (0..n).map(|i| expected[(i * 7 + 3) % n]).collect();
        assert_ne!(shuffled, expected);
        shuffled.sort();
        assert_eq!(shuffled, expected);
        let mut reversed: Vec<Date> = expected.iter().rev().copied().collect();
        reversed.sort();
        assert_eq!(reversed, expected);
        for a in &expected {
            for b in &expected {
                assert_eq!(a.cmp(b) == Ordering::Equal, a == b, "{a} {b}");
                assert_eq!(a.cmp(b), b.cmp(a).reverse(), "{a} {b}");
            }
        }
    }

    #[test]
    fn hijri_date_of_a_day() {
        let hijri = DateStyle { hijri: true, ..MAGHREBI };
        let levantine_hijri = DateStyle { hijri: true, ..LEVANTINE_INDIC };
        // Umm al-Qura: 27 Rajab 1443 (al-Isra' wal-Mi'raj) fell on Monday
        // 28 February 2022, and Ramadan began on 2 April 2022, 23 March 2023
        // and 11 March 2024.
        let cases: &[(&str, &str)] = &[
            ("2022-02-24", "24 فبراير 2022 (23 رجب 1443 هـ)"),
            ("2022-02-28", "28 فبراير 2022 (27 رجب 1443 هـ)"),
            ("2022-04-02", "2 أبريل 2022 (1 رمضان 1443 هـ)"),
            ("2023-03-23", "23 مارس 2023 (1 رمضان 1444 هـ)"),
            ("2024-03-11", "11 مارس 2024 (1 رمضان 1445 هـ)"),
            ("0001-01-01", "1 يناير 1 (18 جمادى الأولى 641 ق.هـ)"),
            ("2022-02-24~", "نحو 24 فبراير 2022 (23 رجب 1443 هـ)"),
            ("2022-02-24?", "24 فبراير 2022 (23 رجب 1443 هـ) على الأرجح"),
            // A month or a year has no single Hijri date, so none is shown.
            ("2022-02", "فبراير 2022"),
            ("2022~", "نحو 2022"),
            ("2022-02-24/2022-03", "بين 24 فبراير 2022 (23 رجب 1443 هـ) ومارس 2022"),
        ];
        for &(input, expected) in cases {
            let date = parse(input).expect(input);
            assert_eq!(display(&date, &hijri, &AR), expected, "{input}");
        }
        let date = parse("2022-02-24").expect("valid");
        assert_eq!(display(&date, &levantine_hijri, &AR), "٢٤ شباط ٢٠٢٢ (٢٣ رجب ١٤٤٣ هـ)");
    }

    #[test]
    fn uncertain_dates_read_as_uncertainty_not_as_a_span() {
        for (input, expected) in [
            ("2025-02/2026-02", "بين فبراير 2025 وفبراير 2026"),
            ("2025-02~/2026-02", "بين نحو فبراير 2025 وفبراير 2026"),
            ("2025-02~", "نحو فبراير 2025"),
            ("2025-02?", "فبراير 2025 على الأرجح"),
            ("2025-02%", "نحو فبراير 2025 على الأرجح"),
            ("2025-02/..", "منذ فبراير 2025 (مستمر)"),
            ("2025-02/", "من فبراير 2025 إلى تاريخ غير معروف"),
            // A span of days, and only that, reads as a span.
            ("2022-02-24/2022-03-03", "24 فبراير 2022 – 3 مارس 2022"),
        ] {
            let date = parse(input).expect(input);
            assert_eq!(display(&date, &MAGHREBI, &AR), expected, "{input}");
        }
        let en = Catalogue::new("en", crate::config::Numerals::Ascii, &[]).expect("the built-in catalogue");
        for (input, expected) in [
            ("2025-02/2026-02", "between February 2025 and February 2026"),
            ("2025-02?", "February 2025, probably"),
            ("2025-02~", "about February 2025"),
        ] {
            assert_eq!(display(&parse(input).expect(input), &MAGHREBI, &en), expected, "{input}");
        }
    }

    #[test]
    fn month_names_come_from_icu() {
        let maghrebi = DateFormatter::new(&MAGHREBI, &AR);
        assert_eq!(
            maghrebi.months,
            [
                "يناير",
                "فبراير",
                "مارس",
                "أبريل",
                "مايو",
                "يونيو",
                "يوليو",
                "أغسطس",
                "سبتمبر",
                "أكتوبر",
                "نوفمبر",
                "ديسمبر",
            ]
        );
        let levantine = DateFormatter::new(&DateStyle { hijri: true, ..LEVANTINE_INDIC }, &AR);
        assert_eq!(
            levantine.months,
            [
                "كانون الثاني",
                "شباط",
                "آذار",
                "نيسان",
                "أيار",
                "حزيران",
                "تموز",
                "آب",
                "أيلول",
                "تشرين الأول",
                "تشرين الثاني",
                "كانون الأول",
            ]
        );
        assert_eq!(
            levantine.hijri_months,
            Some(
                [
                    "محرم",
                    "صفر",
                    "ربيع الأول",
                    "ربيع الآخر",
                    "جمادى الأولى",
                    "جمادى الآخرة",
                    "رجب",
                    "شعبان",
                    "رمضان",
                    "شوال",
                    "ذو القعدة",
                    "ذو الحجة",
                ]
                .map(String::from)
            )
        );
    }

    #[test]
    fn arabic_digits_replace_only_ascii_digits() {
        assert_eq!(to_arabic_digits("2022-03-31 مارس"), "٢٠٢٢-٠٣-٣١ مارس");
        assert_eq!(to_arabic_digits("¹²³ ٤ x"), "¹²³ ٤ x");
    }

    #[test]
    fn serializes_as_the_edtf_string() {
        let date = parse("2023-11~/2023-12").expect("valid");
        assert_eq!(serde_json::to_string(&date).expect("serializes"), "\"2023-11~/2023-12\"");
    }

    #[test]
    fn hand_built_nonsense_never_panics() {
        let weird = [
            Point {
                year: 2022,
                month: Some(13),
                day: Some(40),
                approximate: true,
                uncertain: true,
                ..Point::default()
            },
            Point { year: 2022, month: None, day: Some(3), approximate: false, uncertain: false, ..Point::default() },
            Point {
                year: i32::MIN,
                month: Some(0),
                day: Some(0),
                approximate: false,
                uncertain: true,
                ..Point::default()
            },
            Point {
                year: i32::MAX,
                month: Some(2),
                day: Some(29),
                approximate: false,
                uncertain: false,
                ..Point::default()
            },
        ];
        let formatter = DateFormatter::new(&DateStyle { hijri: true, ..MAGHREBI }, &AR);
        let mut dates: Vec<Date> = weird.iter().map(|&p| Date::Point(p)).collect();
        dates.extend(weird.iter().map(|&p| Date::Interval(p, weird[0])));
        for date in &dates {
            let _ = (formatter.format(date), html_datetime(date), date.to_string());
            let _ = (date.earliest(), date.latest(), date.precision());
        }
        dates.sort();
        for a in &dates {
            for b in &dates {
                assert_eq!(a.cmp(b) == Ordering::Equal, a == b);
            }
        }
    }

    /// Every short string over the characters that matter either parses to
    /// a date that round-trips, or fails with a range inside the input.
    #[test]
    fn no_input_panics_and_every_range_is_in_bounds() {
        const ALPHABET: &[&str] = &["0", "1", "2", "9", "-", "/", "~", "?", "%", "X", ".", "T", " ", "٣", "–"];
        let formatters = [
            DateFormatter::new(&MAGHREBI, &AR),
            DateFormatter::new(&DateStyle { hijri: true, ..LEVANTINE_INDIC }, &AR),
        ];
        let mut inputs = vec![String::new()];
        let mut frontier = vec![String::new()];
        for _ in 0..4 {
            frontier = frontier.iter().flat_map(|s| ALPHABET.iter().map(move |c| format!("{s}{c}"))).collect();
            inputs.extend(frontier.iter().cloned());
        }
        for year in ["0001", "1900", "2000", "2023", "2024", "9999"] {
            for month in 0..=13 {
                for day in [0, 1, 28, 29, 30, 31, 32] {
                    inputs.push(format!("{year}-{month:02}-{day:02}"));
                    inputs.push(format!("{year}-{month:02}%/{year}-{day:02}"));
                }
            }
        }
        for input in &inputs {
            match parse(input) {
                Ok(date) => {
                    let edtf = date.to_string();
                    assert_eq!(parse(&edtf), Ok(date), "{input:?}");
                    for formatter in &formatters {
                        assert!(!formatter.format(&date).is_empty());
                    }
                }
                Err(e) => {
                    assert!(e.start <= e.end && e.end <= input.len(), "{input:?}: {e:?}");
                    assert!(input.is_char_boundary(e.start) && input.is_char_boundary(e.end));
                    assert!(!e.message.is_empty() && !e.help.is_empty(), "{input:?}");
                }
            }
        }
    }
}
