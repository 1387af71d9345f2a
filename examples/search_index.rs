//! The cost of the search index alone: loads and compiles a dossier, then
//! builds its search index (`render::search_index`) into memory, counting
//! files and bytes instead of writing them, and prints the time (wall and
//! CPU: the machine may be shared) and the sizes (total, largest file, by kind of file). `bench/search.js`
//! measures the same index in a browser.
//!
//! ```text
//! cargo run --release --example search_index -- --root /dev/shm/d10k [--runs 3]
//! ```

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Instant;

// The allocator of the milaf binary, so that the figures are a build's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Files counted by kind (`index`, or the shard's letter), never kept.
#[derive(Default)]
struct Count(Mutex<BTreeMap<String, (usize, usize, usize)>>);

impl milaf::render::Sink for Count {
    fn file(&self, path: &str, bytes: &[u8]) -> anyhow::Result<()> {
        let kind = match path.strip_prefix("search/shards/") {
            Some(name) => name[..1].to_string(),
            None => path.to_string(),
        };
        let mut map = self.0.lock().unwrap();
        let e = map.entry(kind).or_default();
        e.0 += 1;
        e.1 += bytes.len();
        e.2 = e.2.max(bytes.len());
        Ok(())
    }
    fn stream(&self, _: &str, _: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>) -> anyhow::Result<()> {
        anyhow::bail!("the search index writes no stream")
    }
    fn copy(&self, _: &str, _: &std::path::Path) -> anyhow::Result<()> {
        anyhow::bail!("the search index copies no file")
    }
}

/// The process's CPU time so far (user and system), from `/proc/self/stat`
/// in clock ticks of 1/100 s; 0 where the system does not say.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name (which may hold spaces).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (tick(11) + tick(12)) / 100.0
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let root = std::path::PathBuf::from(arg("--root").unwrap_or_else(|| ".".to_string()));
    let runs: usize = arg("--runs").map_or(Ok(1), |r| r.parse())?;
    let (dossier, diags, sources) = milaf::check(&root)?;
    drop(sources);
    let Some(d) = dossier else {
        anyhow::bail!("{}", milaf::diag::render_human(&diags));
    };
    let cat = milaf::i18n::Catalogue::new(&d.config.lang, d.config.numerals, &[])
        .map_err(|e| anyhow::anyhow!("{}", milaf::diag::render_human(&[e])))?;
    let mut times = Vec::new();
    let mut cpu = Vec::new();
    let mut last = Count::default();
    for _ in 0..runs {
        let count = Count::default();
        let (start, cpu_start) = (Instant::now(), cpu_seconds());
        milaf::render::search_index(&d, &cat, &count)?;
        times.push(start.elapsed().as_secs_f64());
        cpu.push(cpu_seconds() - cpu_start);
        last = count;
    }
    times.sort_by(f64::total_cmp);
    cpu.sort_by(f64::total_cmp);
    let names = [("search/index.js", "manifest"), ("t", "term shards"), ("o", "postings pieces"), ("d", "unit shards")];
    let map = last.0.into_inner().unwrap();
    let total: usize = map.values().map(|e| e.1).sum();
    let files: usize = map.values().map(|e| e.0).sum();
    println!(
        "{} articles: search index in {:.2} s wall (median of {runs}; {:.2}–{:.2}), {:.2} s CPU, {files} files, {:.1} MiB",
        d.articles.len(),
        times[times.len() / 2],
        times[0],
        times[times.len() - 1],
        cpu[cpu.len() / 2],
        total as f64 / 1048576.0
    );
    for (key, name) in names {
        if let Some((n, bytes, max)) = map.get(key) {
            println!(
                "  {name}: {n} files, {:.1} MiB, largest {:.1} KiB",
                *bytes as f64 / 1048576.0,
                *max as f64 / 1024.0
            );
        }
    }
    Ok(())
}
