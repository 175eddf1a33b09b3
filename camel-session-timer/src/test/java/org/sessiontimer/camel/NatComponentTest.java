package org.sessiontimer.camel;

import java.time.Duration;

import org.apache.camel.Exchange;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.sessiontimer.camel.ScriptedSipPeer.Answer;
import org.sessiontimer.camel.ScriptedSipPeer.Kind;
import org.sessiontimer.camel.ScriptedSipPeer.PeerCall;
import org.sessiontimer.camel.ScriptedSipPeer.Received;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sessiontimer.camel.ScriptedSipPeer.finalResponse;
import static org.sessiontimer.camel.ScriptedSipPeer.request;

/**
 * Behind NAT: the agent binds 127.0.0.1 and advertises 127.0.0.2 at another port, the NAT's public side, where nothing
 * listens in this test. Via sent-by and Contact must carry the advertised address, and rport must bring the answers to
 * our requests back to the port they left from: without it the peer would answer to the advertised port at the source
 * address, where nothing listens (RFC 3581).
 */
class NatComponentTest extends SessionTimerTestSupport {

    private static final String PUBLIC_HOST = "127.0.0.2";

    private int publicPort;

    @BeforeEach
    void publicPort() {
        publicPort = AvailablePortFinder.getNextAvailable();
    }

    private String natOptions() {
        return "sessionExpires=4&advertisedHost=" + PUBLIC_HOST + "&advertisedPort=" + publicPort;
    }

    private String advertised() {
        return PUBLIC_HOST + ":" + publicPort;
    }

    @Test
    @DisplayName("NAT: our INVITE, refresh and BYE carry the advertised sent-by with rport and the advertised Contact;"
                 + " the answers come back by rport")
    void outgoingCallBehindNat() throws Exception {
        startCamel(natOptions());
        peer.respond(Kind.INVITE, Answer.ok().sdp().header("Session-Expires: 4;refresher=uac").header("Require: timer"));
        Exchange exchange = callPeerOk(natOptions(), "udp");
        String callId = exchange.getMessage().getHeader(SessionTimerConstants.CALL_ID, String.class);
        Received invite = peer.expect(request("INVITE", callId), SHORT, "INVITE");
        assertAdvertised(invite);

        Received refresh = peer.expect(request("INVITE", callId), Duration.ofSeconds(6), "re-INVITE refresh");
        assertAdvertised(refresh);
        expectEvent("refreshed", callId, SHORT);

        hangup(callId);
        Received bye = peer.expect(request("BYE", callId), SHORT, "BYE");
        assertThat(bye.header("Via")).startsWith("SIP/2.0/UDP " + advertised()).contains("rport");
    }

    @Test
    @DisplayName("NAT: the 200 we answer and our refresh carry the advertised Contact and sent-by with rport")
    void incomingCallBehindNat() throws Exception {
        startCamel(natOptions());
        PeerCall call = peer.call(ourUri(), "udp", "Session-Expires: 4;refresher=uas", "Supported: timer");
        Received ok = call.awaitFinalResponse(CALL_SETUP);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("Contact")).isEqualTo("<sip:camel@" + advertised() + ";transport=udp>");

        Received refresh = peer.expect(request("INVITE", call.callId()), Duration.ofSeconds(6), "our refresh");
        assertAdvertised(refresh);

        // the NAT maps the advertised Contact to the bound address: the peer's BYE arrives there
        call.sendTo(ourUri()).bye();
        assertThat(peer.expect(finalResponse("BYE", call.callId()), SHORT, "200 to BYE").status()).isEqualTo(200);
    }

    @Test
    @DisplayName("NAT: binding 0.0.0.0 without advertisedHost fails, naming the option")
    void wildcardHostNeedsAdvertisedHost() {
        SessionTimerConfiguration config = new SessionTimerConfiguration();
        config.setHost("0.0.0.0");
        assertThatThrownBy(config::toAgentSettings).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("advertisedHost");
        config.setAdvertisedHost("203.0.113.7");
        assertThat(config.toAgentSettings().advertised().host()).isEqualTo("203.0.113.7");
        assertThat(config.toAgentSettings().advertised().port()).isEqualTo(5060);
    }

    @Test
    @DisplayName("NAT: the TLS port and its advertised port default to port + 1 and advertisedPort + the same distance")
    void tlsPortDefaults() {
        SessionTimerConfiguration config = new SessionTimerConfiguration();
        assertThat(config.toAgentSettings().tlsPort()).as("RFC 3261: 5061 for the default port").isEqualTo(5061);
        assertThat(config.toAgentSettings().advertised().port("tls")).isEqualTo(5061);
        config.setAdvertisedPort(15060);
        assertThat(config.toAgentSettings().advertised().port("udp")).isEqualTo(15060);
        assertThat(config.toAgentSettings().advertised().port("tls")).isEqualTo(15061);
        config.setTlsPort(5071);
        config.setAdvertisedTlsPort(443);
        assertThat(config.toAgentSettings().port("tls")).isEqualTo(5071);
        assertThat(config.toAgentSettings().advertised().port("tls")).isEqualTo(443);
    }

    private void assertAdvertised(Received request) {
        assertThat(request.header("Via")).as("Via of " + request.firstLine())
                .startsWith("SIP/2.0/UDP " + advertised() + ";").contains("rport")
                .contains("received=127.0.0.1"); // the peer saw another source address: RFC 3261 section 18.2.1
        assertThat(request.header("Contact")).as("Contact of " + request.firstLine())
                .isEqualTo("<sip:camel@" + advertised() + ";transport=udp>");
    }
}
