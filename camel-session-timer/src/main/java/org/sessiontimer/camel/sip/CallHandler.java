package org.sessiontimer.camel.sip;

import java.net.InetAddress;

import org.sessiontimer.camel.limits.Admission;

/**
 * What the SIP user agent reports upwards (to the Camel component). Every method is called on a JAIN-SIP or
 * scheduler thread: hand work off, do not block.
 */
public interface CallHandler {

    /**
     * Whether a new INVITE may proceed, asked once per INVITE before any state is kept (the component's limits).
     * Refused, it is answered or dropped without a transaction and no route sees it.
     */
    default Admission admit(InetAddress source, String callId) {
        return Admission.ADMIT;
    }

    /**
     * A new INVITE passed RFC 4028 negotiation. The handler decides later, from any thread, with
     * {@link SipCall#answer(byte[])} or {@link SipCall#reject(int, String)}.
     */
    void incomingCall(SipCall call, byte[] offer);

    /** Our refresh is due (R1): the handler sends it, normally through {@link SipCall#sendRefresh()}. */
    void refreshDue(SipCall call);

    /** No refresh succeeded or arrived in time (R9): the handler ends the call, normally with {@link SipCall#hangup(String)}. */
    void expired(SipCall call);

    /**
     * The peer's re-INVITE or UPDATE in a confirmed call carries a new offer (R15). The handler decides later, from
     * any thread, with {@link SipCall#answerOffer(byte[])} (null: the default answer) or
     * {@link SipCall#rejectOffer(int, String)}; by default the offer gets the default answer at once.
     */
    default void offer(SipCall call, byte[] offer) {
        call.answerOffer(null);
    }

    /** Anything else worth telling: confirmed, refreshed, refresh failed, ended. */
    void callEvent(SipCall call, CallEvent event, String detail);

    /** An event that comes with a session description: the answer in an ACK, early media. */
    default void callEvent(SipCall call, CallEvent event, String detail, byte[] sdp) {
        callEvent(call, event, detail);
    }
}
