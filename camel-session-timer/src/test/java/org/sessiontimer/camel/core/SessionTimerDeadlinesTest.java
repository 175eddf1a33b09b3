package org.sessiontimer.camel.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Timer arithmetic (RFC 4028 §10)")
class SessionTimerDeadlinesTest {

    @ParameterizedTest(name = "R1: SE={0}s -> refresh after {1} ms")
    @CsvSource({"1800, 900000", "90, 45000", "10, 5000", "1, 500", "4294967295, 2147483647500"})
    @DisplayName("R1: refresh at half the interval")
    void refresh(long se, long millis) {
        assertThat(SessionTimerDeadlines.refreshDelayMillis(se)).isEqualTo(millis);
    }

    @ParameterizedTest(name = "R9: SE={0}s -> expiry after {1} ms")
    @CsvSource({"1800, 1768000", "90, 60000", "10, 6667", "96, 64000", "97, 65000", "3, 2000"})
    @DisplayName("R9: expiry at SE - min(32, SE/3), in milliseconds")
    void expiry(long se, long millis) {
        assertThat(SessionTimerDeadlines.expiryDelayMillis(se)).isEqualTo(millis);
    }

    @Test
    @DisplayName("R6: 491 back-off is 2.1-4 s when we own the Call-ID, 0-2 s otherwise, in 10 ms units")
    void requestPendingBackoff() {
        assertThat(SessionTimerDeadlines.requestPendingRetryDelayMillis(true, FixedRandom.lowest())).isEqualTo(2100);
        assertThat(SessionTimerDeadlines.requestPendingRetryDelayMillis(true, FixedRandom.highest())).isEqualTo(4000);
        assertThat(SessionTimerDeadlines.requestPendingRetryDelayMillis(false, FixedRandom.lowest())).isEqualTo(0);
        assertThat(SessionTimerDeadlines.requestPendingRetryDelayMillis(false, FixedRandom.highest())).isEqualTo(2000);
        RandomGenerator random = new SplittableRandom(4028);
        for (int i = 0; i < 1000; i++) {
            assertThat(SessionTimerDeadlines.requestPendingRetryDelayMillis(true, random))
                    .isBetween(2100L, 4000L).matches(d -> d % 10 == 0);
            assertThat(SessionTimerDeadlines.requestPendingRetryDelayMillis(false, random))
                    .isBetween(0L, 2000L).matches(d -> d % 10 == 0);
        }
    }
}
