package org.sessiontimer.camel.limits;

import java.util.Arrays;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * Log lines caused by what a remote source sends, in bounded volume whatever it sends: at most {@link #BURST} lines
 * at once and {@link #LINES_PER_SECOND} a second per source, and {@link #TOTAL_LINES_PER_SECOND} a second from all
 * sources together (UDP source addresses can be forged, so a per-source limit alone would not bound a flood). A line
 * that gets through says how many of its source's lines were left out since the last one.
 */
public final class ThrottledLog {

    static final int BURST = 3;
    static final double LINES_PER_SECOND = 1;
    static final int TOTAL_BURST = 20;
    static final double TOTAL_LINES_PER_SECOND = 10;
    /** Sources tracked one by one; beyond that they share one allowance (see {@link SourceBuckets}). */
    static final int TRACKED_SOURCES = 10_000;

    private final Logger log;
    private final LongSupplier nanoClock;
    private final SourceBuckets<String> perSource;
    private final TokenBucket total;

    public ThrottledLog(Logger log, LongSupplier nanoClock) {
        this.log = log;
        this.nanoClock = nanoClock;
        this.perSource = new SourceBuckets<>(LINES_PER_SECOND, BURST, TRACKED_SOURCES, nanoClock);
        this.total = new TokenBucket(TOTAL_LINES_PER_SECOND, TOTAL_BURST, nanoClock.getAsLong());
    }

    /** A production log on {@link System#nanoTime()}. */
    public ThrottledLog(Logger log) {
        this(log, System::nanoTime);
    }

    public void warn(String source, String format, Object... arguments) {
        log(Level.WARN, source, format, arguments);
    }

    public void info(String source, String format, Object... arguments) {
        log(Level.INFO, source, format, arguments);
    }

    /** Logs a line about {@code source} unless its allowance is used up; the arguments hold no Throwable. */
    public void log(Level level, String source, String format, Object... arguments) {
        if (!log.isEnabledForLevel(level)) {
            return;
        }
        long now = nanoClock.getAsLong();
        TokenBucket bucket = perSource.bucketOf(source);
        if (!bucket.tryTake(now)) {
            return;
        }
        if (!total.tryTake(now)) {
            bucket.countRefusal();
            return;
        }
        long leftOut = bucket.takeRefusals();
        if (leftOut == 0) {
            log.atLevel(level).log(format, arguments);
        } else {
            Object[] withCount = Arrays.copyOf(arguments, arguments.length + 2);
            withCount[arguments.length] = leftOut;
            withCount[arguments.length + 1] = source;
            log.atLevel(level).log(format + " ({} more lines about {} left out)", withCount);
        }
    }
}
