"""Replays a milaf WACZ in pywb, a standard web-archive player, on this
machine's loopback interface only, and checks that every page listed in
its pages/pages.jsonl comes back byte for byte as the built site has it.

    replay.py WACZ SITE_DIR

pywb is started on a free port of 127.0.0.1, asked for each page in raw
mode (`id_`), and stopped; the whole run is bounded in time."""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile

wacz, site = sys.argv[1:3]
bin_dir = os.path.dirname(sys.executable)
with zipfile.ZipFile(wacz) as z:
    pages = [json.loads(l) for l in z.read("pages/pages.jsonl").decode().splitlines()[1:]]
    base = json.loads(z.read("datapackage.json"))["mainPageUrl"].rsplit("index.html", 1)[0]

with tempfile.TemporaryDirectory() as tmp:
    run = lambda *args: subprocess.run([os.path.join(bin_dir, args[0]), *args[1:]], cwd=tmp, check=True, capture_output=True)
    run("wb-manager", "init", "snap")
    run("wb-manager", "add", "--unpack-wacz", "snap", os.path.abspath(wacz))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([os.path.join(bin_dir, "wayback"), "-p", str(port), "-b", "127.0.0.1"], cwd=tmp,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    problems = []
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    sys.exit("replay.py: pywb did not start")
                time.sleep(0.3)
        for page in pages:
            stamp = "".join(c for c in page["ts"] if c.isdigit())
            url = f"http://127.0.0.1:{port}/snap/{stamp}id_/{page['url']}"
            with urllib.request.urlopen(url, timeout=20) as r:
                body = r.read()
            with open(os.path.join(site, page["url"][len(base):]), "rb") as f:
                if f.read() != body:
                    problems.append(page["url"])
    finally:
        server.terminate()
        server.wait(timeout=20)
for p in problems:
    print(f"replayed differently: {p}")
print(f"pywb replayed {len(pages)} pages of the WACZ, {len(problems)} differ")
sys.exit(1 if problems or not pages else 0)
