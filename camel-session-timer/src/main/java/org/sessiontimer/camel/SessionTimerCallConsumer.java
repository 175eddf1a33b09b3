package org.sessiontimer.camel;

import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.sessiontimer.camel.core.Role;
import org.sessiontimer.camel.limits.Limit;
import org.sessiontimer.camel.limits.ThrottledLog;
import org.sessiontimer.camel.metrics.RejectionReason;
import org.sessiontimer.camel.metrics.SessionTimerStatistics;
import org.sessiontimer.camel.register.Registration;
import org.sessiontimer.camel.register.RegistrationSettings;
import org.sessiontimer.camel.sip.SipCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes incoming calls: each new INVITE that passed RFC 4028 negotiation becomes an InOut exchange whose body is the
 * SDP offer. The route's reply is the answer: its body becomes the SDP of the 200 OK, or a
 * {@code CamelSessionTimerStatusCode} header (400-699) rejects the call. A failed exchange answers 500. A new offer in
 * the peer's re-INVITE or UPDATE of a confirmed call is an exchange too, of event {@code offer} (R15): its reply is
 * the answer, or a status that rejects the offer.
 * <p>
 * The route runs on a thread pool of the consumer, not on the JAIN-SIP thread that delivered the INVITE: a route that
 * takes its time to answer must not hold the INVITE transaction, or a CANCEL for it could not be processed. When every
 * thread of the pool is busy and its queue full, a new call gets 503 at once (the overload is shed on new calls;
 * requests in established calls never wait for the route).
 * <p>
 * When the application has health checks, the consumer carries a readiness check of its SIP agent
 * ({@link SipAgentHealthCheck}), which Camel reports as the consumer check of the route.
 */
public class SessionTimerCallConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(SessionTimerCallConsumer.class);
    private static final ThrottledLog OVERLOAD_LOG = new ThrottledLog(LOG);
    private static final String OVERLOAD = "the answering route";

    private volatile SharedAgent agent;
    private ExecutorService executor;
    private volatile Registration registration;

    public SessionTimerCallConsumer(SessionTimerEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public SessionTimerEndpoint getEndpoint() {
        return (SessionTimerEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // Camel's default profile, but a full pool refuses instead of running the route on the caller's thread: that
        // thread is JAIN-SIP's, and the ACKs, BYEs and refreshes of every established call wait for it
        ExecutorServiceManager pools = getEndpoint().getCamelContext().getExecutorServiceManager();
        ThreadPoolProfile profile = pools.getDefaultThreadPoolProfile().clone();
        profile.setId("SessionTimerCalls");
        profile.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
        executor = pools.newThreadPool(this, "SessionTimerCalls", profile);
        agent = getEndpoint().getComponent().acquireAgent(getEndpoint().getConfiguration());
        try {
            agent.callConsumer(this);
            RegistrationSettings registering = getEndpoint().getConfiguration().toRegistrationSettings();
            if (registering != null) {
                registration = new Registration(agent.agent(), agent.manager(),
                        getEndpoint().getComponent().timerScheduler(), registering);
                registration.start();
            }
        } catch (RuntimeException e) {
            getEndpoint().getComponent().releaseAgent(agent);
            agent = null;
            throw e;
        }
        // health checks are optional: only when the application has Camel's health check registry
        if (HealthCheckHelper.getHealthCheckRepository(getEndpoint().getCamelContext(), "consumers") != null) {
            SipAgentHealthCheck check = new SipAgentHealthCheck("session-timer-consumer-" + getRouteId(),
                    getEndpoint().getConfiguration(), () -> agent, getRouteId(), () -> registration);
            check.setEnabled(getEndpoint().getComponent().isHealthCheckConsumerEnabled());
            setHealthCheck(check);
        }
    }

    /** The registration of this consumer's Contact, or null without a registrar option or while stopped. */
    Registration registration() {
        return registration;
    }

    /** The agent whose calls this consumer answers, or null while stopped. */
    SharedAgent agent() {
        return agent;
    }

    @Override
    public boolean isHostedService() {
        return true; // we listen on a SIP port of our own
    }

    @Override
    protected void doStop() throws Exception {
        if (registration != null) {
            registration.stop(); // while the agent can still send the REGISTER that removes the binding
            registration = null;
        }
        if (agent != null) {
            agent.removeCallConsumer(this);
            getEndpoint().getComponent().releaseAgent(agent);
            agent = null;
        }
        if (executor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdown(executor);
            executor = null;
        }
        super.doStop();
    }

    void onIncomingCall(SipCall call, byte[] offer) {
        if (getEndpoint().getConfiguration().isSendRinging()) {
            call.ringing();
        }
        ExecutorService routing = executor;
        try {
            if (routing == null) {
                throw new RejectedExecutionException("consumer stopped");
            }
            routing.execute(() -> route(call, offer));
        } catch (RejectedExecutionException e) {
            getEndpoint().getComponent().getLimitStats().record(Limit.OVERLOAD);
            statistics().inviteRejected(RejectionReason.ROUTING_BUSY);
            OVERLOAD_LOG.warn(OVERLOAD, "The answering route is busy (all its threads and its queue); answered Call-ID={}"
                                        + " with 503", call.callId());
            call.reject(RejectionReason.ROUTING_BUSY.status(), "Service Unavailable (overloaded)");
        }
    }

    /** The InOut exchange of an offer in a call, new (event invite) or later (event offer). */
    private Exchange exchangeFor(SipCall call, byte[] offer, String event) {
        Exchange exchange = createExchange(false);
        exchange.setPattern(ExchangePattern.InOut);
        Message in = exchange.getIn();
        in.setBody(offer);
        CallHeaders.apply(in, call);
        in.setHeader(SessionTimerConstants.EVENT, event);
        in.setHeader(SessionTimerConstants.FROM, call.remoteParty());
        in.setHeader(SessionTimerConstants.TO, call.localParty());
        return exchange;
    }

    private void route(SipCall call, byte[] offer) {
        Exchange exchange = exchangeFor(call, offer, "invite");
        Message in = exchange.getIn();
        in.setHeader(SessionTimerConstants.INTERVAL, call.offeredIntervalSeconds() > 0 ? call.offeredIntervalSeconds() : null);
        in.setHeader(SessionTimerConstants.REFRESHER, call.offeredRefresher());
        getAsyncProcessor().process(exchange, doneSync -> {
            try {
                reply(call, exchange);
            } finally {
                releaseExchange(exchange, false);
            }
        });
    }

    /** Answers the call as the route decided; a call that is not answered counts as failed (uas). */
    private void reply(SipCall call, Exchange exchange) {
        if (!answerOrReject(call, exchange)) {
            statistics().callFailed(Role.UAS);
        }
    }

    private boolean answerOrReject(SipCall call, Exchange exchange) {
        if (exchange.getException() != null) {
            LOG.warn("Route answering Call-ID={} failed; answering 500: {}", call.callId(), exchange.getException().toString());
            call.reject(500, "Server Internal Error");
            return false;
        }
        Message out = exchange.getMessage();
        Integer status = rejection(call, out);
        if (status != null) {
            call.reject(status, out.getHeader(SessionTimerConstants.REASON_PHRASE, String.class));
            return false;
        }
        byte[] answer = out.getBody(byte[].class);
        if (!call.answer(answer)) {
            LOG.info("Call-ID={} ended before the route answered it", call.callId());
            return false;
        }
        return true;
    }

    /**
     * The final status (400-699) the route's reply rejects with, or null when it answers. A redirect (3xx) needs a
     * Contact that a reply cannot give, so it is answered 500 like a status past 699.
     */
    private static Integer rejection(SipCall call, Message out) {
        Integer status = out.getHeader(SessionTimerConstants.STATUS_CODE, Integer.class);
        if (status == null || status < 300) {
            return null;
        }
        if (status < 400 || status > 699) {
            LOG.warn("Route set invalid status {} for Call-ID={}; answering 500", status, call.callId());
            return 500;
        }
        return status;
    }

    /**
     * R15: the peer's re-INVITE or UPDATE carries a new offer. The route sees it as an exchange of event
     * {@code offer} on this consumer's threads; a full pool answers 500 at once.
     */
    void onOffer(SipCall call, byte[] offer) {
        ExecutorService routing = executor;
        if (routing == null) {
            call.answerOffer(null); // stopping: the default answer
            return;
        }
        try {
            routing.execute(() -> routeOffer(call, offer));
        } catch (RejectedExecutionException e) {
            OVERLOAD_LOG.warn(OVERLOAD, "The answering route is busy (all its threads and its queue); answered the"
                                        + " offer in Call-ID={} with 500", call.callId());
            call.rejectOffer(500, "Server Internal Error");
        }
    }

    private void routeOffer(SipCall call, byte[] offer) {
        Exchange exchange = exchangeFor(call, offer, "offer");
        getAsyncProcessor().process(exchange, doneSync -> {
            try {
                replyToOffer(call, exchange, offer);
            } finally {
                releaseExchange(exchange, false);
            }
        });
    }

    /**
     * The route's reply to an offer: its body is the answer; a status rejects the offer; no body, or the offer itself
     * left as body, gets the default answer (RFC 3264 §6.1); a failed exchange gets 500.
     */
    private static void replyToOffer(SipCall call, Exchange exchange, byte[] offer) {
        if (exchange.getException() != null) {
            LOG.warn("Route answering the offer in Call-ID={} failed; answering 500: {}", call.callId(),
                    exchange.getException().toString());
            call.rejectOffer(500, "Server Internal Error");
            return;
        }
        Message out = exchange.getMessage();
        Integer status = rejection(call, out);
        if (status != null) {
            call.rejectOffer(status, out.getHeader(SessionTimerConstants.REASON_PHRASE, String.class));
            return;
        }
        byte[] answer = out.getBody(byte[].class);
        if (!call.answerOffer(Arrays.equals(answer, offer) ? null : answer)) {
            LOG.info("The offer in Call-ID={} was answered before the route decided (timeout, or the call ended)",
                    call.callId());
        }
    }

    private SessionTimerStatistics statistics() {
        return getEndpoint().getComponent().getStatistics();
    }
}
