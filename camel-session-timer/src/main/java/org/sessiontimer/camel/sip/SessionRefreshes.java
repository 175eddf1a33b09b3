package org.sessiontimer.camel.sip;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

import javax.sip.ClientTransaction;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.sessiontimer.camel.auth.DigestAuthenticator;
import org.sessiontimer.camel.auth.UnansweredChallengeException;
import org.sessiontimer.camel.core.Refresher;
import org.sessiontimer.camel.core.Role;
import org.sessiontimer.camel.core.SessionTimer;
import org.sessiontimer.camel.core.TimerRequest;
import org.sessiontimer.camel.core.TimerScheduler;
import org.sessiontimer.camel.core.UacResult;
import org.sessiontimer.camel.core.UacRetry;
import org.sessiontimer.camel.core.UasDecision;
import org.sessiontimer.camel.core.UasNegotiator;
import org.sessiontimer.camel.sdp.SdpAnswerer;
import org.sessiontimer.camel.sdp.SdpOrigin;
import org.sessiontimer.camel.store.CallRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session refreshes in both directions: a re-INVITE or UPDATE from the peer answered as a refresh (R10, R11), one
 * with a new offer handed to the route or answered by default first (R15), and our own refreshes with their outcomes
 * (R2-R8), a challenged one sent again with credentials (R13).
 */
final class SessionRefreshes {

    private static final Logger LOG = LoggerFactory.getLogger(SessionRefreshes.class);

    private final CallManager manager;
    private final SipAgent agent;
    private final TimerScheduler scheduler;

    SessionRefreshes(CallManager manager, SipAgent agent, TimerScheduler scheduler) {
        this.manager = manager;
        this.agent = agent;
        this.scheduler = scheduler;
    }

    void onRefreshRequest(RequestEvent event) throws Exception {
        Request request = event.getRequest();
        ServerTransaction transaction = manager.serverTransaction(event);
        if (transaction == null) {
            return;
        }
        SipCall call = manager.callOf(transaction, request);
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
            manager.recorder().refreshRefused(request.getMethod(), reject.statusCode());
            Response response = agent.messageFactory().createResponse(reject.statusCode(), request);
            response.setReasonPhrase(reject.reasonPhrase());
            SipMessages.addHeaders(agent.headerFactory(), response, reject.responseHeaders());
            transaction.sendResponse(response);
            return;
        }
        boolean isInvite = Request.INVITE.equals(request.getMethod());
        byte[] body = SipMessages.body(request);
        MidCallOffer offer;
        synchronized (call) {
            if (call.state() != SipCall.State.CONFIRMED) {
                transaction.sendResponse(agent.messageFactory().createResponse(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, request));
                return;
            }
            String origin = SdpOrigin.of(body);
            if (body.length == 0 || Objects.equals(origin, call.remoteOrigin())) {
                // A refresh changes no media: a re-INVITE is answered with the session description we sent last,
                // same o= version (RFC 3264 §8), also one without an offer, whose answer then comes with the ACK
                // (R15); an UPDATE refresh has no body.
                byte[] ours = isInvite || body.length > 0 ? bytes(call.localSdp()) : null;
                call.answerInAck(isInvite && body.length == 0);
                if (!accept(call, transaction, request, decision, raw, ours)) {
                    return;
                }
                offer = null;
            } else if (call.pendingOffer() != null || isInvite && isReInvite(call.refreshInProgress())) {
                refuseOverlap(call, transaction, request);
                return;
            } else {
                offer = new MidCallOffer(transaction, request, decision, raw, origin, body);
                call.pendingOffer(offer);
                long wait = offerTimeout();
                offer.deadline(scheduler.schedule(() -> offerUnanswered(call, offer, wait), wait));
            }
        }
        if (offer != null) {
            LOG.info("New offer in {} of Call-ID={} (o= {})", request.getMethod(), call.callId(), offer.origin);
            manager.handler().offer(call, body);
            return;
        }
        reportReceived(call, request.getMethod());
    }

    /**
     * How long the route may take to answer an offer: {@code answerTimeout}, but at most 32*T1, half the time the
     * peer's UPDATE transaction waits for our answer (RFC 3261 §17.1.2.2).
     */
    private long offerTimeout() {
        long limit = 32L * agent.settings().transactionT1Millis();
        long answerTimeout = manager.inboundAnswerTimeout();
        return answerTimeout > 0 ? Math.min(answerTimeout, limit) : limit;
    }

    private static boolean isReInvite(ClientTransaction transaction) {
        return transaction != null && Request.INVITE.equals(transaction.getRequest().getMethod());
    }

    /**
     * An offer while one is still being answered gets 500 with Retry-After (RFC 3261 §14.2, RFC 3311 §5.2); one that
     * crosses our re-INVITE gets 491 (glare, §14.2). Called with the call's lock held.
     */
    private void refuseOverlap(SipCall call, ServerTransaction transaction, Request request) throws Exception {
        Response response;
        if (call.pendingOffer() != null) {
            response = agent.messageFactory().createResponse(Response.SERVER_INTERNAL_ERROR, request);
            response.addHeader(agent.headerFactory().createRetryAfterHeader(manager.random().nextInt(11)));
        } else {
            response = agent.messageFactory().createResponse(Response.REQUEST_PENDING, request);
        }
        LOG.info("Offer in {} of Call-ID={} overlaps another; answered {}", request.getMethod(), call.callId(),
                response.getStatusCode());
        transaction.sendResponse(response);
    }

    /**
     * Answers a refresh, or an offer now answered, with 2xx and {@code sdp} (null: no body) and restarts the timer
     * (R10, R11); false when the call is no longer ours. Called with the call's lock held.
     */
    private boolean accept(SipCall call, ServerTransaction transaction, Request request, UasDecision decision,
            RawTimerHeaders.Values raw, byte[] sdp) throws Exception {
        Response ok = agent.messageFactory().createResponse(Response.OK, request);
        ok.addHeader(manager.contact(SipMessages.transportOf(request), SipMessages.isSips(request.getRequestURI())));
        SipMessages.addAllow(agent.headerFactory(), ok);
        SipMessages.addHeaders(agent.headerFactory(), ok, decision.responseHeaders());
        manager.advertiseTimer(call.config(), ok);
        if (sdp != null) {
            SipMessages.setSdpBody(agent.headerFactory(), ok, sdp);
        }
        transaction.sendResponse(ok);
        call.observeMinSe(raw);
        if (SipMessages.allows(request, Request.UPDATE)) {
            call.refreshPolicy().peerAllowsUpdate(true);
        }
        if (decision instanceof UasDecision.Accept accept) {
            call.applyTimer(accept.interval(), accept.refresher() == Refresher.UAS, true);
        } else {
            call.stopTimer();
        }
        long cseq = ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber();
        String target = DialogAddresses.contactOf(request, null); // a target refresh (RFC 3261 §12.2.2)
        return manager.recordSession(call, stored -> stored.withRemoteRequest(cseq, target));
    }

    private void reportReceived(SipCall call, String method) {
        LOG.info("Session refresh received ({}) Call-ID={} sessionExpires={}", method, call.callId(),
                call.intervalSeconds());
        manager.handler().callEvent(call, CallEvent.REFRESH_RECEIVED, method);
    }

    /**
     * R15: the answer to the peer's offer, from the route (any thread) or the default one (null or empty
     * {@code sdpAnswer}): a 2xx, the refresh it is (R11), and our session description from now on. With no default
     * answer (nothing of the offer acceptable) the offer gets 488 and the session stays as it was.
     */
    boolean answerOffer(SipCall call, byte[] sdpAnswer) {
        MidCallOffer offer;
        synchronized (call) {
            offer = takeOffer(call);
            if (offer == null) {
                return false;
            }
            byte[] answer = sdpAnswer;
            if (answer == null || answer.length == 0) {
                answer = SdpAnswerer.answer(new String(offer.sdp, StandardCharsets.UTF_8), call.localSdp())
                        .map(sdp -> sdp.getBytes(StandardCharsets.UTF_8)).orElse(null);
                if (answer == null) {
                    LOG.info("Nothing of the offer in {} of Call-ID={} can be accepted; answering 488", offer.method(),
                            call.callId());
                    return refuse(call, offer, Response.NOT_ACCEPTABLE_HERE, null);
                }
            }
            try {
                call.localSdp(answer);
                call.remoteOrigin(offer.origin);
                call.answerInAck(false);
                if (!accept(call, offer.transaction, offer.request, offer.decision, offer.raw, answer)) {
                    return true;
                }
            } catch (Exception e) {
                LOG.warn("Cannot answer the offer in {} of Call-ID={}: {}", offer.method(), call.callId(), e.toString());
                return false;
            }
        }
        reportReceived(call, offer.method());
        return true;
    }

    /** R15: the route rejected the peer's offer; not a refresh, the timer runs on and the session is unchanged. */
    boolean rejectOffer(SipCall call, int statusCode, String reasonPhrase) {
        synchronized (call) {
            MidCallOffer offer = takeOffer(call);
            return offer != null && refuse(call, offer, statusCode, reasonPhrase);
        }
    }

    /** The offer the call waits to answer, now taken; null when none (or the call ended: then answered 487). */
    private MidCallOffer takeOffer(SipCall call) {
        MidCallOffer offer = call.pendingOffer();
        if (offer == null) {
            return null;
        }
        call.pendingOffer(null);
        offer.cancelDeadline();
        if (call.state() != SipCall.State.CONFIRMED) {
            // the dialog ended (BYE) while the route decided (RFC 3261 §15.1.2)
            refuse(call, offer, Response.REQUEST_TERMINATED, null);
            return null;
        }
        return offer;
    }

    private boolean refuse(SipCall call, MidCallOffer offer, int statusCode, String reasonPhrase) {
        try {
            Response response = agent.messageFactory().createResponse(statusCode, offer.request);
            if (reasonPhrase != null && !reasonPhrase.isBlank()) {
                response.setReasonPhrase(reasonPhrase);
            }
            offer.transaction.sendResponse(response);
            manager.recorder().refreshRefused(offer.method(), statusCode);
            LOG.info("Offer in {} of Call-ID={} answered {}; the session goes on unchanged", offer.method(),
                    call.callId(), statusCode);
            return true;
        } catch (Exception e) {
            LOG.warn("Cannot answer the offer in {} of Call-ID={} with {}: {}", offer.method(), call.callId(),
                    statusCode, e.toString());
            return false;
        }
    }

    /** The route did not answer the offer in time: 500, the session unchanged. */
    private void offerUnanswered(SipCall call, MidCallOffer offer, long waitedMillis) {
        synchronized (call) {
            if (call.pendingOffer() != offer) {
                return;
            }
            LOG.warn("The route did not answer the offer in {} of Call-ID={} within {} ms; answering 500",
                    offer.method(), call.callId(), waitedMillis);
            call.pendingOffer(null);
            refuse(call, offer, Response.SERVER_INTERNAL_ERROR, null);
        }
    }

    private static byte[] bytes(String sdp) {
        return sdp == null ? null : sdp.getBytes(StandardCharsets.UTF_8);
    }

    void sendRefresh(SipCall call) {
        synchronized (call) {
            if (call.state() != SipCall.State.CONFIRMED) {
                return;
            }
            if (call.refreshInProgress() != null) {
                LOG.debug("Refresh of Call-ID={} already in progress", call.callId());
                return;
            }
            if (call.pendingOffer() != null) {
                // the peer's offer is being answered: ours would cross it (RFC 3261 §14.2); it is answered soon
                LOG.debug("Refresh of Call-ID={} waits for the answer to the peer's offer", call.callId());
                sendRefreshLater(call, 1000);
                return;
            }
            String method = call.refreshPolicy().methodForNextRefresh();
            try {
                CallRecord reserved = manager.reserve(call, method); // K1
                if (reserved == null) {
                    return;
                }
                Request refresh = call.link().createRequest(method, reserved);
                boolean timerRuns = call.intervalSeconds() > 0;
                long interval = timerRuns ? call.intervalSeconds() : call.config().sessionExpires();
                // R3 (§7.4): the refresher stays who it is, also when a route refreshes a call the peer refreshes;
                // without a running timer we offer to refresh
                boolean weStayRefresher = !timerRuns || call.weRefresh();
                SipMessages.addHeaders(agent.headerFactory(), refresh,
                        call.negotiation().refreshRequestHeaders(interval, weStayRefresher)); // R3, C5
                manager.advertiseTimer(call.config(), refresh);
                SipMessages.addAllow(agent.headerFactory(), refresh);
                if (Request.INVITE.equals(method)) {
                    // R2: the current session description, unchanged (same o= version, RFC 3264 §8)
                    SipMessages.setSdpBody(agent.headerFactory(), refresh, call.localSdp());
                }
                LOG.info("Sending session refresh ({}) Call-ID={} sessionExpires={}", method, call.callId(), interval);
                ClientTransaction transaction = agent.provider().getNewClientTransaction(refresh);
                manager.prepare(transaction, call);
                call.refreshInProgress(transaction);
                awaitAnswer(call, transaction);
                manager.sendQueues().submit(refresh, refreshWrite(call, call.link(), transaction));
            } catch (Exception e) {
                call.refreshInProgress(null);
                LOG.warn("Cannot send session refresh for Call-ID={}: {}", call.callId(), e.getMessage());
            }
        }
    }

    /** Starts the wait for the refresh's final answer. */
    private void awaitAnswer(SipCall call, ClientTransaction transaction) {
        // R7 when nothing at all comes back; a 1xx to a re-INVITE lifts this deadline for the expiry's (R14)
        long answerDeadline = 64L * agent.settings().transactionT1Millis();
        call.refreshDeadline(scheduler.schedule(() -> refreshUnanswered(call, transaction), answerDeadline));
    }

    /**
     * R13: a refresh challenged with 401/407 goes again with credentials, CSeq + 1 reserved in the store (K1) and the
     * same Session-Expires and Min-SE; only that one's answer counts under R4-R8. Returns null when it went (or the
     * call was dropped here), else why the challenge was not answered. Called with the call's lock held.
     */
    private String resendWithCredentials(SipCall call, ResponseEvent event, String method) {
        int status = event.getResponse().getStatusCode();
        ClientTransaction again;
        try {
            again = manager.answerChallenge(call, event);
        } catch (UnansweredChallengeException e) {
            LOG.warn("Session refresh ({}) of Call-ID={} failed: {}", method, call.callId(), e.getMessage());
            manager.recorder().refreshChallenged(method, false);
            return e.getMessage();
        } catch (Exception e) {
            LOG.warn("Cannot answer the {} to the refresh of Call-ID={}: {}", status, call.callId(), e.getMessage());
            manager.recorder().refreshChallenged(method, false);
            return status + " " + event.getResponse().getReasonPhrase() + " not answered: " + e.getMessage();
        }
        manager.recorder().refreshChallenged(method, true);
        CallRecord reserved = manager.reserve(call, method);
        if (reserved == null) {
            return null;
        }
        try {
            CSeqHeader cseq = (CSeqHeader) again.getRequest().getHeader(CSeqHeader.NAME);
            cseq.setSeqNumber(Math.max(reserved.localCSeq(), cseq.getSeqNumber()));
            manager.prepare(again, call);
            call.refreshInProgress(again);
            LOG.info("{} to the session refresh ({}) of Call-ID={}; sending it again with credentials", status, method,
                    call.callId());
            awaitAnswer(call, again);
            manager.sendQueues().submit(again.getRequest(), refreshWrite(call, call.link(), again));
        } catch (Exception e) {
            call.refreshInProgress(null);
            LOG.warn("Cannot send the session refresh of Call-ID={} again: {}", call.callId(), e.getMessage());
        }
        return null;
    }

    /**
     * Writes a refresh once the call's lock is released. A refresh the call no longer waits for (it ended, or the
     * refresh timed out while waiting behind a dead hop) is not sent.
     */
    private SendQueues.Send refreshWrite(SipCall call, DialogLink link, ClientTransaction transaction) {
        return SendQueues.Send.of(() -> {
            synchronized (call) {
                if (call.refreshInProgress() != transaction) {
                    CallManager.discard(transaction);
                    return;
                }
            }
            link.send(transaction);
        }, cause -> refreshNotSent(call, transaction, cause));
    }

    /**
     * Our refresh could not be written: RFC 3261 §8.1.3.1 takes a transport failure as a 503, which without
     * Retry-After lets the session live on until its expiry (R8).
     */
    private void refreshNotSent(SipCall call, ClientTransaction transaction, Exception cause) {
        String method = transaction.getRequest().getMethod();
        CallManager.discard(transaction);
        synchronized (call) {
            if (call.refreshInProgress() != transaction) {
                return;
            }
            call.refreshInProgress(null);
            LOG.warn("Cannot send session refresh for Call-ID={}: {}", call.callId(), cause.getMessage());
            manager.recorder().refreshSent(method, Response.SERVICE_UNAVAILABLE);
            if (call.state() != SipCall.State.CONFIRMED
                || applyRefreshFailure(call, Response.SERVICE_UNAVAILABLE, -1)) {
                return;
            }
        }
        manager.handler().callEvent(call, CallEvent.REFRESH_FAILED, "503 transport failure");
    }

    /** No final answer to our refresh within 64*T1 (timer B's span): the session is over (R7). */
    private void refreshUnanswered(SipCall call, ClientTransaction transaction) {
        synchronized (call) {
            if (call.refreshInProgress() == transaction && call.state() == SipCall.State.CONFIRMED) {
                LOG.info("No final answer to the session refresh of Call-ID={}", call.callId());
                call.refreshInProgress(null);
                manager.recorder().refreshSent(transaction.getRequest().getMethod(), Response.REQUEST_TIMEOUT);
                applyRefreshFailure(call, Response.REQUEST_TIMEOUT, -1);
            }
        }
    }

    void onRefreshResponse(SipCall call, ResponseEvent event) {
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
            boolean challenge = DigestAuthenticator.isChallenge(status);
            if (!challenge) {
                manager.recorder().refreshSent(method, status);
            }
            if (call.state() != SipCall.State.CONFIRMED) {
                return;
            }
            if (status < 300) {
                if (Request.INVITE.equals(method)) {
                    ack(call, event.getClientTransaction().getRequest(), response);
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
                    manager.sendBye(call, reason);
                    return;
                }
                String target = DialogAddresses.contactOf(response, null); // the 2xx is a target refresh too
                if (!manager.recordSession(call, stored -> stored.withRemoteRequest(-1, target))) {
                    return;
                }
                report = CallEvent.REFRESHED;
                detail = method;
            } else {
                detail = status + " " + response.getReasonPhrase();
                if (challenge) {
                    detail = resendWithCredentials(call, event, method); // R13
                    if (detail == null) {
                        return;
                    }
                } else if (status == CallManager.SESSION_INTERVAL_TOO_SMALL) { // R5 -> C4
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
        manager.handler().callEvent(call, report, detail);
    }

    /** R6-R8. Returns true when the call ended. Called with the call's lock held. */
    boolean applyRefreshFailure(SipCall call, int status, long retryAfterSeconds) {
        SessionTimer.RefreshFailure outcome = call.refreshFailed(status, retryAfterSeconds);
        LOG.info("Session refresh failed with {} for Call-ID={}: {}", status, call.callId(), outcome);
        switch (outcome) {
            case END_WITH_BYE -> {
                manager.sendBye(call, "refresh failed " + status);
                return true;
            }
            case END_WITHOUT_BYE -> {
                manager.terminate(call, "refresh failed " + status);
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

    /** ACKs the 2xx of a re-INVITE refresh after the call's lock is released, behind the refresh itself. */
    private void ack(SipCall call, Request refresh, Response response) {
        long cseq = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber();
        // the ACK goes to the 2xx's Contact (RFC 3261 §13.2.2.4), which the record learns only after it
        CallRecord stored = call.stored();
        CallRecord target = stored == null ? null : stored.withRemoteRequest(-1, DialogAddresses.contactOf(response, null));
        DialogLink link = call.link();
        manager.sendQueues().submit(refresh, SendQueues.Send.of(() -> link.ack(cseq, target),
                cause -> LOG.warn("Cannot ACK refresh 2xx of Call-ID={}: {}", call.callId(), cause.getMessage())));
    }
}
