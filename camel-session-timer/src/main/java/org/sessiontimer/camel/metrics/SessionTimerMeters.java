package org.sessiontimer.camel.metrics;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.sessiontimer.camel.core.Role;
import org.sessiontimer.camel.limits.Limit;
import org.sessiontimer.camel.limits.LimitStats;
import org.sessiontimer.camel.metrics.RefreshResult.Method;

/**
 * The component's statistics as Micrometer meters. The meters read {@link SessionTimerStatistics} when scraped
 * (function counters and timers), so nothing is counted twice and Micrometer stays off the SIP threads. Names as
 * Prometheus renders them: {@code session_timer_active_sessions}, {@code session_timer_refreshes_sent_total},
 * {@code session_timer_refreshes_received_total}, {@code session_timer_expiries_total}, {@code session_timer_calls_taken_over_total},
 * {@code session_timer_limit_hits_total},
 * {@code session_timer_rejections_total}, {@code session_timer_uac_422_retries_total},
 * {@code session_timer_calls_placed_total}, {@code session_timer_calls_answered_total},
 * {@code session_timer_calls_failed_total}, {@code session_timer_call_setup_seconds} and
 * {@code session_timer_call_setup_max_seconds}; every one tagged with {@code camelContext}.
 * <p>
 * Only loaded when Micrometer is on the class path (it is an optional dependency of the component).
 */
public final class SessionTimerMeters implements MeterBinder, AutoCloseable {

    static final String PREFIX = "session.timer.";

    private final SessionTimerStatistics statistics;
    private final LimitStats limits;
    private final IntSupplier activeSessions;
    private final Tags tags;
    private final List<Meter> meters = new CopyOnWriteArrayList<>();
    private volatile MeterRegistry registry;

    /**
     * @param activeSessions the number of active sessions, read when the gauge is scraped
     * @param camelContext   the name of the Camel context, the {@code camelContext} tag
     */
    public SessionTimerMeters(SessionTimerStatistics statistics, LimitStats limits, IntSupplier activeSessions,
                              String camelContext) {
        this.statistics = statistics;
        this.limits = limits;
        this.activeSessions = activeSessions;
        this.tags = Tags.of("camelContext", camelContext);
    }

    @Override
    public void bindTo(MeterRegistry meterRegistry) {
        this.registry = meterRegistry;
        // strong: the supplier is a lambda nobody else holds, a weak gauge would read NaN after the next GC
        add(Gauge.builder(PREFIX + "active.sessions", activeSessions, IntSupplier::getAsInt).strongReference(true)
                .description("Active SIP sessions: calls being set up or established").tags(tags).register(meterRegistry));
        for (Method method : Method.values()) {
            for (RefreshResult result : RefreshResult.values()) {
                add(FunctionCounter.builder(PREFIX + "refreshes.sent", statistics, s -> s.refreshesSent(method, result))
                        .description("Session refreshes we sent, by method and final answer (408: none in time)")
                        .tags(tags).tag("method", method.tag()).tag("result", result.tag()).register(meterRegistry));
                add(FunctionCounter.builder(PREFIX + "refreshes.received", statistics,
                                s -> s.refreshesReceived(method, result))
                        .description("Session refreshes of the peer's, by method and our answer")
                        .tags(tags).tag("method", method.tag()).tag("result", result.tag()).register(meterRegistry));
            }
        }
        add(FunctionCounter.builder(PREFIX + "expiries", statistics, SessionTimerStatistics::expiries)
                .description("Sessions that expired because no refresh came or succeeded in time (BYE sent, R9)")
                .tags(tags).register(meterRegistry));
        add(FunctionCounter.builder(PREFIX + "calls.taken.over", statistics, SessionTimerStatistics::takeOvers)
                .description("Calls this node took over from another node of its cluster (K2: it died; K3: the"
                             + " peer's request came here)")
                .tags(tags).register(meterRegistry));
        for (Limit limit : Limit.values()) {
            add(FunctionCounter.builder(PREFIX + "limit.hits", limits, l -> l.count(limit))
                    .description("New calls a limit refused or dropped (calls it ended, for maxSessionDuration)")
                    .tags(tags).tag("limit", limit.option()).register(meterRegistry));
        }
        add(FunctionCounter.builder(PREFIX + "uac.422.retries", statistics, SessionTimerStatistics::retriesAfter422)
                .description("Initial INVITEs we sent again with a larger interval after a 422 (C4)")
                .tags(tags).register(meterRegistry));
        add(FunctionCounter.builder(PREFIX + "calls.placed", statistics, SessionTimerStatistics::callsPlaced)
                .description("Calls we placed (INVITEs of new calls sent)").tags(tags).register(meterRegistry));
        for (Role role : Role.values()) {
            bindCalls(meterRegistry, role);
        }
        statistics.onNewRejectionReason(this::bindRejection);
        for (RejectionReason reason : statistics.rejectionReasons()) {
            bindRejection(reason);
        }
    }

    private void bindCalls(MeterRegistry meterRegistry, Role role) {
        String tag = SessionTimerStatistics.roleTag(role);
        add(FunctionCounter.builder(PREFIX + "calls.answered", statistics, s -> s.callsAnswered(role))
                .description("Calls established (uac: we placed it, uas: we answered it and the ACK came)")
                .tags(tags).tag("role", tag).register(meterRegistry));
        add(FunctionCounter.builder(PREFIX + "calls.failed", statistics, s -> s.callsFailed(role))
                .description("Calls that ended before they were established (refused, cancelled, unanswered)")
                .tags(tags).tag("role", tag).register(meterRegistry));
        add(FunctionTimer.builder(PREFIX + "call.setup", statistics, s -> s.callsAnswered(role), s -> s.setupMillis(role),
                        TimeUnit.MILLISECONDS)
                .description("Time from the INVITE to the established call").tags(tags).tag("role", tag)
                .register(meterRegistry));
        add(TimeGauge.builder(PREFIX + "call.setup.max", statistics, TimeUnit.MILLISECONDS, s -> s.setupMaxMillis(role))
                .description("The longest call setup so far").tags(tags).tag("role", tag).register(meterRegistry));
    }

    private void bindRejection(RejectionReason reason) {
        MeterRegistry target = registry;
        if (target != null) {
            add(FunctionCounter.builder(PREFIX + "rejections", statistics, s -> s.rejections(reason))
                    .description("New INVITEs we refused before any route saw them, by status and reason")
                    .tags(tags).tag("status", Integer.toString(reason.status())).tag("reason", reason.name())
                    .register(target));
        }
    }

    private void add(Meter meter) {
        meters.add(meter);
    }

    /** Removes the meters from the registry they were bound to. */
    @Override
    public void close() {
        statistics.onNewRejectionReason(null);
        MeterRegistry target = registry;
        if (target != null) {
            meters.forEach(target::remove);
        }
        meters.clear();
        registry = null;
    }
}
