package org.sessiontimer.camel.sip;

import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogState;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Request;

import org.sessiontimer.camel.store.CallRecord;

/** The requests of a call this node set up: through JAIN-SIP's dialog, with the CSeq the store reserved. */
final class StackDialogLink implements DialogLink {

    private final CallManager manager;
    private final Dialog dialog;

    StackDialogLink(CallManager manager, Dialog dialog) {
        this.manager = manager;
        this.dialog = dialog;
    }

    @Override
    public Request createRequest(String method, CallRecord record) throws Exception {
        Request request = dialog.createRequest(method);
        manager.stampOurAddress(request);
        // the dialog numbers its requests itself, but takes a higher CSeq when given one: the store's reservation
        // is the one that counts (K1)
        ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).setSeqNumber(
                Math.max(record.localCSeq(), dialog.getLocalSeqNumber() + 1));
        return request;
    }

    @Override
    public void send(ClientTransaction transaction) throws Exception {
        dialog.sendRequest(transaction);
    }

    @Override
    public void ack(long inviteCSeq, CallRecord record) throws Exception {
        dialog.sendAck(dialog.createAck(inviteCSeq));
    }

    @Override
    public boolean isTerminated() {
        return dialog.getState() == DialogState.TERMINATED;
    }

    Dialog dialog() {
        return dialog;
    }
}
