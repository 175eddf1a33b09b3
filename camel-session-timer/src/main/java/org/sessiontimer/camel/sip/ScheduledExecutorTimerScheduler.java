package org.sessiontimer.camel.sip;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.sessiontimer.camel.core.TimerScheduler;

/**
 * The production {@link TimerScheduler}: a {@link ScheduledExecutorService} (the component takes it from Camel's
 * ExecutorServiceManager, so it is managed, configurable and visible in JMX) on the monotonic clock of
 * {@link System#nanoTime()}, which is also the clock the executor's delays run on. One scheduled task per pending
 * timer, no thread per call.
 */
public final class ScheduledExecutorTimerScheduler implements TimerScheduler {

    private final ScheduledExecutorService executor;

    public ScheduledExecutorTimerScheduler(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    @Override
    public long nowMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }

    @Override
    public long epochMillis() {
        return System.currentTimeMillis();
    }

    @Override
    public Cancellable schedule(Runnable task, long delayMillis) {
        ScheduledFuture<?> future = executor.schedule(task, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }
}
