package org.sessiontimer.camel.core;

/**
 * A {@code Min-SE} value (RFC 4028 §5): the smallest session interval a party accepts.
 *
 * @param seconds        the minimum in delta-seconds
 * @param raisedToFloor  true when the peer sent a value below the floor and we read it as the
 *                       floor (H2 <b>choice</b>: liberal in what we accept; the caller logs a WARN)
 */
public record MinSe(long seconds, boolean raisedToFloor) {

    public static final String NAME = "Min-SE";

    public MinSe {
        DeltaSeconds.requireInRange("Min-SE", seconds);
    }

    /** The header value as sent, e.g. {@code 90}. */
    public String toHeaderValue() {
        return Long.toString(seconds);
    }

    /** This value as a header to add to an outgoing message. */
    public SipHeader toHeader() {
        return new SipHeader(NAME, toHeaderValue());
    }
}
