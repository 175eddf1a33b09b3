package org.sessiontimer.camel.core;

/**
 * The only source of time for the core (DESIGN.md "Threads, time, state"). Production wraps a
 * shared, managed {@code ScheduledExecutorService}; tests use a virtual clock, so every timer
 * rule is proven without sleeping.
 */
public interface TimerScheduler {

    /** Current time in milliseconds, on the same clock as the delays of {@link #schedule}. */
    long nowMillis();

    /**
     * Runs {@code task} once after {@code delayMillis} (0 or more), on a scheduler thread.
     * Must not run it on the calling thread.
     */
    Cancellable schedule(Runnable task, long delayMillis);

    /** A scheduled task that can be withdrawn. */
    interface Cancellable {
        /** Withdraws the task; harmless when it ran or was cancelled already. */
        void cancel();
    }
}
