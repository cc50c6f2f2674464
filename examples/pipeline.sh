#!/bin/sh
# An example shell pipeline that takes its scratch files from mgtemp:
# tmp:file creates a file (0600) and prints its path; tmp:name prints a
# free name, which `set -C` (noclobber) then creates with O_EXCL, so a
# file planted there makes the redirection fail instead of writing through it.
#
#   MAGE="go tool mage" sh examples/pipeline.sh
# (a `mage -compile`d binary in MAGE answers in about a millisecond)
set -eu
MAGE=${MAGE:-go tool mage}

words=$($MAGE tmp:file -suffix=.txt)
sorted=$($MAGE tmp:name -suffix=.sorted)
trap 'rm -f "$words" "$sorted"' EXIT

printf 'pear\napple\nfig\napple\n' > "$words"
set -C
sort -u "$words" > "$sorted"
set +C
cat "$sorted"
