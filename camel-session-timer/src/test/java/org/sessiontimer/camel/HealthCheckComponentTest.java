package org.sessiontimer.camel;

import java.util.Map;
import java.util.Optional;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRepository;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readiness checks of the SIP agents behind session-timer:call, as Camel's health check registry reports them
 * (what /observe/health and Spring Boot's health endpoint show).
 */
class HealthCheckComponentTest extends SessionTimerTestSupport {

    /** The answering route's consumer check, as Camel reports it. */
    private HealthCheck.Result consumerCheck() {
        Optional<HealthCheck.Result> result = HealthCheckHelper.invokeReadiness(context).stream()
                .filter(r -> r.getCheck().getId().equals("consumer:answer")).findFirst();
        assertThat(result).as("readiness check consumer:answer").isPresent();
        return result.get();
    }

    /** Loses the SIP port under the running route: the agent's stack stops. */
    private void stopAgentOfAnsweringRoute() {
        ((SessionTimerCallConsumer) context.getRoute("answer").getConsumer()).agent().agent().stop();
    }

    @Test
    @DisplayName("The call consumer is ready while its agent listens; DOWN with host, port, transports and route once "
                 + "the agent is stopped")
    void consumerDownWhenAgentStops() throws Exception {
        startCamel(null);
        HealthCheck.Result up = consumerCheck();
        assertThat(up.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(up.getDetails()).containsEntry("listening", "udp,tcp").containsEntry("port", port);

        stopAgentOfAnsweringRoute();

        HealthCheck.Result down = consumerCheck();
        assertThat(down.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(down.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("127.0.0.1:" + port, "stopped"));
        assertThat(down.getDetails()).containsEntry("host", "127.0.0.1").containsEntry("port", port)
                .containsEntry("transports", "udp,tcp").containsEntry("route.id", "answer")
                .containsEntry("listening", "");
        assertThat(HealthCheckHelper.isResultsUp(HealthCheckHelper.invokeReadiness(context), true)).isFalse();
    }

    @Test
    @DisplayName("healthCheckConsumerEnabled=false on the component: the consumer's check is off (Camel reports a "
                 + "disabled check as UNKNOWN), a lost port is not reported")
    void consumerCheckDisabled() throws Exception {
        startCamel(null, new RouteBuilder() {
            @Override
            public void configure() {
                getContext().getComponent("session-timer", SessionTimerComponent.class).setHealthCheckConsumerEnabled(false);
            }
        });
        stopAgentOfAnsweringRoute();
        assertThat(consumerCheck().getState()).isEqualTo(HealthCheck.State.UNKNOWN);
    }

    @Test
    @DisplayName("The call producer's check (producer checks on): UP while its agent listens, DOWN once it stops")
    void producerCheck() throws Exception {
        String uri = callUri("transports=udp");
        startCamel(null, false, new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:dial").routeId("dial").to(uri);
            }
        });
        HealthCheckRepository producers = HealthCheckHelper.getHealthCheckRepository(context, "producers");
        producers.setEnabled(true); // Camel turns producer checks off by default
        HealthCheck check = producers.stream().filter(c -> c.getId().startsWith("session-timer-producer-127.0.0.1:"))
                .findFirst().orElseThrow();
        assertThat(check.call().getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(check.isLiveness()).isFalse();

        component.agents().get(0).agent().stop();

        HealthCheck.Result down = check.call(Map.of());
        assertThat(down.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(down.getDetails()).containsEntry("transports", "udp").doesNotContainKey("route.id");
    }
}
