#!/usr/bin/env bash
# Windows tests under Wine 10: build each package's tests with GOOS=windows
# and run them in a Debian trixie chroot that has wine (bookworm's Wine 8
# cannot start a Go 1.26 binary: it lacks ProcessPrng in
# bcryptprimitives.dll, and the POSIX-semantics deletes os.RemoveAll uses).
# The chroot is made once per machine (2 to 4 minutes, with the mirror's
# speed) and reused; run as root. It prints the pass/fail/skip counts of
# each package and fails if any test does.
# Usage: .ci/wine.sh [package...]   (default: ./tempfile ./mgtemp ./examples)
# WINE_TESTFLAGS adds flags (-test.run X), WINE_VERBOSE=1 shows why tests skip.
set -euo pipefail
cd "$(dirname "$0")/.."
root=${WINE_CHROOT:-/var/tmp/magekit-wine-trixie}
marker=$root/.magekit-wine-ready

# The Debian mirror this machine already uses: the first http(s) URI of a
# Debian source in /etc/apt (deb822 "URIs:" or one-line "deb URI suite").
mirror() {
  local f u
  for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list /etc/apt/sources.list; do
    [ -f "$f" ] || continue
    u=$(awk '/^URIs:/ {print $2} /^deb / {print ($2 ~ /^\[/) ? $3 : $2}' "$f" |
      grep -E '^https?://' | grep -E '/debian/?$' | head -n1 || true)
    if [ -n "$u" ]; then echo "$u"; return; fi
  done
  echo "no Debian mirror found in /etc/apt" >&2
  return 1
}

unmount_all() {
  local m w
  # A wineserver left running keeps files open under /dev.
  for w in /usr/lib/wine/wineserver64 /usr/lib/wine/wineserver /usr/bin/wineserver; do
    if [ -x "$root$w" ]; then
      chroot "$root" /usr/bin/env HOME=/root WINEPREFIX=/root/.wine "$w" -k >/dev/null 2>&1 || true
      break
    fi
  done
  for m in dev proc; do
    if mountpoint -q "$root/$m" 2>/dev/null; then umount -R "$root/$m" 2>/dev/null || umount -lR "$root/$m"; fi
  done
}

mount_all() {
  mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
  mountpoint -q "$root/dev" || mount --rbind /dev "$root/dev"
  mount --make-rslave "$root/dev" 2>/dev/null || true
}

build_chroot() {
  if ! command -v debootstrap >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  fi
  local url
  url=$(mirror)
  echo "making the trixie chroot in $root from $url (once per machine)"
  unmount_all
  rm -rf "$root"
  debootstrap --variant=minbase trixie "$root" "$url"
  mount_all
  chroot "$root" /usr/bin/env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # trixie names the 64-bit loader package wine64 (a transitional name
  # in later releases); either provides /usr/lib/wine/wine64.
  chroot "$root" /usr/bin/env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends wine64 >/dev/null ||
    chroot "$root" /usr/bin/env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends wine >/dev/null
  chroot "$root" apt-get clean
  touch "$marker"
}

trap unmount_all EXIT
[ -f "$marker" ] || build_chroot
mount_all

# The wine binary: trixie's wine64 package ships /usr/bin/wine64 or only
# /usr/lib/wine/wine64 depending on the version.
wine=
for w in /usr/bin/wine64 /usr/lib/wine/wine64 /usr/bin/wine; do
  if [ -x "$root$w" ]; then wine=$w; break; fi
done
[ -n "$wine" ] || { echo "no wine in $root"; exit 1; }

run() { chroot "$root" /usr/bin/env HOME=/root WINEDEBUG=-all WINEPREFIX=/root/.wine "$@"; }
if [ ! -f "$root/root/.wine/.magekit-ready" ]; then
  echo "wineboot -i (once)"
  run "$wine" wineboot -i >/dev/null 2>&1 || true
  touch "$root/root/.wine/.magekit-ready"
fi

# -test.short: the stress scenarios run a hundredth of their rounds (Wine
# makes a process and a file several times slower than Linux).
# Tests that pass under Wine but too slowly for CI, and why:
#   TestAllNamesTaken: 10000 entries in one directory; Wine looks every
#     name up case-insensitively by reading the directory (3 minutes).
wineskip='^TestAllNamesTaken$'

pkgs=("$@")
[ ${#pkgs[@]} -gt 0 ] || pkgs=(./tempfile ./mgtemp ./examples)
work=/magekit-run
rm -rf "${root:?}$work"
mkdir -p "$root$work"
status=0
summary=""
# mgtemp's TestMagefileOnWindows and end-to-end tests and examples'
# TestArchiveExample run magefiles compiled for Windows beforehand (mage
# -compile -goos windows): no Go toolchain runs in the chroot. They find
# them in MGTEMP_WINE_DIR.
for m in lifecycle importonly targets within; do
  (cd "mgtemp/testdata/$m" &&
    go tool mage -compile "$root$work/$m.exe" -goos windows -goarch amd64)
done
(cd examples/archive &&
  go tool mage -compile "$root$work/archive.exe" -goos windows -goarch amd64)
for p in "${pkgs[@]}"; do
  name=$(basename "$p")
  exe=$root$work/$name.test.exe
  if ! GOOS=windows GOARCH=amd64 go test -c -o "$exe" "$p"; then
    summary+="windows/wine $name: the tests do not build for Windows"$'\n'
    status=1
    continue
  fi
  [ -f "$exe" ] || { summary+="windows/wine $name: no tests for Windows"$'\n'; continue; }
  log=$root$work/$name.log
  set +e
  timeout -k 30 "${WINE_TIMEOUT:-900}" chroot "$root" /usr/bin/env HOME=/root WINEDEBUG=-all \
    WINEPREFIX=/root/.wine MGTEMP_WINE_DIR="Z:${work//\//\\}" \
    /bin/sh -c "cd $work && exec $wine ./$name.test.exe -test.v -test.short -test.count=1 -test.timeout=10m -test.skip '$wineskip' ${WINE_TESTFLAGS:-}" \
    >"$log" 2>&1
  rc=$?
  set -e
  pass=$(grep -cE '^--- PASS' "$log" || true)
  fail=$(grep -cE '^--- FAIL' "$log" || true)
  skip=$(grep -cE '^--- SKIP' "$log" || true)
  line="windows/wine $name: $pass passed, $fail failed, $skip skipped (top-level tests and examples)"
  [ "$rc" -eq 0 ] || line+="; exit status $rc"
  summary+="$line"$'\n'
  if [ "$rc" -ne 0 ] || [ "$fail" -ne 0 ]; then
    status=1
    grep -E -A25 '^--- FAIL|^panic:' "$log" | head -n 300 || true
    tail -n 30 "$log"
  fi
  if [ -n "${WINE_VERBOSE:-}" ]; then grep -E '^--- SKIP' -A3 "$log" || true; fi
done
printf '\n%s' "$summary"
exit "$status"
