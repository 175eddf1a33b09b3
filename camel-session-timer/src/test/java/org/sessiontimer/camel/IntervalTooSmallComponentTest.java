package org.sessiontimer.camel;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.sessiontimer.camel.ScriptedSipPeer.Answer;
import org.sessiontimer.camel.ScriptedSipPeer.Kind;
import org.sessiontimer.camel.ScriptedSipPeer.PeerCall;
import org.sessiontimer.camel.ScriptedSipPeer.Received;
import org.sessiontimer.camel.sip.SipCallException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sessiontimer.camel.ScriptedSipPeer.finalResponse;
import static org.sessiontimer.camel.ScriptedSipPeer.request;

/** 422 Session Interval Too Small in both directions, and the guard against 422 loops. */
class IntervalTooSmallComponentTest extends SessionTimerTestSupport {

    /** A compliant UAS: 200 with the request's SE and refresher=uac. */
    private static Answer okWithRequestedInterval(Received request) {
        return Answer.ok().sdp().header("Session-Expires: " + request.header("Session-Expires") + ";refresher=uac")
                .header("Require: timer");
    }

    @Test
    @DisplayName("C4: 422 to our INVITE -> retry with the same Call-ID and From tag, CSeq + 1, new branch, Min-SE and "
                 + "SE raised to the 422's Min-SE")
    void retryAfter422() throws Exception {
        startCamel("sessionExpires=4");
        peer.respond(Kind.INVITE, IntervalTooSmallComponentTest::okWithRequestedInterval);
        peer.respondNext(Kind.INVITE, Answer.status(422, "Session Interval Too Small").header("Min-SE: 6"));

        Exchange exchange = callPeerOk("sessionExpires=4", "udp");

        Received first = peer.expect(request("INVITE"), SHORT, "first INVITE");
        Received retry = peer.expect(request("INVITE", first.callId()), SHORT, "INVITE after 422");
        assertThat(first.headers("Session-Expires")).containsExactly("4");
        assertThat(first.headers("Min-SE")).containsExactly("2");
        assertThat(retry.fromTag()).isEqualTo(first.fromTag());
        assertThat(retry.cseq()).isEqualTo(first.cseq() + 1);
        assertThat(retry.viaBranch()).isNotEqualTo(first.viaBranch());
        assertThat(retry.headers("Min-SE")).containsExactly("6");
        assertThat(retry.headers("Session-Expires")).as("SE = max(SE, Min-SE)").containsExactly("6");
        assertThat(retry.tokenCount("Supported", "timer")).isEqualTo(1);
        assertThat(exchange.getMessage().getHeader(SessionTimerConstants.INTERVAL, Long.class)).isEqualTo(6L);
        assertThat(component.getActiveSessionCount()).isEqualTo(1);

        String callId = first.callId();
        refreshNow(callId);
        Received refresh = peer.expect(request("INVITE", callId), SHORT, "refresh");
        assertThat(refresh.headers("Min-SE")).as("C5: later requests carry the largest Min-SE").containsExactly("6");
        assertThat(refresh.headers("Session-Expires")).containsExactly("6;refresher=uac");
        expectEvent("refreshed", callId, SHORT);
        hangup(callId);
        peer.expect(request("BYE", callId), SHORT, "BYE");
    }

    @Test
    @DisplayName("C4: a peer that answers 422 with a rising Min-SE for ever -> the call fails after 3 retries, no state left")
    void loopGuard() throws Exception {
        startCamel("sessionExpires=4");
        AtomicInteger minSe = new AtomicInteger(4);
        peer.respond(Kind.INVITE, r -> Answer.status(422, "Session Interval Too Small")
                .header("Min-SE: " + minSe.incrementAndGet()));

        Exchange exchange = callPeer("sessionExpires=4", "udp");

        assertThat(exchange.getException()).isInstanceOf(SipCallException.class)
                .hasMessageContaining("422");
        Received first = peer.expect(request("INVITE"), SHORT, "INVITE");
        for (int retry = 1; retry <= 3; retry++) {
            Received again = peer.expect(request("INVITE", first.callId()), SHORT, "retry " + retry);
            assertThat(again.cseq()).isEqualTo(first.cseq() + retry);
            assertThat(again.headers("Min-SE")).containsExactly(Integer.toString(4 + retry));
        }
        peer.expectNone(request("INVITE"), Duration.ofMillis(500), "a fifth INVITE");
        assertThat(component.getActiveSessionCount()).isZero();
    }

    @Test
    @DisplayName("C4: a 422 whose Min-SE does not raise our minimum fails the call at once")
    void notRaising() throws Exception {
        startCamel("sessionExpires=4&minSe=3");
        peer.respond(Kind.INVITE, Answer.status(422, "Session Interval Too Small").header("Min-SE: 3"));
        Exchange exchange = callPeer("sessionExpires=4&minSe=3", "tcp");
        assertThat(exchange.getException()).isInstanceOf(SipCallException.class).hasMessageContaining("Min-SE");
        assertThat(peer.history()).filteredOn(r -> r.isRequest() && r.method().equals("INVITE")).hasSize(1);
        assertThat(component.getActiveSessionCount()).isZero();
    }

    @Test
    @DisplayName("S3/H5: SE below our Min-SE from a UAC with Supported: timer -> 422 with our Min-SE")
    void we422() throws Exception {
        startCamel("sessionExpires=8&minSe=5");
        PeerCall call = peer.call(ourUri(), "udp", "Session-Expires: 3", "Min-SE: 2", "Supported: timer");
        Received answer = call.awaitFinalResponse(CALL_SETUP);
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.reasonPhrase()).isEqualTo("Session Interval Too Small");
        assertThat(answer.headers("Min-SE")).as("H5").containsExactly("5");
        assertThat(component.getActiveSessionCount()).isZero();

        // the UAC retries as C4 says and gets its call
        PeerCall retry = peer.call(ourUri(), "udp", "Session-Expires: 5", "Min-SE: 5", "Supported: timer");
        Received ok = retry.awaitFinalResponse(CALL_SETUP);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.headers("Session-Expires")).containsExactly("5;refresher=uac");
        retry.bye();
        peer.expect(finalResponse("BYE", retry.callId()), SHORT, "200 to BYE");
    }

    @Test
    @DisplayName("S3: SE below our Min-SE without Supported: timer -> 200 with SE = our Min-SE, refresher=uas, no Require")
    void smallIntervalWithoutTimerSupport() throws Exception {
        startCamel("sessionExpires=8&minSe=5");
        PeerCall call = peer.call(ourUri(), "udp", "Session-Expires: 3");
        Received ok = call.awaitFinalResponse(CALL_SETUP);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.headers("Session-Expires")).containsExactly("5;refresher=uas");
        assertThat(ok.tokens("Require")).doesNotContain("timer");
        assertThat(expectEvent("confirmed", call.callId(), SHORT).weRefresh()).isTrue();
        call.bye();
        peer.expect(finalResponse("BYE", call.callId()), SHORT, "200 to BYE");
    }
}
