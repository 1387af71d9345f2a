use std::process::ExitCode;
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let raw = std::fs::read(&args[2]).unwrap();
    let d = milaf::import::draft(&raw, &args[3], args.get(4).map(|s| s.as_str())).unwrap();
    std::fs::write(format!("content/articles/{}.md", args[3]), d.article).unwrap();
    std::fs::write(format!("content/originals/{}.txt", args[3]), &raw).unwrap();
    eprintln!("{:?}", d.dropped);
    ExitCode::SUCCESS
}
