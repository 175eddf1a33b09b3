package org.sessiontimer.camel.metrics;

import java.util.Objects;

/**
 * Why the component refused a new INVITE before any route saw it: the status code it answered and a short name that
 * tells refusals with the same code apart. Each reason is one series of {@code session_timer_rejections_total}
 * (tags {@code status} and {@code reason}). Code that adds a refusal (a limit, say) declares its reason as a constant
 * and registers it with {@link SessionTimerStatistics#register} when it starts, so the series exists at zero before
 * the first refusal; a reason reported without registration is counted all the same.
 *
 * @param status the SIP status code of the refusal, 400-699
 * @param name   lower-case words joined by '-', e.g. {@code interval-too-small}
 */
public record RejectionReason(int status, String name) {

    /** 422: the INVITE's Session-Expires is below our Min-SE (S3). */
    public static final RejectionReason INTERVAL_TOO_SMALL = new RejectionReason(422, "interval-too-small");
    /** 421: mode required and the caller does not support timers (S6). */
    public static final RejectionReason EXTENSION_REQUIRED = new RejectionReason(421, "extension-required");
    /** 400: a malformed Session-Expires or Min-SE (H3). */
    public static final RejectionReason MALFORMED_TIMER_HEADER = new RejectionReason(400, "malformed-timer-header");
    /** 480: no route consumes session-timer:call on the agent the call came to. */
    public static final RejectionReason NO_ROUTE = new RejectionReason(480, "no-route");
    /** 503: the pool that runs the answering route is full. */
    public static final RejectionReason ROUTING_BUSY = new RejectionReason(503, "routing-busy");
    /** 420: the request requires an option tag we do not support (RFC 3261 section 8.2.2.3, R17). */
    public static final RejectionReason BAD_EXTENSION = new RejectionReason(420, "bad-extension");
    /** 416: a Request-URI scheme other than sip and sips (RFC 3261 section 8.2.2.1). */
    public static final RejectionReason UNSUPPORTED_URI_SCHEME = new RejectionReason(416, "unsupported-uri-scheme");

    public RejectionReason {
        if (status < 400 || status > 699) {
            throw new IllegalArgumentException("a rejection is a 4xx-6xx status, was " + status);
        }
        Objects.requireNonNull(name, "name");
    }

    /** The reason of a refusal by RFC 4028 negotiation, which answers 422, 421 or 400 (S3, S6, H3). */
    public static RejectionReason ofNegotiation(int status) {
        return switch (status) {
            case 422 -> INTERVAL_TOO_SMALL;
            case 421 -> EXTENSION_REQUIRED;
            case 400 -> MALFORMED_TIMER_HEADER;
            default -> new RejectionReason(status, "negotiation");
        };
    }

    @Override
    public String toString() {
        return status + " " + name;
    }
}
