#!/usr/bin/env bash
# make test: every test, unit, race, fuzz seeds, crash (SIGKILL) and fault
# tests. The fault tests (test/fault, about nine minutes, most of it spent
# waiting on the processes they kill, pause and restart) run beside the
# other packages' tests rather than after them, and their output is
# printed when they end; the race detector's run (the heaviest on the
# CPU) comes after both. Exits non-zero if any test failed.
set -uo pipefail

GO=${GO:-go}
RACE_PKGS=${RACE_PKGS:?RACE_PKGS: the packages to test under the race detector}

faultlog=$(mktemp)
trap 'rm -f "$faultlog"' EXIT
"$GO" test -count=1 -timeout 12m ./test/fault/ >"$faultlog" 2>&1 &
fault=$!

rc=0
# shellcheck disable=SC2046 # package paths have no spaces
"$GO" test -count=1 -timeout 12m $("$GO" list ./... | grep -v '/test/fault$') || rc=1
wait "$fault" || rc=1
echo "--- test/fault ---"
cat "$faultlog"
# shellcheck disable=SC2086
"$GO" test -count=1 -race -timeout 10m -short $RACE_PKGS || rc=1
exit "$rc"
