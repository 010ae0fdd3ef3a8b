#!/bin/sh
# p9emu setup: make sure the system packages (libunicorn2; for the tests
# golang-1.19-go, the Go that builds the plan9/386 fixtures, tzdata, and gdb,
# which the tests of the gdb stub drive), the npm
# dependencies and the CLI bundle (dist/) are present. Run by `npm start`,
# `npm test` and `npm run bench`; safe to run again (does nothing when all is there).
#   --quiet  print nothing when everything is already present
# Env: CI=true makes the fixtures' Go, tzdata and gdb mandatory; P9EMU_LIBUNICORN=/path/libunicorn.so.2
# names the Unicorn library to use instead of the system one; P9EMU_GO_VERSION=1.NN
# pins another Go for the fixtures (test/kit/gopin.ts).
set -eu
cd "$(dirname "$0")/.."
quiet=0; [ "${1:-}" = "--quiet" ] && quiet=1
say() { [ "$quiet" = 1 ] || echo "setup: $*"; }
err() { echo "setup: $*" >&2; }
GOVER=${P9EMU_GO_VERSION:-1.19}
GOPKG=golang-$GOVER-go
APT_CMD="sudo apt-get update && sudo apt-get install -y libunicorn2 $GOPKG tzdata gdb"

have_unicorn() {
  if [ -n "${P9EMU_LIBUNICORN:-}" ]; then [ -f "$P9EMU_LIBUNICORN" ]; return; fi
  { ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null; } | grep -q 'libunicorn\.so\.2' ||
    [ -e /usr/lib/x86_64-linux-gnu/libunicorn.so.2 ]
}
# The fixtures' Go at Debian's place for it, or as the go on PATH when that is the same release.
have_go() {
  [ -x "/usr/lib/go-$GOVER/bin/go" ] && return 0
  v=$(GOTOOLCHAIN=local go env GOVERSION 2>/dev/null) || return 1
  case "$v" in "go$GOVER"|"go$GOVER".*) return 0;; esac; return 1
}
# The zone files a zoneinfo.zip can be made from (bin/tzdata.ts), for a
# GOROOT without one; its tests read them.
have_tzdata() { [ -f /usr/share/zoneinfo/America/Los_Angeles ]; }
have_gdb() { command -v gdb >/dev/null 2>&1; }
missing() {
  m=; have_unicorn || m=libunicorn2; have_go || m="$m $GOPKG"; have_tzdata || m="$m tzdata"; have_gdb || m="$m gdb"; echo $m
}

# 1. System packages: install what is missing when root, else say how.
if [ -n "${P9EMU_LIBUNICORN:-}" ] && [ ! -f "$P9EMU_LIBUNICORN" ]; then
  err "P9EMU_LIBUNICORN=$P9EMU_LIBUNICORN: no such file (unset it to use libunicorn2: $APT_CMD)"; exit 1
fi
need=$(missing)
if [ -n "$need" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  say "installing Debian packages: $need"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # shellcheck disable=SC2086
  apt-get install -y -qq $need >/dev/null
  need=$(missing)
fi
case " $need " in *" libunicorn2 "*)
  err "missing Debian package libunicorn2 (the Unicorn CPU emulator library)"
  err "run: $APT_CMD"; exit 1;;
esac
case " $need " in *" $GOPKG "*)
  if [ "${CI:-}" = true ]; then
    err "missing Debian package $GOPKG (needed under CI to build the plan9/386 Go fixtures)"
    err "run: $APT_CMD"; exit 1
  fi
  err "warning: $GOPKG not installed: tests that build real plan9/386 Go binaries will be skipped"
  err "to run them: $APT_CMD";;
esac
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
  [ -f dist/p9emu.js ] || return 0
  { [ -f bin/go_plan9_386_exec.ts ] && [ ! -f dist/go_plan9_386_exec.js ]; } && return 0
  [ -f dist/index.js ] || return 0
  [ -n "$(find api bin emu asm runtime scripts/build.mjs package-lock.json -type f -newer dist/p9emu.js 2>/dev/null | head -n 1)" ]
}
if stale; then
  say "building dist/ (node scripts/build.mjs)"
  if [ "$quiet" = 1 ]; then node scripts/build.mjs >/dev/null; else node scripts/build.mjs; fi
fi
exit 0
