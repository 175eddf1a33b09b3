package org.sessiontimer.camel;

import java.time.Duration;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.sessiontimer.camel.ScriptedSipPeer.Answer;
import org.sessiontimer.camel.ScriptedSipPeer.Kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sessiontimer.camel.ScriptedSipPeer.request;

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
}
