package org.sessiontimer.camel;

import java.time.Duration;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.sessiontimer.camel.ScriptedSipPeer.Answer;
import org.sessiontimer.camel.ScriptedSipPeer.Kind;
import org.sessiontimer.camel.ScriptedSipPeer.PeerCall;
import org.sessiontimer.camel.ScriptedSipPeer.Received;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sessiontimer.camel.ScriptedSipPeer.finalResponse;
import static org.sessiontimer.camel.ScriptedSipPeer.request;

/** Malformed timer headers (H3) and the modes off, required and always (C3, S6). */
class ModesAndMalformedComponentTest extends SessionTimerTestSupport {

    @ParameterizedTest(name = "[{index}] {0} -> 400 naming {1}")
    @CsvSource(delimiter = '|', value = {
            "Session-Expires: abc                                  | Session-Expires",
            "Session-Expires: 1800,Session-Expires: 1800           | Session-Expires",
            "Session-Expires: 1800;refresher=foo                   | Session-Expires",
            "Session-Expires: 99999999999                          | Session-Expires",
            "x: 12abc                                              | Session-Expires",
            "Session-Expires: 1800,Min-SE: abc                     | Min-SE",
            "Session-Expires: 1800,Min-SE: 90,Min-SE: 120          | Min-SE",
            "Session-Expires: 1800;;;                              | Session-Expires",
            "Session-Expires: 1800;refresher=uac;                  | Session-Expires",
            "Session-Expires: 1800,Min-SE: 90;;                    | Min-SE",
    })
    @DisplayName("H3: a malformed Session-Expires or Min-SE in an INVITE -> 400 whose reason phrase names the header")
    void malformedInInvite(String headerLines, String named) throws Exception {
        startCamel("sessionExpires=6");
        String[] lines = (headerLines + ",Supported: timer").split(",");
        PeerCall call = peer.call(ourUri(), "udp", lines);
        Received answer = call.awaitFinalResponse(CALL_SETUP);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.reasonPhrase()).contains(named);
        assertThat(component.getActiveSessionCount()).isZero();
    }

    @ParameterizedTest(name = "[{index}] over {0}")
    @ValueSource(strings = {"udp", "tcp"})
    @DisplayName("H3: a NUL byte in Session-Expires or Min-SE, even at the end of the line -> 400 naming the header")
    void nulByteInInvite(String transport) throws Exception {
        startCamel("sessionExpires=6");
        String[][] cases = {
                {"Session-Expires: 1800\0", "Session-Expires"},
                {"Session-Expires: 1800;refresher=uac\0", "Session-Expires"},
                {"x: \0" + "1800", "Session-Expires"},
                {"Min-SE: 90\0", "Min-SE"},
        };
        for (String[] c : cases) {
            PeerCall call = peer.call(ourUri(), transport, c[0], "Supported: timer");
            Received answer = call.awaitFinalResponse(CALL_SETUP);
            assertThat(answer.status()).as(c[0]).isEqualTo(400);
            assertThat(answer.reasonPhrase()).as(c[0]).contains(c[1]).contains("control character 0x00");
        }
        assertThat(component.getActiveSessionCount()).isZero();
    }

    @Test
    @DisplayName("H3: a 2xx with a malformed Session-Expires fails our call with a clear error; the dialog is ACKed and ended")
    void malformedInTwoHundred() throws Exception {
        startCamel("sessionExpires=6");
        peer.respond(Kind.INVITE, Answer.ok().sdp().header("Session-Expires: 6;refresher=maybe").header("Require: timer"));
        try (WireLog wire = new WireLog("127.0.0.1", port)) {
            Exchange exchange = callPeer("sessionExpires=6", "udp");
            assertThat(exchange.getException()).isNotNull().hasMessageContaining("Session-Expires");
            Received invite = peer.expect(request("INVITE"), SHORT, "INVITE");
            assertThat(wire.awaitRequest("ACK", invite.callId(), SHORT)).contains("CSeq: 1 ACK");
            peer.expect(request("BYE", invite.callId()), SHORT, "BYE");
        }
        assertThat(component.getActiveSessionCount()).isZero();
    }

    @Test
    @DisplayName("S6: mode=required and a UAC without timer support -> 421 Extension Required with Require: timer")
    void requiredRejectsPeerWithoutTimer() throws Exception {
        startCamel("sessionExpires=6&mode=required");
        PeerCall call = peer.call(ourUri(), "tcp");
        Received answer = call.awaitFinalResponse(CALL_SETUP);
        assertThat(answer.status()).isEqualTo(421);
        assertThat(answer.tokens("Require")).contains("timer");
        assertThat(component.getActiveSessionCount()).isZero();
    }

    @Test
    @DisplayName("C3: mode=required and a 2xx without Session-Expires -> the call fails and is ended with BYE")
    void requiredEndsCallAnsweredWithoutTimer() throws Exception {
        startCamel("sessionExpires=6&mode=required");
        try (WireLog wire = new WireLog("127.0.0.1", port)) {
            Exchange exchange = callPeer("sessionExpires=6&mode=required", "udp");
            assertThat(exchange.getException()).isNotNull().hasMessageContaining("required");
            Received invite = peer.expect(request("INVITE"), SHORT, "INVITE");
            assertThat(wire.awaitRequest("ACK", invite.callId(), SHORT)).contains("CSeq: 1 ACK");
            peer.expect(request("BYE", invite.callId()), SHORT, "BYE");
        }
        assertThat(component.getActiveSessionCount()).isZero();
    }

    @Test
    @DisplayName("S6: mode=always and a UAC without timer support -> 200 with SE and refresher=uas, no Require; we refresh")
    void alwaysAnswersWithTimer() throws Exception {
        startCamel("sessionExpires=4&mode=always");
        PeerCall call = peer.call(ourUri(), "udp");
        Received ok = call.awaitFinalResponse(CALL_SETUP);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.headers("Session-Expires")).containsExactly("4;refresher=uas");
        assertThat(ok.tokens("Require")).doesNotContain("timer");
        Received refresh = peer.expect(request("INVITE", call.callId()), Duration.ofSeconds(5), "our refresh");
        assertThat(millisBetween(ok.nanos(), refresh.nanos())).isBetween(2000L - 150, 2000L + 900);
        call.bye();
        peer.expect(finalResponse("BYE", call.callId()), SHORT, "200 to BYE");
    }

    @Test
    @DisplayName("C3: mode=always and a 2xx without Session-Expires -> we refresh at our own interval")
    void alwaysRefreshesWithoutPeerSupport() throws Exception {
        startCamel("sessionExpires=4&mode=always");
        Exchange exchange = callPeerOk("sessionExpires=4&mode=always", "udp");
        String callId = exchange.getMessage().getHeader(SessionTimerConstants.CALL_ID, String.class);
        assertThat(exchange.getMessage().getHeader(SessionTimerConstants.INTERVAL, Long.class)).isEqualTo(4L);
        assertThat(exchange.getMessage().getHeader(SessionTimerConstants.WE_REFRESH, Boolean.class)).isTrue();
        peer.expect(request("INVITE", callId), SHORT, "INVITE");
        Received ack = peer.expect(request("ACK", callId), SHORT, "ACK");
        Received refresh = peer.expect(request("INVITE", callId), Duration.ofSeconds(5), "our refresh");
        assertThat(millisBetween(ack.nanos(), refresh.nanos())).isBetween(2000L - 150, 2000L + 900);
        hangup(callId);
        peer.expect(request("BYE", callId), SHORT, "BYE");
    }

    @Test
    @DisplayName("S5/S6: mode=off answers an INVITE asking for a timer without any timer header, and no timer runs")
    void offAnswersWithoutTimerHeaders() throws Exception {
        startCamel("sessionExpires=4&mode=off");
        PeerCall call = peer.call(ourUri(), "udp", "Session-Expires: 4;refresher=uas", "Min-SE: 2", "Supported: timer");
        Received ok = call.awaitFinalResponse(CALL_SETUP);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.headers("Session-Expires")).isEmpty();
        assertThat(ok.headers("Min-SE")).isEmpty();
        assertThat(ok.tokens("Require")).doesNotContain("timer");
        assertThat(ok.tokens("Supported")).doesNotContain("timer");
        CallEventRecord confirmed = expectEvent("confirmed", call.callId(), SHORT);
        assertThat(confirmed.interval()).isNull();
        assertThat(component.getScheduledTimerCount()).as("no refresh, no expiry scheduled").isZero();
        call.bye();
        peer.expect(finalResponse("BYE", call.callId()), SHORT, "200 to BYE");
    }

    @Test
    @DisplayName("S5/H3: mode=off reads no timer header: a malformed Min-SE is not an error, the call is answered and freed")
    void offIgnoresMalformedMinSe() throws Exception {
        startCamel("sessionExpires=4&mode=off");
        PeerCall call = peer.call(ourUri(), "udp", "Session-Expires: 4", "Min-SE: abc", "Supported: timer");
        assertThat(call.awaitFinalResponse(CALL_SETUP).status()).isEqualTo(200);
        expectEvent("confirmed", call.callId(), SHORT);
        call.bye();
        peer.expect(finalResponse("BYE", call.callId()), SHORT, "200 to BYE");
        assertThat(component.getActiveSessionCount()).isZero();
    }

    @Test
    @DisplayName("C1/C3: mode=off: our INVITE and BYE carry no timer headers; a 2xx with Session-Expires starts no timer")
    void offSendsNoTimerHeaders() throws Exception {
        startCamel("sessionExpires=4&mode=off");
        peer.respond(Kind.INVITE, Answer.ok().sdp().header("Session-Expires: 4;refresher=uac").header("Require: timer"));
        Exchange exchange = callPeerOk("sessionExpires=4&mode=off", "tcp");
        String callId = exchange.getMessage().getHeader(SessionTimerConstants.CALL_ID, String.class);
        Received invite = peer.expect(request("INVITE", callId), SHORT, "INVITE");
        assertThat(invite.headers("Session-Expires")).isEmpty();
        assertThat(invite.headers("Min-SE")).isEmpty();
        assertThat(invite.tokens("Supported")).doesNotContain("timer");
        assertThat(exchange.getMessage().getHeader(SessionTimerConstants.INTERVAL)).isNull();
        assertThat(component.getScheduledTimerCount()).isZero();
        hangup(callId);
        Received bye = peer.expect(request("BYE", callId), SHORT, "BYE");
        assertThat(bye.tokens("Supported")).doesNotContain("timer");
    }
}
