#!/bin/sh
# Re-copy the front-end files that the endpoint serves from node_modules into vendor/: the YASGUI
# editor, Cytoscape.js (the network view) and Vega, Vega-Lite and Vega-Embed (the charts).
# Run after changing a version in package.json: npm install (or npm ci) fetches it, this copies it.
set -eu
cd "$(dirname "$0")"
[ -d node_modules/@zazuko/yasgui ] && [ -d node_modules/cytoscape ] && [ -d node_modules/vega-embed ] ||
  npm ci --no-audit --no-fund

version_of() { node -p "require('./node_modules/$1/package.json').version"; }

# copy PACKAGE DEST LICENCE URL FILE... : FILEs (paths inside the package) into vendor/DEST, with a VERSION note.
copy() {
  package=$1 dest=vendor/$2 licence=$3 url=$4
  shift 4
  mkdir -p "$dest"
  for file in "$@"; do cp "node_modules/$package/$file" "$dest/"; done
  [ -f "node_modules/$package/LICENSE" ] && cp "node_modules/$package/LICENSE" "$dest/LICENSE"
  version=$(version_of "$package")
  printf '%s %s (%s licence, %s), copied from npm by update-vendor.sh\n' "$package" "$version" "$licence" "$url" \
    > "$dest/VERSION"
  echo "copied $package $version to $dest"
}

copy @zazuko/yasgui yasgui MIT https://github.com/rdfjs/Yasgui build/yasgui.min.js build/yasgui.min.css
copy cytoscape cytoscape MIT https://js.cytoscape.org dist/cytoscape.min.js
copy vega vega BSD-3-Clause https://vega.github.io/vega build/vega.min.js
copy vega-lite vega-lite BSD-3-Clause https://vega.github.io/vega-lite build/vega-lite.min.js
copy vega-embed vega-embed BSD-3-Clause https://github.com/vega/vega-embed build/vega-embed.min.js

# Vega compiles its expressions with Function() unless given an interpreter; the pages' CSP allows no
# eval, so the charts use vega-interpreter. npm ships it only as an ES module importing vega-util:
# turned into a plain script that takes vega-util's functions from the global `vega` (which re-exports
# them) and sets window.vegaExpressionInterpreter.
src=node_modules/vega-interpreter/build/vega-interpreter.js
dest=vendor/vega-interpreter
mkdir -p "$dest"
grep -q "^import { ascending, isString, DisallowedObjectProperties } from 'vega-util';$" "$src" ||
  { echo "vega-interpreter: unexpected import line; check $src" >&2; exit 1; }
grep -q "^export { expression as expressionInterpreter };$" "$src" ||
  { echo "vega-interpreter: unexpected export line; check $src" >&2; exit 1; }
{
  echo "/* vega-interpreter $(version_of vega-interpreter) (BSD-3-Clause), rewritten from an ES module into a plain script by update-vendor.sh */"
  echo "(function (vega) {"
  echo "'use strict';"
  echo "var ascending = vega.ascending, isString = vega.isString, DisallowedObjectProperties = vega.DisallowedObjectProperties;"
  sed -e "/^import { ascending, isString, DisallowedObjectProperties } from 'vega-util';$/d" \
      -e "s/^export { expression as expressionInterpreter };$/window.vegaExpressionInterpreter = expression;/" "$src"
  echo "})(window.vega);"
} > "$dest/vega-interpreter.js"
[ -f node_modules/vega-interpreter/LICENSE ] && cp node_modules/vega-interpreter/LICENSE "$dest/LICENSE"
printf 'vega-interpreter %s (BSD-3-Clause licence, https://github.com/vega/vega/tree/main/packages/vega-interpreter), rewritten into a plain script by update-vendor.sh\n' \
  "$(version_of vega-interpreter)" > "$dest/VERSION"
echo "converted vega-interpreter $(version_of vega-interpreter) to $dest"

# Vega-Embed's tooltips would add their CSS as a <style> element, which the pages' CSP refuses; the
# charts switch that off (tooltip.disableDefaultStyle) and link vega-tooltip's own CSS, cut from its build.
dest=vendor/vega-tooltip
mkdir -p "$dest"
sed -n '/^var defaultStyle = `/,/^`;$/p' node_modules/vega-tooltip/build/index.js |
  sed -e 's/^var defaultStyle = `//' -e '/^`;$/d' > "$dest/vega-tooltip.css"
grep -q '#vg-tooltip-element.visible' "$dest/vega-tooltip.css" ||
  { echo "vega-tooltip: default style not found in its build" >&2; exit 1; }
[ -f node_modules/vega-tooltip/LICENSE ] && cp node_modules/vega-tooltip/LICENSE "$dest/LICENSE"
printf 'vega-tooltip %s (BSD-3-Clause licence, https://github.com/vega/vega-tooltip): its default style, cut from its build by update-vendor.sh\n' \
  "$(version_of vega-tooltip)" > "$dest/VERSION"
echo "extracted the vega-tooltip $(version_of vega-tooltip) style to $dest"
