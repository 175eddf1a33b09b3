package org.sessiontimer.camel.limits;

import java.time.Duration;
import java.util.function.LongSupplier;

/** A nanosecond clock that moves only when a test says so. */
final class VirtualClock implements LongSupplier {

    private long nanos = 1_000_000_000L;

    @Override
    public synchronized long getAsLong() {
        return nanos;
    }

    synchronized void advance(Duration step) {
        nanos += step.toNanos();
    }
}
