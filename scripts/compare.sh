#!/usr/bin/env bash
# compare.sh — run two revisions of vpcreach one after the other on the same
# synthetic organisation, round after round, and print a markdown table of
# each command's CPU time (user + system: minimum, median, maximum) and peak
# memory per revision. The outputs of the two revisions must be the same
# bytes: a command whose outputs differ is reported, and the script exits 1.
#
# On a shared machine a command's CPU time moves by a fifth or more from one
# quarter of an hour to the next; runs that alternate see the same moments,
# so the two columns can be compared where two separate bench.sh tables
# cannot.
#
# Usage: scripts/compare.sh BEFORE AFTER [ROUNDS] [SIZE]
#   BEFORE, AFTER  git revisions (a commit, a branch, HEAD); "." is the work
#                  tree as it is, uncommitted changes included
#   ROUNDS         runs of each command per revision (default 4)
#   SIZE           small, medium or large (default), or N ENIs in the large
#                  preset's proportions, as in bench.sh
# Environment: SEED (default 1); COMMANDS, the commands to run, separated by
# ";" (default "inventory --format json; exposure --format json; exposure
# --format text"); the organisation's folder is appended to each.
set -euo pipefail

if [ $# -lt 2 ]; then
	sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
	exit 2
fi
before=$1 after=$2 rounds=${3:-4} size=${4:-large}
seed=${SEED:-1}
case $size in
small | medium | large) ;;
*[!0-9]* | "")
	echo "unknown size $size: use small, medium, large or a number of ENIs" >&2
	exit 2
	;;
esac
case $rounds in
*[!0-9]* | "" | 0)
	echo "ROUNDS must be a positive number, not $rounds" >&2
	exit 2
	;;
esac
IFS=';' read -r -a commands <<<"${COMMANDS:-inventory --format json; exposure --format json; exposure --format text}"

repo=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -x /usr/bin/time ]; then
	echo "compare.sh needs GNU time at /usr/bin/time (apt-get install time)" >&2
	exit 2
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/vpcreach-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT

# build REV NAME builds revision REV as $work/NAME.
build() {
	local rev=$1 name=$2
	if [ "$rev" = . ]; then
		(cd "$repo" && go build -o "$work/$name" ./cmd/vpcreach)
		return
	fi
	mkdir "$work/src-$name"
	git -C "$repo" archive "$rev" | tar -x -C "$work/src-$name"
	(cd "$work/src-$name" && go build -o "$work/$name" ./cmd/vpcreach)
	rm -rf "$work/src-$name"
}
build "$before" a
build "$after" b

org=$work/org
case $size in
small | medium | large) "$work/b" generate --preset "$size" --seed "$seed" --out "$org" >/dev/null ;;
*)
	vpcs=$(((size * 6 + 999) / 1000))
	"$work/b" generate --enis "$size" --sg-rules $((size * 10)) --vpcs "$vpcs" --accounts 10 --regions 3 --seed "$seed" --out "$org" >/dev/null
	;;
esac

# run BIN COMMAND OUT runs one command, keeping its output in OUT and
# printing "cpu rss".
run() {
	local bin=$1 cmd=$2 out=$3
	# shellcheck disable=SC2086 # the command's words are meant to split
	/usr/bin/time -f "%U %S %M" -o "$work/time.txt" "$work/$bin" $cmd "$org" >"$out" 2>/dev/null || true
	awk '{ printf "%.2f %d\n", $1 + $2, $3 / 1024 }' "$work/time.txt"
}

# summary prints "min median max peak" of lines "cpu rss".
summary() {
	sort -n | awk '{ c[NR] = $1; if ($2 > m) m = $2 } END {
		med = (NR % 2) ? c[(NR + 1) / 2] : (c[NR / 2] + c[NR / 2 + 1]) / 2
		printf "%.2f | %.2f | %.2f | %d", c[1], med, c[NR], m }'
}

status=0
echo "| command | revision | min CPU s | median | max | peak MB |"
echo "| --- | --- | ---: | ---: | ---: | ---: |"
for cmd in "${commands[@]}"; do
	cmd=$(echo "$cmd" | xargs)
	: >"$work/a.times"
	: >"$work/b.times"
	for _ in $(seq "$rounds"); do
		run a "$cmd" "$work/a.out" >>"$work/a.times"
		run b "$cmd" "$work/b.out" >>"$work/b.times"
		if ! cmp -s "$work/a.out" "$work/b.out"; then
			echo "compare.sh: \`$cmd\`: the outputs of $before and $after differ" >&2
			status=1
		fi
	done
	echo "| \`$cmd\` | $before | $(summary <"$work/a.times") |"
	echo "| | $after | $(summary <"$work/b.times") |"
done
exit $status
