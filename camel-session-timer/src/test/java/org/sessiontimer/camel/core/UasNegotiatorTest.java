package org.sessiontimer.camel.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("UAS negotiation (RFC 4028 §9)")
class UasNegotiatorTest {

    private static final SessionTimerConfig DEFAULTS = SessionTimerConfig.builder().build();
    private final UasNegotiator negotiator = new UasNegotiator(DEFAULTS);

    static TimerRequest request(String sessionExpires, String minSe, boolean supportsTimer) {
        return new TimerRequest(
                sessionExpires == null ? List.of() : List.of(sessionExpires),
                minSe == null ? List.of() : List.of(minSe),
                supportsTimer);
    }

    static UasNegotiator negotiator(SessionTimerConfig.Builder config) {
        return new UasNegotiator(config.build());
    }

    static List<String> texts(List<SipHeader> headers) {
        return headers.stream().map(SipHeader::toString).toList();
    }

    @Nested
    @DisplayName("NegotiateInvite")
    class NegotiateInvite {

        @Test
        @DisplayName("S1: refresher=uac: the UAC refreshes, we watch; Require: timer")
        void refresherUac() {
            UasDecision d = negotiator.negotiate(request("1800;refresher=uac", null, true));
            assertThat(d).isEqualTo(new UasDecision.Accept(1800, Refresher.UAC, true, List.of(
                    new SipHeader("Session-Expires", "1800;refresher=uac"),
                    new SipHeader("Require", "timer"),
                    new SipHeader("Supported", "timer"))));
            assertThat(((UasDecision.Accept) d).weRefresh()).isFalse();
        }

        @Test
        @DisplayName("S1: refresher=uas: we refresh")
        void refresherUas() {
            UasDecision d = negotiator.negotiate(request("1800;refresher=uas", null, true));
            assertThat(d).isInstanceOfSatisfying(UasDecision.Accept.class, a -> {
                assertThat(a.interval()).isEqualTo(1800);
                assertThat(a.refresher()).isEqualTo(Refresher.UAS);
                assertThat(a.weRefresh()).isTrue();
                assertThat(a.requireTimer()).isTrue();
                assertThat(texts(a.responseHeaders()))
                        .containsExactly("Session-Expires: 1800;refresher=uas", "Require: timer", "Supported: timer");
            });
        }

        @Test
        @DisplayName("S3: session interval too small: 422 with our Min-SE")
        void intervalTooSmall() {
            UasDecision d = negotiator.negotiate(request("60", null, true));
            assertThat(d).isEqualTo(new UasDecision.Reject(422, "Session Interval Too Small",
                    List.of(new SipHeader("Min-SE", "90"))));
        }

        @Test
        @DisplayName("S5: no Session-Expires but Supported: timer: we add SE and R (our preference uac)")
        void noSessionExpires() {
            UasDecision d = negotiator.negotiate(request(null, null, true));
            assertThat(d).isEqualTo(new UasDecision.Accept(1800, Refresher.UAC, true, List.of(
                    new SipHeader("Session-Expires", "1800;refresher=uac"),
                    new SipHeader("Require", "timer"),
                    new SipHeader("Supported", "timer"))));
        }

        @Test
        @DisplayName("S6: no Session-Expires and no Supported: timer: no timer (mode optional)")
        void noSessionExpiresNoSupport() {
            assertThat(negotiator.negotiate(request(null, null, false)))
                    .isEqualTo(new UasDecision.AcceptWithoutTimer(List.of(new SipHeader("Supported", "timer"))));
        }
    }

    @Nested
    @DisplayName("S1: refresher per Table 2")
    class Table2 {

        @Test
        @DisplayName("S1: UAC without Supported: timer -> uas, whatever the request says")
        void noSupport() {
            assertThat(negotiator.negotiate(request("1800;refresher=uac", null, false)))
                    .isInstanceOfSatisfying(UasDecision.Accept.class, a -> {
                        assertThat(a.refresher()).isEqualTo(Refresher.UAS);
                        assertThat(a.weRefresh()).isTrue();
                    });
        }

        @Test
        @DisplayName("S1: Supported: timer and R absent -> our configured preference")
        void preference() {
            assertThat(negotiator.negotiate(request("1800", null, true)))
                    .isInstanceOfSatisfying(UasDecision.Accept.class, a -> assertThat(a.refresher()).isEqualTo(Refresher.UAC));
            UasNegotiator prefersUas = negotiator(SessionTimerConfig.builder().refresher(Refresher.UAS));
            assertThat(prefersUas.negotiate(request("1800", null, true)))
                    .isInstanceOfSatisfying(UasDecision.Accept.class, a -> {
                        assertThat(a.refresher()).isEqualTo(Refresher.UAS);
                        assertThat(texts(a.responseHeaders())).first().isEqualTo("Session-Expires: 1800;refresher=uas");
                    });
        }

        @Test
        @DisplayName("S1: R present -> that value, even against our preference")
        void present() {
            UasNegotiator prefersUas = negotiator(SessionTimerConfig.builder().refresher(Refresher.UAS));
            assertThat(prefersUas.negotiate(request("1800;refresher=uac", null, true)))
                    .isInstanceOfSatisfying(UasDecision.Accept.class, a -> assertThat(a.refresher()).isEqualTo(Refresher.UAC));
        }
    }

    @Nested
    @DisplayName("S2: Require: timer")
    class RequireTimer {

        @Test
        @DisplayName("S2: R=uac -> Require: timer; R=uas with a supporting UAC -> Require: timer too")
        void supported() {
            for (String se : List.of("1800;refresher=uac", "1800;refresher=uas")) {
                assertThat(negotiator.negotiate(request(se, null, true)))
                        .isInstanceOfSatisfying(UasDecision.Accept.class, a -> {
                            assertThat(a.requireTimer()).isTrue();
                            assertThat(a.responseHeaders()).contains(new SipHeader("Require", "timer"));
                        });
            }
        }

        @Test
        @DisplayName("S2: never Require: timer when the UAC did not send Supported: timer")
        void notSupported() {
            assertThat(negotiator.negotiate(request("1800", null, false)))
                    .isEqualTo(new UasDecision.Accept(1800, Refresher.UAS, false, List.of(
                            new SipHeader("Session-Expires", "1800;refresher=uas"),
                            new SipHeader("Supported", "timer"))));
        }
    }

    @Nested
    @DisplayName("S3: interval below our Min-SE")
    class TooSmall {

        @Test
        @DisplayName("S3: 422 only when the UAC supports timer; Min-SE carries our minimum")
        void reject422() {
            UasNegotiator strict = negotiator(SessionTimerConfig.builder().minSe(600));
            assertThat(strict.negotiate(request("300;refresher=uac", "90", true)))
                    .isEqualTo(new UasDecision.Reject(422, "Session Interval Too Small",
                            List.of(new SipHeader("Min-SE", "600"))));
        }

        @Test
        @DisplayName("S3: without Supported: timer we answer 2xx with R=uas and SE = our Min-SE")
        void raiseInstead() {
            assertThat(negotiator.negotiate(request("60", null, false)))
                    .isEqualTo(new UasDecision.Accept(90, Refresher.UAS, false, List.of(
                            new SipHeader("Session-Expires", "90;refresher=uas"),
                            new SipHeader("Supported", "timer"))));
        }

        @Test
        @DisplayName("S3: the interval equal to our Min-SE is accepted")
        void boundary() {
            assertThat(negotiator.negotiate(request("90", null, true)))
                    .isInstanceOfSatisfying(UasDecision.Accept.class, a -> assertThat(a.interval()).isEqualTo(90));
        }
    }

    @Nested
    @DisplayName("S4: the interval we accept")
    class Interval {

        @Test
        @DisplayName("S4: never raised above what the request asked (not to our configured 1800)")
        void notRaised() {
            assertThat(negotiator.negotiate(request("1000", null, true)))
                    .isInstanceOfSatisfying(UasDecision.Accept.class, a -> assertThat(a.interval()).isEqualTo(1000));
        }

        @Test
        @DisplayName("S4: lowered to our maximum")
        void lowered() {
            assertThat(negotiator.negotiate(request("10000;refresher=uac", null, true)))
                    .isInstanceOfSatisfying(UasDecision.Accept.class, a -> {
                        assertThat(a.interval()).isEqualTo(7200);
                        assertThat(texts(a.responseHeaders())).first().isEqualTo("Session-Expires: 7200;refresher=uac");
                    });
        }

        @Test
        @DisplayName("S4: but never below the request's Min-SE")
        void notBelowRequestMinSe() {
            assertThat(negotiator.negotiate(request("10000", "8000", true)))
                    .isInstanceOfSatisfying(UasDecision.Accept.class, a -> assertThat(a.interval()).isEqualTo(8000));
        }
    }

    @Nested
    @DisplayName("S5, S6: requests without Session-Expires")
    class WithoutSessionExpires {

        @Test
        @DisplayName("S5: our interval, at least the request's Min-SE")
        void atLeastMinSe() {
            assertThat(negotiator.negotiate(request(null, "3600", true)))
                    .isEqualTo(new UasDecision.Accept(3600, Refresher.UAC, true, List.of(
                            new SipHeader("Session-Expires", "3600;refresher=uac"),
                            new SipHeader("Require", "timer"),
                            new SipHeader("Supported", "timer"))));
        }

        @Test
        @DisplayName("S5: nothing when the mode is off")
        void off() {
            UasNegotiator off = negotiator(SessionTimerConfig.builder().mode(SessionTimerMode.OFF));
            assertThat(off.negotiate(request(null, null, true))).isEqualTo(new UasDecision.AcceptWithoutTimer(List.of()));
            // off: the extension's headers are not even read (no 400 for a malformed one)
            assertThat(off.negotiate(request("abc", null, true))).isEqualTo(new UasDecision.AcceptWithoutTimer(List.of()));
        }

        @Test
        @DisplayName("S6: mode always -> 2xx with SE and R=uas, no Require")
        void always() {
            UasNegotiator always = negotiator(SessionTimerConfig.builder().mode(SessionTimerMode.ALWAYS));
            assertThat(always.negotiate(request(null, null, false)))
                    .isEqualTo(new UasDecision.Accept(1800, Refresher.UAS, false, List.of(
                            new SipHeader("Session-Expires", "1800;refresher=uas"),
                            new SipHeader("Supported", "timer"))));
        }

        @Test
        @DisplayName("S6: mode required -> 421 Extension Required with Require: timer")
        void required() {
            UasNegotiator required = negotiator(SessionTimerConfig.builder().mode(SessionTimerMode.REQUIRED));
            assertThat(required.negotiate(request(null, null, false)))
                    .isEqualTo(new UasDecision.Reject(421, "Extension Required", List.of(new SipHeader("Require", "timer"))));
        }

        @Test
        @DisplayName("S6: mode optional -> no timer")
        void optional() {
            assertThat(negotiator.negotiate(request(null, null, false)))
                    .isInstanceOf(UasDecision.AcceptWithoutTimer.class);
        }
    }

    @Nested
    @DisplayName("H3, H4, H5 in answers")
    class AnswerHeaders {

        @Test
        @DisplayName("H3: a malformed Session-Expires gets 400 whose reason names the header")
        void badSessionExpires() {
            assertThat(negotiator.negotiate(request("abc", null, true)))
                    .isEqualTo(new UasDecision.Reject(400, "Bad Session-Expires: not a number: 'abc'", List.of()));
            assertThat(negotiator.negotiate(new TimerRequest(List.of("1800", "900"), List.of(), true)))
                    .isInstanceOfSatisfying(UasDecision.Reject.class, r -> {
                        assertThat(r.statusCode()).isEqualTo(400);
                        assertThat(r.reasonPhrase()).startsWith("Bad Session-Expires: more than one value");
                    });
        }

        @Test
        @DisplayName("H3: a malformed Min-SE gets 400 naming Min-SE")
        void badMinSe() {
            assertThat(negotiator.negotiate(request("1800", "-5", true)))
                    .isEqualTo(new UasDecision.Reject(400, "Bad Min-SE: not a number: '-5'", List.of()));
        }

        @Test
        @DisplayName("H2: a request Min-SE below 90 is read as 90")
        void minSeBelowFloor() {
            // SE 80 with Min-SE 60 from a UAC without Supported: timer: SE raised to our minimum (S3), not to 60
            assertThat(negotiator.negotiate(request("80", "60", false)))
                    .isInstanceOfSatisfying(UasDecision.Accept.class, a -> assertThat(a.interval()).isEqualTo(90));
        }

        static Stream<TimerRequest> acceptedRequests() {
            return Stream.of(request("1800;refresher=uac", null, true), request("1800", null, false),
                    request(null, null, true), request(null, null, false), request("60", null, false),
                    request("4000;refresher=uas", "120", true));
        }

        @ParameterizedTest
        @MethodSource("acceptedRequests")
        @DisplayName("H4: every 2xx carries Supported: timer exactly once")
        void supportedInEvery2xx(TimerRequest request) {
            UasDecision d = negotiator.negotiate(request);
            assertThat(d).isNotInstanceOf(UasDecision.Reject.class);
            assertThat(d.responseHeaders()).filteredOn(h -> h.name().equals("Supported"))
                    .containsExactly(new SipHeader("Supported", "timer"));
        }

        @ParameterizedTest
        @EnumSource(value = SessionTimerMode.class, names = {"OPTIONAL", "REQUIRED", "ALWAYS"})
        @DisplayName("H5: 422 always carries Min-SE with our minimum, in every mode")
        void minSeIn422(SessionTimerMode mode) {
            UasNegotiator n = negotiator(SessionTimerConfig.builder().mode(mode).minSe(300));
            assertThat(n.negotiate(request("200", "100", true)))
                    .isEqualTo(new UasDecision.Reject(422, "Session Interval Too Small",
                            List.of(new SipHeader("Min-SE", "300"))));
        }
    }

    @Nested
    @DisplayName("AddHeadersToResponse")
    class AddHeadersToResponse {

        @Test
        @DisplayName("S2: 2xx headers in order: Session-Expires with refresher, Require, Supported")
        void withTimer() {
            assertThat(texts(negotiator.negotiate(request("900;refresher=uas", "90", true)).responseHeaders()))
                    .containsExactly("Session-Expires: 900;refresher=uas", "Require: timer", "Supported: timer");
        }

        @Test
        @DisplayName("H4: 2xx without timer still says Supported: timer")
        void withoutTimer() {
            assertThat(texts(negotiator.negotiate(request(null, null, false)).responseHeaders()))
                    .containsExactly("Supported: timer");
        }

        @Test
        @DisplayName("H5: 422 carries Min-SE and nothing else")
        void reject() {
            assertThat(texts(negotiator.negotiate(request("30", null, true)).responseHeaders()))
                    .containsExactly("Min-SE: 90");
        }
    }

    @Nested
    @DisplayName("Regressions")
    class Regressions {

        @Test
        @DisplayName("S3: a 422 is really produced: status 422 and a Min-SE header")
        void really422() {
            UasDecision d = negotiator.negotiate(request("89", null, true));
            assertThat(d).isInstanceOf(UasDecision.Reject.class);
            UasDecision.Reject r = (UasDecision.Reject) d;
            assertThat(r.statusCode()).isEqualTo(422);
            assertThat(r.responseHeaders()).extracting(SipHeader::name).containsExactly("Min-SE");
            assertThat(r.responseHeaders().get(0).value()).isEqualTo("90");
        }

        static Stream<UasNegotiator> allModes() {
            return Stream.of(SessionTimerMode.OPTIONAL, SessionTimerMode.REQUIRED, SessionTimerMode.ALWAYS)
                    .map(m -> new UasNegotiator(SessionTimerConfig.builder().mode(m).build()));
        }

        @ParameterizedTest
        @MethodSource("allModes")
        @DisplayName("S2: no Require: timer in a 2xx to a UAC that did not send Supported: timer")
        void noRequireWithoutSupported(UasNegotiator n) {
            int accepted = 0;
            for (TimerRequest r : List.of(request("1800;refresher=uac", null, false), request("1800", null, false),
                    request("30", null, false), request(null, null, false))) {
                UasDecision d = n.negotiate(r);
                if (d instanceof UasDecision.Reject reject) {
                    // the only refusal possible here is S6's 421 in mode required
                    assertThat(reject.statusCode()).isEqualTo(421);
                    assertThat(n.config().mode()).isEqualTo(SessionTimerMode.REQUIRED);
                    continue;
                }
                accepted++;
                assertThat(d.responseHeaders()).extracting(SipHeader::name).doesNotContain("Require");
                if (d instanceof UasDecision.Accept a) {
                    assertThat(a.requireTimer()).isFalse();
                    assertThat(a.refresher()).isEqualTo(Refresher.UAS);
                }
            }
            assertThat(accepted).isGreaterThanOrEqualTo(3);
        }
    }
}
