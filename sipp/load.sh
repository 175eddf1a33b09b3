#!/usr/bin/env bash
# load.sh - the seed's SIPp load test, bounded: load_uac.xml against the app with session timers on,
# then a check that every session was freed again (R12: GET /api/calls must drain to []).
#
#   ./load.sh                                  # 1000 calls, 10 calls/s, at most 100 at once, against the
#                                              # app on its defaults (java -jar routes-example/target/routes-example.jar)
#   CALLS=100 RATE=50 ./load.sh                # smaller/faster
#   SIP_PORT=5080 HTTP_PORT=8081 ./load.sh     # app elsewhere on 127.0.0.1
#
# Environment (all optional):
#   SIP_HOST      app's SIP address (loopback only)          default 127.0.0.1
#   SIP_PORT      app's SIP port                             default 5060
#   HTTP_PORT     app's HTTP port (GET /api/calls)           default 8080
#   API_URL       full URL of the active-session list        default http://$SIP_HOST:$HTTP_PORT/api/calls
#   CALLS         total calls (sipp -m)                      default 1000
#   RATE          calls per second (sipp -r)                 default 10
#   LIMIT         max simultaneous calls (sipp -l)           default 100
#   SE            Session-Expires asked for, seconds         default 1800 (the app's default; at least the
#                                                            app's min-se, or every call gets 422; must exceed the hold)
#   HOLD_MS       call duration between ACK and BYE, ms      default 1000
#   LOCAL_PORT    SIPp's own port                            default 5061
#   TRANSPORT     sipp -t value: u1 (UDP) or t1 (TCP)        default u1
#   SIPP_TIMEOUT  hard bound for the SIPp run, seconds       default CALLS/RATE + HOLD_MS/1000 + 60
#   DRAIN_TIMEOUT how long to wait for sessions to drain, s  default 30
#   OUT_DIR       where SIPp's stat/screen/error files go    default a new mktemp -d directory
#
# Output: successful and failed calls (from SIPp's -trace_stat CSV), SIPp's exit status, the number
# of active sessions left. Exit status 0 only if failed = 0, successful = CALLS, SIPp exited 0 and
# the active-session count reached 0 within DRAIN_TIMEOUT; 1 otherwise; 2 on a usage/tooling error.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

SIP_HOST=${SIP_HOST:-127.0.0.1}
SIP_PORT=${SIP_PORT:-5060}
HTTP_PORT=${HTTP_PORT:-8080}
API_URL=${API_URL:-http://${SIP_HOST}:${HTTP_PORT}/api/calls}
CALLS=${CALLS:-1000}
RATE=${RATE:-10}
LIMIT=${LIMIT:-100}
SE=${SE:-1800}
HOLD_MS=${HOLD_MS:-1000}
LOCAL_PORT=${LOCAL_PORT:-5061}
TRANSPORT=${TRANSPORT:-u1}
SIPP_TIMEOUT=${SIPP_TIMEOUT:-$(( CALLS / RATE + HOLD_MS / 1000 + 60 ))}
DRAIN_TIMEOUT=${DRAIN_TIMEOUT:-30}
OUT_DIR=${OUT_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/sipp-load.XXXXXX")}

die() { echo "load.sh: $*" >&2; exit 2; }

# Traffic stays on the loopback interface.
case "$SIP_HOST" in 127.*) ;; *) die "SIP_HOST must be a 127.x.x.x address, got $SIP_HOST" ;; esac
command -v sipp >/dev/null 2>&1 || die "sipp not found (Debian/Ubuntu package: sip-tester)"
command -v curl >/dev/null 2>&1 || die "curl not found"
if command -v python3 >/dev/null 2>&1; then
  json_len() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d))'; }
elif command -v jq >/dev/null 2>&1; then
  json_len() { jq length; }
else
  die "python3 or jq is needed to count the sessions in $API_URL"
fi
mkdir -p "$OUT_DIR"

stat_file="$OUT_DIR/load_stat.csv"
screen_file="$OUT_DIR/load_screen.log"
error_file="$OUT_DIR/load_errors.log"

echo "load.sh: $CALLS calls at $RATE/s (max $LIMIT at once), SE=$SE s, hold ${HOLD_MS} ms," \
     "transport $TRANSPORT, against $SIP_HOST:$SIP_PORT (bound ${SIPP_TIMEOUT}s); files in $OUT_DIR"

# Run SIPp in the output directory so any file it names by default lands there too.
sipp_rc=0
( cd "$OUT_DIR" && sipp -sf "$here/load_uac.xml" -t "$TRANSPORT" -i "$SIP_HOST" -p "$LOCAL_PORT" \
    -r "$RATE" -l "$LIMIT" -m "$CALLS" \
    -timeout "${SIPP_TIMEOUT}s" -timeout_error -nostdin \
    -trace_stat -stf "$stat_file" -fd 1 \
    -trace_screen -screen_file "$screen_file" \
    -trace_err -error_file "$error_file" \
    -set se "$SE" -set hold_ms "$HOLD_MS" \
    "$SIP_HOST:$SIP_PORT" >"$OUT_DIR/sipp.out" 2>&1 ) || sipp_rc=$?

# The stat CSV has one header line and one line per dump (-fd 1) plus a final one; fields are
# separated by ';'. Take the cumulative counters of the last line.
stat_field() { # $1 = column name, e.g. "SuccessfulCall(C)"
  [ -s "$stat_file" ] || { echo "?"; return; }
  awk -F';' -v name="$1" 'NR==1 { for (i = 1; i <= NF; i++) if ($i == name) col = i; next }
                           { last = $col } END { print (col && last != "" ? last : "?") }' "$stat_file"
}
successful=$(stat_field 'SuccessfulCall(C)')
failed=$(stat_field 'FailedCall(C)')
echo "successful calls: $successful"
echo "failed calls:     $failed"
echo "sipp exit status: $sipp_rc"

# Wait (bounded) for the app to free every session: GET /api/calls returns a JSON array.
active="?"
deadline=$(( $(date +%s) + DRAIN_TIMEOUT ))
while :; do
  if body=$(curl -s -f --max-time 5 "$API_URL"); then
    active=$(printf '%s' "$body" | json_len 2>/dev/null || echo "?")
  else
    active="?"
  fi
  [ "$active" = "0" ] && break
  [ "$(date +%s)" -ge "$deadline" ] && break
  sleep 1
done
echo "active sessions:  $active  ($API_URL)"

if [ "$failed" = "0" ] && [ "$successful" = "$CALLS" ] && [ "$sipp_rc" -eq 0 ] && [ "$active" = "0" ]; then
  echo "load.sh: PASS"
  exit 0
fi
echo "load.sh: FAIL (see $OUT_DIR: sipp.out, $(basename "$error_file"), $(basename "$screen_file"))" >&2
exit 1
