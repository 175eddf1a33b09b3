package org.sessiontimer.camel.sip;

import javax.sip.ResponseEvent;

/**
 * What a client transaction that is not a call's hands its outcome to: set as the transaction's application data,
 * the agent's listener passes it the responses and the timeout (a REGISTER of
 * {@link org.sessiontimer.camel.register.Registration}).
 */
public interface TransactionOwner {

    void onResponse(ResponseEvent event);

    /** No final response came (RFC 3261 timer F). */
    void onTimeout();
}
