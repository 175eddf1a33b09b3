package org.sessiontimer.camel.core;

import java.util.random.RandomGenerator;

/** A {@link RandomGenerator} that always draws the lowest or the highest value of a bound. */
final class FixedRandom implements RandomGenerator {

    private final boolean highest;

    private FixedRandom(boolean highest) {
        this.highest = highest;
    }

    static FixedRandom lowest() {
        return new FixedRandom(false);
    }

    static FixedRandom highest() {
        return new FixedRandom(true);
    }

    @Override
    public long nextLong() {
        return highest ? Long.MAX_VALUE : 0;
    }

    @Override
    public int nextInt(int bound) {
        return highest ? bound - 1 : 0;
    }
}
