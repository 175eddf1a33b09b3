package org.sessiontimer.camel.core;

import java.util.List;

/**
 * What the {@link UasNegotiator} needs from an incoming INVITE or UPDATE: the raw text of its
 * session timer headers (so that malformed values can be answered with 400, H3) and whether it
 * carried {@code Supported: timer}.
 *
 * @param sessionExpiresValues every {@code Session-Expires} and compact {@code x} value, in order; empty when absent
 * @param minSeValues          every {@code Min-SE} value; empty when absent
 * @param supportsTimer        the request's {@code Supported} (or {@code Require}) lists {@code timer}
 */
public record TimerRequest(List<String> sessionExpiresValues, List<String> minSeValues, boolean supportsTimer) {

    public TimerRequest {
        sessionExpiresValues = sessionExpiresValues == null ? List.of() : sessionExpiresValues;
        minSeValues = minSeValues == null ? List.of() : minSeValues;
    }
}
