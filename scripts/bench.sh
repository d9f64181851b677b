#!/usr/bin/env bash
# bench.sh — time vpcreach on synthetic organisations of 1k, 10k and 100k
# network interfaces and print a markdown table (wall time and peak memory
# per command, measured with /usr/bin/time -v).
#
# Usage: scripts/bench.sh [small|medium|large|N]...   (default: small medium large)
#   small  ≈ 1k ENIs,   4k security group rules
#   medium ≈ 10k ENIs,  20k rules
#   large  ≈ 100k ENIs, 1M rules
#   N      N ENIs in the large preset's proportions (10 SG rules per ENI,
#          6 VPCs per 1,000 ENIs, 10 accounts × 3 regions): a series such as
#          `scripts/bench.sh 12500 25000 50000 100000` shows how cost grows.
# Environment: SEED (default 1), KEEP=1 keeps the generated folders and
# prints where they are.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(small medium large)
seed=${SEED:-1}

if [ ! -x /usr/bin/time ]; then
	echo "bench.sh needs GNU time at /usr/bin/time (apt-get install time)" >&2
	exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/vpcreach-bench.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then
	echo "keeping $work" >&2
else
	trap 'rm -rf "$work"' EXIT
fi
bin=$work/vpcreach
(cd "$repo" && go build -o "$bin" ./cmd/vpcreach)

# seconds converts /usr/bin/time's "h:mm:ss" or "m:ss.ss" to seconds.
seconds() {
	awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }' <<<"$1"
}

rows=()
notes=()

# measure SIZE STEP COMMAND... runs one command and records a table row.
measure() {
	local size=$1 step=$2
	shift 2
	local rc=0
	/usr/bin/time -v -o "$work/time.txt" "$@" >"$work/stdout" 2>"$work/stderr" || rc=$?
	local wall cpu rss result
	wall=$(seconds "$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.txt")")
	cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$work/time.txt")
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
	rss=$(awk -v k="$rss" 'BEGIN { printf "%.0f", k / 1024 }')
	if [ "$rc" -eq 2 ] && grep -q "not built" "$work/stderr"; then
		result="not built yet"
		wall="–"
		cpu="–"
		rss="–"
	elif [ "$rc" -eq 2 ] && grep -q "unknown flag" "$work/stderr"; then
		# A placeholder command that does not take its flags yet.
		result="not built yet ($(head -n 1 "$work/stderr" | sed 's/^vpcreach: //'))"
		wall="–"
		rss="–"
	elif [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]; then
		result="ok ($(wc -c <"$work/stdout" | tr -d ' ') bytes out)"
	else
		result="exit $rc"
		notes+=("$size $step: $(head -n 1 "$work/stderr")")
	fi
	rows+=("| $size | $step | $wall | $cpu | $rss | $result |")
	echo "$size $step: $result, ${wall}s wall, ${cpu}s CPU, ${rss} MB" >&2
}

for size in "${sizes[@]}"; do
	dir=$work/$size
	case $size in
	small | medium | large) gen=(--preset "$size") ;;
	*[!0-9]* | "")
		echo "unknown size $size: use small, medium, large or a number of ENIs" >&2
		exit 2
		;;
	*) gen=(--enis "$size" --sg-rules $((size * 10)) --vpcs $(((size * 6 + 999) / 1000)) --accounts 10 --regions 3) ;;
	esac
	measure "$size" "generate" "$bin" generate "${gen[@]}" --seed "$seed" --out "$dir"
	enis=$(sed -n 's/^ *NetworkInterfaces  *\([0-9]*\)$/\1/p' "$work/stdout")
	rules=$(sed -n 's/^ *SecurityGroupRules  *\([0-9]*\)$/\1/p' "$work/stdout")
	rows[${#rows[@]}-1]="| $size | generate ($enis ENIs, $rules SG rules, $(du -sm "$dir" | cut -f1) MB) | ${rows[${#rows[@]}-1]#*| generate | }"

	# generate names a public web instance, a private database instance
	# and the database's name in its VPC's private zone.
	pub=$(sed -n 's/^  public instance  *\(i-[0-9a-f]*\).*/\1/p' "$work/stdout")
	priv=$(sed -n 's/^  private instance  *\(i-[0-9a-f]*\).*/\1/p' "$work/stdout")
	name=$(sed -n 's/^  private name  *\([^ ]*\)$/\1/p' "$work/stdout")

	measure "$size" "inventory" "$bin" inventory "$dir" --format json
	measure "$size" "exposure" "$bin" exposure "$dir" --format json
	measure "$size" "exposure --format text" "$bin" exposure "$dir" --format text
	measure "$size" "path internet → $pub tcp/443" "$bin" path "$dir" --from internet --to "$pub" --protocol tcp --port 443 --format json
	measure "$size" "path $pub → $priv tcp/5432" "$bin" path "$dir" --from "$pub" --to "$priv" --protocol tcp --port 5432 --format json
	measure "$size" "dns $name" "$bin" dns "$dir" --from "$pub" "$name" --format json
	measure "$size" "lint" "$bin" lint "$dir" --format json
	[ "${KEEP:-0}" = 1 ] || rm -rf "$dir"
done

echo
echo "$(nproc) CPUs, $(go version | cut -d' ' -f3), $(date -u +%Y-%m-%d), load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
echo
echo "| size | step | wall (s) | CPU user+sys (s) | max RSS (MB) | result |"
echo "| --- | --- | ---: | ---: | ---: | --- |"
printf '%s\n' "${rows[@]}"
if [ ${#notes[@]} -gt 0 ]; then
	echo
	printf -- '- %s\n' "${notes[@]}"
fi
