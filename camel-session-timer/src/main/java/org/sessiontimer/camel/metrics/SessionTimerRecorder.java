package org.sessiontimer.camel.metrics;

/**
 * What the SIP layer reports for the component's statistics, at the points where an outcome is known that no
 * {@code CallHandler} event carries. Plain Java on purpose: the SIP layer depends on this interface only, never on
 * Camel or Micrometer. Every method counts one thing and returns at once; it runs on JAIN-SIP and timer threads.
 */
public interface SessionTimerRecorder {

    /** Records nothing: the SIP layer's default until the component hands it its statistics. */
    SessionTimerRecorder NONE = new SessionTimerRecorder() {
    };

    /**
     * A refresh we sent (re-INVITE or UPDATE) got its final answer, or none in time (reported as 408, R7).
     *
     * @param method the SIP method of the refresh, {@code INVITE} or {@code UPDATE}
     * @param status the final status code, 200-699
     */
    default void refreshSent(String method, int status) {
    }

    /**
     * A refresh we sent was challenged with 401/407 (R13): answered with credentials and sent again, or not answered
     * (a failure of the refresh). Such a final answer is reported here, not through {@link #refreshSent}.
     */
    default void refreshChallenged(String method, boolean answered) {
    }

    /** We answered a refresh of the peer's with a failure status (422, 400, ...); its 2xx are call events. */
    default void refreshRefused(String method, int status) {
    }

    /** We refused a new INVITE before any route saw it. */
    default void inviteRejected(RejectionReason reason) {
    }

    /** We sent our initial INVITE again, with a larger interval, after a 422 (C4). */
    default void retriedAfter422() {
    }
}
