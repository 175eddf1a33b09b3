package org.sessiontimer.camel.sip;

import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * A {@link RandomGenerator} for objects used from many threads (the 491 back-off of every session timer): each draw
 * comes from the calling thread's {@link ThreadLocalRandom}. A {@code ThreadLocalRandom.current()} captured once and
 * used from other threads reads those threads' uninitialised seeds, and then draws the same sequence in every JVM.
 */
public final class ThreadLocalRandomGenerator implements RandomGenerator {

    public static final ThreadLocalRandomGenerator INSTANCE = new ThreadLocalRandomGenerator();

    private ThreadLocalRandomGenerator() {
    }

    @Override
    public long nextLong() {
        return ThreadLocalRandom.current().nextLong();
    }

    @Override
    public int nextInt(int bound) {
        return ThreadLocalRandom.current().nextInt(bound);
    }
}
