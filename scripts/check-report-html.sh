#!/usr/bin/env bash
# Renders <cdk.out>/compliance-report.html in a real browser (headless Chromium, Debian's package) so a person can look at
# it (<cdk.out>/compliance-report.png), and checks the DOM the browser built: the verdict, one control-matrix table per
# pack and the acknowledgment ledger, against <cdk.out>/compliance-report.json.
#   bash scripts/check-report-html.sh <cdk.out>
# Installs chromium with apt-get when /usr/bin/chromium is missing (needs root, as in CI).
set -euo pipefail

if [ "$#" -ne 1 ]; then
  echo "usage: bash scripts/check-report-html.sh <cdk.out>" >&2
  exit 2
fi
assembly=$(realpath "$1")
html="$assembly/compliance-report.html"
json="$assembly/compliance-report.json"
png="$assembly/compliance-report.png"
for file in "$html" "$json"; do
  if [ ! -f "$file" ]; then
    echo "check-report-html: $file does not exist; synthesize first (npx cdk synth)" >&2
    exit 2
  fi
done

if [ ! -x /usr/bin/chromium ]; then
  echo "check-report-html: /usr/bin/chromium is missing; installing Debian's chromium" >&2
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A fresh, empty profile per run; no network use beyond the file itself (the page's CSP forbids any fetch as well).
render() {
  local profile="$work/profile-$1"
  shift
  mkdir "$profile"
  timeout 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$profile" \
    --window-size=1400,2400 --hide-scrollbars "$@"
}

url="file://$html"
if ! render screenshot --screenshot="$png" "$url" >"$work/screenshot.log" 2>&1 || [ ! -s "$png" ]; then
  echo "check-report-html: Chromium did not write $png:" >&2
  cat "$work/screenshot.log" >&2
  exit 1
fi
if ! render dom --dump-dom "$url" >"$work/dom.html" 2>"$work/dom.log"; then
  echo "check-report-html: Chromium could not render $html:" >&2
  cat "$work/dom.log" >&2
  exit 1
fi

node - "$work/dom.html" "$json" <<'NODE'
const fs = require('fs');
const [domFile, jsonFile] = process.argv.slice(2);
const dom = fs.readFileSync(domFile, 'utf-8');
const report = JSON.parse(fs.readFileSync(jsonFile, 'utf-8'));
const text = (s) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const problems = [];

const verdict = /<p id="verdict"[^>]*data-verdict="([^"]*)"/.exec(dom);
if (!verdict) problems.push('no verdict (<p id="verdict">) in the rendered page');
else if (verdict[1] !== report.verdict) problems.push(`the page shows the verdict '${verdict[1]}', the JSON report '${report.verdict}'`);

const matrices = [...dom.matchAll(/<table class="control-matrix" data-pack="([^"]*)"/g)].map((m) => text(m[1]));
const packs = report.packs.map((p) => p.id);
const missing = packs.filter((id) => !matrices.includes(id));
const extra = matrices.filter((id, i) => !packs.includes(id) || matrices.indexOf(id) !== i);
if (missing.length > 0 || extra.length > 0 || matrices.length !== packs.length) {
  problems.push(`expected one control-matrix table per pack (${packs.join(', ')}); the page has ${matrices.length}`
    + `${missing.length ? `, missing ${missing.join(', ')}` : ''}${extra.length ? `, unexpected or repeated ${extra.join(', ')}` : ''}`);
}

const ledger = /<section id="ledger">([\s\S]*?)<\/section>/.exec(dom);
if (!ledger) problems.push('no acknowledgment ledger (<section id="ledger">) in the rendered page');
else {
  const rows = (ledger[1].match(/<tr id="ack-\d+"/g) ?? []).length;
  if (rows !== report.acknowledgments.length) {
    problems.push(`the ledger shows ${rows} acknowledgment(s), the JSON report has ${report.acknowledgments.length}`);
  }
}

if (problems.length > 0) {
  console.error(`check-report-html: the page Chromium rendered is not the report:\n  - ${problems.join('\n  - ')}`);
  process.exit(1);
}
console.log(`check-report-html: OK: verdict ${report.verdict}, ${packs.length} control matrices, `
  + `${report.acknowledgments.length} ledger entr${report.acknowledgments.length === 1 ? 'y' : 'ies'}.`);
NODE
echo "check-report-html: screenshot in $png"
