# lib.sh - what sipp/bench.sh and sipp/bench-cluster.sh share: logging into OUT_DIR, the results file, the
# clean-up of everything started (by pid and by process group), the hard time limit, the machine-load log and
# bounded SIPp runs. Sourced after the caller has set OUT_DIR, TIME_BUDGET, SIPP_BUF and B (this directory);
# bench_start then creates OUT_DIR and starts the clock.

die() { echo "${0##*/}: $*" >&2; exit 2; }

log() { echo "[$(date +%T) +$(( $(date +%s) - T0 ))s] $*" | tee -a "$OUT_DIR/bench.log"; }
stats() { python3 "$B/stats.py" "$@"; }
note() { log "NOTE: $*"; stats record "$RESULTS" note note "text=$*"; }

# ------------------------------------------------------------------------------------------------------------
# Everything started here is remembered by pid and ended on exit (TERM, then KILL). SIPp runs under
# setsid + /usr/bin/time, so its pid is a process group of its own: the group (time + sipp) is ended.
# ------------------------------------------------------------------------------------------------------------
PIDS=()
GROUPS_=()
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  local p
  for p in "${GROUPS_[@]}"; do kill -TERM -- "-$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do pkill -TERM -P "$p" 2>/dev/null || true; kill -TERM "$p" 2>/dev/null || true; done
  for _ in $(seq 1 20); do
    local alive=0
    for p in "${GROUPS_[@]}" "${PIDS[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 1
  done
  for p in "${GROUPS_[@]}"; do kill -KILL -- "-$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  exit "$rc"
}

# bench_start: creates OUT_DIR and RESULTS, starts the clock (T0), the clean-up on exit, the hard stop at
# TIME_BUDGET + 60 s and the machine-load log.
bench_start() {
  mkdir -p "$OUT_DIR"
  RESULTS="$OUT_DIR/results.jsonl"
  : >"$RESULTS"
  T0=$(date +%s)
  trap cleanup EXIT
  trap 'log "interrupted"; exit 130' INT TERM
  # Hard stop: the budget plus a margin for the last step's bounded tail and the shutdown.
  ( trap 'exit 0' TERM; end=$(( T0 + TIME_BUDGET + 60 )); while [ "$(date +%s)" -lt "$end" ]; do sleep 5; done
    echo "${0##*/}: hard time limit reached" >"$OUT_DIR/hard-limit.txt"; kill -TERM $$ ) 2>/dev/null &
  PIDS+=("$!")

  # Machine load while we run: uptime and top every 10 s (the machine is shared).
  ( trap 'exit 0' TERM; while :; do { echo "=== $(date +%T)"; uptime; top -bn1 | sed -n '1,15p'; } >>"$OUT_DIR/machine-load.log" 2>&1; sleep 10; done ) 2>/dev/null &
  PIDS+=("$!")
}

elapsed() { echo $(( $(date +%s) - T0 )); }
# fits SECONDS: true if a step of about SECONDS still fits the budget (with 40 s for shutdown and the report)
fits() { [ $(( $(elapsed) + $1 + 40 )) -le "$TIME_BUDGET" ]; }

port_free() { # $1 = port: nothing listens on it (UDP or TCP)
  ! ss -Hlnu "sport = :$1" | grep -q . && ! ss -Hlnt "sport = :$1" | grep -q .
}

# UDP receive-buffer drops of the socket(s) bound to a local port (ss skmem d<N>), 0 when none.
udp_drops() {
  { ss -Huanm "sport = :$1" 2>/dev/null || true; } | { grep -o ',d[0-9]*)' || true; } | tr -dc '0-9\n' \
    | awk '{s+=$1} END {print s+0}'
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
cpu_pct() { # ticks wall_seconds -> % of one core
  awk -v t="$1" -v w="$2" -v hz="$CLK_TCK" 'BEGIN { if (w > 0) printf "%.0f", 100 * t / hz / w; else print 0 }'
}
now_s() { date +%s.%N; }
sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a - b }'; }

# ------------------------------------------------------------------------------------------------------------
# SIPp
# ------------------------------------------------------------------------------------------------------------
# sipp_bg DIR TIMEOUT_S ARGS... : starts SIPp in DIR (stat, rtt, error, log files land there) in its own process
# group under /usr/bin/time (CPU -> DIR/time.txt); sets SIPP_PID. (`timeout --foreground` keeps SIPp in that
# group: plain `timeout` would move it to a group of its own, out of reach of the cleanup.) SIPp writes response times in blocks of
# -rtt_freq values and drops the last incomplete block at exit, hence the small block (at most 19 values lost). The global -timeout bounds it; `timeout`
# (+30 s) is a second bound in case SIPp itself hangs.
sipp_bg() {
  local dir=$1 tmo=$2; shift 2
  mkdir -p "$dir"
  ( cd "$dir" && exec setsid /usr/bin/time -f '%e %U %S' -o time.txt \
      timeout --foreground -k 5 $(( tmo + 30 )) sipp -timeout "${tmo}s" -nostdin -buff_size "$SIPP_BUF" \
      -trace_stat -stf stat.csv -fd 1 -trace_rtt -rtt_freq 20 -trace_err -error_file errors.log \
      -trace_screen -screen_file screen.log "$@" ) >"$dir/sipp.out" 2>&1 &
  SIPP_PID=$!
  GROUPS_+=("$SIPP_PID")
}
sipp_wait() { # pid -> SIPP_RC = its exit status (never fails the script; not in $(...): wait needs this shell)
  SIPP_RC=0
  wait "$1" || SIPP_RC=$?
}
sipp_stop() { # pid from sipp_bg: TERM to its `timeout` (which passes it on to SIPp), so /usr/bin/time still
  # writes time.txt; the group is ended by cleanup if anything is left
  local t
  t=$(pgrep -P "$1" 2>/dev/null || true)
  if [ -n "$t" ]; then kill -TERM $t 2>/dev/null || true; else kill -TERM -- "-$1" 2>/dev/null || true; fi
  sipp_wait "$1"
}
sipp_cpu_pct() { # dir -> % of one core over SIPp's own lifetime
  # time.txt: "elapsed user sys" on its last line (a first line reports a non-zero exit status)
  tail -1 "$1/time.txt" 2>/dev/null | awk '{ if ($1 > 0) printf "%.0f", 100 * ($2 + $3) / $1; else print "?" }' || echo "?"
}
# last value of a SIPp stat column (cumulative), "?" if none yet
stat_col() {
  [ -s "$1/stat.csv" ] || { echo "?"; return; }
  awk -F';' -v name="$2" 'NR==1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next } { v = $c }
                           END { print (c && v != "" ? v : "?") }' "$1/stat.csv"
}
