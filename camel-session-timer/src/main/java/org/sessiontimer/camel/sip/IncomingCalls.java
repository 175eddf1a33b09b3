package org.sessiontimer.camel.sip;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;

import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.sessiontimer.camel.core.MinSe;
import org.sessiontimer.camel.core.Refresher;
import org.sessiontimer.camel.core.Role;
import org.sessiontimer.camel.core.SessionTimerConfig;
import org.sessiontimer.camel.core.TimerRequest;
import org.sessiontimer.camel.core.UasDecision;
import org.sessiontimer.camel.core.UasNegotiator;
import org.sessiontimer.camel.metrics.RejectionReason;
import org.sessiontimer.camel.sdp.SdpOrigin;
import org.sessiontimer.camel.store.SessionStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls we take (S1-S6): the INVITE negotiated before any route sees it, then answered, rung or rejected by the Camel
 * face from any thread; CANCEL before the answer, and the ACK that confirms the call.
 */
final class IncomingCalls {

    private static final Logger LOG = LoggerFactory.getLogger(IncomingCalls.class);

    private final CallManager manager;
    private final SipAgent agent;
    private final CallRegistry registry;

    IncomingCalls(CallManager manager, SipAgent agent, CallRegistry registry) {
        this.manager = manager;
        this.agent = agent;
        this.registry = registry;
    }

    void onNewInvite(RequestEvent event) throws Exception {
        if (RefusedCalls.refused(manager, agent, event)) {
            return; // a limit answered 403/503 or dropped it, before any state (limits.AdmissionControl)
        }
        Request request = event.getRequest();
        ServerTransaction transaction = manager.serverTransaction(event);
        if (transaction == null) {
            return; // a retransmission the transaction layer already owns
        }
        // T1 of our 2xx's retransmissions too, and so of the 64*T1 we wait for its ACK (RFC 3261 §13.3.1.4)
        transaction.setRetransmitTimer(agent.settings().transactionT1Millis());
        String callId = SipMessages.callIdOf(request);
        RawTimerHeaders.Values raw = RawTimerHeaders.of(request);
        boolean supportsTimer = SipMessages.hasOptionTag(request, "Supported", SipMessages.TIMER);
        UasNegotiator negotiator = manager.inboundNegotiator(); // once: a consumer may replace it meanwhile
        SessionTimerConfig config = negotiator.config();
        UasDecision decision = negotiator.negotiate(new TimerRequest(raw.sessionExpires(), raw.minSe(), supportsTimer));
        if (decision instanceof UasDecision.Reject reject) {
            LOG.info("Rejected INVITE Call-ID={} with {} {}", callId, reject.statusCode(), reject.reasonPhrase());
            manager.recorder().inviteRejected(RejectionReason.ofNegotiation(reject.statusCode()));
            Response response = agent.messageFactory().createResponse(reject.statusCode(), request);
            response.setReasonPhrase(reject.reasonPhrase());
            ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(SipMessages.newTag());
            SipMessages.addHeaders(agent.headerFactory(), response, reject.responseHeaders());
            transaction.sendResponse(response);
            return;
        }
        SipCall adopted = manager.adoptedBy(request);
        if (adopted != null) {
            answerAgain(adopted, request, transaction, decision);
            return;
        }
        FromHeader from = (FromHeader) request.getHeader(FromHeader.NAME);
        ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
        SipCall call = new SipCall(manager, callId, Role.UAS, config, to.getAddress().toString(), from.getAddress().toString(),
                SipMessages.allows(request, Request.UPDATE));
        if (!registry.add(call)) {
            LOG.warn("INVITE for Call-ID={} that is already in progress; answering 482", callId);
            transaction.sendResponse(agent.messageFactory().createResponse(Response.LOOP_DETECTED, request));
            return;
        }
        MinSe requestMinSe = call.observeMinSe(raw);
        if (requestMinSe != null && requestMinSe.raisedToFloor()) {
            LOG.warn("Min-SE {} of Call-ID={} is below {}; read as {} (H2)", String.join(", ", raw.minSe()), callId,
                    config.labFloor(), requestMinSe.seconds());
        }
        if (decision instanceof UasDecision.Accept accept) {
            LOG.info("Negotiated session timer from INVITE sessionExpires={} minSE={} refresher={} Call-ID={}",
                    accept.interval(), requestMinSe.seconds(), accept.refresher().token(), callId);
        }
        synchronized (call) {
            call.initialInvite(request);
            call.inviteServerTransaction(transaction);
            call.dialog(agent.provider().getNewDialog(transaction));
            call.localTag(SipMessages.newTag());
            call.pendingDecision(decision);
            call.remoteOrigin(SdpOrigin.of(SipMessages.body(request))); // R15: a later offer changes it
            long answerTimeout = manager.inboundAnswerTimeout();
            call.answerTimer(AnswerDeadline.arm(manager.scheduler(), answerTimeout, () -> giveUp(call, answerTimeout)));
        }
        manager.handler().incomingCall(call, SipMessages.body(request));
    }

    /**
     * K2: the 2xx the node that answered this INVITE sent, or was about to send, before it left, rebuilt from the
     * record: its To tag, our session description, the timer as negotiated (the same request negotiates the same).
     * Sent without a dialog, so nothing retransmits it: if it is lost too, the caller's next retransmission gets it.
     */
    private void answerAgain(SipCall call, Request invite, ServerTransaction transaction, UasDecision decision)
            throws Exception {
        Response ok;
        synchronized (call) {
            String sdp = call.localSdp();
            ok = okTo(invite, call.stored().dialog().localTag(), call.config(), decision,
                    sdp == null ? null : sdp.getBytes(StandardCharsets.UTF_8));
        }
        LOG.info("INVITE of Call-ID={} retransmitted after the node that answered it left; answering it again",
                call.callId());
        transaction.sendResponse(ok);
    }

    /**
     * The 2xx to an initial INVITE: our To tag and Contact, Allow, the timer headers the negotiation decided (H4; mode
     * off advertises nothing) and our session description.
     */
    private Response okTo(Request invite, String localTag, SessionTimerConfig config, UasDecision decision, byte[] sdp)
            throws ParseException {
        Response ok = agent.messageFactory().createResponse(Response.OK, invite);
        ((ToHeader) ok.getHeader(ToHeader.NAME)).setTag(localTag);
        ok.addHeader(manager.contact(SipMessages.transportOf(invite), SipMessages.wantsSipsContact(invite)));
        SipMessages.addAllow(agent.headerFactory(), ok);
        SipMessages.addHeaders(agent.headerFactory(), ok, decision.responseHeaders());
        manager.advertiseTimer(config, ok);
        SipMessages.setSdpBody(agent.headerFactory(), ok, sdp);
        return ok;
    }

    /** The answering route did not decide within {@code answerTimeout}: the caller hears 480 rather than ringing on. */
    private void giveUp(SipCall call, long answerTimeoutMillis) {
        synchronized (call) {
            if (call.state() == SipCall.State.EARLY && call.inviteServerTransaction() != null) {
                LOG.info("Call-ID={} not answered within {} ms (answerTimeout); answering 480", call.callId(),
                        answerTimeoutMillis);
                reject(call, Response.TEMPORARILY_UNAVAILABLE, "No Answer");
            }
        }
    }

    boolean answer(SipCall call, byte[] sdpAnswer) {
        synchronized (call) {
            if (call.state() != SipCall.State.EARLY || call.inviteServerTransaction() == null) {
                return false;
            }
            UasDecision decision = call.pendingDecision();
            boolean sent = false;
            try {
                Request request = call.initialInvite();
                Response ok = okTo(request, call.localTag(), call.config(), decision, sdpAnswer);
                call.localSdp(sdpAnswer);
                if (decision instanceof UasDecision.Accept accept) {
                    call.applyTimer(accept.interval(), accept.refresher() == Refresher.UAS, false);
                }
                if (!recordBeforeAnswering(call, request)) {
                    return false;
                }
                ServerTransaction transaction = call.inviteServerTransaction();
                transaction.sendResponse(ok);
                sent = true;
                call.link(new StackDialogLink(manager, call.dialog()));
                call.state(SipCall.State.CONFIRMED);
                call.releaseSetupState();
                call.pendingDecision(null);
            } catch (Exception e) {
                if (sent) {
                    // the peer holds a 200 and a dialog: end it on the wire, not only here
                    LOG.warn("Answered Call-ID={} but cannot keep it: {}; ending it with BYE", call.callId(), e.toString());
                    manager.sendBye(call, "answer failed: " + e.getMessage());
                } else {
                    LOG.warn("Cannot answer Call-ID={}: {}", call.callId(), e.getMessage());
                    manager.terminate(call, "answer failed: " + e.getMessage());
                }
                return false;
            }
        }
        return true;
    }

    /**
     * K1: the call is recorded before the peer holds a 2xx, so another node can speak for it from the first moment;
     * a store that cannot take it (minority side of a partition) gets the call refused with 503 instead.
     */
    private boolean recordBeforeAnswering(SipCall call, Request invite) {
        try {
            long inviteCSeq = ((javax.sip.header.CSeqHeader) invite.getHeader(javax.sip.header.CSeqHeader.NAME))
                    .getSeqNumber();
            manager.record(call, DialogAddresses.ofIncoming(invite, call.localTag()), 0, inviteCSeq);
            return true;
        } catch (SessionStoreException e) {
            LOG.warn("Cannot record Call-ID={} in the session store ({}); answering 503", call.callId(), e.getMessage());
            reject(call, Response.SERVICE_UNAVAILABLE, null);
            return false;
        }
    }

    void ringing(SipCall call) {
        synchronized (call) {
            if (call.state() != SipCall.State.EARLY || call.inviteServerTransaction() == null) {
                return;
            }
            try {
                Response ringing = agent.messageFactory().createResponse(Response.RINGING, call.initialInvite());
                ((ToHeader) ringing.getHeader(ToHeader.NAME)).setTag(call.localTag());
                ringing.addHeader(manager.contact(SipMessages.transportOf(call.initialInvite()),
                        SipMessages.wantsSipsContact(call.initialInvite())));
                call.inviteServerTransaction().sendResponse(ringing);
            } catch (Exception e) {
                LOG.debug("Cannot send 180 for Call-ID={}: {}", call.callId(), e.toString());
            }
        }
    }

    boolean reject(SipCall call, int statusCode, String reasonPhrase) {
        synchronized (call) {
            if (call.state() != SipCall.State.EARLY || call.inviteServerTransaction() == null) {
                return false;
            }
            ServerTransaction transaction = call.inviteServerTransaction();
            Request invite = call.initialInvite();
            // freed first: the final answer ends the early dialog, and the stack reports that at once
            manager.terminate(call, "rejected " + statusCode);
            try {
                Response response = agent.messageFactory().createResponse(statusCode, invite);
                if (reasonPhrase != null && !reasonPhrase.isBlank()) {
                    response.setReasonPhrase(reasonPhrase);
                }
                ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(call.localTag());
                transaction.sendResponse(response);
            } catch (Exception e) {
                LOG.warn("Cannot reject Call-ID={} with {}: {}", call.callId(), statusCode, e.getMessage());
            }
        }
        return true;
    }

    void onCancel(RequestEvent event) throws Exception {
        Request cancel = event.getRequest();
        ServerTransaction transaction = manager.serverTransaction(event);
        if (transaction == null) {
            return;
        }
        SipCall call = registry.get(SipMessages.callIdOf(cancel));
        if (call == null || call.role() != Role.UAS) {
            transaction.sendResponse(agent.messageFactory().createResponse(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, cancel));
            return;
        }
        transaction.sendResponse(agent.messageFactory().createResponse(Response.OK, cancel));
        synchronized (call) {
            if (call.state() != SipCall.State.EARLY || call.inviteServerTransaction() == null) {
                return; // already answered: the UAC will send BYE
            }
            Response terminated = agent.messageFactory().createResponse(Response.REQUEST_TERMINATED, call.initialInvite());
            ((ToHeader) terminated.getHeader(ToHeader.NAME)).setTag(call.localTag());
            ServerTransaction invite = call.inviteServerTransaction();
            manager.terminate(call, "cancelled"); // first, as in reject
            invite.sendResponse(terminated);
        }
    }

    void onAck(RequestEvent event) {
        SipCall call = registry.get(SipMessages.callIdOf(event.getRequest()));
        if (call == null) {
            return;
        }
        if (call.role() == Role.UAS && call.markAcked()) {
            manager.handler().callEvent(call, CallEvent.CONFIRMED, null);
        }
        byte[] sdp = SipMessages.body(event.getRequest());
        if (sdp.length > 0 && tookAnswer(call, sdp)) {
            manager.handler().callEvent(call, CallEvent.ANSWER, null, sdp);
        }
    }

    /**
     * R15: the answer to the offer in our 2xx to an INVITE without one (delayed offer, or an offerless re-INVITE),
     * which tells us the peer's o= from now on. False for an ACK that answers nothing of ours.
     */
    private boolean tookAnswer(SipCall call, byte[] sdp) {
        synchronized (call) {
            boolean delayedOffer = call.remoteOrigin() == null;
            if (call.state() != SipCall.State.CONFIRMED || !call.answerInAck() && !delayedOffer) {
                return false;
            }
            call.answerInAck(false);
            call.remoteOrigin(SdpOrigin.of(sdp));
            return call.stored() == null || manager.recordSession(call, stored -> stored);
        }
    }
}
