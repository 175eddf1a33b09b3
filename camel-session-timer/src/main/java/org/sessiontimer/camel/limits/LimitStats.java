package org.sessiontimer.camel.limits;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** How often each {@link Limit} refused or ended a call since the component started: counters for metrics and JMX. */
public final class LimitStats {

    private final Map<Limit, LongAdder> counts = new EnumMap<>(Limit.class);

    public LimitStats() {
        for (Limit limit : Limit.values()) {
            counts.put(limit, new LongAdder());
        }
    }

    public void record(Limit limit) {
        counts.get(limit).increment();
    }

    /** The calls this limit refused (or ended, for {@link Limit#MAX_SESSION_DURATION}). */
    public long count(Limit limit) {
        return counts.get(limit).sum();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("LimitStats[");
        for (Limit limit : Limit.values()) {
            text.append(limit.option()).append('=').append(count(limit)).append(limit.ordinal() < Limit.values().length - 1 ? ", " : "]");
        }
        return text.toString();
    }
}
