package org.sessiontimer.camel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

@DisplayName("Per-dialog session timer (RFC 4028 §10), virtual time")
class SessionTimerTest {

    private static final OptionalLong NO_RETRY_AFTER = OptionalLong.empty();

    private final VirtualTimeScheduler scheduler = new VirtualTimeScheduler();
    private final RecordingListener listener = new RecordingListener(scheduler);
    private final SessionTimer timer = new SessionTimer("call-1", scheduler, FixedRandom.lowest(), listener);

    @AfterEach
    void nothingLeakedAfterStop() {
        timer.stop();
        assertThat(scheduler.pendingTaskCount()).as("R12: nothing left scheduled").isZero();
    }

    @Nested
    @DisplayName("RefreshCallback")
    class RefreshCallback {

        @Test
        @DisplayName("R1: SE=1800: refreshDue at 900 s, not a millisecond earlier")
        void halfInterval1800() {
            timer.start(1800, true);
            assertThat(timer.refreshAtMillis()).isEqualTo(900_000);
            scheduler.advanceBy(899_999);
            assertThat(listener.events).isEmpty();
            scheduler.advanceBy(1);
            assertThat(listener.events).containsExactly("refreshDue@900000");
            assertThat(listener.sources).containsExactly(timer);
            assertThat(timer.refreshAtMillis()).isEqualTo(-1);
        }

        @Test
        @DisplayName("R1: SE=90: refreshDue at 45 s")
        void halfInterval90() {
            timer.start(90, true);
            scheduler.advanceBy(45_000);
            assertThat(listener.events).containsExactly("refreshDue@45000");
        }

        @Test
        @DisplayName("R1: counted from the last successful refresh")
        void fromLastRefresh() {
            timer.start(90, true);
            scheduler.advanceBy(45_000);
            scheduler.advanceBy(1_000);
            timer.refreshSucceeded(90, true); // the 2xx arrived at 46 s
            scheduler.advanceBy(45_000);
            assertThat(listener.events).containsExactly("refreshDue@45000", "refreshDue@91000");
        }

        @Test
        @DisplayName("R1: the side that does not refresh never gets refreshDue")
        void notRefresher() {
            timer.start(1800, false);
            assertThat(timer.refreshAtMillis()).isEqualTo(-1);
            scheduler.advanceBy(1_767_999);
            assertThat(listener.events).isEmpty();
        }

        @Test
        @DisplayName("R1: at most one task is pending per dialog")
        void oneTask() {
            timer.start(1800, true);
            assertThat(scheduler.pendingTaskCount()).isEqualTo(1);
            scheduler.advanceBy(900_000);
            assertThat(scheduler.pendingTaskCount()).isEqualTo(1); // now the expiry
            timer.refreshSucceeded(1800, true);
            assertThat(scheduler.pendingTaskCount()).isEqualTo(1);
        }
    }

    @Nested
    @DisplayName("ExpiryCallback")
    class ExpiryCallback {

        @Test
        @DisplayName("R9: SE=1800: expired at 1768 s when no refresh arrives")
        void expiry1800() {
            timer.start(1800, false);
            assertThat(timer.expiresAtMillis()).isEqualTo(1_768_000);
            scheduler.advanceBy(1_767_999);
            assertThat(listener.events).isEmpty();
            scheduler.advanceBy(1);
            assertThat(listener.events).containsExactly("expired@1768000");
        }

        @Test
        @DisplayName("R9: SE=90: refresh 45 s, expiry 60 s when our refresh gets no answer")
        void expiry90() {
            timer.start(90, true);
            scheduler.advanceBy(60_000);
            assertThat(listener.events).containsExactly("refreshDue@45000", "expired@60000");
        }

        @Test
        @DisplayName("R9: SE=10 (lab): expiry after 6667 ms")
        void expiryLab() {
            timer.start(10, false);
            scheduler.advanceBy(6_666);
            assertThat(listener.events).isEmpty();
            scheduler.advanceBy(1);
            assertThat(listener.events).containsExactly("expired@6667");
        }

        @Test
        @DisplayName("R9: after expiry the state is freed: inactive, nothing scheduled, no second callback")
        void freed() {
            timer.start(90, false);
            scheduler.advanceBy(60_000);
            assertThat(timer.isActive()).isFalse();
            assertThat(timer.isEnded()).isTrue();
            assertThat(timer.expiresAtMillis()).isEqualTo(-1);
            assertThat(scheduler.pendingTaskCount()).isZero();
            scheduler.advanceBy(3_600_000);
            assertThat(listener.events).containsExactly("expired@60000");
            timer.refreshReceived(90, false); // too late: ignored
            assertThat(scheduler.pendingTaskCount()).isZero();
        }

        @Test
        @DisplayName("R9: a listener that throws does not stop the next event")
        void failingListener() {
            listener.onRefreshDue = () -> {
                throw new IllegalStateException("boom");
            };
            timer.start(90, true);
            scheduler.advanceBy(60_000);
            assertThat(listener.events).containsExactly("refreshDue@45000", "expired@60000");
        }
    }

    @Nested
    @DisplayName("OnRefreshReceived")
    class OnRefreshReceived {

        @Test
        @DisplayName("R10: a received refresh really moves the expiry (fails if the reset is removed)")
        void movesExpiry() {
            timer.start(90, false);
            assertThat(timer.expiresAtMillis()).isEqualTo(60_000);
            scheduler.advanceBy(50_000);
            timer.refreshReceived(90, false);
            assertThat(timer.expiresAtMillis()).isEqualTo(110_000);
            scheduler.advanceTo(60_001); // past the ORIGINAL expiry
            assertThat(listener.events).isEmpty();
            scheduler.advanceTo(109_999);
            assertThat(listener.events).isEmpty();
            scheduler.advanceTo(110_000);
            assertThat(listener.events).containsExactly("expired@110000");
        }

        @Test
        @DisplayName("R10: roles can swap in a refresh: the peer hands the refreshing to us")
        void rolesSwap() {
            timer.start(1800, false);
            scheduler.advanceBy(600_000);
            // the peer's re-INVITE, answered by the UasNegotiator: refresher=uas in its roles means us
            UasDecision answer = new UasNegotiator(SessionTimerConfig.defaults())
                    .negotiate(new TimerRequest(List.of("1200;refresher=uas"), List.of(), true));
            timer.apply(answer);
            assertThat(timer.weRefresh()).isTrue();
            assertThat(timer.intervalSeconds()).isEqualTo(1200);
            assertThat(timer.refreshAtMillis()).isEqualTo(600_000 + 600_000);
            assertThat(timer.expiresAtMillis()).isEqualTo(600_000 + 1_168_000);
            scheduler.advanceBy(600_000);
            assertThat(listener.events).containsExactly("refreshDue@1200000");
        }

        @Test
        @DisplayName("R10: and back: after we handed it over, no refreshDue fires")
        void rolesSwapBack() {
            timer.start(1800, true);
            scheduler.advanceBy(100_000);
            timer.refreshReceived(1800, false);
            assertThat(timer.refreshAtMillis()).isEqualTo(-1);
            scheduler.advanceBy(1_767_999);
            assertThat(listener.events).isEmpty();
        }

        @Test
        @DisplayName("R11: a successful re-INVITE for another purpose (hold) by the non-refresher counts as a refresh")
        void anyReInvite() {
            timer.start(1800, false);
            scheduler.advanceBy(1_000_000);
            timer.refreshSucceeded(1800, false); // our hold re-INVITE got 2xx
            scheduler.advanceTo(1_768_000);
            assertThat(listener.events).isEmpty();
            scheduler.advanceTo(2_768_000);
            assertThat(listener.events).containsExactly("expired@2768000");
        }

        @Test
        @DisplayName("R11: a refresh received while we are refresher also restarts our refresh")
        void receivedWhileRefresher() {
            timer.start(90, true);
            scheduler.advanceBy(30_000);
            timer.refreshReceived(90, true);
            scheduler.advanceBy(45_000);
            assertThat(listener.events).containsExactly("refreshDue@75000");
        }
    }

    @Nested
    @DisplayName("R4: 2xx to our refresh")
    class RefreshAnswered {

        @Test
        @DisplayName("R4: restarts both timers from now with the interval and refresher of the 2xx")
        void renegotiates() {
            UacNegotiation negotiation = new UacNegotiation(SessionTimerConfig.defaults());
            timer.apply(negotiation.on2xx(List.of("1800;refresher=uac"), Role.UAC));
            scheduler.advanceBy(900_000);
            assertThat(listener.events).containsExactly("refreshDue@900000");

            negotiation.refreshRequestHeaders(timer.intervalSeconds(), true);
            scheduler.advanceBy(200);
            timer.apply(negotiation.on2xx(List.of("900;refresher=uas"), Role.UAC));

            assertThat(timer.intervalSeconds()).isEqualTo(900);
            assertThat(timer.weRefresh()).isFalse();
            assertThat(timer.refreshAtMillis()).isEqualTo(-1);
            assertThat(timer.expiresAtMillis()).isEqualTo(900_200 + 868_000);
            assertThat(scheduler.pendingTaskCount()).isEqualTo(1);
        }

        @Test
        @DisplayName("R4: a 2xx without SE turns the timer off; a later refresh may start it again")
        void offAndOnAgain() {
            timer.start(1800, true);
            timer.apply(new UacResult.NoTimer());
            assertThat(timer.isActive()).isFalse();
            assertThat(timer.isEnded()).isFalse();
            assertThat(scheduler.pendingTaskCount()).isZero();
            scheduler.advanceBy(1_000);
            timer.apply(new UacResult.Timer(600, Refresher.UAC, true));
            assertThat(timer.isActive()).isTrue();
            assertThat(timer.refreshAtMillis()).isEqualTo(301_000);
        }

        @Test
        @DisplayName("R4: a failed 2xx (UacResult.Fail) changes nothing; the caller ends the call")
        void failChangesNothing() {
            timer.start(1800, true);
            timer.apply(new UacResult.Fail("x"));
            assertThat(timer.refreshAtMillis()).isEqualTo(900_000);
        }
    }

    @Nested
    @DisplayName("R6-R8: failed refreshes")
    class RefreshFailed {

        @Test
        @DisplayName("R6: 491 when we own the Call-ID: refreshDue again after 2.1-4 s")
        void requestPendingOwner() {
            timer.start(90, true);
            scheduler.advanceBy(45_000);
            assertThat(timer.refreshFailed(491, NO_RETRY_AFTER, true))
                    .isEqualTo(SessionTimer.RefreshFailure.RETRY_SCHEDULED);
            assertThat(timer.refreshAtMillis()).isEqualTo(47_100);
            scheduler.advanceTo(47_100);
            assertThat(listener.events).containsExactly("refreshDue@45000", "refreshDue@47100");
            assertThat(timer.expiresAtMillis()).isEqualTo(60_000); // the retry does not move the expiry
        }

        @Test
        @DisplayName("R6: 491 when the peer owns the Call-ID: 0-2 s")
        void requestPendingNotOwner() {
            SessionTimer t = new SessionTimer("call-2", scheduler, FixedRandom.highest(), listener);
            t.start(90, true);
            scheduler.advanceBy(45_000);
            assertThat(t.refreshFailed(491, NO_RETRY_AFTER, false)).isEqualTo(SessionTimer.RefreshFailure.RETRY_SCHEDULED);
            scheduler.advanceTo(47_000);
            assertThat(listener.events).containsExactly("refreshDue@45000", "refreshDue@47000");
            t.stop();
        }

        @Test
        @DisplayName("R6: no 491 retry after the expiry: the session ends at expiry")
        void requestPendingTooLate() {
            timer.start(10, true); // lab: refresh 5000 ms, expiry 6667 ms
            scheduler.advanceTo(6_000);
            assertThat(timer.refreshFailed(491, NO_RETRY_AFTER, true))
                    .isEqualTo(SessionTimer.RefreshFailure.CONTINUE_UNTIL_EXPIRY);
            scheduler.advanceTo(10_000);
            assertThat(listener.events).containsExactly("refreshDue@5000", "expired@6667");
        }

        @Test
        @DisplayName("R7: 408 (or a timeout): END_WITH_BYE, state freed, no expiry later")
        void timeout() {
            timer.start(90, true);
            scheduler.advanceBy(45_000);
            assertThat(timer.refreshFailed(408, NO_RETRY_AFTER, true)).isEqualTo(SessionTimer.RefreshFailure.END_WITH_BYE);
            assertThat(timer.isActive()).isFalse();
            assertThat(scheduler.pendingTaskCount()).isZero();
            scheduler.advanceBy(3_600_000);
            assertThat(listener.events).containsExactly("refreshDue@45000");
        }

        @Test
        @DisplayName("R7: 481: END_WITHOUT_BYE, state freed")
        void noDialog() {
            timer.start(1800, true);
            scheduler.advanceBy(900_000);
            assertThat(timer.refreshFailed(481, NO_RETRY_AFTER, true)).isEqualTo(SessionTimer.RefreshFailure.END_WITHOUT_BYE);
            assertThat(scheduler.pendingTaskCount()).isZero();
            assertThat(timer.refreshFailed(408, NO_RETRY_AFTER, true))
                    .as("after the end there is nothing left to BYE").isEqualTo(SessionTimer.RefreshFailure.END_WITHOUT_BYE);
        }

        @ParameterizedTest
        @ValueSource(ints = {400, 422, 480, 486, 500, 503, 600, 603})
        @DisplayName("R8: other failures: the session lives on until its expiry")
        void other(int status) {
            timer.start(90, true);
            scheduler.advanceBy(45_000);
            assertThat(timer.refreshFailed(status, NO_RETRY_AFTER, true))
                    .isEqualTo(SessionTimer.RefreshFailure.CONTINUE_UNTIL_EXPIRY);
            assertThat(timer.isActive()).isTrue();
            scheduler.advanceTo(60_000);
            assertThat(listener.events).containsExactly("refreshDue@45000", "expired@60000");
        }

        @Test
        @DisplayName("R8: 503 with Retry-After before the expiry: refreshDue then; a success keeps the call")
        void retryAfter() {
            timer.start(90, true);
            scheduler.advanceBy(45_000);
            assertThat(timer.refreshFailed(503, OptionalLong.of(5), true))
                    .isEqualTo(SessionTimer.RefreshFailure.RETRY_SCHEDULED);
            scheduler.advanceTo(50_000);
            assertThat(listener.events).containsExactly("refreshDue@45000", "refreshDue@50000");
            timer.refreshSucceeded(90, true);
            scheduler.advanceTo(100_000);
            assertThat(listener.events).containsExactly("refreshDue@45000", "refreshDue@50000", "refreshDue@95000");
        }

        @Test
        @DisplayName("R8: 503 with Retry-After after the expiry: no retry")
        void retryAfterTooLate() {
            timer.start(90, true);
            scheduler.advanceBy(45_000);
            assertThat(timer.refreshFailed(503, OptionalLong.of(30), true))
                    .isEqualTo(SessionTimer.RefreshFailure.CONTINUE_UNTIL_EXPIRY);
            scheduler.advanceTo(80_000);
            assertThat(listener.events).containsExactly("refreshDue@45000", "expired@60000");
        }

        @Test
        @DisplayName("R8: a failed non-refresh request of the non-refresher changes nothing")
        void notRefresher() {
            timer.start(1800, false);
            assertThat(timer.refreshFailed(491, NO_RETRY_AFTER, true))
                    .isEqualTo(SessionTimer.RefreshFailure.CONTINUE_UNTIL_EXPIRY);
            assertThat(timer.refreshAtMillis()).isEqualTo(-1);
        }

        @Test
        @DisplayName("R7: a success status is not a failure")
        void notAFailure() {
            assertThatThrownBy(() -> timer.refreshFailed(200, NO_RETRY_AFTER, true))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    @DisplayName("Stop")
    class Stop {

        @Test
        @DisplayName("R12: stop cancels both timers; nothing left scheduled, no callback ever")
        void stop() {
            timer.start(1800, true);
            scheduler.advanceBy(1_000);
            timer.stop();
            assertThat(scheduler.pendingTaskCount()).isZero();
            assertThat(timer.isActive()).isFalse();
            assertThat(timer.refreshAtMillis()).isEqualTo(-1);
            assertThat(timer.expiresAtMillis()).isEqualTo(-1);
            scheduler.advanceBy(10 * 3_600_000L);
            assertThat(listener.events).isEmpty();
        }

        @Test
        @DisplayName("R12: stop is idempotent and final: later starts and refreshes are ignored")
        void idempotent() {
            timer.start(90, true);
            timer.stop();
            timer.stop();
            timer.start(90, true);
            timer.refreshSucceeded(90, true);
            timer.refreshReceived(90, false);
            assertThat(timer.isActive()).isFalse();
            assertThat(scheduler.pendingTaskCount()).isZero();
        }

        @Test
        @DisplayName("R12: stop from inside the expiry callback (BYE sent) is safe")
        void stopInCallback() {
            listener.onExpired = timer::stop;
            listener.onRefreshDue = timer::stop;
            timer.start(90, true);
            scheduler.advanceBy(100_000);
            assertThat(listener.events).containsExactly("refreshDue@45000");
            assertThat(scheduler.pendingTaskCount()).isZero();
        }

        @Test
        @DisplayName("R12: a stale task whose cancel lost the race does nothing after stop or restart")
        void staleTasks() {
            scheduler.cancelLosesRace(true);
            timer.start(90, true);              // tasks at 45 s (refresh)
            scheduler.advanceBy(10_000);
            timer.refreshReceived(90, true);    // re-armed: refresh at 55 s; the 45 s task is stale
            scheduler.advanceTo(70_000);
            assertThat(listener.events).containsExactly("refreshDue@55000", "expired@70000");

            SessionTimer other = new SessionTimer("call-3", scheduler, FixedRandom.lowest(), listener);
            other.start(90, false);
            other.stop();
            scheduler.advanceBy(3_600_000);     // its cancelled expiry still runs: nothing happens
            assertThat(listener.events).containsExactly("refreshDue@55000", "expired@70000");
            assertThat(scheduler.pendingTaskCount()).isZero();
        }

        @Test
        @DisplayName("R12: 100k dialogs, one task each, nothing left after they end")
        void manyDialogs() {
            Logger log = (Logger) LoggerFactory.getLogger(SessionTimer.class);
            Level before = log.getLevel();
            log.setLevel(Level.WARN); // 100k "Started session timer" lines would drown the test output
            try {
                startAndStopMany();
            } finally {
                log.setLevel(before);
            }
        }

        private void startAndStopMany() {
            List<SessionTimer> timers = new ArrayList<>();
            for (int i = 0; i < 100_000; i++) {
                SessionTimer t = new SessionTimer("call-" + i, scheduler, FixedRandom.lowest(), listener);
                t.start(1800, i % 2 == 0);
                timers.add(t);
            }
            assertThat(scheduler.pendingTaskCount()).isEqualTo(100_000);
            scheduler.advanceBy(900_000);
            assertThat(listener.events).hasSize(50_000);
            assertThat(scheduler.pendingTaskCount()).isEqualTo(100_000);
            timers.forEach(SessionTimer::stop);
            assertThat(scheduler.pendingTaskCount()).isZero();
        }
    }

    @Nested
    @DisplayName("Regressions")
    class Regressions {

        @Test
        @DisplayName("C3: a timer is never armed when none was negotiated")
        void neverArmedWithoutNegotiation() {
            UacNegotiation uac = new UacNegotiation(SessionTimerConfig.defaults());
            timer.apply(uac.on2xx(List.of(), Role.UAC));
            UasNegotiator uas = new UasNegotiator(SessionTimerConfig.defaults());
            timer.apply(uas.negotiate(new TimerRequest(List.of(), List.of(), false)));
            UacNegotiation off = new UacNegotiation(SessionTimerConfig.builder().mode(SessionTimerMode.OFF).build());
            timer.apply(off.on2xx(List.of("1800;refresher=uac"), Role.UAC));
            timer.apply(uas.negotiate(new TimerRequest(List.of("30"), List.of(), true))); // 422: no timer either

            assertThat(timer.isActive()).isFalse();
            assertThat(scheduler.scheduledCount()).isZero();
            scheduler.advanceBy(10 * 3_600_000L);
            assertThat(listener.events).isEmpty();
        }

        @Test
        @DisplayName("R10: the reset is real: without refreshReceived the original expiry fires")
        void controlForMovesExpiry() {
            timer.start(90, false);
            scheduler.advanceTo(60_001);
            assertThat(listener.events).containsExactly("expired@60000");
        }
    }

    @Nested
    @DisplayName("Start")
    class Start {

        private ListAppender<ILoggingEvent> appender;
        private Logger logger;

        @AfterEach
        void detach() {
            if (logger != null) {
                logger.detachAppender(appender);
                logger.setLevel(null);
            }
        }

        private List<String> infoMessages() {
            return appender.list.stream().filter(e -> e.getLevel() == Level.INFO)
                    .map(ILoggingEvent::getFormattedMessage).toList();
        }

        private void capture() {
            logger = (Logger) LoggerFactory.getLogger(SessionTimer.class);
            logger.setLevel(Level.DEBUG);
            appender = new ListAppender<>();
            appender.start();
            logger.addAppender(appender);
        }

        @Test
        @DisplayName("R1: start logs sessionExpires, the seconds until expiry and the role")
        void logs() {
            capture();
            timer.start(1800, true);
            new SessionTimer("lab", scheduler, FixedRandom.lowest(), listener).start(10, false);
            assertThat(infoMessages()).containsExactly(
                    "Started session timer sessionExpires=1800 expiryWarning=1768 weAreRefresher=true dialogId=call-1",
                    "Started session timer sessionExpires=10 expiryWarning=6.667 weAreRefresher=false dialogId=lab");
            scheduler.advanceBy(7_000);
            assertThat(infoMessages()).contains("Session timer expired, terminating call dialogId=lab");
        }

        @Test
        @DisplayName("R9: intervals outside 1..2^32-1 are refused")
        void invalidInterval() {
            assertThatThrownBy(() -> timer.start(0, true)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> timer.start(4_294_967_296L, true)).isInstanceOf(IllegalArgumentException.class);
            assertThat(scheduler.pendingTaskCount()).isZero();
        }

        @Test
        @DisplayName("R1: a second start restarts instead of adding timers")
        void restart() {
            timer.start(1800, true);
            scheduler.advanceBy(1_000);
            timer.start(90, true);
            assertThat(scheduler.pendingTaskCount()).isEqualTo(1);
            assertThat(timer.refreshAtMillis()).isEqualTo(46_000);
            assertThat(timer.dialogId()).isEqualTo("call-1");
        }
    }

    @Nested
    @DisplayName("Resume (a call taken over from another node)")
    class Resume {

        @Test
        @DisplayName("K2: the stored deadlines are kept: refresh and expiry fire when they were due at the other node")
        void keepsDeadlines() {
            timer.resume(1800, true, 300_000, 1_000_000);
            assertThat(timer.refreshAtMillis()).isEqualTo(300_000);
            assertThat(timer.expiresAtMillis()).isEqualTo(1_000_000);
            scheduler.advanceBy(300_000);
            assertThat(listener.events).containsExactly("refreshDue@300000");
            scheduler.advanceBy(700_000);
            assertThat(listener.events).containsExactly("refreshDue@300000", "expired@1000000");
        }

        @Test
        @DisplayName("K2: a refresh that fell due in the gap goes out at once, the expiry stays where it was")
        void refreshDueInGap() {
            scheduler.advanceBy(10_000);
            timer.resume(90, true, 5_000, 50_000);
            scheduler.advanceBy(0);
            assertThat(listener.events).containsExactly("refreshDue@10000");
            assertThat(timer.expiresAtMillis()).isEqualTo(50_000);
        }

        @Test
        @DisplayName("K2: a refresh the other node had sent without seeing its answer is sent again at once")
        void refreshInFlight() {
            timer.resume(90, true, -1, 50_000);
            scheduler.advanceBy(0);
            assertThat(listener.events).containsExactly("refreshDue@0");
        }

        @Test
        @DisplayName("K2: past the expiry, the session expires at once and is not refreshed")
        void pastExpiry() {
            scheduler.advanceBy(60_000);
            timer.resume(90, true, 45_000, 59_000);
            scheduler.advanceBy(0);
            assertThat(listener.events).containsExactly("expired@60000");
            assertThat(timer.isEnded()).isTrue();
        }

        @Test
        @DisplayName("K2: when the peer refreshes, only the expiry is armed")
        void peerRefreshes() {
            timer.resume(90, false, 45_000, 60_000);
            assertThat(timer.refreshAtMillis()).isEqualTo(-1);
            scheduler.advanceBy(60_000);
            assertThat(listener.events).containsExactly("expired@60000");
        }
    }

    @Nested
    @DisplayName("Clock steps")
    class ClockSteps {

        @Test
        @DisplayName("R1/R9: a wall-clock step forward or back moves no deadline; only their display follows it")
        void wallClockStep() {
            timer.start(90, true);
            long shownRefresh = scheduler.toEpochMillis(timer.refreshAtMillis());
            scheduler.stepWallClock(3_600_000); // an NTP step of an hour, as a resumed VM sees it
            assertThat(scheduler.toEpochMillis(timer.refreshAtMillis())).isEqualTo(shownRefresh + 3_600_000);
            scheduler.advanceBy(44_999);
            assertThat(listener.events).isEmpty();
            scheduler.advanceBy(1);
            assertThat(listener.events).containsExactly("refreshDue@45000");
            scheduler.stepWallClock(-7_200_000);
            scheduler.advanceBy(14_999);
            assertThat(listener.events).containsExactly("refreshDue@45000");
            scheduler.advanceBy(1);
            assertThat(listener.events).containsExactly("refreshDue@45000", "expired@60000");
        }

        @Test
        @DisplayName("K2: epoch deadlines convert back to the same scheduler deadlines")
        void epochRoundTrip() {
            scheduler.advanceBy(1_234);
            long epoch = scheduler.toEpochMillis(50_000);
            assertThat(scheduler.fromEpochMillis(epoch)).isEqualTo(50_000);
            assertThat(scheduler.toEpochMillis(-1)).isEqualTo(-1);
            assertThat(scheduler.fromEpochMillis(-1)).isEqualTo(-1);
        }
    }
}
