//! Renders one block of text with everything laid over it: inline
//! formatting, entity mention links, highlighted passages, footnote markers
//! and bidi isolation. Overlays are byte ranges on the block's plain text
//! and may overlap or nest in any way; the renderer splits them into
//! properly nested segments (a highlight that crosses a link becomes two
//! `<mark>` pieces, only the first carrying the id), so the HTML is always
//! well formed and markers appear in reading order.

use super::escape;

/// An element wrapped around a range of the text.
#[derive(Debug, Clone)]
pub struct Wrap {
    pub start: usize,
    pub end: usize,
    /// Lower is further out when two wraps cover the same range.
    pub rank: u8,
    pub tag: &'static str,
    /// Attributes for the first segment (with the id).
    pub attrs_first: String,
    /// Attributes for later segments when the wrap is split.
    pub attrs_rest: String,
    /// An `<a>`: nothing else that is a link may open inside it.
    pub is_link: bool,
}

/// HTML inserted at a point of the text (a footnote marker).
#[derive(Debug, Clone)]
pub struct Point {
    pub at: usize,
    pub html: String,
}

pub const RANK_LINK: u8 = 0;
pub const RANK_MARK: u8 = 1;
pub const RANK_BDI: u8 = 2;
pub const RANK_STYLE: u8 = 3;

/// Renders `text` with its overlays. Ranges must lie on char boundaries;
/// empty or out-of-range ones are dropped rather than trusted.
pub fn render(text: &str, mut wraps: Vec<Wrap>, mut points: Vec<Point>) -> String {
    wraps.retain(|w| {
        w.start < w.end && w.end <= text.len() && text.is_char_boundary(w.start) && text.is_char_boundary(w.end)
    });
    // A marker never sits inside a word (an anchor that ends mid-word
    // would break the joining of Arabic letters, «ل¹ـ»): it moves to the
    // end of the word. A marker is a link: it may not sit inside another
    // link either, so it moves to the end of the link that contains it.
    for p in &mut points {
        p.at = after_word(text, p.at);
        for w in wraps.iter().filter(|w| w.is_link) {
            if w.start < p.at && p.at < w.end {
                p.at = w.end;
            }
        }
        p.at = p.at.min(text.len());
    }
    // Two links may not nest either: a mention inside a Markdown link is
    // dropped (the editor's link wins).
    let mut kept = Vec::with_capacity(wraps.len());
    for (i, w) in wraps.iter().enumerate() {
        if w.is_link {
            let clash = wraps.iter().enumerate().any(|(j, o)| {
                j != i && o.is_link && o.start < w.end && w.start < o.end && (o.rank, o.start, j) < (w.rank, w.start, i)
            });
            if clash {
                continue;
            }
        }
        kept.push(w.clone());
    }
    let wraps = kept;
    points.sort_by_key(|p| p.at);

    let mut bounds: Vec<usize> = vec![0, text.len()];
    for w in &wraps {
        bounds.push(w.start);
        bounds.push(w.end);
    }
    bounds.extend(points.iter().map(|p| p.at));
    bounds.sort_unstable();
    bounds.dedup();

    let mut out = String::with_capacity(text.len() * 2);
    let mut stack: Vec<usize> = Vec::new(); // indices into wraps
    let mut opened: Vec<bool> = vec![false; wraps.len()];
    let mut next_point = 0;
    for k in 0..bounds.len() {
        let here = bounds[k];
        let mut active_ix: Vec<usize> =
            (0..wraps.len()).filter(|&i| wraps[i].start <= here && here < wraps[i].end).collect();
        active_ix.sort_by_key(|&i| (wraps[i].start, std::cmp::Reverse(wraps[i].end), wraps[i].rank, i));
        let common = stack.iter().zip(&active_ix).take_while(|(a, b)| a == b).count();
        while stack.len() > common {
            if let Some(i) = stack.pop() {
                out.push_str("</");
                out.push_str(wraps[i].tag);
                out.push('>');
            }
        }
        while next_point < points.len() && points[next_point].at == here {
            out.push_str(&points[next_point].html);
            next_point += 1;
        }
        for &i in &active_ix[common..] {
            let w = &wraps[i];
            out.push('<');
            out.push_str(w.tag);
            let attrs = if opened[i] { &w.attrs_rest } else { &w.attrs_first };
            if !attrs.is_empty() {
                out.push(' ');
                out.push_str(attrs);
            }
            out.push('>');
            opened[i] = true;
            stack.push(i);
        }
        if let Some(&next) = bounds.get(k + 1) {
            out.push_str(&escape(&text[here..next]));
        }
    }
    while let Some(i) = stack.pop() {
        out.push_str("</");
        out.push_str(wraps[i].tag);
        out.push('>');
    }
    out
}

/// The end of the word that `at` falls inside, or `at` itself when it is
/// at a word's edge. Letters, digits, combining marks (tashkeel) and the
/// tatweel belong to a word.
pub fn after_word(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    if !text.is_char_boundary(at) {
        return at;
    }
    let in_word = |c: char| c.is_alphanumeric() || c == '\u{0640}' || is_combining(c);
    let before = text[..at].chars().next_back().is_some_and(in_word);
    let mut end = at;
    if before {
        for c in text[at..].chars() {
            if !in_word(c) {
                break;
            }
            end += c.len_utf8();
        }
    }
    end
}

/// Arabic combining marks (tashkeel, superscript alef) and the general
/// combining diacritics.
fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}')
}

/// Runs of Latin script (and numbers written with separators, such as
/// `2022-03-31` or `59.`) inside right-to-left text, which the bidi
/// algorithm would otherwise reorder: each is isolated in a `<bdi>`.
pub fn latin_runs(text: &str) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let char_at = |at: usize| text.get(at..).and_then(|rest| rest.chars().next());
    let latin = |c: char| c.is_ascii_alphanumeric() || is_latin_letter(c);
    let mut i = 0;
    // Only an ASCII letter or digit, or a letter of U+00C0–U+024F (lead
    // bytes C3–C9), starts a run: the bytes between are skipped unread.
    while let Some(skip) =
        text.as_bytes()[i..].iter().position(|&b| b.is_ascii_alphanumeric() || (0xC3..=0xC9).contains(&b))
    {
        i += skip;
        let Some(c) = char_at(i) else { break };
        if c.is_ascii_alphabetic() || is_latin_letter(c) {
            let (start, mut j, mut end) = (i, i, i);
            // Extend over Latin letters, digits, and joiners between them;
            // a space continues the run only if Latin follows it.
            while let Some(ch) = char_at(j) {
                let after = j + ch.len_utf8();
                if latin(ch) {
                    end = after;
                    j = after;
                } else if matches!(ch, '-' | '.' | '\'' | '’' | '/' | '_' | ' ') && char_at(after).is_some_and(latin)
                {
                    j = after;
                } else {
                    break;
                }
            }
            runs.push((start, end));
            i = j;
        } else if c.is_ascii_digit() {
            let (start, mut j, mut end) = (i, i, i);
            let mut has_sep = false;
            while let Some(ch) = char_at(j) {
                if ch.is_ascii_digit() {
                    end = j + 1;
                    j += 1;
                } else if matches!(ch, '-' | '/' | ':' | '.') && char_at(j + 1).is_some_and(|n| n.is_ascii_digit()) {
                    has_sep = true;
                    j += 1;
                } else {
                    break;
                }
            }
            if has_sep {
                runs.push((start, end));
            }
            i = j;
        } else {
            i += c.len_utf8();
        }
    }
    runs
}

fn is_latin_letter(c: char) -> bool {
    matches!(c, '\u{00C0}'..='\u{024F}') && c.is_alphabetic()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrap(start: usize, end: usize, rank: u8, tag: &'static str, id: &str) -> Wrap {
        Wrap {
            start,
            end,
            rank,
            tag,
            attrs_first: format!("id=\"{id}\""),
            attrs_rest: String::new(),
            is_link: tag == "a",
        }
    }

    #[test]
    fn overlapping_highlights_split_into_nested_segments() {
        // aaa[bbb(ccc]ddd)
        let text = "aaabbbcccddd";
        let html = render(text, vec![wrap(3, 9, RANK_MARK, "mark", "x"), wrap(6, 12, RANK_MARK, "mark", "y")], vec![]);
        assert_eq!(html, "aaa<mark id=\"x\">bbb<mark id=\"y\">ccc</mark></mark><mark>ddd</mark>");
    }

    #[test]
    fn nested_highlights_stay_nested_and_markers_follow_their_passage() {
        // Markers at word ends (a marker inside a word moves: below).
        let text = "a,c,e,g,";
        let html = render(
            text,
            vec![wrap(1, 7, RANK_MARK, "mark", "outer"), wrap(3, 5, RANK_MARK, "mark", "inner")],
            vec![Point { at: 5, html: "[1]".into() }, Point { at: 7, html: "[2]".into() }],
        );
        assert_eq!(html, "a<mark id=\"outer\">,c<mark id=\"inner\">,e</mark>[1],g</mark>[2],");
    }

    #[test]
    fn a_marker_never_lands_inside_a_link() {
        let html = render("a,c,e,", vec![wrap(1, 5, RANK_LINK, "a", "m")], vec![Point { at: 3, html: "*".into() }]);
        assert_eq!(html, "a<a id=\"m\">,c,e</a>*,");
    }

    #[test]
    fn a_marker_never_lands_inside_a_word() {
        // An anchor that ends on the proclitic of «لـ"سكاي نيوز"» or inside
        // a word: the marker goes after the word (here after the tatweel).
        let text = "نقلا لـ\"سكاي نيوز\" أمس";
        let at = text.find('ـ').unwrap();
        let html = render(text, vec![], vec![Point { at, html: "*".into() }]);
        assert_eq!(html, "نقلا لـ*&quot;سكاي نيوز&quot; أمس");
        let text = "في عام 2024 وصلت";
        let at = text.find("24").unwrap();
        assert_eq!(render(text, vec![], vec![Point { at, html: "*".into() }]), "في عام 2024* وصلت");
        // At a word's edge it stays.
        assert_eq!(after_word("ab cd", 2), 2);
        assert_eq!(after_word("ab cd", 3), 3);
    }

    #[test]
    fn links_do_not_nest() {
        let html =
            render("abcdef", vec![wrap(0, 6, RANK_LINK, "a", "md"), wrap(2, 4, RANK_LINK, "a", "mention")], vec![]);
        assert_eq!(html, "<a id=\"md\">abcdef</a>");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(render("<b>&", vec![], vec![]), "&lt;b&gt;&amp;");
    }

    /// `latin_runs` as first written, character by character over a
    /// list of all the text's characters: the oracle of the byte-skipping
    /// version.
    fn latin_runs_by_char(text: &str) -> Vec<(usize, usize)> {
        let mut runs = Vec::new();
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let latin = |c: char| c.is_ascii_alphanumeric() || is_latin_letter(c);
        let mut i = 0;
        while i < chars.len() {
            let (start, c) = chars[i];
            if c.is_ascii_alphabetic() || is_latin_letter(c) {
                let (mut j, mut end) = (i, start);
                while j < chars.len() {
                    let (pos, ch) = chars[j];
                    if latin(ch) {
                        end = pos + ch.len_utf8();
                        j += 1;
                    } else if matches!(ch, '-' | '.' | '\'' | '’' | '/' | '_' | ' ')
                        && chars.get(j + 1).is_some_and(|&(_, n)| latin(n))
                    {
                        j += 1;
                    } else {
                        break;
                    }
                }
                runs.push((start, end));
                i = j.max(i + 1);
            } else if c.is_ascii_digit() {
                let (mut j, mut end, mut has_sep) = (i, start, false);
                while j < chars.len() {
                    let (pos, ch) = chars[j];
                    if ch.is_ascii_digit() {
                        end = pos + 1;
                        j += 1;
                    } else if matches!(ch, '-' | '/' | ':' | '.')
                        && chars.get(j + 1).is_some_and(|&(_, n)| n.is_ascii_digit())
                    {
                        has_sep = true;
                        j += 1;
                    } else {
                        break;
                    }
                }
                if has_sep {
                    runs.push((start, end));
                }
                i = j.max(i + 1);
            } else {
                i += 1;
            }
        }
        runs
    }

    #[test]
    fn skipping_bytes_finds_the_runs_that_reading_every_character_finds() {
        let pieces = [
            "قال", " ", "T-72B3", "Wagner", "é", "Ça", "×", "÷", "ɏ", "ɐ", "2022", "-", "03", "/", ":", ".", "59", "’",
            "'", "_", "«", "»", "،", "٣", "ﻻ", "a", "Z", "\u{200F}", "\u{0301}",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..3000 {
            let mut text = String::new();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let mut k = state;
            for _ in 0..(state % 12) {
                text.push_str(pieces[(k % pieces.len() as u64) as usize]);
                k /= pieces.len() as u64;
                if k == 0 {
                    k = state.rotate_left(17) | 1;
                }
            }
            assert_eq!(latin_runs(&text), latin_runs_by_char(&text), "{text:?}");
        }
    }

    #[test]
    fn latin_runs_and_separated_numbers_are_found() {
        let text = "دبابات من طراز T-72B3، ومركبات BMP-3 وSpartak وTigr في 2022-03-31 و5 آلاف";
        let runs: Vec<&str> = latin_runs(text).into_iter().map(|(s, e)| &text[s..e]).collect();
        assert_eq!(runs, vec!["T-72B3", "BMP-3", "Spartak", "Tigr", "2022-03-31"]);
    }
}
