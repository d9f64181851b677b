#!/usr/bin/env bash
# Refreshes the JavaScript libraries the HTML report embeds
# (internal/report/htmlassets), from the npm registry, at the versions
# pinned below. The Go build never runs this: the files it writes are
# committed and embedded with go:embed.
#
#   scripts/refresh-js.sh            # fetch the pinned versions again
#   CYTOSCAPE=3.36.0 scripts/refresh-js.sh   # move one library to a new version, then update the pin here
set -euo pipefail
cd "$(dirname "$0")/.."

CYTOSCAPE=${CYTOSCAPE:-3.35.0}
CYTOSCAPE_FCOSE=${CYTOSCAPE_FCOSE:-2.2.0}
COSE_BASE=${COSE_BASE:-2.2.0}
LAYOUT_BASE=${LAYOUT_BASE:-2.0.1}

dest=internal/report/htmlassets
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# fetch NAME VERSION FILE-IN-PACKAGE OUTPUT: one file of a package and its licence.
fetch() {
  local name=$1 version=$2 file=$3 out=$4
  (cd "$work" && npm pack --silent "$name@$version" >/dev/null)
  local tgz="$work/$name-$version.tgz"
  mkdir -p "$work/$name"
  tar -xzf "$tgz" -C "$work/$name"
  cp "$work/$name/package/$file" "$dest/$out"
  local lic
  lic=$(ls "$work/$name/package" | grep -iE '^licen[cs]e' | head -n1)
  cp "$work/$name/package/$lic" "$dest/$name.LICENSE"
  printf '%s\t%s\t%s\n' "$name" "$version" "$(sha256sum "$dest/$out" | cut -d' ' -f1)" >>"$work/versions"
}

fetch cytoscape "$CYTOSCAPE" dist/cytoscape.min.js cytoscape.min.js
fetch layout-base "$LAYOUT_BASE" layout-base.js layout-base.js
fetch cose-base "$COSE_BASE" cose-base.js cose-base.js
fetch cytoscape-fcose "$CYTOSCAPE_FCOSE" cytoscape-fcose.js cytoscape-fcose.js

{
  echo "# The npm packages embedded in the HTML report: name, version, SHA-256 of the embedded file."
  echo "# Written by scripts/refresh-js.sh; internal/report tests check the files against it."
  cat "$work/versions"
} >"$dest/VERSIONS"
echo "refreshed $dest:" >&2
cat "$dest/VERSIONS" >&2
