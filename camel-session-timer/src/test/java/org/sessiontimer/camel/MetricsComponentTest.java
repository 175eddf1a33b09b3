package org.sessiontimer.camel;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.sessiontimer.camel.ScriptedSipPeer.Answer;
import org.sessiontimer.camel.ScriptedSipPeer.Kind;
import org.sessiontimer.camel.ScriptedSipPeer.PeerCall;
import org.sessiontimer.camel.core.Role;
import org.sessiontimer.camel.metrics.RefreshResult;
import org.sessiontimer.camel.metrics.RefreshResult.Method;
import org.sessiontimer.camel.metrics.RejectionReason;
import org.sessiontimer.camel.metrics.SessionTimerStatistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sessiontimer.camel.ScriptedSipPeer.finalResponse;
import static org.sessiontimer.camel.ScriptedSipPeer.request;

/**
 * The component's counters after scripted failures, read the three ways an operator reads them: the statistics,
 * the Micrometer meters (a MeterRegistry in the Camel registry) and the component's JMX attributes.
 */
class MetricsComponentTest extends SessionTimerTestSupport {

    @Override
    public void configureTest(TestExecutionConfiguration testConfiguration) {
        super.configureTest(testConfiguration);
        testConfiguration.withEnableJMX(); // the component's attributes are read from its MBean
    }

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    /** Puts the meter registry in the Camel registry before the context starts, as camel-main or Spring Boot do. */
    private RouteBuilder meterRegistry() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                getContext().getRegistry().bind("meterRegistry", meters);
            }
        };
    }

    private SessionTimerStatistics statistics() {
        return component.getStatistics();
    }

    private double counter(String name, String... tags) {
        FunctionCounter counter = meters.find("session.timer." + name).tags(tags).functionCounter();
        assertThat(counter).as("meter session.timer.%s %s", name, Arrays.toString(tags)).isNotNull();
        return counter.count();
    }

    private Object jmx(String attribute) throws Exception {
        ObjectName name = context.getManagementStrategy().getManagementObjectNameStrategy()
                .getObjectNameForComponent(component, "session-timer");
        MBeanServer server = context.getManagementStrategy().getManagementAgent().getMBeanServer();
        return server.getAttribute(name, attribute);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Long> jmxMap(String attribute) throws Exception {
        return (Map<String, Long>) jmx(attribute);
    }

    @Test
    @DisplayName("UAC: a 422 to our INVITE, a 422 to a refresh (both retried) and a 408 to the next refresh (BYE) are "
                 + "counted by method and result")
    void outgoingCallWith422sAnd408() throws Exception {
        String options = "sessionExpires=4";
        startCamel(options, meterRegistry());
        peer.respond(Kind.INVITE, r -> Answer.ok().sdp()
                .header("Session-Expires: " + r.header("Session-Expires") + ";refresher=uac").header("Require: timer"));
        peer.respondNext(Kind.INVITE, Answer.status(422, "Session Interval Too Small").header("Min-SE: 6"));
        String callId = callPeerOk(options, "udp").getMessage().getHeader(SessionTimerConstants.CALL_ID, String.class);

        peer.respondNext(Kind.REINVITE, Answer.status(422, "Session Interval Too Small").header("Min-SE: 8"));
        refreshNow(callId);
        expectEvent("refreshed", callId, SHORT); // the retry with SE 8 got the standing 200
        peer.respondNext(Kind.REINVITE, Answer.status(408, "Request Timeout"));
        refreshNow(callId);
        peer.expect(request("BYE", callId), SHORT, "BYE after the 408 (R7)");
        expectEvent("ended", callId, SHORT);

        assertThat(statistics().retriesAfter422()).isEqualTo(1);
        assertThat(statistics().refreshesSent(Method.INVITE, RefreshResult.INTERVAL_TOO_SMALL)).isEqualTo(1);
        assertThat(statistics().refreshesSent(Method.INVITE, RefreshResult.OK)).isEqualTo(1);
        assertThat(statistics().refreshesSent(Method.INVITE, RefreshResult.TIMEOUT)).isEqualTo(1);
        assertThat(statistics().refreshesSent(Method.UPDATE, RefreshResult.OK)).isZero();
        assertThat(statistics().callsPlaced()).isEqualTo(1);
        assertThat(statistics().callsAnswered(Role.UAC)).isEqualTo(1);
        assertThat(statistics().callsFailed(Role.UAC)).isZero();
        assertThat(statistics().expiries()).isZero();

        assertThat(counter("refreshes.sent", "method", "invite", "result", "408")).isEqualTo(1.0);
        assertThat(counter("refreshes.sent", "method", "invite", "result", "422")).isEqualTo(1.0);
        assertThat(counter("refreshes.sent", "method", "invite", "result", "ok")).isEqualTo(1.0);
        assertThat(counter("refreshes.sent", "method", "update", "result", "ok")).isZero();
        assertThat(counter("uac.422.retries")).isEqualTo(1.0);
        assertThat(counter("calls.placed")).isEqualTo(1.0);
        assertThat(counter("calls.answered", "role", "uac")).isEqualTo(1.0);
        FunctionTimer setup = meters.find("session.timer.call.setup").tag("role", "uac").functionTimer();
        assertThat(setup.count()).isEqualTo(1.0);
        assertThat(setup.totalTime(TimeUnit.MILLISECONDS)).isLessThan(CALL_SETUP.toMillis());
        assertThat(meters.find("session.timer.active.sessions").gauge().value()).isZero();
        assertThat(meters.find("session.timer.active.sessions").tag("camelContext", context.getName()).gauge())
                .isNotNull();

        assertThat(jmx("CallsPlaced")).isEqualTo(1L);
        assertThat(jmx("Uac422Retries")).isEqualTo(1L);
        assertThat(jmxMap("RefreshesSent")).containsEntry("invite:408", 1L).containsEntry("invite:422", 1L)
                .containsEntry("invite:ok", 1L).containsEntry("invite:491", 0L);
        assertThat(jmxMap("CallsAnswered")).containsEntry("uac", 1L).containsEntry("uas", 0L);
        assertThat(jmx("ActiveSessionCount")).isEqualTo(0);
    }

    @Test
    @DisplayName("UAS: an INVITE rejected with 422, a peer refresh refused with 422, one accepted, then an expiry")
    void incomingCallWithRejectionsAndExpiry() throws Exception {
        startCamel("sessionExpires=8&minSe=5", meterRegistry());
        PeerCall small = peer.call(ourUri(), "udp", "Session-Expires: 3", "Min-SE: 2", "Supported: timer");
        assertThat(small.awaitFinalResponse(CALL_SETUP).status()).isEqualTo(422);

        PeerCall call = peer.call(ourUri(), "udp", "Session-Expires: 5;refresher=uac", "Supported: timer");
        assertThat(call.awaitFinalResponse(CALL_SETUP).status()).isEqualTo(200);
        expectEvent("confirmed", call.callId(), SHORT);
        call.reInvite("Session-Expires: 3;refresher=uac", "Supported: timer");
        assertThat(peer.expect(finalResponse("INVITE", call.callId()), SHORT, "answer to the small refresh").status())
                .isEqualTo(422);
        call.update("Session-Expires: 5;refresher=uac", "Supported: timer");
        assertThat(peer.expect(finalResponse("UPDATE", call.callId()), SHORT, "answer to the UPDATE").status())
                .isEqualTo(200);
        expectEvent("refresh-received", call.callId(), SHORT);
        // the peer, the refresher, refreshes no more: we end the session at SE - SE/3
        peer.expect(request("BYE", call.callId()), Duration.ofSeconds(8), "BYE on expiry");
        expectEvent("ended", call.callId(), SHORT);

        assertThat(statistics().rejections(RejectionReason.INTERVAL_TOO_SMALL)).isEqualTo(1);
        assertThat(statistics().refreshesReceived(Method.INVITE, RefreshResult.INTERVAL_TOO_SMALL)).isEqualTo(1);
        assertThat(statistics().refreshesReceived(Method.UPDATE, RefreshResult.OK)).isEqualTo(1);
        assertThat(statistics().expiries()).isEqualTo(1);
        assertThat(statistics().callsAnswered(Role.UAS)).isEqualTo(1);
        assertThat(statistics().callsFailed(Role.UAS)).as("the 422 never reached the route").isZero();

        assertThat(counter("rejections", "status", "422", "reason", "interval-too-small")).isEqualTo(1.0);
        assertThat(counter("rejections", "status", "421", "reason", "extension-required")).isZero();
        assertThat(counter("refreshes.received", "method", "invite", "result", "422")).isEqualTo(1.0);
        assertThat(counter("refreshes.received", "method", "update", "result", "ok")).isEqualTo(1.0);
        assertThat(counter("expiries")).isEqualTo(1.0);
        assertThat(counter("calls.answered", "role", "uas")).isEqualTo(1.0);
        assertThat(jmx("Expiries")).isEqualTo(1L);
        assertThat(jmxMap("Rejections")).containsEntry("422:interval-too-small", 1L);
    }

    @Test
    @DisplayName("Calls that are not established count as failed: our route rejects one (486), the peer rejects ours")
    void failedCalls() throws Exception {
        String options = "sessionExpires=8";
        startCamel(options, false, meterRegistry(), new RouteBuilder() {
            @Override
            public void configure() {
                from(callUri(options)).routeId("busy").setHeader(SessionTimerConstants.STATUS_CODE, constant(486));
            }
        });
        PeerCall rejected = peer.call(ourUri(), "udp", "Session-Expires: 8", "Supported: timer");
        assertThat(rejected.awaitFinalResponse(CALL_SETUP).status()).isEqualTo(486);
        peer.respond(Kind.INVITE, Answer.status(486, "Busy Here"));
        assertThat(callPeer(options, "udp").getException()).hasMessageContaining("486");

        assertThat(statistics().callsFailed(Role.UAS)).isEqualTo(1);
        assertThat(statistics().callsFailed(Role.UAC)).isEqualTo(1);
        assertThat(statistics().callsPlaced()).isEqualTo(1);
        assertThat(statistics().callsAnswered(Role.UAS) + statistics().callsAnswered(Role.UAC)).isZero();
        assertThat(counter("calls.failed", "role", "uas")).isEqualTo(1.0);
        assertThat(counter("calls.failed", "role", "uac")).isEqualTo(1.0);

        // a reason a later feature adds shows at zero from its registration on, meter included
        RejectionReason limit = new RejectionReason(503, "test-limit");
        statistics().register(limit);
        assertThat(counter("rejections", "status", "503", "reason", "test-limit")).isZero();
        statistics().inviteRejected(limit);
        assertThat(counter("rejections", "status", "503", "reason", "test-limit")).isEqualTo(1.0);
    }
}
