package org.sessiontimer.camel.springboot;

import java.time.Duration;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.sessiontimer.camel.ScriptedSipPeer;
import org.sessiontimer.camel.ScriptedSipPeer.Answer;
import org.sessiontimer.camel.ScriptedSipPeer.Kind;
import org.sessiontimer.camel.ScriptedSipPeer.PeerCall;
import org.sessiontimer.camel.ScriptedSipPeer.Received;
import org.sessiontimer.camel.SessionTimerComponent;
import org.sessiontimer.camel.SessionTimerConstants;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.sessiontimer.camel.ScriptedSipPeer.finalResponse;
import static org.sessiontimer.camel.ScriptedSipPeer.request;

/**
 * A Spring Boot application with the starter and one route, configured only through
 * {@code camel.component.session-timer.*} properties, against the component's scripted SIP peer on loopback.
 */
@CamelSpringBootTest
@SpringBootTest(classes = SessionTimerStarterTest.Application.class, properties = {
        "camel.component.session-timer.host=127.0.0.1",
        "camel.component.session-timer.session-expires=600",
        "camel.component.session-timer.min-se=120",
        "camel.component.session-timer.refresher=uas",
        "camel.component.session-timer.transports=udp" })
class SessionTimerStarterTest {

    static final String SDP = "v=0\r\no=boot 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                              + "m=audio 30000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final int SIP_PORT = AvailablePortFinder.getNextAvailable();

    static ScriptedSipPeer peer;

    @SpringBootApplication
    static class Application {
        /** The application's one route: answer every call with our SDP. */
        @Bean
        RouteBuilder answerCalls() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("session-timer:call").routeId("answer").process(e -> e.getMessage().setBody(SDP));
                }
            };
        }
    }

    @DynamicPropertySource
    static void sipPort(DynamicPropertyRegistry registry) {
        registry.add("camel.component.session-timer.port", () -> SIP_PORT);
    }

    @Autowired
    CamelContext camelContext;
    @Autowired
    ProducerTemplate template;

    @BeforeAll
    static void startPeer() throws Exception {
        peer = new ScriptedSipPeer("boot-peer", AvailablePortFinder.getNextAvailable());
    }

    @AfterAll
    static void stopPeer() {
        peer.close();
    }

    /** Every call ended and no session timer left scheduled (R12), as after every component test. */
    @AfterEach
    void nothingLeftBehind() {
        SessionTimerComponent component = camelContext.getComponent("session-timer", SessionTimerComponent.class);
        await().atMost(TIMEOUT).until(() -> component.getActiveSessionCount() == 0);
        await().atMost(TIMEOUT).until(() -> component.getScheduledTimerCount() == 0);
        peer.reset();
    }

    @Test
    @DisplayName("The properties configure the component the route uses")
    void propertiesBindToTheComponent() {
        SessionTimerComponent component = camelContext.getComponent("session-timer", SessionTimerComponent.class);
        assertThat(component.getConfiguration().getPort()).isEqualTo(SIP_PORT);
        assertThat(component.getConfiguration().getSessionExpires()).isEqualTo(600);
        assertThat(component.getConfiguration().getMinSe()).isEqualTo(120);
        assertThat(component.getConfiguration().getTransports()).isEqualTo("udp");
    }

    @Test
    @DisplayName("The route answers a call with the session timer negotiated from the properties (S1, S2)")
    void answersACallWithSessionTimerHeaders() throws Exception {
        PeerCall call = peer.call("sip:boot@127.0.0.1:" + SIP_PORT, "udp", "Session-Expires: 900", "Supported: timer");
        Received ok = call.awaitFinalResponse(TIMEOUT);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.headers("Session-Expires")).as("refresher=uas from the properties").containsExactly("900;refresher=uas");
        assertThat(ok.tokens("Require")).contains("timer");
        assertThat(ok.tokens("Supported")).contains("timer");
        assertThat(ok.body()).isEqualTo(SDP);

        call.bye();
        peer.expect(finalResponse("BYE", call.callId()), TIMEOUT, "200 to BYE");
    }

    @Test
    @DisplayName("A call placed through the component negotiates a session with the peer (C1, C2)")
    void placesACallAndNegotiatesASession() throws Exception {
        peer.respond(Kind.INVITE, r -> Answer.ok().sdp()
                .header("Session-Expires: " + r.header("Session-Expires") + ";refresher=uac").header("Require: timer"));
        Exchange exchange = template.request("session-timer:call", e -> {
            e.getMessage().setBody(SDP);
            e.getMessage().setHeader(SessionTimerConstants.TO, peer.uri("udp"));
        });
        assertThat(exchange.getException()).isNull();
        Received invite = peer.expect(request("INVITE"), TIMEOUT, "our INVITE");
        assertThat(invite.headers("Session-Expires")).containsExactly("600");
        assertThat(invite.headers("Min-SE")).containsExactly("120");
        assertThat(exchange.getMessage().getHeader(SessionTimerConstants.INTERVAL, Long.class)).isEqualTo(600L);
        assertThat(exchange.getMessage().getHeader(SessionTimerConstants.REFRESHER, String.class)).isEqualTo("uac");
        assertThat(exchange.getMessage().getHeader(SessionTimerConstants.WE_REFRESH, Boolean.class)).isTrue();

        String callId = exchange.getMessage().getHeader(SessionTimerConstants.CALL_ID, String.class);
        template.sendBodyAndHeader("session-timer:bye", null, SessionTimerConstants.CALL_ID, callId);
        peer.expect(request("BYE", callId), TIMEOUT, "our BYE");
    }
}
