package org.sessiontimer.camel.sip;

/** A call that could not be set up, with the SIP status that ended it (0 when none was received). */
public class SipCallException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int statusCode;

    public SipCallException(int statusCode, String message, Throwable cause) {
        super(message, cause);
        this.statusCode = statusCode;
    }

    /** The final status that ended the attempt, 408 for no answer, 0 when the request could not be sent. */
    public int statusCode() {
        return statusCode;
    }
}
