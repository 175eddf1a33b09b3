package org.sessiontimer.camel.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("UAC negotiation (RFC 4028 §7)")
class UacNegotiationTest {

    private final UacNegotiation negotiation = new UacNegotiation(SessionTimerConfig.builder().build());

    static List<String> texts(List<SipHeader> headers) {
        return headers.stream().map(SipHeader::toString).toList();
    }

    static UacNegotiation negotiation(SessionTimerConfig.Builder config) {
        return new UacNegotiation(config.build());
    }

    @Nested
    @DisplayName("AddHeadersToRequest")
    class AddHeadersToRequest {

        @Test
        @DisplayName("C1: initial INVITE: Session-Expires 1800 without refresher, Min-SE 90, Supported: timer")
        void initialInvite() {
            assertThat(negotiation.initialRequestHeaders()).containsExactly(
                    new SipHeader("Session-Expires", "1800"),
                    new SipHeader("Min-SE", "90"),
                    new SipHeader("Supported", "timer"));
        }

        @Test
        @DisplayName("C1: configured values, and the refresher only when configured explicitly")
        void configured() {
            UacNegotiation n = negotiation(SessionTimerConfig.builder().sessionExpires(600).minSe(120)
                    .requestRefresher(Refresher.UAS));
            assertThat(texts(n.initialRequestHeaders()))
                    .containsExactly("Session-Expires: 600;refresher=uas", "Min-SE: 120", "Supported: timer");
        }

        @Test
        @DisplayName("R3: refresh: SE = the current interval with refresher=uac when we stay refresher")
        void refresh() {
            assertThat(texts(negotiation.refreshRequestHeaders(600, true)))
                    .containsExactly("Session-Expires: 600;refresher=uac", "Min-SE: 90", "Supported: timer");
        }

        @Test
        @DisplayName("R3: refresh when the peer is and stays refresher: refresher=uas")
        void refreshPeerStays() {
            assertThat(texts(negotiation.refreshRequestHeaders(1800, false)))
                    .containsExactly("Session-Expires: 1800;refresher=uas", "Min-SE: 90", "Supported: timer");
        }

        @Test
        @DisplayName("H4: every request we build carries Supported: timer exactly once; none when off")
        void supportedTimer() {
            assertThat(negotiation.initialRequestHeaders()).filteredOn(h -> h.name().equals("Supported")).hasSize(1);
            assertThat(negotiation.refreshRequestHeaders(90, true)).filteredOn(h -> h.name().equals("Supported")).hasSize(1);
            UacNegotiation off = negotiation(SessionTimerConfig.builder().mode(SessionTimerMode.OFF));
            assertThat(off.initialRequestHeaders()).isEmpty();
            assertThat(off.refreshRequestHeaders(1800, true)).isEmpty();
        }
    }

    @Nested
    @DisplayName("NegotiateResponse")
    class NegotiateResponse {

        @Test
        @DisplayName("C2: 2xx with refresher=uac: we refresh at that interval")
        void uac() {
            assertThat(negotiation.on2xx(List.of("1200;refresher=uac"), Role.UAC))
                    .isEqualTo(new UacResult.Timer(1200, Refresher.UAC, true));
        }

        @Test
        @DisplayName("C2: 2xx with refresher=uas: the peer refreshes, we watch for expiry")
        void uas() {
            assertThat(negotiation.on2xx(List.of("1800;refresher=uas"), Role.UAC))
                    .isEqualTo(new UacResult.Timer(1800, Refresher.UAS, false));
        }

        @Test
        @DisplayName("C2: 2xx with SE but no refresher (non-compliant UAS): we refresh")
        void noRefresher() {
            assertThat(negotiation.on2xx(List.of("1800"), Role.UAC))
                    .isEqualTo(new UacResult.Timer(1800, Refresher.UAC, true));
        }

        @Test
        @DisplayName("C3: 2xx without SE: no session timer (mode optional)")
        void noSessionExpires() {
            assertThat(negotiation.on2xx(List.of(), Role.UAC)).isEqualTo(new UacResult.NoTimer());
        }

        @Test
        @DisplayName("C3: 2xx without SE in mode always: we refresh at our own interval")
        void always() {
            UacNegotiation n = negotiation(SessionTimerConfig.builder().mode(SessionTimerMode.ALWAYS).sessionExpires(900));
            assertThat(n.on2xx(List.of(), Role.UAC)).isEqualTo(new UacResult.Timer(900, Refresher.UAC, true));
        }

        @Test
        @DisplayName("C3: 2xx without SE in mode required: the call fails")
        void required() {
            UacNegotiation n = negotiation(SessionTimerConfig.builder().mode(SessionTimerMode.REQUIRED));
            assertThat(n.on2xx(List.of(), Role.UAC)).isEqualTo(
                    new UacResult.Fail("2xx without Session-Expires but session timers are required (C3)"));
        }

        @Test
        @DisplayName("C3: mode off ignores the 2xx's Session-Expires")
        void off() {
            UacNegotiation n = negotiation(SessionTimerConfig.builder().mode(SessionTimerMode.OFF));
            assertThat(n.on2xx(List.of("1800;refresher=uac"), Role.UAC)).isEqualTo(new UacResult.NoTimer());
        }

        @Test
        @DisplayName("H3: a malformed SE in a 2xx fails the transaction with a clear error")
        void malformed() {
            assertThat(negotiation.on2xx(List.of("abc"), Role.UAC))
                    .isEqualTo(new UacResult.Fail("2xx with malformed Session-Expires: not a number: 'abc'"));
            assertThat(negotiation.on2xx(List.of("1800;refresher=foo"), Role.UAC))
                    .isEqualTo(new UacResult.Fail("2xx with malformed Session-Expires: unknown refresher value: 'foo'"));
            assertThat(negotiation.on2xx(List.of("1800", "1800"), Role.UAC)).isInstanceOf(UacResult.Fail.class);
            assertThat(negotiation.on2xx(List.of("0;refresher=uac"), Role.UAC)).isInstanceOf(UacResult.Fail.class);
        }

        @Test
        @DisplayName("R4: a 2xx to our refresh re-negotiates: interval and refresher can change")
        void refreshAnswer() {
            negotiation.on2xx(List.of("1800;refresher=uac"), Role.UAC);
            negotiation.refreshRequestHeaders(1800, true);
            assertThat(negotiation.on2xx(List.of("900;refresher=uas"), Role.UAC))
                    .isEqualTo(new UacResult.Timer(900, Refresher.UAS, false));
            assertThat(negotiation.on2xx(List.of(), Role.UAC)).isEqualTo(new UacResult.NoTimer());
        }
    }

    @Nested
    @DisplayName("C4, R5: 422 Session Interval Too Small")
    class On422 {

        @Test
        @DisplayName("C4: retry with Min-SE = the 422's and SE raised to it")
        void retry() {
            assertThat(negotiation.on422(List.of("3600")))
                    .isEqualTo(new UacRetry.Retry(List.of(
                            new SipHeader("Session-Expires", "3600"),
                            new SipHeader("Min-SE", "3600"),
                            new SipHeader("Supported", "timer"))));
            assertThat(negotiation.largestMinSe()).isEqualTo(3600);
            assertThat(negotiation.retries()).isEqualTo(1);
        }

        @Test
        @DisplayName("C4: SE = max(SE, Min-SE): a larger configured SE is kept")
        void keepsLargerSe() {
            UacNegotiation n = negotiation(SessionTimerConfig.builder().sessionExpires(7200));
            assertThat(n.on422(List.of("3600"))).isInstanceOfSatisfying(UacRetry.Retry.class,
                    r -> assertThat(texts(r.headers())).containsExactly(
                            "Session-Expires: 7200", "Min-SE: 3600", "Supported: timer"));
        }

        @Test
        @DisplayName("C4: at most 3 retries; the 4th 422 fails")
        void maxRetries() {
            assertThat(negotiation.on422(List.of("1000"))).isInstanceOf(UacRetry.Retry.class);
            assertThat(negotiation.on422(List.of("2000"))).isInstanceOf(UacRetry.Retry.class);
            assertThat(negotiation.on422(List.of("3000"))).isInstanceOf(UacRetry.Retry.class);
            assertThat(negotiation.on422(List.of("4000"))).isEqualTo(new UacRetry.Fail(
                    "422 Session Interval Too Small after 3 retries (RFC 4028 §7.1, C4)"));
            assertThat(negotiation.largestMinSe()).isEqualTo(3000);
        }

        @Test
        @DisplayName("C4: a 422 without Min-SE fails")
        void withoutMinSe() {
            assertThat(negotiation.on422(List.of())).isEqualTo(new UacRetry.Fail(
                    "422 Session Interval Too Small without Min-SE (RFC 4028 §6 requires it)"));
            assertThat(negotiation.on422(null)).isInstanceOf(UacRetry.Fail.class);
        }

        @Test
        @DisplayName("C4: a 422 that does not raise the minimum fails (no 422 loops)")
        void notRaising() {
            assertThat(negotiation.on422(List.of("90"))).isEqualTo(new UacRetry.Fail(
                    "422 Session Interval Too Small with Min-SE 90 that does not raise our minimum 90 (C4)"));
            assertThat(negotiation.on422(List.of("60"))).isInstanceOf(UacRetry.Fail.class);
            assertThat(negotiation.on422(List.of("1800"))).isInstanceOf(UacRetry.Retry.class);
            assertThat(negotiation.on422(List.of("1800"))).isInstanceOf(UacRetry.Fail.class);
        }

        @Test
        @DisplayName("C4: a 422 with a malformed Min-SE fails")
        void malformed() {
            assertThat(negotiation.on422(List.of("abc")))
                    .isEqualTo(new UacRetry.Fail("422 with malformed Min-SE: not a number: 'abc'"));
        }

        @Test
        @DisplayName("C4: the retry count is per request: a 2xx resets it")
        void perRequest() {
            negotiation.on422(List.of("1000"));
            negotiation.on422(List.of("2000"));
            negotiation.on422(List.of("3000"));
            negotiation.on2xx(List.of("3000;refresher=uac"), Role.UAC);
            negotiation.refreshRequestHeaders(3000, true);
            assertThat(negotiation.on422(List.of("4000"))).isInstanceOf(UacRetry.Retry.class);
        }

        @Test
        @DisplayName("R5: a 422 to a refresh retries the refresh with the raised values")
        void toRefresh() {
            negotiation.on2xx(List.of("1800;refresher=uac"), Role.UAC);
            negotiation.refreshRequestHeaders(1800, true);
            assertThat(negotiation.on422(List.of("3600"))).isInstanceOfSatisfying(UacRetry.Retry.class,
                    r -> assertThat(texts(r.headers())).containsExactly(
                            "Session-Expires: 3600;refresher=uac", "Min-SE: 3600", "Supported: timer"));
        }

        @Test
        @DisplayName("C3: mode always after a 422: our own interval is the raised one")
        void alwaysAfter422() {
            UacNegotiation n = negotiation(SessionTimerConfig.builder().mode(SessionTimerMode.ALWAYS));
            n.on422(List.of("2400"));
            assertThat(n.on2xx(List.of(), Role.UAC)).isEqualTo(new UacResult.Timer(2400, Refresher.UAC, true));
        }
    }

    @Nested
    @DisplayName("C5: the largest Min-SE seen")
    class LargestMinSe {

        @Test
        @DisplayName("C5: later requests carry the largest Min-SE seen in the dialog")
        void observed() {
            negotiation.observeMinSe(1200);
            negotiation.observeMinSe(600); // smaller: ignored
            assertThat(texts(negotiation.refreshRequestHeaders(1800, true)))
                    .containsExactly("Session-Expires: 1800;refresher=uac", "Min-SE: 1200", "Supported: timer");
            assertThat(texts(negotiation.initialRequestHeaders())).contains("Min-SE: 1200");
        }

        @Test
        @DisplayName("C5: the refresh's SE is at least that Min-SE")
        void seAtLeastMinSe() {
            negotiation.observeMinSe(2400);
            assertThat(texts(negotiation.refreshRequestHeaders(1800, true))).first()
                    .isEqualTo("Session-Expires: 2400;refresher=uac");
        }

        @Test
        @DisplayName("C5: a 422's Min-SE is kept for the rest of the dialog")
        void from422() {
            negotiation.on422(List.of("3600"));
            negotiation.on2xx(List.of("3600;refresher=uac"), Role.UAC);
            assertThat(texts(negotiation.refreshRequestHeaders(3600, true))).contains("Min-SE: 3600");
        }
    }

    @Nested
    @DisplayName("Regressions")
    class Regressions {

        @Test
        @DisplayName("C3: a 2xx without Session-Expires turns a running timer off")
        void noSeTurnsTimerOff() {
            VirtualTimeScheduler scheduler = new VirtualTimeScheduler();
            RecordingListener listener = new RecordingListener(scheduler);
            SessionTimer timer = new SessionTimer("d", scheduler, FixedRandom.lowest(), listener);
            timer.apply(negotiation.on2xx(List.of("1800;refresher=uac"), Role.UAC));
            assertThat(timer.isActive()).isTrue();

            UacResult answerToRefresh = negotiation.on2xx(List.of(), Role.UAC);
            assertThat(answerToRefresh).isInstanceOf(UacResult.NoTimer.class);
            timer.apply(answerToRefresh);

            assertThat(timer.isActive()).isFalse();
            assertThat(scheduler.pendingTaskCount()).isZero();
            scheduler.advanceBy(10 * 3_600_000L);
            assertThat(listener.events).isEmpty();
        }

        @Test
        @DisplayName("R3: refreshes carry the negotiated interval, not the configured default")
        void negotiatedInterval() {
            VirtualTimeScheduler scheduler = new VirtualTimeScheduler();
            RecordingListener listener = new RecordingListener(scheduler);
            SessionTimer timer = new SessionTimer("d", scheduler, FixedRandom.lowest(), listener);
            // configured 1800, the UAS chose 600
            timer.apply(negotiation.on2xx(List.of("600;refresher=uac"), Role.UAC));
            assertThat(timer.intervalSeconds()).isEqualTo(600);
            assertThat(timer.refreshAtMillis()).isEqualTo(300_000);

            scheduler.advanceBy(300_000);
            assertThat(listener.events).containsExactly("refreshDue@300000");
            assertThat(texts(negotiation.refreshRequestHeaders(timer.intervalSeconds(), timer.weRefresh())))
                    .containsExactly("Session-Expires: 600;refresher=uac", "Min-SE: 90", "Supported: timer");
            assertThat(timer.refreshFailed(500, OptionalLong.empty(), true))
                    .isEqualTo(SessionTimer.RefreshFailure.CONTINUE_UNTIL_EXPIRY);
        }
    }
}
