//! Fuzzes quote anchoring (W3C TextQuoteSelector): paragraphs and a
//! selector split from the input at `\u{1}` bytes. Nothing may panic; an
//! anchor lies within its paragraph on character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut parts = text.split('\u{1}');
    let quote = parts.next().unwrap_or("");
    let prefix = parts.next().filter(|p| !p.is_empty());
    let suffix = parts.next().filter(|s| !s.is_empty());
    let hint = parts.next().and_then(|h| h.bytes().next()).map(|b| b as usize % 6);
    let paragraphs: Vec<&str> = parts.collect();
    let selector = milaf::anchor::Selector { quote, prefix, suffix, paragraph: hint };
    if let Ok(outcome) = milaf::anchor::resolve(&paragraphs, &selector) {
        let a = match outcome {
            milaf::anchor::AnchorOutcome::Anchored(a) => a,
            milaf::anchor::AnchorOutcome::Moved { anchor, .. } => anchor,
            milaf::anchor::AnchorOutcome::Unmatched { anchor, .. } => anchor,
        };
        let p = paragraphs[a.paragraph - 1];
        assert!(a.start <= a.end && a.end <= p.len());
        assert!(p.is_char_boundary(a.start) && p.is_char_boundary(a.end));
    }
});
