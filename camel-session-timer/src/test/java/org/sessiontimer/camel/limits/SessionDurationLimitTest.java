package org.sessiontimer.camel.limits;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.sessiontimer.camel.core.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("maxSessionDuration for calls without a session timer (virtual time)")
class SessionDurationLimitTest {

    private final VirtualTimeScheduler scheduler = new VirtualTimeScheduler();
    private final LimitStats stats = new LimitStats();

    /** A call as the limit sees it, with what happened to it. */
    private final class TestCall implements SessionDurationLimit.Call {
        final String id;
        final long startedAt = scheduler.epochMillis();
        boolean active = true;
        boolean timer;
        final List<String> endedFor = new ArrayList<>();

        TestCall(String id, boolean timer) {
            this.id = id;
            this.timer = timer;
        }

        @Override
        public String callId() {
            return id;
        }

        @Override
        public long startedAtMillis() {
            return startedAt;
        }

        @Override
        public boolean isActive() {
            return active;
        }

        @Override
        public boolean hasSessionTimer() {
            return timer;
        }

        @Override
        public void end(String reason) {
            endedFor.add(reason);
            active = false;
        }
    }

    @Test
    @DisplayName("a call without a timer is ended with a reason when it reaches the limit, counted once")
    void endsCallWithoutTimer() {
        SessionDurationLimit limit = new SessionDurationLimit(3600, scheduler, stats);
        TestCall call = new TestCall("a", false);
        scheduler.advanceBy(2_000); // answered two seconds after its INVITE
        limit.check(call);
        scheduler.advanceBy(3_597_999);
        assertThat(call.endedFor).isEmpty();
        scheduler.advanceBy(1);
        assertThat(call.endedFor).containsExactly("maxSessionDuration 3600 s reached without a session timer");
        assertThat(stats.count(Limit.MAX_SESSION_DURATION)).isEqualTo(1);
        assertThat(scheduler.pendingTaskCount()).isZero();
        assertThat(limit.watchedCalls()).isZero();
    }

    @Test
    @DisplayName("a call with a session timer costs nothing: no task, no BYE")
    void timerCallsUntouched() {
        SessionDurationLimit limit = new SessionDurationLimit(60, scheduler, stats);
        TestCall call = new TestCall("b", true);
        limit.check(call);
        assertThat(scheduler.pendingTaskCount()).isZero();
        scheduler.advanceBy(3_600_000);
        assertThat(call.endedFor).isEmpty();
    }

    @Test
    @DisplayName("a call that gets a timer by a refresh is not ended; one that loses it is ended at its deadline")
    void timerComesAndGoes() {
        SessionDurationLimit limit = new SessionDurationLimit(60, scheduler, stats);
        TestCall gains = new TestCall("c", false);
        TestCall loses = new TestCall("d", true);
        limit.check(gains);
        limit.check(loses);
        scheduler.advanceBy(10_000);
        gains.timer = true; // a re-INVITE with Session-Expires (R10)
        loses.timer = false; // a refresh answered without Session-Expires (R4)
        limit.check(gains);
        limit.check(loses);
        scheduler.advanceBy(50_000);
        assertThat(gains.endedFor).isEmpty();
        assertThat(loses.endedFor).hasSize(1);
        assertThat(scheduler.pendingTaskCount()).isZero();
    }

    @Test
    @DisplayName("a call that ends first leaves nothing scheduled; repeated checks arm one task")
    void forget() {
        SessionDurationLimit limit = new SessionDurationLimit(60, scheduler, stats);
        TestCall call = new TestCall("e", false);
        limit.check(call);
        limit.check(call);
        assertThat(scheduler.pendingTaskCount()).isEqualTo(1);
        call.active = false;
        limit.forget("e");
        assertThat(scheduler.pendingTaskCount()).isZero();
        scheduler.advanceBy(120_000);
        assertThat(call.endedFor).isEmpty();
        assertThat(stats.count(Limit.MAX_SESSION_DURATION)).isZero();
    }

    @Test
    @DisplayName("0 means no limit")
    void off() {
        SessionDurationLimit limit = new SessionDurationLimit(0, scheduler, stats);
        limit.check(new TestCall("f", false));
        assertThat(scheduler.pendingTaskCount()).isZero();
    }
}
