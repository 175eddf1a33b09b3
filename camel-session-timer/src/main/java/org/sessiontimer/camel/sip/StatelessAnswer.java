package org.sessiontimer.camel.sip;

import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Answers a request that we refuse before keeping any state for it: over UDP statelessly, so that a flood of refused
 * requests costs no transaction (a retransmission is refused again); over TCP through a transaction, which sends on
 * the connection the request came on.
 */
final class StatelessAnswer {

    private StatelessAnswer() {
    }

    /** A final answer with a To tag of its own, ready to be sent with {@link #send}. */
    static Response refusal(SipAgent agent, Request request, int status, String reasonPhrase) throws Exception {
        Response response = agent.messageFactory().createResponse(status, request);
        if (reasonPhrase != null) {
            response.setReasonPhrase(reasonPhrase);
        }
        ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(SipMessages.newTag());
        return response;
    }

    static void send(SipAgent agent, RequestEvent event, Response response) throws Exception {
        if ("udp".equals(SipMessages.transportOf(event.getRequest()))) {
            agent.provider().sendResponse(response);
            return;
        }
        ServerTransaction transaction = event.getServerTransaction();
        if (transaction == null) {
            try {
                transaction = agent.provider().getNewServerTransaction(event.getRequest());
            } catch (TransactionAlreadyExistsException e) {
                return; // a retransmission: the transaction answers it
            }
        }
        transaction.sendResponse(response);
    }
}
