package org.sessiontimer.camel;

import java.util.Map;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.spi.EndpointServiceLocation;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Place and take SIP calls whose sessions are kept alive by RFC 4028 session timers: refreshed at half the interval,
 * ended with BYE when refreshes stop.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "session-timer", title = "SIP Session Timer",
             syntax = "session-timer:kind", category = { Category.NETWORKING },
             headersClass = SessionTimerConstants.class)
@ManagedResource(description = "Managed SIP session timer endpoint")
public class SessionTimerEndpoint extends DefaultEndpoint implements EndpointServiceLocation {

    @UriPath(enums = "call,refresh-due,expired,events,refresh,bye,sessions")
    @Metadata(required = true)
    private String kind;
    @UriParam
    private SessionTimerConfiguration configuration;

    private final EndpointKind endpointKind;

    public SessionTimerEndpoint(String uri, SessionTimerComponent component, String kind,
                                SessionTimerConfiguration configuration) {
        super(uri, component);
        this.kind = kind;
        this.endpointKind = EndpointKind.fromPath(kind);
        this.configuration = configuration;
    }

    @Override
    public SessionTimerComponent getComponent() {
        return (SessionTimerComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() throws Exception {
        if (!endpointKind.hasProducer()) {
            throw new IllegalArgumentException("session-timer:" + kind + " is a consumer only endpoint");
        }
        return new SessionTimerProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (!endpointKind.hasConsumer()) {
            throw new IllegalArgumentException("session-timer:" + kind + " is a producer only endpoint");
        }
        Consumer consumer = endpointKind == EndpointKind.CALL
                ? new SessionTimerCallConsumer(this, processor)
                : new SessionTimerEventConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    public EndpointKind getKind() {
        return endpointKind;
    }

    /**
     * What the endpoint is for. call: consumer of incoming calls, producer of outgoing calls. refresh-due and expired:
     * consumers of session timer events. events: consumer of call events. refresh and bye: producers acting on the
     * call named by CamelSessionTimerCallId. sessions: producer listing the active sessions.
     */
    public void setKind(String kind) {
        this.kind = kind;
    }

    public SessionTimerConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(SessionTimerConfiguration configuration) {
        this.configuration = configuration;
    }

    @ManagedAttribute(description = "Active SIP sessions of the component")
    public int getActiveSessions() {
        return getComponent().getActiveSessionCount();
    }

    @ManagedAttribute(description = "The SIP address host:port")
    public String getSipAddress() {
        return configuration.getHost() + ":" + configuration.getPort();
    }

    /**
     * The SIP address of a call endpoint, for Camel's endpoint service registry (protocol sip); the other kinds act on
     * calls of any agent and have none.
     */
    @Override
    public String getServiceUrl() {
        return endpointKind == EndpointKind.CALL ? getSipAddress() : null;
    }

    @Override
    public String getServiceProtocol() {
        return "sip";
    }

    @Override
    public Map<String, String> getServiceMetadata() {
        return Map.of("transports", configuration.getTransports());
    }

    @ManagedAttribute(description = "The session interval we ask for or offer, in seconds")
    public long getSessionExpires() {
        return configuration.getSessionExpires();
    }

    @ManagedAttribute(description = "The session timer mode")
    public String getMode() {
        return configuration.getMode();
    }
}
