package org.sessiontimer.camel.limits;

/**
 * The limits on new calls, as the component's options set them; 0 turns a limit off.
 *
 * @param maxSessions                the most active sessions; more INVITEs get 503 with {@code Retry-After}
 * @param maxSessionsRetryAfter      the {@code Retry-After} of those 503s, seconds
 * @param maxCallsPerSecond          new INVITEs a second from all sources together (a burst of one second's worth)
 * @param maxCallsPerSecondPerSource new INVITEs a second from one address (likewise)
 * @param sourceRateAction           what happens to an INVITE beyond the per-source rate: 503 or nothing
 * @param allowedSources             the addresses whose INVITEs are taken at all
 * @param disallowedSourceAction     what happens to an INVITE from elsewhere: 403 or nothing
 */
public record AdmissionSettings(int maxSessions, int maxSessionsRetryAfter, int maxCallsPerSecond,
        int maxCallsPerSecondPerSource, LimitAction sourceRateAction, AllowedSources allowedSources,
        LimitAction disallowedSourceAction) {

    /** No limit at all. */
    public static final AdmissionSettings NONE = new AdmissionSettings(0, 0, 0, 0, LimitAction.REJECT,
            AllowedSources.ANY, LimitAction.REJECT);

    public AdmissionSettings {
        requireNotNegative("maxSessions", maxSessions);
        requireNotNegative("maxSessionsRetryAfter", maxSessionsRetryAfter);
        requireNotNegative("maxCallsPerSecond", maxCallsPerSecond);
        requireNotNegative("maxCallsPerSecondPerSource", maxCallsPerSecondPerSource);
        if (sourceRateAction == null || allowedSources == null || disallowedSourceAction == null) {
            throw new IllegalArgumentException("sourceRateAction, allowedSources and disallowedSourceAction are required");
        }
    }

    private static void requireNotNegative(String option, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(option + " must be >= 0 (0: no limit), was " + value);
        }
    }
}
