package org.sessiontimer.camel.store;

/**
 * A store operation that could not prove what it had to: the call is not ours (any more), or the store cannot answer
 * (minority side of a partition, timeout). Whatever request the operation guarded must not be sent (K1, K4).
 */
public class SessionStoreException extends RuntimeException {

    /** Why the operation failed. */
    public enum Reason {
        /** Another node owns the call now. */
        NOT_OWNER,
        /** The store holds no record of the call: it ended, or was never confirmed. */
        GONE,
        /** The store cannot answer here (partition, timeout, stopped). */
        UNAVAILABLE
    }

    private final Reason reason;
    private final String callId;

    public SessionStoreException(Reason reason, String callId, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.callId = callId;
    }

    public SessionStoreException(Reason reason, String callId, String message) {
        this(reason, callId, message, null);
    }

    public Reason reason() {
        return reason;
    }

    public String callId() {
        return callId;
    }
}
