package org.sessiontimer.camel.core;

/** The outcome of a 2xx to one of our INVITEs or refreshes (C2, C3, R4). */
public sealed interface UacResult {

    /**
     * A session timer runs with this interval.
     *
     * @param refresher the effective refresher in this transaction's roles (never null: C2 fills a missing one)
     * @param weRefresh whether we send the refreshes
     */
    record Timer(long interval, Refresher refresher, boolean weRefresh) implements UacResult {
    }

    /** No session timer for this dialog (§7.2, C3): none armed, a running one turned off (R4). */
    record NoTimer() implements UacResult {
        static final NoTimer INSTANCE = new NoTimer();
    }

    /** The transaction failed: malformed Session-Expires (H3) or mode required without one (C3); end the call. */
    record Fail(String reason) implements UacResult {
    }
}
