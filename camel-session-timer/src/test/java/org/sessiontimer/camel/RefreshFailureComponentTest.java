package org.sessiontimer.camel;

import java.time.Duration;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.sessiontimer.camel.ScriptedSipPeer.Answer;
import org.sessiontimer.camel.ScriptedSipPeer.Kind;
import org.sessiontimer.camel.ScriptedSipPeer.PeerCall;
import org.sessiontimer.camel.ScriptedSipPeer.Received;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sessiontimer.camel.ScriptedSipPeer.finalResponse;
import static org.sessiontimer.camel.ScriptedSipPeer.request;

/** Refreshes of ours that fail: 491 (R6), no answer and 481 (R7), other failures (R8), 422 (R5). */
class RefreshFailureComponentTest extends SessionTimerTestSupport {

    static final long EARLY_MS = 150;
    static final long LATE_MS = 900;

    /** Places a call to the peer in which we are the refresher (the peer's 2xx says refresher=uac). */
    private String callWeRefresh(String options, String transport) throws Exception {
        startCamel(options);
        peer.respond(Kind.INVITE, r -> Answer.ok().sdp()
                .header("Session-Expires: " + r.header("Session-Expires") + ";refresher=uac")
                .header("Require: timer"));
        Exchange exchange = callPeerOk(options, transport);
        assertThat(exchange.getMessage().getHeader(SessionTimerConstants.WE_REFRESH, Boolean.class)).isTrue();
        String callId = exchange.getMessage().getHeader(SessionTimerConstants.CALL_ID, String.class);
        peer.expect(request("INVITE", callId), SHORT, "INVITE");
        peer.expect(request("ACK", callId), SHORT, "ACK");
        return callId;
    }

    private Received expectRefresh(String callId, Duration timeout) throws InterruptedException {
        return peer.expect(r -> r.isRequest() && callId.equals(r.callId())
                && (r.method().equals("INVITE") || r.method().equals("UPDATE")), timeout, "refresh");
    }

    @Test
    @DisplayName("R6: 491 to our refresh; we own the Call-ID -> retry after 2.1-4 s (RFC 3261 §14.1), then success")
    void requestPendingRetryAsCallIdOwner() throws Exception {
        String callId = callWeRefresh("sessionExpires=8", "udp");
        peer.respondNext(Kind.REINVITE, Answer.status(491));
        refreshNow(callId);
        Received first = expectRefresh(callId, SHORT);
        CallEventRecord failed = expectEvent("refresh-failed", callId, SHORT);
        assertThat(failed.reason()).startsWith("491");

        Received retry = expectRefresh(callId, Duration.ofSeconds(6));
        assertThat(millisBetween(first.nanos(), retry.nanos())).as("R6: 2.1-4 s when we own the Call-ID")
                .isBetween(2100L - 20, 4000L + LATE_MS);
        assertThat(retry.cseq()).isEqualTo(first.cseq() + 1);
        assertThat(retry.headers("Session-Expires")).containsExactly("8;refresher=uac");
        expectEvent("refreshed", callId, SHORT);
        assertThat(component.getActiveSessionCount()).isEqualTo(1);

        hangup(callId);
        peer.expect(request("BYE", callId), SHORT, "BYE");
    }

    @Test
    @DisplayName("R6: 491 to our refresh; the peer owns the Call-ID -> retry after 0-2 s, then success")
    void requestPendingRetryAsCallee() throws Exception {
        startCamel("sessionExpires=8");
        PeerCall call = peer.call(ourUri(), "udp", "Session-Expires: 8;refresher=uas", "Supported: timer");
        assertThat(call.awaitFinalResponse(CALL_SETUP).status()).isEqualTo(200);
        expectEvent("confirmed", call.callId(), SHORT);
        peer.respondNext(Kind.REINVITE, Answer.status(491));
        refreshNow(call.callId());
        Received first = expectRefresh(call.callId(), SHORT);
        expectEvent("refresh-failed", call.callId(), SHORT);

        Received retry = expectRefresh(call.callId(), Duration.ofSeconds(5));
        assertThat(millisBetween(first.nanos(), retry.nanos())).as("R6: 0-2 s when the peer owns the Call-ID")
                .isBetween(0L, 2000L + LATE_MS);
        expectEvent("refreshed", call.callId(), SHORT);

        call.bye();
        peer.expect(finalResponse("BYE", call.callId()), SHORT, "200 to BYE");
    }

    @Test
    @DisplayName("R7: no answer at all to our re-INVITE refresh (64*T1 = 3.2 s with transactionT1=50) -> BYE, state freed")
    void silentPeerToReInvite() throws Exception {
        String options = "sessionExpires=8&transactionT1=50";
        startCamel(options);
        try (ScriptedSipPeer.BlackHole blackHole = new ScriptedSipPeer.BlackHole()) {
            // the peer's Contact is a port that never answers: the refresh and the BYE go there
            peer.respond(Kind.INVITE, Answer.ok().sdp().header("Session-Expires: 8;refresher=uac")
                    .header("Require: timer").header("Contact: <" + blackHole.uri() + ">"));
            String callId = callPeerOk(options, "udp").getMessage().getHeader(SessionTimerConstants.CALL_ID, String.class);
            refreshNow(callId);
            long refreshAt = blackHole.expect("INVITE", SHORT);

            long byeAt = blackHole.expect("BYE", Duration.ofSeconds(8));
            assertThat(millisBetween(refreshAt, byeAt)).as("64*T1 = 3200 ms, before the expiry at 5333 ms")
                    .isBetween(3200 - EARLY_MS, 3200 + LATE_MS);
            assertThat(expectEvent("ended", callId, SHORT).reason()).contains("408");
        }
    }

    @Test
    @DisplayName("R7: no answer to our UPDATE refresh (64*T1 = 3.2 s with transactionT1=50) -> BYE, state freed")
    void silentPeerToUpdate() throws Exception {
        String options = "sessionExpires=8&transactionT1=50&refreshMethod=update";
        startCamel(options);
        peer.respond(Kind.INVITE, Answer.ok().sdp().header("Session-Expires: 8;refresher=uac").header("Require: timer")
                .header("Allow: INVITE, ACK, BYE, CANCEL, UPDATE"));
        peer.respondNext(Kind.UPDATE, Answer.silence());
        String callId = callPeerOk(options, "udp").getMessage().getHeader(SessionTimerConstants.CALL_ID, String.class);
        refreshNow(callId);
        Received refresh = peer.expect(request("UPDATE", callId), SHORT, "UPDATE refresh");

        Received bye = peer.expect(request("BYE", callId), Duration.ofSeconds(8), "BYE after the timeout");
        assertThat(millisBetween(refresh.nanos(), bye.nanos())).as("64*T1, before the expiry at 5333 ms")
                .isBetween(3200 - EARLY_MS, 3200 + LATE_MS);
        assertThat(expectEvent("ended", callId, SHORT).reason()).contains("408");
    }

    @Test
    @DisplayName("R14: a re-INVITE refresh answered 100 Trying and then nothing is kept until the expiry, then BYE (R9)")
    void provisionalOnlyWaitsForTheExpiry() throws Exception {
        String callId = callWeRefresh("sessionExpires=8&transactionT1=50", "udp");
        Received ack = peer.history().stream().filter(r -> r.isRequest() && r.method().equals("ACK")).findFirst()
                .orElseThrow();
        // JAIN-SIP answers 100 Trying for the peer after 200 ms: the INVITE transaction then waits for ever
        peer.respondNext(Kind.REINVITE, Answer.silence());
        refreshNow(callId);
        Received refresh = expectRefresh(callId, SHORT);
        peer.expectNone(request("BYE", callId), Duration.ofMillis(3200 + LATE_MS - millisBetween(refresh.nanos(),
                System.nanoTime())), "a BYE 64*T1 after a refresh that got 100 Trying");
        Received bye = peer.expect(request("BYE", callId), Duration.ofSeconds(6), "BYE at the expiry");
        assertThat(millisBetween(ack.nanos(), bye.nanos())).as("R9: SE - SE/3 = 5333 ms after the 2xx")
                .isBetween(5333 - EARLY_MS, 5333 + LATE_MS);
        assertThat(component.getActiveSessionCount()).isZero();
    }

    @Test
    @DisplayName("R7: 481 to our refresh -> the call is freed without BYE")
    void callDoesNotExist() throws Exception {
        String callId = callWeRefresh("sessionExpires=8", "tcp");
        peer.respondNext(Kind.REINVITE, Answer.status(481));
        refreshNow(callId);
        expectRefresh(callId, SHORT);
        assertThat(expectEvent("ended", callId, SHORT).reason()).contains("481");
        assertThat(component.getActiveSessionCount()).isZero();
        peer.expectNone(request("BYE", callId), Duration.ofMillis(500), "a BYE after 481");
    }

    @Test
    @DisplayName("R8: 500 to our refresh -> the call lives on until its expiry, then BYE")
    void serverErrorLivesUntilExpiry() throws Exception {
        String callId = callWeRefresh("sessionExpires=4", "udp");
        Received ok = peer.history().stream().filter(r -> r.isRequest() && r.method().equals("ACK")).findFirst()
                .orElseThrow();
        peer.respondNext(Kind.REINVITE, Answer.status(500));
        Received refresh = expectRefresh(callId, Duration.ofSeconds(5));
        assertThat(millisBetween(ok.nanos(), refresh.nanos())).isBetween(2000 - EARLY_MS, 2000 + LATE_MS);
        assertThat(expectEvent("refresh-failed", callId, SHORT).reason()).startsWith("500");
        assertThat(component.getActiveSessionCount()).as("R8: alive after the 500").isEqualTo(1);

        Received bye = peer.expect(request("BYE", callId), Duration.ofSeconds(5), "BYE at expiry");
        assertThat(millisBetween(ok.nanos(), bye.nanos())).as("R9: expiry counted from the 2xx, 2667 ms")
                .isBetween(2667 - EARLY_MS, 2667 + LATE_MS);
        assertThat(peer.history()).as("no second refresh").filteredOn(r -> r.isRequest() && r.callId().equals(callId)
                && r.method().equals("INVITE")).hasSize(2);
        assertThat(expectEvent("ended", callId, SHORT).reason()).isEqualTo("session expired");
    }

    @Test
    @DisplayName("R8: 503 with Retry-After earlier than the expiry -> the refresh is retried then")
    void serviceUnavailableWithRetryAfter() throws Exception {
        String callId = callWeRefresh("sessionExpires=8", "udp");
        peer.respondNext(Kind.REINVITE, Answer.status(503).header("Retry-After: 1"));
        refreshNow(callId);
        Received first = expectRefresh(callId, SHORT);
        Received retry = expectRefresh(callId, Duration.ofSeconds(4));
        assertThat(millisBetween(first.nanos(), retry.nanos())).isBetween(1000 - EARLY_MS, 1000 + LATE_MS);
        expectEvent("refreshed", callId, SHORT);
        hangup(callId);
        peer.expect(request("BYE", callId), SHORT, "BYE");
    }

    @Test
    @DisplayName("R5/C4/C5: 422 to our refresh -> re-sent at once with the 422's Min-SE and SE raised to it")
    void intervalTooSmallToRefresh() throws Exception {
        String callId = callWeRefresh("sessionExpires=6", "udp");
        peer.respondNext(Kind.REINVITE, Answer.status(422, "Session Interval Too Small").header("Min-SE: 7"));
        refreshNow(callId);
        Received first = expectRefresh(callId, SHORT);
        assertThat(first.headers("Session-Expires")).containsExactly("6;refresher=uac");
        Received retry = expectRefresh(callId, SHORT);
        assertThat(millisBetween(first.nanos(), retry.nanos())).isLessThan(1000);
        assertThat(retry.cseq()).isEqualTo(first.cseq() + 1);
        assertThat(retry.viaBranch()).isNotEqualTo(first.viaBranch());
        assertThat(retry.headers("Min-SE")).containsExactly("7");
        assertThat(retry.headers("Session-Expires")).containsExactly("7;refresher=uac");
        CallEventRecord refreshed = expectEvent("refreshed", callId, SHORT);
        assertThat(refreshed.interval()).isEqualTo(7L);

        hangup(callId);
        Received bye = peer.expect(request("BYE", callId), SHORT, "BYE");
        assertThat(bye.cseq()).isEqualTo(retry.cseq() + 1);
    }
}
