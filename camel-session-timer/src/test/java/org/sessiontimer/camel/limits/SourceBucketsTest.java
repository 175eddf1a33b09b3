package org.sessiontimer.camel.limits;

import java.time.Duration;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Token buckets per source (virtual time)")
class SourceBucketsTest {

    private final VirtualClock clock = new VirtualClock();

    @Test
    @DisplayName("each source has its own allowance")
    void perSource() {
        SourceBuckets<String> buckets = new SourceBuckets<>(1, 2, 100, clock);
        assertThat(buckets.tryTake("a")).isTrue();
        assertThat(buckets.tryTake("a")).isTrue();
        assertThat(buckets.tryTake("a")).isFalse();
        assertThat(buckets.tryTake("b")).as("b is not limited by a").isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(buckets.tryTake("a")).isTrue();
        assertThat(buckets.tryTake("a")).isFalse();
    }

    @Test
    @DisplayName("at capacity, new sources share one overflow allowance instead of growing the table")
    void overflow() {
        SourceBuckets<Integer> buckets = new SourceBuckets<>(1, 1, 3, clock);
        for (int source = 0; source < 3; source++) {
            assertThat(buckets.tryTake(source)).isTrue();
        }
        assertThat(buckets.tryTake(100)).as("the first untracked source takes the overflow token").isTrue();
        assertThat(buckets.tryTake(101)).as("the next one finds it taken").isFalse();
        assertThat(buckets.trackedSources()).isEqualTo(3);
    }

    @Test
    @DisplayName("sources whose buckets filled up again are forgotten when room is needed")
    void forgetsRefilled() {
        SourceBuckets<Integer> buckets = new SourceBuckets<>(1, 1, 3, clock);
        for (int source = 0; source < 3; source++) {
            buckets.tryTake(source);
        }
        clock.advance(Duration.ofSeconds(2));
        assertThat(buckets.tryTake(100)).isTrue();
        assertThat(buckets.tryTake(101)).as("room again: a bucket of its own").isTrue();
        assertThat(buckets.trackedSources()).isEqualTo(2);
    }
}
