package org.sessiontimer.camel.core;

import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * A {@link TimerScheduler} on a virtual clock: time moves only when a test calls
 * {@link #advanceBy}, and due tasks run then, on the test's thread, in deadline order.
 * {@link #pendingTaskCount()} proves that nothing is left scheduled.
 *
 * Public for the tests of other packages that run on the core's scheduler (the limits).
 *
 * <p>{@link #cancelLosesRace(boolean)} simulates a production race: a task whose cancel comes
 * too late still runs, so tests can prove that stale tasks do nothing.
 */
public final class VirtualTimeScheduler implements TimerScheduler {

    private final PriorityQueue<Task> queue = new PriorityQueue<>(
            Comparator.comparingLong((Task t) -> t.atMillis).thenComparingLong(t -> t.sequence));
    private long nowMillis;
    /** Wall-clock time at virtual time 0; {@link #stepWallClock} moves it, as an NTP step would. */
    private long wallClockOffsetMillis = 1_780_000_000_000L;
    private long sequence;
    private boolean cancelLosesRace;
    private int scheduledCount;

    @Override
    public synchronized long nowMillis() {
        return nowMillis;
    }

    @Override
    public synchronized long epochMillis() {
        return wallClockOffsetMillis + nowMillis;
    }

    /** Steps the wall clock (forward or back) without moving the monotonic clock or running anything. */
    synchronized void stepWallClock(long millis) {
        wallClockOffsetMillis += millis;
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, long delayMillis) {
        if (delayMillis < 0) {
            throw new IllegalArgumentException("negative delay: " + delayMillis);
        }
        Task t = new Task(nowMillis + delayMillis, sequence++, task);
        queue.add(t);
        scheduledCount++;
        return t;
    }

    /** Moves the clock forward, running every task that falls due, at its own time. */
    public void advanceBy(long millis) {
        advanceTo(nowMillis() + millis);
    }

    /** Moves the clock to {@code targetMillis}, running every task due until then. */
    public void advanceTo(long targetMillis) {
        while (true) {
            Task next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.atMillis > targetMillis) {
                    nowMillis = Math.max(nowMillis, targetMillis);
                    return;
                }
                queue.poll();
                nowMillis = next.atMillis;
            }
            next.task.run();
        }
    }

    /** Tasks scheduled and neither run nor cancelled. */
    public synchronized int pendingTaskCount() {
        return queue.size();
    }

    /** How many tasks were ever scheduled. */
    synchronized int scheduledCount() {
        return scheduledCount;
    }

    /** When true, {@code cancel()} comes too late: the task stays queued and runs. */
    synchronized void cancelLosesRace(boolean loses) {
        this.cancelLosesRace = loses;
    }

    private final class Task implements Cancellable {
        final long atMillis;
        final long sequence;
        final Runnable task;

        Task(long atMillis, long sequence, Runnable task) {
            this.atMillis = atMillis;
            this.sequence = sequence;
            this.task = task;
        }

        @Override
        public void cancel() {
            synchronized (VirtualTimeScheduler.this) {
                if (!cancelLosesRace) {
                    queue.remove(this);
                }
            }
        }
    }
}
