package org.sessiontimer.camel.sip;

import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.sessiontimer.camel.core.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests that come in a dialog before the INVITE that makes it has its final answer (an early dialog, RFC 3261
 * §12.1): the peer knows our tag from a 1xx. None of them may get 481, which tells the peer the dialog is gone.
 * <ul>
 * <li>BYE from the caller ends the call: 200 to the BYE, 487 to its INVITE (§15.1.2);</li>
 * <li>UPDATE without an offer is taken (200); one with an offer cannot be, while the INVITE's offer is unanswered
 * (RFC 3311 §5.2): 500 with Retry-After when we received that offer, 491 when we made it;</li>
 * </ul>
 * A re-INVITE in an early dialog never comes here: JAIN-SIP answers it with 491 itself, as the INVITE transaction
 * of the dialog is still in progress (§14.2).
 */
final class EarlyDialogRequests {

    private static final Logger LOG = LoggerFactory.getLogger(EarlyDialogRequests.class);
    /** RFC 3261 §14.2 and RFC 3311 §5.2: "a randomly chosen value between 0 and 10 seconds". */
    private static final int MAX_RETRY_AFTER_SECONDS = 10;

    private final CallManager manager;
    private final SipAgent agent;
    private final IncomingCalls incoming;

    EarlyDialogRequests(CallManager manager, SipAgent agent, IncomingCalls incoming) {
        this.manager = manager;
        this.agent = agent;
        this.incoming = incoming;
    }

    /**
     * Answers a BYE or UPDATE that belongs to a call still being set up; returns false (and does nothing) for any
     * other request, and when the call is confirmed or over, for the usual handling.
     */
    boolean answer(RequestEvent event, SipCall call) throws Exception {
        String method = event.getRequest().getMethod();
        boolean earlyBye = Request.BYE.equals(method) && call.role() == Role.UAS;
        boolean earlyUpdate = Request.UPDATE.equals(method);
        if (!(earlyBye || earlyUpdate) || !isEarly(call)) {
            return false;
        }
        ServerTransaction transaction = manager.serverTransaction(event);
        if (transaction == null) {
            return true; // a retransmission its transaction answers
        }
        Request request = event.getRequest();
        if (earlyBye) {
            transaction.sendResponse(agent.messageFactory().createResponse(Response.OK, request));
            LOG.info("BYE for Call-ID={} before it was answered; answering its INVITE with 487", call.callId());
            if (!incoming.reject(call, Response.REQUEST_TERMINATED, null)) {
                manager.terminate(call, "bye received"); // the route's 2xx crossed the BYE
            }
        } else if (SipMessages.body(request).length == 0) {
            Response ok = agent.messageFactory().createResponse(Response.OK, request);
            ok.addHeader(manager.contact(SipMessages.transportOf(request), SipMessages.isSips(request.getRequestURI())));
            SipMessages.addAllow(agent.headerFactory(), ok);
            manager.advertiseTimer(call.config(), ok);
            transaction.sendResponse(ok);
        } else if (call.role() == Role.UAS) {
            Response busy = agent.messageFactory().createResponse(Response.SERVER_INTERNAL_ERROR, request);
            busy.addHeader(agent.headerFactory().createRetryAfterHeader(
                    manager.random().nextInt(MAX_RETRY_AFTER_SECONDS + 1)));
            LOG.info("UPDATE with an offer in Call-ID={} before its INVITE is answered; 500 with Retry-After",
                    call.callId());
            transaction.sendResponse(busy);
        } else {
            LOG.info("UPDATE with an offer in Call-ID={} while our INVITE is in progress; 491", call.callId());
            transaction.sendResponse(agent.messageFactory().createResponse(Response.REQUEST_PENDING, request));
        }
        return true;
    }

    private static boolean isEarly(SipCall call) {
        synchronized (call) {
            return call.state() == SipCall.State.EARLY;
        }
    }
}
