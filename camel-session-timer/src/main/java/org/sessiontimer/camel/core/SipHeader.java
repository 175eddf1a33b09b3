package org.sessiontimer.camel.core;

import java.util.Objects;

/**
 * A header to add to an outgoing message, as plain text; the SIP user agent turns it into a
 * JAIN-SIP header. The core never builds JAIN-SIP types (DESIGN.md "Layers").
 */
public record SipHeader(String name, String value) {

    public static final String SUPPORTED = "Supported";
    public static final String REQUIRE = "Require";

    private static final SipHeader SUPPORTED_TIMER = new SipHeader(SUPPORTED, SessionTimerHeaders.TIMER_OPTION_TAG);
    private static final SipHeader REQUIRE_TIMER = new SipHeader(REQUIRE, SessionTimerHeaders.TIMER_OPTION_TAG);

    public SipHeader {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    /** {@code Supported: timer} (H4); shared instance, records are immutable. */
    public static SipHeader supportedTimer() {
        return SUPPORTED_TIMER;
    }

    /** {@code Require: timer} (S2, S6). */
    public static SipHeader requireTimer() {
        return REQUIRE_TIMER;
    }

    @Override
    public String toString() {
        return name + ": " + value;
    }
}
