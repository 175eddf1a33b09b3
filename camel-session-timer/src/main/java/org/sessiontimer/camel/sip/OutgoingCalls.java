package org.sessiontimer.camel.sip;

import java.text.ParseException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ResponseEvent;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.address.Address;
import javax.sip.address.URI;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.sessiontimer.camel.auth.DigestAuthenticator;
import org.sessiontimer.camel.auth.DigestCredentials;
import org.sessiontimer.camel.auth.UnansweredChallengeException;
import org.sessiontimer.camel.core.Role;
import org.sessiontimer.camel.core.SessionTimerConfig;
import org.sessiontimer.camel.core.SipHeader;
import org.sessiontimer.camel.core.TimerScheduler;
import org.sessiontimer.camel.core.UacResult;
import org.sessiontimer.camel.core.UacRetry;
import org.sessiontimer.camel.sdp.SdpOrigin;
import org.sessiontimer.camel.store.SessionStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls we place (C1-C5): the INVITE with our timer headers, its retries after 422 and after 401/407 (R13), the 2xx
 * that sets up the timer, and giving up on a call that is not answered (CANCEL, and a 2xx that crosses it).
 */
final class OutgoingCalls {

    private static final Logger LOG = LoggerFactory.getLogger(OutgoingCalls.class);

    private final CallManager manager;
    private final SipAgent agent;
    private final CallRegistry registry;
    private final TimerScheduler scheduler;

    OutgoingCalls(CallManager manager, SipAgent agent, CallRegistry registry, TimerScheduler scheduler) {
        this.manager = manager;
        this.agent = agent;
        this.registry = registry;
        this.scheduler = scheduler;
    }

    /** See {@link CallManager#invite}. */
    CompletableFuture<SipCall> invite(String to, String from, String outboundProxy, byte[] sdpOffer,
                                      SessionTimerConfig config, long answerTimeoutMillis,
                                      DigestCredentials credentials) {
        CompletableFuture<SipCall> result = new CompletableFuture<>();
        try {
            SipProvider provider = agent.provider();
            HeaderFactory headers = agent.headerFactory();
            Address toAddress;
            try {
                toAddress = agent.addressFactory().createAddress(to);
            } catch (ParseException e) {
                result.completeExceptionally(new IllegalArgumentException("Not a valid SIP URI: '" + to + "' ("
                                                                          + e.getMessage() + ")", e));
                return result;
            }
            URI requestUri = toAddress.getURI();
            Address proxy = outboundProxy == null || outboundProxy.isBlank() ? null : OutboundProxy.parse(outboundProxy);
            // the first hop decides the transport, as JAIN-SIP's router does: the proxy when there is one
            URI firstHop = proxy != null ? proxy.getURI() : requestUri;
            String transport = agent.transportFor(firstHop);
            // RFC 3261 §8.1.1.8: a sips: Request-URI or top Route wants a sips: Contact
            boolean secure = SipMessages.isSips(requestUri) || SipMessages.isSips(firstHop);
            Address fromAddress = agent.addressFactory().createAddress(
                    from != null ? from : "sip:camel@" + agent.settings().host() + ":" + agent.settings().port());
            CallIdHeader callId = provider.getNewCallId();
            Request invite = agent.messageFactory().createRequest(requestUri, Request.INVITE, callId,
                    headers.createCSeqHeader(1L, Request.INVITE),
                    headers.createFromHeader(fromAddress, SipMessages.newTag()),
                    headers.createToHeader(toAddress, null),
                    List.of(manager.newVia(transport)),
                    headers.createMaxForwardsHeader(70));
            if (proxy != null) {
                invite.addHeader(headers.createRouteHeader(proxy)); // a preloaded route (RFC 3261 §8.1.2)
            }
            invite.addHeader(manager.contact(transport, secure));
            SipMessages.addAllow(headers, invite);
            SipCall call = new SipCall(manager, callId.getCallId(), Role.UAC, config, fromAddress.toString(), to, false);
            SipMessages.addHeaders(headers, invite, call.negotiation().initialRequestHeaders()); // C1
            SipMessages.setSdpBody(headers, invite, sdpOffer);
            call.localSdp(sdpOffer);
            call.credentials(credentials);
            call.initialInvite(invite);
            call.established(result);
            registry.add(call);
            // the INVITE transaction itself waits for ever once the callee rings (RFC 3261 §17.1.1.2)
            call.answerTimer(AnswerDeadline.arm(scheduler, answerTimeoutMillis, () -> giveUp(call, answerTimeoutMillis)));
            try {
                sendInitialInvite(call, invite);
            } catch (SipException e) {
                endEarly(call, new SipCallException(0, "Cannot send INVITE to " + to + ": " + e.getMessage(), e));
            }
        } catch (Exception e) {
            result.completeExceptionally(new SipCallException(0, "Cannot place call to " + to + ": " + e.getMessage(), e));
        }
        return result;
    }

    private void sendInitialInvite(SipCall call, Request invite) throws SipException {
        sendInitialInvite(call, agent.provider().getNewClientTransaction(invite));
    }

    private void sendInitialInvite(SipCall call, ClientTransaction transaction) throws SipException {
        manager.prepare(transaction, call);
        call.inviteClientTransaction(transaction);
        call.dialog(agent.provider().getNewDialog(transaction));
        transaction.sendRequest();
    }

    void onInitialInviteResponse(SipCall call, ResponseEvent event) {
        Response response = event.getResponse();
        int status = response.getStatusCode();
        if (status < 200) {
            byte[] earlyMedia = SipMessages.body(response);
            if (earlyMedia.length > 0 && status > 100) {
                LOG.info("Early media ({}) for Call-ID={}", status, call.callId());
                manager.handler().callEvent(call, CallEvent.EARLY_MEDIA, status + " " + response.getReasonPhrase(),
                        earlyMedia);
            }
            return;
        }
        synchronized (call) {
            if (call.state() != SipCall.State.EARLY) {
                return;
            }
            if (status >= 300) {
                onInitialInviteFailure(call, event);
                return;
            }
            Dialog dialog = event.getDialog() != null ? event.getDialog() : event.getClientTransaction().getDialog();
            call.dialog(dialog);
            long cseq = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber();
            try {
                dialog.sendAck(dialog.createAck(cseq));
            } catch (Exception e) {
                LOG.warn("Cannot ACK 2xx of Call-ID={}: {}", call.callId(), e.getMessage());
            }
            call.link(new StackDialogLink(manager, dialog));
            call.state(SipCall.State.CONFIRMED);
            call.remoteSdp(SipMessages.body(response));
            call.remoteOrigin(SdpOrigin.of(SipMessages.body(response))); // R15: a later offer changes it
            call.refreshPolicy().peerAllowsUpdate(SipMessages.allows(response, Request.UPDATE));
            UacResult result = call.negotiation().on2xx(RawTimerHeaders.of(response).sessionExpires(), Role.UAC);
            if (result instanceof UacResult.Fail fail) {
                LOG.warn("Call-ID={} answered without an acceptable session timer: {}", call.callId(), fail.reason());
                call.releaseSetupState();
                manager.sendBye(call, "unacceptable 2xx: " + fail.reason());
                // reported once the state is freed, so whoever waits on the call sees it gone
                call.established().completeExceptionally(new SipCallException(status, fail.reason(), null));
                return;
            }
            if (result instanceof UacResult.Timer t) {
                LOG.info("Negotiated session timer from 2xx sessionExpires={} refresher={} Call-ID={}",
                        t.interval(), t.refresher().token(), call.callId());
                call.applyTimer(t.interval(), t.weRefresh(), false);
            } else {
                LOG.info("Call-ID={} established without session timer (no Session-Expires in 2xx)", call.callId());
            }
            try {
                manager.record(call, DialogAddresses.ofOutgoing(call.initialInvite(), response), cseq, -1); // K1
            } catch (SessionStoreException e) {
                LOG.warn("Cannot record Call-ID={} in the session store ({}); ending it", call.callId(), e.getMessage());
                call.releaseSetupState();
                manager.sendBye(call, "not recorded: " + e.getMessage());
                call.established().completeExceptionally(new SipCallException(Response.SERVICE_UNAVAILABLE,
                        "the session store cannot record the call: " + e.getMessage(), e));
                return;
            }
            call.releaseSetupState();
        }
        manager.handler().callEvent(call, CallEvent.CONFIRMED, null);
        call.established().complete(call);
    }

    /** Called with the call's lock held. */
    private void onInitialInviteFailure(SipCall call, ResponseEvent event) {
        Response response = event.getResponse();
        int status = response.getStatusCode();
        if (DigestAuthenticator.isChallenge(status)) {
            resendWithCredentials(call, event);
            return;
        }
        if (status == CallManager.SESSION_INTERVAL_TOO_SMALL) {
            UacRetry retry = call.negotiation().on422(RawTimerHeaders.of(response).minSe()); // C4
            if (retry instanceof UacRetry.Retry r) {
                try {
                    Request again = nextAttempt(call.initialInvite(), r.headers());
                    call.initialInvite(again);
                    LOG.info("422 Session Interval Too Small for Call-ID={}; retrying with {}", call.callId(),
                            r.headers());
                    sendInitialInvite(call, again);
                    manager.recorder().retriedAfter422();
                    return;
                } catch (Exception e) {
                    endEarly(call, new SipCallException(status, "Cannot retry after 422: " + e.getMessage(), e));
                    return;
                }
            }
            endEarly(call, new SipCallException(status, ((UacRetry.Fail) retry).reason(), null));
            return;
        }
        endEarly(call, new SipCallException(status, status + " " + response.getReasonPhrase(), null));
    }

    /** R13: the INVITE again with credentials; a challenge we cannot answer fails the call, naming why. */
    private void resendWithCredentials(SipCall call, ResponseEvent event) {
        int status = event.getResponse().getStatusCode();
        try {
            ClientTransaction again = manager.answerChallenge(call, event);
            call.initialInvite(again.getRequest());
            LOG.info("{} to the INVITE of Call-ID={}; sending it again with credentials", status, call.callId());
            sendInitialInvite(call, again);
        } catch (UnansweredChallengeException e) {
            endEarly(call, new SipCallException(status, e.getMessage(), e));
        } catch (Exception e) {
            endEarly(call, new SipCallException(status, "Cannot send the INVITE again with credentials: "
                                                        + e.getMessage(), e));
        }
    }

    /**
     * The same INVITE with CSeq + 1, a new branch and the raised timer headers (C4), without the credentials of an
     * earlier attempt: their nonce was for that one; a challenge to this one is answered anew (R13).
     */
    private Request nextAttempt(Request previous, List<SipHeader> timerHeaders) throws Exception {
        Request next = (Request) previous.clone();
        next.removeHeader(AuthorizationHeader.NAME);
        next.removeHeader(ProxyAuthorizationHeader.NAME);
        CSeqHeader cseq = (CSeqHeader) next.getHeader(CSeqHeader.NAME);
        cseq.setSeqNumber(cseq.getSeqNumber() + 1);
        ViaHeader via = (ViaHeader) next.getHeader(ViaHeader.NAME);
        next.removeHeader(ViaHeader.NAME);
        next.addHeader(manager.newVia(via.getTransport()));
        SipMessages.addHeaders(agent.headerFactory(), next, timerHeaders);
        return next;
    }

    void endEarly(SipCall call, SipCallException failure) {
        LOG.info("Call-ID={} failed: {}", call.callId(), failure.getMessage());
        manager.terminate(call, "failed: " + failure.getMessage());
        call.established().completeExceptionally(failure);
    }

    /** Cancels an outgoing call that has no final answer yet (RFC 3261 §9.1). Called with the lock held. */
    void cancel(SipCall call, SipCallException failure) {
        ClientTransaction invite = call.inviteClientTransaction();
        if (invite != null) {
            try {
                agent.provider().getNewClientTransaction(invite.createCancel()).sendRequest();
            } catch (Exception e) {
                LOG.debug("Cannot CANCEL Call-ID={}: {}", call.callId(), e.toString());
            }
        }
        endEarly(call, failure);
    }

    private void giveUp(SipCall call, long answerTimeoutMillis) {
        synchronized (call) {
            if (call.state() == SipCall.State.EARLY) {
                cancel(call, new SipCallException(Response.REQUEST_TIMEOUT,
                        "no answer within " + answerTimeoutMillis + " ms", null));
            }
        }
    }

    /** A 2xx that arrives after we gave up on the call (CANCEL crossed it): ACK it and end the dialog (§15). */
    void onLateSuccess(SipCall call, ResponseEvent event) {
        Dialog dialog = event.getDialog();
        if (dialog == null) {
            return;
        }
        try {
            long cseq = ((CSeqHeader) event.getResponse().getHeader(CSeqHeader.NAME)).getSeqNumber();
            dialog.sendAck(dialog.createAck(cseq));
            Request bye = dialog.createRequest(Request.BYE);
            manager.stampOurAddress(bye);
            manager.advertiseTimer(call.config(), bye);
            dialog.sendRequest(agent.provider().getNewClientTransaction(bye));
            LOG.info("Call-ID={} answered after it was given up; sent ACK and BYE", call.callId());
        } catch (Exception e) {
            LOG.warn("Cannot end late-answered Call-ID={}: {}", call.callId(), e.getMessage());
        }
    }
}
