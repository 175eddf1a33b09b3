package org.sessiontimer.camel;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.sessiontimer.camel.register.Registration;
import org.sessiontimer.camel.register.RegistrationState;
import org.sessiontimer.camel.sip.SipAgent;
import org.sessiontimer.camel.sip.SipAgentSettings;
import org.sessiontimer.camel.store.SessionStore;

/**
 * Readiness of the SIP agent behind a {@code session-timer:call} consumer or producer: DOWN when the agent is
 * stopped or lacks a listening point for one of its transports, since calls then cannot reach us (consumer) or
 * leave (producer); and, on a cluster node, when its session store cannot record calls. Details name the address (and
 * the node and its view of the cluster), so that an operator sees which port or which node is lost.
 */
final class SipAgentHealthCheck extends AbstractHealthCheck {

    private final SessionTimerConfiguration configuration;
    private final Supplier<SharedAgent> agent;
    private final String routeId;
    private final Supplier<Registration> registration;

    /**
     * @param agent        the agent the consumer or producer holds now; null while it holds none
     * @param routeId      the route of the consumer, or null
     * @param registration the consumer's registration with a registrar; null when there is none
     */
    SipAgentHealthCheck(String id, SessionTimerConfiguration configuration, Supplier<SharedAgent> agent, String routeId,
                        Supplier<Registration> registration) {
        super("camel", id);
        this.configuration = configuration;
        this.agent = agent;
        this.routeId = routeId;
        this.registration = registration;
    }

    @Override
    public boolean isLiveness() {
        // a lost port is not cured by restarting the JVM: readiness only, as Camel's consumer checks are
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("host", configuration.getHost());
        builder.detail("port", configuration.getPort());
        builder.detail("transports", configuration.getTransports());
        if (routeId != null) {
            builder.detail("route.id", routeId);
        }
        SharedAgent shared = agent.get();
        if (shared == null) {
            builder.down().message("No SIP agent on " + address());
            return;
        }
        SipAgent sip = shared.agent();
        SipAgentSettings settings = sip.settings();
        List<String> listening = sip.listeningTransports();
        builder.detail("listening", String.join(",", listening));
        if (listening.isEmpty()) {
            builder.down().message("SIP agent on " + settings.key() + " is stopped");
        } else if (!listening.containsAll(settings.transports())) {
            builder.down().message("SIP agent on " + settings.key() + " listens on " + listening + " only, not on all of "
                                   + settings.transports());
        } else if (!registered(builder)) {
            builder.down().message("Not registered at " + configuration.getRegistrar() + ": "
                                   + registration.get().lastProblem() + " (calls sent to our registered address do not"
                                   + " reach us)");
        } else if (!clusterReady(shared.manager().sessionStore(), builder)) {
            builder.down().message("The session store of cluster node " + shared.manager().sessionStore().nodeName()
                                   + " is not available (minority side of a split, or still joining): new calls get 503");
        } else {
            builder.up();
        }
    }

    /** With a registrar, a failed REGISTER means the trunk cannot find us; details give the state and the AOR. */
    private boolean registered(HealthCheckResultBuilder builder) {
        Registration current = registration.get();
        if (current == null) {
            return true;
        }
        builder.detail("registration.state", current.state().name());
        builder.detail("registration.aor", current.settings().addressOfRecord());
        return current.state() != RegistrationState.FAILED;
    }

    /** In a cluster, calls are taken only while the store can record them (K1); details name the node and its view. */
    private static boolean clusterReady(SessionStore store, HealthCheckResultBuilder builder) {
        if (!store.isReplicated()) {
            return true;
        }
        builder.detail("cluster.node", store.nodeName());
        builder.detail("cluster.members", String.join(",", store.members()));
        return store.isAvailable();
    }

    private String address() {
        return configuration.getHost() + ":" + configuration.getPort();
    }
}
