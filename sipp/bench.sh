#!/usr/bin/env bash
# bench.sh - the benchmark of docs/benchmarks.md (shared/DESIGN.md "Benchmarks (not timed tests)"). One run measures,
# all on 127.0.0.1, every SIPp run bounded in calls (-m) AND time (-timeout, recv timeouts, `timeout`):
#
#   a. Baseline: SIPp UAC (load_uac.xml, the BYE's 200 checked by CSeq method) against a SIPp UAS answering the
#      same scenario (selftest/fa_answer.xml): the limit of the load generator on this machine. Stepped rates.
#   b. The app (routes-example.jar, session timers on) with the same steps: the same figures plus its CPU, UDP
#      drops at its socket, heap after a full GC at the end of each step and active sessions back to 0.
#      Then one extra step (PROFILE_RATE) with a JFR recording, a thread dump and per-thread CPU (top -H),
#      kept apart from the measured steps (starting JFR stalls the app for a moment).
#   c. Held sessions: N concurrent sessions (SE large: no refresh, no expiry), heap after full GC held vs. empty.
#   d. Timer accuracy with many sessions: SIPp never refreshes -> the app's BYE at SE - min(32, SE/3) after its
#      200; SIPp asks refresher=uas -> the app's re-INVITE at SE/2. Error = arrival at SIPp - schedule.
#
#   sipp/bench.sh                                   # everything, defaults below (about 12-15 minutes)
#   PARTS="a b" STEPS="500 1000" sipp/bench.sh      # a subset
#   APP_JAVA_OPTS="-Dcamel.threadpool.max-queue-size=-1" sipp/bench.sh   # extra JVM options for the app
#
# Build the app first, from the repository root: mvn -B -o -q package -DskipTests -pl routes-example -am
#
# Environment (all optional):
#   OUT_DIR         raw outputs and summary.md                 default target/bench-<date> under the repo root
#   JAR             the app                                    default routes-example/target/routes-example.jar
#                   (others may rebuild that file during a run: a private copy is safer)
#   JAR_BUILT_FROM  free text recorded with the jar, e.g. the commit it was built from   default none
#   HEAP            app -Xms/-Xmx                              default 2g
#   APP_JAVA_OPTS   more JVM/-D options for the app            default -XX:MaxGCPauseMillis=25 (the README's
#                   advice for load: G1's default 200 ms target let young pauses reach 100-290 ms here, which
#                   overflowed the UDP socket and delayed timers; set APP_JAVA_OPTS=" " to measure without it)
#   APP_PORT        app SIP port (UDP+TCP)                     default 5080
#   HTTP_PORT       app HTTP/management port                   default 8081
#   APP_MIN_SE      app min-se (lab floor lowered to match)    default 30 (part d uses SE=60)
#   PARTS           which parts                                default "a b c d"
#   STEPS           offered calls/s of parts a and b           default "500 1000 2000 3000"
#   BASE_STEPS      part a only (looks for the generator's own limit)   default "$STEPS 6000"
#   STEP_SECONDS    seconds of offered load per step           default 15
#   HOLD_MS         call hold in parts a and b                 default 100
#   LOAD_SE         Session-Expires asked in parts a, b        default 1800 (timers run, none fires)
#   WARMUP_CALLS    calls at WARMUP_RATE after each app start  default 3000 (not reported)
#   WARMUP_RATE                                                default 300
#   PROFILE_RATE    extra step of part b, after the measured ones, with a JFR recording, a thread dump
#                   and per-thread CPU (top -H); reported apart    default 2000 (empty: none)
#   HELD_COUNTS     part c session counts                      default "20000 100000" (skipped if over the budget)
#   HELD_RATE       part c setup rate                          default 1000
#   HELD_MARGIN_S   seconds every session is held after the last one is set up   default 30
#   HELD_SE         Session-Expires in part c                  default 1800
#   TIMING_SESSIONS part d sessions per measurement            default 20000
#   TIMING_RATE     part d setup rate                          default 1000
#   TIMING_SE       part d Session-Expires                     default 60 (BYE at 40 s, refresh at 30 s)
#   DRAIN_TIMEOUT   seconds to wait for active sessions = 0    default 40
#   SETTLE_S        part c: wait before an "empty" heap figure, so that JAIN-SIP's finished transactions
#                   (kept 64*T1 = 32 s, RFC 3261 timer J/K) are gone   default 33
#   TIME_BUDGET     seconds for the whole run; a step that would not fit is skipped and reported   default 1110
#                   (a watchdog ends the run at TIME_BUDGET + 60 s whatever happens)
#
# Ports: app 5080 (SIP) / 8081 (HTTP); SIPp UACs 5081, 5083-5087, SIPp UAS 5082 (5080-5099 and 8081-8089 are free
# of the Maven tests, which use random ports). The run aborts if one of them is taken.
# Output: OUT_DIR/summary.md (also printed), results.jsonl, one directory per step with SIPp's stat/rtt/error
# files, app logs, GC/heap outputs, class histograms, JFR. Exit status 0 when the run completed (whatever the
# figures), 1 if a part could not run, 2 on a usage/tooling error.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"     # sipp/
root="$(dirname "$here")"
B="$here/bench"                                         # helpers: scenarios, logback config, stats.py

JAR=${JAR:-$root/routes-example/target/routes-example.jar}
OUT_DIR=${OUT_DIR:-$root/target/bench-$(date +%Y%m%d-%H%M%S)}
HEAP=${HEAP:-2g}
APP_JAVA_OPTS=${APP_JAVA_OPTS:--XX:MaxGCPauseMillis=25}
APP_PORT=${APP_PORT:-5080}
HTTP_PORT=${HTTP_PORT:-8081}
APP_MIN_SE=${APP_MIN_SE:-30}
PARTS=${PARTS:-a b c d}
STEPS=${STEPS:-500 1000 2000 3000}
BASE_STEPS=${BASE_STEPS:-$STEPS 6000}
STEP_SECONDS=${STEP_SECONDS:-15}
HOLD_MS=${HOLD_MS:-100}
LOAD_SE=${LOAD_SE:-1800}
WARMUP_CALLS=${WARMUP_CALLS:-3000}
WARMUP_RATE=${WARMUP_RATE:-300}
PROFILE_RATE=${PROFILE_RATE-2000}
HELD_COUNTS=${HELD_COUNTS:-20000 100000}
HELD_RATE=${HELD_RATE:-1000}
HELD_MARGIN_S=${HELD_MARGIN_S:-30}
HELD_SE=${HELD_SE:-1800}
TIMING_SESSIONS=${TIMING_SESSIONS:-20000}
TIMING_RATE=${TIMING_RATE:-1000}
TIMING_SE=${TIMING_SE:-60}
DRAIN_TIMEOUT=${DRAIN_TIMEOUT:-40}
SETTLE_S=${SETTLE_S:-33}
TIME_BUDGET=${TIME_BUDGET:-1110}

HOST=127.0.0.1                       # all traffic stays on the loopback interface
UAC_BASE_PORT=5081                   # part a UAC
UAS_BASE_PORT=5082                   # part a UAS (the baseline "app")
UAC_APP_PORT=5083                    # part b UAC
UAC_WARM_PORT=5084                   # warm-up UAC
UAC_HELD_PORT=5085                   # part c UAC
UAC_EXP_PORT=5086                    # part d, BYE timing
UAC_REF_PORT=5087                    # part d, refresh timing
SIPP_BUF=4194304                     # SIPp socket buffers (net.core.rmem_max allows 4 MiB); the app keeps its own
API="http://$HOST:$HTTP_PORT/api/calls"
CLK_TCK=$(getconf CLK_TCK)

# shellcheck source=bench/lib.sh
. "$B/lib.sh"
for tool in sipp java jcmd jfr curl jq python3 ss setsid /usr/bin/time timeout; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found"
done
[ -f "$JAR" ] || die "$JAR missing: cd $root && mvn -B -o -q package -DskipTests -pl routes-example -am"
bench_start

for p in "$APP_PORT" "$HTTP_PORT" $UAC_BASE_PORT $UAS_BASE_PORT $UAC_APP_PORT $UAC_WARM_PORT $UAC_HELD_PORT \
         $UAC_EXP_PORT $UAC_REF_PORT; do
  port_free "$p" || die "port $p is in use"
done

# ------------------------------------------------------------------------------------------------------------
# The app
# ------------------------------------------------------------------------------------------------------------
APP_PID=""
start_app() { # $1 = name (log file app-<name>.log)
  local name=$1
  log "starting the app ($name): -Xms$HEAP -Xmx$HEAP $APP_JAVA_OPTS"
  # shellcheck disable=SC2086  # APP_JAVA_OPTS is a list of options
  java -Xms"$HEAP" -Xmx"$HEAP" \
    -Dlogback.configurationFile="$B/logback.xml" \
    -Dcamel.component.session-timer.host=$HOST \
    -Dcamel.component.session-timer.port="$APP_PORT" \
    -Dcamel.server.host=$HOST -Dcamel.server.port="$HTTP_PORT" \
    -Dcamel.management.host=$HOST -Dcamel.management.port="$HTTP_PORT" \
    -Dcamel.component.session-timer.min-se="$APP_MIN_SE" \
    -Dcamel.component.session-timer.lab-floor="$APP_MIN_SE" \
    -Xlog:gc:file="$OUT_DIR/gc-$name.log":uptime,level,tags \
    $APP_JAVA_OPTS -jar "$JAR" >"$OUT_DIR/app-$name.log" 2>&1 &
  APP_PID=$!
  PIDS+=("$APP_PID")
  local deadline=$(( $(date +%s) + 90 ))
  until curl -s -f --max-time 2 "$API" >/dev/null 2>&1; do
    kill -0 "$APP_PID" 2>/dev/null || { log "the app exited at start-up (see app-$name.log)"; APP_PID=""; return 1; }
    [ "$(date +%s)" -lt "$deadline" ] || { log "the app did not answer $API within 90 s"; return 1; }
    sleep 1
  done
  log "app up, pid $APP_PID"
}
app_alive() { [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; }
app_gone() { # $1 = where; notes that the app is gone (and why, if its log says) and fails the run
  local why
  why=$(grep -h -m1 -o 'triggered by SIG[A-Z]*' "$OUT_DIR"/app-*.log 2>/dev/null | tail -1 || true)
  note "the app (pid $APP_PID) is not running any more before/after $1${why:+ (its log: shutdown $why, not sent by bench.sh)}; the remaining steps on it were not run"
  overall_rc=1
}
stop_app() {
  [ -n "$APP_PID" ] || return 0
  kill -TERM "$APP_PID" 2>/dev/null || true
  for _ in $(seq 1 25); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 1; done
  kill -KILL "$APP_PID" 2>/dev/null || true
  wait "$APP_PID" 2>/dev/null || true
  APP_PID=""
}
# heap_after_gc FILE_PREFIX -> bytes used after a full GC (System.gc() = full collection with G1)
heap_after_gc() {
  timeout 120 jcmd "$APP_PID" GC.run >"$1.gc.txt" 2>&1 || true
  timeout 60 jcmd "$APP_PID" GC.heap_info >"$1.heap.txt" 2>&1 || true
  awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i+1); sub(/K.*/, "", v); print v * 1024; exit } }' \
    "$1.heap.txt" | head -1 | grep . || echo "?"
}
# active sessions: length of GET /api/calls, "?" when it cannot be read
active() {
  local body
  if body=$(curl -s -f --max-time "${1:-20}" "$API" 2>/dev/null); then
    printf '%s' "$body" | jq length 2>/dev/null || echo "?"
  else
    echo "?"
  fi
}
wait_drain() { # -> "active seconds": active sessions once 0 (or after DRAIN_TIMEOUT) and the seconds it took
  local start deadline a
  start=$(date +%s); deadline=$(( start + DRAIN_TIMEOUT ))
  while :; do
    a=$(active 30)
    [ "$a" = "0" ] && break
    [ "$(date +%s)" -ge "$deadline" ] && break
    sleep 2
  done
  echo "$a $(( $(date +%s) - start ))"
}
warn_count() { grep -c ' WARN ' "$OUT_DIR/app-$1.log" 2>/dev/null || true; }

warmup() { # $1 = app name
  [ "$WARMUP_CALLS" -gt 0 ] || return 0
  local dir="$OUT_DIR/warmup-$1"
  log "warm-up: $WARMUP_CALLS calls at $WARMUP_RATE/s (JIT; not reported)"
  sipp_bg "$dir" $(( WARMUP_CALLS / WARMUP_RATE + 40 )) -sf "$here/load_uac.xml" -t u1 -i $HOST -p $UAC_WARM_PORT \
    -r "$WARMUP_RATE" -l $(( WARMUP_RATE * 3 + 100 )) -m "$WARMUP_CALLS" -recv_timeout 10000 \
    -set se "$LOAD_SE" -set hold_ms "$HOLD_MS" "$HOST:$APP_PORT"
  sipp_wait "$SIPP_PID"
  log "warm-up done: successful $(stat_col "$dir" 'SuccessfulCall(C)'), failed $(stat_col "$dir" 'FailedCall(C)'), active after (sessions, seconds): $(wait_drain)"
}

# ------------------------------------------------------------------------------------------------------------
# Run information
# ------------------------------------------------------------------------------------------------------------
{
  echo "date: $(date -Is)"; echo "uname: $(uname -srm)"; echo "nproc: $(nproc)"; free -m
  java -version 2>&1; { sipp -v 2>&1 || true; } | grep -i sipp || true; uptime
  echo "git HEAD of the tree now: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?') (the jar may be older)"
  git -C "$root" status --short 2>/dev/null || true
  echo "jar: $JAR ($(stat -c '%y' "$JAR"), sha256 $(sha256sum "$JAR" | cut -c1-16)), built from: ${JAR_BUILT_FROM:-not given}"
  echo "UDP: rmem_default=$(cat /proc/sys/net/core/rmem_default) rmem_max=$(cat /proc/sys/net/core/rmem_max)"
} >"$OUT_DIR/machine.txt" 2>&1
stats record "$RESULTS" info info "heap=$HEAP" "hold_ms=$HOLD_MS" "load_se=$LOAD_SE" "step_s=$STEP_SECONDS" \
  "app_java_opts=${APP_JAVA_OPTS:-none}" "logback=sipp/bench/logback.xml(org.sessiontimer=WARN)" \
  "nproc=$(nproc)" "load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)"
log "output: $OUT_DIR; parts: $PARTS; budget ${TIME_BUDGET}s"
log "load at start: $(uptime)"
overall_rc=0

want() { case " $PARTS " in *" $1 "*) return 0 ;; esac; return 1; }

# ------------------------------------------------------------------------------------------------------------
# a. Baseline: SIPp against SIPp
# ------------------------------------------------------------------------------------------------------------
if want a; then
  log "== part a: baseline SIPp UAC -> SIPp UAS, steps: $BASE_STEPS calls/s x ${STEP_SECONDS}s, hold ${HOLD_MS} ms"
  for rate in $BASE_STEPS; do
    calls=$(( rate * STEP_SECONDS ))
    tmo=$(( STEP_SECONDS + HOLD_MS / 1000 + 40 ))
    fits $(( STEP_SECONDS + 10 )) || { note "part a step $rate/s skipped: time budget"; continue; }
    dir="$OUT_DIR/a-$rate"
    sipp_bg "$dir/uas" $(( tmo + 10 )) -sf "$here/selftest/fa_answer.xml" -t u1 -i $HOST -p $UAS_BASE_PORT \
      -m $(( calls * 2 )) -recv_timeout 10000   # ended below, after its drops are read
    uas_pid=$SIPP_PID
    sleep 0.5
    drops0=$(udp_drops $UAS_BASE_PORT)
    sipp_bg "$dir" "$tmo" -sf "$here/load_uac.xml" -t u1 -i $HOST -p $UAC_BASE_PORT \
      -r "$rate" -l $(( rate * 3 )) -m "$calls" -recv_timeout 10000 \
      -set se "$LOAD_SE" -set hold_ms "$HOLD_MS" "$HOST:$UAS_BASE_PORT"
    sipp_wait "$SIPP_PID"; rc=$SIPP_RC
    drops=$(( $(udp_drops $UAS_BASE_PORT) - drops0 ))
    sleep 1
    sipp_stop "$uas_pid"
    stats load "$RESULTS" a "step-$rate" "$dir" "$HOLD_MS" "rate=$rate" "sipp_rc=$rc" "udp_drops=$drops" \
      "uac_cpu_pct=$(sipp_cpu_pct "$dir")" "uas_cpu_pct=$(sipp_cpu_pct "$dir/uas")"
    log "a $rate/s: successful $(stat_col "$dir" 'SuccessfulCall(C)') failed $(stat_col "$dir" 'FailedCall(C)') retrans $(stat_col "$dir" 'Retransmissions(C)') (sipp rc $rc)"
  done
fi

# ------------------------------------------------------------------------------------------------------------
# b. The app, same steps
# ------------------------------------------------------------------------------------------------------------
if want b; then
  log "== part b: the app, steps: $STEPS calls/s x ${STEP_SECONDS}s, hold ${HOLD_MS} ms, SE $LOAD_SE"
  if fits 60 && start_app b; then
    warmup b
    h=$(heap_after_gc "$OUT_DIR/b-start")
    stats record "$RESULTS" b heap_start "heap_after_gc_bytes=$h"
    for rate in $STEPS; do
      calls=$(( rate * STEP_SECONDS ))
      tmo=$(( STEP_SECONDS + HOLD_MS / 1000 + 40 ))
      fits $(( STEP_SECONDS + 30 )) || { note "part b step $rate/s skipped: time budget"; continue; }
      app_alive || { app_gone "part b step $rate/s"; break; }
      dir="$OUT_DIR/b-$rate"
      mkdir -p "$dir"
      warn0=$(warn_count b)
      drops0=$(udp_drops "$APP_PORT")
      ticks0=$(cpu_ticks "$APP_PID"); t0=$(now_s)
      sipp_bg "$dir" "$tmo" -sf "$here/load_uac.xml" -t u1 -i $HOST -p $UAC_APP_PORT \
        -r "$rate" -l $(( rate * 3 )) -m "$calls" -recv_timeout 10000 \
        -set se "$LOAD_SE" -set hold_ms "$HOLD_MS" "$HOST:$APP_PORT"
      sipp_wait "$SIPP_PID"; rc=$SIPP_RC
      ticks=$(( $(cpu_ticks "$APP_PID") - ticks0 )); wall=$(sub "$(now_s)" "$t0")
      drops=$(( $(udp_drops "$APP_PORT") - drops0 ))
      read -r after drain_s <<<"$(wait_drain)"
      h=$(heap_after_gc "$dir/app")
      warns=$(( $(warn_count b) - warn0 ))
      stats load "$RESULTS" b "step-$rate" "$dir" "$HOLD_MS" "rate=$rate" "sipp_rc=$rc" "udp_drops=$drops" \
        "app_cpu_pct=$(cpu_pct "$ticks" "$wall")" "uac_cpu_pct=$(sipp_cpu_pct "$dir")" "active_after=$after" \
        "drain_s=$drain_s" "heap_after_gc_bytes=$h" "app_warn_lines=$warns"
      log "b $rate/s: successful $(stat_col "$dir" 'SuccessfulCall(C)') failed $(stat_col "$dir" 'FailedCall(C)') retrans $(stat_col "$dir" 'Retransmissions(C)') active after $after (${drain_s}s) heap $h B, app WARN lines $warns (sipp rc $rc)"
    done
    # the profiled step, apart: JFR is started first (its start-up stalls the app) and runs through the step
    if [ -n "$PROFILE_RATE" ] && app_alive && fits $(( STEP_SECONDS + 60 )); then
      rate=$PROFILE_RATE; calls=$(( rate * STEP_SECONDS )); dir="$OUT_DIR/b-profile-$rate"
      mkdir -p "$dir"
      log "b profile step: $rate/s with JFR (settings=profile), thread dump and top -H mid-step"
      timeout 60 jcmd "$APP_PID" JFR.start name=bench settings=profile >"$dir/jfr-start.txt" 2>&1 || true
      sleep 5
      drops0=$(udp_drops "$APP_PORT"); ticks0=$(cpu_ticks "$APP_PID"); t0=$(now_s)
      sipp_bg "$dir" $(( STEP_SECONDS + HOLD_MS / 1000 + 40 )) -sf "$here/load_uac.xml" -t u1 -i $HOST \
        -p $UAC_APP_PORT -r "$rate" -l $(( rate * 3 )) -m "$calls" -recv_timeout 10000 \
        -set se "$LOAD_SE" -set hold_ms "$HOLD_MS" "$HOST:$APP_PORT"
      sleep $(( STEP_SECONDS / 2 ))
      top -H -b -d 2 -n2 -w 160 -p "$APP_PID" 2>/dev/null | awk '/^top -/{n++} n==2' | sed -n '1,40p' \
        >"$dir/top-threads.txt" || true     # second frame: CPU over 2 s
      timeout 30 jcmd "$APP_PID" Thread.print >"$dir/threads.txt" 2>&1 || true
      sipp_wait "$SIPP_PID"; rc=$SIPP_RC
      ticks=$(( $(cpu_ticks "$APP_PID") - ticks0 )); wall=$(sub "$(now_s)" "$t0")
      drops=$(( $(udp_drops "$APP_PORT") - drops0 ))
      timeout 60 jcmd "$APP_PID" JFR.stop name=bench filename="$dir/app.jfr" >"$dir/jfr-stop.txt" 2>&1 || true
      read -r after drain_s <<<"$(wait_drain)"
      stats load "$RESULTS" b "profile-$rate" "$dir" "$HOLD_MS" "rate=$rate" "sipp_rc=$rc" "udp_drops=$drops" \
        "app_cpu_pct=$(cpu_pct "$ticks" "$wall")" "uac_cpu_pct=$(sipp_cpu_pct "$dir")" "active_after=$after" \
        "drain_s=$drain_s"
      if [ -s "$dir/app.jfr" ]; then
        timeout 120 jfr print --events jdk.ExecutionSample "$dir/app.jfr" >"$dir/jfr-samples.txt" 2>&1 || true
        stats jfr "$dir/jfr-samples.txt" 25 >"$dir/jfr-top.txt" 2>&1 || true
        rm -f "$dir/jfr-samples.txt"
      fi
      log "b profile $rate/s: successful $(stat_col "$dir" 'SuccessfulCall(C)') failed $(stat_col "$dir" 'FailedCall(C)'); profile in $dir/jfr-top.txt"
    fi
    # the app's WARN lines of the whole part, Call-IDs folded, most frequent first
    grep ' WARN ' "$OUT_DIR/app-b.log" | sed -E 's/^[0-9:.]+ +WARN +\[[^]]*\] //; s/Call-ID=[^ :;,)]*/Call-ID=*/g' \
      | sort | uniq -c | sort -rn | head -20 >"$OUT_DIR/b-app-warnings.txt" || true
  else
    note "part b not run (app did not start or no time left)"; overall_rc=1
  fi
  stop_app
fi

# ------------------------------------------------------------------------------------------------------------
# c. Held sessions and d. timer accuracy: one fresh app
# ------------------------------------------------------------------------------------------------------------
if want c || want d; then
  if fits 60 && start_app cd; then
    warmup cd
    read -r after _ <<<"$(wait_drain)"
    want c && { log "settling ${SETTLE_S}s before the empty-heap figure"; sleep "$SETTLE_S"; }
    h_empty=$(heap_after_gc "$OUT_DIR/c-empty")
    timeout 120 jcmd "$APP_PID" GC.class_histogram 2>/dev/null | head -45 >"$OUT_DIR/c-empty.histo.txt" || true
    stats record "$RESULTS" c empty "heap_empty_bytes=$h_empty" "active=$after"
  else
    note "parts c/d not run (app did not start or no time left)"; overall_rc=1
    PARTS=""
  fi
fi

if want c; then
  log "== part c: held sessions: $HELD_COUNTS at $HELD_RATE/s, SE $HELD_SE, each held $HELD_MARGIN_S s after the last setup"
  for n in $HELD_COUNTS; do
    gen=$(( n / HELD_RATE ))
    hold_ms=$(( (gen + HELD_MARGIN_S) * 1000 ))
    need=$(( 2 * gen + HELD_MARGIN_S + DRAIN_TIMEOUT + SETTLE_S + 30 ))
    app_alive || { app_gone "part c ($n sessions)"; break; }
    if ! fits "$need"; then
      note "part c with $n sessions skipped: needs about ${need}s, $(( TIME_BUDGET - $(elapsed) ))s left in the budget"
      stats record "$RESULTS" c "held-$n" "target=$n" "rate=$HELD_RATE" "note=skipped: time budget"
      continue
    fi
    dir="$OUT_DIR/c-$n"
    tmo=$(( 2 * gen + HELD_MARGIN_S + 60 ))
    ticks0=$(cpu_ticks "$APP_PID"); t0=$(now_s)
    sipp_bg "$dir" "$tmo" -sf "$here/load_uac.xml" -t u1 -i $HOST -p $UAC_HELD_PORT \
      -r "$HELD_RATE" -l $(( n + 1000 )) -m "$n" -recv_timeout 20000 \
      -set se "$HELD_SE" -set hold_ms "$hold_ms" "$HOST:$APP_PORT"
    pid=$SIPP_PID
    # wait until SIPp has started every call and none is still being set up (bounded by the first BYEs)
    start_s=$(date +%s)
    while :; do
      sleep 1
      out=$(stat_col "$dir" 'OutgoingCall(C)')
      kill -0 "$pid" 2>/dev/null || break
      [ "$out" = "$n" ] && break
      [ $(( $(date +%s) - start_s )) -ge $(( gen + HELD_MARGIN_S / 2 )) ] && break
    done
    gen_s=$(( $(date +%s) - start_s ))
    sleep 2                 # the last 200s, ACKs and answer routes settle
    held=$(active 120)
    h_held=$(heap_after_gc "$dir/held")
    timeout 120 jcmd "$APP_PID" GC.class_histogram 2>/dev/null | head -45 >"$dir/held.histo.txt" || true
    held2=$(active 120)     # still held after the GC? (none may have ended in between)
    measured_at=$(( $(date +%s) - start_s ))
    log "c $n: SIPp generated $(stat_col "$dir" 'OutgoingCall(C)') in ~${gen_s}s, app holds $held (then $held2) sessions, heap $h_held B (t=${measured_at}s, first BYE at $(( hold_ms / 1000 ))s)"
    sipp_wait "$pid"; rc=$SIPP_RC
    ticks=$(( $(cpu_ticks "$APP_PID") - ticks0 )); wall=$(sub "$(now_s)" "$t0")
    read -r after drain_s <<<"$(wait_drain)"
    sleep "$SETTLE_S"       # finished transactions of the BYEs go away after timer J (32 s)
    h_after=$(heap_after_gc "$dir/after")
    timeout 120 jcmd "$APP_PID" GC.class_histogram 2>/dev/null | head -45 >"$dir/after.histo.txt" || true
    bps="?"
    if [[ "$held" =~ ^[0-9]+$ ]] && [ "$held" -gt 0 ] && [[ "$h_held" =~ ^[0-9]+$ ]] && [[ "$h_empty" =~ ^[0-9]+$ ]]; then
      bps=$(( (h_held - h_empty) / held ))
    fi
    nt=""
    [ "$measured_at" -ge $(( hold_ms / 1000 )) ] && nt="measured after the first BYEs were due"
    [ "$held" != "$held2" ] && nt="${nt:+$nt; }count changed during GC ($held -> $held2)"
    f=$(stat_col "$dir" 'FailedCall(C)')
    [[ "$f" =~ ^[0-9]+$ ]] && [ "$f" -gt 0 ] && nt="${nt:+$nt; }$f calls failed: the heap also holds what they left behind"
    stats record "$RESULTS" c "held-$n" "target=$n" "rate=$HELD_RATE" "held=$held" "held_after_gc=$held2" \
      "heap_empty_bytes=$h_empty" "heap_held_bytes=$h_held" "bytes_per_session=$bps" "active_after=$after" \
      "heap_after_bytes=$h_after" "drain_s=$drain_s" "successful=$(stat_col "$dir" 'SuccessfulCall(C)')" \
      "failed=$(stat_col "$dir" 'FailedCall(C)')" "retransmissions=$(stat_col "$dir" 'Retransmissions(C)')" \
      "sipp_rc=$rc" "app_cpu_pct=$(cpu_pct "$ticks" "$wall")" "note=$nt"
    log "c $n: SIPp successful $(stat_col "$dir" 'SuccessfulCall(C)') failed $(stat_col "$dir" 'FailedCall(C)'), active after $after, heap after $h_after B"
  done
fi

if want d; then
  se=$TIMING_SE
  n=$TIMING_SESSIONS
  exp_bye_ms=$(( se * 1000 - (se * 1000 / 3 < 32000 ? se * 1000 / 3 : 32000) ))
  exp_ref_ms=$(( se * 500 ))
  gen=$(( n / TIMING_RATE ))
  log "== part d: $n sessions at $TIMING_RATE/s, SE $se s: BYE due ${exp_bye_ms} ms, refresh due ${exp_ref_ms} ms after the 200"
  [ $(( gen * 1000 )) -lt "$exp_ref_ms" ] || note "part d: setup takes ${gen}s, longer than the first timer; fewer than $n sessions are held when timers start firing"
  for kind in expiry refresh; do
    if [ "$kind" = expiry ]; then scen="$B/uac_expiry_timing.xml"; port=$UAC_EXP_PORT; key=expiry_bye_ms; exp=$exp_bye_ms
    else scen="$B/uac_refresh_timing.xml"; port=$UAC_REF_PORT; key=refresh_ms; exp=$exp_ref_ms; fi
    need=$(( gen + exp / 1000 + DRAIN_TIMEOUT + 30 ))
    app_alive || { app_gone "part d ($kind)"; break; }
    if ! fits "$need"; then
      note "part d $kind skipped: needs about ${need}s"
      continue
    fi
    dir="$OUT_DIR/d-$kind"
    ticks0=$(cpu_ticks "$APP_PID"); t0=$(now_s)
    sipp_bg "$dir" $(( gen + exp / 1000 + 60 )) -sf "$scen" -t u1 -i $HOST -p "$port" \
      -r "$TIMING_RATE" -l $(( n + 1000 )) -m "$n" -recv_timeout $(( exp + 20000 )) \
      -trace_logs -log_file logs.log -set se "$se" "$HOST:$APP_PORT"
    sipp_wait "$SIPP_PID"; rc=$SIPP_RC
    ticks=$(( $(cpu_ticks "$APP_PID") - ticks0 )); wall=$(sub "$(now_s)" "$t0")
    read -r after drain_s <<<"$(wait_drain)"
    stats timing "$RESULTS" "$kind" "$dir" "$key" "$exp" "sessions=$n" "se=$se" "rate=$TIMING_RATE" "sipp_rc=$rc" \
      "app_cpu_pct=$(cpu_pct "$ticks" "$wall")" "active_after=$after" "drain_s=$drain_s"
    log "d $kind: SIPp successful $(stat_col "$dir" 'SuccessfulCall(C)') failed $(stat_col "$dir" 'FailedCall(C)'), active after $after"
  done
fi
stop_app

# ------------------------------------------------------------------------------------------------------------
# Summary
# ------------------------------------------------------------------------------------------------------------
log "load at end: $(uptime)"
{
  echo "# sipp/bench.sh results ($(date -Is), $(( $(elapsed) / 60 )) min)"
  echo
  echo "Command: $(for v in PARTS STEPS STEP_SECONDS HOLD_MS LOAD_SE HEAP APP_JAVA_OPTS HELD_COUNTS HELD_RATE TIMING_SESSIONS TIMING_RATE TIMING_SE; do printf '%s=%q ' "$v" "${!v}"; done)sipp/bench.sh"
  echo "App logging: -Dlogback.configurationFile=sipp/bench/logback.xml (org.sessiontimer at WARN). Machine: see machine.txt, load samples in machine-load.log."
  echo
  stats report "$RESULTS"
} >"$OUT_DIR/summary.md"
cat "$OUT_DIR/summary.md"
log "done in $(elapsed)s; raw outputs in $OUT_DIR"
exit "$overall_rc"
