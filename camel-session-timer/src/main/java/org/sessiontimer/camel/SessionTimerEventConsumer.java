package org.sessiontimer.camel;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.sessiontimer.camel.sip.SipCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes session timer events (refresh-due, expired) or call events (events), one exchange per event. Timer events
 * run their route on the timer thread that fired them (the refresh or BYE that route asks for is written elsewhere,
 * see {@code SendQueues}); call events come from JAIN-SIP's threads and are handed to one thread of this consumer, in
 * order, so an observing route cannot hold up SIP processing.
 */
public class SessionTimerEventConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(SessionTimerEventConsumer.class);

    private ExecutorService executor;

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
        if (getEndpoint().getKind() == EndpointKind.EVENTS) {
            executor = getEndpoint().getCamelContext().getExecutorServiceManager()
                    .newSingleThreadExecutor(this, "SessionTimerEvents");
        }
        getEndpoint().getComponent().events().add(this);
    }

    @Override
    protected void doStop() throws Exception {
        getEndpoint().getComponent().events().remove(this);
        if (executor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdown(executor);
            executor = null;
        }
        super.doStop();
    }

    /**
     * Creates the exchange for one event with the call's state as it is now, and runs the route for it; {@code body}
     * (null for none) is the session description some events carry.
     */
    void fire(SipCall call, String event, String reason, byte[] body) {
        Exchange exchange = createExchange(false);
        if (body != null) {
            exchange.getMessage().setBody(body);
        }
        CallHeaders.apply(exchange.getMessage(), call);
        exchange.getMessage().setHeader(SessionTimerConstants.EVENT, event);
        if (reason != null) {
            exchange.getMessage().setHeader(SessionTimerConstants.REASON, reason);
        }
        ExecutorService handOff = executor;
        if (handOff == null) {
            run(exchange, call.callId(), event);
            return;
        }
        try {
            handOff.execute(() -> run(exchange, call.callId(), event));
        } catch (RejectedExecutionException e) {
            LOG.debug("Event {} of Call-ID={} dropped: consumer stopping", event, call.callId());
            releaseExchange(exchange, false);
        }
    }

    private void run(Exchange exchange, String callId, String event) {
        try {
            getProcessor().process(exchange);
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Route for session-timer event " + event + " of Call-ID="
                                                      + callId + " failed", exchange, exchange.getException());
            }
        } catch (Exception e) {
            LOG.warn("Route for session-timer event {} of Call-ID={} failed: {}", event, callId, e.toString());
        } finally {
            releaseExchange(exchange, false);
        }
    }
}
