#!/usr/bin/env bash
# log_flood.sh - what hostile input costs in log volume: sends the app malformed UDP datagrams (binary noise, broken
# request lines, messages without CSeq, half messages, bad Via, a NUL in a header, a garbage response) from one
# source and reports the bytes and lines they added to the app's log.
#
#   java -jar routes-example/target/routes-example.jar > app.log 2>&1 &
#   LOG_FILE=app.log ./sipp/log_flood.sh              # 1000 datagrams at 100/s against 127.0.0.1:5060
#   COUNT=5000 RATE=500 LOG_FILE=app.log ./sipp/log_flood.sh
#
# Environment:
#   LOG_FILE   the file the app logs to (required)
#   SIP_HOST   the app's SIP address (loopback only)      default 127.0.0.1
#   SIP_PORT   the app's SIP port                          default 5060
#   COUNT      datagrams to send                           default 1000
#   RATE       datagrams per second                        default 100
#   SETTLE     seconds to wait for the app to log          default 3
#
# Output: one line with the datagrams sent, the seconds taken, the log bytes and lines they added, per datagram and
# per second. Exit status 0, or 2 on a usage error.
set -euo pipefail

LOG_FILE=${LOG_FILE:-}
SIP_HOST=${SIP_HOST:-127.0.0.1}
SIP_PORT=${SIP_PORT:-5060}
COUNT=${COUNT:-1000}
RATE=${RATE:-100}
SETTLE=${SETTLE:-3}

if [[ -z "$LOG_FILE" || ! -f "$LOG_FILE" ]]; then
  echo "LOG_FILE must name the app's log file" >&2
  exit 2
fi
if [[ ! "$SIP_HOST" =~ ^127\. ]]; then
  echo "SIP_HOST must be a loopback address (127.x.x.x), was $SIP_HOST" >&2
  exit 2
fi

datagram() {
  local i=$1
  case $((i % 7)) in
    0) head -c 200 /dev/urandom ;;
    1) printf 'INVITE sip:x@%s SIP/2.0 extra\r\nVia: SIP/2.0/UDP %s:9;branch=z9hG4bKa%d\r\n\r\n' "$SIP_HOST" "$SIP_HOST" "$i" ;;
    2) printf 'OPTIONS sip:x@%s SIP/2.0\r\nVia: SIP/2.0/UDP %s:9;branch=z9hG4bKb%d\r\nContent-Length: 0\r\n\r\n' "$SIP_HOST" "$SIP_HOST" "$i" ;;
    3) printf 'INVITE sip:x@%s SIP/2.0\r\nVia: SIP/2.0/UDP %s:9;bra' "$SIP_HOST" "$SIP_HOST" ;;
    4) printf 'OPTIONS sip:x@%s SIP/2.0\r\nVia: SIP/2.0/UDP ;;;;\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:x@y>\r\nCall-ID: d%d\r\nCSeq: 1 OPTIONS\r\n\r\n' "$SIP_HOST" "$i" ;;
    5) printf 'OPTIONS sip:x@%s SIP/2.0\r\nVia: SIP/2.0/UDP %s:9;branch=z9hG4bKe%d\r\nFrom: \0<sip:a@b>;tag=1\r\nTo: <sip:x@y>\r\nCall-ID: e%d\r\nCSeq: 1 OPTIONS\r\n\r\n' "$SIP_HOST" "$SIP_HOST" "$i" "$i" ;;
    6) printf 'SIP/2.0 200 OK\r\nVia: garbage\r\n\r\n' ;;
  esac
}

pause=$(awk -v r="$RATE" 'BEGIN { printf "%.4f", 1 / r }')
bytes_before=$(wc -c < "$LOG_FILE")
lines_before=$(wc -l < "$LOG_FILE")
started=$(date +%s.%N)
for ((i = 0; i < COUNT; i++)); do
  datagram "$i" > "/dev/udp/$SIP_HOST/$SIP_PORT"
  sleep "$pause"
done
finished=$(date +%s.%N)
sleep "$SETTLE"
bytes=$(( $(wc -c < "$LOG_FILE") - bytes_before ))
lines=$(( $(wc -l < "$LOG_FILE") - lines_before ))
awk -v n="$COUNT" -v s0="$started" -v s1="$finished" -v b="$bytes" -v l="$lines" 'BEGIN {
  s = s1 - s0
  printf "%d malformed datagrams in %.1f s: %d log bytes (%.1f per datagram), %d lines (%.2f per second)\n", n, s, b, b / n, l, l / s
}'
