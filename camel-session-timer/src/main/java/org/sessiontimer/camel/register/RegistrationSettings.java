package org.sessiontimer.camel.register;

import org.sessiontimer.camel.auth.DigestCredentials;

/**
 * What to register: the registrar's URI (the Request-URI of our REGISTERs), the address-of-record (From and To), the
 * binding's lifetime we ask for, and the credentials for the registrar's challenges (null: none).
 */
public record RegistrationSettings(String registrar, String addressOfRecord, int expiresSeconds,
        DigestCredentials credentials) {

    /** The shortest back-off after a failed REGISTER, seconds; it doubles with each failure in a row. */
    public static final int FIRST_RETRY_SECONDS = 5;
    /** The longest back-off after failed REGISTERs, seconds. */
    public static final int LAST_RETRY_SECONDS = 300;

    public RegistrationSettings {
        if (registrar == null || !(registrar.startsWith("sip:") || registrar.startsWith("sips:"))) {
            throw new IllegalArgumentException("registrar must be a sip: or sips: URI, was '" + registrar + "'");
        }
        if (expiresSeconds < 1) {
            throw new IllegalArgumentException("registerExpires must be >= 1 second, was " + expiresSeconds);
        }
    }

    /**
     * When to refresh a binding the registrar granted for {@code granted} seconds: before it lapses, with room for a
     * retransmitted REGISTER (the same margin RFC 4028 leaves a session: min(32 s, a third)).
     */
    static long refreshDelayMillis(int granted) {
        return (granted - Math.min(32, granted / 3)) * 1000L;
    }

    /** The back-off after {@code failures} failed REGISTERs in a row (1 or more), seconds. */
    static int retryDelaySeconds(int failures) {
        int shift = Math.min(failures - 1, 16);
        return Math.min(LAST_RETRY_SECONDS, FIRST_RETRY_SECONDS << shift);
    }
}
