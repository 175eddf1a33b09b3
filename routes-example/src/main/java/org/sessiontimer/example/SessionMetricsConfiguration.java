package org.sessiontimer.example;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.sessiontimer.camel.SessionTimerComponent;

/**
 * Publishes the number of active SIP sessions as the gauge {@code session_timer_active_sessions} on
 * {@code /observe/metrics}, next to Camel's own route metrics. Found by camel-main's package scan.
 */
public class SessionMetricsConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        camelContext.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                // the registry is bound once the context is fully started
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
                SessionTimerComponent component = context.getComponent("session-timer", SessionTimerComponent.class);
                if (registry != null && component != null) {
                    Gauge.builder("session_timer_active_sessions", component, SessionTimerComponent::getActiveSessionCount)
                            .description("Active SIP sessions (calls with or without a session timer)")
                            .register(registry);
                }
            }
        });
    }
}
