package org.sessiontimer.camel.core;

import java.util.List;

/** What to do after a 422 to one of our requests (C4, R5). */
public sealed interface UacRetry {

    /**
     * Re-send the request with the same Call-ID and From tag, CSeq + 1 and a new branch, carrying
     * these headers (raised Session-Expires and Min-SE, Supported: timer) instead of the old ones.
     */
    record Retry(List<SipHeader> headers) implements UacRetry {
        public Retry {
            headers = List.copyOf(headers);
        }
    }

    /** Give up: the call (or the refresh) fails with this reason; no 422 loops (C4). */
    record Fail(String reason) implements UacRetry {
    }
}
