package org.sessiontimer.camel;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The component on both ends: one Camel context calls another through routes, the caller refreshes by the default
 * refresh route, and stopping the caller ends the call with BYE (byeOnShutdown).
 */
class CamelToCamelComponentTest extends SessionTimerTestSupport {

    @Test
    @DisplayName("R1/R4/R10/R12: Camel calls Camel; refreshes at SE/2 on both sides; stopping the caller sends BYE")
    void camelCallsCamel() throws Exception {
        startCamel("sessionExpires=4");
        int callerPort = AvailablePortFinder.getNextAvailable();
        String callerUri = "session-timer:call?port=" + callerPort + "&transports=tcp,udp&labFloor=2&minSe=2&sessionExpires=4";
        BlockingQueue<String> callerEvents = new LinkedBlockingQueue<>();
        CamelContext caller = new DefaultCamelContext();
        caller.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").to(callerUri);
                from("session-timer:events").process(e -> callerEvents.add(
                        e.getMessage().getHeader(SessionTimerConstants.EVENT, String.class)));
            }
        });
        caller.start();
        SessionTimerComponent callerComponent = caller.getComponent("session-timer", SessionTimerComponent.class);
        try {
            Exchange answer = caller.createProducerTemplate().request("direct:call", e -> {
                e.getMessage().setBody(OUR_SDP.replace("camel 1001 1001", "caller 7 7"));
                e.getMessage().setHeader(SessionTimerConstants.TO, ourUri() + ";transport=tcp");
            });
            assertThat(answer.getException()).isNull();
            assertThat(answer.getMessage().getBody(String.class)).isEqualTo(OUR_SDP);
            String callId = answer.getMessage().getHeader(SessionTimerConstants.CALL_ID, String.class);
            assertThat(answer.getMessage().getHeader(SessionTimerConstants.WE_REFRESH, Boolean.class))
                    .as("S1: the callee leaves refreshing to the caller").isTrue();

            for (int i = 1; i <= 2; i++) {
                CallEventRecord received = expectEvent("refresh-received", callId, Duration.ofSeconds(5));
                assertThat(received.interval()).isEqualTo(4L);
            }
            assertThat(callerEvents.poll(5, TimeUnit.SECONDS)).isEqualTo("confirmed");
            assertThat(callerEvents.poll(5, TimeUnit.SECONDS)).isEqualTo("refreshed");
            assertThat(callerEvents.poll(5, TimeUnit.SECONDS)).isEqualTo("refreshed");
            assertThat(component.getActiveSessionCount()).isEqualTo(1);

            caller.stop();
            assertThat(callerComponent.getActiveSessionCount()).isZero();
            assertThat(expectEvent("ended", callId, SHORT).reason()).isEqualTo("bye received");
        } finally {
            caller.stop();
        }
    }
}
