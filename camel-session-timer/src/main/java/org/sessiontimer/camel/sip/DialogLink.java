package org.sessiontimer.camel.sip;

import javax.sip.ClientTransaction;
import javax.sip.message.Request;

import org.sessiontimer.camel.store.CallRecord;

/**
 * How a confirmed call's own requests are built and sent. A call this node set up goes through the stack's dialog
 * ({@link StackDialogLink}), which also retransmits and ACKs as RFC 3261 wants; a call taken over from another node
 * has no dialog in this stack and is addressed from its stored record ({@link RecordDialogLink}).
 */
interface DialogLink {

    /**
     * A request in the dialog with the CSeq the store reserved for it ({@code record.localCSeq()}), carrying our
     * Contact; the caller adds its own headers and body.
     */
    Request createRequest(String method, CallRecord record) throws Exception;

    /**
     * Writes a request made by {@link #createRequest} on the client transaction made for it. May block (a TCP
     * connect): called from {@link SendQueues} only, never with the call's lock held.
     */
    void send(ClientTransaction transaction) throws Exception;

    /** ACKs a 2xx to the INVITE we sent with this CSeq. */
    void ack(long inviteCSeq, CallRecord record) throws Exception;

    /** True when the dialog is already over on the stack's side. */
    boolean isTerminated();
}
