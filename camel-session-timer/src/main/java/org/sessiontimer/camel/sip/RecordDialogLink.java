package org.sessiontimer.camel.sip;

import java.util.List;

import javax.sip.ClientTransaction;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.URI;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;

import org.sessiontimer.camel.store.CallRecord;

/**
 * The requests of a call taken over from another node (K2, K3), built from its record as RFC 3261 §12.2.1.1 says:
 * the Request-URI is the peer's Contact, the route set becomes Route headers, From and To carry the dialog's tags.
 * The stack holds no dialog for such a call (it never saw it set up), so JAIN-SIP's transactions carry the requests,
 * its router follows the Route headers, and our Contact makes the first of them a target refresh: the peer's later
 * requests come to this node.
 */
final class RecordDialogLink implements DialogLink {

    private final SipAgent agent;
    private final CallManager manager;

    RecordDialogLink(SipAgent agent, CallManager manager) {
        this.agent = agent;
        this.manager = manager;
    }

    @Override
    public Request createRequest(String method, CallRecord record) throws Exception {
        HeaderFactory headers = agent.headerFactory();
        AddressFactory addresses = agent.addressFactory();
        CallRecord.DialogAddress dialog = record.dialog();
        URI target = addresses.createURI(dialog.remoteTarget());
        FromHeader from = headers.createFromHeader(addresses.createAddress(dialog.localUri()), dialog.localTag());
        ToHeader to = headers.createToHeader(addresses.createAddress(dialog.remoteUri()), dialog.remoteTag());
        Request request = agent.messageFactory().createRequest(target, method,
                headers.createCallIdHeader(record.callId()), headers.createCSeqHeader(record.localCSeq(), method),
                from, to, List.of(manager.newVia(dialog.transport())), headers.createMaxForwardsHeader(70));
        for (String route : dialog.routeSet()) {
            Address hop = addresses.createAddress(route);
            request.addLast(headers.createRouteHeader(hop));
        }
        request.addHeader(manager.contact(dialog.transport(), SipMessages.isSips(target)));
        return request;
    }

    @Override
    public void send(ClientTransaction transaction) throws Exception {
        transaction.sendRequest();
    }

    @Override
    public void ack(long inviteCSeq, CallRecord record) throws Exception {
        // an ACK for a 2xx is a request of its own, outside any transaction (RFC 3261 §13.2.2.4)
        Request ack = createRequest(Request.ACK, record);
        ack.removeHeader(javax.sip.header.ContactHeader.NAME);
        ack.setHeader(agent.headerFactory().createCSeqHeader(inviteCSeq, Request.ACK));
        agent.provider().sendRequest(ack);
    }

    @Override
    public boolean isTerminated() {
        return false;
    }
}
