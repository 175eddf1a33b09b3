#!/usr/bin/env python3
"""Number crunching for sipp/bench.sh (standard library only).

Each sub-command reads raw files written during a benchmark run and appends one JSON object (one line) to a
results file; `report` turns that file into the Markdown summary. bench.sh passes everything explicitly, so a
step can be recomputed by hand from the output directory:

  stats.py load    RESULTS PART LABEL DIR HOLD_MS key=value...   SIPp load step (stat CSV + rtt CSV in DIR)
  stats.py timing  RESULTS LABEL DIR LOGKEY EXPECTED_MS key=value... timer accuracy from SIPp <log> lines
  stats.py record  RESULTS PART LABEL key=value...               any other figures (held sessions, notes)
  stats.py jfr     JFR_PRINT_OUTPUT [N]                          top frames of jdk.ExecutionSample events
  stats.py report  RESULTS                                       Markdown tables on stdout

Values of key=value arguments that look like numbers are stored as numbers.
"""
import csv
import glob
import json
import math
import os
import re
import sys
from collections import Counter


def num(v):
    try:
        if re.fullmatch(r"-?\d+", v):
            return int(v)
        f = float(v)
        return f if math.isfinite(f) else v
    except (TypeError, ValueError):
        return v


def kv(args):
    out = {}
    for a in args:
        if "=" in a:
            k, v = a.split("=", 1)
            out[k] = num(v)
    return out


def append(results, obj):
    with open(results, "a", encoding="utf-8") as f:
        f.write(json.dumps(obj, sort_keys=True) + "\n")


def pct(sorted_vals, p):
    """Nearest-rank percentile of an ascending list."""
    if not sorted_vals:
        return None
    k = max(0, min(len(sorted_vals) - 1, math.ceil(p / 100.0 * len(sorted_vals)) - 1))
    return sorted_vals[k]


def dist(vals, prefix):
    vals = sorted(vals)
    if not vals:
        return {prefix + "_n": 0}
    return {
        prefix + "_n": len(vals),
        prefix + "_mean": round(sum(vals) / len(vals), 3),
        prefix + "_p50": round(pct(vals, 50), 3),
        prefix + "_p99": round(pct(vals, 99), 3),
        prefix + "_max": round(vals[-1], 3),
        prefix + "_min": round(vals[0], 3),
    }


def epoch_of(field):
    # SIPp writes "YYYY-MM-DD<TAB>HH:MM:SS.us<TAB>epoch.us"
    parts = field.split("\t")
    return float(parts[-1])


def read_stat(path):
    """Header and last row of a SIPp -trace_stat CSV (';'-separated)."""
    with open(path, encoding="latin-1") as f:
        rows = list(csv.reader(f, delimiter=";"))
    rows = [r for r in rows if r]
    if len(rows) < 2:
        return None
    header, last = rows[0], rows[-1]
    return dict(zip(header, last)), rows


def rtt_values(d, rtd_no):
    vals = []
    for path in glob.glob(os.path.join(d, "*_rtt.csv")):
        with open(path, encoding="latin-1") as f:
            for line in f:
                p = line.strip().split(";")
                if len(p) == 3 and p[2] == str(rtd_no):
                    try:
                        vals.append(float(p[1]))
                    except ValueError:
                        pass
    return vals


def cmd_load(results, part, label, d, hold_ms, extra):
    rec = {"part": part, "label": label, "dir": d}
    rec.update(kv(extra))
    stat = glob.glob(os.path.join(d, "stat.csv"))
    st = read_stat(stat[0]) if stat else None
    if st is None:
        rec["error"] = "no SIPp statistics"
        append(results, rec)
        return
    last, rows = st
    g = lambda k: num(last.get(k, "")) if last.get(k, "") != "" else None
    start = epoch_of(last["StartTime"])
    end = epoch_of(last["CurrentTime"])
    elapsed = end - start
    ok = g("SuccessfulCall(C)") or 0
    rec.update({
        "attempted": g("OutgoingCall(C)"),
        "successful": ok,
        "failed": g("FailedCall(C)"),
        "retransmissions": g("Retransmissions(C)"),
        "failed_max_udp_retrans": g("FailedMaxUDPRetrans(C)"),
        "failed_unexpected_msg": g("FailedUnexpectedMessage(C)"),
        "failed_recv_timeout": g("FailedTimeoutOnRecv(C)"),
        "failed_regexp": g("FailedRegexpDoesntMatch(C)"),
        "dead_call_msgs": g("DeadCallMsgs(C)"),
        "out_of_call_msgs": g("OutOfCallMsgs(C)"),
        "sipp_elapsed_s": round(elapsed, 3),
    })
    # elapsed less the hold of the last call, kept for reference (stretched by calls that fail on a timeout)
    busy = elapsed - float(hold_ms) / 1000.0
    rec["completion_cps"] = round(ok / busy, 1) if busy > 0 else None
    # time at which SIPp had started every call: shows when the generator itself falls behind
    target = g("OutgoingCall(C)")
    for r in rows[1:]:
        row = dict(zip(rows[0], r))
        if num(row.get("OutgoingCall(C)", "0")) == target:
            gen = epoch_of(row["CurrentTime"]) - start
            rec["generation_s"] = round(gen, 2)
            rec["generated_cps"] = round(target / gen, 1) if gen > 0 else None
            break
    rec["achieved_cps"] = achieved(rec)
    rec.update(dist(rtt_values(d, 1), "setup_ms"))
    rec.update(dist(rtt_values(d, 2), "rtd2_ms"))
    append(results, rec)


def achieved(r):
    """Successful calls per second of load: successful calls / the time SIPp took to start them all, at least the
    offered duration (calls / rate). A generator held back by -l (calls piling up) stretches that time."""
    ok, calls, rate, gen = r.get("successful"), r.get("attempted"), r.get("rate"), r.get("generation_s")
    if not isinstance(ok, int) or not calls or not rate:
        return None
    span = max(float(gen or 0), float(calls) / float(rate))
    return round(ok / span, 1) if span > 0 else None


def cmd_timing(results, label, d, key, expected_ms, extra):
    rec = {"part": "d", "label": label, "dir": d, "expected_ms": float(expected_ms)}
    rec.update(kv(extra))
    vals = []
    pat = re.compile(re.escape(key) + r"=(-?[0-9.]+)")
    for path in glob.glob(os.path.join(d, "*logs.log")):
        with open(path, encoding="latin-1") as f:
            for line in f:
                m = pat.search(line)
                if m:
                    vals.append(float(m.group(1)) - float(expected_ms))
    rec.update(dist(vals, "err_ms"))
    rec["abs_err_max_ms"] = round(max((abs(v) for v in vals), default=0.0), 3) if vals else None
    rec["within_50ms"] = sum(1 for v in vals if abs(v) <= 50.0)
    # the same from SIPp's own rtd 2 (1 ms resolution), as a cross-check
    rtd = [v - float(expected_ms) for v in rtt_values(d, 2)]
    rec.update(dist(rtd, "rtd_err_ms"))
    stat = glob.glob(os.path.join(d, "stat.csv"))
    st = read_stat(stat[0]) if stat else None
    if st:
        last = st[0]
        rec["successful"] = num(last.get("SuccessfulCall(C)", "0"))
        rec["failed"] = num(last.get("FailedCall(C)", "0"))
        rec["retransmissions"] = num(last.get("Retransmissions(C)", "0"))
    rec.update(dist(rtt_values(d, 1), "setup_ms"))
    append(results, rec)


def cmd_record(results, part, label, extra):
    rec = {"part": part, "label": label}
    rec.update(kv(extra))
    append(results, rec)


def cmd_jfr(path, n):
    """Top-of-stack frames and the busiest application frames anywhere in the stack."""
    top, incl, threads = Counter(), Counter(), Counter()
    total = 0
    frames, in_stack, thread = [], False, None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            s = line.strip()
            if s.startswith("jdk.ExecutionSample"):
                frames, in_stack, thread = [], False, None
            elif s.startswith("sampledThread"):
                m = re.search(r'"([^"]*)"', s)
                thread = m.group(1) if m else s
            elif s.startswith("stackTrace = ["):
                in_stack = True
            elif in_stack and s.startswith("]"):
                in_stack = False
            elif in_stack and s and s != "...":
                frames.append(re.sub(r"\s+line:.*$", "", s))
            elif s == "}" and frames:
                total += 1
                top[frames[0]] += 1
                for fr in set(frames):
                    if fr.startswith(("org.sessiontimer", "gov.nist", "org.apache.camel", "ch.qos.logback")):
                        incl[fr] += 1
                if thread:
                    threads[re.sub(r"\d+", "#", thread)] += 1
                frames = []
    print(f"samples: {total}")
    print(f"\ntop {n} frames (self, % of samples):")
    for fr, c in top.most_common(n):
        print(f"  {100.0 * c / max(total, 1):5.1f}%  {fr}")
    print(f"\ntop {n} application/library frames (inclusive, % of samples):")
    for fr, c in incl.most_common(n):
        print(f"  {100.0 * c / max(total, 1):5.1f}%  {fr}")
    print("\nsamples by thread (digits folded):")
    for t, c in threads.most_common(12):
        print(f"  {100.0 * c / max(total, 1):5.1f}%  {t}")


def fmt(v, nd=1):
    if v is None or v == "":
        return "-"
    if isinstance(v, float):
        return f"{v:.{nd}f}"
    return str(v)


def mib(b):
    return "-" if b in (None, "", "?") else f"{float(b) / 1048576:.1f}"


def cmd_report(results):
    recs = []
    with open(results, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                recs.append(json.loads(line))
    out = []
    p = lambda s="": out.append(s)

    info = [r for r in recs if r.get("part") == "info"]
    for r in info:
        p("Run: " + ", ".join(f"{k}={v}" for k, v in sorted(r.items()) if k not in ("part", "label")))
    p()

    for part, title, app in (("a", "a. Baseline: SIPp UAC (load_uac.xml) -> SIPp UAS (selftest/fa_answer.xml)", False),
                             ("b", "b. The app (session timers on, SE = LOAD_SE) with the same steps", True)):
        rows = [r for r in recs if r.get("part") == part and r.get("label", "").startswith(("step", "profile"))]
        if not rows:
            continue
        p(f"### {title}")
        p()
        hdr = "| offered cps | calls | successful | failed | achieved cps | SIPp generated cps | retrans | setup mean / p50 / p99 / max ms |"
        sep = "|---|---|---|---|---|---|---|---|"
        if app:
            hdr += " app CPU % | app UDP drops | active after (s to drain) | heap after GC MiB |"
            sep += "---|---|---|---|"
        else:
            hdr += " UAS CPU % | UAS UDP drops |"
            sep += "---|---|"
        hdr += " UAC CPU % |"
        sep += "---|"
        p(hdr)
        p(sep)
        for r in rows:
            r["achieved_cps"] = achieved(r)
            rate = f"{r.get('rate')} (JFR on, extra step)" if r.get("label", "").startswith("profile") else r.get("rate")
            line = (f"| {rate} | {fmt(r.get('attempted'))} | {fmt(r.get('successful'))} | {fmt(r.get('failed'))} | "
                    f"{fmt(r.get('achieved_cps'))} | {fmt(r.get('generated_cps'))} | {fmt(r.get('retransmissions'))} | "
                    f"{fmt(r.get('setup_ms_mean'), 2)} / {fmt(r.get('setup_ms_p50'), 0)} / {fmt(r.get('setup_ms_p99'), 0)} / "
                    f"{fmt(r.get('setup_ms_max'), 0)} |")
            if app:
                line += (f" {fmt(r.get('app_cpu_pct'), 0)} | {fmt(r.get('udp_drops'))} | {fmt(r.get('active_after'))} ({fmt(r.get('drain_s'))} s) | "
                         f"{mib(r.get('heap_after_gc_bytes'))} |")
            else:
                line += f" {fmt(r.get('uas_cpu_pct'), 0)} | {fmt(r.get('udp_drops'))} |"
            line += f" {fmt(r.get('uac_cpu_pct'), 0)} |"
            p(line)
        for r in recs:
            if r.get("part") == part and r.get("label") == "heap_start":
                p()
                p(f"App heap after full GC before the first step: {mib(r.get('heap_after_gc_bytes'))} MiB.")
        p()

    rows = [r for r in recs if r.get("part") == "c"]
    if rows:
        p("### c. Held sessions (SE = HELD_SE, no refresh or expiry during the hold)")
        p()
        p("| target sessions | setup cps | held (GET /api/calls) | SIPp failed | heap empty MiB | heap held MiB | bytes / session | active after (s to drain) | heap after, settled, MiB | note |")
        p("|---|---|---|---|---|---|---|---|---|---|")
        for r in rows:
            if r.get("label") == "empty":
                continue
            p(f"| {fmt(r.get('target'))} | {fmt(r.get('rate'))} | {fmt(r.get('held'))} | {fmt(r.get('failed'))} | "
              f"{mib(r.get('heap_empty_bytes'))} | {mib(r.get('heap_held_bytes'))} | {fmt(r.get('bytes_per_session'), 0)} | "
              f"{fmt(r.get('active_after'))} ({fmt(r.get('drain_s'))} s) | {mib(r.get('heap_after_bytes'))} | {r.get('note', '')} |")
        held = [r for r in rows if isinstance(r.get("held"), int) and isinstance(r.get("heap_held_bytes"), int)]
        if len(held) >= 2:
            a, b = held[0], held[-1]
            if b["held"] != a["held"]:
                slope = (b["heap_held_bytes"] - a["heap_held_bytes"]) / (b["held"] - a["held"])
                p()
                p(f"Marginal heap per session between {a['held']} and {b['held']} held sessions: {slope:.0f} bytes.")
        p()

    rows = [r for r in recs if r.get("part") == "d"]
    if rows:
        p("### d. Timer accuracy with many sessions (error = arrival at SIPp - schedule, measured from SIPp's receipt of the 200)")
        p()
        p("| what | sessions | SE s | schedule ms | measured | error mean ms | p50 | p99 | max | min | within 50 ms | SIPp rtd (4 ms steps) mean / p99 / max | SIPp failed | app CPU % | active after | note |")
        p("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for r in rows:
            p(f"| {r.get('label')} | {fmt(r.get('sessions'))} | {fmt(r.get('se'))} | {fmt(r.get('expected_ms'), 0)} | "
              f"{fmt(r.get('err_ms_n'))} | {fmt(r.get('err_ms_mean'), 1)} | {fmt(r.get('err_ms_p50'), 1)} | "
              f"{fmt(r.get('err_ms_p99'), 1)} | {fmt(r.get('err_ms_max'), 1)} | {fmt(r.get('err_ms_min'), 1)} | "
              f"{fmt(r.get('within_50ms'))} | {fmt(r.get('rtd_err_ms_mean'), 1)} / {fmt(r.get('rtd_err_ms_p99'), 0)} / "
              f"{fmt(r.get('rtd_err_ms_max'), 0)} | {fmt(r.get('failed'))} | {fmt(r.get('app_cpu_pct'), 0)} | {fmt(r.get('active_after'))} | {r.get('note', '')} |")
        p()

    notes = [r for r in recs if r.get("part") == "note"]
    if notes:
        p("### Notes from the run")
        p()
        for r in notes:
            p(f"- {r.get('text', '')}")
        p()
    print("\n".join(out))


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    c = argv[1]
    if c == "load":
        cmd_load(argv[2], argv[3], argv[4], argv[5], argv[6], argv[7:])
    elif c == "timing":
        cmd_timing(argv[2], argv[3], argv[4], argv[5], argv[6], argv[7:])
    elif c == "record":
        cmd_record(argv[2], argv[3], argv[4], argv[5:])
    elif c == "jfr":
        cmd_jfr(argv[2], int(argv[3]) if len(argv) > 3 else 20)
    elif c == "report":
        cmd_report(argv[2])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
