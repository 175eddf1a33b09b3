package org.sessiontimer.camel;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sessiontimer.camel.ScriptedSipPeer.Answer;
import org.sessiontimer.camel.ScriptedSipPeer.Kind;
import org.sessiontimer.camel.ScriptedSipPeer.PeerCall;
import org.sessiontimer.camel.ScriptedSipPeer.Received;
import org.sessiontimer.camel.sip.SipCallException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sessiontimer.camel.ScriptedSipPeer.finalResponse;
import static org.sessiontimer.camel.ScriptedSipPeer.request;
import static org.sessiontimer.camel.ScriptedSipPeer.response;

/** How calls end (BYE either way, CANCEL, rejection) and what we answer outside calls (OPTIONS, unknown dialogs). */
class CallLifecycleComponentTest extends SessionTimerTestSupport {

    @Test
    @DisplayName("R12: CANCEL before the answer -> 200 to CANCEL, 487 to INVITE, state freed; the late answer is dropped")
    void cancelBeforeAnswer() throws Exception {
        CountDownLatch routeMayAnswer = new CountDownLatch(1);
        String options = "sessionExpires=6&sendRinging=true";
        startCamel(options, false, new RouteBuilder() {
            @Override
            public void configure() {
                from(callUri(options)).routeId("late-answer").process(e -> {
                    // the test decides when the route answers; bounded so a failing test cannot hang the route
                    routeMayAnswer.await(10, TimeUnit.SECONDS);
                    e.getMessage().setBody(OUR_SDP);
                });
            }
        });
        PeerCall call = peer.call(ourUri(), "udp", "Session-Expires: 6", "Supported: timer");
        peer.expect(response(180, "INVITE"), SHORT, "180 Ringing");
        assertThat(component.getActiveSessionCount()).isEqualTo(1);

        call.cancel();
        assertThat(peer.expect(finalResponse("CANCEL", call.callId()), SHORT, "answer to CANCEL").status())
                .isEqualTo(200);
        assertThat(call.awaitFinalResponse(SHORT).status()).isEqualTo(487);
        assertThat(expectEvent("ended", call.callId(), SHORT).reason()).isEqualTo("cancelled");
        assertThat(component.getActiveSessionCount()).isZero();

        NotifyBuilder routeAnswered = new NotifyBuilder(context).fromRoute("late-answer").whenDone(1).create();
        routeMayAnswer.countDown();
        assertThat(routeAnswered.matches(5, TimeUnit.SECONDS)).as("the route gave its late answer").isTrue();
        peer.expectNone(finalResponse("INVITE", call.callId()), Duration.ofMillis(500), "a final answer after 487");
        assertThat(component.getActiveSessionCount()).isZero();
    }

    @ParameterizedTest(name = "{0} hangs up")
    @ValueSource(strings = { "peer", "we" })
    @DisplayName("R12: BYE from either side ends the call, stops both timers and frees the state (TCP)")
    void byeFromEitherSide(String who) throws Exception {
        startCamel("sessionExpires=6");
        PeerCall call = peer.call(ourUri(), "tcp", "Session-Expires: 6", "Supported: timer");
        assertThat(call.awaitFinalResponse(CALL_SETUP).status()).isEqualTo(200);
        expectEvent("confirmed", call.callId(), SHORT);
        assertThat(component.getScheduledTimerCount()).as("a timer runs").isPositive();

        if (who.equals("peer")) {
            call.bye();
            assertThat(peer.expect(finalResponse("BYE", call.callId()), SHORT, "answer to BYE").status()).isEqualTo(200);
            assertThat(expectEvent("ended", call.callId(), SHORT).reason()).isEqualTo("bye received");
        } else {
            hangup(call.callId());
            Received bye = peer.expect(request("BYE", call.callId()), SHORT, "BYE");
            assertThat(bye.transport()).isEqualTo("tcp");
            assertThat(expectEvent("ended", call.callId(), SHORT).reason()).isEqualTo("bye requested");
        }
        assertThat(component.getActiveSessionCount()).isZero();
        assertThat(component.getScheduledTimerCount()).as("R12: nothing left scheduled").isZero();
    }

    @Test
    @DisplayName("R12: the route rejects a call with CamelSessionTimerStatusCode -> that status, no state left")
    void routeRejects() throws Exception {
        startCamel("sessionExpires=6", false, new RouteBuilder() {
            @Override
            public void configure() {
                from(callUri("sessionExpires=6")).setHeader(SessionTimerConstants.STATUS_CODE, constant(486))
                        .setHeader(SessionTimerConstants.REASON_PHRASE, constant("Busy Here"));
            }
        });
        PeerCall call = peer.call(ourUri(), "udp", "Session-Expires: 6", "Supported: timer");
        Received answer = call.awaitFinalResponse(CALL_SETUP);
        assertThat(answer.status()).isEqualTo(486);
        assertThat(answer.reasonPhrase()).isEqualTo("Busy Here");
        assertThat(expectEvent("ended", call.callId(), SHORT).reason()).contains("486");
    }

    @ParameterizedTest(name = "status {0}")
    @ValueSource(ints = { 302, 700 })
    @DisplayName("R12: a route status that cannot reject a call (a redirect without Contact, past 699) -> 500")
    void routeRejectsWithInvalidStatus(int status) throws Exception {
        startCamel("sessionExpires=6", false, new RouteBuilder() {
            @Override
            public void configure() {
                from(callUri("sessionExpires=6")).setHeader(SessionTimerConstants.STATUS_CODE, constant(status));
            }
        });
        PeerCall call = peer.call(ourUri(), "udp", "Session-Expires: 6", "Supported: timer");
        assertThat(call.awaitFinalResponse(CALL_SETUP).status()).isEqualTo(500);
        assertThat(expectEvent("ended", call.callId(), SHORT).reason()).contains("500");
        assertThat(component.getActiveSessionCount()).isZero();
    }

    @Test
    @DisplayName("R12: stopping the component sends BYE over TCP and closes the stack only once the BYE is answered")
    void stopWaitsForTheByeAnswer() throws Exception {
        startCamel("sessionExpires=60");
        try (WireLog wire = new WireLog("127.0.0.1", port)) {
            Exchange exchange = callPeerOk("sessionExpires=60", "tcp");
            String callId = exchange.getMessage().getHeader(SessionTimerConstants.CALL_ID, String.class);
            context.stop();
            // a request still queued for writing when the stack closes its TCP connections is lost
            assertThat(wire.hasReceivedResponse(200, "BYE", callId)).as("the 200 to our BYE arrived before the stop")
                    .isTrue();
            peer.expect(request("BYE", callId), SHORT, "BYE");
        }
        assertThat(component.getActiveSessionCount()).isZero();
    }

    @Test
    @DisplayName("R12: a peer that never answers the BYE sent at stop holds the stop for the 2 s grace, no longer")
    void stopGivesUpOnASilentPeer() throws Exception {
        startCamel("sessionExpires=60");
        peer.respond(Kind.BYE, Answer.silence());
        Exchange exchange = callPeerOk("sessionExpires=60", "tcp");
        String callId = exchange.getMessage().getHeader(SessionTimerConstants.CALL_ID, String.class);
        long start = System.nanoTime();
        context.stop();
        // the grace, then JAIN-SIP's own stop (it sleeps 1 s), plus room for a busy machine
        assertThat(millisBetween(start, System.nanoTime())).isBetween(2000L, 2000L + 1000 + 2500);
        peer.expect(request("BYE", callId), SHORT, "BYE");
        assertThat(component.getActiveSessionCount()).isZero();
    }

    @Test
    @DisplayName("R12: our call rejected by the peer with 486 -> the producer fails, no state left")
    void peerRejects() throws Exception {
        startCamel("sessionExpires=6");
        peer.respond(Kind.INVITE, Answer.status(486, "Busy Here"));
        Exchange exchange = callPeer("sessionExpires=6", "udp");
        assertThat(exchange.getException()).hasMessageContaining("486");
        assertThat(component.getActiveSessionCount()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "BYE", "INVITE", "UPDATE" })
    @DisplayName("R7/R12: requests for a dialog we do not know (freed, or never ours) -> 481")
    void unknownDialog(String method) throws Exception {
        startCamel("sessionExpires=6");
        String callId = peer.sendOutOfDialog(method, ourUri(), "udp", true, "Session-Expires: 6", "Supported: timer");
        Received answer = peer.expect(finalResponse(method, callId), SHORT, "answer to " + method);
        assertThat(answer.status()).isEqualTo(481);
        assertThat(component.getActiveSessionCount()).isZero();
    }

    @Test
    @DisplayName("H4: OPTIONS -> 200 with Allow listing UPDATE and Supported: timer")
    void options() throws Exception {
        startCamel("sessionExpires=6");
        String callId = peer.sendOutOfDialog("OPTIONS", ourUri(), "tcp", false);
        Received ok = peer.expect(finalResponse("OPTIONS", callId), SHORT, "answer to OPTIONS");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.tokens("Allow")).contains("invite", "ack", "bye", "cancel", "options", "update");
        assertThat(ok.tokenCount("Supported", "timer")).isEqualTo(1);
    }

    @Test
    @DisplayName("R1/R9: session-timer:sessions lists the active call with its interval, refresher and next refresh")
    @SuppressWarnings("unchecked")
    void sessionsList() throws Exception {
        startCamel("sessionExpires=6");
        PeerCall call = peer.call(ourUri(), "udp", "Session-Expires: 6;refresher=uas", "Supported: timer");
        assertThat(call.awaitFinalResponse(CALL_SETUP).status()).isEqualTo(200);
        expectEvent("confirmed", call.callId(), SHORT);
        List<Map<String, Object>> sessions = template.requestBody("session-timer:sessions", null, List.class);
        assertThat(sessions).hasSize(1);
        assertThat(sessions.get(0)).containsEntry("callId", call.callId()).containsEntry("role", "uas")
                .containsEntry("interval", 6L).containsEntry("refresher", "uas").containsEntry("weRefresh", true)
                .containsEntry("confirmed", true);
        assertThat(sessions.get(0).get("nextRefresh")).isNotNull();
        call.bye();
        peer.expect(finalResponse("BYE", call.callId()), SHORT, "200 to BYE");
        assertThat(template.requestBody("session-timer:sessions", null, List.class)).isEmpty();
    }

    @Test
    @DisplayName("R7/R12: no answer at all to our INVITE (64*T1 = 3.2 s with transactionT1=50) -> the call fails with 408")
    void noAnswerToInvite() throws Exception {
        String options = "sessionExpires=6&transactionT1=50";
        startCamel(options);
        try (ScriptedSipPeer.BlackHole blackHole = new ScriptedSipPeer.BlackHole()) {
            long start = System.nanoTime();
            Exchange exchange = template.request(callUri(options), e -> {
                e.getMessage().setBody(OUR_SDP);
                e.getMessage().setHeader(SessionTimerConstants.TO, blackHole.uri());
            });
            assertThat(exchange.getException()).isInstanceOf(SipCallException.class)
                    .hasMessageContaining("no answer");
            assertThat(millisBetween(start, System.nanoTime())).isBetween(3200L - 150, 3200L + 900);
            assertThat(component.getActiveSessionCount()).isZero();
        }
    }

    @Test
    @DisplayName("R12: the peer rings and never answers -> after answerTimeout we CANCEL and the call fails with 408")
    void ringsForever() throws Exception {
        String options = "sessionExpires=6&answerTimeout=1500";
        startCamel(options);
        peer.respond(Kind.INVITE, Answer.status(180, "Ringing"));
        long start = System.nanoTime();
        Exchange exchange = template.request(callUri(options), e -> {
            e.getMessage().setBody(OUR_SDP);
            e.getMessage().setHeader(SessionTimerConstants.TO, peer.uri("udp"));
        });
        assertThat(exchange.getException()).isInstanceOf(SipCallException.class).hasMessageContaining("no answer");
        assertThat(((SipCallException) exchange.getException()).statusCode()).isEqualTo(408);
        assertThat(millisBetween(start, System.nanoTime())).isBetween(1500L - 150, 1500L + 900);
        peer.expect(request("CANCEL"), SHORT, "CANCEL of the unanswered INVITE");
        assertThat(component.getActiveSessionCount()).isZero();
    }
}
