package org.sessiontimer.camel;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The default refresh and expiry routes appear only for the events no user route consumes. */
class DefaultRoutesTest extends CamelTestSupport {

    @Override
    public void configureTest(TestExecutionConfiguration testConfiguration) {
        // each test decides on its routes and components before the context starts
        testConfiguration.withAutoStartContext(false).withUseRouteBuilder(false);
    }

    @Test
    @DisplayName("R1 R9: without user routes the component installs session-timer-refresh and session-timer-expiry")
    void installsDefaults() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("session-timer:call?port=" + port).setBody(constant("v=0"));
            }
        });
        context.start();

        assertThat(context.getRoute(SessionTimerEvents.REFRESH_ROUTE_ID)).isNotNull();
        assertThat(context.getRoute(SessionTimerEvents.REFRESH_ROUTE_ID).getEndpoint().getEndpointUri())
                .isEqualTo("session-timer://refresh-due");
        assertThat(context.getRoute(SessionTimerEvents.EXPIRY_ROUTE_ID)).isNotNull();
    }

    @Test
    @DisplayName("R9: a user route on session-timer:expired replaces the default expiry route")
    void userRouteReplacesDefault() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("session-timer:call?port=" + port).setBody(constant("v=0"));
                from("session-timer:expired").routeId("mine").to("session-timer:bye");
            }
        });
        context.start();

        assertThat(context.getRoute(SessionTimerEvents.EXPIRY_ROUTE_ID)).isNull();
        assertThat(context.getRoute(SessionTimerEvents.REFRESH_ROUTE_ID)).isNotNull();
    }

    @Test
    @DisplayName("defaultRoutes=false installs nothing; timers then act directly")
    void optOut() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        SessionTimerComponent component = new SessionTimerComponent();
        component.setDefaultRoutes(false);
        context.addComponent("session-timer", component);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("session-timer:call?port=" + port).setBody(constant("v=0"));
            }
        });
        context.start();

        assertThat(context.getRoutes()).hasSize(1);
    }
}
