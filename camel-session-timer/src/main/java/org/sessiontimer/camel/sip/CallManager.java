package org.sessiontimer.camel.sip;

import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.random.RandomGenerator;

import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionState;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.Address;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.sessiontimer.camel.core.MinSe;
import org.sessiontimer.camel.core.Refresher;
import org.sessiontimer.camel.core.Role;
import org.sessiontimer.camel.core.SessionTimer;
import org.sessiontimer.camel.core.SessionTimerConfig;
import org.sessiontimer.camel.core.SessionTimerHeaders;
import org.sessiontimer.camel.core.SipHeader;
import org.sessiontimer.camel.core.TimerRequest;
import org.sessiontimer.camel.core.TimerScheduler;
import org.sessiontimer.camel.core.UacResult;
import org.sessiontimer.camel.core.UacRetry;
import org.sessiontimer.camel.core.UasDecision;
import org.sessiontimer.camel.core.UasNegotiator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call logic of one SIP agent: INVITE dialogs in both directions with RFC 4028 session timers, on top of
 * JAIN-SIP's transactions and dialogs. Listener methods never throw into JAIN-SIP and never block: decisions that
 * take time (answering a call) are handed to the {@link CallHandler} and come back through {@link SipCall}.
 */
public final class CallManager implements SipListener {

    private static final Logger LOG = LoggerFactory.getLogger(CallManager.class);
    /** RFC 4028 §6; javax.sip's Response has no constant for it. */
    private static final int SESSION_INTERVAL_TOO_SMALL = 422;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final SipAgent agent;
    private final CallRegistry registry;
    private final Map<String, ContactHeader> contacts = new ConcurrentHashMap<>();
    private final TimerScheduler scheduler;
    private final RandomGenerator random;
    private volatile CallHandler handler;
    private volatile SessionTimerConfig inboundConfig;
    private volatile UasNegotiator inboundNegotiator;

    public CallManager(SipAgent agent, CallRegistry registry, TimerScheduler scheduler, RandomGenerator random,
                       SessionTimerConfig inboundConfig, CallHandler handler) {
        this.agent = agent;
        this.registry = registry;
        this.scheduler = scheduler;
        this.random = random;
        this.handler = handler;
        inboundConfig(inboundConfig);
    }

    /** The configuration that negotiates incoming calls and incoming refreshes of calls we took. */
    public void inboundConfig(SessionTimerConfig config) {
        this.inboundConfig = config;
        this.inboundNegotiator = new UasNegotiator(config);
    }

    public void handler(CallHandler newHandler) {
        this.handler = newHandler;
    }

    CallHandler handler() {
        return handler;
    }

    TimerScheduler scheduler() {
        return scheduler;
    }

    RandomGenerator random() {
        return random;
    }

    // =====================================================================================================
    // Outgoing calls (C1-C5)
    // =====================================================================================================

    /**
     * Places a call. The future completes with the established call (2xx received and ACKed, timer running as
     * negotiated) or exceptionally with a {@link SipCallException}; a call still unanswered after
     * {@code answerTimeoutMillis} is cancelled and fails with 408.
     */
    public CompletableFuture<SipCall> invite(String to, String from, byte[] sdpOffer, SessionTimerConfig config,
                                             long answerTimeoutMillis) {
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
            String transport = agent.transportFor(SipMessages.transportParam(requestUri));
            Address fromAddress = agent.addressFactory().createAddress(
                    from != null ? from : "sip:camel@" + agent.settings().host() + ":" + agent.settings().port());
            CallIdHeader callId = provider.getNewCallId();
            Request invite = agent.messageFactory().createRequest(requestUri, Request.INVITE, callId,
                    headers.createCSeqHeader(1L, Request.INVITE),
                    headers.createFromHeader(fromAddress, newTag()),
                    headers.createToHeader(toAddress, null),
                    List.of(newVia(transport)),
                    headers.createMaxForwardsHeader(70));
            invite.addHeader(contact(transport));
            SipMessages.addAllow(headers, invite);
            SipCall call = new SipCall(this, callId.getCallId(), Role.UAC, config, fromAddress.toString(), to, false);
            SipMessages.addHeaders(headers, invite, call.negotiation().initialRequestHeaders()); // C1
            SipMessages.setSdpBody(headers, invite, sdpOffer);
            call.localSdp(sdpOffer);
            call.initialInvite(invite);
            call.established(result);
            registry.add(call);
            // the INVITE transaction itself waits for ever once the callee rings (RFC 3261 §17.1.1.2)
            call.answerTimer(scheduler.schedule(() -> giveUp(call, answerTimeoutMillis), answerTimeoutMillis));
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
        ClientTransaction transaction = agent.provider().getNewClientTransaction(invite);
        prepare(transaction, call);
        call.inviteClientTransaction(transaction);
        transaction.sendRequest();
    }

    private void onInitialInviteResponse(SipCall call, ResponseEvent event) {
        Response response = event.getResponse();
        int status = response.getStatusCode();
        if (status < 200) {
            return;
        }
        synchronized (call) {
            if (call.state() != SipCall.State.EARLY) {
                return;
            }
            if (status >= 300) {
                onInitialInviteFailure(call, response);
                return;
            }
            Dialog dialog = event.getDialog() != null ? event.getDialog() : event.getClientTransaction().getDialog();
            call.dialog(dialog);
            try {
                long cseq = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber();
                dialog.sendAck(dialog.createAck(cseq));
            } catch (Exception e) {
                LOG.warn("Cannot ACK 2xx of Call-ID={}: {}", call.callId(), e.getMessage());
            }
            call.state(SipCall.State.CONFIRMED);
            call.remoteSdp(SipMessages.body(response));
            call.refreshPolicy().peerAllowsUpdate(SipMessages.allows(response, Request.UPDATE));
            UacResult result = call.negotiation().on2xx(RawTimerHeaders.of(response).sessionExpires(), Role.UAC);
            if (result instanceof UacResult.Fail fail) {
                LOG.warn("Call-ID={} answered without an acceptable session timer: {}", call.callId(), fail.reason());
                call.releaseSetupState();
                sendBye(call, "unacceptable 2xx: " + fail.reason());
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
            call.releaseSetupState();
        }
        handler.callEvent(call, CallEvent.CONFIRMED, null);
        call.established().complete(call);
    }

    /** Called with the call's lock held. */
    private void onInitialInviteFailure(SipCall call, Response response) {
        int status = response.getStatusCode();
        if (status == SESSION_INTERVAL_TOO_SMALL) {
            UacRetry retry = call.negotiation().on422(RawTimerHeaders.of(response).minSe()); // C4
            if (retry instanceof UacRetry.Retry r) {
                try {
                    Request again = nextAttempt(call.initialInvite(), r.headers());
                    call.initialInvite(again);
                    LOG.info("422 Session Interval Too Small for Call-ID={}; retrying with {}", call.callId(),
                            r.headers());
                    sendInitialInvite(call, again);
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

    /** The same INVITE with CSeq + 1, a new branch and the raised timer headers (C4). */
    private Request nextAttempt(Request previous, List<SipHeader> timerHeaders) throws Exception {
        Request next = (Request) previous.clone();
        CSeqHeader cseq = (CSeqHeader) next.getHeader(CSeqHeader.NAME);
        cseq.setSeqNumber(cseq.getSeqNumber() + 1);
        ViaHeader via = (ViaHeader) next.getHeader(ViaHeader.NAME);
        next.removeHeader(ViaHeader.NAME);
        next.addHeader(newVia(via.getTransport()));
        SipMessages.addHeaders(agent.headerFactory(), next, timerHeaders);
        return next;
    }

    private void endEarly(SipCall call, SipCallException failure) {
        LOG.info("Call-ID={} failed: {}", call.callId(), failure.getMessage());
        terminate(call, "failed: " + failure.getMessage());
        call.established().completeExceptionally(failure);
    }

    // =====================================================================================================
    // Incoming calls (S1-S6)
    // =====================================================================================================

    private void onNewInvite(RequestEvent event) throws Exception {
        Request request = event.getRequest();
        ServerTransaction transaction = serverTransaction(event);
        if (transaction == null) {
            return; // a retransmission the transaction layer already owns
        }
        String callId = callIdOf(request);
        RawTimerHeaders.Values raw = RawTimerHeaders.of(request);
        boolean supportsTimer = SipMessages.hasOptionTag(request, "Supported", SipMessages.TIMER);
        SessionTimerConfig config = inboundConfig;
        UasDecision decision = inboundNegotiator.negotiate(new TimerRequest(raw.sessionExpires(), raw.minSe(), supportsTimer));
        if (decision instanceof UasDecision.Reject reject) {
            LOG.info("Rejected INVITE Call-ID={} with {} {}", callId, reject.statusCode(), reject.reasonPhrase());
            Response response = agent.messageFactory().createResponse(reject.statusCode(), request);
            response.setReasonPhrase(reject.reasonPhrase());
            ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(newTag());
            SipMessages.addHeaders(agent.headerFactory(), response, reject.responseHeaders());
            transaction.sendResponse(response);
            return;
        }
        FromHeader from = (FromHeader) request.getHeader(FromHeader.NAME);
        ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
        SipCall call = new SipCall(this, callId, Role.UAS, config, to.getAddress().toString(), from.getAddress().toString(),
                SipMessages.allows(request, Request.UPDATE));
        if (!registry.add(call)) {
            LOG.warn("INVITE for Call-ID={} that is already in progress; answering 482", callId);
            transaction.sendResponse(agent.messageFactory().createResponse(Response.LOOP_DETECTED, request));
            return;
        }
        MinSe requestMinSe = observeMinSe(call, raw);
        if (requestMinSe != null && requestMinSe.raisedToFloor()) {
            LOG.warn("Min-SE {} of Call-ID={} is below {}; read as {} (H2)", raw.minSe(), callId,
                    config.labFloor(), requestMinSe.seconds());
        }
        if (decision instanceof UasDecision.Accept accept) {
            LOG.info("Negotiated session timer from INVITE sessionExpires={} minSE={} refresher={} Call-ID={}",
                    accept.interval(), requestMinSe.seconds(), accept.refresher().token(), callId);
        }
        synchronized (call) {
            call.initialInvite(request);
            call.inviteServerTransaction(transaction);
            call.localTag(newTag());
            call.pendingDecision(decision);
        }
        handler.incomingCall(call, SipMessages.body(request));
    }

    /**
     * C5: the request's Min-SE joins the largest one seen in the dialog. The negotiator has answered a malformed one
     * with 400 already; with the extension off it reads none of the timer headers, and neither do we (null).
     */
    private static MinSe observeMinSe(SipCall call, RawTimerHeaders.Values raw) {
        if (!call.config().isEnabled()) {
            return null;
        }
        MinSe minSe = SessionTimerHeaders.parseMinSe(raw.minSe(), call.config().labFloor());
        call.negotiation().observeMinSe(minSe.seconds());
        return minSe;
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
                Response ok = agent.messageFactory().createResponse(Response.OK, request);
                ((ToHeader) ok.getHeader(ToHeader.NAME)).setTag(call.localTag());
                ok.addHeader(contact(transportOf(request)));
                SipMessages.addAllow(agent.headerFactory(), ok);
                SipMessages.addHeaders(agent.headerFactory(), ok, responseHeaders(decision));
                advertiseTimer(call.config(), ok); // H4; mode off advertises nothing
                SipMessages.setSdpBody(agent.headerFactory(), ok, sdpAnswer);
                ServerTransaction transaction = call.inviteServerTransaction();
                transaction.sendResponse(ok);
                sent = true;
                call.dialog(transaction.getDialog());
                call.localSdp(sdpAnswer);
                call.state(SipCall.State.CONFIRMED);
                call.releaseSetupState();
                call.pendingDecision(null);
                if (decision instanceof UasDecision.Accept accept) {
                    call.applyTimer(accept.interval(), accept.refresher() == Refresher.UAS, false);
                }
            } catch (Exception e) {
                if (sent) {
                    // the peer holds a 200 and a dialog: end it on the wire, not only here
                    LOG.warn("Answered Call-ID={} but cannot keep it: {}; ending it with BYE", call.callId(), e.toString());
                    sendBye(call, "answer failed: " + e.getMessage());
                } else {
                    LOG.warn("Cannot answer Call-ID={}: {}", call.callId(), e.getMessage());
                    terminate(call, "answer failed: " + e.getMessage());
                }
                return false;
            }
        }
        return true;
    }

    private static List<SipHeader> responseHeaders(UasDecision decision) {
        if (decision instanceof UasDecision.Accept accept) {
            return accept.responseHeaders();
        }
        if (decision instanceof UasDecision.AcceptWithoutTimer none) {
            return none.responseHeaders();
        }
        return List.of();
    }

    void ringing(SipCall call) {
        synchronized (call) {
            if (call.state() != SipCall.State.EARLY || call.inviteServerTransaction() == null) {
                return;
            }
            try {
                Response ringing = agent.messageFactory().createResponse(Response.RINGING, call.initialInvite());
                ((ToHeader) ringing.getHeader(ToHeader.NAME)).setTag(call.localTag());
                ringing.addHeader(contact(transportOf(call.initialInvite())));
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
            try {
                Response response = agent.messageFactory().createResponse(statusCode, call.initialInvite());
                if (reasonPhrase != null && !reasonPhrase.isBlank()) {
                    response.setReasonPhrase(reasonPhrase);
                }
                ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(call.localTag());
                call.inviteServerTransaction().sendResponse(response);
            } catch (Exception e) {
                LOG.warn("Cannot reject Call-ID={} with {}: {}", call.callId(), statusCode, e.getMessage());
            }
            terminate(call, "rejected " + statusCode);
        }
        return true;
    }

    private void onCancel(RequestEvent event) throws Exception {
        Request cancel = event.getRequest();
        ServerTransaction transaction = serverTransaction(event);
        if (transaction == null) {
            return;
        }
        SipCall call = registry.get(callIdOf(cancel));
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
            call.inviteServerTransaction().sendResponse(terminated);
            terminate(call, "cancelled");
        }
    }

    private void onAck(RequestEvent event) {
        SipCall call = registry.get(callIdOf(event.getRequest()));
        if (call != null && call.role() == Role.UAS && call.markAcked()) {
            handler.callEvent(call, CallEvent.CONFIRMED, null);
        }
    }

    // =====================================================================================================
    // Refreshes we receive (R10, R11)
    // =====================================================================================================

    private void onRefreshRequest(RequestEvent event) throws Exception {
        Request request = event.getRequest();
        ServerTransaction transaction = serverTransaction(event);
        if (transaction == null) {
            return;
        }
        SipCall call = callOf(transaction, request);
        if (call == null) {
            return;
        }
        RawTimerHeaders.Values raw = RawTimerHeaders.of(request);
        boolean supportsTimer = SipMessages.hasOptionTag(request, "Supported", SipMessages.TIMER);
        UasDecision decision = new UasNegotiator(call.config())
                .negotiate(new TimerRequest(raw.sessionExpires(), raw.minSe(), supportsTimer));
        if (decision instanceof UasDecision.Reject reject) {
            LOG.info("Rejected {} refresh of Call-ID={} with {} {}", request.getMethod(), call.callId(),
                    reject.statusCode(), reject.reasonPhrase());
            Response response = agent.messageFactory().createResponse(reject.statusCode(), request);
            response.setReasonPhrase(reject.reasonPhrase());
            SipMessages.addHeaders(agent.headerFactory(), response, reject.responseHeaders());
            transaction.sendResponse(response);
            return;
        }
        Response ok = agent.messageFactory().createResponse(Response.OK, request);
        ok.addHeader(contact(transportOf(request)));
        SipMessages.addAllow(agent.headerFactory(), ok);
        SipMessages.addHeaders(agent.headerFactory(), ok, responseHeaders(decision));
        advertiseTimer(call.config(), ok);
        boolean isInvite = Request.INVITE.equals(request.getMethod());
        synchronized (call) {
            if (call.state() != SipCall.State.CONFIRMED) {
                transaction.sendResponse(agent.messageFactory().createResponse(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, request));
                return;
            }
            // The session description does not change in a refresh: a re-INVITE (with or without an offer) is
            // answered with the one we sent last, same o= version (RFC 3264 §8); an UPDATE refresh has no body.
            if (isInvite || SipMessages.body(request).length > 0) {
                SipMessages.setSdpBody(agent.headerFactory(), ok, call.localSdp());
            }
            transaction.sendResponse(ok);
            observeMinSe(call, raw);
            if (SipMessages.allows(request, Request.UPDATE)) {
                call.refreshPolicy().peerAllowsUpdate(true);
            }
            if (decision instanceof UasDecision.Accept accept) {
                call.applyTimer(accept.interval(), accept.refresher() == Refresher.UAS, true);
            } else {
                call.stopTimer();
            }
        }
        LOG.info("Session refresh received ({}) Call-ID={} sessionExpires={}", request.getMethod(), call.callId(),
                call.intervalSeconds());
        handler.callEvent(call, CallEvent.REFRESH_RECEIVED, request.getMethod());
    }

    // =====================================================================================================
    // Refreshes we send (R2-R8)
    // =====================================================================================================

    void sendRefresh(SipCall call) {
        synchronized (call) {
            if (call.state() != SipCall.State.CONFIRMED) {
                return;
            }
            if (call.refreshInProgress() != null) {
                LOG.debug("Refresh of Call-ID={} already in progress", call.callId());
                return;
            }
            String method = call.refreshPolicy().methodForNextRefresh();
            try {
                Dialog dialog = call.dialog();
                Request refresh = dialog.createRequest(method);
                long interval = call.intervalSeconds() > 0 ? call.intervalSeconds() : call.config().sessionExpires();
                SipMessages.addHeaders(agent.headerFactory(), refresh,
                        call.negotiation().refreshRequestHeaders(interval, true)); // R3, C5
                advertiseTimer(call.config(), refresh);
                SipMessages.addAllow(agent.headerFactory(), refresh);
                if (Request.INVITE.equals(method)) {
                    // R2: the current session description, unchanged (same o= version, RFC 3264 §8)
                    SipMessages.setSdpBody(agent.headerFactory(), refresh, call.localSdp());
                }
                ClientTransaction transaction = agent.provider().getNewClientTransaction(refresh);
                prepare(transaction, call);
                call.refreshInProgress(transaction);
                LOG.info("Sending session refresh ({}) Call-ID={} sessionExpires={}", method, call.callId(), interval);
                dialog.sendRequest(transaction);
                // R7 also when the peer only answers 1xx: a proceeding INVITE transaction never times out by itself
                long answerDeadline = 64L * agent.settings().transactionT1Millis();
                call.refreshDeadline(scheduler.schedule(() -> refreshUnanswered(call, transaction), answerDeadline));
            } catch (Exception e) {
                call.refreshInProgress(null);
                LOG.warn("Cannot send session refresh for Call-ID={}: {}", call.callId(), e.getMessage());
            }
        }
    }

    /** No final answer to our refresh within 64*T1 (timer B's span): the session is over (R7). */
    private void refreshUnanswered(SipCall call, ClientTransaction transaction) {
        synchronized (call) {
            if (call.refreshInProgress() == transaction && call.state() == SipCall.State.CONFIRMED) {
                LOG.info("No final answer to the session refresh of Call-ID={}", call.callId());
                call.refreshInProgress(null);
                applyRefreshFailure(call, Response.REQUEST_TIMEOUT, -1);
            }
        }
    }

    private void onRefreshResponse(SipCall call, ResponseEvent event) {
        Response response = event.getResponse();
        int status = response.getStatusCode();
        if (status < 200) {
            return;
        }
        String method = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getMethod();
        CallEvent report;
        String detail;
        synchronized (call) {
            if (call.refreshInProgress() != event.getClientTransaction()) {
                return;
            }
            call.refreshInProgress(null);
            if (call.state() != SipCall.State.CONFIRMED) {
                return;
            }
            if (status < 300) {
                if (Request.INVITE.equals(method)) {
                    ack(call, response);
                }
                if (SipMessages.allows(response, Request.UPDATE)) {
                    call.refreshPolicy().peerAllowsUpdate(true);
                }
                UacResult result = call.negotiation().on2xx(RawTimerHeaders.of(response).sessionExpires(), Role.UAC);
                if (result instanceof UacResult.Timer t) {
                    call.applyTimer(t.interval(), t.weRefresh(), false); // R4
                    LOG.info("Session refresh successful Call-ID={} sessionExpires={} refresher={}", call.callId(),
                            t.interval(), t.refresher().token());
                } else if (result instanceof UacResult.NoTimer) {
                    call.stopTimer(); // R4 -> C3: no Session-Expires in the 2xx, no timer
                    LOG.info("Session refresh successful Call-ID={}; peer dropped the session timer", call.callId());
                } else {
                    String reason = ((UacResult.Fail) result).reason();
                    LOG.warn("Session refresh of Call-ID={} answered without acceptable timer: {}", call.callId(), reason);
                    sendBye(call, reason);
                    return;
                }
                report = CallEvent.REFRESHED;
                detail = method;
            } else {
                detail = status + " " + response.getReasonPhrase();
                if (status == SESSION_INTERVAL_TOO_SMALL) { // R5 -> C4
                    UacRetry retry = call.negotiation().on422(RawTimerHeaders.of(response).minSe());
                    if (retry instanceof UacRetry.Retry) {
                        LOG.info("422 to refresh of Call-ID={}; retrying with a larger interval", call.callId());
                        sendRefreshLater(call, 0);
                        return;
                    }
                    LOG.warn("Refresh of Call-ID={} failed: {}", call.callId(), ((UacRetry.Fail) retry).reason());
                } else if (Request.UPDATE.equals(method) && call.refreshPolicy().onRefreshRejected(status)) {
                    LOG.info("Peer answered UPDATE refresh with {}; Call-ID={} falls back to re-INVITE", status, call.callId());
                    sendRefreshLater(call, 0);
                    return;
                }
                if (applyRefreshFailure(call, status, SipMessages.retryAfterSeconds(response))) {
                    return;
                }
                report = CallEvent.REFRESH_FAILED;
            }
        }
        handler.callEvent(call, report, detail);
    }

    /** R6-R8. Returns true when the call ended. Called with the call's lock held. */
    private boolean applyRefreshFailure(SipCall call, int status, long retryAfterSeconds) {
        SessionTimer.RefreshFailure outcome = call.refreshFailed(status, retryAfterSeconds);
        LOG.info("Session refresh failed with {} for Call-ID={}: {}", status, call.callId(), outcome);
        switch (outcome) {
            case END_WITH_BYE -> {
                sendBye(call, "refresh failed " + status);
                return true;
            }
            case END_WITHOUT_BYE -> {
                terminate(call, "refresh failed " + status);
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** Re-sends a refresh off the listener thread (the previous transaction must be cleared first). */
    private void sendRefreshLater(SipCall call, long delayMillis) {
        scheduler.schedule(() -> sendRefresh(call), delayMillis);
    }

    private void ack(SipCall call, Response response) {
        try {
            long cseq = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber();
            Dialog dialog = call.dialog();
            dialog.sendAck(dialog.createAck(cseq));
        } catch (Exception e) {
            LOG.warn("Cannot ACK refresh 2xx of Call-ID={}: {}", call.callId(), e.getMessage());
        }
    }

    // =====================================================================================================
    // Ending calls (R7, R9, R12)
    // =====================================================================================================

    /** Ends the call the way its state allows; returns the BYE it sent, if it sent one. */
    ClientTransaction hangup(SipCall call, String reason) {
        synchronized (call) {
            switch (call.state()) {
                case CONFIRMED -> {
                    return sendBye(call, reason);
                }
                case EARLY -> {
                    if (call.role() == Role.UAS) {
                        reject(call, Response.TEMPORARILY_UNAVAILABLE, null);
                    } else {
                        cancel(call, new SipCallException(Response.REQUEST_TERMINATED, "cancelled: " + reason, null));
                    }
                }
                default -> {
                    // already over
                }
            }
            return null;
        }
    }

    /**
     * Sends BYE and frees the call at once; the BYE's answer changes nothing. Returns the BYE's transaction, or null
     * when none could be sent. Called with the lock held.
     */
    private ClientTransaction sendBye(SipCall call, String reason) {
        ClientTransaction sent = null;
        try {
            Dialog dialog = call.dialog();
            if (dialog != null && !call.dialogTerminated()) {
                Request bye = dialog.createRequest(Request.BYE);
                advertiseTimer(call.config(), bye); // H4
                ClientTransaction transaction = agent.provider().getNewClientTransaction(bye);
                transaction.setRetransmitTimer(agent.settings().transactionT1Millis());
                dialog.sendRequest(transaction);
                sent = transaction;
                LOG.info("Sent BYE for Call-ID={} ({})", call.callId(), reason);
            }
        } catch (Exception e) {
            LOG.warn("Cannot send BYE for Call-ID={}: {}", call.callId(), e.getMessage());
        }
        terminate(call, reason);
        return sent;
    }

    /** Cancels an outgoing call that has no final answer yet (RFC 3261 §9.1). Called with the lock held. */
    private void cancel(SipCall call, SipCallException failure) {
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
    private void onLateSuccess(SipCall call, ResponseEvent event) {
        Dialog dialog = event.getDialog();
        if (dialog == null) {
            return;
        }
        try {
            long cseq = ((CSeqHeader) event.getResponse().getHeader(CSeqHeader.NAME)).getSeqNumber();
            dialog.sendAck(dialog.createAck(cseq));
            Request bye = dialog.createRequest(Request.BYE);
            advertiseTimer(call.config(), bye);
            dialog.sendRequest(agent.provider().getNewClientTransaction(bye));
            LOG.info("Call-ID={} answered after it was given up; sent ACK and BYE", call.callId());
        } catch (Exception e) {
            LOG.warn("Cannot end late-answered Call-ID={}: {}", call.callId(), e.getMessage());
        }
    }

    private void onBye(RequestEvent event) throws Exception {
        Request bye = event.getRequest();
        ServerTransaction transaction = serverTransaction(event);
        if (transaction == null) {
            return;
        }
        SipCall call = callOf(transaction, bye);
        if (call == null) {
            return;
        }
        // free the call before the 200 goes out: whoever sees the 200 then never sees the session still listed,
        // and the call is over even when the 200 cannot be sent (the peer closed its TCP connection after the BYE)
        terminate(call, "bye received");
        transaction.sendResponse(agent.messageFactory().createResponse(Response.OK, bye));
    }

    /** Stops the timers, forgets the call and reports it (R12). Safe to call more than once. */
    void terminate(SipCall call, String reason) {
        boolean wasActive;
        synchronized (call) {
            wasActive = call.state() != SipCall.State.TERMINATED;
            call.state(SipCall.State.TERMINATED);
            call.stopTimer();
            call.releaseSetupState();
            call.refreshInProgress(null);
            registry.remove(call);
        }
        if (wasActive) {
            LOG.info("Call ended Call-ID={} reason={}", call.callId(), reason);
            handler.callEvent(call, CallEvent.ENDED, reason);
        }
    }

    /**
     * Ends every call of this agent, with BYE when asked to (component shutdown), and then waits up to {@code grace}
     * for the BYEs to be answered. The stack stops right after this: over TCP a request still queued for writing
     * is lost with its connection, and the peer would keep the session until its expiry.
     */
    public void endAll(boolean sendBye, Duration grace) {
        List<ClientTransaction> byes = new ArrayList<>();
        for (SipCall call : registry.snapshot()) {
            if (call.manager() != this) {
                continue;
            }
            if (sendBye) {
                ClientTransaction bye = hangup(call, "shutdown");
                if (bye != null) {
                    byes.add(bye);
                }
            } else {
                terminate(call, "shutdown");
            }
        }
        awaitAnswers(byes, grace);
    }

    private static void awaitAnswers(List<ClientTransaction> requests, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        for (ClientTransaction request : requests) {
            while (awaitsAnswer(request)) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || Thread.currentThread().isInterrupted()) {
                    long unanswered = requests.stream().filter(CallManager::awaitsAnswer).count();
                    LOG.info("{} of {} BYEs sent at shutdown still unanswered after {} ms; stopping anyway", unanswered,
                            requests.size(), grace.toMillis());
                    return;
                }
                // shutdown only, bounded by the grace; waiting on the listener's callbacks instead would add
                // bookkeeping to every BYE answer for the sake of this one wait
                LockSupport.parkNanos(Math.min(left, POLL_NANOS));
            }
        }
    }

    private static boolean awaitsAnswer(ClientTransaction request) {
        TransactionState state = request.getState();
        return state == null || state == TransactionState.TRYING || state == TransactionState.PROCEEDING;
    }

    // =====================================================================================================
    // JAIN-SIP listener
    // =====================================================================================================

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        String method = request.getMethod();
        try {
            switch (method) {
                case Request.INVITE -> {
                    if (((ToHeader) request.getHeader(ToHeader.NAME)).getTag() == null) {
                        onNewInvite(event);
                    } else {
                        onRefreshRequest(event);
                    }
                }
                case Request.UPDATE -> onRefreshRequest(event);
                case Request.ACK -> onAck(event);
                case Request.BYE -> onBye(event);
                case Request.CANCEL -> onCancel(event);
                case Request.OPTIONS -> onOptions(event);
                default -> respond(event, Response.METHOD_NOT_ALLOWED);
            }
        } catch (Exception e) {
            LOG.warn("Cannot handle {} Call-ID={}: {}", method, callIdOf(request), e.toString());
            if (!Request.ACK.equals(method)) {
                respond(event, Response.SERVER_INTERNAL_ERROR);
            }
        }
    }

    private void onOptions(RequestEvent event) throws Exception {
        ServerTransaction transaction = serverTransaction(event);
        if (transaction == null) {
            return;
        }
        Response ok = agent.messageFactory().createResponse(Response.OK, event.getRequest());
        SipMessages.addAllow(agent.headerFactory(), ok);
        advertiseTimer(inboundConfig, ok);
        ok.addHeader(agent.headerFactory().createAcceptHeader("application", "sdp"));
        transaction.sendResponse(ok);
    }

    private void respond(RequestEvent event, int status) {
        try {
            ServerTransaction transaction = serverTransaction(event);
            if (transaction != null) {
                Response response = agent.messageFactory().createResponse(status, event.getRequest());
                if (status == Response.METHOD_NOT_ALLOWED) {
                    SipMessages.addAllow(agent.headerFactory(), response);
                }
                transaction.sendResponse(response);
            }
        } catch (Exception e) {
            LOG.debug("Cannot answer {} with {}: {}", event.getRequest().getMethod(), status, e.toString());
        }
    }

    @Override
    public void processResponse(ResponseEvent event) {
        ClientTransaction transaction = event.getClientTransaction();
        if (transaction == null) {
            return; // a retransmitted 2xx: JAIN-SIP re-sends our ACK itself
        }
        SipCall call = (SipCall) transaction.getApplicationData();
        if (call == null) {
            return;
        }
        try {
            String method = ((CSeqHeader) event.getResponse().getHeader(CSeqHeader.NAME)).getMethod();
            if (Request.BYE.equals(method)) {
                return;
            }
            int status = event.getResponse().getStatusCode();
            if (Request.INVITE.equals(method) && call.role() == Role.UAC && call.initialInvite() != null
                    && call.state() == SipCall.State.EARLY) {
                onInitialInviteResponse(call, event);
            } else if (Request.INVITE.equals(method) && call.state() == SipCall.State.TERMINATED
                       && status >= 200 && status < 300 && transaction == call.inviteClientTransaction()) {
                onLateSuccess(call, event);
            } else {
                onRefreshResponse(call, event);
            }
        } catch (Exception e) {
            LOG.warn("Cannot handle response {} for Call-ID={}: {}", event.getResponse().getStatusCode(),
                    call.callId(), e.toString());
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (event.isServerTransaction()) {
            return; // an unACKed 2xx ends the dialog; processDialogTerminated frees the call
        }
        ClientTransaction transaction = event.getClientTransaction();
        SipCall call = (SipCall) transaction.getApplicationData();
        if (call == null) {
            return;
        }
        String method = transaction.getRequest() != null ? transaction.getRequest().getMethod() : "?";
        LOG.info("No answer to {} for Call-ID={}", method, call.callId());
        synchronized (call) {
            if (call.state() == SipCall.State.EARLY) {
                endEarly(call, new SipCallException(Response.REQUEST_TIMEOUT, "no answer to INVITE", null));
            } else if (call.refreshInProgress() == transaction) {
                call.refreshInProgress(null);
                applyRefreshFailure(call, Response.REQUEST_TIMEOUT, -1); // R7
            }
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        LOG.debug("I/O error towards {}:{} {}", event.getHost(), event.getPort(), event.getTransport());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        // nothing to free: transactions carry no state of ours beyond their application data
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        Dialog dialog = event.getDialog();
        SipCall call = registry.get(dialog.getCallId().getCallId());
        if (call != null && call.dialog() == dialog) {
            terminate(call, "dialog terminated");
        }
    }

    // =====================================================================================================
    // helpers
    // =====================================================================================================

    /** H4: {@code Supported: timer} on every request but ACK/CANCEL and on 2xx answers, unless timers are off. */
    private void advertiseTimer(SessionTimerConfig config, Message message) throws ParseException {
        if (config.isEnabled()) {
            SipMessages.addSupportedTimer(agent.headerFactory(), message);
        }
    }

    private void prepare(ClientTransaction transaction, SipCall call) {
        transaction.setApplicationData(call);
        transaction.setRetransmitTimer(agent.settings().transactionT1Millis());
    }

    /** The call an in-dialog request belongs to; answers 481 and returns null when there is none. */
    private SipCall callOf(ServerTransaction transaction, Request request) throws Exception {
        SipCall call = registry.get(callIdOf(request));
        if (call == null) {
            transaction.sendResponse(agent.messageFactory().createResponse(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, request));
        }
        return call;
    }

    private ServerTransaction serverTransaction(RequestEvent event) throws Exception {
        ServerTransaction transaction = event.getServerTransaction();
        if (transaction != null) {
            return transaction;
        }
        try {
            return agent.provider().getNewServerTransaction(event.getRequest());
        } catch (TransactionAlreadyExistsException e) {
            return null;
        }
    }

    private ViaHeader newVia(String transport) throws Exception {
        return agent.headerFactory().createViaHeader(agent.settings().host(), agent.settings().port(), transport, null);
    }

    /** Our Contact for a transport; it never changes while the agent lives, so it is parsed once and copied. */
    private ContactHeader contact(String transport) throws ParseException {
        ContactHeader contact = contacts.get(transport);
        if (contact == null) {
            Address address = agent.addressFactory().createAddress(
                    "<sip:camel@" + agent.settings().host() + ":" + agent.settings().port() + ";transport=" + transport + ">");
            contact = agent.headerFactory().createContactHeader(address);
            contacts.putIfAbsent(transport, contact);
        }
        return (ContactHeader) contact.clone();
    }

    private static String transportOf(Request request) {
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        return via == null ? "udp" : via.getTransport().toLowerCase(java.util.Locale.ROOT);
    }

    private static String callIdOf(Request request) {
        CallIdHeader callId = (CallIdHeader) request.getHeader(CallIdHeader.NAME);
        return callId == null ? null : callId.getCallId();
    }

    private static String newTag() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }
}
