#!/usr/bin/env bash
# Runs every fuzz target of the repository, one at a time, for DURATION each.
#
#   scripts/fuzz.sh [DURATION]      DURATION as go test -fuzztime takes it:
#                                   20s, 5m, or 10000x (iterations); default 20s
#
# A target is every `func FuzzXxx(` in a *_test.go file. New failing inputs
# land in the package's testdata/fuzz/FuzzXxx/ (commit them: they become
# regression seeds that `make test` runs). Exits non-zero if any target fails,
# after running all of them.
set -euo pipefail

if [ "$#" -gt 1 ] || [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then
	echo "usage: $0 [DURATION]   (e.g. 20s, 5m, 10000x; default 20s)" >&2
	exit 2
fi
duration="${1:-20s}"

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# "dir name" pairs, sorted, from every *_test.go outside testdata and vendor.
mapfile -t targets < <(
	find . -name '*_test.go' -not -path './.git/*' -not -path '*/testdata/*' -not -path './vendor/*' -print0 |
		xargs -0 -r grep -HoE '^func Fuzz[A-Za-z0-9_]*\(' |
		sed -E 's|^(.*)/[^/]*_test\.go:func (Fuzz[A-Za-z0-9_]*)\($|\1 \2|' |
		sort -u
)

if [ "${#targets[@]}" -eq 0 ]; then
	echo "no fuzz targets found" >&2
	exit 1
fi

echo "${#targets[@]} fuzz targets, ${duration} each"
failed=()
for t in "${targets[@]}"; do
	dir="${t% *}"
	name="${t#* }"
	echo
	echo "==> ${name} in ${dir}"
	if ! go test -run='^$' -fuzz="^${name}\$" -fuzztime="${duration}" "${dir}"; then
		failed+=("${name} (${dir})")
	fi
done

echo
if [ "${#failed[@]}" -gt 0 ]; then
	echo "FAILED: ${failed[*]}"
	echo "the failing inputs are in each package's testdata/fuzz/<target>/"
	exit 1
fi
echo "all ${#targets[@]} fuzz targets passed"
