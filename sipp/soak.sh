#!/usr/bin/env bash
# soak.sh - a long run at a steady call rate against the example app (a benchmark, not a test): does anything
# accumulate? Two SIPp UACs call the app for DURATION_S seconds:
#   - RATE calls/s with uac_app_refreshes_each_interval.xml: SIPp asks refresher=uas, so the app re-INVITEs at SE/2
#     (R1), SIPp answers and hangs up (R12);
#   - EXPIRY_RATE calls/s with uac_no_refresh_bye.xml: SIPp is the refresher and never refreshes, so the app ends the
#     call with BYE at its expiry (R9).
# Every SAMPLE_S seconds the app's heap after a full GC (jcmd GC.run, then GC.heap_info) and its active sessions
# (GET /api/calls) are recorded. At the end: how the heap samples taken at steady state (from the second sample on;
# the first minute fills the sessions up) spread and drift, whether the sessions came back to 0, and SIPp's counts.
#
#   sipp/soak.sh                              # 10 minutes, 30 + 5 calls/s, SE 30 s
#   DURATION_S=120 RATE=10 sipp/soak.sh       # shorter
#
# Environment (all optional):
#   JAR          the app                                      default routes-example/target/routes-example.jar
#   OUT_DIR      where logs and figures go                    default target/soak-<time>
#   DURATION_S   how long calls are placed, s                 default 600
#   RATE         refreshed calls per second                   default 30
#   EXPIRY_RATE  calls per second that end by expiry          default 5
#   SE           Session-Expires SIPp asks for, s             default 30 (the app runs with lab floor and min-se = SE)
#   SAMPLE_S     seconds between heap samples                 default 60
#   HEAP         the app's -Xms/-Xmx                          default 512m
#   APP_PORT, HTTP_PORT                                       default 5090, 8090
#   MAX_DRIFT_PCT   largest accepted change of the steady-state heap: mean of the later half of the samples
#                   against the mean of the earlier half                                    default 10
#
# Output (stdout and OUT_DIR/soak.log): one line per sample, then the summary. Exit status 0 when the heap stayed
# within MAX_DRIFT_PCT, the sessions came back to 0 and no SIPp call failed; 1 otherwise; 2 on a usage error.
# Each sample is a full GC, a pause of its own: a call whose messages it delays past a scenario's window may fail.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
JAR=${JAR:-$root/routes-example/target/routes-example.jar}
OUT_DIR=${OUT_DIR:-$root/target/soak-$(date +%Y%m%d-%H%M%S)}
DURATION_S=${DURATION_S:-600}
RATE=${RATE:-30}
EXPIRY_RATE=${EXPIRY_RATE:-5}
SE=${SE:-30}
SAMPLE_S=${SAMPLE_S:-60}
HEAP=${HEAP:-512m}
APP_PORT=${APP_PORT:-5090}
HTTP_PORT=${HTTP_PORT:-8090}
MAX_DRIFT_PCT=${MAX_DRIFT_PCT:-10}
HOST=127.0.0.1                      # all traffic stays on the loopback interface
API="http://$HOST:$HTTP_PORT/api/calls"

die() { echo "soak.sh: $*" >&2; exit 2; }
for tool in sipp java jcmd curl jq timeout; do command -v "$tool" >/dev/null 2>&1 || die "$tool not found"; done
[ -f "$JAR" ] || die "$JAR missing: mvn -B -q package -DskipTests -pl routes-example -am"
mkdir -p "$OUT_DIR"
T0=$(date +%s)
log() { echo "[$(date +%T) +$(( $(date +%s) - T0 ))s] $*" | tee -a "$OUT_DIR/soak.log"; }

PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

java -Xms"$HEAP" -Xmx"$HEAP" -XX:MaxGCPauseMillis=25 -Dlogback.configurationFile="$here/bench/logback.xml" \
  -Dcamel.component.session-timer.host=$HOST -Dcamel.component.session-timer.port="$APP_PORT" \
  -Dcamel.server.host=$HOST -Dcamel.server.port="$HTTP_PORT" \
  -Dcamel.management.host=$HOST -Dcamel.management.port="$HTTP_PORT" \
  -Dcamel.component.session-timer.lab-floor="$SE" -Dcamel.component.session-timer.min-se="$SE" \
  -jar "$JAR" >"$OUT_DIR/app.log" 2>&1 &
APP_PID=$!
PIDS+=("$APP_PID")
for _ in $(seq 1 90); do curl -s -f --max-time 2 "$API" >/dev/null 2>&1 && break; sleep 1; done
curl -s -f --max-time 2 "$API" >/dev/null || die "the app did not come up (see $OUT_DIR/app.log)"
log "app up (pid $APP_PID, heap $HEAP); $RATE refreshed + $EXPIRY_RATE expiring calls/s for ${DURATION_S}s, SE $SE s"

# uac (scenario, local port, rate, extra -set ...): one SIPp placing RATE*DURATION_S calls, bounded by -timeout;
# its pid in UAC_PID
uac() {
  local scenario=$1 port=$2 rate=$3; shift 3
  local name=${scenario%.xml}
  ( cd "$OUT_DIR" && exec timeout -k 5 $(( DURATION_S + 4 * SE + 60 )) sipp -sf "$here/$scenario" -i $HOST -p "$port" \
      -r "$rate" -l $(( rate * SE * 2 )) -m $(( rate * DURATION_S )) -timeout "$(( DURATION_S + 4 * SE ))s" \
      -nostdin -trace_stat -stf "$name.stat.csv" -fd 10 -trace_err -error_file "$name.errors.log" \
      -set se "$SE" "$@" "$HOST:$APP_PORT" ) >"$OUT_DIR/$name.out" 2>&1 &
  UAC_PID=$!
  PIDS+=("$UAC_PID")
}
uac uac_app_refreshes_each_interval.xml 5091 "$RATE" -set refreshes 1 -set hold_ms 1000
REFRESHED=$UAC_PID
uac uac_no_refresh_bye.xml 5092 "$EXPIRY_RATE"
EXPIRING=$UAC_PID

heap_after_gc() { # -> KiB used after a full GC
  timeout 120 jcmd "$APP_PID" GC.run >/dev/null 2>&1 || true
  timeout 60 jcmd "$APP_PID" GC.heap_info 2>/dev/null \
    | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i+1); sub(/K.*/, "", v); print v; exit } }'
}
active() { curl -s -f --max-time 20 "$API" 2>/dev/null | jq length 2>/dev/null || echo "?"; }

SAMPLES=()
next=$(( T0 + SAMPLE_S ))
while kill -0 "$REFRESHED" 2>/dev/null || kill -0 "$EXPIRING" 2>/dev/null; do
  if [ "$(date +%s)" -ge "$next" ] && [ $(( next - T0 )) -le "$DURATION_S" ]; then
    h=$(heap_after_gc); a=$(active)
    log "sample: heap after GC ${h} KiB, active sessions $a"
    SAMPLES+=("$h")
    next=$(( next + SAMPLE_S ))
  fi
  sleep 1
done
sipp_rc=0
wait "$REFRESHED" || sipp_rc=$?
wait "$EXPIRING" || sipp_rc=$(( sipp_rc | $? ))

left="?"
for _ in $(seq 1 60); do left=$(active); [ "$left" = "0" ] && break; sleep 1; done
h_end=$(heap_after_gc)
last_col() { # stat file, column -> its last value
  awk -F';' -v name="$2" 'NR==1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next } { v = $c } END { print v + 0 }' "$1"
}
ok=0; failed=0
for name in uac_app_refreshes_each_interval uac_no_refresh_bye; do
  s=$(last_col "$OUT_DIR/$name.stat.csv" 'SuccessfulCall(C)'); f=$(last_col "$OUT_DIR/$name.stat.csv" 'FailedCall(C)')
  log "$name: successful $s, failed $f"
  ok=$(( ok + s )); failed=$(( failed + f ))
done
# steady state: from the second sample on. The spread (max - min) / min shows the noise of single samples (what is in
# flight at the moment of the GC); the drift (mean of the later half against the earlier half) shows growth.
steady=("${SAMPLES[@]:1}")
read -r lo hi spread drift < <(printf '%s\n' "${steady[@]}" | awk 'NF { v[n++] = $1 }
  END {
    if (n < 2) { print "0 0 ? ?"; exit }
    lo = hi = v[0]; h = int(n / 2)
    for (i = 0; i < n; i++) { if (v[i] < lo) lo = v[i]; if (v[i] > hi) hi = v[i]; if (i < h) a += v[i]; else b += v[i] }
    a /= h; b /= n - h
    printf "%d %d %.1f %.1f\n", lo, hi, 100 * (hi - lo) / lo, 100 * (b - a) / a
  }')
log "summary: ${#SAMPLES[@]} samples, steady-state heap after GC ${lo}..${hi} KiB (spread ${spread} %), drift of the" \
    "later half against the earlier ${drift} % (limit ${MAX_DRIFT_PCT} %), heap after GC at the end ${h_end} KiB," \
    "active sessions at the end ${left}, calls successful ${ok}, failed ${failed} (SIPp exit ${sipp_rc})"
awk -v d="$drift" -v m="$MAX_DRIFT_PCT" 'BEGIN { exit !(d != "?" && d <= m && -d <= m) }' && [ "$left" = "0" ] \
  && [ "$failed" = 0 ]
