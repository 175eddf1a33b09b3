package org.sessiontimer.camel.core;

import java.util.List;

/** How we answer a request as UAS (RFC 4028 §9; S1-S6, H3-H5), with the headers to put in the answer. */
public sealed interface UasDecision {

    /** The headers to add to the answer. */
    List<SipHeader> responseHeaders();

    /**
     * 2xx with a session timer.
     *
     * @param interval        the session interval in the 2xx's Session-Expires
     * @param refresher       the refresher in the 2xx (roles of this transaction: UAS = us)
     * @param requireTimer    whether the 2xx carries {@code Require: timer} (S2)
     * @param responseHeaders Session-Expires with refresher, Require: timer when S2 says so, Supported: timer
     */
    record Accept(long interval, Refresher refresher, boolean requireTimer, List<SipHeader> responseHeaders)
            implements UasDecision {
        public Accept {
            responseHeaders = List.copyOf(responseHeaders);
        }

        /** Whether we send the refreshes: the refresher is the UAS of this transaction, us. */
        public boolean weRefresh() {
            return Refresher.weRefresh(refresher, Role.UAS);
        }
    }

    /** 2xx without a session timer; still {@code Supported: timer} unless the extension is off (H4). */
    record AcceptWithoutTimer(List<SipHeader> responseHeaders) implements UasDecision {
        public AcceptWithoutTimer {
            responseHeaders = List.copyOf(responseHeaders);
        }
    }

    /**
     * The request is refused: 422 with Min-SE (S3, H5), 421 with Require: timer (S6), or 400 whose
     * reason phrase names the malformed header (H3).
     */
    record Reject(int statusCode, String reasonPhrase, List<SipHeader> responseHeaders) implements UasDecision {
        public Reject {
            responseHeaders = List.copyOf(responseHeaders);
        }
    }
}
