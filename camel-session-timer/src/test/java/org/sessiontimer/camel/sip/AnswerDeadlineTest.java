package org.sessiontimer.camel.sip;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.sessiontimer.camel.core.TimerScheduler;
import org.sessiontimer.camel.core.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/** answerTimeout in virtual time: when a ringing call is given up, and when it is not. */
class AnswerDeadlineTest {

    private final VirtualTimeScheduler clock = new VirtualTimeScheduler();
    private final AtomicInteger givenUp = new AtomicInteger();

    @Test
    @DisplayName("the default 60 s: given up at 60 s, not a millisecond earlier, once")
    void givesUpAtTheTimeout() {
        AnswerDeadline.arm(clock, 60_000, givenUp::incrementAndGet);
        clock.advanceTo(59_999);
        assertThat(givenUp).hasValue(0);
        clock.advanceTo(60_000);
        assertThat(givenUp).hasValue(1);
        clock.advanceBy(600_000);
        assertThat(givenUp).hasValue(1);
    }

    @Test
    @DisplayName("a call answered (or ended) before the timeout cancels its deadline: nothing runs, nothing is left")
    void cancelledWhenAnswered() {
        TimerScheduler.Cancellable deadline = AnswerDeadline.arm(clock, 60_000, givenUp::incrementAndGet);
        clock.advanceTo(30_000);
        deadline.cancel();
        clock.advanceBy(600_000);
        assertThat(givenUp).hasValue(0);
        assertThat(clock.pendingTaskCount()).isZero();
    }

    @Test
    @DisplayName("answerTimeout=0 turns the limit off: nothing is scheduled")
    void zeroIsNoLimit() {
        assertThat(AnswerDeadline.arm(clock, 0, givenUp::incrementAndGet)).isNull();
        assertThat(clock.pendingTaskCount()).isZero();
        clock.advanceBy(3_600_000);
        assertThat(givenUp).hasValue(0);
    }
}
