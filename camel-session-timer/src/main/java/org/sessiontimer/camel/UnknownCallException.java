package org.sessiontimer.camel;

/** No active call has the Call-ID an exchange named. */
public class UnknownCallException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String callId;

    public UnknownCallException(String callId) {
        super("No active session with Call-ID " + callId);
        this.callId = callId;
    }

    public String getCallId() {
        return callId;
    }
}
