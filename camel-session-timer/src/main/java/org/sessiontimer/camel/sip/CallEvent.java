package org.sessiontimer.camel.sip;

/** Events in the life of a call, as reported in the {@code CamelSessionTimerEvent} header. */
public enum CallEvent {
    /** The dialog is established (2xx sent and ACKed, or 2xx received and ACKed). */
    CONFIRMED("confirmed"),
    /** The peer's re-INVITE or UPDATE refreshed the session (R10). */
    REFRESH_RECEIVED("refresh-received"),
    /** Our refresh got a 2xx (R4). */
    REFRESHED("refreshed"),
    /** Our refresh failed; the detail says how and what happens next (R6-R8). */
    REFRESH_FAILED("refresh-failed"),
    /** This node took the call over from another one of its cluster; the detail names that node (K2, K3). */
    ADOPTED("adopted"),
    /** The answer to the offer in our 2xx to an offerless INVITE or re-INVITE came with the ACK (body: the SDP, R15). */
    ANSWER("answer"),
    /** A provisional answer to an INVITE we sent carried SDP (body: the SDP; detail: the status line). */
    EARLY_MEDIA("early-media"),
    /** The call is over and its state freed; the detail is the reason (R12). */
    ENDED("ended");

    private final String value;

    CallEvent(String value) {
        this.value = value;
    }

    /** The header value. */
    public String value() {
        return value;
    }
}
