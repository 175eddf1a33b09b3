package org.sessiontimer.camel.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.sessiontimer.camel.core.TimerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code maxSessionDuration}: ends with BYE a call that runs without a session timer for that long after it began. A
 * session timer ends a dead call by itself (R9); a call without one (a peer without timer support, mode optional)
 * would otherwise stay until someone hangs up, holding its state forever. Calls with a running timer cost nothing
 * here: one scheduled task is kept only for each call that has no timer.
 */
public final class SessionDurationLimit {

    private static final Logger LOG = LoggerFactory.getLogger(AdmissionControl.LOGGER);

    /** What the limit needs to know of a call, and how it ends one. */
    public interface Call {
        String callId();

        /** When the call began, wall-clock epoch milliseconds (as {@code SipCall.createdAtMillis}). */
        long startedAtMillis();

        /** False once the call has ended. */
        boolean isActive();

        boolean hasSessionTimer();

        /** Ends the call (BYE) for this reason. */
        void end(String reason);
    }

    private final long maxMillis;
    private final TimerScheduler scheduler;
    private final LimitStats stats;
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();

    /** {@code maxSeconds = 0}: no limit. */
    public SessionDurationLimit(long maxSeconds, TimerScheduler scheduler, LimitStats stats) {
        if (maxSeconds < 0) {
            throw new IllegalArgumentException("maxSessionDuration must be >= 0 seconds (0: no limit), was " + maxSeconds);
        }
        this.maxMillis = maxSeconds * 1000;
        this.scheduler = scheduler;
        this.stats = stats;
    }

    /**
     * After a call was confirmed or refreshed: watches it when it runs without a session timer. Its deadline counts
     * from when it began, also when it lost its timer later.
     */
    public void check(Call call) {
        if (maxMillis <= 0 || call.hasSessionTimer() || watches.containsKey(call.callId())) {
            return;
        }
        Watch watch = new Watch(call);
        if (watches.putIfAbsent(call.callId(), watch) != null) {
            return;
        }
        long delay = Math.max(0, call.startedAtMillis() + maxMillis - scheduler.epochMillis());
        watch.arm(scheduler.schedule(watch::reached, delay));
        if (!call.isActive()) {
            forget(call.callId()); // it ended while we armed
        }
    }

    /** After a call ended: nothing of it stays scheduled. */
    public void forget(String callId) {
        Watch watch = watches.remove(callId);
        if (watch != null) {
            watch.cancel();
        }
    }

    /** Calls watched now: those without a session timer. */
    public int watchedCalls() {
        return watches.size();
    }

    private final class Watch {
        private final Call call;
        private TimerScheduler.Cancellable task;
        private boolean cancelled;

        Watch(Call call) {
            this.call = call;
        }

        synchronized void arm(TimerScheduler.Cancellable scheduled) {
            task = scheduled;
            if (cancelled) {
                scheduled.cancel();
            }
        }

        synchronized void cancel() {
            cancelled = true;
            if (task != null) {
                task.cancel();
            }
        }

        void reached() {
            watches.remove(call.callId(), this);
            if (call.isActive() && !call.hasSessionTimer()) {
                stats.record(Limit.MAX_SESSION_DURATION);
                LOG.info("Call-ID={} ran {} s without a session timer (maxSessionDuration); ending it with BYE",
                        call.callId(), maxMillis / 1000);
                call.end("maxSessionDuration " + maxMillis / 1000 + " s reached without a session timer");
            }
        }
    }
}
