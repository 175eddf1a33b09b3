package org.sessiontimer.camel;

import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.apache.camel.CamelContext;
import org.sessiontimer.camel.metrics.SessionTimerMeters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the component's statistics to Micrometer when the application has it: a {@code MeterRegistry} in the Camel
 * registry, as camel-main's metrics, camel-micrometer or Spring Boot Actuator put there. Micrometer is an optional
 * dependency: without it on the class path nothing here loads a Micrometer type.
 */
final class ComponentMeters {

    private static final Logger LOG = LoggerFactory.getLogger(ComponentMeters.class);
    private static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";

    private final SessionTimerComponent component;
    /** The bound meters (a SessionTimerMeters), typed so that this class loads without Micrometer. */
    private AutoCloseable bound;

    ComponentMeters(SessionTimerComponent component) {
        this.component = component;
    }

    /** Binds the meters once, if there is a meter registry; safe to call again. */
    synchronized void bind() {
        if (bound != null) {
            return;
        }
        CamelContext context = component.getCamelContext();
        Class<?> registryType = context.getClassResolver().resolveClass(METER_REGISTRY);
        if (registryType != null) {
            bound = Micrometer.bind(component, context);
        }
    }

    synchronized void unbind() {
        if (bound != null) {
            try {
                bound.close();
            } catch (Exception e) {
                LOG.debug("Cannot remove session-timer meters: {}", e.toString());
            }
            bound = null;
        }
    }

    /** Loaded only when Micrometer is on the class path. */
    private static final class Micrometer {

        static AutoCloseable bind(SessionTimerComponent component, CamelContext context) {
            MeterRegistry registry = find(context.getRegistry().findByType(MeterRegistry.class));
            if (registry == null) {
                return null;
            }
            SessionTimerMeters meters = new SessionTimerMeters(component.getStatistics(), component.getLimitStats(),
                    component::getActiveSessionCount, context.getName());
            meters.bindTo(registry);
            LOG.debug("Bound session-timer meters to {}", registry);
            return meters;
        }

        /** The one registry, or of several the composite that feeds the others (Spring Boot's, for one). */
        private static MeterRegistry find(Set<MeterRegistry> registries) {
            if (registries.size() <= 1) {
                return registries.isEmpty() ? null : registries.iterator().next();
            }
            return registries.stream().filter(CompositeMeterRegistry.class::isInstance).findFirst()
                    .orElseGet(() -> {
                        LOG.warn("{} meter registries and no composite among them: session-timer meters go to none",
                                registries.size());
                        return null;
                    });
        }
    }
}
