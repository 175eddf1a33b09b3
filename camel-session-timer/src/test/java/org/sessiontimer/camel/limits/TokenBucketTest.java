package org.sessiontimer.camel.limits;

import java.time.Duration;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Token bucket (virtual time)")
class TokenBucketTest {

    private final VirtualClock clock = new VirtualClock();

    @Test
    @DisplayName("starts full: a burst goes through at once, the next take is refused")
    void burst() {
        TokenBucket bucket = new TokenBucket(10, 5, clock.getAsLong());
        for (int i = 0; i < 5; i++) {
            assertThat(bucket.tryTake(clock.getAsLong())).as("take %d", i).isTrue();
        }
        assertThat(bucket.tryTake(clock.getAsLong())).isFalse();
    }

    @Test
    @DisplayName("refills at its rate and never holds more than its burst")
    void refill() {
        TokenBucket bucket = new TokenBucket(10, 5, clock.getAsLong());
        drain(bucket);
        clock.advance(Duration.ofMillis(99));
        assertThat(bucket.tryTake(clock.getAsLong())).as("not yet a whole token after 99 ms at 10/s").isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(bucket.tryTake(clock.getAsLong())).isTrue();
        assertThat(bucket.tryTake(clock.getAsLong())).isFalse();
        clock.advance(Duration.ofHours(1));
        assertThat(drain(bucket)).as("an hour of refill is still one burst").isEqualTo(5);
    }

    @Test
    @DisplayName("counts the refusals since they were last taken, including those decided elsewhere")
    void refusals() {
        TokenBucket bucket = new TokenBucket(1, 1, clock.getAsLong());
        bucket.tryTake(clock.getAsLong());
        bucket.tryTake(clock.getAsLong());
        bucket.tryTake(clock.getAsLong());
        bucket.countRefusal();
        assertThat(bucket.takeRefusals()).isEqualTo(3);
        assertThat(bucket.takeRefusals()).isZero();
    }

    @Test
    @DisplayName("is full again once refilled, and not while it has refusals to report")
    void full() {
        TokenBucket bucket = new TokenBucket(2, 2, clock.getAsLong());
        assertThat(bucket.isFull(clock.getAsLong())).isTrue();
        drain(bucket);
        clock.advance(Duration.ofSeconds(1));
        assertThat(bucket.isFull(clock.getAsLong())).as("refilled but one refusal unreported").isFalse();
        bucket.takeRefusals();
        assertThat(bucket.isFull(clock.getAsLong())).isTrue();
    }

    @Test
    @DisplayName("a clock that does not move (or goes back) adds no tokens")
    void clockBack() {
        TokenBucket bucket = new TokenBucket(1000, 1, clock.getAsLong());
        bucket.tryTake(clock.getAsLong());
        assertThat(bucket.tryTake(clock.getAsLong() - 5_000_000_000L)).isFalse();
    }

    @Test
    @DisplayName("rejects a rate or burst that could never let anything through")
    void invalid() {
        assertThatThrownBy(() -> new TokenBucket(0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(1, 0.5, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private int drain(TokenBucket bucket) {
        int taken = 0;
        while (bucket.tryTake(clock.getAsLong())) {
            taken++;
        }
        return taken;
    }
}
