//! POSIX ustar archives: a bag as one `.tar` file (every entry with fixed
//! owner, mode and time, so the same bag gives the same bytes), and
//! reading one back for `snapshot --verify`.

use anyhow::{bail, Context};

/// A tar of `files` (path, bytes) under the folder `top`, folders first
/// as each is needed, with modification time `time`.
pub fn write(top: &str, files: &[(String, Vec<u8>)], time: i64) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut made = std::collections::BTreeSet::new();
    for (path, bytes) in files {
        let full = format!("{top}/{path}");
        let mut dir = String::new();
        for part in full.split('/').collect::<Vec<_>>().iter().rev().skip(1).rev() {
            dir.push_str(part);
            dir.push('/');
            if made.insert(dir.clone()) {
                out.extend(header(&dir, 0, time, b'5')?);
            }
        }
        out.extend(header(&full, bytes.len() as u64, time, b'0')?);
        out.extend(bytes);
        out.resize(out.len().div_ceil(512) * 512, 0);
    }
    out.resize(out.len() + 1024, 0);
    Ok(out)
}

fn header(path: &str, size: u64, time: i64, kind: u8) -> anyhow::Result<[u8; 512]> {
    let mut h = [0u8; 512];
    let (prefix, name) = if path.len() <= 100 {
        ("", path)
    } else {
        let cut = path[..path.len().min(156)]
            .rfind('/')
            .filter(|&i| path.len() - i - 1 <= 100 && i <= 155)
            .with_context(|| format!("{path} is too long for a tar archive"))?;
        (&path[..cut], &path[cut + 1..])
    };
    let put = |h: &mut [u8; 512], at: usize, bytes: &[u8]| h[at..at + bytes.len()].copy_from_slice(bytes);
    put(&mut h, 0, name.as_bytes());
    put(&mut h, 100, if kind == b'5' { b"0000755\0" } else { b"0000644\0" });
    put(&mut h, 108, b"0000000\0");
    put(&mut h, 116, b"0000000\0");
    put(&mut h, 124, format!("{size:011o}\0").as_bytes());
    put(&mut h, 136, format!("{:011o}\0", time.max(0)).as_bytes());
    put(&mut h, 148, b"        ");
    h[156] = kind;
    put(&mut h, 257, b"ustar\x0000");
    put(&mut h, 345, prefix.as_bytes());
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    put(&mut h, 148, format!("{sum:06o}\0 ").as_bytes());
    Ok(h)
}

/// The regular files of a tar, by path (extended headers are skipped;
/// their names are not needed for archives milaf writes).
pub fn read(tar: &[u8]) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    let mut at = 0;
    while at + 512 <= tar.len() {
        let h = &tar[at..at + 512];
        if h.iter().all(|&b| b == 0) {
            break;
        }
        let field = |from: usize, len: usize| {
            let f = &h[from..from + len];
            String::from_utf8_lossy(&f[..f.iter().position(|&b| b == 0).unwrap_or(len)]).into_owned()
        };
        let size = u64::from_str_radix(field(124, 12).trim(), 8).context("a tar header has no size")? as usize;
        let (name, prefix) = (field(0, 100), field(345, 155));
        let path = if prefix.is_empty() { name } else { format!("{prefix}/{name}") };
        let data = at + 512;
        let Some(bytes) = tar.get(data..data + size) else { bail!("{path} runs past the end of the tar") };
        if matches!(h[156], b'0' | 0) {
            files.push((path, bytes.to_vec()));
        }
        at = data + size.div_ceil(512) * 512;
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    #[test]
    fn what_is_written_reads_back_under_its_folder() {
        let long = format!("data/site/articles/{}/index.html", "a".repeat(64));
        let files = vec![("bagit.txt".to_string(), b"x".to_vec()), (long.clone(), vec![7; 700])];
        let tar = super::write("bag", &files, 1_700_000_000).unwrap();
        assert_eq!(tar.len() % 512, 0);
        let back = super::read(&tar).unwrap();
        assert_eq!(back, vec![("bag/bagit.txt".to_string(), b"x".to_vec()), (format!("bag/{long}"), vec![7; 700])]);
    }
}
