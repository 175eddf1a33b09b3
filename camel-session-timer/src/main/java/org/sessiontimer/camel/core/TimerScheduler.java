package org.sessiontimer.camel.core;

/**
 * The only source of time for the core (DESIGN.md "Threads, time, state"). Production wraps a
 * shared, managed {@code ScheduledExecutorService} on a monotonic clock; tests use a virtual
 * clock, so every timer rule is proven without sleeping.
 *
 * <p>Two clocks, on purpose: deadlines are kept in {@link #nowMillis()} time, which never steps
 * (an NTP step or a resumed VM must not fire expiries together with refreshes); wall-clock time
 * ({@link #epochMillis()}) is only for display and for the records that other nodes read, and is
 * converted at those edges.
 */
public interface TimerScheduler {

    /** Current time in milliseconds on a monotonic clock, the clock of the delays of {@link #schedule}. */
    long nowMillis();

    /** Current wall-clock time, milliseconds since the epoch; never used to schedule. */
    long epochMillis();

    /**
     * Runs {@code task} once after {@code delayMillis} (0 or more), on a scheduler thread.
     * Must not run it on the calling thread.
     */
    Cancellable schedule(Runnable task, long delayMillis);

    /** A {@link #nowMillis()} instant as wall-clock epoch milliseconds; -1 stays -1 (no deadline). */
    default long toEpochMillis(long schedulerMillis) {
        return schedulerMillis < 0 ? -1 : epochMillis() + (schedulerMillis - nowMillis());
    }

    /** A wall-clock epoch instant as {@link #nowMillis()} time; -1 stays -1 (no deadline). */
    default long fromEpochMillis(long epochMillis) {
        return epochMillis < 0 ? -1 : nowMillis() + (epochMillis - epochMillis());
    }

    /** A scheduled task that can be withdrawn. */
    interface Cancellable {
        /** Withdraws the task; harmless when it ran or was cancelled already. */
        void cancel();
    }
}
