package org.sessiontimer.camel;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.sessiontimer.camel.sip.SipCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Consumes session timer events (refresh-due, expired) or call events (events), one exchange per event. */
public class SessionTimerEventConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(SessionTimerEventConsumer.class);

    public SessionTimerEventConsumer(SessionTimerEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public SessionTimerEndpoint getEndpoint() {
        return (SessionTimerEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        getEndpoint().getComponent().events().add(this);
    }

    @Override
    protected void doStop() throws Exception {
        getEndpoint().getComponent().events().remove(this);
        super.doStop();
    }

    /** Runs the route for one event, on the calling (scheduler or SIP) thread; the route should not block. */
    void fire(SipCall call, String event, String reason) {
        Exchange exchange = createExchange(false);
        try {
            CallHeaders.apply(exchange.getMessage(), call);
            exchange.getMessage().setHeader(SessionTimerConstants.EVENT, event);
            if (reason != null) {
                exchange.getMessage().setHeader(SessionTimerConstants.REASON, reason);
            }
            getProcessor().process(exchange);
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Route for session-timer event " + event + " of Call-ID="
                                                      + call.callId() + " failed", exchange, exchange.getException());
            }
        } catch (Exception e) {
            LOG.warn("Route for session-timer event {} of Call-ID={} failed: {}", event, call.callId(), e.toString());
        } finally {
            releaseExchange(exchange, false);
        }
    }
}
