package org.sessiontimer.camel.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One {@link TokenBucket} per source, in bounded memory. A source's bucket is forgotten once it has filled up again
 * (it would behave like a new one); when {@code capacity} sources are tracked and none can be forgotten (a flood
 * from many addresses), further sources share one overflow bucket, so that they are limited together instead of
 * growing the table.
 *
 * @param <K> the source, e.g. an address
 */
public final class SourceBuckets<K> {

    /** At most one sweep for full buckets a second, however fast new sources arrive. */
    private static final long SWEEP_INTERVAL_NANOS = 1_000_000_000L;

    private final double ratePerSecond;
    private final double burst;
    private final int capacity;
    private final LongSupplier nanoClock;
    private final Map<K, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final TokenBucket overflow;
    private long lastSweepNanos;

    public SourceBuckets(double ratePerSecond, double burst, int capacity, LongSupplier nanoClock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.capacity = capacity;
        this.nanoClock = nanoClock;
        long now = nanoClock.getAsLong();
        this.overflow = new TokenBucket(ratePerSecond, burst, now);
        this.lastSweepNanos = now;
    }

    /** The bucket of this source: its own, or the overflow bucket when the table is full. */
    public TokenBucket bucketOf(K source) {
        TokenBucket bucket = buckets.get(source);
        if (bucket != null) {
            return bucket;
        }
        long now = nanoClock.getAsLong();
        if (buckets.size() >= capacity && !sweep(now)) {
            return overflow;
        }
        return buckets.computeIfAbsent(source, s -> new TokenBucket(ratePerSecond, burst, now));
    }

    /** Takes a token from the source's bucket. */
    public boolean tryTake(K source) {
        return bucketOf(source).tryTake(nanoClock.getAsLong());
    }

    /** How many sources have a bucket of their own; never more than the capacity (give or take a race). */
    public int trackedSources() {
        return buckets.size();
    }

    /** Forgets the full buckets, at most once per interval; true when there is room now. */
    private synchronized boolean sweep(long now) {
        if (now - lastSweepNanos >= SWEEP_INTERVAL_NANOS) {
            lastSweepNanos = now;
            buckets.values().removeIf(bucket -> bucket.isFull(now));
        }
        return buckets.size() < capacity;
    }
}
