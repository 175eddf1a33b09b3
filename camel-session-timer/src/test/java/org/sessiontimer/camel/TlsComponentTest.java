package org.sessiontimer.camel;

import java.time.Duration;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
 * SIP over TLS: our tls transport, configured with Camel's SSLContextParameters (a key store made at test time),
 * against a peer whose TLS is JAIN-SIP's own. Via says TLS with our TLS port, Contact says transport=tls, or sips:
 * where the dialog is secure (RFC 3261 section 8.1.1.8, 12.1); refreshes and BYE stay on TLS.
 */
class TlsComponentTest extends SessionTimerTestSupport {

    /** The support class's peer, which speaks UDP and TCP only: set aside while the TLS peer stands in for it. */
    private static ScriptedSipPeer plainPeer;

    private int tlsPort;

    @BeforeAll
    static void startTlsPeer() throws Exception {
        plainPeer = peer;
        peer = new ScriptedSipPeer("tls-peer", AvailablePortFinder.getNextAvailable(),
                TestCertificates.keyStore("peer"), AvailablePortFinder.getNextAvailable());
    }

    @AfterAll
    static void stopPlainPeer() {
        // not right after it started: the RI's stop() can fail on a UDP reader thread that has not run yet
        plainPeer.close();
    }

    @BeforeEach
    void tlsPort() {
        tlsPort = AvailablePortFinder.getNextAvailable();
    }

    @Override
    protected void beforeRoutes(CamelContext newContext) {
        // one test certificate at both ends, each trusting it; "stranger" has another one and trusts only that
        newContext.getRegistry().bind("tls", TestCertificates.parameters("peer"));
        newContext.getRegistry().bind("untrusting", TestCertificates.parameters("stranger"));
    }

    private String tlsOptions() {
        return "sessionExpires=4&transports=udp,tls&tlsPort=" + tlsPort + "&sslContextParameters=#tls";
    }

    @Test
    @DisplayName("TLS: we call a peer over TLS; INVITE, refresh and BYE go over TLS with Via TLS at our TLS port and"
                 + " a transport=tls Contact")
    void outgoingCallOverTls() throws Exception {
        startCamel(tlsOptions());
        peer.respond(Kind.INVITE, Answer.ok().sdp().header("Session-Expires: 4;refresher=uac").header("Require: timer"));
        Exchange exchange = callPeerOk(tlsOptions(), "tls");
        String callId = exchange.getMessage().getHeader(SessionTimerConstants.CALL_ID, String.class);
        Received invite = peer.expect(request("INVITE", callId), SHORT, "INVITE");
        assertOurTls(invite, "<sip:camel@127.0.0.1:" + tlsPort + ";transport=tls>");

        Received refresh = peer.expect(request("INVITE", callId), Duration.ofSeconds(6), "re-INVITE refresh");
        assertOurTls(refresh, "<sip:camel@127.0.0.1:" + tlsPort + ";transport=tls>");
        expectEvent("refreshed", callId, SHORT);
        hangup(callId);
        assertThat(peer.expect(request("BYE", callId), SHORT, "BYE").transport()).isEqualTo("tls");
    }

    @Test
    @DisplayName("TLS: the peer calls our TLS port; our 200 has a transport=tls Contact; the peer's BYE comes over"
                 + " TLS; Camel's global SSL context parameters serve when the endpoint names none")
    void incomingCallOverTlsWithGlobalParameters() throws Exception {
        startCamelWithGlobalParameters();
        PeerCall call = peer.call("sip:camel@127.0.0.1:" + tlsPort, "tls", "Session-Expires: 4;refresher=uac",
                "Supported: timer");
        Received ok = call.awaitFinalResponse(CALL_SETUP);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.transport()).isEqualTo("tls");
        assertThat(ok.header("Contact")).isEqualTo("<sip:camel@127.0.0.1:" + tlsPort + ";transport=tls>");
        call.bye();
        assertThat(peer.expect(finalResponse("BYE", call.callId()), SHORT, "200 to BYE").status()).isEqualTo(200);
    }

    @Test
    @DisplayName("TLS: a sips: call gets sips: Contacts both ways (RFC 3261 section 8.1.1.8 and 12.1.1)")
    void sipsContacts() throws Exception {
        startCamel(tlsOptions());
        Exchange exchange = template.request(callUri(tlsOptions()), e -> {
            e.getMessage().setBody(OUR_SDP);
            e.getMessage().setHeader(SessionTimerConstants.TO, peer.sipsUri());
        });
        assertThat(exchange.getException()).isNull();
        String callId = exchange.getMessage().getHeader(SessionTimerConstants.CALL_ID, String.class);
        assertOurTls(peer.expect(request("INVITE", callId), SHORT, "INVITE"), "<sips:camel@127.0.0.1:" + tlsPort + ">");
        hangup(callId);
        peer.expect(request("BYE", callId), SHORT, "BYE");

        PeerCall call = peer.call("sips:camel@127.0.0.1:" + tlsPort, "tls");
        Received ok = call.awaitFinalResponse(CALL_SETUP);
        assertThat(ok.header("Contact")).isEqualTo("<sips:camel@127.0.0.1:" + tlsPort + ">");
        call.bye();
        peer.expect(finalResponse("BYE", call.callId()), SHORT, "200 to BYE");
    }

    @Test
    @DisplayName("TLS: a peer whose certificate we do not trust fails the call clearly; nothing is left")
    void untrustedPeerFailsTheCall() throws Exception {
        String options = "sessionExpires=4&transports=udp,tls&tlsPort=" + tlsPort + "&sslContextParameters=#untrusting";
        startCamel(options);
        Exchange exchange = callPeer(options, "tls");
        assertThat(exchange.getException()).isInstanceOf(org.sessiontimer.camel.sip.SipCallException.class);
        assertThat(component.getActiveSessionCount()).isZero();
    }

    @Test
    @DisplayName("TLS: transport tls without sslContextParameters fails at start, naming the option")
    void tlsNeedsParameters() {
        assertThatThrownBy(() -> startCamel("transports=udp,tls&tlsPort=" + tlsPort))
                .hasStackTraceContaining("sslContextParameters");
    }

    private void startCamelWithGlobalParameters() throws Exception {
        context.setSSLContextParameters(TestCertificates.parameters("peer"));
        SessionTimerComponent timer = new SessionTimerComponent();
        timer.setUseGlobalSslContextParameters(true);
        context.addComponent("session-timer", timer);
        String uri = callUri("sessionExpires=4&transports=udp,tls&tlsPort=" + tlsPort);
        context.addRoutes(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                from(uri).process(e -> e.getMessage().setBody(OUR_SDP));
            }
        });
        context.start();
        component = timer;
    }

    private void assertOurTls(Received request, String contact) {
        assertThat(request.transport()).as("over TLS: " + request.firstLine()).isEqualTo("tls");
        assertThat(request.header("Via")).startsWith("SIP/2.0/TLS 127.0.0.1:" + tlsPort + ";").contains("rport");
        assertThat(request.header("Contact")).isEqualTo(contact);
    }
}
