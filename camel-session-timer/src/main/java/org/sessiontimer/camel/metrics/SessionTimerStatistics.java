package org.sessiontimer.camel.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import org.sessiontimer.camel.core.Role;
import org.sessiontimer.camel.metrics.RefreshResult.Method;

/**
 * The counters of one session-timer component, kept whether or not anyone reads them: JMX attributes of the
 * component, the dev console and, when the application has Micrometer, {@link SessionTimerMeters} read them. The SIP
 * layer records through {@link SessionTimerRecorder}; the Camel face records what its call events and exchanges tell
 * (calls placed, answered and failed, setup time, refreshes received, expiries).
 * <p>
 * Counting is a {@link LongAdder} increment: no lock, no allocation, cheap on the threads that handle thousands of
 * calls per second.
 */
public final class SessionTimerStatistics implements SessionTimerRecorder {

    private static final Role[] ROLES = Role.values();

    private final LongAdder[][] refreshesSent = adders(Method.values().length, RefreshResult.values().length);
    private final LongAdder[][] refreshesReceived = adders(Method.values().length, RefreshResult.values().length);
    private final LongAdder expiries = new LongAdder();
    private final LongAdder takeOvers = new LongAdder();
    private final LongAdder retriesAfter422 = new LongAdder();
    private final LongAdder callsPlaced = new LongAdder();
    private final LongAdder[] callsAnswered = adders(1, ROLES.length)[0];
    private final LongAdder[] callsFailed = adders(1, ROLES.length)[0];
    private final LongAdder[] setupMillis = adders(1, ROLES.length)[0];
    private final LongAccumulator[] setupMaxMillis = new LongAccumulator[ROLES.length];
    private final Map<RejectionReason, LongAdder> rejections = new ConcurrentHashMap<>();
    private volatile Consumer<RejectionReason> onNewReason = reason -> { };

    public SessionTimerStatistics() {
        for (int i = 0; i < ROLES.length; i++) {
            setupMaxMillis[i] = new LongAccumulator(Math::max, 0);
        }
        for (RejectionReason reason : List.of(RejectionReason.INTERVAL_TOO_SMALL, RejectionReason.EXTENSION_REQUIRED,
                RejectionReason.MALFORMED_TIMER_HEADER, RejectionReason.NO_ROUTE, RejectionReason.ROUTING_BUSY,
                RejectionReason.BAD_EXTENSION, RejectionReason.UNSUPPORTED_URI_SCHEME)) {
            register(reason);
        }
    }

    // ---- recording: the SIP layer (SessionTimerRecorder)

    @Override
    public void refreshSent(String method, int status) {
        refreshesSent[Method.of(method).ordinal()][RefreshResult.of(status).ordinal()].increment();
    }

    @Override
    public void refreshChallenged(String method, boolean answered) {
        RefreshResult result = answered ? RefreshResult.CHALLENGED : RefreshResult.UNAUTHORIZED;
        refreshesSent[Method.of(method).ordinal()][result.ordinal()].increment();
    }

    @Override
    public void refreshRefused(String method, int status) {
        refreshesReceived[Method.of(method).ordinal()][RefreshResult.of(status).ordinal()].increment();
    }

    @Override
    public void inviteRejected(RejectionReason reason) {
        counter(reason).increment();
    }

    @Override
    public void retriedAfter422() {
        retriesAfter422.increment();
    }

    // ---- recording: the Camel face

    /** We answered a refresh of the peer's with 2xx (R10). */
    public void refreshReceived(String method) {
        refreshesReceived[Method.of(method).ordinal()][RefreshResult.OK.ordinal()].increment();
    }

    /** A session timer expired: no refresh came or succeeded in time (R9). */
    public void expired() {
        expiries.increment();
    }

    /** This node took a call over from another node of its cluster (K2, K3). */
    public void callTakenOver() {
        takeOvers.increment();
    }

    /** We sent the INVITE of a new call. */
    public void callPlaced() {
        callsPlaced.increment();
    }

    /**
     * A call is established: as UAC our 2xx came and was ACKed, as UAS the ACK of our 2xx came.
     *
     * @param setupTimeMillis from the INVITE (sent or received) to that moment
     */
    public void callAnswered(Role role, long setupTimeMillis) {
        callsAnswered[role.ordinal()].increment();
        long millis = Math.max(0, setupTimeMillis);
        setupMillis[role.ordinal()].add(millis);
        setupMaxMillis[role.ordinal()].accumulate(millis);
    }

    /** A call ended before it was established: refused by the peer or the route, cancelled, unanswered. */
    public void callFailed(Role role) {
        callsFailed[role.ordinal()].increment();
    }

    /**
     * Declares a rejection reason, so that its counter exists (at zero) before the first refusal. Idempotent; reasons
     * with the same status and name are the same reason.
     */
    public void register(RejectionReason reason) {
        counter(reason);
    }

    /** Tells {@code listener} of every reason registered from now on (the meters add a counter for it). */
    public void onNewRejectionReason(Consumer<RejectionReason> listener) {
        this.onNewReason = listener == null ? reason -> { } : listener;
    }

    private LongAdder counter(RejectionReason reason) {
        LongAdder counter = rejections.get(reason);
        if (counter != null) {
            return counter;
        }
        LongAdder added = new LongAdder();
        LongAdder existing = rejections.putIfAbsent(reason, added);
        if (existing != null) {
            return existing;
        }
        onNewReason.accept(reason);
        return added;
    }

    // ---- reading

    public long refreshesSent(Method method, RefreshResult result) {
        return refreshesSent[method.ordinal()][result.ordinal()].sum();
    }

    public long refreshesReceived(Method method, RefreshResult result) {
        return refreshesReceived[method.ordinal()][result.ordinal()].sum();
    }

    public long expiries() {
        return expiries.sum();
    }

    public long takeOvers() {
        return takeOvers.sum();
    }

    public long retriesAfter422() {
        return retriesAfter422.sum();
    }

    public long callsPlaced() {
        return callsPlaced.sum();
    }

    public long callsAnswered(Role role) {
        return callsAnswered[role.ordinal()].sum();
    }

    public long callsFailed(Role role) {
        return callsFailed[role.ordinal()].sum();
    }

    /** Sum of the setup times of the calls answered in this role, in milliseconds. */
    public long setupMillis(Role role) {
        return setupMillis[role.ordinal()].sum();
    }

    /** The longest setup time seen in this role, in milliseconds; 0 before the first call. */
    public long setupMaxMillis(Role role) {
        return setupMaxMillis[role.ordinal()].get();
    }

    /** Refusals for this reason; 0 for a reason never registered nor reported. */
    public long rejections(RejectionReason reason) {
        LongAdder counter = rejections.get(reason);
        return counter == null ? 0 : counter.sum();
    }

    public List<RejectionReason> rejectionReasons() {
        return List.copyOf(rejections.keySet());
    }

    // ---- flat views, for JMX and the dev console ("invite:ok" -> 3)

    public Map<String, Long> refreshesSentByMethodAndResult() {
        return byMethodAndResult(refreshesSent);
    }

    public Map<String, Long> refreshesReceivedByMethodAndResult() {
        return byMethodAndResult(refreshesReceived);
    }

    public Map<String, Long> callsAnsweredByRole() {
        return byRole(callsAnswered);
    }

    public Map<String, Long> callsFailedByRole() {
        return byRole(callsFailed);
    }

    /** Count, total and longest setup time per role: "uac:count", "uac:totalMillis", "uac:maxMillis", ... */
    public Map<String, Long> callSetup() {
        Map<String, Long> view = new LinkedHashMap<>();
        for (Role role : ROLES) {
            String tag = roleTag(role);
            view.put(tag + ":count", callsAnswered(role));
            view.put(tag + ":totalMillis", setupMillis(role));
            view.put(tag + ":maxMillis", setupMaxMillis(role));
        }
        return view;
    }

    /** "422:interval-too-small" -> count, for every reason known so far. */
    public Map<String, Long> rejectionsByReason() {
        Map<String, Long> view = new TreeMap<>();
        rejections.forEach((reason, counter) -> view.put(reason.status() + ":" + reason.name(), counter.sum()));
        return view;
    }

    /** The role as the {@code role} tag names it. */
    public static String roleTag(Role role) {
        return role.name().toLowerCase(Locale.ROOT);
    }

    private static Map<String, Long> byMethodAndResult(LongAdder[][] counters) {
        Map<String, Long> view = new LinkedHashMap<>();
        for (Method method : Method.values()) {
            for (RefreshResult result : RefreshResult.values()) {
                view.put(method.tag() + ":" + result.tag(), counters[method.ordinal()][result.ordinal()].sum());
            }
        }
        return view;
    }

    private static Map<String, Long> byRole(LongAdder[] counters) {
        Map<String, Long> view = new LinkedHashMap<>();
        for (Role role : ROLES) {
            view.put(roleTag(role), counters[role.ordinal()].sum());
        }
        return view;
    }

    private static LongAdder[][] adders(int rows, int columns) {
        LongAdder[][] counters = new LongAdder[rows][columns];
        for (LongAdder[] row : counters) {
            for (int i = 0; i < columns; i++) {
                row[i] = new LongAdder();
            }
        }
        return counters;
    }
}
