package org.sessiontimer.camel;

import java.util.List;
import java.util.Map;

import org.apache.camel.console.DevConsole;
import org.apache.camel.console.DevConsoleRegistry;
import org.apache.camel.spi.EndpointServiceRegistry.EndpointService;
import org.apache.camel.util.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.sessiontimer.camel.ScriptedSipPeer.Answer;
import org.sessiontimer.camel.ScriptedSipPeer.Kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sessiontimer.camel.ScriptedSipPeer.request;

/** The session-timer dev console, and the SIP address our endpoints give Camel's endpoint service registry. */
class DevConsoleComponentTest extends SessionTimerTestSupport {

    @SuppressWarnings("unchecked")
    private static List<JsonObject> list(JsonObject json, String key) {
        return (List<JsonObject>) json.get(key);
    }

    @Test
    @DisplayName("The console lists the agent, the active session (role, interval, refresher, next refresh, expiry) and "
                 + "the counters, as JSON and text")
    void consoleShowsAgentsSessionsAndCounters() throws Exception {
        String options = "sessionExpires=8";
        startCamel(options);
        peer.respond(Kind.INVITE, r -> Answer.ok().sdp().header("Session-Expires: 8;refresher=uac").header("Require: timer"));
        String callId = callPeerOk(options, "udp").getMessage().getHeader(SessionTimerConstants.CALL_ID, String.class);

        DevConsole console = DevConsoleRegistry.get(context).resolveById("session-timer");
        assertThat(console).as("console found through Camel's registry").isNotNull();
        JsonObject json = (JsonObject) console.call(DevConsole.MediaType.JSON);
        JsonObject ours = list(json, "components").get(0);
        assertThat(ours.getInteger("activeSessions")).isEqualTo(1);
        JsonObject agent = list(ours, "agents").get(0);
        assertThat(agent.getString("address")).isEqualTo("127.0.0.1:" + port);
        assertThat(agent.getString("listening")).isEqualTo("udp,tcp");
        assertThat(agent.getString("routeId")).isEqualTo("answer");
        JsonObject session = list(ours, "sessions").get(0);
        assertThat(session.getString("callId")).isEqualTo(callId);
        assertThat(session.getString("role")).isEqualTo("uac");
        assertThat(session.getLong("interval")).isEqualTo(8L);
        assertThat(session.getString("refresher")).isEqualTo("uac");
        assertThat(session.getBoolean("weRefresh")).isTrue();
        assertThat(session.getString("nextRefresh")).isNotNull();
        assertThat(session.getString("expiresAt")).isNotNull();
        assertThat(((Map<?, ?>) ours.get("counters")).get("callsPlaced")).isEqualTo(1L);

        String text = (String) console.call(DevConsole.MediaType.TEXT);
        assertThat(text).contains("Agent 127.0.0.1:" + port, callId + " role=uac interval=8 refresher=uac",
                "callsPlaced: 1");
        assertThat(list((JsonObject) console.call(DevConsole.MediaType.JSON, Map.of("limit", "0")), "components")
                .get(0).get("sessions")).asList().isEmpty();

        hangup(callId);
        peer.expect(request("BYE", callId), SHORT, "BYE");
    }

    @Test
    @DisplayName("session-timer:call endpoints are SIP services at host:port in Camel's endpoint service registry")
    void endpointServiceLocation() throws Exception {
        startCamel(null);
        List<EndpointService> services = context.getCamelContextExtension().getEndpointServiceRegistry()
                .listAllEndpointServices().stream().filter(s -> s.getComponent().equals("session-timer")).toList();
        // the call endpoint, once as the consumer (in) and once as an endpoint (out); the event and producer-only
        // endpoints (events, refresh-due, expired, refresh, bye) have no address of their own
        assertThat(services).extracting(EndpointService::getDirection).containsExactlyInAnyOrder("in", "out");
        assertThat(services).allSatisfy(sip -> {
            assertThat(sip.getEndpointUri()).startsWith("session-timer://call");
            assertThat(sip.getServiceUrl()).isEqualTo("127.0.0.1:" + port);
            assertThat(sip.getServiceProtocol()).isEqualTo("sip");
            assertThat(sip.getServiceMetadata()).containsEntry("transports", "udp,tcp");
        });
        assertThat(services).filteredOn(sip -> sip.getDirection().equals("in"))
                .allSatisfy(sip -> assertThat(sip.isHostedService()).as("we listen ourselves").isTrue());
    }
}
