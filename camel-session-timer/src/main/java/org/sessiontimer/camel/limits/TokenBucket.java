package org.sessiontimer.camel.limits;

/**
 * A token bucket: {@code ratePerSecond} tokens a second, at most {@code burst} kept, full at the start. Time is
 * whatever monotonic nanosecond clock its owner reads ({@link System#nanoTime()} in production, a virtual clock in
 * tests), passed in with each call. Counts the takes it refused, so that a log can say how many lines it left out.
 */
public final class TokenBucket {

    private static final double NANOS_PER_SECOND = 1e9;

    private final double tokensPerNano;
    private final double burst;
    private double tokens;
    private long lastNanos;
    private long refused;

    public TokenBucket(double ratePerSecond, double burst, long nowNanos) {
        if (!(ratePerSecond > 0) || !(burst >= 1)) {
            throw new IllegalArgumentException("a token bucket needs a rate > 0 and a burst >= 1, was " + ratePerSecond
                                               + "/s and " + burst);
        }
        this.tokensPerNano = ratePerSecond / NANOS_PER_SECOND;
        this.burst = burst;
        this.tokens = burst;
        this.lastNanos = nowNanos;
    }

    /** Takes one token if there is one; otherwise counts a refusal. */
    public synchronized boolean tryTake(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        refused++;
        return false;
    }

    /** Counts a refusal decided elsewhere (a second limit said no after this one said yes). */
    public synchronized void countRefusal() {
        refused++;
    }

    /** The refusals since the last call of this method. */
    public synchronized long takeRefusals() {
        long count = refused;
        refused = 0;
        return count;
    }

    /** True when the bucket has filled up again: forgetting it changes nothing. */
    public synchronized boolean isFull(long nowNanos) {
        refill(nowNanos);
        return tokens >= burst && refused == 0;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * tokensPerNano);
            lastNanos = nowNanos;
        }
    }
}
