package org.sessiontimer.camel;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.sessiontimer.camel.ScriptedSipPeer.Answer;
import org.sessiontimer.camel.ScriptedSipPeer.Kind;
import org.sessiontimer.camel.ScriptedSipPeer.PeerCall;
import org.sessiontimer.camel.ScriptedSipPeer.Received;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sessiontimer.camel.ScriptedSipPeer.finalResponse;
import static org.sessiontimer.camel.ScriptedSipPeer.request;
import static org.sessiontimer.camel.ScriptedSipPeer.response;

/** RFC 3261 rules around the session timer: how dialogs end and what is answered in them (R7, R12, R14, R16). */
class DialogRulesComponentTest extends SessionTimerTestSupport {

    /** Places a call to the peer whose 2xx has no Session-Expires: no session timer runs in it (C3). */
    private String callWithoutTimer(String options) throws Exception {
        startCamel(options);
        peer.respond(Kind.INVITE, Answer.ok().sdp());
        String callId = callPeerOk(options, "udp").getMessage().getHeader(SessionTimerConstants.CALL_ID, String.class);
        peer.expect(request("ACK", callId), SHORT, "ACK");
        assertThat(component.getActiveSessionCount()).isEqualTo(1);
        return callId;
    }

    @Test
    @DisplayName("R7: 481 to a re-INVITE in a call without session timer ends the call, no BYE (RFC 3261 §12.2.1.2)")
    void callDoesNotExistWithoutTimer() throws Exception {
        String callId = callWithoutTimer("");
        peer.respondNext(Kind.REINVITE, Answer.status(481));
        refreshNow(callId);
        peer.expect(request("INVITE", callId), SHORT, "re-INVITE");
        assertThat(expectEvent("ended", callId, SHORT).reason()).contains("481");
        peer.expectNone(request("BYE", callId), Duration.ofMillis(500), "a BYE after 481");
    }

    @Test
    @DisplayName("R7: 408 to a re-INVITE in a call without session timer ends the call with BYE (RFC 3261 §12.2.1.2)")
    void requestTimeoutWithoutTimer() throws Exception {
        String callId = callWithoutTimer("");
        peer.respondNext(Kind.REINVITE, Answer.status(408));
        refreshNow(callId);
        peer.expect(request("INVITE", callId), SHORT, "re-INVITE");
        peer.expect(request("BYE", callId), SHORT, "BYE after 408");
        assertThat(expectEvent("ended", callId, SHORT).reason()).contains("408");
    }

    /** The answering route holds every call until {@link #release} (bounded); 180 Ringing gives the peer our tag. */
    private final CountDownLatch release = new CountDownLatch(1);

    /** Lets the route answer the ringing call, checks the 200 and hangs up. */
    private void answerAndHangUp(PeerCall call) throws Exception {
        release.countDown();
        assertThat(call.awaitFinalResponse(CALL_SETUP).status()).isEqualTo(200);
        call.bye();
        peer.expect(finalResponse("BYE", call.callId()), SHORT, "200 to BYE");
    }

    private PeerCall ringingCall() throws Exception {
        startCamel("sendRinging=true", false, new RouteBuilder() {
            @Override
            public void configure() {
                from(callUri("sendRinging=true")).routeId("answer-later").process(e -> {
                    release.await(10, TimeUnit.SECONDS);
                    e.getMessage().setBody(OUR_SDP);
                });
            }
        });
        PeerCall call = peer.call(ourUri(), "udp", "Supported: timer");
        peer.expect(response(180, "INVITE"), SHORT, "180 Ringing");
        return call;
    }

    @Test
    @DisplayName("R12: BYE from the caller before our 2xx -> 200 to the BYE, 487 to its INVITE, state freed (RFC 3261 §15.1.2)")
    void byeOnEarlyDialog() throws Exception {
        try {
            PeerCall call = ringingCall();
            call.bye();
            assertThat(peer.expect(finalResponse("BYE", call.callId()), SHORT, "answer to BYE").status()).isEqualTo(200);
            assertThat(call.awaitFinalResponse(SHORT).status()).isEqualTo(487);
            assertThat(expectEvent("ended", call.callId(), SHORT).reason()).contains("487");
        } finally {
            release.countDown();
        }
    }

    @Test
    @DisplayName("R10: UPDATE without offer before our 2xx -> 200, the call goes on and is answered (RFC 3311 §5.2)")
    void updateWithoutOfferOnEarlyDialog() throws Exception {
        try {
            PeerCall call = ringingCall();
            call.update("Supported: timer");
            Received answer = peer.expect(finalResponse("UPDATE", call.callId()), SHORT, "answer to UPDATE");
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.tokens("Supported")).contains("timer");
            answerAndHangUp(call);
        } finally {
            release.countDown();
        }
    }

    @Test
    @DisplayName("R10: UPDATE with an offer before we answered the INVITE's -> 500 with Retry-After 0-10, never 481 (RFC 3311 §5.2)")
    void updateWithOfferOnEarlyDialog() throws Exception {
        try {
            PeerCall call = ringingCall();
            call.updateWithOffer();
            Received answer = peer.expect(finalResponse("UPDATE", call.callId()), SHORT, "answer to UPDATE");
            assertThat(answer.status()).isEqualTo(500);
            assertThat(Integer.parseInt(answer.header("Retry-After").trim())).isBetween(0, 10);
            answerAndHangUp(call);
        } finally {
            release.countDown();
        }
    }

    @Test
    @DisplayName("R10: re-INVITE while the INVITE is in progress -> 491, never 481 (RFC 3261 §14.2)")
    void reInviteOnEarlyDialog() throws Exception {
        try {
            PeerCall call = ringingCall();
            call.reInvite("Supported: timer");
            Received answer = peer.expect(r -> !r.isRequest() && r.status() >= 200 && "INVITE".equals(r.cseqMethod())
                    && r.cseq() == 2, SHORT, "answer to the re-INVITE");
            assertThat(answer.status()).isEqualTo(491);
            answerAndHangUp(call);
        } finally {
            release.countDown();
        }
    }

    @Test
    @DisplayName("R12: an answering route that does not decide within answerTimeout -> 480 to the INVITE, state freed")
    void incomingCallNotAnsweredInTime() throws Exception {
        String options = "answerTimeout=1500";
        try {
            startCamel(options, false, new RouteBuilder() {
                @Override
                public void configure() {
                    from(callUri(options)).routeId("never-answers").process(e -> release.await(10, TimeUnit.SECONDS));
                }
            });
            long start = System.nanoTime();
            PeerCall call = peer.call(ourUri(), "udp", "Supported: timer");
            Received answer = call.awaitFinalResponse(SHORT);
            assertThat(answer.status()).isEqualTo(480);
            assertThat(millisBetween(start, answer.nanos())).as("answerTimeout=1500 ms").isBetween(1500L - 150, 1500L + 900);
            assertThat(expectEvent("ended", call.callId(), SHORT).reason()).contains("480");
        } finally {
            release.countDown();
        }
    }

    @Test
    @DisplayName("R12: no ACK for our 2xx within 64*T1 (3.2 s with transactionT1=50) -> BYE, state freed (RFC 3261 §13.3.1.4)")
    void noAckForOurAnswer() throws Exception {
        startCamel("sessionExpires=20&transactionT1=50");
        peer.withholdAck();
        PeerCall call = peer.call(ourUri(), "udp", "Supported: timer");
        Received ok = call.awaitFinalResponse(CALL_SETUP);
        assertThat(ok.status()).isEqualTo(200);
        Received bye = peer.expect(request("BYE", call.callId()), Duration.ofSeconds(10), "BYE when no ACK came");
        assertThat(millisBetween(ok.nanos(), bye.nanos())).as("64*T1 = 3200 ms after the 2xx")
                .isBetween(3200L - 150, 3200L + 1500);
        assertThat(expectEvent("ended", call.callId(), SHORT).reason()).contains("no ACK");
    }

    /** Places a call to {@code raw}, answered 200 with To tag {@code tag}; returns the INVITE once the ACK came. */
    private RawSipPeer.Request callRaw(RawSipPeer raw, String options, String tag) throws Exception {
        CompletableFuture<Exchange> placed = CompletableFuture.supplyAsync(() -> template.request(callUri(options), e -> {
            e.getMessage().setBody(OUR_SDP);
            e.getMessage().setHeader(SessionTimerConstants.TO, raw.uri());
        }));
        RawSipPeer.Request invite = raw.expect(RawSipPeer.method("INVITE"), SHORT, "INVITE");
        raw.answer(invite, 200, "OK", tag, ScriptedSipPeer.PEER_SDP);
        assertThat(raw.expect(RawSipPeer.method("ACK"), SHORT, "ACK of the 2xx").toTag()).isEqualTo(tag);
        assertThat(placed.get(CALL_SETUP.toSeconds(), TimeUnit.SECONDS).getException()).isNull();
        return invite;
    }

    @Test
    @DisplayName("R16: a second 2xx to our INVITE from another fork -> ACKed, then that dialog ended with BYE; the call lives on")
    void forkedSecondAnswer() throws Exception {
        startCamel("");
        try (RawSipPeer raw = new RawSipPeer()) {
            RawSipPeer.Request invite = callRaw(raw, "", "fork-a");
            String callId = invite.header("Call-ID");

            // the other fork answers a second later, as a callee picking up on a second phone would
            raw.schedule(Duration.ofSeconds(1), () -> raw.answer(invite, 200, "OK", "fork-b", ScriptedSipPeer.PEER_SDP));
            raw.expect(r -> r.method().equals("ACK") && "fork-b".equals(r.toTag()), SHORT, "ACK of the forked 2xx");
            RawSipPeer.Request forkBye = raw.expect(RawSipPeer.method("BYE"), SHORT, "BYE of the forked dialog");
            assertThat(forkBye.toTag()).isEqualTo("fork-b");
            assertThat(forkBye.cseq()).isGreaterThan(invite.cseq());
            raw.answer(forkBye, 200, "OK", null, null);
            assertThat(component.getActiveSessionCount()).as("the first dialog is the call").isEqualTo(1);

            hangup(callId);
            RawSipPeer.Request bye = raw.expect(RawSipPeer.method("BYE"), SHORT, "BYE of the call");
            assertThat(bye.toTag()).isEqualTo("fork-a");
            raw.answer(bye, 200, "OK", null, null);
        }
    }

    @Test
    @DisplayName("R16: the 2xx to our INVITE repeated after its ACK -> ACKed again, the call goes on")
    void repeatedAnswer() throws Exception {
        startCamel("");
        try (RawSipPeer raw = new RawSipPeer()) {
            RawSipPeer.Request invite = callRaw(raw, "", "only");
            raw.answer(invite, 200, "OK", "only", ScriptedSipPeer.PEER_SDP);
            assertThat(raw.expect(RawSipPeer.method("ACK"), SHORT, "ACK of the repeated 2xx").toTag()).isEqualTo("only");
            hangup(invite.header("Call-ID"));
            RawSipPeer.Request bye = raw.expect(RawSipPeer.method("BYE"), SHORT, "BYE of the call");
            raw.answer(bye, 200, "OK", null, null);
        }
    }

    @Test
    @DisplayName("R16: a 2xx to our refresh re-INVITE after we gave up on it (64*T1, R7) -> ACKed and BYE")
    void lateAnswerToRefresh() throws Exception {
        String options = "transactionT1=50";
        startCamel(options);
        try (RawSipPeer raw = new RawSipPeer()) {
            RawSipPeer.Request invite = callRaw(raw, options, "late");
            String callId = invite.header("Call-ID");
            refreshNow(callId);
            RawSipPeer.Request reInvite = raw.expect(r -> r.method().equals("INVITE") && r.cseq() > invite.cseq(),
                    SHORT, "re-INVITE");
            RawSipPeer.Request bye = raw.expect(RawSipPeer.method("BYE"), Duration.ofSeconds(8), "BYE after 64*T1");
            raw.answer(bye, 200, "OK", null, null);
            assertThat(expectEvent("ended", callId, SHORT).reason()).contains("408");

            raw.answer(reInvite, 200, "OK", null, ScriptedSipPeer.PEER_SDP);
            RawSipPeer.Request ack = raw.expect(RawSipPeer.method("ACK"), SHORT, "ACK of the late 2xx");
            assertThat(ack.cseq()).isEqualTo(reInvite.cseq());
        }
    }
}
