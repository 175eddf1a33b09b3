#!/usr/bin/env python3
"""summary.md of sipp/bench-cluster.sh from its results.jsonl."""
import json
import sys

from stats import fmt


def main(path):
    with open(path, encoding="utf-8") as f:
        recs = [json.loads(line) for line in f if line.strip()]
    out = []
    p = out.append
    best = {}
    latency = {}
    for store in ("memory", "replicated"):
        rows = [r for r in recs if r.get("part") == store and r.get("kind") in ("latency", "step")]
        if not rows:
            continue
        title = ("one node, in-memory store" if store == "memory"
                 else "node 1 of 3, Infinispan store (2 owners, synchronous, transactional)")
        p(f"### Through the front door to {title}")
        p("")
        p("| step | offered cps | calls | successful | failed | achieved cps | setup mean / p50 / p99 ms "
          "| node 1 CPU % | active after |")
        p("|---|---|---|---|---|---|---|---|---|")
        failed_below = False  # a step that passes after a failed one is not a rate the node sustains
        for r in rows:
            p(f"| {r['kind']} | {r.get('rate')} | {r.get('calls')} | {fmt(r.get('successful'))} | "
              f"{fmt(r.get('failed'))} | {fmt(r.get('achieved_cps'))} | {fmt(r.get('setup_ms_mean'), 2)} / "
              f"{fmt(r.get('setup_ms_p50'), 0)} / {fmt(r.get('setup_ms_p99'), 0)} | {fmt(r.get('node1_cpu_pct'))} | "
              f"{fmt(r.get('active_after'))} |")
            if r["kind"] == "latency":
                latency[store] = r
            elif r.get("failed") == 0 and r.get("successful") == r.get("calls"):
                if not failed_below:
                    best[store] = max(best.get(store, 0), r.get("achieved_cps") or 0)
            else:
                failed_below = True
        p("")
    if best:
        p("Highest step with 0 failed calls, and none failed below it: "
          + ", ".join(f"{k} {v} calls/s" for k, v in best.items()))
        if best.get("memory") and "replicated" in best:
            p(f"; replicated / in-memory = {100 * best['replicated'] / best['memory']:.0f} %")
        p("")
    if "memory" in latency and "replicated" in latency:
        m, r = latency["memory"], latency["replicated"]
        if m.get("setup_ms_mean") is not None and r.get("setup_ms_mean") is not None:
            p(f"Added setup latency (INVITE -> 200 at {m.get('rate')} calls/s): mean "
              f"{r['setup_ms_mean'] - m['setup_ms_mean']:+.2f} ms, p99 {r['setup_ms_p99'] - m['setup_ms_p99']:+.0f} ms")
            p("")
    heap = {r["label"]: r for r in recs if r.get("part") == "heap"}
    if heap:
        p("### Heap per replicated copy (heap after full GC, CallRecord instances from a class histogram)")
        p("")
        p("| node | empty heap MiB | held heap MiB | copies held | bytes per copy | calls listed |")
        p("|---|---|---|---|---|---|")
        for n in (1, 2, 3):
            e, h = heap.get(f"empty-{n}"), heap.get(f"held-{n}")
            if not e or not h:
                continue
            copies = (h.get("records") or 0) - (e.get("records") or 0)
            per = None
            if isinstance(h.get("heap"), int) and isinstance(e.get("heap"), int) and copies > 0:
                per = round((h["heap"] - e["heap"]) / copies)
            role = " (holds the live calls too)" if n == 1 else ""
            p(f"| {n}{role} | {e['heap'] / 1048576:.1f} | {h['heap'] / 1048576:.1f} | {copies} | {fmt(per)} | "
              f"{fmt(h.get('listed'))} |")
        p("")
    for r in recs:
        if r.get("part") == "adoption":
            p("### Adoption after SIGKILL")
            p("")
            p(f"node-{r.get('victim')} owned {r.get('victim_calls')} calls; after its SIGKILL the first refresh of "
              f"one of them from another node came {fmt(r.get('first_refresh_after_kill_ms'))} ms later, the last "
              f"{fmt(r.get('last_refresh_after_kill_ms'))} ms; {r.get('refreshed_after_kill')} of them refreshed, "
              f"{r.get('refreshes_twice')} refreshed twice; SIPp: {r.get('successful')} calls successful, "
              f"{r.get('failed')} failed; active after: {r.get('active_after')}")
            if r.get("failed_on_ack") is not None:
                p("")
                p(f"SIPp failed calls on: an ACK it did not expect {r.get('failed_on_ack')}, a second refresh in the "
                  f"interval {r.get('failed_on_second_refresh')}, no refresh in time {r.get('failed_no_refresh')}, "
                  f"other {r.get('failed_other')} (the first two are the adopter's ACK and refresh of a re-INVITE the "
                  f"killed node had in flight, K2: RFC 3261 UAs drop such an ACK, RFC 4028 allows the refresh)")
            p("")
    for r in recs:
        if r.get("part") == "note":
            p(f"NOTE: {r.get('text')}")
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])
