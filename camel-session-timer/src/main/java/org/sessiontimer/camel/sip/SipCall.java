package org.sessiontimer.camel.sip;

import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogState;
import javax.sip.ServerTransaction;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Request;

import org.sessiontimer.camel.auth.DigestCredentials;
import org.sessiontimer.camel.core.MinSe;
import org.sessiontimer.camel.core.RefreshMethodPolicy;
import org.sessiontimer.camel.core.Refresher;
import org.sessiontimer.camel.core.Role;
import org.sessiontimer.camel.core.SessionTimer;
import org.sessiontimer.camel.core.SessionTimerConfig;
import org.sessiontimer.camel.core.SessionTimerHeaders;
import org.sessiontimer.camel.core.TimerScheduler;
import org.sessiontimer.camel.core.UacNegotiation;
import org.sessiontimer.camel.core.UasDecision;
import org.sessiontimer.camel.store.CallRecord;

/**
 * One call (one INVITE dialog) and its RFC 4028 state: the negotiation values we send (C5), the refresh method
 * (R2), the session timer (R1, R9) and the session description we resend unchanged in a re-INVITE refresh. State
 * changes are made under the call's own lock; SIP messages go out through {@link CallManager} and its parts.
 *
 * <p>Once confirmed, a call has a {@link CallRecord} in the session store: what another node needs to speak for it.
 * This object holds what only this node has: the stack's transactions and dialog, and the running timer. A call
 * taken over from another node is rebuilt from its record ({@link #adopted}).
 */
public final class SipCall implements SessionTimer.Listener {

    enum State {
        /** INVITE sent or received, no final answer yet. */
        EARLY,
        /** 2xx sent or received. */
        CONFIRMED,
        /** Over; the call is no longer registered. */
        TERMINATED
    }

    private final CallManager manager;
    private final String callId;
    private final Role role;
    private final SessionTimerConfig config;
    private final UacNegotiation negotiation;
    private final RefreshMethodPolicy refreshPolicy;
    private long createdAtEpochMillis;
    private final String remoteParty;
    private final String localParty;

    private State state = State.EARLY;
    private Dialog dialog;
    /** The INVITE in progress: received (UAS, until answered) or sent (UAC, kept for 422 retries until 2xx). */
    private Request initialInvite;
    private ServerTransaction inviteServerTransaction;
    /** The INVITE we sent last (UAC), to CANCEL it or to recognise a 2xx that comes after we gave up. */
    private ClientTransaction inviteClientTransaction;
    /** Gives up on an outgoing call that rings too long; cancelled once the call is answered or over. */
    private TimerScheduler.Cancellable answerTimer;
    /** Ends the wait for a final answer to our refresh (R7), since a proceeding INVITE never times out. */
    private TimerScheduler.Cancellable refreshDeadline;
    private String localTag;
    private String localSdp;
    /** How our requests in the confirmed dialog are built and sent. */
    private DialogLink link;
    /** The record as this node last wrote or read it; null until the call is confirmed. */
    private CallRecord stored;
    private SessionTimer timer;
    private ClientTransaction refreshInProgress;
    private CompletableFuture<SipCall> established;
    /** The negotiation result of an incoming INVITE, applied when the route answers. */
    private UasDecision pendingDecision;
    private boolean acked;
    private byte[] remoteSdp;
    /** Session id and version of the o= the peer sent last (R15), null before any. */
    private String remoteOrigin;
    /** The peer's offer being answered (R15); null: none. */
    private MidCallOffer pendingOffer;
    /** Our 2xx to an offerless re-INVITE carried our SDP as offer: its answer comes with the ACK (R15). */
    private boolean answerInAck;
    /** What a call we placed answers digest challenges with (R13); null: none. */
    private DigestCredentials credentials;

    SipCall(CallManager manager, String callId, Role role, SessionTimerConfig config, String localParty,
            String remoteParty, boolean peerAllowsUpdate) {
        this.localParty = localParty;
        this.manager = manager;
        this.callId = callId;
        this.role = role;
        this.config = config;
        this.remoteParty = remoteParty;
        this.negotiation = new UacNegotiation(config);
        this.refreshPolicy = new RefreshMethodPolicy(config.refreshMethod(), peerAllowsUpdate);
        this.createdAtEpochMillis = manager.scheduler().epochMillis();
    }

    /**
     * K2, K3: a confirmed call rebuilt from the record another node wrote: its timer resumes from the stored
     * deadlines, its requests are built from the record. Start it with {@link #resumeTimer()} once registered.
     */
    static SipCall adopted(CallManager manager, CallRecord record, SessionTimerConfig config, DialogLink link) {
        CallRecord.DialogAddress dialog = record.dialog();
        SipCall call = new SipCall(manager, record.callId(), record.role(), config, dialog.localUri(),
                dialog.remoteUri(), record.peerAllowsUpdate());
        call.negotiation.observeMinSe(record.timer().minSe());
        call.localTag = dialog.localTag();
        call.localSdp = record.localSdp();
        call.remoteOrigin = record.remoteOrigin();
        call.link = link;
        call.stored = record;
        if (record.startedAtMillis() > 0) {
            call.createdAtEpochMillis = record.startedAtMillis(); // it began on another node
        }
        call.state = State.CONFIRMED;
        call.acked = true;
        return call;
    }

    // ---- what the Camel face reads ----

    public String callId() {
        return callId;
    }

    /** Our role in the INVITE that set the call up. */
    public Role role() {
        return role;
    }

    public String remoteParty() {
        return remoteParty;
    }

    public String localParty() {
        return localParty;
    }

    /** For an incoming call not yet answered: the interval the 200 OK will carry, or 0 for none. */
    public synchronized long offeredIntervalSeconds() {
        return pendingDecision instanceof UasDecision.Accept accept ? accept.interval() : 0;
    }

    /** For an incoming call not yet answered: the refresher the 200 OK will name, or null. */
    public synchronized String offeredRefresher() {
        return pendingDecision instanceof UasDecision.Accept accept ? accept.refresher().token() : null;
    }

    /** The SDP answer of an outgoing call's 2xx, handed out once (it is not kept for the life of the call). */
    public synchronized byte[] takeRemoteSdp() {
        byte[] sdp = remoteSdp;
        remoteSdp = null;
        return sdp;
    }

    synchronized void remoteSdp(byte[] sdp) {
        this.remoteSdp = sdp;
    }

    /**
     * Answers the peer's mid-call offer (R15) with this SDP, or with the default answer (RFC 3264 §6.1) for null or
     * empty; false when no offer waits (answered already, timed out, or the call ended).
     */
    public boolean answerOffer(byte[] sdpAnswer) {
        return manager.answerOffer(this, sdpAnswer);
    }

    /** Rejects the peer's mid-call offer with a final status code (4xx-6xx); the call goes on as before. */
    public boolean rejectOffer(int statusCode, String reasonPhrase) {
        return manager.rejectOffer(this, statusCode, reasonPhrase);
    }

    /** Sends 180 Ringing for an incoming call that is not answered yet. */
    public void ringing() {
        manager.ringing(this);
    }

    /** When this node learnt of the call (wall clock, epoch millis). */
    public long createdAtMillis() {
        return createdAtEpochMillis;
    }

    /** The node that owns the call (K1): ours, or the one named by its record. */
    public synchronized String owner() {
        return stored != null && stored.owner() != null ? stored.owner() : manager.nodeName();
    }

    /** Whether the call is in the session store: confirmed, and recorded. */
    public synchronized boolean isRecorded() {
        return stored != null;
    }

    /** Whether this node took the call over from another (K2, K3) rather than setting it up. */
    public synchronized boolean isAdopted() {
        return link instanceof RecordDialogLink;
    }

    public synchronized boolean isConfirmed() {
        return state == State.CONFIRMED;
    }

    /** The session interval in seconds, or 0 when no session timer runs. */
    public synchronized long intervalSeconds() {
        return timer != null && timer.isActive() ? timer.intervalSeconds() : 0;
    }

    /** True when we send the refreshes. */
    public synchronized boolean weRefresh() {
        return timer != null && timer.isActive() && timer.weRefresh();
    }

    /** Who refreshes, named by the roles of the INVITE that set the call up; null without a timer. */
    public synchronized Refresher refresher() {
        if (timer == null || !timer.isActive()) {
            return null;
        }
        boolean uacRefreshes = timer.weRefresh() == (role == Role.UAC);
        return uacRefreshes ? Refresher.UAC : Refresher.UAS;
    }

    /** When our next refresh is due (wall clock, epoch millis, for display), or -1. */
    public synchronized long nextRefreshAtMillis() {
        return timer != null && timer.isActive() ? manager.scheduler().toEpochMillis(timer.refreshAtMillis()) : -1;
    }

    /** When the session expires unless refreshed (wall clock, epoch millis, for display), or -1. */
    public synchronized long expiresAtMillis() {
        return timer != null && timer.isActive() ? manager.scheduler().toEpochMillis(timer.expiresAtMillis()) : -1;
    }

    /** Completes when an outgoing call is established, exceptionally when it fails. */
    public CompletableFuture<SipCall> established() {
        return established;
    }

    // ---- decisions of the Camel face ----

    /** Answers an incoming call with 200 OK and the SDP answer; false when the call is gone (CANCEL, say). */
    public boolean answer(byte[] sdpAnswer) {
        return manager.answer(this, sdpAnswer);
    }

    /** Rejects an incoming call with a final status code (4xx-6xx). */
    public boolean reject(int statusCode, String reasonPhrase) {
        return manager.reject(this, statusCode, reasonPhrase);
    }

    /** Sends a session refresh now (R2, R3). */
    public void sendRefresh() {
        manager.sendRefresh(this);
    }

    /** Ends the call: BYE when established, CANCEL or a final error when not. Idempotent. */
    public void hangup(String reason) {
        manager.hangup(this, reason);
    }

    /** K4: ends the call on this node only, sending nothing: another node owns it now, or will. */
    public void drop(String reason) {
        manager.lost(callId, reason);
    }

    // ---- session timer callbacks (scheduler threads) ----

    @Override
    public void refreshDue(SessionTimer source) {
        if (isCurrentTimer(source)) {
            manager.handler().refreshDue(this);
        }
    }

    @Override
    public void expired(SessionTimer source) {
        if (isCurrentTimer(source)) {
            manager.handler().expired(this);
        }
    }

    private synchronized boolean isCurrentTimer(SessionTimer source) {
        return state == State.CONFIRMED && timer == source;
    }

    // ---- state, for CallManager (same package) ----

    CallManager manager() {
        return manager;
    }

    UasDecision pendingDecision() {
        return pendingDecision;
    }

    void pendingDecision(UasDecision decision) {
        this.pendingDecision = decision;
    }

    /** Records the ACK of our 2xx; true the first time only. */
    synchronized boolean markAcked() {
        if (acked || state != State.CONFIRMED) {
            return false;
        }
        acked = true;
        return true;
    }

    State state() {
        return state;
    }

    void state(State newState) {
        this.state = newState;
    }

    SessionTimerConfig config() {
        return config;
    }

    UacNegotiation negotiation() {
        return negotiation;
    }

    RefreshMethodPolicy refreshPolicy() {
        return refreshPolicy;
    }

    Dialog dialog() {
        return dialog;
    }

    void dialog(Dialog newDialog) {
        this.dialog = newDialog;
    }

    Request initialInvite() {
        return initialInvite;
    }

    void initialInvite(Request invite) {
        this.initialInvite = invite;
    }

    ServerTransaction inviteServerTransaction() {
        return inviteServerTransaction;
    }

    void inviteServerTransaction(ServerTransaction transaction) {
        this.inviteServerTransaction = transaction;
    }

    ClientTransaction inviteClientTransaction() {
        return inviteClientTransaction;
    }

    void inviteClientTransaction(ClientTransaction transaction) {
        this.inviteClientTransaction = transaction;
    }

    String localTag() {
        return localTag;
    }

    void localTag(String tag) {
        this.localTag = tag;
    }

    String localSdp() {
        return localSdp;
    }

    void localSdp(byte[] sdp) {
        this.localSdp = sdp == null || sdp.length == 0 ? null : new String(sdp, java.nio.charset.StandardCharsets.UTF_8);
    }

    String remoteOrigin() {
        return remoteOrigin;
    }

    void remoteOrigin(String origin) {
        this.remoteOrigin = origin;
    }

    MidCallOffer pendingOffer() {
        return pendingOffer;
    }

    /** Records the offer being answered (null: none), dropping the deadline of the previous one. */
    void pendingOffer(MidCallOffer offer) {
        if (pendingOffer != null && pendingOffer != offer) {
            pendingOffer.cancelDeadline();
        }
        this.pendingOffer = offer;
    }

    boolean answerInAck() {
        return answerInAck;
    }

    void answerInAck(boolean expected) {
        this.answerInAck = expected;
    }

    DialogLink link() {
        return link;
    }

    void link(DialogLink newLink) {
        this.link = newLink;
    }

    CallRecord stored() {
        return stored;
    }

    DigestCredentials credentials() {
        return credentials;
    }

    void credentials(DigestCredentials newCredentials) {
        this.credentials = newCredentials;
    }

    void stored(CallRecord record) {
        this.stored = record;
    }

    /**
     * The record with what this node knows now: timer and deadlines, Min-SE, refresh method, session description and
     * the o= of the peer's.
     */
    CallRecord snapshot(CallRecord base) {
        return base.withSession(timerState(), refreshPolicy.peerTakesUpdate(), localSdp, remoteOrigin)
                .withReinviteInFlight(reinviteInFlight());
    }

    /** The CSeq of our refresh re-INVITE still waiting for its final answer, 0 when none is. */
    private long reinviteInFlight() {
        Request refresh = refreshInProgress == null ? null : refreshInProgress.getRequest();
        return refresh != null && Request.INVITE.equals(refresh.getMethod())
                ? ((CSeqHeader) refresh.getHeader(CSeqHeader.NAME)).getSeqNumber() : 0;
    }

    private CallRecord.TimerState timerState() {
        long minSe = negotiation.largestMinSe();
        if (timer == null || !timer.isActive()) {
            return CallRecord.TimerState.none(minSe);
        }
        TimerScheduler clock = manager.scheduler();
        return new CallRecord.TimerState(timer.intervalSeconds(), timer.weRefresh(), minSe,
                clock.toEpochMillis(timer.refreshAtMillis()), clock.toEpochMillis(timer.expiresAtMillis()));
    }

    /** K2: arms the timer of an adopted call from its record's deadlines; a call without timer gets none. */
    void resumeTimer() {
        CallRecord.TimerState stored = this.stored.timer();
        if (!stored.isActive()) {
            return;
        }
        TimerScheduler clock = manager.scheduler();
        timer = new SessionTimer(callId, clock, manager.random(), this);
        timer.resume(stored.intervalSeconds(), stored.weRefresh(), clock.fromEpochMillis(stored.refreshAtEpochMillis()),
                clock.fromEpochMillis(stored.expiresAtEpochMillis()));
    }

    ClientTransaction refreshInProgress() {
        return refreshInProgress;
    }

    /** Records the refresh transaction in progress (null: none), dropping the deadline of the previous one. */
    void refreshInProgress(ClientTransaction transaction) {
        this.refreshInProgress = transaction;
        if (refreshDeadline != null) {
            refreshDeadline.cancel();
            refreshDeadline = null;
        }
    }

    /**
     * R14: a provisional answer to our refresh re-INVITE: the INVITE transaction waits for its final answer as long as
     * it takes (RFC 3261 §17.1.1.2), and so do we, up to the session's expiry (R9), when a timer runs. Without one
     * there is no expiry to wait for, and the deadline of 64*T1 stays.
     */
    void refreshProceeding(ClientTransaction transaction) {
        if (transaction == refreshInProgress && refreshDeadline != null && timer != null && timer.isActive()) {
            refreshDeadline.cancel();
            refreshDeadline = null;
        }
    }

    void refreshDeadline(TimerScheduler.Cancellable deadline) {
        this.refreshDeadline = deadline;
    }

    void established(CompletableFuture<SipCall> future) {
        this.established = future;
    }

    /**
     * Applies a negotiated session interval: starts the timer, or restarts it as a refresh (R4, R10, R11).
     * {@code interval <= 0} turns the timer off (C3, R4).
     */
    void applyTimer(long interval, boolean weRefresh, boolean asReceivedRefresh) {
        if (interval <= 0) {
            stopTimer();
            return;
        }
        if (timer == null || !timer.isActive()) {
            timer = new SessionTimer(callId, manager.scheduler(), manager.random(), this);
            timer.start(interval, weRefresh);
        } else if (asReceivedRefresh) {
            timer.refreshReceived(interval, weRefresh);
        } else {
            timer.refreshSucceeded(interval, weRefresh);
        }
    }

    /**
     * C5: a request's Min-SE joins the largest one seen in the dialog. The negotiator has answered a malformed one
     * with 400 already; with the extension off it reads none of the timer headers, and neither do we (null).
     */
    MinSe observeMinSe(RawTimerHeaders.Values raw) {
        if (!config.isEnabled()) {
            return null;
        }
        MinSe minSe = SessionTimerHeaders.parseMinSe(raw.minSe(), config.labFloor());
        negotiation.observeMinSe(minSe.seconds());
        return minSe;
    }

    SessionTimer.RefreshFailure refreshFailed(int statusCode, long retryAfterSeconds) {
        if (timer == null || !timer.isActive()) {
            // RFC 3261 §12.2.1.2: 408 or 481 to any request in the dialog ends it, with or without a session timer
            return switch (statusCode) {
                case 408 -> SessionTimer.RefreshFailure.END_WITH_BYE;
                case 481 -> SessionTimer.RefreshFailure.END_WITHOUT_BYE;
                default -> SessionTimer.RefreshFailure.CONTINUE_UNTIL_EXPIRY;
            };
        }
        OptionalLong retryAfter = retryAfterSeconds >= 0 ? OptionalLong.of(retryAfterSeconds) : OptionalLong.empty();
        // RFC 3261 §14.1: the 491 back-off depends on who owns the Call-ID, i.e. who sent the first INVITE
        return timer.refreshFailed(statusCode, retryAfter, role == Role.UAC);
    }

    void stopTimer() {
        if (timer != null) {
            timer.stop();
        }
    }

    /** True when a dialog state says the call is already over on the JAIN-SIP side. */
    boolean dialogTerminated() {
        if (link != null) {
            return link.isTerminated();
        }
        return dialog != null && dialog.getState() == DialogState.TERMINATED;
    }

    synchronized void answerTimer(TimerScheduler.Cancellable timer) {
        this.answerTimer = timer;
    }

    /** Frees what an established call no longer needs, to keep per-call memory small. */
    void releaseSetupState() {
        initialInvite = null;
        inviteServerTransaction = null;
        if (answerTimer != null) {
            answerTimer.cancel();
            answerTimer = null;
        }
        if (state == State.CONFIRMED) {
            // kept on a call that failed early, to recognise a 2xx that crosses our CANCEL
            inviteClientTransaction = null;
        }
    }

    @Override
    public String toString() {
        return "SipCall[" + callId + " " + role + " " + state + "]";
    }
}
