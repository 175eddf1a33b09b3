package org.sessiontimer.camel;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
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
        BlockingQueue<Message> timerEvents = new LinkedBlockingQueue<>();
        AtomicInteger refreshesDue = new AtomicInteger();
        startCamel("sessionExpires=4", new RouteBuilder() {
            @Override
            public void configure() {
                from("session-timer:refresh-due").routeId("my-refresh")
                        .process(e -> timerEvents.add(e.getMessage().copy()))
                        .filter(e -> refreshesDue.incrementAndGet() == 1) // refresh once, then let the session expire
                        .to("session-timer:refresh");
                from("session-timer:expired").routeId("my-expiry")
                        .process(e -> timerEvents.add(e.getMessage().copy()))
                        .setHeader(SessionTimerConstants.REASON, constant("expired, said my route"))
                        .to("session-timer:bye");
            }
        });
        assertThat(context.getRoute(SessionTimerEvents.REFRESH_ROUTE_ID)).as("no default refresh route").isNull();
        assertThat(context.getRoute(SessionTimerEvents.EXPIRY_ROUTE_ID)).as("no default expiry route").isNull();
        peer.respond(Kind.INVITE, Answer.ok().sdp().header("Session-Expires: 4;refresher=uac").header("Require: timer"));
        String callId = callPeerOk("sessionExpires=4", "udp").getMessage()
                .getHeader(SessionTimerConstants.CALL_ID, String.class);

        Message due = timerEvents.poll(5, TimeUnit.SECONDS);
        assertThat(due).isNotNull();
        assertThat(due.getHeader(SessionTimerConstants.EVENT)).isEqualTo("refresh-due");
        assertThat(due.getHeader(SessionTimerConstants.CALL_ID)).isEqualTo(callId);
        assertThat(due.getHeader(SessionTimerConstants.INTERVAL)).isEqualTo(4L);
        peer.expect(request("INVITE", callId), SHORT, "INVITE");
        Received refresh = peer.expect(request("INVITE", callId), SHORT, "the refresh my route sent");
        expectEvent("refreshed", callId, SHORT);

        Message secondDue = timerEvents.poll(5, TimeUnit.SECONDS);
        assertThat(secondDue).isNotNull();
        assertThat(secondDue.getHeader(SessionTimerConstants.EVENT)).as("my route skips this one").isEqualTo("refresh-due");
        Message expired = timerEvents.poll(5, TimeUnit.SECONDS);
        assertThat(expired).isNotNull();
        assertThat(expired.getHeader(SessionTimerConstants.EVENT)).isEqualTo("expired");
        Received bye = peer.expect(request("BYE", callId), SHORT, "the BYE my route sent");
        assertThat(millisBetween(refresh.nanos(), bye.nanos())).as("R9 after the last refresh")
                .isBetween(2667L - 150, 2667L + 900);
        assertThat(expectEvent("ended", callId, SHORT).reason()).isEqualTo("expired, said my route");
        assertThat(peer.history()).filteredOn(r -> r.isRequest() && r.method().equals("INVITE")).hasSize(2);
        peer.expectNone(request("INVITE", callId), Duration.ZERO, "a refresh my route did not send");
    }
}
