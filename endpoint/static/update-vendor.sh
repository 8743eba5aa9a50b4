#!/bin/sh
# Re-copy the YASGUI editor files that the endpoint serves from node_modules into vendor/.
# Run after changing the version in package.json: npm install (or npm ci) fetches it, this copies it.
set -eu
cd "$(dirname "$0")"
[ -d node_modules/@zazuko/yasgui ] || npm ci --no-audit --no-fund
src=node_modules/@zazuko/yasgui
dest=vendor/yasgui
mkdir -p "$dest"
cp "$src/build/yasgui.min.js" "$src/build/yasgui.min.css" "$dest/"
version=$(node -p "require('./$src/package.json').version")
printf '@zazuko/yasgui %s (MIT licence, https://github.com/rdfjs/Yasgui), copied from npm by update-vendor.sh\n' \
  "$version" > "$dest/VERSION"
echo "copied @zazuko/yasgui $version to $dest"
