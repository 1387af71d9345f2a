//! Measures mention resolution at scale: one Aho-Corasick pass per article
//! for every alias of every entity. Builds a synthetic corpus from the
//! vocabulary of the sample articles (10,000 articles of about 800 words,
//! 2,000 entities with 6,000 aliases, some with proclitics and Latin
//! spellings), then reports the median of several runs of matcher
//! construction, normalisation alone, and `Matcher::find` over the corpus.
//!
//! Run: `cargo run --release --example mentions_bench -- [articles] [entities] [runs]`

use milaf::mentions::Matcher;
use milaf::rng::Rng;
use std::time::Instant;

fn vocabulary() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/articles");
    let mut words = std::collections::BTreeSet::new();
    for e in std::fs::read_dir(dir).expect("content/articles") {
        let text = std::fs::read_to_string(e.expect("entry").path()).unwrap_or_default();
        for w in text.split_whitespace() {
            let w: String = w.chars().filter(|c| c.is_alphabetic()).collect();
            if w.chars().count() >= 2 {
                words.insert(w);
            }
        }
    }
    words.into_iter().collect()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let (n_articles, n_entities, runs) = (
        args.first().copied().unwrap_or(10_000),
        args.get(1).copied().unwrap_or(2_000),
        args.get(2).copied().unwrap_or(5),
    );
    let vocab = vocabulary();
    let mut rng = Rng::new(42);
    let latin = ["T-72B3", "BMP-3", "BTR-82A", "Spartak", "Tigr", "Linza", "Mi-35P"];

    // Entities: invented two-word Arabic names (first word from the
    // vocabulary, second a made-up family name so names are distinct),
    // three aliases each, one in three with a Latin spelling.
    let mut aliases: Vec<(usize, String)> = Vec::new();
    for e in 0..n_entities {
        let first = &vocab[rng.below(vocab.len())];
        let family = format!("{}ي{}", &vocab[rng.below(vocab.len())], e);
        aliases.push((e, format!("{first} {family}")));
        aliases.push((e, family.clone()));
        if e % 3 == 0 {
            aliases.push((e, format!("{}-{e}", latin[e % latin.len()])));
        } else {
            aliases.push((e, format!("ال{family}")));
        }
    }
    let alias_refs: Vec<(usize, &str)> = aliases.iter().map(|(e, a)| (*e, a.as_str())).collect();

    // Articles: about 800 words each, one alias every 40 words, sometimes
    // behind a proclitic.
    let proclitics = ["", "", "و", "ب", "ل", "وب"];
    let mut articles = Vec::with_capacity(n_articles);
    let mut bytes = 0;
    for _ in 0..n_articles {
        let mut text = String::with_capacity(9_000);
        for w in 0..800 {
            if w > 0 {
                text.push(if w % 70 == 0 { '\n' } else { ' ' });
            }
            if w % 40 == 20 {
                text.push_str(proclitics[rng.below(proclitics.len())]);
                text.push_str(&aliases[rng.below(aliases.len())].1);
            } else {
                text.push_str(&vocab[rng.below(vocab.len())]);
            }
        }
        bytes += text.len();
        articles.push(text);
    }
    println!(
        "corpus: {n_articles} articles, {:.1} MB, {n_entities} entities, {} aliases; {runs} runs",
        bytes as f64 / 1e6,
        aliases.len()
    );

    let mut build = Vec::new();
    let mut normalise = Vec::new();
    let mut find = Vec::new();
    let mut found = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let matcher = Matcher::new(&alias_refs, &[]);
        build.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        let n: usize = articles.iter().map(|a| milaf::arabic::normalize(a).len()).sum();
        normalise.push(t.elapsed().as_secs_f64());
        assert!(n > 0);
        let t = Instant::now();
        found = articles.iter().map(|a| matcher.find(a).len()).sum::<usize>();
        find.push(t.elapsed().as_secs_f64());
    }
    println!("mentions found: {found}");
    println!("matcher build: median {:.3} s", median(build));
    println!("normalise only: median {:.3} s (single thread)", median(normalise));
    println!("find (normalise + match + map back): median {:.3} s (single thread)", median(find));
}
