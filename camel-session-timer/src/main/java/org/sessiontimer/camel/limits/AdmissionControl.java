package org.sessiontimer.camel.limits;

import java.net.InetAddress;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import org.slf4j.LoggerFactory;

/**
 * Decides, once per new INVITE and before any state is kept or any route runs, whether the call may proceed:
 * {@code allowedSources}, then the per-source rate, then {@code maxSessions}, then {@code maxCallsPerSecond}. An INVITE
 * refused by an earlier check takes no token from a later one. Every refusal is counted in {@link LimitStats} and
 * logged at WARN on logger {@code org.sessiontimer.camel.limits}, a few lines a second per source.
 * In-dialog requests never come here: a limit never touches a call it admitted.
 */
public final class AdmissionControl {

    /** Sources with a per-source allowance of their own; beyond that they share one. */
    static final int TRACKED_SOURCES = 100_000;
    static final String LOGGER = "org.sessiontimer.camel.limits";

    private final AdmissionSettings settings;
    private final IntSupplier activeSessions;
    private final LimitStats stats;
    private final LongSupplier nanoClock;
    private final TokenBucket callRate;
    private final SourceBuckets<InetAddress> sourceRate;
    private final ThrottledLog log;

    public AdmissionControl(AdmissionSettings settings, IntSupplier activeSessions, LimitStats stats,
                            LongSupplier nanoClock) {
        this.settings = settings;
        this.activeSessions = activeSessions;
        this.stats = stats;
        this.nanoClock = nanoClock;
        this.callRate = settings.maxCallsPerSecond() > 0
                ? new TokenBucket(settings.maxCallsPerSecond(), settings.maxCallsPerSecond(), nanoClock.getAsLong())
                : null;
        this.sourceRate = settings.maxCallsPerSecondPerSource() > 0
                ? new SourceBuckets<>(settings.maxCallsPerSecondPerSource(), settings.maxCallsPerSecondPerSource(),
                        TRACKED_SOURCES, nanoClock)
                : null;
        this.log = new ThrottledLog(LoggerFactory.getLogger(LOGGER), nanoClock);
    }

    /**
     * The decision for one new INVITE.
     *
     * @param source the address it came from (the packet's or the connection's, not the Via)
     * @param callId its Call-ID, for the log
     */
    public Admission admit(InetAddress source, String callId) {
        if (!settings.allowedSources().allows(source)) {
            return refuse(source, callId, Admission.refuse(settings.disallowedSourceAction(), Limit.SOURCE_NOT_ALLOWED,
                    403, "Forbidden (source not allowed)", 0), "not in allowedSources " + settings.allowedSources());
        }
        if (sourceRate != null && !sourceRate.tryTake(source)) {
            return refuse(source, callId, Admission.refuse(settings.sourceRateAction(), Limit.SOURCE_CALL_RATE, 503,
                    "Service Unavailable (source call rate limit)", 0),
                    "above maxCallsPerSecondPerSource=" + settings.maxCallsPerSecondPerSource());
        }
        int sessions = activeSessions.getAsInt();
        if (settings.maxSessions() > 0 && sessions >= settings.maxSessions()) {
            return refuse(source, callId, Admission.refuse(LimitAction.REJECT, Limit.MAX_SESSIONS, 503,
                    "Service Unavailable (session limit)", settings.maxSessionsRetryAfter()),
                    sessions + " active sessions, maxSessions=" + settings.maxSessions());
        }
        if (callRate != null && !callRate.tryTake(nanoClock.getAsLong())) {
            return refuse(source, callId, Admission.refuse(LimitAction.REJECT, Limit.CALL_RATE, 503,
                    "Service Unavailable (call rate limit)", 0), "above maxCallsPerSecond=" + settings.maxCallsPerSecond());
        }
        return Admission.ADMIT;
    }

    private Admission refuse(InetAddress source, String callId, Admission refusal, String why) {
        stats.record(refusal.limit());
        String address = source == null ? "unknown" : source.getHostAddress();
        String answer = refusal.verdict() == Admission.Verdict.DROP ? "dropped" : "answered " + refusal.statusCode();
        log.warn(address, "Refused INVITE Call-ID={} from {} ({}): {}", callId, address, answer, why);
        return refusal;
    }

    public AdmissionSettings settings() {
        return settings;
    }
}
