#!/usr/bin/env python3
"""Times for sipp/bench-cluster.sh's adoption part.

  trace_times.py first-due CALLS_JSON OWNER
      the earliest nextRefresh (epoch ms) of the calls GET /api/calls lists for OWNER, and their Call-IDs in
      CALLS_JSON.victim (one per line)
  trace_times.py adoption MESSAGE_LOG CALL_IDS KILLED_MS
      key=value pairs: how long after KILLED_MS the first and the last of those calls got a refresh re-INVITE
      (SIPp's message log, -trace_msg: every message under a separator line with its local time), how many got
      one, and how many got more than one, before or after the kill (the scenario asks for one: each is a refresh)
  trace_times.py sipp-failures ERROR_LOG
      key=value counts of the calls SIPp failed (its -trace_err log), by what failed them: an ACK it did not expect,
      a second refresh in the interval, no refresh in time, anything else
"""
import datetime
import json
import re
import sys

SEPARATOR = "-----------------------------------------------"


def messages(path):
    """(epoch ms, received?, start line, {lower-case header name: first value}) per traced message."""
    with open(path, encoding="latin-1") as f:
        lines = f.read().splitlines()
    i = 0
    while i < len(lines):
        if not lines[i].startswith(SEPARATOR):
            i += 1
            continue
        stamp = lines[i][len(SEPARATOR):].strip()
        kind = lines[i + 1].lower() if i + 1 < len(lines) else ""
        i += 2
        while i < len(lines) and not lines[i].strip():
            i += 1
        start = i
        while i < len(lines) and not lines[i].startswith(SEPARATOR):
            i += 1
        if not stamp or "message received" not in kind or start >= i:
            continue
        when = datetime.datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S.%f").timestamp() * 1000
        headers = {}
        for line in lines[start + 1:i]:
            if not line.strip():
                break
            name, _, value = line.partition(":")
            headers.setdefault(name.strip().lower(), value.strip())
        yield when, lines[start].strip(), headers


def first_due(calls_json, owner):
    with open(calls_json, encoding="utf-8") as f:
        calls = [c for c in json.load(f) if c.get("owner") == owner]
    with open(calls_json + ".victim", "w", encoding="utf-8") as f:
        f.writelines(c["callId"] + "\n" for c in calls)
    due = [datetime.datetime.fromisoformat(c["nextRefresh"].replace("Z", "+00:00")).timestamp() * 1000
           for c in calls if c.get("nextRefresh")]
    print(int(min(due)) if due else 0)


def adoption(message_log, call_ids, killed_ms):
    with open(call_ids, encoding="utf-8") as f:
        victims = {line.strip() for line in f if line.strip()}
    refreshes = {}  # Call-ID -> {CSeq: first seen, ms after the kill}: a retransmission is the same refresh
    for when, start, headers in messages(message_log):
        call_id = headers.get("call-id") or headers.get("i")
        sent_by_sipp = (headers.get("from") or headers.get("f") or "").startswith("sipp")
        if start.startswith("INVITE ") and call_id in victims and not sent_by_sipp:
            refreshes.setdefault(call_id, {}).setdefault(headers.get("cseq"), when - killed_ms)
    firsts = sorted(t for v in refreshes.values() for t in v.values() if t >= 0)
    out = {
        "refreshed_after_kill": sum(1 for v in refreshes.values() if max(v.values()) >= 0),
        "refreshes_twice": sum(1 for v in refreshes.values() if len(v) > 1),
        "first_refresh_after_kill_ms": round(firsts[0]) if firsts else None,
        "last_refresh_after_kill_ms": round(firsts[-1]) if firsts else None,
    }
    print(" ".join(f"{k}={v}" for k, v in out.items()))


def sipp_failures(error_log):
    """Why SIPp failed calls of uac_app_refreshes_each_interval.xml, from its -trace_err log."""
    counts = {"failed_on_ack": 0, "failed_on_second_refresh": 0, "failed_no_refresh": 0, "failed_other": 0}
    try:
        with open(error_log, encoding="latin-1") as f:
            text = f.read()
    except FileNotFoundError:
        text = ""
    for m in re.finditer(r"Aborting call on unexpected message for Call-Id '[^']*': while (.*?), received '(\S+)", text):
        where, method = m.groups()
        if method == "ACK":
            counts["failed_on_ack"] += 1
        elif method == "INVITE" and where.startswith("pausing") and "(index 5)" not in where:
            counts["failed_on_second_refresh"] += 1  # a pause after the refresh; index 5 would be an early one
        else:
            counts["failed_other"] += 1
    for m in re.finditer(r"receive timeout on message (\S+)", text):
        counts["failed_no_refresh" if m.group(1).endswith(":6") else "failed_other"] += 1
    print(" ".join(f"{k}={v}" for k, v in counts.items()))


if __name__ == "__main__":
    if sys.argv[1] == "first-due":
        first_due(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "sipp-failures":
        sipp_failures(sys.argv[2])
    else:
        adoption(sys.argv[2], sys.argv[3], float(sys.argv[4]))
