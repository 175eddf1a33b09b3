package org.sessiontimer.camel.core;

import java.util.Objects;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session timer of one dialog (RFC 4028 §10; R1, R4, R6-R12): tells its {@link Listener}
 * when a refresh is due (we are the refresher) and when the session has expired (no refresh
 * succeeded or arrived in time, whoever was the refresher).
 *
 * <p>Small by design, for 100k concurrent dialogs: a few fields and at most <em>one</em> task on
 * the shared scheduler at any time. While a refresh is due in the future that task is the refresh;
 * when it fires it arms the expiry (the refresh deadline always comes first, R1 &lt; R9).
 *
 * <p>Thread-safety: SIP threads and scheduler threads call in concurrently; every state change
 * holds the instance lock. Each scheduled task carries the generation it was armed for, so a task
 * that fires after a restart or stop (cancel lost the race) does nothing: no double callbacks.
 * Listener callbacks run after the lock is released, since they send SIP messages.
 */
public final class SessionTimer {

    private static final Logger LOG = LoggerFactory.getLogger(SessionTimer.class);

    /** Receives the timer's events on a scheduler thread. Implementations must not block for long. */
    public interface Listener {
        /** R1: we are the refresher and half the interval has passed (or a 491/503 retry is due, R6/R8). */
        void refreshDue(SessionTimer timer);

        /** R9: no refresh by SE - min(32, SE/3): send BYE; the timer has already freed its state. */
        void expired(SessionTimer timer);
    }

    /** What a failed refresh means for the session ({@link #refreshFailed}; R6-R8). */
    public enum RefreshFailure {
        /** R7: 408 or no answer: the session is over; send BYE. The timer has stopped. */
        END_WITH_BYE,
        /** R7: 481: the dialog is gone at the peer; no BYE. The timer has stopped. */
        END_WITHOUT_BYE,
        /** R6 / R8: 491, or 503 with Retry-After before the expiry: {@code refreshDue} fires again then. */
        RETRY_SCHEDULED,
        /** R8: any other failure: the session lives on until its expiry (a refresh may still arrive). */
        CONTINUE_UNTIL_EXPIRY
    }

    private enum State {
        /** No session timer in this dialog (not negotiated, or turned off by a 2xx without SE). */
        IDLE,
        /** Timers armed. */
        RUNNING,
        /** Stopped or expired: terminal (R9, R12). */
        ENDED
    }

    private final String dialogId;
    private final TimerScheduler scheduler;
    private final RandomGenerator random;
    private final Listener listener;

    // guarded by this
    private State state = State.IDLE;
    private long intervalSeconds;
    private boolean weRefresh;
    /** When refreshDue fires next, -1 when none is due (peer refreshes, or it fired already). */
    private long refreshAtMillis = -1;
    private long expiresAtMillis = -1;
    /** The one pending task: for refreshAtMillis if that is set, else for expiresAtMillis. */
    private TimerScheduler.Cancellable pending;
    /** Incremented whenever the pending task is replaced or dropped; a task of an older generation is stale. */
    private int generation;

    public SessionTimer(String dialogId, TimerScheduler scheduler, RandomGenerator random, Listener listener) {
        this.dialogId = Objects.requireNonNull(dialogId, "dialogId");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.random = Objects.requireNonNull(random, "random");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Starts the timers once the session is established with a timer (R1, R9): refresh at SE/2
     * when we refresh, expiry at SE - min(32, SE/3) in any case, counted from now.
     */
    public void start(long intervalSeconds, boolean weRefresh) {
        long expiryDelay;
        synchronized (this) {
            if (state == State.ENDED) {
                LOG.debug("Not starting session timer of ended dialog {}", dialogId);
                return;
            }
            expiryDelay = arm(intervalSeconds, weRefresh);
        }
        if (LOG.isInfoEnabled()) {
            LOG.info("Started session timer sessionExpires={} expiryWarning={} weAreRefresher={} dialogId={}",
                    intervalSeconds, seconds(expiryDelay), weRefresh, dialogId);
        }
    }

    /**
     * K2: re-arms the timer of a call taken over from another node, from the deadlines that node stored (already in
     * scheduler time). A refresh that fell due in the gap fires at once, as does an expiry already past; a refresh
     * the other node had started but not seen answered ({@code refreshAtMillis} -1 while we refresh) is sent again at
     * once, since its answer died with that node.
     */
    public void resume(long intervalSeconds, boolean weRefresh, long refreshAtMillis, long expiresAtMillis) {
        if (intervalSeconds < 1 || intervalSeconds > DeltaSeconds.MAX || expiresAtMillis < 0) {
            throw new IllegalArgumentException("cannot resume interval=" + intervalSeconds + " expiresAt="
                                               + expiresAtMillis);
        }
        synchronized (this) {
            if (state == State.ENDED) {
                return;
            }
            cancelPending();
            long now = scheduler.nowMillis();
            state = State.RUNNING;
            this.intervalSeconds = intervalSeconds;
            this.weRefresh = weRefresh;
            this.expiresAtMillis = expiresAtMillis;
            long refreshAt = weRefresh ? (refreshAtMillis >= 0 ? refreshAtMillis : now) : -1;
            // R9 before R1 once the expiry has come: an expired session is not refreshed
            this.refreshAtMillis = refreshAt >= expiresAtMillis || now >= expiresAtMillis ? -1 : refreshAt;
            schedulePending(now);
        }
        LOG.info("Resumed session timer sessionExpires={} weAreRefresher={} refreshIn={} ms expiresIn={} ms dialogId={}",
                intervalSeconds, weRefresh, refreshAtMillis < 0 ? -1 : refreshAtMillis - scheduler.nowMillis(),
                expiresAtMillis - scheduler.nowMillis(), dialogId);
    }

    /**
     * R4 / R11: a 2xx to a refresh or other re-INVITE/UPDATE we sent, with the interval and
     * refresher it negotiated: both timers restart from now. Also starts a timer that was off.
     */
    public void refreshSucceeded(long intervalSeconds, boolean weRefresh) {
        restart(intervalSeconds, weRefresh, "Session refresh successful");
    }

    /**
     * R10 / R11: we answered the peer's re-INVITE or UPDATE with 2xx: both timers restart from
     * now, with roles as negotiated in that transaction (they may swap).
     */
    public void refreshReceived(long intervalSeconds, boolean weRefresh) {
        restart(intervalSeconds, weRefresh, "Session refresh received");
    }

    /**
     * A refresh we sent failed (R6-R8). A transaction timeout is passed as 408.
     *
     * @param statusCode        the final failure status, 300..699
     * @param retryAfterSeconds the response's Retry-After, if any (used with 503, R8)
     * @param weOwnCallId       whether we generated the Call-ID (sent the initial INVITE), for the 491 back-off (R6)
     * @return what the caller must do; on {@link RefreshFailure#END_WITH_BYE} and
     *         {@link RefreshFailure#END_WITHOUT_BYE} the timer has already stopped
     */
    public RefreshFailure refreshFailed(int statusCode, OptionalLong retryAfterSeconds, boolean weOwnCallId) {
        if (statusCode < 300 || statusCode > 699) {
            throw new IllegalArgumentException("not a failure status: " + statusCode);
        }
        Objects.requireNonNull(retryAfterSeconds, "retryAfterSeconds");
        synchronized (this) {
            if (statusCode == 408 || statusCode == 481) {
                if (state == State.ENDED) {
                    return RefreshFailure.END_WITHOUT_BYE; // ended already: nothing left to send or free
                }
                end();
                // R7: 408 / timeout: the peer is unreachable, the session is over: BYE.
                // R7: 481: the dialog does not exist at the peer: no BYE.
                return statusCode == 408 ? RefreshFailure.END_WITH_BYE : RefreshFailure.END_WITHOUT_BYE;
            }
            if (state != State.RUNNING || !weRefresh) {
                // Not a refresh of ours (R11 counts only successes): nothing changes.
                return RefreshFailure.CONTINUE_UNTIL_EXPIRY;
            }
            long retryDelay = -1;
            if (statusCode == 491) {
                // R6: glare; back off as RFC 3261 §14.1 says.
                retryDelay = SessionTimerDeadlines.requestPendingRetryDelayMillis(weOwnCallId, random);
            } else if (statusCode == 503 && retryAfterSeconds.isPresent()) {
                // R8: the peer told us when to come back.
                retryDelay = Math.max(0, Math.min(retryAfterSeconds.getAsLong(), DeltaSeconds.MAX)) * 1000;
            }
            long now = scheduler.nowMillis();
            if (retryDelay >= 0 && now + retryDelay < expiresAtMillis) {
                cancelPending();
                refreshAtMillis = now + retryDelay;
                schedulePending(now);
                LOG.debug("Session refresh failed with {}; retrying in {} ms, dialogId={}", statusCode, retryDelay, dialogId);
                return RefreshFailure.RETRY_SCHEDULED;
            }
            // R8 (and R6 when the retry would come too late): live on until the expiry.
            LOG.debug("Session refresh failed with {}; session lives until expiry, dialogId={}", statusCode, dialogId);
            return RefreshFailure.CONTINUE_UNTIL_EXPIRY;
        }
    }

    /**
     * C3 / R4: the dialog goes on without a session timer (a 2xx without Session-Expires):
     * cancels the timers; a later refresh may start them again.
     */
    public synchronized void turnOff() {
        if (state == State.RUNNING) {
            cancelPending();
            state = State.IDLE;
            refreshAtMillis = -1;
            expiresAtMillis = -1;
            LOG.debug("Session timer off, dialogId={}", dialogId);
        }
    }

    /**
     * R12: the dialog is over (BYE either way, CANCEL, any termination): cancels everything,
     * nothing is left scheduled, later calls are ignored. Idempotent.
     */
    public synchronized void stop() {
        if (state != State.ENDED) {
            end();
            LOG.debug("Session timer stopped, dialogId={}", dialogId);
        }
    }

    /**
     * Applies the outcome of a 2xx to our INVITE or refresh: a timer starts or restarts (C2, R4),
     * or the dialog goes on without one (C3). A {@link UacResult.Fail} changes nothing: the
     * caller ends the call.
     */
    public void apply(UacResult result) {
        if (result instanceof UacResult.Timer timer) {
            startOrRestart(timer.interval(), timer.weRefresh(), true);
        } else if (result instanceof UacResult.NoTimer) {
            turnOff();
        }
    }

    /**
     * Applies our answer to the peer's INVITE, re-INVITE or UPDATE (S1-S6, R10): a 2xx with a
     * timer starts or restarts it, a 2xx without turns it off, a rejection changes nothing.
     */
    public void apply(UasDecision decision) {
        if (decision instanceof UasDecision.Accept accept) {
            startOrRestart(accept.interval(), accept.weRefresh(), false);
        } else if (decision instanceof UasDecision.AcceptWithoutTimer) {
            turnOff();
        }
    }

    public String dialogId() {
        return dialogId;
    }

    /** The negotiated session interval in seconds; 0 when no timer ran yet. */
    public synchronized long intervalSeconds() {
        return intervalSeconds;
    }

    /** Whether we are the refresher. */
    public synchronized boolean weRefresh() {
        return weRefresh;
    }

    /** Whether the timers are armed. */
    public synchronized boolean isActive() {
        return state == State.RUNNING;
    }

    /** Whether the timer stopped or expired for good. */
    public synchronized boolean isEnded() {
        return state == State.ENDED;
    }

    /** Scheduler time of the next refreshDue, or -1 if none is due. */
    public synchronized long refreshAtMillis() {
        return refreshAtMillis;
    }

    /** Scheduler time of the expiry (R9), or -1 when no timer is armed. */
    public synchronized long expiresAtMillis() {
        return expiresAtMillis;
    }

    @Override
    public synchronized String toString() {
        return "SessionTimer[" + dialogId + ", " + state + ", interval=" + intervalSeconds + ", weRefresh=" + weRefresh
                + ", refreshAt=" + refreshAtMillis + ", expiresAt=" + expiresAtMillis + "]";
    }

    private void startOrRestart(long interval, boolean weAreRefresher, boolean ourRequest) {
        boolean running;
        synchronized (this) {
            running = state == State.RUNNING;
        }
        if (!running) {
            start(interval, weAreRefresher);
        } else if (ourRequest) {
            refreshSucceeded(interval, weAreRefresher);
        } else {
            refreshReceived(interval, weAreRefresher);
        }
    }

    private void restart(long interval, boolean weAreRefresher, String what) {
        synchronized (this) {
            if (state == State.ENDED) {
                LOG.debug("{} after the session timer ended; ignored, dialogId={}", what, dialogId);
                return;
            }
            arm(interval, weAreRefresher);
        }
        LOG.debug("{} sessionExpires={} weAreRefresher={} dialogId={}", what, interval, weAreRefresher, dialogId);
    }

    /** Arms both deadlines from now (R1, R9) and returns the expiry delay. Holds the lock. */
    private long arm(long interval, boolean weAreRefresher) {
        if (interval < 1 || interval > DeltaSeconds.MAX) {
            throw new IllegalArgumentException("session interval must be 1.." + DeltaSeconds.MAX + " seconds: " + interval);
        }
        cancelPending();
        long now = scheduler.nowMillis();
        long expiryDelay = SessionTimerDeadlines.expiryDelayMillis(interval);
        state = State.RUNNING;
        intervalSeconds = interval;
        weRefresh = weAreRefresher;
        expiresAtMillis = now + expiryDelay;
        // R1: only the refresher refreshes; the other side only watches for expiry (R9).
        refreshAtMillis = weAreRefresher ? now + SessionTimerDeadlines.refreshDelayMillis(interval) : -1;
        schedulePending(now);
        return expiryDelay;
    }

    /** Schedules the one pending task for the nearest deadline. Holds the lock. */
    private void schedulePending(long now) {
        long deadline = refreshAtMillis >= 0 ? refreshAtMillis : expiresAtMillis;
        int armedGeneration = ++generation;
        pending = scheduler.schedule(() -> fire(armedGeneration), Math.max(0, deadline - now));
    }

    private void cancelPending() {
        generation++;
        if (pending != null) {
            pending.cancel();
            pending = null;
        }
    }

    private void end() {
        cancelPending();
        state = State.ENDED;
        refreshAtMillis = -1;
        expiresAtMillis = -1;
    }

    /** A scheduled task fired: decide under the lock, call the listener without it. */
    private void fire(int armedGeneration) {
        boolean refresh;
        synchronized (this) {
            if (armedGeneration != generation || state != State.RUNNING) {
                return; // stale: restarted, turned off or stopped after this task was scheduled
            }
            pending = null;
            if (refreshAtMillis >= 0) {
                // R1: half the interval passed. The expiry stays armed until a refresh succeeds (R9).
                refreshAtMillis = -1;
                schedulePending(scheduler.nowMillis());
                refresh = true;
            } else {
                // R9: no refresh succeeded or arrived in time: the session is over; free the state.
                end();
                refresh = false;
            }
        }
        try {
            if (refresh) {
                LOG.debug("Session refresh due, dialogId={}", dialogId);
                listener.refreshDue(this);
            } else {
                LOG.info("Session timer expired, terminating call dialogId={}", dialogId);
                listener.expired(this);
            }
        } catch (RuntimeException e) {
            // A failing listener must not kill the shared scheduler thread nor hide the next event.
            LOG.warn("Session timer listener failed for dialog {}", dialogId, e);
        }
    }

    /** Milliseconds as seconds for the log: 1768 or 6.667. */
    private static String seconds(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
    }
}
