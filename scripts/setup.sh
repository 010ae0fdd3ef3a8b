#!/bin/sh
# p9emu setup: make sure the system packages (libunicorn2; for the tests
# golang-1.19-go and golang-1.23-go, the Go releases the real-Go tests are
# run with besides the machine's own, tzdata, and gdb, which the tests of the
# gdb stub drive), the npm dependencies and
# the CLI bundle (dist/) are present. Run by `npm start`, `npm test` and
# `npm run bench`; safe to run again (does nothing when all is there).
#   --quiet  print nothing when everything is already present
#   --add-backports  only add Debian's backports suite to the apt sources (see add_backports)
# Env: CI=true makes the Go releases, tzdata and gdb mandatory; P9EMU_LIBUNICORN=/path/libunicorn.so.2
# names the Unicorn library to use instead of the system one; P9EMU_GO_VERSION=1.NN
# pins another Go for the fixtures (test/kit/gopin.ts); P9EMU_APT_DIR and P9EMU_OS_RELEASE
# name another /etc/apt and /etc/os-release (for the tests of --add-backports).
set -eu
cd "$(dirname "$0")/.."
quiet=0; [ "${1:-}" = "--quiet" ] && quiet=1
say() { [ "$quiet" = 1 ] || echo "setup: $*"; }
err() { echo "setup: $*" >&2; }
# The Debian Go releases the tests run with (test/kit/gopin.ts); the newest
# one comes from the suite's backports (golang-1.23-go is in
# bookworm-backports only).
GOVERS="1.19 1.23"
case " $GOVERS " in *" ${P9EMU_GO_VERSION:-1.19} "*) ;; *) GOVERS="$GOVERS ${P9EMU_GO_VERSION}";; esac
GOPKGS=$(for v in $GOVERS; do printf 'golang-%s-go ' "$v"; done)
APT_CMD="sudo apt-get update && sudo apt-get install -y libunicorn2 ${GOPKGS}tzdata gdb"
APTDIR=${P9EMU_APT_DIR:-/etc/apt}
OSREL=${P9EMU_OS_RELEASE:-/etc/os-release}
BACKPORTS=$APTDIR/sources.list.d/p9emu-backports.sources

have_unicorn() {
  if [ -n "${P9EMU_LIBUNICORN:-}" ]; then [ -f "$P9EMU_LIBUNICORN" ]; return; fi
  { ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null; } | grep -q 'libunicorn\.so\.2' ||
    [ -e /usr/lib/x86_64-linux-gnu/libunicorn.so.2 ]
}
# Go release $1 at Debian's place for it, or as the go on PATH when that is the same release.
have_go() {
  [ -x "/usr/lib/go-$1/bin/go" ] && return 0
  gv=$(GOTOOLCHAIN=local go env GOVERSION 2>/dev/null) || return 1
  case "$gv" in "go$1"|"go$1".*) return 0;; esac; return 1
}
# The zone files a zoneinfo.zip can be made from (bin/tzdata.ts), for a
# GOROOT without one; its tests read them.
have_tzdata() { [ -f /usr/share/zoneinfo/America/Los_Angeles ]; }
have_gdb() { command -v gdb >/dev/null 2>&1; }
missing() {
  m=; have_unicorn || m=libunicorn2
  for v in $GOVERS; do have_go "$v" || m="$m golang-$v-go"; done
  have_tzdata || m="$m tzdata"; have_gdb || m="$m gdb"; echo $m
}
# Debian's backports suite of the archive the machine already uses, as a
# second sources entry (deb822), unless some entry names it already: the
# same URIs and key as the entry for the release's own suite.
add_backports() {
  codename=$(. "$OSREL" 2>/dev/null && echo "${VERSION_CODENAME:-}")
  [ -n "$codename" ] || return 0
  grep -rqsE "^[^#]*[[:space:]]$codename-backports([[:space:]]|\$)" "$APTDIR/sources.list" "$APTDIR/sources.list.d" && return 0
  src=$APTDIR/sources.list.d/debian.sources
  [ -f "$src" ] || return 0
  awk -v s="$codename" -v out="$codename-backports" '
    BEGIN { RS = ""; FS = "\n" }
    { uris = ""; key = ""; ok = 0
      for (i = 1; i <= NF; i++) {
        if ($i ~ /^URIs:/) uris = $i
        if ($i ~ /^Signed-By:/) key = $i
        if ($i ~ /^Suites:/ && (" " substr($i, 8) " ") ~ (" " s " ")) ok = 1
      }
      if (ok && uris != "") {
        print "# Added by p9emu setup: golang-1.23-go is in " out " only."
        print "Types: deb"; print uris; print "Suites: " out; print "Components: main"
        if (key != "") print key
        exit
      }
    }' "$src" >"$BACKPORTS.tmp"
  if [ -s "$BACKPORTS.tmp" ]; then mv "$BACKPORTS.tmp" "$BACKPORTS"; say "added $codename-backports to the apt sources ($BACKPORTS)"
  else rm -f "$BACKPORTS.tmp"; fi
}

if [ "${1:-}" = --add-backports ]; then add_backports; exit 0; fi

# 1. System packages: install what is missing when root, else say how.
if [ -n "${P9EMU_LIBUNICORN:-}" ] && [ ! -f "$P9EMU_LIBUNICORN" ]; then
  err "P9EMU_LIBUNICORN=$P9EMU_LIBUNICORN: no such file (unset it to use libunicorn2: $APT_CMD)"; exit 1
fi
need=$(missing)
if [ -n "$need" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  say "installing Debian packages: $need"
  export DEBIAN_FRONTEND=noninteractive
  case " $need " in *" golang-1.23-go "*) add_backports;; esac
  apt-get update -qq >/dev/null
  # shellcheck disable=SC2086
  apt-get install -y -qq $need >/dev/null
  need=$(missing)
fi
case " $need " in *" libunicorn2 "*)
  err "missing Debian package libunicorn2 (the Unicorn CPU emulator library)"
  err "run: $APT_CMD"; exit 1;;
esac
for v in $GOVERS; do case " $need " in *" golang-$v-go "*)
  if [ "${CI:-}" = true ]; then
    err "missing Debian package golang-$v-go (needed under CI to build and run the plan9/386 Go tests with Go $v)"
    [ "$v" = 1.23 ] && err "(it is in Debian's bookworm-backports suite: add that suite to the apt sources)"
    err "run: $APT_CMD"; exit 1
  fi
  err "warning: golang-$v-go not installed: the real-Go tests with Go $v will be skipped"
  err "to run them: $APT_CMD";;
esac; done
case " $need " in *" tzdata "*)
  if [ "${CI:-}" = true ]; then
    err "missing Debian package tzdata (needed under CI to test the zoneinfo.zip made from it)"
    err "run: $APT_CMD"; exit 1
  fi
  err "warning: tzdata not installed: the tests of the zoneinfo.zip made from it will be skipped"
  err "to run them: $APT_CMD";;
esac
case " $need " in *" gdb "*)
  if [ "${CI:-}" = true ]; then
    err "missing Debian package gdb (needed under CI to test the gdb stub)"
    err "run: $APT_CMD"; exit 1
  fi
  err "warning: gdb not installed: the tests of the gdb stub will be skipped"
  err "to run them: $APT_CMD";;
esac

# 2. npm dependencies: on a fresh clone, or when package-lock.json changed.
if [ ! -f node_modules/.package-lock.json ] ||
   [ -n "$(find package-lock.json -newer node_modules/.package-lock.json)" ]; then
  say "installing npm dependencies (npm ci)"
  if [ "$quiet" = 1 ]; then npm ci --no-audit --no-fund --loglevel=error >/dev/null
  else npm ci --no-audit --no-fund; fi
  touch node_modules/.package-lock.json
fi

# 3. CLI bundle: dist/ missing or older than any source file.
stale() {
  [ -f dist/p9emu.cjs ] || return 0
  { [ -f bin/go_plan9_386_exec.ts ] && [ ! -f dist/go_plan9_386_exec.cjs ]; } && return 0
  [ -f dist/index.js ] || return 0
  [ -n "$(find api bin emu asm runtime scripts/build.mjs package-lock.json -type f -newer dist/p9emu.cjs 2>/dev/null | head -n 1)" ]
}
if stale; then
  say "building dist/ (node scripts/build.mjs)"
  if [ "$quiet" = 1 ]; then node scripts/build.mjs >/dev/null; else node scripts/build.mjs; fi
fi
exit 0
