#!/usr/bin/env bash
# compare.sh — run two revisions of vpcreach one after the other on the same
# synthetic organisation, round after round, and print a markdown table of
# each command's CPU time (user + system: minimum, median, maximum) and peak
# memory per revision. The outputs and exit statuses of the two revisions
# must be the same: a command whose outputs differ is reported, and the
# script exits 1; a command that fails (status 2) stops it with status 2.
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

# run BIN REV COMMAND OUT runs one command, keeping its output and exit
# status in OUT and printing "cpu rss". A status above 1 (a usage or input
# error, not a --fail-on gate) is no run to time: the script stops.
run() {
	local bin=$1 rev=$2 cmd=$3 out=$4 rc=0
	# shellcheck disable=SC2086 # the command's words are meant to split
	/usr/bin/time -f "%U %S %M" -o "$work/time.txt" "$work/$bin" $cmd "$org" >"$out" 2>"$work/stderr" || rc=$?
	if [ "$rc" -gt 1 ]; then
		echo "compare.sh: \`$cmd\` of $rev exited $rc: $(head -n 1 "$work/stderr")" >&2
		exit 2
	fi
	echo "exit status $rc" >>"$out"
	# GNU time writes a line of its own before the figures when the
	# status is not 0.
	tail -n 1 "$work/time.txt" | awk '{ printf "%.2f %d\n", $1 + $2, $3 / 1024 }'
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
		run a "$before" "$cmd" "$work/a.out" >>"$work/a.times"
		run b "$after" "$cmd" "$work/b.out" >>"$work/b.times"
		if ! cmp -s "$work/a.out" "$work/b.out"; then
			echo "compare.sh: \`$cmd\`: the outputs or exit statuses of $before and $after differ" >&2
			status=1
		fi
	done
	echo "| \`$cmd\` | $before | $(summary <"$work/a.times") |"
	echo "| | $after | $(summary <"$work/b.times") |"
done
exit $status
