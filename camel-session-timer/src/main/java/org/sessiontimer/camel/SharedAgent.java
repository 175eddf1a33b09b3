package org.sessiontimer.camel;

import java.net.InetAddress;
import java.time.Duration;

import org.sessiontimer.camel.limits.Admission;
import org.sessiontimer.camel.limits.AdmissionControl;
import org.sessiontimer.camel.limits.SessionDurationLimit;
import org.sessiontimer.camel.metrics.RejectionReason;
import org.sessiontimer.camel.metrics.SessionTimerStatistics;
import org.sessiontimer.camel.sip.CallEvent;
import org.sessiontimer.camel.sip.CallHandler;
import org.sessiontimer.camel.sip.CallManager;
import org.sessiontimer.camel.sip.SipAgent;
import org.sessiontimer.camel.sip.SipCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SIP agent as the component shares it among endpoints: reference counted, with at most one consumer answering
 * its incoming calls. Timer events and call events go to the component-wide {@link SessionTimerEvents}, and are counted
 * in the component's {@link SessionTimerStatistics} on the way; new calls pass the component's limits first.
 */
final class SharedAgent implements CallHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SharedAgent.class);
    /** How long component stop waits for the answers to its BYEs before it closes the stack under them. */
    static final Duration SHUTDOWN_BYE_GRACE = Duration.ofSeconds(2);

    private final SipAgent agent;
    private final CallManager manager;
    private final SessionTimerEvents events;
    private final SessionTimerStatistics statistics;
    private final boolean byeOnShutdown;
    private final AdmissionControl admission;
    private final SessionDurationLimit sessionDuration;
    private int references;
    private volatile SessionTimerCallConsumer callConsumer;

    SharedAgent(SipAgent agent, CallManager manager, SessionTimerEvents events, SessionTimerStatistics statistics,
                boolean byeOnShutdown, AdmissionControl admission, SessionDurationLimit sessionDuration) {
        this.agent = agent;
        this.manager = manager;
        this.events = events;
        this.statistics = statistics;
        this.byeOnShutdown = byeOnShutdown;
        this.admission = admission;
        this.sessionDuration = sessionDuration;
    }

    SipAgent agent() {
        return agent;
    }

    CallManager manager() {
        return manager;
    }

    void retain() {
        references++;
    }

    /** True when this was the last reference. */
    boolean release() {
        return --references == 0;
    }

    synchronized void callConsumer(SessionTimerCallConsumer consumer) {
        if (consumer != null && callConsumer != null && callConsumer != consumer) {
            throw new IllegalStateException("SIP agent " + agent.settings().key() + " already has a consumer answering"
                                            + " its calls: " + callConsumer.getEndpoint().getEndpointUri());
        }
        if (consumer != null) {
            manager.inboundConfig(consumer.getEndpoint().getConfiguration().toTimerConfig());
            manager.agentCredentials(consumer.getEndpoint().getConfiguration().toCredentials());
            manager.inboundAnswerTimeout(consumer.getEndpoint().getConfiguration().getAnswerTimeout());
        }
        callConsumer = consumer;
    }

    boolean hasCallConsumer() {
        return callConsumer != null;
    }

    /** The consumer answering this agent's calls, or null. */
    SessionTimerCallConsumer callConsumer() {
        return callConsumer;
    }

    synchronized void removeCallConsumer(SessionTimerCallConsumer consumer) {
        if (callConsumer == consumer) {
            callConsumer = null;
        }
    }

    void stop() {
        manager.endAll(byeOnShutdown, SHUTDOWN_BYE_GRACE);
        agent.stop();
    }

    @Override
    public Admission admit(InetAddress source, String callId) {
        return admission.admit(source, callId);
    }

    @Override
    public void incomingCall(SipCall call, byte[] offer) {
        SessionTimerCallConsumer consumer = callConsumer;
        if (consumer == null) {
            LOG.warn("No route answers calls on {}; rejecting Call-ID={} with 480", agent.settings().key(), call.callId());
            statistics.inviteRejected(RejectionReason.NO_ROUTE);
            call.reject(RejectionReason.NO_ROUTE.status(), "No route answers calls here");
            return;
        }
        consumer.onIncomingCall(call, offer);
    }

    @Override
    public void refreshDue(SipCall call) {
        events.refreshDue(call);
    }

    @Override
    public void expired(SipCall call) {
        statistics.expired();
        events.expired(call);
    }

    /** R15: the peer's mid-call offer goes to the answering route; without one it gets the default answer. */
    @Override
    public void offer(SipCall call, byte[] offer) {
        SessionTimerCallConsumer consumer = callConsumer;
        if (consumer == null || !consumer.isRunAllowed() || !consumer.isStarted()) {
            call.answerOffer(null);
            return;
        }
        consumer.onOffer(call, offer);
    }

    @Override
    public void callEvent(SipCall call, CallEvent event, String detail) {
        callEvent(call, event, detail, null);
    }

    @Override
    public void callEvent(SipCall call, CallEvent event, String detail, byte[] sdp) {
        switch (event) {
            case CONFIRMED -> statistics.callAnswered(call.role(), System.currentTimeMillis() - call.createdAtMillis());
            case REFRESH_RECEIVED -> statistics.refreshReceived(detail);
            case ADOPTED -> statistics.callTakenOver();
            default -> {
                // refreshes we sent are counted by the SIP layer, with their status; ends need no count
            }
        }
        if (event == CallEvent.ENDED) {
            sessionDuration.forget(call.callId());
        } else {
            sessionDuration.check(new DurationLimitedCall(call)); // confirmed, or a refresh that may have ended the timer
        }
        events.callEvent(call, event, detail, sdp);
    }

    /** A call as {@code maxSessionDuration} sees it. */
    private record DurationLimitedCall(SipCall call) implements SessionDurationLimit.Call {
        @Override
        public String callId() {
            return call.callId();
        }

        @Override
        public long startedAtMillis() {
            return call.createdAtMillis();
        }

        @Override
        public boolean isActive() {
            return call.isConfirmed();
        }

        @Override
        public boolean hasSessionTimer() {
            return call.intervalSeconds() > 0;
        }

        @Override
        public void end(String reason) {
            call.hangup(reason);
        }
    }
}
