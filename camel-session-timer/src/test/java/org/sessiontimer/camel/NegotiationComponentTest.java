package org.sessiontimer.camel;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sessiontimer.camel.ScriptedSipPeer.Answer;
import org.sessiontimer.camel.ScriptedSipPeer.Kind;
import org.sessiontimer.camel.ScriptedSipPeer.PeerCall;
import org.sessiontimer.camel.ScriptedSipPeer.Received;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sessiontimer.camel.ScriptedSipPeer.finalResponse;
import static org.sessiontimer.camel.ScriptedSipPeer.request;

/** Session timer negotiation in the INVITE and its 200 OK, calls in both directions, over UDP and TCP. */
class NegotiationComponentTest extends SessionTimerTestSupport {

    // ---------------------------------------------------------------------------------------------
    // We are the UAC
    // ---------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource({ "uac, udp, true", "uas, tcp, false" })
    @DisplayName("C1/C2/H4: outgoing INVITE asks for SE without refresher; the 2xx's refresher decides who refreshes")
    void outgoingCallNegotiation(String refresherIn2xx, String transport, boolean weRefresh) throws Exception {
        startCamel("sessionExpires=6");
        peer.respond(Kind.INVITE, Answer.ok().sdp()
                .header("Session-Expires: 6;refresher=" + refresherIn2xx)
                .header("Require: timer").header("Supported: timer"));

        Exchange exchange = callPeerOk("sessionExpires=6", transport);

        Received invite = peer.expect(request("INVITE"), SHORT, "INVITE");
        assertThat(invite.transport()).isEqualTo(transport);
        assertThat(invite.headers("Session-Expires")).as("C1: SE = configured, no refresher").containsExactly("6");
        assertThat(invite.headers("Min-SE")).as("C1: Min-SE = configured minimum").containsExactly("2");
        assertThat(invite.tokenCount("Supported", "timer")).as("H4: Supported: timer, once").isEqualTo(1);
        assertThat(invite.tokens("Require")).as("the UAC does not require timer").doesNotContain("timer");
        assertThat(invite.tokens("Allow")).contains("update", "invite", "bye");

        Message answer = exchange.getMessage();
        String callId = answer.getHeader(SessionTimerConstants.CALL_ID, String.class);
        assertThat(callId).isEqualTo(invite.callId());
        assertThat(answer.getBody(String.class)).isEqualTo(ScriptedSipPeer.PEER_SDP);
        assertThat(answer.getHeader(SessionTimerConstants.INTERVAL, Long.class)).isEqualTo(6L);
        assertThat(answer.getHeader(SessionTimerConstants.REFRESHER, String.class)).isEqualTo(refresherIn2xx);
        assertThat(answer.getHeader(SessionTimerConstants.WE_REFRESH, Boolean.class)).as("C2").isEqualTo(weRefresh);
        assertThat(answer.getHeader(SessionTimerConstants.ROLE, String.class)).isEqualTo("uac");
        assertThat(component.getActiveSessionCount()).isEqualTo(1);
        peer.expect(request("ACK", callId), SHORT, "ACK of the 2xx");
        expectEvent("confirmed", callId, SHORT);

        hangup(callId);
        Received bye = peer.expect(request("BYE", callId), SHORT, "BYE");
        assertThat(bye.tokenCount("Supported", "timer")).as("H4: BYE carries Supported: timer").isEqualTo(1);
        assertThat(expectEvent("ended", callId, SHORT).reason()).isEqualTo("bye requested");
    }

    @Test
    @DisplayName("C1/C2: requestRefresher=uas puts refresher=uas in the INVITE; a 2xx without refresher -> we refresh")
    void requestRefresherAndTwoHundredWithoutRefresher() throws Exception {
        startCamel("sessionExpires=8&requestRefresher=uas");
        peer.respond(Kind.INVITE, Answer.ok().sdp().header("Session-Expires: 8").header("Supported: timer"));

        Exchange exchange = callPeerOk("sessionExpires=8&requestRefresher=uas", "udp");

        Received invite = peer.expect(request("INVITE"), SHORT, "INVITE");
        assertThat(invite.headers("Session-Expires")).containsExactly("8;refresher=uas");
        Message answer = exchange.getMessage();
        assertThat(answer.getHeader(SessionTimerConstants.WE_REFRESH, Boolean.class))
                .as("C2 choice: SE without refresher in the 2xx, we refresh").isTrue();
        assertThat(answer.getHeader(SessionTimerConstants.REFRESHER, String.class)).isEqualTo("uac");
        hangup(invite.callId());
        peer.expect(request("BYE", invite.callId()), SHORT, "BYE");
    }

    @Test
    @DisplayName("C3: a 2xx without Session-Expires -> no session timer for the dialog")
    void twoHundredWithoutSessionExpires() throws Exception {
        startCamel("sessionExpires=4");
        Exchange exchange = callPeerOk("sessionExpires=4", "udp");
        Message answer = exchange.getMessage();
        String callId = answer.getHeader(SessionTimerConstants.CALL_ID, String.class);
        assertThat(answer.getHeader(SessionTimerConstants.INTERVAL)).isNull();
        assertThat(answer.getHeader(SessionTimerConstants.WE_REFRESH, Boolean.class)).isFalse();
        assertThat(component.getScheduledTimerCount()).as("no timer runs").isZero();
        hangup(callId);
        peer.expect(request("BYE", callId), SHORT, "BYE");
    }

    // ---------------------------------------------------------------------------------------------
    // We are the UAS
    // ---------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "[{index}] request SE ''{0}'' supported={1} ourPreference={2} over {5}")
    @CsvSource(delimiter = '|', value = {
            // request SE      | Supported: timer | refresher option | expected SE in 200 | Require: timer | transport
            "6                 | true             | uac              | 6;refresher=uac    | true           | udp",
            "6                 | true             | uas              | 6;refresher=uas    | true           | tcp",
            "6;refresher=uas   | true             | uac              | 6;refresher=uas    | true           | udp",
            "6;refresher=uac   | true             | uas              | 6;refresher=uac    | true           | tcp",
            "6                 | false            | uac              | 6;refresher=uas    | false          | udp",
            "''                | true             | uac              | 5;refresher=uac    | true           | udp",
    })
    @DisplayName("S1/S2/S5/H4: the 200 OK's Session-Expires, refresher and Require follow Table 2")
    void incomingCallNegotiation(String requestSe, boolean supported, String preference, String expectedSe,
            boolean requireTimer, String transport) throws Exception {
        startCamel("sessionExpires=5&refresher=" + preference);
        List<String> headers = new ArrayList<>();
        if (!requestSe.isEmpty()) {
            headers.add("Session-Expires: " + requestSe);
        }
        if (supported) {
            headers.add("Supported: timer");
        }
        PeerCall call = peer.call(ourUri(), transport, headers.toArray(String[]::new));

        Received ok = call.awaitFinalResponse(CALL_SETUP);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.headers("Session-Expires")).containsExactly(expectedSe);
        assertThat(ok.tokens("Require").contains("timer")).as("S2: Require: timer").isEqualTo(requireTimer);
        assertThat(ok.tokenCount("Supported", "timer")).as("H4: 2xx carries Supported: timer once").isEqualTo(1);
        assertThat(ok.tokens("Allow")).contains("update");
        assertThat(ok.body()).isEqualTo(OUR_SDP);

        CallEventRecord confirmed = expectEvent("confirmed", call.callId(), SHORT);
        long interval = Long.parseLong(expectedSe.substring(0, expectedSe.indexOf(';')));
        assertThat(confirmed.interval()).isEqualTo(interval);
        boolean uasRefreshes = expectedSe.endsWith("uas");
        assertThat(confirmed.weRefresh()).as("we are the UAS: we refresh when refresher=uas").isEqualTo(uasRefreshes);
        assertThat(confirmed.refresher()).isEqualTo(uasRefreshes ? "uas" : "uac");

        call.bye();
        assertThat(peer.expect(finalResponse("BYE", call.callId()), SHORT, "200 to BYE").status()).isEqualTo(200);
        assertThat(expectEvent("ended", call.callId(), SHORT).reason()).isEqualTo("bye received");
    }

    @Test
    @DisplayName("S1: the route sees the offer and the interval and refresher the 200 OK will carry")
    void incomingCallExchangeHeaders() throws Exception {
        startCamel("sessionExpires=5", false, new RouteBuilder() {
            @Override
            public void configure() {
                from(callUri("sessionExpires=5")).to("mock:offers").process(e -> e.getMessage().setBody(OUR_SDP));
            }
        });
        MockEndpoint offers = getMockEndpoint("mock:offers");
        offers.expectedMessageCount(1);
        offers.expectedHeaderReceived(SessionTimerConstants.EVENT, "invite");
        offers.expectedHeaderReceived(SessionTimerConstants.INTERVAL, 7L);
        offers.expectedHeaderReceived(SessionTimerConstants.REFRESHER, "uas");
        offers.expectedHeaderReceived(SessionTimerConstants.ROLE, "uas");
        offers.message(0).header(SessionTimerConstants.FROM).contains("peer@127.0.0.1");
        PeerCall call = peer.call(ourUri(), "udp", "Session-Expires: 7;refresher=uas", "Supported: timer");
        assertThat(call.awaitFinalResponse(CALL_SETUP).status()).isEqualTo(200);
        offers.assertIsSatisfied(5000);
        assertThat(offers.getReceivedExchanges().get(0).getMessage().getHeader(SessionTimerConstants.CALL_ID))
                .isEqualTo(call.callId());
        call.bye();
        peer.expect(finalResponse("BYE", call.callId()), SHORT, "200 to BYE");
    }
}
