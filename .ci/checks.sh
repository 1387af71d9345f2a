#!/usr/bin/env bash
# Browser, HTML-validity and accessibility checks of the built sample site,
# run by .ci/run after cargo test. Installs what it needs on a fresh Debian
# machine (as root): Debian's chromium and a Java runtime, then the pinned
# npm packages of tests/browser (playwright-core, axe-core, vnu-jar). Builds
# the sample dossier into a temporary folder, and a synthetic dossier of 300
# articles (examples/synth.rs, with the words of tests/browser/lib/plant.js
# planted in it) whose search index is cut into shards; runs the W3C Nu
# checker on every page and stylesheet of the sample (0 errors required;
# warnings are listed), then node --test in tests/browser. Exits non-zero if
# either fails. Idempotent.
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

# 5. Browser tests: file://, no network, axe-core, RTL, no-JS, popover, phone, print.
step "browser tests (node --test)"
if ! (cd tests/browser && MILAF_SITE="$SITE" MILAF_SHARDED_SITE="$SHARDED" node --test --test-concurrency=1); then
  failed=1
fi

# Nothing printed after node's own summary, so that it stays the last line.
exit "$failed"
