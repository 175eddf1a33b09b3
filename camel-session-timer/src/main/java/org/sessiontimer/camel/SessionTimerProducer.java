package org.sessiontimer.camel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.WritableHealthCheckRepository;
import org.apache.camel.support.DefaultAsyncProducer;
import org.sessiontimer.camel.auth.DigestCredentials;
import org.sessiontimer.camel.core.Refresher;
import org.sessiontimer.camel.core.Role;
import org.sessiontimer.camel.core.SessionTimerConfig;
import org.sessiontimer.camel.metrics.SessionTimerStatistics;
import org.sessiontimer.camel.sip.SipCall;
import org.sessiontimer.camel.store.CallRecord;
import org.sessiontimer.camel.store.SessionStore;

/**
 * Acts on calls. On {@code session-timer:call} it places a call (body = SDP offer, {@code CamelSessionTimerTo} or the
 * to option = the target) and completes when the call is established, with the SDP answer as body and the negotiated
 * timer in headers; with {@code CamelSessionTimerOperation} bye or refresh it acts on the call named by
 * {@code CamelSessionTimerCallId}, as {@code session-timer:bye} and {@code session-timer:refresh} always do.
 * {@code session-timer:sessions} returns the active sessions.
 */
public class SessionTimerProducer extends DefaultAsyncProducer {

    private volatile SharedAgent agent;
    private SessionTimerConfig timerConfig;
    private WritableHealthCheckRepository healthChecks;
    private SipAgentHealthCheck healthCheck;

    public SessionTimerProducer(SessionTimerEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public SessionTimerEndpoint getEndpoint() {
        return (SessionTimerEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (getEndpoint().getKind() == EndpointKind.CALL) {
            timerConfig = getEndpoint().getConfiguration().toTimerConfig();
            agent = getEndpoint().getComponent().acquireAgent(getEndpoint().getConfiguration());
            addHealthCheck();
        }
    }

    /** A readiness check of the agent that places our calls, when the application has health checks. */
    private void addHealthCheck() {
        healthChecks = HealthCheckHelper.getHealthCheckRepository(getEndpoint().getCamelContext(), "producers",
                WritableHealthCheckRepository.class);
        if (healthChecks != null) {
            // several producers may share an agent: each has a check of its own, so stopping one keeps the others
            String id = "session-timer-producer-" + getEndpoint().getSipAddress() + "-"
                        + Integer.toHexString(System.identityHashCode(this));
            healthCheck = new SipAgentHealthCheck(id, getEndpoint().getConfiguration(), () -> agent, null, () -> null);
            healthCheck.setEnabled(getEndpoint().getComponent().isHealthCheckProducerEnabled());
            healthChecks.addHealthCheck(healthCheck);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (healthChecks != null && healthCheck != null) {
            healthChecks.removeHealthCheck(healthCheck);
            healthCheck = null;
        }
        if (agent != null) {
            getEndpoint().getComponent().releaseAgent(agent);
            agent = null;
        }
        super.doStop();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        try {
            switch (operation(exchange)) {
                case "invite" -> {
                    return invite(exchange, callback);
                }
                case "bye" -> {
                    SipCall call = requireCall(exchange);
                    String reason = exchange.getMessage().getHeader(SessionTimerConstants.REASON, "bye requested",
                            String.class);
                    call.hangup(reason);
                }
                case "refresh" -> requireCall(exchange).sendRefresh();
                case "sessions" -> exchange.getMessage().setBody(sessions());
                default -> throw new IllegalArgumentException("Unknown " + SessionTimerConstants.OPERATION + " '"
                                                              + operation(exchange) + "': use invite, bye or refresh");
            }
        } catch (Exception e) {
            exchange.setException(e);
        }
        callback.done(true);
        return true;
    }

    private String operation(Exchange exchange) {
        return switch (getEndpoint().getKind()) {
            case BYE -> "bye";
            case REFRESH -> "refresh";
            case SESSIONS -> "sessions";
            default -> exchange.getMessage().getHeader(SessionTimerConstants.OPERATION, "invite", String.class)
                    .toLowerCase(Locale.ROOT);
        };
    }

    private SipCall requireCall(Exchange exchange) {
        String callId = exchange.getMessage().getHeader(SessionTimerConstants.CALL_ID, String.class);
        if (callId == null) {
            throw new IllegalArgumentException("Header " + SessionTimerConstants.CALL_ID + " must name the call");
        }
        SipCall call = getEndpoint().getComponent().findCall(callId);
        if (call == null) {
            throw new UnknownCallException(callId);
        }
        return call;
    }

    private boolean invite(Exchange exchange, AsyncCallback callback) {
        Message in = exchange.getMessage();
        String to = in.getHeader(SessionTimerConstants.TO, getEndpoint().getConfiguration().getTo(), String.class);
        if (to == null || to.isBlank()) {
            exchange.setException(new IllegalArgumentException("No target: set header " + SessionTimerConstants.TO
                                                               + " or the endpoint option to"));
            callback.done(true);
            return true;
        }
        byte[] offer = in.getBody(byte[].class);
        SessionTimerStatistics statistics = getEndpoint().getComponent().getStatistics();
        statistics.callPlaced();
        SessionTimerConfiguration config = getEndpoint().getConfiguration();
        agent.manager().invite(to, config.getFrom(), config.getOutboundProxy(), offer, timerConfig,
                        config.getAnswerTimeout(), credentials(in, config))
                .whenComplete((call, failure) -> {
                    if (failure != null) {
                        statistics.callFailed(Role.UAC);
                        exchange.setException(failure);
                    } else {
                        Message out = exchange.getMessage();
                        CallHeaders.apply(out, call);
                        out.setHeader(SessionTimerConstants.TO, to);
                        out.setBody(call.takeRemoteSdp());
                    }
                    callback.done(false);
                });
        return false;
    }

    /** The credentials of this call: the headers where set, else the endpoint's options (R13). */
    private static DigestCredentials credentials(Message in, SessionTimerConfiguration config) {
        String username = in.getHeader(SessionTimerConstants.AUTH_USERNAME, config.getAuthUsername(), String.class);
        String password = in.getHeader(SessionTimerConstants.AUTH_PASSWORD, config.getAuthPassword(), String.class);
        String realm = in.getHeader(SessionTimerConstants.AUTH_REALM, config.getAuthRealm(), String.class);
        // the password must not travel on with the exchange into logs, traces or the next endpoint
        in.removeHeader(SessionTimerConstants.AUTH_PASSWORD);
        return DigestCredentials.of(username, password, realm);
    }

    /** The calls held here and, in a cluster, those other nodes hold, each with the node that owns it. */
    private List<Map<String, Object>> sessions() {
        List<Map<String, Object>> answer = new ArrayList<>();
        Set<String> held = new HashSet<>();
        for (SipCall call : getEndpoint().getComponent().getCalls().snapshot()) {
            held.add(call.callId());
            long interval = call.intervalSeconds();
            Refresher refresher = call.refresher();
            answer.add(session(call.callId(), call.role(), call.remoteParty(), call.isConfirmed(), interval,
                    refresher, call.weRefresh(), call.nextRefreshAtMillis(), call.expiresAtMillis(), call.owner()));
        }
        SessionStore store = getEndpoint().getComponent().getSessionStore();
        if (store.isReplicated()) {
            for (CallRecord record : store.records()) {
                if (!held.contains(record.callId())) {
                    CallRecord.TimerState timer = record.timer();
                    Refresher refresher = !timer.isActive() ? null
                            : timer.weRefresh() == (record.role() == Role.UAC) ? Refresher.UAC : Refresher.UAS;
                    answer.add(session(record.callId(), record.role(), record.dialog().remoteUri(), true,
                            timer.intervalSeconds(), refresher, timer.weRefresh(), timer.refreshAtEpochMillis(),
                            timer.expiresAtEpochMillis(), record.owner()));
                }
            }
        }
        return answer;
    }

    private static Map<String, Object> session(String callId, Role role, String remote, boolean confirmed,
                                               long interval, Refresher refresher, boolean weRefresh,
                                               long nextRefreshMillis, long expiresAtMillis, String owner) {
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("callId", callId);
        session.put("role", role.name().toLowerCase(Locale.ROOT));
        session.put("remote", remote);
        session.put("confirmed", confirmed);
        session.put("interval", interval > 0 ? interval : null);
        session.put("refresher", refresher == null ? null : refresher.token());
        session.put("weRefresh", weRefresh);
        session.put("nextRefresh", nextRefreshMillis > 0 ? Instant.ofEpochMilli(nextRefreshMillis).toString() : null);
        session.put("expiresAt", expiresAtMillis > 0 ? Instant.ofEpochMilli(expiresAtMillis).toString() : null);
        session.put("owner", owner);
        return session;
    }
}
