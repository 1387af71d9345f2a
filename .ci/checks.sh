#!/usr/bin/env bash
# Browser, HTML-validity and accessibility checks of the built sample site,
# run by .ci/run after cargo test. Installs what it needs on a fresh Debian
# machine (as root): Debian's chromium and a Java runtime, then the pinned
# npm packages of tests/browser (playwright-core, axe-core, vnu-jar). Builds
# the sample dossier into a temporary folder, and a synthetic dossier of 300
# articles (examples/synth.rs, with the words of tests/browser/lib/plant.js
# planted in it) whose search index is cut into shards; runs the W3C Nu
# checker on every page and stylesheet of the sample (0 errors required;
# warnings are listed), checks archival snapshots of the sample with the
# `bagit`, `wacz` and `jsonschema` Python packages (pinned, in a venv under
# target/), then node --test in tests/browser. Exits non-zero if any fails.
# Idempotent.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

step() { printf '\n==> %s\n' "$*"; }
die() { printf 'checks.sh: %s\n' "$*" >&2; exit 1; }

# 1. System packages, only when missing (apt-get is slow).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v python3 >/dev/null 2>&1 && python3 -c 'import ensurepip' 2>/dev/null || missing+=(python3 python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  step "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q || die "apt-get update failed"
  apt-get install -y -q --no-install-recommends "${missing[@]}" || die "apt-get install ${missing[*]} failed"
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "node $node_major is too old: playwright-core needs Node.js 20 or later"

# 2. npm packages, exactly as locked. --ignore-scripts: vnu-jar's postinstall
# would try to download a Java runtime; the jar itself ships in the package.
step "npm ci (tests/browser)"
(cd tests/browser && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) || die "npm ci failed"
VNU=$ROOT/tests/browser/node_modules/vnu-jar/build/dist/vnu.jar
[ -f "$VNU" ] || die "no $VNU after npm ci"

# 3. Build the sample site (debug binary: CI compiled it for cargo test).
step "build the sample dossier"
cargo build -q || die "cargo build failed"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
SITE=$TMP/site
./target/debug/milaf build --out "$SITE" || die "milaf build failed"

# 3b. A dossier large enough for a sharded search index (the search tests).
step "build a synthetic dossier with a sharded search index"
cargo build -q --example synth || die "cargo build --example synth failed"
./target/debug/examples/synth --articles 300 --out "$TMP/synth" >/dev/null || die "synth failed"
node tests/browser/lib/plant.js "$TMP/synth" >/dev/null || die "planting the search words failed"
SHARDED=$TMP/synth-site
./target/debug/milaf build --root "$TMP/synth" --out "$SHARDED" >/dev/null || die "milaf build of the synthetic dossier failed"
[ -d "$SHARDED/search/shards" ] || die "the synthetic dossier's search index is not sharded"

failed=0

# 4. W3C Nu checker on every page and stylesheet.
step "W3C Nu checker"
mapfile -d '' files < <(find "$SITE" -type f \( -name '*.html' -o -name '*.css' \) -print0 | sort -z)
java -jar "$VNU" --format gnu --also-check-css "${files[@]}" >"$TMP/vnu.txt" 2>&1
vnu_rc=$?
sed "s|file:$SITE/||; s|$SITE/||" "$TMP/vnu.txt"
errors=$(grep -c ': error:' "$TMP/vnu.txt" || true)
fatal=$(grep -c ': fatal:\|: non-document-error' "$TMP/vnu.txt" || true)
warnings=$(grep -c ': info warning:\|: warning:' "$TMP/vnu.txt" || true)
echo "Nu checker: ${#files[@]} files, $errors error(s), $fatal fatal, $warnings warning(s)"
if [ "$vnu_rc" -ne 0 ] || [ "$errors" -ne 0 ] || [ "$fatal" -ne 0 ]; then
  echo "Nu checker: FAILED"
  failed=1
fi

# 5. Archival snapshots of the sample: a BagIt bag checked by the Library of
# Congress `bagit` package, a WACZ by the `wacz` package's validator, its
# index against the one `cdxj-indexer` makes, its pages replayed by pywb
# (on 127.0.0.1), the sample's dossier.json by `jsonschema` against
# docs/dossier.schema.json (all pinned, in a venv kept in target/); then one
# byte of one page changed in each package makes both validators reject it
# and `milaf snapshot --verify` name that page.
step "snapshots: bagit, wacz and JSON Schema validators"
VENV=$ROOT/target/snapshot-venv
if ! "$VENV/bin/python" -c 'import bagit, jsonschema, wacz, pywb' 2>/dev/null; then
  rm -rf "$VENV"
  python3 -m venv "$VENV" || die "python3 -m venv failed (apt-get install python3-venv)"
  "$VENV/bin/pip" install -q --disable-pip-version-check bagit==1.9.0 wacz==0.6.0 jsonschema==4.26.0 pywb==2.10.0 ||
    die "pip install bagit wacz jsonschema pywb failed"
fi
PY=$VENV/bin/python
MILAF=$ROOT/target/debug/milaf
BAG=$TMP/bag
expect_ok() { local what=$1; shift; if "$@" >"$TMP/out.txt" 2>&1; then echo "ok: $what"; else cat "$TMP/out.txt"; echo "FAILED: $what"; failed=1; fi; }
expect_fail() { local what=$1; shift; if "$@" >"$TMP/out.txt" 2>&1; then cat "$TMP/out.txt"; echo "FAILED (accepted): $what"; failed=1; else echo "ok (rejected): $what"; fi; }
"$MILAF" snapshot --out "$BAG" || die "milaf snapshot (bagit) failed"
"$MILAF" snapshot --format wacz --out "$TMP/site.wacz" || die "milaf snapshot --format wacz failed"
expect_ok "bagit validates the bag" "$PY" -m bagit --quiet --validate "$BAG"
expect_ok "wacz validates the WACZ" "$VENV/bin/wacz" validate -f "$TMP/site.wacz"
expect_ok "the WACZ's index is the one cdxj-indexer makes of its WARC" env PATH="$VENV/bin:$PATH" "$PY" tests/snapshot/compare_index.py "$TMP/site.wacz"
expect_ok "pywb replays every page of the WACZ as built" timeout 300 "$PY" tests/snapshot/replay.py "$TMP/site.wacz" "$SITE"
expect_ok "dossier.json matches docs/dossier.schema.json" "$PY" tests/snapshot/validate_schema.py docs/dossier.schema.json "$SITE/dossier.json"
expect_ok "milaf snapshot --verify accepts the bag" "$MILAF" snapshot --verify "$BAG"
expect_ok "milaf snapshot --verify accepts the WACZ" "$MILAF" snapshot --verify "$TMP/site.wacz"
PAGE=articles/$(ls "$BAG/data/site/articles" | grep -v '\.html$' | head -n 1)/index.html
cp -a "$BAG" "$TMP/bag-changed" && cp "$TMP/site.wacz" "$TMP/changed.wacz"
"$PY" tests/snapshot/tamper.py bag "$TMP/bag-changed" "$PAGE" || die "tamper.py bag failed"
"$PY" tests/snapshot/tamper.py wacz "$TMP/changed.wacz" "$PAGE" || die "tamper.py wacz failed"
echo "one byte of $PAGE changed in a copy of each:"
expect_fail "bagit on the changed bag" "$PY" -m bagit --quiet --validate "$TMP/bag-changed"
expect_fail "wacz on the changed WACZ" "$VENV/bin/wacz" validate -f "$TMP/changed.wacz"
for pkg in "$TMP/bag-changed" "$TMP/changed.wacz"; do
  "$MILAF" snapshot --verify "$pkg" >"$TMP/out.txt" 2>&1
  rc=$?
  if [ "$rc" -eq 1 ] && grep -qF "$PAGE" "$TMP/out.txt"; then
    echo "ok: milaf snapshot --verify $(basename "$pkg") names $PAGE: $(head -n 1 "$TMP/out.txt")"
  else
    cat "$TMP/out.txt"
    echo "FAILED: milaf snapshot --verify $(basename "$pkg") (exit $rc) does not name $PAGE"
    failed=1
  fi
done

# 6. Browser tests: file://, no network, axe-core, RTL, no-JS, popover, phone,
# print; and the bag's site from file://, crawled and searched.
step "browser tests (node --test)"
if ! (cd tests/browser && MILAF_SITE="$SITE" MILAF_BAG="$BAG" MILAF_SHARDED_SITE="$SHARDED" node --test --test-concurrency=1); then
  failed=1
fi
step "browser tests on the bag's data/site/ (crawl, search)"
if ! (cd tests/browser && MILAF_SITE="$BAG/data/site" MILAF_SHARDED_SITE="$SHARDED" node --test --test-concurrency=1 crawl.test.js search.test.js); then
  failed=1
fi

# Nothing printed after node's own summary, so that it stays the last line.
exit "$failed"
