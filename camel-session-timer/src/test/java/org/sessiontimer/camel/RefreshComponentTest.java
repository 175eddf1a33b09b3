package org.sessiontimer.camel;

import java.time.Duration;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sessiontimer.camel.ScriptedSipPeer.Answer;
import org.sessiontimer.camel.ScriptedSipPeer.Kind;
import org.sessiontimer.camel.ScriptedSipPeer.PeerCall;
import org.sessiontimer.camel.ScriptedSipPeer.Received;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sessiontimer.camel.ScriptedSipPeer.finalResponse;
import static org.sessiontimer.camel.ScriptedSipPeer.request;
import static org.sessiontimer.camel.ScriptedSipPeer.response;

/**
 * Refreshes on the wire: the ones we send (re-INVITE, UPDATE, the fallback from UPDATE to re-INVITE) and the ones the
 * peer sends, which move our expiry.
 */
class RefreshComponentTest extends SessionTimerTestSupport {

    /** Timing tolerance on a busy 2-core machine: never early by more than this ... */
    static final long EARLY_MS = 150;
    /** ... and never late by more than this. */
    static final long LATE_MS = 900;

    @Test
    @DisplayName("R1/R2/R3/R4: we refresh by re-INVITE at SE/2: same Call-ID, CSeq + 1, same o= line, SE + Min-SE + "
                 + "Supported; the 2xx is ACKed and restarts the timer")
    void reInviteRefreshAsUac() throws Exception {
        startCamel("sessionExpires=4");
        peer.respond(Kind.INVITE, Answer.ok().sdp().header("Session-Expires: 4;refresher=uac").header("Require: timer"));
        Exchange exchange = callPeerOk("sessionExpires=4", "udp");
        String callId = exchange.getMessage().getHeader(SessionTimerConstants.CALL_ID, String.class);
        Received invite = peer.expect(request("INVITE", callId), SHORT, "INVITE");
        Received ack = peer.expect(request("ACK", callId), SHORT, "ACK");

        Received refresh1 = peer.expect(request("INVITE", callId), Duration.ofSeconds(6), "re-INVITE refresh");
        assertThat(millisBetween(ack.nanos(), refresh1.nanos())).as("R1: refresh at SE/2 = 2000 ms")
                .isBetween(2000 - EARLY_MS, 2000 + LATE_MS);
        assertThat(refresh1.cseq()).as("R3: CSeq + 1").isEqualTo(invite.cseq() + 1);
        assertThat(refresh1.fromTag()).isEqualTo(invite.fromTag());
        assertThat(refresh1.header("To")).contains("tag=");
        assertThat(refresh1.sdpOrigin()).as("R2: the unchanged session description").isEqualTo(invite.sdpOrigin());
        assertThat(refresh1.headers("Session-Expires")).as("R3").containsExactly("4;refresher=uac");
        assertThat(refresh1.headers("Min-SE")).as("C5").containsExactly("2");
        assertThat(refresh1.tokenCount("Supported", "timer")).as("H4").isEqualTo(1);
        Received ok1 = peer.expect(r -> r.isRequest() && r.method().equals("ACK") && r.cseq() == refresh1.cseq(),
                SHORT, "R4: ACK of the refresh's 2xx");
        assertThat(ok1.callId()).isEqualTo(callId);
        CallEventRecord refreshed = expectEvent("refreshed", callId, SHORT);
        assertThat(refreshed.reason()).isEqualTo("INVITE");

        Received refresh2 = peer.expect(request("INVITE", callId), Duration.ofSeconds(6), "second refresh");
        assertThat(millisBetween(refresh1.nanos(), refresh2.nanos())).as("R4: the 2xx restarted the timer")
                .isBetween(2000 - EARLY_MS, 2000 + LATE_MS);
        assertThat(refresh2.cseq()).isEqualTo(refresh1.cseq() + 1);
        assertThat(refresh2.sdpOrigin()).isEqualTo(invite.sdpOrigin());

        hangup(callId);
        peer.expect(request("BYE", callId), SHORT, "BYE");
    }

    @Test
    @DisplayName("R1/R2/R3: as UAS with refresher=uas we refresh by re-INVITE with our answer's o= line (TCP)")
    void reInviteRefreshAsUas() throws Exception {
        startCamel("sessionExpires=4");
        PeerCall call = peer.call(ourUri(), "tcp", "Session-Expires: 4;refresher=uas", "Supported: timer");
        Received ok = call.awaitFinalResponse(CALL_SETUP);
        assertThat(ok.headers("Session-Expires")).containsExactly("4;refresher=uas");

        Received refresh = peer.expect(request("INVITE", call.callId()), Duration.ofSeconds(6), "re-INVITE refresh");
        assertThat(millisBetween(ok.nanos(), refresh.nanos())).isBetween(2000 - EARLY_MS, 2000 + LATE_MS);
        assertThat(refresh.transport()).isEqualTo("tcp");
        assertThat(refresh.cseq()).as("our first request in the dialog").isEqualTo(1);
        assertThat(refresh.sdpOrigin()).isEqualTo("o=camel 1001 1001 IN IP4 127.0.0.1");
        assertThat(refresh.headers("Session-Expires")).as("we stay refresher: uac of this transaction")
                .containsExactly("4;refresher=uac");
        assertThat(refresh.tokenCount("Supported", "timer")).isEqualTo(1);
        peer.expect(r -> r.isRequest() && r.method().equals("ACK") && r.cseq() == refresh.cseq(), SHORT, "ACK");
        expectEvent("refreshed", call.callId(), SHORT);

        call.bye();
        peer.expect(finalResponse("BYE", call.callId()), SHORT, "200 to BYE");
    }

    @Test
    @DisplayName("R2: refreshMethod=update and the peer allows UPDATE -> UPDATE without a body")
    void updateRefresh() throws Exception {
        startCamel("sessionExpires=4&refreshMethod=update");
        peer.respond(Kind.INVITE, Answer.ok().sdp().header("Session-Expires: 4;refresher=uac").header("Require: timer")
                .header("Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE"));
        String callId = callPeerOk("sessionExpires=4&refreshMethod=update", "udp").getMessage()
                .getHeader(SessionTimerConstants.CALL_ID, String.class);
        Received invite = peer.expect(request("INVITE", callId), SHORT, "INVITE");

        Received update = peer.expect(request("UPDATE", callId), Duration.ofSeconds(6), "UPDATE refresh");
        assertThat(update.body()).as("R2: UPDATE refresh without body").isEmpty();
        assertThat(update.header("Content-Type")).isNull();
        assertThat(update.cseq()).isEqualTo(invite.cseq() + 1);
        assertThat(update.headers("Session-Expires")).containsExactly("4;refresher=uac");
        assertThat(update.headers("Min-SE")).containsExactly("2");
        assertThat(update.tokenCount("Supported", "timer")).isEqualTo(1);
        assertThat(expectEvent("refreshed", callId, SHORT).reason()).isEqualTo("UPDATE");
        peer.expectNone(request("INVITE", callId), Duration.ofMillis(300), "a re-INVITE besides the UPDATE");

        hangup(callId);
        peer.expect(request("BYE", callId), SHORT, "BYE");
    }

    @ParameterizedTest(name = "UPDATE answered {0}")
    @ValueSource(ints = { 405, 501 })
    @DisplayName("R2: UPDATE answered 405/501 -> the refresh is re-sent at once as re-INVITE, and so are later ones")
    void updateRejectedFallsBackToReInvite(int status) throws Exception {
        startCamel("sessionExpires=4&refreshMethod=auto");
        peer.respond(Kind.INVITE, Answer.ok().sdp().header("Session-Expires: 4;refresher=uac").header("Require: timer")
                .header("Allow: INVITE, ACK, BYE, CANCEL, UPDATE"));
        peer.respond(Kind.UPDATE, Answer.status(status));
        String callId = callPeerOk("sessionExpires=4&refreshMethod=auto", "udp").getMessage()
                .getHeader(SessionTimerConstants.CALL_ID, String.class);
        Received invite = peer.expect(request("INVITE", callId), SHORT, "INVITE");

        Received update = peer.expect(request("UPDATE", callId), Duration.ofSeconds(6), "UPDATE refresh");
        Received reInvite = peer.expect(request("INVITE", callId), SHORT, "re-INVITE after " + status);
        assertThat(millisBetween(update.nanos(), reInvite.nanos())).as("at once, not at the next SE/2").isLessThan(1000);
        assertThat(reInvite.cseq()).isEqualTo(update.cseq() + 1);
        assertThat(reInvite.sdpOrigin()).isEqualTo(invite.sdpOrigin());
        assertThat(reInvite.headers("Session-Expires")).containsExactly("4;refresher=uac");
        expectEvent("refreshed", callId, SHORT);

        Received next = peer.expect(r -> r.isRequest() && r.callId().equals(callId)
                && (r.method().equals("INVITE") || r.method().equals("UPDATE")), Duration.ofSeconds(6), "next refresh");
        assertThat(next.method()).as("later refreshes of the dialog stay re-INVITE").isEqualTo("INVITE");
        expectEvent("refreshed", callId, SHORT);

        hangup(callId);
        peer.expect(request("BYE", callId), SHORT, "BYE");
    }

    @Test
    @DisplayName("R10/R11/R9: the peer's refreshes at SE/2 (re-INVITE, then UPDATE) move our expiry; BYE comes "
                 + "SE - SE/3 after the last one")
    void peerRefreshesMoveOurExpiry() throws Exception {
        startCamel("sessionExpires=4");
        peer.respond(Kind.INVITE, Answer.ok().sdp().header("Session-Expires: 4;refresher=uas").header("Require: timer"));
        Exchange exchange = callPeerOk("sessionExpires=4", "udp");
        String callId = exchange.getMessage().getHeader(SessionTimerConstants.CALL_ID, String.class);
        assertThat(exchange.getMessage().getHeader(SessionTimerConstants.WE_REFRESH, Boolean.class)).isFalse();
        Received ack = peer.expect(request("ACK", callId), SHORT, "ACK");
        PeerCall call = peer.callById(callId);

        // the peer refreshes at SE/2 twice; our original expiry (2667 ms after the 2xx) passes in between
        peer.schedule(untilAfter(ack, 2000), () -> call.reInvite("Session-Expires: 4;refresher=uac", "Min-SE: 2",
                "Supported: timer"));
        Received ok1 = peer.expect(finalResponse("INVITE", callId), Duration.ofSeconds(5), "200 to the peer's re-INVITE");
        assertThat(ok1.status()).isEqualTo(200);
        assertThat(ok1.headers("Session-Expires")).as("R10: answered as in S1").containsExactly("4;refresher=uac");
        assertThat(ok1.tokens("Require")).contains("timer");
        assertThat(ok1.tokenCount("Supported", "timer")).isEqualTo(1);
        assertThat(ok1.sdpOrigin()).as("our session description, unchanged").isEqualTo("o=camel 1001 1001 IN IP4 127.0.0.1");
        expectEvent("refresh-received", callId, SHORT);

        peer.schedule(untilAfter(ok1, 2000), () -> call.update("Session-Expires: 4;refresher=uac", "Supported: timer"));
        Received ok2 = peer.expect(finalResponse("UPDATE", callId), Duration.ofSeconds(5), "200 to the peer's UPDATE");
        assertThat(ok2.status()).isEqualTo(200);
        assertThat(ok2.body()).as("no body in a 2xx to a body-less UPDATE").isEmpty();
        assertThat(ok2.headers("Session-Expires")).containsExactly("4;refresher=uac");
        assertThat(millisBetween(ack.nanos(), ok2.nanos())).as("the original expiry passed without BYE")
                .isGreaterThan(2667 + 500);
        assertThat(peer.history()).noneMatch(r -> r.isRequest() && r.method().equals("BYE"));
        expectEvent("refresh-received", callId, SHORT);

        // the peer stops refreshing: R9, BYE at SE - min(32, SE/3) = 2667 ms after the last refresh
        Received bye = peer.expect(request("BYE", callId), Duration.ofSeconds(6), "BYE on expiry");
        assertThat(millisBetween(ok2.nanos(), bye.nanos())).as("R9").isBetween(2667 - EARLY_MS, 2667 + LATE_MS);
        assertThat(expectEvent("ended", callId, SHORT).reason()).isEqualTo("session expired");
    }

    @Test
    @DisplayName("R9: we answered, the peer (refresher=uac) never refreshes -> BYE at SE - SE/3 = 4000 ms for SE 6")
    void expiryAsUas() throws Exception {
        startCamel("sessionExpires=6");
        PeerCall call = peer.call(ourUri(), "udp", "Session-Expires: 6;refresher=uac", "Supported: timer");
        Received ok = call.awaitFinalResponse(CALL_SETUP);
        assertThat(ok.headers("Session-Expires")).containsExactly("6;refresher=uac");
        CallEventRecord confirmed = expectEvent("confirmed", call.callId(), SHORT);
        assertThat(confirmed.weRefresh()).isFalse();

        Received bye = peer.expect(request("BYE", call.callId()), Duration.ofSeconds(8), "BYE on expiry");
        assertThat(millisBetween(ok.nanos(), bye.nanos())).isBetween(4000 - EARLY_MS, 4000 + LATE_MS);
        assertThat(bye.tokenCount("Supported", "timer")).isEqualTo(1);
        assertThat(peer.history()).as("we never refresh as non-refresher")
                .noneMatch(r -> r.isRequest() && r.cseqMethod().equals("INVITE") && r.callId().equals(call.callId()));
        assertThat(expectEvent("ended", call.callId(), SHORT).reason()).isEqualTo("session expired");
    }

    @Test
    @DisplayName("R10: an incoming refresh with SE below our Min-SE gets 422 with Min-SE; the call goes on")
    void incomingRefreshTooSmall() throws Exception {
        startCamel("sessionExpires=8&minSe=6");
        PeerCall call = peer.call(ourUri(), "udp", "Session-Expires: 8;refresher=uac", "Supported: timer");
        assertThat(call.awaitFinalResponse(CALL_SETUP).status()).isEqualTo(200);
        expectEvent("confirmed", call.callId(), SHORT);
        call.reInvite("Session-Expires: 3;refresher=uac", "Supported: timer");
        Received rejected = peer.expect(finalResponse("INVITE", call.callId()), SHORT, "answer to the refresh");
        assertThat(rejected.status()).isEqualTo(422);
        assertThat(rejected.headers("Min-SE")).as("H5").containsExactly("6");
        assertThat(component.getActiveSessionCount()).isEqualTo(1);
        call.bye();
        peer.expect(finalResponse("BYE", call.callId()), SHORT, "200 to BYE");
    }

    @Test
    @DisplayName("H3: a malformed Session-Expires in a refresh gets 400 naming the header; the call goes on")
    void malformedRefresh() throws Exception {
        startCamel("sessionExpires=8");
        PeerCall call = peer.call(ourUri(), "udp", "Session-Expires: 8;refresher=uac", "Supported: timer");
        assertThat(call.awaitFinalResponse(CALL_SETUP).status()).isEqualTo(200);
        expectEvent("confirmed", call.callId(), SHORT);
        call.update("Session-Expires: soon", "Supported: timer");
        Received rejected = peer.expect(finalResponse("UPDATE", call.callId()), SHORT, "answer to the UPDATE");
        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.reasonPhrase()).contains("Session-Expires");
        assertThat(component.getActiveSessionCount()).isEqualTo(1);
        call.update("Session-Expires: 8;refresher=uac", "Supported: timer");
        assertThat(peer.expect(response(200, "UPDATE"), SHORT, "200 to the good UPDATE").callId())
                .isEqualTo(call.callId());
        call.bye();
        peer.expect(finalResponse("BYE", call.callId()), SHORT, "200 to BYE");
    }

    @Test
    @DisplayName("R10: the peer's refresh with refresher=uac makes the peer the refresher: we stop refreshing")
    void peerRefreshSwapsRoles() throws Exception {
        startCamel("sessionExpires=4");
        peer.respond(Kind.INVITE, Answer.ok().sdp().header("Session-Expires: 4;refresher=uac").header("Require: timer"));
        Exchange exchange = callPeerOk("sessionExpires=4", "udp");
        String callId = exchange.getMessage().getHeader(SessionTimerConstants.CALL_ID, String.class);
        assertThat(exchange.getMessage().getHeader(SessionTimerConstants.WE_REFRESH, Boolean.class)).isTrue();
        peer.expect(request("INVITE", callId), SHORT, "INVITE");
        peer.expect(request("ACK", callId), SHORT, "ACK");

        peer.callById(callId).update("Session-Expires: 4;refresher=uac", "Supported: timer");
        Received ok = peer.expect(finalResponse("UPDATE", callId), SHORT, "200 to the peer's UPDATE");
        assertThat(ok.headers("Session-Expires")).containsExactly("4;refresher=uac");
        CallEventRecord received = expectEvent("refresh-received", callId, SHORT);
        assertThat(received.weRefresh()).as("roles swapped: the peer refreshes now").isFalse();
        assertThat(received.refresher()).as("named by the initial INVITE's roles: the callee").isEqualTo("uas");

        // no refresh from us at SE/2; the session expires 2667 ms after the peer's refresh
        // an ACK may come first: we ACK each 200 the peer sends again when our first ACK was slow to arrive
        Received next = peer.expect(r -> r.isRequest() && callId.equals(r.callId()) && !r.method().equals("ACK"),
                Duration.ofSeconds(5), "BYE on expiry");
        assertThat(next.method()).isEqualTo("BYE");
        assertThat(millisBetween(ok.nanos(), next.nanos())).isBetween(2667 - EARLY_MS, 2667 + LATE_MS);
        expectEvent("ended", callId, SHORT);
    }

    @Test
    @DisplayName("R3: a refresh a route sends while the peer is the refresher asks refresher=uas: the peer stays refresher")
    void refreshByRouteKeepsThePeerRefresher() throws Exception {
        startCamel("sessionExpires=8");
        PeerCall call = peer.call(ourUri(), "udp", "Session-Expires: 8;refresher=uac", "Supported: timer");
        assertThat(call.awaitFinalResponse(CALL_SETUP).status()).isEqualTo(200);
        assertThat(expectEvent("confirmed", call.callId(), SHORT).weRefresh()).isFalse();

        refreshNow(call.callId());
        Received refresh = peer.expect(request("INVITE", call.callId()), SHORT, "our re-INVITE");
        assertThat(refresh.headers("Session-Expires")).as("§7.4: the roles do not change on a refresh")
                .containsExactly("8;refresher=uas");
        CallEventRecord refreshed = expectEvent("refreshed", call.callId(), SHORT);
        assertThat(refreshed.weRefresh()).isFalse();
        assertThat(refreshed.refresher()).as("named by the initial INVITE's roles: the caller").isEqualTo("uac");

        call.bye();
        peer.expect(finalResponse("BYE", call.callId()), SHORT, "200 to BYE");
    }

    @Test
    @DisplayName("R6/R10: a re-INVITE from the peer while our re-INVITE refresh is pending gets 491 (RFC 3261 §14.2)")
    void glare() throws Exception {
        startCamel("sessionExpires=8");
        peer.respond(Kind.INVITE, Answer.ok().sdp().header("Session-Expires: 8;refresher=uac").header("Require: timer"));
        Exchange exchange = callPeerOk("sessionExpires=8", "udp");
        String callId = exchange.getMessage().getHeader(SessionTimerConstants.CALL_ID, String.class);
        peer.expect(request("INVITE", callId), SHORT, "INVITE");
        peer.expect(request("ACK", callId), SHORT, "ACK");

        // our refresh stays pending: the peer's stack answers 100 Trying only
        peer.respondNext(Kind.REINVITE, Answer.silence());
        refreshNow(callId);
        peer.expect(request("INVITE", callId), SHORT, "our refresh");
        peer.callById(callId).reInvite("Session-Expires: 8;refresher=uac", "Supported: timer");
        Received answer = peer.expect(finalResponse("INVITE", callId), SHORT, "answer to the peer's re-INVITE");
        assertThat(answer.status()).isEqualTo(491);

        hangup(callId);
        peer.expect(request("BYE", callId), SHORT, "BYE");
    }

    /** The delay until {@code millis} after a message arrived, so a scheduled send keeps to SE/2 however late we are. */
    private static Duration untilAfter(Received arrival, long millis) {
        return Duration.ofMillis(millis - millisBetween(arrival.nanos(), System.nanoTime()));
    }
}
