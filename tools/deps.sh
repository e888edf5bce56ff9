#!/usr/bin/env bash
# deps.sh — checks for the Debian packages Clove's build, tests or benchmarks need and installs
# the missing ones with apt-get when allowed (root, or sudo without a password). Silent when none is missing.
# Usage: tools/deps.sh [build] [test] [bench]     (no argument: build test)
set -u

have() { command -v "$1" >/dev/null 2>&1; }
pc() { have pkg-config && pkg-config --exists "$1"; }
header() { # a header in the compiler's standard directories (Debian puts gmp.h in a multiarch one)
  local d
  for d in /usr/include /usr/local/include /usr/include/*-linux-gnu*; do
    [ -f "$d/$1" ] && return 0
  done
  return 1
}
deb() { have dpkg-query && dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }
openbsd_nc() { deb netcat-openbsd || { have nc && nc -h 2>&1 | grep -qi openbsd; }; }

missing=()
want() { # PACKAGE... -- TEST...: the packages are needed unless TEST succeeds
  local pkgs=()
  while [ "$1" != -- ]; do pkgs+=("$1"); shift; done
  shift
  "$@" || missing+=("${pkgs[@]}")
}

check_all() {
  missing=()
  local group
  for group in "${groups[@]}"; do
    case $group in
    build)
      want gcc libc6-dev -- have gcc
      want make -- have make
      want pkg-config -- have pkg-config
      want libgmp-dev -- eval 'pc gmp || header gmp.h || deb libgmp-dev'
      want libreadline-dev -- eval 'pc readline || header readline/readline.h'
      ;;
    test)
      want check -- eval 'pc check || header check.h'
      want socat -- have socat
      want curl -- have curl
      want netcat-openbsd -- openbsd_nc
      want tmux -- have tmux # the terminal cases of integration/repl and integration/processes
      want coreutils -- have timeout
      want util-linux -- have flock
      ;;
    bench)
      want clisp -- have clisp
      want sbcl -- have sbcl
      want lua5.4 -- have lua5.4
      ;;
    *)
      echo "deps: unknown group '$group' (build, test, bench)" >&2
      exit 2
      ;;
    esac
  done
}

groups=("$@")
[ ${#groups[@]} -gt 0 ] || groups=(build test)
check_all
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ]; then
  sudo=()
elif have sudo && sudo -n true 2>/dev/null; then
  sudo=(sudo)
else
  echo "deps: missing packages: ${missing[*]}" >&2
  echo "deps: install them with:  sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
if ! have apt-get; then
  echo "deps: missing packages (Debian names): ${missing[*]}; apt-get is not available to install them" >&2
  exit 1
fi

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq </dev/null || { echo "deps: apt-get update failed" >&2; exit 1; }
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null ||
  { echo "deps: apt-get install ${missing[*]} failed" >&2; exit 1; }

check_all
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: still missing after apt-get install: ${missing[*]}" >&2
  exit 1
fi
