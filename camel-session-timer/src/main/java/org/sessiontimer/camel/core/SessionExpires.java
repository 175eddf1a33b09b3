package org.sessiontimer.camel.core;

/**
 * A {@code Session-Expires} value (RFC 4028 §4): the session interval in delta-seconds and the
 * optional {@code refresher} parameter.
 *
 * @param seconds   the session interval, 0..2^32-1 (delta-seconds, RFC 3261 §25.1)
 * @param refresher who refreshes, or {@code null} when the parameter is absent (§7.1 leaves it
 *                  to the UAS; Table 2 then decides, S1)
 */
public record SessionExpires(long seconds, Refresher refresher) {

    public static final String NAME = "Session-Expires";
    /** Compact form (§4); the user agent passes its values in the same list as the long form (H1). */
    public static final String COMPACT_NAME = "x";

    public SessionExpires {
        DeltaSeconds.requireInRange("Session-Expires", seconds);
    }

    /** The header value as sent: {@code 1800} or {@code 1800;refresher=uac}. */
    public String toHeaderValue() {
        return refresher == null ? Long.toString(seconds) : seconds + ";refresher=" + refresher.token();
    }

    /** This value as a header to add to an outgoing message. */
    public SipHeader toHeader() {
        return new SipHeader(NAME, toHeaderValue());
    }
}
