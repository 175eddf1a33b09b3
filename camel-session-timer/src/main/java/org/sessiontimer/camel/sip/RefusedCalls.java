package org.sessiontimer.camel.sip;

import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.sessiontimer.camel.limits.Admission;

/**
 * New INVITEs that a limit refuses ({@link CallHandler#admit}): answered or dropped before any call state exists. Over
 * UDP the answer is sent statelessly, so that a flood of refused INVITEs costs no transaction (the peer's
 * retransmission is refused again); over TCP through a transaction, to use the connection it came on.
 */
final class RefusedCalls {

    private RefusedCalls() {
    }

    /** True when the INVITE was refused: answered with the limit's status, or dropped. */
    static boolean refused(CallManager manager, SipAgent agent, RequestEvent event) throws Exception {
        Request invite = event.getRequest();
        Admission admission = manager.handler().admit(SipMessages.sourceOf(invite), SipMessages.callIdOf(invite));
        if (admission.admitted()) {
            return false;
        }
        if (admission.verdict() == Admission.Verdict.REJECT) {
            Response response = agent.messageFactory().createResponse(admission.statusCode(), invite);
            response.setReasonPhrase(admission.reasonPhrase());
            ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(SipMessages.newTag());
            if (admission.retryAfterSeconds() > 0) {
                response.addHeader(agent.headerFactory().createRetryAfterHeader(admission.retryAfterSeconds()));
            }
            if ("udp".equals(SipMessages.transportOf(invite))) {
                agent.provider().sendResponse(response);
            } else {
                ServerTransaction transaction = manager.serverTransaction(event);
                if (transaction != null) {
                    transaction.sendResponse(response);
                }
            }
        }
        return true;
    }
}
