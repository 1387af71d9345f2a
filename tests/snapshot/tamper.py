"""Changes one byte of one page inside a milaf snapshot, as damage or an
edit after the fact would, for .ci/checks.sh to show that the validators
then reject the package.

    tamper.py bag  BAG_DIR PAGE   flips a byte of BAG_DIR/data/site/PAGE
    tamper.py wacz WACZ    PAGE   flips a byte of PAGE's response record in
                                  the WACZ's WARC, and rewrites the ZIP
                                  (entries stored, CRCs correct), so only
                                  the digests can tell

The byte changed is in the page's <title>, inside the HTML body, so the
file stays the same length and well-formed."""

import sys
import zipfile


def flip(data: bytes, start: int) -> bytes:
    at = data.index(b"<title>", start) + len(b"<title>")
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def tamper_bag(bag: str, page: str) -> None:
    path = f"{bag}/data/site/{page}"
    with open(path, "rb") as f:
        data = f.read()
    with open(path, "wb") as f:
        f.write(flip(data, 0))


def tamper_wacz(wacz: str, page: str) -> None:
    with zipfile.ZipFile(wacz) as z:
        entries = [(info, z.read(info.filename)) for info in z.infolist()]
    out = []
    found = False
    for info, data in entries:
        if info.filename.startswith("archive/") and info.filename.endswith(".warc"):
            uri = b"WARC-Target-URI: "
            at = 0
            while True:
                at = data.index(uri, at) + len(uri)
                end = data.index(b"\r\n", at)
                if data[at:end].decode().endswith("/" + page):
                    data = flip(data, end)
                    found = True
                    break
        out.append((info, data))
    if not found:
        sys.exit(f"tamper.py: no record of {page} in {wacz}")
    with zipfile.ZipFile(wacz, "w", compression=zipfile.ZIP_STORED) as z:
        for info, data in out:
            z.writestr(info, data)


if __name__ == "__main__":
    kind, target, page = sys.argv[1:4]
    {"bag": tamper_bag, "wacz": tamper_wacz}[kind](target, page)
