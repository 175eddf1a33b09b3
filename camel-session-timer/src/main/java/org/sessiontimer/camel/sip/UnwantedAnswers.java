package org.sessiontimer.camel.sip;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;

import javax.sip.Dialog;
import javax.sip.DialogState;
import javax.sip.ResponseEvent;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.sessiontimer.camel.core.Role;
import org.sessiontimer.camel.store.CallRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 2xx answers to INVITEs we sent that no call takes (R16, RFC 3261 §13.2.2.4): a second 2xx from another fork of our
 * INVITE, a 2xx repeated after its transaction ended, a 2xx to a refresh we had given up on. Every one is ACKed, or
 * the peer retransmits it and, after 64*T1, tears its side down; one that belongs to a dialog we do not keep (a
 * fork, or a call that is over) is ended with BYE right after its ACK.
 *
 * <p>A fork's 2xx comes with the dialog the stack made for it, and the ACK and BYE go through that dialog, which
 * the BYE ends. Without one (a call the stack has freed) the requests are built from the 2xx alone
 * ({@link RecordDialogLink}).
 */
final class UnwantedAnswers {

    private static final Logger LOG = LoggerFactory.getLogger(UnwantedAnswers.class);

    private final CallManager manager;
    private final SipAgent agent;
    private final RecordDialogLink link;

    UnwantedAnswers(CallManager manager, SipAgent agent) {
        this.manager = manager;
        this.agent = agent;
        this.link = new RecordDialogLink(agent, manager);
    }

    /** True for a 2xx to an INVITE: the only answers that need a request of their own. */
    static boolean isInviteSuccess(Response response) {
        CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        return response.getStatusCode() / 100 == 2 && cseq != null && Request.INVITE.equals(cseq.getMethod());
    }

    /**
     * ACKs {@code ok}, a 2xx to an INVITE of ours that the call logic does not take; {@code held} is the call its
     * Call-ID names here, or null. When the 2xx is not of {@code held}'s dialog (another To tag, or the call is
     * over), that dialog is ended with BYE.
     */
    void take(ResponseEvent event, SipCall held) {
        Response ok = event.getResponse();
        String callId = ((CallIdHeader) ok.getHeader(CallIdHeader.NAME)).getCallId();
        String toTag = ((ToHeader) ok.getHeader(ToHeader.NAME)).getTag();
        boolean kept = held != null && held.isConfirmed() && toTag != null && toTag.equals(remoteTagOf(held));
        long cseq = ((CSeqHeader) ok.getHeader(CSeqHeader.NAME)).getSeqNumber();
        // the stack's dialog of a fork's 2xx, which the BYE then ends in the stack too
        Dialog dialog = event.getDialog();
        boolean stackDialog = dialog != null && dialog.getState() == DialogState.CONFIRMED && toTag != null
                              && toTag.equals(dialog.getRemoteTag());
        try {
            CallRecord fromAnswer = dialogOf(callId, ok, cseq);
            if (stackDialog) {
                dialog.sendAck(dialog.createAck(cseq));
            } else {
                link.ack(cseq, fromAnswer);
            }
            if (kept) {
                LOG.debug("ACKed a repeated 2xx (CSeq {}) of Call-ID={}", cseq, callId);
                return;
            }
            if (stackDialog) {
                Request bye = dialog.createRequest(Request.BYE);
                manager.stampOurAddress(bye);
                dialog.sendRequest(agent.provider().getNewClientTransaction(bye));
            } else {
                Request bye = link.createRequest(Request.BYE, fromAnswer.withLocalCSeq(cseq + 1));
                agent.provider().getNewClientTransaction(bye).sendRequest();
            }
            LOG.info("2xx (CSeq {}) for a dialog of Call-ID={} that we do not keep (To tag {}); sent ACK and BYE", cseq,
                    callId, toTag);
        } catch (Exception e) {
            LOG.warn("Cannot ACK or end the 2xx (CSeq {}) of Call-ID={}: {}", cseq, callId, e.toString());
        }
    }

    private static String remoteTagOf(SipCall call) {
        synchronized (call) {
            if (call.stored() != null) {
                return call.stored().dialog().remoteTag();
            }
            return call.dialog() != null ? call.dialog().getRemoteTag() : null;
        }
    }

    /** The dialog a 2xx to our INVITE sets up (RFC 3261 §12.1.2), read from the 2xx alone. */
    private static CallRecord dialogOf(String callId, Response ok, long cseq) {
        FromHeader from = (FromHeader) ok.getHeader(FromHeader.NAME);
        ToHeader to = (ToHeader) ok.getHeader(ToHeader.NAME);
        List<String> routes = new ArrayList<>();
        ListIterator<?> recordRoutes = ok.getHeaders(RecordRouteHeader.NAME);
        while (recordRoutes.hasNext()) {
            routes.add(((RecordRouteHeader) recordRoutes.next()).getAddress().toString());
        }
        Collections.reverse(routes);
        ViaHeader via = (ViaHeader) ok.getHeader(ViaHeader.NAME);
        String transport = via == null ? "udp" : via.getTransport().toLowerCase(Locale.ROOT);
        CallRecord.DialogAddress address = new CallRecord.DialogAddress(from.getAddress().toString(), from.getTag(),
                to.getAddress().toString(), to.getTag(), DialogAddresses.contactOf(ok, to.getAddress().getURI().toString()),
                routes, transport);
        return new CallRecord(callId, Role.UAC, 0, address, cseq, -1, null, null, false, CallRecord.TimerState.none(0), 0,
                null, 0);
    }
}
