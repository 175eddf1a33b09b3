package org.sessiontimer.camel.sip;

import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipListener;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.message.Request;
import javax.sip.message.Response;

import gov.nist.javax.sip.message.SIPRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code 505 Version Not Supported} to a request of any SIP version but 2.0 (RFC 3261 §8.2.1, RFC 4475
 * 3.1.2.16) before the call logic sees it; JAIN-SIP RI 1.3.0-91 parses {@code SIP/7.0} and hands it on as if it were
 * 2.0. Everything else goes to the listener behind it unchanged.
 */
final class SipVersionCheck implements SipListener {

    private static final Logger LOG = LoggerFactory.getLogger(SipVersionCheck.class);
    private static final String SIP_2_0 = "SIP/2.0";

    private final SipAgent agent;
    private final SipListener next;

    SipVersionCheck(SipAgent agent, SipListener next) {
        this.agent = agent;
        this.next = next;
    }

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        String version = request instanceof SIPRequest sip ? sip.getRequestLine().getSipVersion() : SIP_2_0;
        if (SIP_2_0.equalsIgnoreCase(version)) {
            next.processRequest(event);
        } else if (!Request.ACK.equals(request.getMethod())) {
            try {
                StatelessAnswer.send(agent, event,
                        StatelessAnswer.refusal(agent, request, Response.VERSION_NOT_SUPPORTED, null));
            } catch (Exception e) {
                LOG.debug("Cannot answer {} of version {} with 505: {}", request.getMethod(), version, e.toString());
            }
        }
    }

    @Override
    public void processResponse(ResponseEvent event) {
        next.processResponse(event);
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        next.processTimeout(event);
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        next.processIOException(event);
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        next.processTransactionTerminated(event);
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        next.processDialogTerminated(event);
    }
}
