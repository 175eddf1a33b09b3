package org.sessiontimer.camel.limits;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.sessiontimer.camel.limits.Admission.Verdict;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Admission of new calls (virtual time)")
class AdmissionControlTest {

    private static final InetAddress A = address("192.0.2.1");
    private static final InetAddress B = address("192.0.2.2");

    private final VirtualClock clock = new VirtualClock();
    private final AtomicInteger sessions = new AtomicInteger();
    private final LimitStats stats = new LimitStats();
    private final Logger logger = (Logger) LoggerFactory.getLogger(AdmissionControl.LOGGER);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void attach() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(log);
    }

    @Test
    @DisplayName("no limit configured: every INVITE is admitted")
    void noLimits() {
        AdmissionControl control = control(AdmissionSettings.NONE);
        sessions.set(1_000_000);
        for (int i = 0; i < 10_000; i++) {
            assertThat(control.admit(A, "c" + i).admitted()).isTrue();
        }
        assertThat(log.list).isEmpty();
    }

    @Test
    @DisplayName("maxSessions: 503 with Retry-After while the component holds that many sessions")
    void maxSessions() {
        AdmissionControl control = control(new AdmissionSettings(2, 30, 0, 0, LimitAction.REJECT, AllowedSources.ANY,
                LimitAction.REJECT));
        sessions.set(1);
        assertThat(control.admit(A, "c1").admitted()).isTrue();
        sessions.set(2);
        Admission refused = control.admit(A, "c2");
        assertThat(refused).isEqualTo(new Admission(Verdict.REJECT, 503, "Service Unavailable (session limit)", 30,
                Limit.MAX_SESSIONS));
        sessions.set(1);
        assertThat(control.admit(A, "c3").admitted()).as("room again once a call ended").isTrue();
        assertThat(stats.count(Limit.MAX_SESSIONS)).isEqualTo(1);
        assertThat(log.list).singleElement().extracting(ILoggingEvent::getFormattedMessage)
                .isEqualTo("Refused INVITE Call-ID=c2 from 192.0.2.1 (answered 503): 2 active sessions, maxSessions=2");
    }

    @Test
    @DisplayName("maxCallsPerSecond: a second's worth at once, then the rate; 503 beyond, from any source")
    void callRate() {
        AdmissionControl control = control(new AdmissionSettings(0, 0, 10, 0, LimitAction.REJECT, AllowedSources.ANY,
                LimitAction.REJECT));
        assertThat(admitted(control, A, 15)).isEqualTo(10);
        assertThat(control.admit(B, "b").statusCode()).isEqualTo(503);
        clock.advance(Duration.ofMillis(500));
        assertThat(admitted(control, B, 15)).isEqualTo(5);
        assertThat(stats.count(Limit.CALL_RATE)).isEqualTo(5 + 1 + 10);
    }

    @Test
    @DisplayName("maxCallsPerSecondPerSource: each address has its own allowance; reject answers 503, drop nothing")
    void sourceRate() {
        AdmissionControl reject = control(new AdmissionSettings(0, 0, 0, 2, LimitAction.REJECT, AllowedSources.ANY,
                LimitAction.REJECT));
        assertThat(admitted(reject, A, 5)).isEqualTo(2);
        assertThat(admitted(reject, B, 5)).as("B is not slowed down by A").isEqualTo(2);
        assertThat(reject.admit(A, "x")).isEqualTo(new Admission(Verdict.REJECT, 503,
                "Service Unavailable (source call rate limit)", 0, Limit.SOURCE_CALL_RATE));
        AdmissionControl drop = control(new AdmissionSettings(0, 0, 0, 2, LimitAction.DROP, AllowedSources.ANY,
                LimitAction.REJECT));
        admitted(drop, A, 2);
        assertThat(drop.admit(A, "y").verdict()).isEqualTo(Verdict.DROP);
        clock.advance(Duration.ofSeconds(1));
        assertThat(admitted(drop, A, 5)).isEqualTo(2);
    }

    @Test
    @DisplayName("allowedSources: others get 403, or nothing with drop; an INVITE refused early takes no later token")
    void allowedSources() {
        AdmissionControl control = control(new AdmissionSettings(0, 0, 1, 0, LimitAction.REJECT,
                AllowedSources.parse("192.0.2.2/32"), LimitAction.REJECT));
        assertThat(control.admit(A, "a")).isEqualTo(new Admission(Verdict.REJECT, 403, "Forbidden (source not allowed)", 0,
                Limit.SOURCE_NOT_ALLOWED));
        assertThat(control.admit(B, "b").admitted()).as("A's refusal took no call-rate token").isTrue();
        AdmissionControl drop = control(new AdmissionSettings(0, 0, 0, 0, LimitAction.REJECT,
                AllowedSources.parse("192.0.2.2/32"), LimitAction.DROP));
        assertThat(drop.admit(A, "a").verdict()).isEqualTo(Verdict.DROP);
        assertThat(stats.count(Limit.SOURCE_NOT_ALLOWED)).isEqualTo(2);
    }

    @Test
    @DisplayName("a flood from one source: every refusal counted, a few log lines a second")
    void floodLogsLittle() {
        AdmissionControl control = control(new AdmissionSettings(0, 0, 0, 1, LimitAction.DROP, AllowedSources.ANY,
                LimitAction.REJECT));
        for (int second = 0; second < 5; second++) {
            admitted(control, A, 1000);
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(stats.count(Limit.SOURCE_CALL_RATE)).isEqualTo(5 * 999);
        assertThat(log.list).hasSizeBetween(3, 3 + 5);
    }

    @Test
    @DisplayName("negative limits fail naming the option")
    void invalid() {
        assertThatThrownBy(() -> new AdmissionSettings(-1, 0, 0, 0, LimitAction.REJECT, AllowedSources.ANY,
                LimitAction.REJECT)).hasMessage("maxSessions must be >= 0 (0: no limit), was -1");
        assertThatThrownBy(() -> LimitAction.of("sourceRateAction", "block"))
                .hasMessage("sourceRateAction must be reject or drop, was 'block'");
    }

    private AdmissionControl control(AdmissionSettings settings) {
        return new AdmissionControl(settings, sessions::get, stats, clock);
    }

    private static int admitted(AdmissionControl control, InetAddress source, int invites) {
        int admitted = 0;
        for (int i = 0; i < invites; i++) {
            if (control.admit(source, "call-" + i).admitted()) {
                admitted++;
            }
        }
        return admitted;
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
