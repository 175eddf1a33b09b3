package org.sessiontimer.camel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
import org.sessiontimer.camel.store.CallRecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sessiontimer.camel.ScriptedSipPeer.finalResponse;
import static org.sessiontimer.camel.ScriptedSipPeer.request;

/**
 * Calls through proxies: the outbound proxy of the calls we place (a preloaded Route, RFC 3261 §8.1.2) and the route
 * set that Record-Route sets up in both roles (§12.1), which our refreshes and BYE follow, through every proxy and in
 * order (§12.2.1.1, loose routing §16.12). Two {@link ScriptedProxy} instances, a and b, stand between us and the peer.
 */
class ProxyRoutingComponentTest extends SessionTimerTestSupport {

    private static final Pattern ROUTE_VALUE = Pattern.compile("<[^>]+>");

    private static ScriptedProxy a;
    private static ScriptedProxy b;

    @BeforeAll
    static void startProxies() throws Exception {
        a = new ScriptedProxy("a", AvailablePortFinder.getNextAvailable());
        b = new ScriptedProxy("b", AvailablePortFinder.getNextAvailable());
    }

    @AfterAll
    static void stopProxies() {
        a.close();
        b.close();
    }

    @BeforeEach
    void resetProxies() {
        a.reset();
        b.reset();
    }

    @Test
    @DisplayName("outboundProxy: the INVITE goes to the proxy with a preloaded Route and the callee as Request-URI;"
                 + " the refresh and BYE follow the route set the proxy's Record-Route set up")
    void outboundProxy() throws Exception {
        String options = "sessionExpires=4&outboundProxy=" + a.uri();
        startCamel(options);
        peer.respond(Kind.INVITE, Answer.ok().sdp().header("Session-Expires: 4;refresher=uac").header("Require: timer"));
        Exchange exchange = callPeerOk(options, "udp");
        String callId = exchange.getMessage().getHeader(SessionTimerConstants.CALL_ID, String.class);

        Received invite = a.expect(newCall(callId), SHORT, "our INVITE");
        assertThat(routes(invite)).containsExactly("<" + a.uri() + ">");
        assertThat(invite.firstLine()).startsWith("INVITE " + peer.uri("udp") + " ");
        assertThat(vias(peer.expect(request("INVITE", callId), SHORT, "INVITE"))).as("the proxy, then us").hasSize(2);

        Received refresh = a.expect(inDialog("INVITE", callId), Duration.ofSeconds(6), "our refresh");
        assertThat(routes(refresh)).containsExactly("<" + a.uri() + ">");
        expectEvent("refreshed", callId, SHORT);
        hangup(callId);
        assertThat(routes(a.expect(inDialog("BYE", callId), SHORT, "our BYE"))).containsExactly("<" + a.uri() + ">");
        peer.expect(request("BYE", callId), SHORT, "BYE through the proxy");
    }

    @Test
    @DisplayName("Record-Route, we place the call: route set = the 2xx's Record-Route reversed; refresh and BYE pass"
                 + " a then b, with Route a, b; the stored record holds the same route set")
    void recordRouteAsUac() throws Exception {
        a.routeNewCallsVia(b);
        String options = "sessionExpires=4&outboundProxy=" + a.uri();
        startCamel(options);
        peer.respond(Kind.INVITE, Answer.ok().sdp().header("Session-Expires: 4;refresher=uac").header("Require: timer"));
        Exchange exchange = callPeerOk(options, "tcp");
        String callId = exchange.getMessage().getHeader(SessionTimerConstants.CALL_ID, String.class);
        Received invite = peer.expect(request("INVITE", callId), SHORT, "INVITE");
        assertThat(routes(invite, "Record-Route")).containsExactly("<" + b.uri() + ">", "<" + a.uri() + ">");

        List<String> expected = List.of("<" + a.uri() + ">", "<" + b.uri() + ">");
        CallRecord record = component.getSessionStore().get(callId);
        assertThat(record.dialog().routeSet()).as("the stored route set").isEqualTo(expected);

        Received refresh = a.expect(inDialog("INVITE", callId), Duration.ofSeconds(6), "our refresh at a");
        assertThat(routes(refresh)).as("the route set JAIN-SIP's dialog used").isEqualTo(expected);
        assertThat(routes(b.expect(inDialog("INVITE", callId), SHORT, "our refresh at b")))
                .containsExactly("<" + b.uri() + ">");
        Received atPeer = peer.expect(request("INVITE", callId), SHORT, "our refresh");
        assertThat(atPeer.headers("Route")).isEmpty();
        assertThat(vias(atPeer)).as("b, then a, then us").hasSize(3);
        assertThat(vias(atPeer).get(0)).contains(":" + b.uri().replaceAll(".*:(\\d+);lr", "$1"));
        assertThat(vias(atPeer).get(1)).contains(":" + a.uri().replaceAll(".*:(\\d+);lr", "$1"));
        expectEvent("refreshed", callId, SHORT);

        hangup(callId);
        assertThat(routes(a.expect(inDialog("BYE", callId), SHORT, "our BYE at a"))).isEqualTo(expected);
        b.expect(inDialog("BYE", callId), SHORT, "our BYE at b");
        peer.expect(request("BYE", callId), SHORT, "BYE");
    }

    @Test
    @DisplayName("Record-Route, we answer: our 200 keeps the Record-Route; route set = Record-Route in order; our"
                 + " refresh and BYE pass a then b; the peer's BYE comes back through b and a")
    void recordRouteAsUas() throws Exception {
        b.routeNewCallsVia(a);
        startCamel("sessionExpires=4");
        PeerCall call = peer.call(ourUri(), "udp", "Route: <" + b.uri() + ">", "Session-Expires: 4;refresher=uas",
                "Supported: timer");
        Received ok = call.awaitFinalResponse(CALL_SETUP);
        assertThat(ok.status()).isEqualTo(200);
        List<String> expected = List.of("<" + a.uri() + ">", "<" + b.uri() + ">");
        assertThat(routes(ok, "Record-Route")).as("RFC 3261 section 12.1.1: copied into the 2xx").isEqualTo(expected);
        assertThat(component.getSessionStore().get(call.callId()).dialog().routeSet()).isEqualTo(expected);

        Received refresh = a.expect(inDialog("INVITE", call.callId()), Duration.ofSeconds(6), "our refresh at a");
        assertThat(routes(refresh)).isEqualTo(expected);
        b.expect(inDialog("INVITE", call.callId()), SHORT, "our refresh at b");
        peer.expect(request("INVITE", call.callId()), SHORT, "our refresh");

        call.bye();
        assertThat(routes(b.expect(inDialog("BYE", call.callId()), SHORT, "the peer's BYE at b")))
                .containsExactly("<" + b.uri() + ">", "<" + a.uri() + ">");
        a.expect(inDialog("BYE", call.callId()), SHORT, "the peer's BYE at a");
        assertThat(peer.expect(finalResponse("BYE", call.callId()), SHORT, "200 to BYE").status()).isEqualTo(200);
    }

    @Test
    @DisplayName("outboundProxy that is not a SIP URI fails the endpoint, naming the option")
    void invalidOutboundProxy() {
        assertThatThrownBy(() -> startCamel("outboundProxy=tel:+4930123")).hasStackTraceContaining("outboundProxy");
    }

    private static Predicate<Received> newCall(String callId) {
        return request("INVITE", callId).and(r -> !r.header("To").contains("tag="));
    }

    private static Predicate<Received> inDialog(String method, String callId) {
        return request(method, callId).and(r -> r.header("To").contains("tag="));
    }

    private static List<String> routes(Received message) {
        return routes(message, "Route");
    }

    /** The values of every header line of this name, one per route, in order. */
    private static List<String> routes(Received message, String header) {
        List<String> values = new ArrayList<>();
        for (String line : message.headers(header)) {
            Matcher m = ROUTE_VALUE.matcher(line);
            while (m.find()) {
                values.add(m.group());
            }
        }
        return values;
    }

    private static List<String> vias(Received message) {
        List<String> values = new ArrayList<>();
        for (String line : message.headers("Via")) {
            for (String via : line.split(",")) {
                values.add(via.trim());
            }
        }
        return values;
    }
}
