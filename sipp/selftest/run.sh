#!/usr/bin/env bash
# selftest/run.sh - checks the SIPp scenarios of sipp/ without the app: each scenario is run against
# a SIPp "fake app" (selftest/fa_*.xml) on 127.0.0.1, once with correct behaviour (the scenario must
# exit 0) and several times with one thing wrong (the scenario must exit non-zero, and its error log
# must name the reason, so it fails for the right reason). load.sh is checked the same way against a
# fake app and a stub HTTP endpoint (python3 http.server serving a file as /api/calls).
#
#   sipp/selftest/run.sh                 # all tests, UDP, 4 in parallel (about 1-2 minutes)
#   sipp/selftest/run.sh 491 cancel      # only tests whose name contains one of the words
#   TRANSPORT=t1 sipp/selftest/run.sh    # same over TCP
#   SLOW=1 sipp/selftest/run.sh rfc      # also the RFC-floor timing test (SE=90: BYE at 60 s)
#
# Environment: TRANSPORT (u1|t1, default u1), JOBS (parallel tests, default 4), BASE_PORT (first of
# the ports used, two per test, default 16100), WORK (directory for logs, default mktemp -d),
# SLOW (1 = include tests that take a minute or more), KEEP (1 = keep WORK even if all passed).
# Exit status: 0 if every test behaved as expected, 1 otherwise, 2 if sipp is missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
S="$(dirname "$here")"        # the sipp/ directory with the scenarios under test
F="$here"                     # the fake apps
TRANSPORT=${TRANSPORT:-u1}
JOBS=${JOBS:-4}
BASE_PORT=${BASE_PORT:-16100}
SLOW=${SLOW:-0}
KEEP=${KEEP:-0}
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/sipp-selftest.XXXXXX")}
mkdir -p "$WORK"

command -v sipp >/dev/null 2>&1 || { echo "run.sh: sipp not found (package sip-tester)" >&2; exit 2; }

FILTERS=("$@")
selected() { # $1 = test name
  [ ${#FILTERS[@]} -eq 0 ] && return 0
  local f; for f in "${FILTERS[@]}"; do case "$1" in *"$f"*) return 0 ;; esac; done
  return 1
}

# ---------------------------------------------------------------------------------------------
# One test = T name expect role scenario fake 'scenario args' 'fake args' 'reason' [timeout]
#   expect  pass | fail
#   role    uac: the scenario is the client and calls the fake app (a SIPp server)
#           uas: the scenario is the server and the fake app calls it
#   args    words for sipp, parsed by the shell (quote values with spaces)
#   reason  for expect=fail: a fixed string that must appear in the scenario's error log
# ---------------------------------------------------------------------------------------------
NAMES=(); EXPECTS=(); ROLES=(); SCENS=(); FAKES=(); SARGS=(); FARGS=(); REASONS=(); TMOS=()
T() {
  selected "$1" || return 0
  NAMES+=("$1"); EXPECTS+=("$2"); ROLES+=("$3"); SCENS+=("$4"); FAKES+=("$5")
  SARGS+=("$6"); FARGS+=("$7"); REASONS+=("${8:-}"); TMOS+=("${9:-25}")
}

UNEXP="unexpected"                      # "Aborting call on unexpected message ..." / "... unexpected BYE"
LATE="with check_it_inverse failed"     # time test "el > upper bound" failed
NOMATCH="Failed regexp match"           # a required header/value is missing
MATCHED="Regexp matched but should not" # a forbidden header/value is present
FAST="-set se 6 -set tol_ms 700"        # lab timings: refresh at 3 s, expiry at 4 s

# uac_with_timer.xml (SIPp refresher, re-INVITE at 2 s)
W="-set se 6 -set refresh_ms 2000 -set hold_ms 300"
T with_timer.ok                 pass uac uac_with_timer.xml fa_answer.xml "$W" ""
T with_timer.compact_x_in_200   pass uac uac_with_timer.xml fa_answer.xml "$W" "-set fa_se_name x"
T with_timer.refresher_uas      fail uac uac_with_timer.xml fa_answer.xml "$W" "-set fa_r uas" "refresher=uas"
T with_timer.no_require         fail uac uac_with_timer.xml fa_answer.xml "$W" "-set fa_req_name X-No-Require" "$NOMATCH"
T with_timer.no_supported       fail uac uac_with_timer.xml fa_answer.xml "$W" "-set fa_sup_name X-No-Supported" "$NOMATCH"
T with_timer.se_changed         fail uac uac_with_timer.xml fa_answer.xml "$W" "-set fa_se 8" "se_got"

# uas_with_timer.xml (the fake app calls SIPp and refreshes at 3 s)
T uas_with_timer.ok                 pass uas uas_with_timer.xml fa_uac_caller.xml "-set tol_ms 700" ""
T uas_with_timer.expect_values      pass uas uas_with_timer.xml fa_uac_caller.xml "-set tol_ms 700 -set expect_se 6 -set expect_min_se 4" ""
T uas_with_timer.expect_se_mismatch fail uas uas_with_timer.xml fa_uac_caller.xml "-set tol_ms 700 -set expect_se 7" "" "exp_se"
T uas_with_timer.refresher_in_invite fail uas uas_with_timer.xml fa_uac_caller.xml "-set tol_ms 700" "-set fa_r_param ';refresher=uac'" "$MATCHED"
T uas_with_timer.early_refresh      fail uas uas_with_timer.xml fa_uac_caller.xml "-set tol_ms 700" "-set fa_refresh_ms 2000" "$UNEXP"
T uas_with_timer.late_refresh       fail uas uas_with_timer.xml fa_uac_caller.xml "-set tol_ms 700" "-set fa_refresh_ms 4000" "$LATE"
T uas_with_timer.sdp_version_changed fail uas uas_with_timer.xml fa_uac_caller.xml "-set tol_ms 700" "-set fa_o2 1001" "strcmp r_o"
T uas_with_timer.refresh_says_uas   fail uas uas_with_timer.xml fa_uac_caller.xml "-set tol_ms 700" "-set fa_rr uas" "refresher=uas"
T uas_with_timer.refresh_other_se   fail uas uas_with_timer.xml fa_uac_caller.xml "-set tol_ms 700" "-set fa_rse 8" "strcmp r_se"
T uas_with_timer.cseq_not_higher    fail uas uas_with_timer.xml fa_uac_caller.xml "-set tol_ms 700" "-set fa_cseq2 1" "r_cseq_d"
T uas_with_timer.other_from_tag     fail uas uas_with_timer.xml fa_uac_caller.xml "-set tol_ms 700" "-set fa_ftag2 other" "strcmp r_ftag"

# uac_422_retry.xml (fake app: 422 with Min-SE 8)
T 422_retry.ok                  pass uac uac_422_retry.xml fa_422.xml "" ""
T 422_retry.expect_min_se       pass uac uac_422_retry.xml fa_422.xml "-set expect_min_se 8" ""
T 422_retry.no_min_se           fail uac uac_422_retry.xml fa_422.xml "" "-set fa_mse_name X-No-Min-SE" "$NOMATCH"
T 422_retry.min_se_not_raised   fail uac uac_422_retry.xml fa_422.xml "" "-set fa_mse 2" "mse422_d"
T 422_retry.se_changed_in_200   fail uac uac_422_retry.xml fa_422.xml "" "-set fa_se 20" "se_got"

# uas_422.xml (SIPp sends 422 with Min-SE 120; fake app retries)
T uas_422.ok                    pass uas uas_422.xml fa_uac_422.xml "" ""
T uas_422.retry_min_se_too_low  fail uas uas_422.xml fa_uac_422.xml "" "-set fa_rmse 90" "mse2_d"
T uas_422.retry_se_too_low      fail uas uas_422.xml fa_uac_422.xml "" "-set fa_rse 60" "se2_d"
T uas_422.retry_same_cseq       fail uas uas_422.xml fa_uac_422.xml "" "-set fa_cseq2 1" "c2_d"
T uas_422.retry_cseq_plus_2     fail uas uas_422.xml fa_uac_422.xml "" "-set fa_cseq2 3" "c2_d"
T uas_422.retry_new_from_tag    fail uas uas_422.xml fa_uac_422.xml "" "-set fa_ftag2 other" "strcmp ftag2"

# uac_app_refreshes_reinvite.xml (fake app refreshes at 3 s)
R=uac_app_refreshes_reinvite.xml
T reinvite.ok                   pass uac $R fa_reinvite.xml "$FAST" ""
T reinvite.200_says_uac         fail uac $R fa_reinvite.xml "$FAST" "-set fa_r uac" "refresher=uac"
T reinvite.no_require           fail uac $R fa_reinvite.xml "$FAST" "-set fa_req_name X-No-Require" "$NOMATCH"
T reinvite.early                fail uac $R fa_reinvite.xml "$FAST" "-set fa_refresh_ms 2000" "$UNEXP"
T reinvite.late                 fail uac $R fa_reinvite.xml "$FAST" "-set fa_refresh_ms 4000" "$LATE"
T reinvite.refresh_says_uas     fail uac $R fa_reinvite.xml "$FAST" "-set fa_rr uas" "refresher=uas"
T reinvite.sdp_version_changed  fail uac $R fa_reinvite.xml "$FAST" "-set fa_o2 1001" "strcmp r_o"
T reinvite.no_min_se            fail uac $R fa_reinvite.xml "$FAST" "-set fa_mse_name X-No-Min-SE" "$NOMATCH"
T reinvite.update_instead       fail uac $R fa_update.xml   "$FAST" "" "$UNEXP"

# uac_app_refreshes_update.xml
U=uac_app_refreshes_update.xml
T update.ok                     pass uac $U fa_update.xml   "$FAST" ""
T update.with_content_type      fail uac $U fa_update.xml   "$FAST" "-set fa_uhdr 'Content-Type: application/sdp'" "$MATCHED"
T update.refresh_says_uas       fail uac $U fa_update.xml   "$FAST" "-set fa_rr uas" "refresher=uas"
T update.late                   fail uac $U fa_update.xml   "$FAST" "-set fa_refresh_ms 4000" "$LATE"
T update.reinvite_instead       fail uac $U fa_reinvite.xml "$FAST" "" "$UNEXP"

# uac_no_refresh_bye.xml (SE 6: BYE expected 4000 ms after the 200, window 3300..4700)
N=uac_no_refresh_bye.xml
T no_refresh_bye.ok             pass uac $N fa_expire.xml "$FAST" "-set fa_bye_ms 4000"
T no_refresh_bye.early          fail uac $N fa_expire.xml "$FAST" "-set fa_bye_ms 3000" "$UNEXP"
T no_refresh_bye.late           fail uac $N fa_expire.xml "$FAST" "-set fa_bye_ms 5000" "$LATE"
T no_refresh_bye.bye_no_supported fail uac $N fa_expire.xml "$FAST" "-set fa_bye_ms 4000 -set fa_sup_name X-No-Supported" "$NOMATCH"
T no_refresh_bye.200_says_uas   fail uac $N fa_expire.xml "$FAST" "-set fa_bye_ms 4000 -set fa_r uas" "refresher=uas"

# uac_refresh_moves_expiry.xml (SIPp refreshes at 3 s; BYE expected 4000 ms after the refresh)
M=uac_refresh_moves_expiry.xml
T moves_expiry.ok               pass uac $M fa_refresh_expire.xml "$FAST" "-set fa_bye_ms 4000"
T moves_expiry.bye_at_original_expiry fail uac $M fa_refresh_expire.xml "$FAST" "-set fa_bye_ms 1000" "$UNEXP"
T moves_expiry.late             fail uac $M fa_refresh_expire.xml "$FAST" "-set fa_bye_ms 5000" "$LATE"

# uac_491_on_refresh.xml (fa_bye_ms is the fake's retry delay after the 491)
G=uac_491_on_refresh.xml
T 491.ok                        pass uac $G fa_491.xml "$FAST" "-set fa_bye_ms 1500"
T 491.retry_immediately         pass uac $G fa_491.xml "$FAST" "-set fa_bye_ms 0"
T 491.retry_too_late            fail uac $G fa_491.xml "$FAST" "-set fa_bye_ms 3000" "$LATE"
T 491.retry_same_cseq           fail uac $G fa_491.xml "$FAST" "-set fa_bye_ms 500 -set fa_cseq2 1" "q_cseq_d"

# uac_refresh_no_answer.xml (fake app retransmits its re-INVITE twice, BYE fa_bye_ms after it)
A=uac_refresh_no_answer.xml
T no_answer.ok                  pass uac $A fa_noanswer.xml "$FAST -set bye_lo_ms 1800 -set bye_hi_ms 3200" "-set fa_bye_ms 2500"
T no_answer.default_window      pass uac $A fa_noanswer.xml "$FAST -set bye_tol_ms 1000" "-set fa_bye_ms 1500"
T no_answer.early               fail uac $A fa_noanswer.xml "$FAST -set bye_lo_ms 1800 -set bye_hi_ms 3200" "-set fa_bye_ms 1500" "$UNEXP"
T no_answer.late                fail uac $A fa_noanswer.xml "$FAST -set bye_lo_ms 1800 -set bye_hi_ms 3200" "-set fa_bye_ms 4500" "$LATE"

# uac_compact_header.xml
T compact.ok                    pass uac uac_compact_header.xml fa_answer.xml "-set se 6" ""
T compact.no_se_in_200          fail uac uac_compact_header.xml fa_answer.xml "-set se 6" "-set fa_se_name X-No-SE" "$NOMATCH"

# uac_no_timer_support.xml (correct app: no Session-Expires, no Require: timer)
NT="-set fa_se_name X-No-SE -set fa_req_name X-No-Require"
T no_timer.ok                   pass uac uac_no_timer_support.xml fa_answer.xml "-set hold_ms 500" "$NT"
T no_timer.se_present           fail uac uac_no_timer_support.xml fa_answer.xml "-set hold_ms 500" "-set fa_req_name X-No-Require" "$MATCHED"
T no_timer.require_timer        fail uac uac_no_timer_support.xml fa_answer.xml "-set hold_ms 500" "-set fa_se_name X-No-SE" "$MATCHED"
T no_timer.no_supported         fail uac uac_no_timer_support.xml fa_answer.xml "-set hold_ms 500" "$NT -set fa_sup_name X-No-Supported" "$NOMATCH"

# uac_malformed_se.xml
T malformed.ok                  pass uac uac_malformed_se.xml fa_400.xml "" ""
T malformed.reason_without_header fail uac uac_malformed_se.xml fa_400.xml "" "-set fa_reason 'Bad Request'" "$NOMATCH"
T malformed.answered_200        fail uac uac_malformed_se.xml fa_answer.xml "" "" "$UNEXP"

# uac_cancel.xml
T cancel.ok                     pass uac uac_cancel.xml fa_cancel.xml "" ""
T cancel.200_not_for_cancel     fail uac uac_cancel.xml fa_cancel.xml "" "-set fa_cancel_method INVITE" "$NOMATCH"

# load_uac.xml, one call (load.sh runs it under load below); fa_200_twice sends the INVITE's 200 again after
# the BYE. Message 9 waits for the second 200 after the BYE: the repeated 200 was skipped, no answer came.
L="-set se 6 -set hold_ms 300 -recv_timeout 3000"
T load_uac.ok                   pass uac load_uac.xml fa_answer.xml "$L" ""
T load_uac.invite_200_again     pass uac load_uac.xml fa_200_twice.xml "$L" ""
T load_uac.bye_not_answered     fail uac load_uac.xml fa_200_twice.xml "$L" "-set fa_bye_answer no" "receive timeout on message load_uac:9"

# RFC floor (SE = 90 s: refresh at 45 s, BYE at 60 s), default tolerances; about 65 s each, run with SLOW=1
if [ "$SLOW" = 1 ]; then
  T rfc_floor.no_refresh_bye_at_60s   pass uac uac_no_refresh_bye.xml fa_expire.xml "-set se 90" "-set fa_bye_ms 60000" "" 90
  T rfc_floor.bye_at_45s_fails        fail uac uac_no_refresh_bye.xml fa_expire.xml "-set se 90" "-set fa_bye_ms 45000" "$UNEXP" 90
  T rfc_floor.app_reinvite_at_45s     pass uac uac_app_refreshes_reinvite.xml fa_reinvite.xml "-set se 90" "-set fa_refresh_ms 45000" "" 90
  T rfc_floor.uas_refresh_at_45s      pass uas uas_with_timer.xml fa_uac_caller.xml "" "-set fa_se 90 -set fa_mse 90 -set fa_refresh_ms 45000" "" 90
fi

# ---------------------------------------------------------------------------------------------
run_test() { # $1 = index
  local i=$1 name=${NAMES[$1]} expect=${EXPECTS[$1]} role=${ROLES[$1]} reason=${REASONS[$1]} tmo=${TMOS[$1]}
  local scen="$S/${SCENS[$1]}" fake="$F/${FAKES[$1]}"
  local p_srv=$(( BASE_PORT + 2 * i )) p_cli=$(( BASE_PORT + 2 * i + 1 ))
  local d="$WORK/$name"; mkdir -p "$d"
  local -a sargs fargs
  eval "sargs=(${SARGS[$1]})"; eval "fargs=(${FARGS[$1]})"
  local -a common=(-t "$TRANSPORT" -i 127.0.0.1 -bind_local -m 1 -timeout "$tmo" -timeout_error -nostdin)
  local -a s_opts=(-trace_err -error_file "$d/scenario_errors.log" -trace_logs -log_file "$d/scenario_logs.log"
                   -trace_msg -message_file "$d/scenario_messages.log")
  local -a f_opts=(-trace_err -error_file "$d/fake_errors.log" -trace_msg -message_file "$d/fake_messages.log")
  local rc=0 fpid
  if [ "$role" = uac ]; then
    ( cd "$d" && exec sipp -sf "$fake" "${common[@]}" -p "$p_srv" "${f_opts[@]}" "${fargs[@]}" ) >"$d/fake.out" 2>&1 &
    fpid=$!
    sleep 0.5
    ( cd "$d" && exec sipp -sf "$scen" "${common[@]}" -p "$p_cli" "${s_opts[@]}" "${sargs[@]}" "127.0.0.1:$p_srv" ) \
      >"$d/scenario.out" 2>&1 || rc=$?
  else
    ( cd "$d" && exec sipp -sf "$scen" "${common[@]}" -p "$p_srv" "${s_opts[@]}" "${sargs[@]}" ) >"$d/scenario.out" 2>&1 &
    local spid=$!
    sleep 0.5
    ( cd "$d" && exec sipp -sf "$fake" "${common[@]}" -p "$p_cli" "${f_opts[@]}" "${fargs[@]}" "127.0.0.1:$p_srv" ) \
      >"$d/fake.out" 2>&1 &
    fpid=$!
    wait "$spid" || rc=$?
  fi
  # the fake app normally ends with the scenario; give it 5 s, then stop it (only our own pid)
  local n=0
  while kill -0 "$fpid" 2>/dev/null && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
  kill "$fpid" 2>/dev/null || true
  wait "$fpid" 2>/dev/null || true

  local verdict why=""
  local first_err=""
  [ -s "$d/scenario_errors.log" ] && first_err=$(grep -v '^The following events occurred' "$d/scenario_errors.log" | head -1 | cut -c1-160)
  if [ "$expect" = pass ]; then
    if [ $rc -eq 0 ]; then verdict=ok; else verdict=WRONG; why="expected exit 0, got $rc: $first_err"; fi
  else
    if [ $rc -eq 0 ]; then verdict=WRONG; why="expected a failure, got exit 0"
    elif [ -n "$reason" ] && ! grep -qF -- "$reason" "$d/scenario_errors.log" 2>/dev/null; then
      verdict=WRONG; why="exit $rc but the error log lacks '$reason': $first_err"
    else verdict=ok; why="exit $rc: $first_err"; fi
  fi
  printf '%s|%s|%s|%s|%s\n' "$verdict" "$name" "$expect" "$rc" "$why" >"$d/result"
}

# ---------------------------------------------------------------------------------------------
# load.sh against a fake app and a stub /api/calls (needs python3 for the stub HTTP server)
run_load_test() { # $1 name, $2 expect, $3 JSON served as /api/calls, $4 fake args, $5 port offset
  local name=$1 expect=$2 json=$3 fa=$4 off=$5
  local d="$WORK/$name"; mkdir -p "$d/www/api"
  printf '%s' "$json" >"$d/www/api/calls"
  local p_app=$(( BASE_PORT - 10 - off * 3 )) p_cli=$(( BASE_PORT - 11 - off * 3 )) p_http=$(( BASE_PORT - 12 - off * 3 ))
  local -a fargs; eval "fargs=($fa)"
  ( cd "$d/www" && exec timeout 60 python3 -m http.server "$p_http" --bind 127.0.0.1 ) >"$d/http.out" 2>&1 &
  local hpid=$!
  ( cd "$d" && exec sipp -sf "$F/fa_answer.xml" -t "$TRANSPORT" -i 127.0.0.1 -bind_local -p "$p_app" -m 20 \
      -timeout 40 -timeout_error -nostdin "${fargs[@]}" ) >"$d/fake.out" 2>&1 &
  local fpid=$!
  sleep 0.7
  local rc=0
  CALLS=20 RATE=20 LIMIT=10 SE=6 HOLD_MS=300 SIP_PORT=$p_app LOCAL_PORT=$p_cli HTTP_PORT=$p_http \
    TRANSPORT=$TRANSPORT DRAIN_TIMEOUT=2 SIPP_TIMEOUT=30 OUT_DIR="$d/out" "$S/load.sh" >"$d/load.out" 2>&1 || rc=$?
  local n=0
  while kill -0 "$fpid" 2>/dev/null && [ $n -lt 30 ]; do sleep 0.1; n=$((n + 1)); done
  kill "$fpid" "$hpid" 2>/dev/null || true
  wait "$fpid" "$hpid" 2>/dev/null || true
  local summary; summary=$(grep -E '^(successful|failed|active)' "$d/load.out" | tr -s ' ' | paste -sd ',' -)
  local verdict=ok
  if { [ "$expect" = pass ] && [ $rc -ne 0 ]; } || { [ "$expect" = fail ] && [ $rc -ne 1 ]; }; then verdict=WRONG; fi
  printf '%s|%s|%s|%s|%s\n' "$verdict" "$name" "$expect" "$rc" "$summary" >"$d/result"
}

# ---------------------------------------------------------------------------------------------
echo "selftest: ${#NAMES[@]} scenario tests, transport $TRANSPORT, $JOBS in parallel, logs in $WORK"
running=0
for i in "${!NAMES[@]}"; do
  run_test "$i" &
  running=$((running + 1))
  if [ $running -ge "$JOBS" ]; then wait -n || true; running=$((running - 1)); fi
done
wait || true

LOADS=()
if command -v python3 >/dev/null 2>&1; then
  if selected load.ok; then run_load_test load.ok pass '[]' "" 0; LOADS+=(load.ok); fi
  if selected load.sessions_left; then run_load_test load.sessions_left fail '[{"callId":"x"}]' "" 1; LOADS+=(load.sessions_left); fi
  if selected load.failed_calls; then run_load_test load.failed_calls fail '[]' "-set fa_req_name X-No-Require" 2; LOADS+=(load.failed_calls); fi
else
  echo "selftest: python3 missing, load.sh tests skipped"
fi

bad=0; total=0
printf '%-42s %-6s %-5s %s\n' TEST EXPECT EXIT RESULT
for name in "${NAMES[@]}" "${LOADS[@]}"; do
  total=$((total + 1))
  r="$WORK/$name/result"
  if [ ! -s "$r" ]; then printf '%-42s %-6s %-5s %s\n' "$name" "?" "?" "WRONG (no result)"; bad=$((bad + 1)); continue; fi
  IFS='|' read -r verdict n expect rc why <"$r"
  printf '%-42s %-6s %-5s %s %s\n' "$n" "$expect" "$rc" "$verdict" "${why:+- $why}"
  [ "$verdict" = ok ] || bad=$((bad + 1))
done
echo "selftest: $((total - bad))/$total behaved as expected (logs: $WORK)"
if [ $bad -eq 0 ] && [ "$KEEP" != 1 ]; then rm -rf "$WORK"; fi
[ $bad -eq 0 ]
