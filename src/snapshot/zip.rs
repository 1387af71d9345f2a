//! ZIP archives of stored (uncompressed) entries, as WACZ wants its WARC
//! and index kept: written whole in memory with fixed entry times, and
//! read back for `snapshot --verify`. Entries another tool compressed are
//! refused by name rather than guessed at.

use anyhow::{bail, Context};

/// A ZIP of `entries` (path, bytes) in the order given, every entry stored
/// with the modification time `time` (seconds since 1970, UTC).
pub fn write(entries: &[(String, Vec<u8>)], time: i64) -> anyhow::Result<Vec<u8>> {
    let (dos_time, dos_date) = dos(time);
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, bytes) in entries {
        let offset = u32::try_from(out.len()).context("the archive is larger than 4 GiB")?;
        let size = u32::try_from(bytes.len()).with_context(|| format!("{name} is larger than 4 GiB"))?;
        let crc = crc32fast::hash(bytes);
        let mut header = Vec::new();
        for v in [20u16, 0x0800, 0, dos_time, dos_date] {
            header.extend(v.to_le_bytes());
        }
        header.extend(crc.to_le_bytes());
        header.extend(size.to_le_bytes());
        header.extend(size.to_le_bytes());
        header.extend((name.len() as u16).to_le_bytes());
        header.extend(0u16.to_le_bytes());
        out.extend(0x0403_4b50u32.to_le_bytes());
        out.extend(&header);
        out.extend(name.as_bytes());
        out.extend(bytes);
        central.extend(0x0201_4b50u32.to_le_bytes());
        // Made by: Unix (3), version 2.0; regular file, rw-r--r--.
        central.extend((0x0300u16 | 20).to_le_bytes());
        central.extend(&header);
        for v in [0u16, 0, 0] {
            central.extend(v.to_le_bytes());
        }
        central.extend((0o100644u32 << 16).to_le_bytes());
        central.extend(offset.to_le_bytes());
        central.extend(name.as_bytes());
    }
    let cd_offset = u32::try_from(out.len()).context("the archive is larger than 4 GiB")?;
    let count = u16::try_from(entries.len()).context("more than 65535 files")?;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    for v in [0u16, 0, count, count] {
        out.extend(v.to_le_bytes());
    }
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    Ok(out)
}

/// MS-DOS time and date fields; times before 1980 (what the format can
/// hold) become 1980-01-01.
fn dos(time: i64) -> (u16, u16) {
    let (y, mo, d, h, mi, s) = crate::provenance::utc(time.max(315_532_800));
    let y = y.min(2107);
    (((h << 11) | (mi << 5) | (s / 2)) as u16, ((((y - 1980) as u32) << 9) | (mo << 5) | d) as u16)
}

fn u16_at(b: &[u8], at: usize) -> anyhow::Result<u16> {
    Ok(u16::from_le_bytes(b.get(at..at + 2).context("the ZIP ends early")?.try_into()?))
}

fn u32_at(b: &[u8], at: usize) -> anyhow::Result<u32> {
    Ok(u32::from_le_bytes(b.get(at..at + 4).context("the ZIP ends early")?.try_into()?))
}

/// The entries of a ZIP, by the central directory. A CRC that does not
/// match is not an error here: `verify` names the entry that changed.
pub fn read(zip: &[u8]) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let eocd = (0..zip.len().saturating_sub(21))
        .rev()
        .find(|&i| zip[i..].starts_with(&0x0605_4b50u32.to_le_bytes()))
        .context("not a ZIP archive (no end of central directory)")?;
    let count = u16_at(zip, eocd + 10)? as usize;
    let mut at = u32_at(zip, eocd + 16)? as usize;
    let mut entries = Vec::with_capacity(count);
    for _ in 0..count {
        if u32_at(zip, at)? != 0x0201_4b50 {
            bail!("the ZIP's central directory is damaged");
        }
        let method = u16_at(zip, at + 10)?;
        let size = u32_at(zip, at + 20)? as usize;
        let (name_len, extra_len, comment_len) =
            (u16_at(zip, at + 28)? as usize, u16_at(zip, at + 30)? as usize, u16_at(zip, at + 32)? as usize);
        let local = u32_at(zip, at + 42)? as usize;
        let name =
            String::from_utf8_lossy(zip.get(at + 46..at + 46 + name_len).context("the ZIP ends early")?).into_owned();
        if method != 0 {
            bail!("{name} is compressed in the ZIP; milaf checks archives whose entries are stored, as it writes them");
        }
        let data = local + 30 + u16_at(zip, local + 26)? as usize + u16_at(zip, local + 28)? as usize;
        let bytes = zip.get(data..data + size).with_context(|| format!("{name} runs past the end of the ZIP"))?;
        entries.push((name, bytes.to_vec()));
        at += 46 + name_len + extra_len + comment_len;
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    #[test]
    fn what_is_written_reads_back() {
        let entries = vec![("a/b.txt".to_string(), b"hello".to_vec()), ("c.json".to_string(), b"{}".to_vec())];
        let zip = super::write(&entries, 1_700_000_000).unwrap();
        assert_eq!(super::read(&zip).unwrap(), entries);
        assert_eq!(super::write(&entries, 1_700_000_000).unwrap(), zip, "deterministic");
    }
}
