package org.sessiontimer.camel;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.sessiontimer.camel.ScriptedSipPeer.Answer;
import org.sessiontimer.camel.ScriptedSipPeer.Kind;
import org.sessiontimer.camel.ScriptedSipPeer.Received;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sessiontimer.camel.ScriptedSipPeer.request;

/** Refreshes and expiries are routes: the user's own routes on refresh-due and expired replace the default ones. */
class TimerRoutesComponentTest extends SessionTimerTestSupport {

    @Test
    @DisplayName("R1/R9: user routes on session-timer:refresh-due and :expired replace the defaults and drive refresh and BYE")
    void userTimerRoutes() throws Exception {
        AtomicInteger refreshesDue = new AtomicInteger();
        startCamel("sessionExpires=4", new RouteBuilder() {
            @Override
            public void configure() {
                from("session-timer:refresh-due").routeId("my-refresh")
                        .to("mock:timer-events")
                        .filter(e -> refreshesDue.incrementAndGet() == 1) // refresh once, then let the session expire
                        .to("session-timer:refresh");
                from("session-timer:expired").routeId("my-expiry")
                        .to("mock:timer-events")
                        .setHeader(SessionTimerConstants.REASON, constant("expired, said my route"))
                        .to("session-timer:bye");
            }
        });
        assertThat(context.getRoute(SessionTimerEvents.REFRESH_ROUTE_ID)).as("no default refresh route").isNull();
        assertThat(context.getRoute(SessionTimerEvents.EXPIRY_ROUTE_ID)).as("no default expiry route").isNull();
        peer.respond(Kind.INVITE, Answer.ok().sdp().header("Session-Expires: 4;refresher=uac").header("Require: timer"));
        String callId = callPeerOk("sessionExpires=4", "udp").getMessage()
                .getHeader(SessionTimerConstants.CALL_ID, String.class);
        // my routes see: the first refresh due, the second (my route skips it), then the expiry
        MockEndpoint timerEvents = getMockEndpoint("mock:timer-events");
        timerEvents.expectedMessageCount(3);
        timerEvents.expectedHeaderReceived(SessionTimerConstants.CALL_ID, callId);
        timerEvents.message(0).header(SessionTimerConstants.EVENT).isEqualTo("refresh-due");
        timerEvents.message(0).header(SessionTimerConstants.INTERVAL).isEqualTo(4L);
        timerEvents.message(1).header(SessionTimerConstants.EVENT).isEqualTo("refresh-due");
        timerEvents.message(2).header(SessionTimerConstants.EVENT).isEqualTo("expired");

        peer.expect(request("INVITE", callId), SHORT, "INVITE");
        Received refresh = peer.expect(request("INVITE", callId), SHORT, "the refresh my route sent");
        expectEvent("refreshed", callId, SHORT);

        Received bye = peer.expect(request("BYE", callId), SHORT, "the BYE my route sent");
        assertThat(millisBetween(refresh.nanos(), bye.nanos())).as("R9 after the last refresh")
                .isBetween(2667L - 150, 2667L + 900);
        assertThat(expectEvent("ended", callId, SHORT).reason()).isEqualTo("expired, said my route");
        timerEvents.assertIsSatisfied(5000);
        assertThat(peer.history()).filteredOn(r -> r.isRequest() && r.method().equals("INVITE")).hasSize(2);
        peer.expectNone(request("INVITE", callId), Duration.ZERO, "a refresh my route did not send");
    }
}
