package org.sessiontimer.camel.core;

import java.util.random.RandomGenerator;

/**
 * The arithmetic of session timers, in milliseconds so that lab intervals of a few seconds stay
 * exact (SE = 10 s expires after 6667 ms, not 6 or 7 s).
 */
public final class SessionTimerDeadlines {

    /** R9 / §10: the margin before the end of the interval is at most 32 seconds. */
    private static final long MAX_EXPIRY_MARGIN_MILLIS = 32_000;

    private SessionTimerDeadlines() {
    }

    /** R1 / §10: the refresher refreshes at half the interval (SE = 1800 s: 900 s; 90 s: 45 s). */
    public static long refreshDelayMillis(long sessionExpiresSeconds) {
        return sessionExpiresSeconds * 1000 / 2;
    }

    /**
     * R9 / §10: without a refresh, the session ends at SE - min(32, SE/3) after the last one
     * (SE = 1800 s: 1768 s; 90 s: 60 s; 10 s: 6667 ms), so a BYE goes out before the peer's own
     * timer runs out.
     */
    public static long expiryDelayMillis(long sessionExpiresSeconds) {
        long intervalMillis = sessionExpiresSeconds * 1000;
        long margin = Math.min(MAX_EXPIRY_MARGIN_MILLIS, intervalMillis / 3);
        return intervalMillis - margin;
    }

    /**
     * R6 / RFC 3261 §14.1: after 491 Request Pending, wait a random time in units of 10 ms:
     * 2.1..4 s when we own the Call-ID (we sent the initial INVITE), 0..2 s otherwise.
     */
    public static long requestPendingRetryDelayMillis(boolean weOwnCallId, RandomGenerator random) {
        return weOwnCallId
                ? 2_100 + 10L * random.nextInt(191)  // 2100, 2110, ... 4000
                : 10L * random.nextInt(201);         // 0, 10, ... 2000
    }
}
