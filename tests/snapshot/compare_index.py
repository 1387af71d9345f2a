"""Indexes the WARC of a milaf WACZ with the web-archive tools' own
indexer (`cdxj-indexer`, installed with `wacz`) and compares its index with
the WACZ's indexes/index.cdx: the same SURT key, timestamp, offset, length,
status and MIME type for every URL, so standard players find each record.

    compare_index.py WACZ"""

import json
import subprocess
import sys
import tempfile
import zipfile


def lines(text):
    out = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        key, ts, data = line.split(" ", 2)
        d = json.loads(data)
        out[d["url"]] = (key, ts, d["offset"], d["length"], d.get("status"), d.get("mime"), d.get("digest"))
    return out


with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(sys.argv[1]) as z:
    z.extractall(tmp)
    ours = lines(z.read("indexes/index.cdx").decode())
    theirs = lines(subprocess.run(["cdxj-indexer", f"{tmp}/archive/data.warc"], check=True, capture_output=True, text=True).stdout)
differ = sorted(u for u in set(ours) | set(theirs) if ours.get(u) != theirs.get(u))
for u in differ[:10]:
    print(f"{u}:\n  ours   {ours.get(u)}\n  theirs {theirs.get(u)}")
print(f"index.cdx against cdxj-indexer: {len(theirs)} records, {len(differ)} differ")
sys.exit(1 if differ or not theirs else 0)
