package org.sessiontimer.camel.metrics;

import java.util.Locale;

/** How a session refresh ended, as the {@code result} tag of the refresh meters names it. */
public enum RefreshResult {
    /** 2xx: the session is refreshed (R4, R10). */
    OK("ok"),
    /** 422 Session Interval Too Small: retried with a larger interval (R5, C4). */
    INTERVAL_TOO_SMALL("422"),
    /** 491 Request Pending (glare): retried after a random back-off (R6). */
    REQUEST_PENDING("491"),
    /** 408, or no final answer in 64*T1: the session is ended with BYE (R7). */
    TIMEOUT("408"),
    /** 481: the dialog is gone at the peer; the session is ended without BYE (R7). */
    NO_DIALOG("481"),
    /** Any other failure: the session lives on until its expiry (R8). */
    OTHER("other"),
    /** 401/407 answered with credentials: the refresh went again, and its own answer counts too (R13). */
    CHALLENGED("challenged"),
    /**
     * 401/407 we could not answer (no credentials, another realm, our answer refused): a failure that lets the session
     * live on until its expiry, as R8 (R13).
     */
    UNAUTHORIZED("unauthorized");

    private final String tag;

    RefreshResult(String tag) {
        this.tag = tag;
    }

    /** The tag value. */
    public String tag() {
        return tag;
    }

    public static RefreshResult of(int status) {
        if (status >= 200 && status < 300) {
            return OK;
        }
        return switch (status) {
            case 422 -> INTERVAL_TOO_SMALL;
            case 491 -> REQUEST_PENDING;
            case 408 -> TIMEOUT;
            case 481 -> NO_DIALOG;
            default -> OTHER;
        };
    }

    /** The refresh methods, as the {@code method} tag names them. */
    public enum Method {
        INVITE,
        UPDATE;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The refresh method of a SIP method name; anything but UPDATE refreshes as a re-INVITE does. */
        public static Method of(String sipMethod) {
            return "UPDATE".equalsIgnoreCase(sipMethod) ? UPDATE : INVITE;
        }
    }
}
