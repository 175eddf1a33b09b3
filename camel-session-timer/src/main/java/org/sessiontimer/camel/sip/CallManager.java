package org.sessiontimer.camel.sip;

import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionState;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;

import gov.nist.javax.sip.DialogTimeoutEvent;
import gov.nist.javax.sip.SipListenerExt;
import gov.nist.javax.sip.SipStackExt;
import org.sessiontimer.camel.auth.DigestAuthenticator;
import org.sessiontimer.camel.auth.DigestCredentials;
import org.sessiontimer.camel.auth.UnansweredChallengeException;
import org.sessiontimer.camel.core.Role;
import org.sessiontimer.camel.core.SessionTimerConfig;
import org.sessiontimer.camel.core.TimerScheduler;
import org.sessiontimer.camel.core.UasNegotiator;
import org.sessiontimer.camel.metrics.SessionTimerRecorder;
import org.sessiontimer.camel.store.CallRecord;
import org.sessiontimer.camel.store.SessionStore;
import org.sessiontimer.camel.store.SessionStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call logic of one SIP agent: INVITE dialogs in both directions with RFC 4028 session timers, on top of
 * JAIN-SIP's transactions and dialogs. It receives every event of the stack and hands it to the part that owns it
 * ({@link OutgoingCalls}, {@link IncomingCalls}, {@link SessionRefreshes}, {@link EarlyDialogRequests} for requests
 * before the answer, {@link UnwantedAnswers} for 2xx that no call takes, and {@link StoredCalls} for the session
 * store); it ends calls itself, and holds what those parts share. Listener methods never throw into JAIN-SIP and never block: decisions that take time (answering a
 * call) are handed to the {@link CallHandler} and come back through {@link SipCall}.
 */
public final class CallManager implements SipListenerExt {

    private static final Logger LOG = LoggerFactory.getLogger(CallManager.class);
    /** RFC 4028 §6; javax.sip's Response has no constant for it. */
    static final int SESSION_INTERVAL_TOO_SMALL = 422;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final SipAgent agent;
    private final CallRegistry registry;
    private final SessionStore store;
    private final Executor recordRemovals;
    private final Map<String, ContactHeader> contacts = new ConcurrentHashMap<>();
    private final TimerScheduler scheduler;
    private final SendQueues sendQueues;
    private final RandomGenerator random;
    private final OutgoingCalls outgoing;
    private final IncomingCalls incoming;
    private final SessionRefreshes refreshes;
    private final StoredCalls stored;
    private final EarlyDialogRequests early;
    private final UnwantedAnswers unwanted;
    private volatile CallHandler handler;
    private volatile UasNegotiator inboundNegotiator;
    private volatile SessionTimerRecorder recorder = SessionTimerRecorder.NONE;
    private volatile DigestCredentials agentCredentials;
    private volatile long inboundAnswerTimeoutMillis;

    /**
     * {@code recordRemovals} runs the removal of an ended call's record: in a cluster it is a network round trip,
     * which must not hold the thread that ended the call (often the stack's, answering the BYE). A removal it refuses
     * runs on the calling thread.
     */
    public CallManager(SipAgent agent, CallRegistry registry, SessionStore store, Executor recordRemovals,
                       TimerScheduler scheduler, SendQueues sendQueues, RandomGenerator random,
                       SessionTimerConfig inboundConfig, CallHandler handler) {
        this.agent = agent;
        this.registry = registry;
        this.store = store;
        this.recordRemovals = recordRemovals;
        this.scheduler = scheduler;
        this.sendQueues = sendQueues;
        this.random = random;
        this.handler = handler;
        this.outgoing = new OutgoingCalls(this, agent, registry, scheduler);
        this.incoming = new IncomingCalls(this, agent, registry);
        this.refreshes = new SessionRefreshes(this, agent, scheduler);
        this.stored = new StoredCalls(this, agent, registry, store);
        this.early = new EarlyDialogRequests(this, agent, incoming);
        this.unwanted = new UnwantedAnswers(this, agent);
        inboundConfig(inboundConfig);
    }

    /** The configuration that negotiates incoming calls and incoming refreshes of calls we took. */
    public void inboundConfig(SessionTimerConfig config) {
        this.inboundNegotiator = new UasNegotiator(config);
    }

    /** Negotiates incoming calls with the configuration of the consumer that answers them. */
    UasNegotiator inboundNegotiator() {
        return inboundNegotiator;
    }

    /**
     * What the calls we answered and the calls taken over from another node answer digest challenges with (R13):
     * their requests have no producer to name credentials, and passwords are not put in the session store.
     */
    public void agentCredentials(DigestCredentials credentials) {
        this.agentCredentials = credentials;
    }

    /** How long an incoming call may wait for its answering route to decide (ms; 0: for ever). */
    public void inboundAnswerTimeout(long millis) {
        this.inboundAnswerTimeoutMillis = millis;
    }

    long inboundAnswerTimeout() {
        return inboundAnswerTimeoutMillis;
    }

    public void handler(CallHandler newHandler) {
        this.handler = newHandler;
    }

    CallHandler handler() {
        return handler;
    }

    /** Where the outcomes that no call event carries are counted (refresh answers, refusals, 422 retries). */
    public void recorder(SessionTimerRecorder newRecorder) {
        this.recorder = newRecorder;
    }

    SessionTimerRecorder recorder() {
        return recorder;
    }

    TimerScheduler scheduler() {
        return scheduler;
    }

    RandomGenerator random() {
        return random;
    }

    /** Where this agent's confirmed calls are recorded. */
    public SessionStore sessionStore() {
        return store;
    }

    /** The name of this node, owner of the calls it holds (K1). */
    String nodeName() {
        return store.nodeName();
    }

    // =====================================================================================================
    // What the Camel face asks for, through SipCall
    // =====================================================================================================

    /**
     * Places a call. The future completes with the established call (2xx received and ACKed, timer running as
     * negotiated) or exceptionally with a {@link SipCallException}; a call still unanswered after
     * {@code answerTimeoutMillis} is cancelled and fails with 408. With an {@code outboundProxy} (a SIP URI, or null)
     * the INVITE goes there with a preloaded Route ({@link OutboundProxy}). The call answers digest challenges to
     * its requests with {@code credentials} (null: none, a challenge fails the request).
     */
    public CompletableFuture<SipCall> invite(String to, String from, String outboundProxy, byte[] sdpOffer,
                                             SessionTimerConfig config, long answerTimeoutMillis,
                                             DigestCredentials credentials) {
        return outgoing.invite(to, from, outboundProxy, sdpOffer, config, answerTimeoutMillis, credentials);
    }

    boolean answer(SipCall call, byte[] sdpAnswer) {
        return incoming.answer(call, sdpAnswer);
    }

    void ringing(SipCall call) {
        incoming.ringing(call);
    }

    boolean reject(SipCall call, int statusCode, String reasonPhrase) {
        return incoming.reject(call, statusCode, reasonPhrase);
    }

    void sendRefresh(SipCall call) {
        refreshes.sendRefresh(call);
    }

    boolean answerOffer(SipCall call, byte[] sdpAnswer) {
        return refreshes.answerOffer(call, sdpAnswer);
    }

    boolean rejectOffer(SipCall call, int statusCode, String reasonPhrase) {
        return refreshes.rejectOffer(call, statusCode, reasonPhrase);
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
                        incoming.reject(call, Response.TEMPORARILY_UNAVAILABLE, null);
                    } else {
                        outgoing.cancel(call, new SipCallException(Response.REQUEST_TERMINATED, "cancelled: " + reason, null));
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
     * when none could be made. Called with the lock held: the BYE is numbered and built here and written after the
     * lock is released ({@link SendQueues}).
     */
    ClientTransaction sendBye(SipCall call, String reason) {
        ClientTransaction bye = null;
        try {
            if (call.stored() == null) {
                // confirmed but never recorded (the store refused it): no other node knows the call, no fence needed
                bye = unrecordedBye(call, reason);
            } else if (!call.dialogTerminated()) {
                CallRecord reserved = reserve(call, Request.BYE); // K1
                if (reserved == null) {
                    return null; // not ours any more: dropped without a word
                }
                Request request = call.link().createRequest(Request.BYE, reserved);
                advertiseTimer(call.config(), request); // H4
                bye = agent.provider().getNewClientTransaction(request);
                DialogLink link = call.link();
                ClientTransaction transaction = bye;
                writeBye(call, bye, reason, () -> link.send(transaction));
            }
        } catch (Exception e) {
            LOG.warn("Cannot send BYE for Call-ID={}: {}", call.callId(), e.getMessage());
        }
        terminate(call, reason);
        return bye;
    }

    private ClientTransaction unrecordedBye(SipCall call, String reason) throws Exception {
        Dialog dialog = call.dialog();
        if (dialog == null || call.dialogTerminated()) {
            return null;
        }
        Request bye = dialog.createRequest(Request.BYE);
        stampOurAddress(bye);
        advertiseTimer(call.config(), bye);
        ClientTransaction transaction = agent.provider().getNewClientTransaction(bye);
        writeBye(call, transaction, reason, () -> dialog.sendRequest(transaction));
        return transaction;
    }

    /** Writes a BYE after the call's lock is released; its answer, or the lack of one, changes nothing. */
    private void writeBye(SipCall call, ClientTransaction bye, String reason, SendQueues.Write write) {
        prepare(bye, call); // the call: a challenge to the BYE is answered from it (R13)
        String callId = call.callId();
        sendQueues.submit(bye.getRequest(), SendQueues.Send.of(() -> {
            write.run();
            LOG.info("Sent BYE for Call-ID={} ({})", callId, reason);
        }, cause -> {
            LOG.warn("Cannot send BYE for Call-ID={}: {}", callId, cause.getMessage());
            discard(bye);
        }));
    }

    /**
     * Drops a client transaction that was made but not sent: the stack keeps every transaction it made until the
     * transaction's timers end it, and an unsent one has none running.
     */
    static void discard(ClientTransaction transaction) {
        try {
            transaction.terminate();
        } catch (Exception e) {
            LOG.debug("Cannot drop an unsent transaction: {}", e.toString());
        }
    }

    /** Where this agent's in-dialog requests are written, off the threads that decide them. */
    public SendQueues sendQueues() {
        return sendQueues;
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

    /**
     * R13: a BYE challenged with 401/407 goes again with credentials, so that the peer ends the call too (for us it
     * is over since the first BYE). Its CSeq is the helper's + 1 without a store write: the record went with the call.
     */
    private void onByeResponse(SipCall call, ResponseEvent event) {
        int status = event.getResponse().getStatusCode();
        if (!DigestAuthenticator.isChallenge(status)) {
            return;
        }
        try {
            ClientTransaction again = answerChallenge(call, event);
            DialogLink link = call.link();
            Dialog dialog = call.dialog();
            writeBye(call, again, "challenged with " + status + ", sent again with credentials",
                    link != null ? () -> link.send(again) : () -> dialog.sendRequest(again));
        } catch (UnansweredChallengeException e) {
            LOG.warn("BYE for Call-ID={} failed, the peer may keep the call until its own expiry: {}", call.callId(),
                    e.getMessage());
        } catch (Exception e) {
            LOG.warn("Cannot send BYE with credentials for Call-ID={}: {}", call.callId(), e.getMessage());
        }
    }

    /** Stops the timers, forgets the call here and in the store, and reports it (R12). Safe to call more than once. */
    void terminate(SipCall call, String reason) {
        end(call, reason, true);
    }

    /**
     * Ends the call here only: its record stays for the node that owns it now, or that will adopt it (K4, and a
     * node that leaves the cluster).
     */
    void forget(SipCall call, String reason) {
        end(call, reason, false);
    }

    private void end(SipCall call, String reason, boolean removeRecord) {
        boolean wasActive;
        CallRecord stored;
        synchronized (call) {
            wasActive = call.state() != SipCall.State.TERMINATED;
            call.state(SipCall.State.TERMINATED);
            call.stopTimer();
            call.releaseSetupState();
            call.refreshInProgress(null);
            registry.remove(call);
            stored = call.stored();
        }
        if (wasActive && removeRecord && stored != null) {
            removeRecord(call.callId());
        }
        if (wasActive) {
            LOG.info("Call ended Call-ID={} reason={}", call.callId(), reason);
            handler.callEvent(call, CallEvent.ENDED, reason);
        }
    }

    /**
     * Removes the record of a call that ended here. Until it is gone another node could still answer a stale request
     * of the call from it (K3), which is harmless: the call is over for us, and the peer's BYE got its 200.
     */
    private void removeRecord(String callId) {
        Runnable removal = () -> {
            try {
                store.remove(callId);
            } catch (SessionStoreException e) {
                LOG.warn("Ended Call-ID={} but cannot remove its record: {}", callId, e.getMessage());
            }
        };
        try {
            recordRemovals.execute(removal);
        } catch (RejectedExecutionException e) {
            removal.run(); // the pool is full or stopping: slower, but the record does not stay behind
        }
    }

    // =====================================================================================================
    // The session store (K1-K4), through StoredCalls
    // =====================================================================================================

    /** See {@link StoredCalls#record}. */
    void record(SipCall call, CallRecord.DialogAddress address, long localCSeq, long remoteCSeq) {
        stored.record(call, address, localCSeq, remoteCSeq);
    }

    /** See {@link StoredCalls#reserve}. */
    CallRecord reserve(SipCall call, String method) {
        return stored.reserve(call, method);
    }

    /** See {@link StoredCalls#recordSession}. */
    boolean recordSession(SipCall call, UnaryOperator<CallRecord> change) {
        return stored.recordSession(call, change);
    }

    /** K2: the call taken over here that this initial INVITE set up on another node, or null. */
    SipCall adoptedBy(Request invite) {
        return stored.adoptedBy(invite);
    }

    /** See {@link StoredCalls#adopt}. */
    public SipCall adopt(CallRecord record, String previousOwner) {
        return stored.adopt(record, previousOwner);
    }

    /** See {@link StoredCalls#lost}. */
    public void lost(String callId, String reason) {
        stored.lost(callId, reason);
    }

    /**
     * Ends every call of this agent, with BYE when asked to (component shutdown), and then waits up to {@code grace}
     * for the BYEs to be answered. The stack stops right after this: over TCP a request still queued for writing
     * is lost with its connection, and the peer would keep the session until its expiry.
     */
    public void endAll(boolean sendBye, Duration grace) {
        if (store.isReplicated()) {
            // a node leaving a cluster hands its confirmed calls over: the nodes that remain adopt them from the store;
            // calls still being set up are not recorded anywhere and end here as on a single node
            for (SipCall call : registry.snapshot()) {
                if (call.manager() == this && call.isRecorded()) {
                    forget(call, "node leaving the cluster");
                } else if (call.manager() == this) {
                    hangup(call, "shutdown");
                }
            }
            return;
        }
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
            RequestValidation.Refusal refusal = RequestValidation.check(request, supportedOptionTags(request));
            if (refusal != null) {
                refuse(event, refusal);
                return;
            }
            switch (method) {
                case Request.INVITE -> {
                    if (((ToHeader) request.getHeader(ToHeader.NAME)).getTag() == null) {
                        incoming.onNewInvite(event);
                    } else {
                        refreshes.onRefreshRequest(event);
                    }
                }
                case Request.UPDATE -> {
                    if (!answeredEarly(event)) {
                        refreshes.onRefreshRequest(event);
                    }
                }
                case Request.ACK -> incoming.onAck(event);
                case Request.BYE -> {
                    if (!answeredEarly(event)) {
                        onBye(event);
                    }
                }
                case Request.CANCEL -> incoming.onCancel(event);
                case Request.OPTIONS -> onOptions(event);
                default -> respond(event, SipMessages.notTakenStatus(method));
            }
        } catch (Exception e) {
            LOG.warn("Cannot handle {} Call-ID={}: {}", method, SipMessages.callIdOf(request), e.toString());
            if (!Request.ACK.equals(method)) {
                respond(event, Response.SERVER_INTERNAL_ERROR);
            }
        }
    }

    /** A BYE or UPDATE in the early dialog of a call held here, answered as {@link EarlyDialogRequests} says. */
    private boolean answeredEarly(RequestEvent event) throws Exception {
        SipCall call = registry.get(SipMessages.callIdOf(event.getRequest()));
        return call != null && call.manager() == this && early.answer(event, call);
    }

    /** The option tags a request may require: timer where the call it belongs to, or a new call, uses timers. */
    private Set<String> supportedOptionTags(Request request) {
        SipCall call = registry.get(SipMessages.callIdOf(request));
        SessionTimerConfig config = call != null ? call.config() : inboundNegotiator.config();
        return config.isEnabled() ? Set.of(SipMessages.TIMER) : Set.of();
    }

    /** RFC 3261 §8.2: a request we cannot take at all is refused before any part sees it. */
    private void refuse(RequestEvent event, RequestValidation.Refusal refusal) throws Exception {
        Request request = event.getRequest();
        ServerTransaction transaction = serverTransaction(event);
        if (transaction == null) {
            return;
        }
        Response response = agent.messageFactory().createResponse(refusal.status(), request);
        ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
        boolean newCall = to.getTag() == null;
        if (newCall) {
            to.setTag(SipMessages.newTag()); // §8.2.6.2
        }
        for (String tag : refusal.unsupported()) {
            response.addHeader(agent.headerFactory().createUnsupportedHeader(tag));
        }
        LOG.info("Refused {} Call-ID={} with {}", request.getMethod(), SipMessages.callIdOf(request), refusal.describe());
        if (newCall && Request.INVITE.equals(request.getMethod())) {
            recorder.inviteRejected(refusal.reason());
        }
        transaction.sendResponse(response);
    }

    private void onOptions(RequestEvent event) throws Exception {
        ServerTransaction transaction = serverTransaction(event);
        if (transaction == null) {
            return;
        }
        if (!store.isAvailable()) {
            // K4: a node that cannot record calls (cut off from the cluster, still joining) is out of service for the
            // front door, which probes with OPTIONS; the 503s it answers to calls then say only "not now"
            Response unavailable = agent.messageFactory().createResponse(Response.SERVICE_UNAVAILABLE,
                    event.getRequest());
            unavailable.setReasonPhrase("Service Unavailable (session store unavailable)");
            transaction.sendResponse(unavailable);
            return;
        }
        Response ok = agent.messageFactory().createResponse(Response.OK, event.getRequest());
        SipMessages.addAllow(agent.headerFactory(), ok);
        advertiseTimer(inboundNegotiator.config(), ok);
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
            Response response = event.getResponse();
            CallIdHeader callId = (CallIdHeader) response.getHeader(CallIdHeader.NAME);
            SipCall held = callId == null ? null : registry.get(callId.getCallId());
            if (held != null && held.isAdopted()) {
                stored.reAckAdopted(response);
            } else if (callId != null && UnwantedAnswers.isInviteSuccess(response)) {
                unwanted.take(event, held); // R16
            }
            return;
        }
        if (transaction.getApplicationData() instanceof TransactionOwner owner) {
            owner.onResponse(event);
            return;
        }
        SipCall call = (SipCall) transaction.getApplicationData();
        if (call == null) {
            return;
        }
        try {
            String method = ((CSeqHeader) event.getResponse().getHeader(CSeqHeader.NAME)).getMethod();
            if (Request.BYE.equals(method)) {
                onByeResponse(call, event);
                return;
            }
            int status = event.getResponse().getStatusCode();
            if (status < 200 && Request.INVITE.equals(method)) {
                synchronized (call) {
                    call.refreshProceeding(transaction); // R14
                }
            }
            if (Request.INVITE.equals(method) && call.role() == Role.UAC && call.initialInvite() != null
                    && call.state() == SipCall.State.EARLY) {
                outgoing.onInitialInviteResponse(call, event);
            } else if (Request.INVITE.equals(method) && call.state() == SipCall.State.TERMINATED
                       && status >= 200 && status < 300 && transaction == call.inviteClientTransaction()) {
                outgoing.onLateSuccess(call, event);
            } else if (UnwantedAnswers.isInviteSuccess(event.getResponse()) && !isAwaited(call, transaction)) {
                unwanted.take(event, call); // R16: a fork's 2xx, or one to a refresh we gave up on
            } else {
                refreshes.onRefreshResponse(call, event);
            }
        } catch (Exception e) {
            LOG.warn("Cannot handle response {} for Call-ID={}: {}", event.getResponse().getStatusCode(),
                    call.callId(), e.toString());
        }
    }

    /** Whether the call still waits for the final answer of this transaction of its own (a refresh). */
    private static boolean isAwaited(SipCall call, ClientTransaction transaction) {
        synchronized (call) {
            return call.state() == SipCall.State.CONFIRMED && call.refreshInProgress() == transaction;
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (event.isServerTransaction()) {
            return; // an unACKed 2xx: processDialogTimeout ends the call
        }
        ClientTransaction transaction = event.getClientTransaction();
        if (transaction.getApplicationData() instanceof TransactionOwner owner) {
            owner.onTimeout();
            return;
        }
        SipCall call = (SipCall) transaction.getApplicationData();
        if (call == null) {
            return;
        }
        String method = transaction.getRequest() != null ? transaction.getRequest().getMethod() : "?";
        LOG.info("No answer to {} for Call-ID={}", method, call.callId());
        synchronized (call) {
            if (call.state() == SipCall.State.EARLY) {
                outgoing.endEarly(call, new SipCallException(Response.REQUEST_TIMEOUT, "no answer to INVITE", null));
            } else if (call.refreshInProgress() == transaction) {
                call.refreshInProgress(null);
                recorder.refreshSent(method, Response.REQUEST_TIMEOUT);
                refreshes.applyRefreshFailure(call, Response.REQUEST_TIMEOUT, -1); // R7
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

    /**
     * RFC 3261 §13.3.1.4: no ACK came for our 2xx to an INVITE within 64*T1 (JAIN-SIP retransmitted it that long):
     * the dialog is confirmed, but the session is ended with BYE. Any other dialog timeout ends the dialog as JAIN-SIP
     * does for a listener that does not take these events.
     */
    @Override
    public void processDialogTimeout(DialogTimeoutEvent event) {
        Dialog dialog = event.getDialog();
        SipCall call = registry.get(dialog.getCallId().getCallId());
        if (event.getReason() == DialogTimeoutEvent.Reason.AckNotReceived && call != null && call.dialog() == dialog) {
            synchronized (call) {
                if (call.state() == SipCall.State.CONFIRMED) {
                    LOG.info("No ACK for our 2xx of Call-ID={} within 64*T1; ending the call with BYE", call.callId());
                    sendBye(call, "no ACK");
                    return;
                }
            }
        }
        dialog.delete();
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
    // what the parts share
    // =====================================================================================================

    /** H4: {@code Supported: timer} on every request but ACK/CANCEL and on 2xx answers, unless timers are off. */
    void advertiseTimer(SessionTimerConfig config, Message message) throws ParseException {
        if (config.isEnabled()) {
            SipMessages.addSupportedTimer(agent.headerFactory(), message);
        }
    }

    /**
     * R13: the request that {@code event} challenged, answered with the call's credentials, CSeq + 1, on a new client
     * transaction not sent yet. A call we placed answers with the credentials its producer gave; the others with
     * {@link #agentCredentials}.
     */
    ClientTransaction answerChallenge(SipCall call, ResponseEvent event) throws UnansweredChallengeException {
        DigestCredentials credentials = call.role() == Role.UAC && !call.isAdopted() ? call.credentials()
                : agentCredentials;
        return new DigestAuthenticator((SipStackExt) agent.stack(), agent.headerFactory())
                .answer(event.getResponse(), event.getClientTransaction(), agent.provider(), credentials);
    }

    void prepare(ClientTransaction transaction, SipCall call) {
        transaction.setApplicationData(call);
        transaction.setRetransmitTimer(agent.settings().transactionT1Millis());
    }

    /**
     * The call an in-dialog request belongs to: held here, or taken over from the store (K3). Answers 481 and
     * returns null when there is none, 503 when the store cannot tell (another node may hold the call).
     */
    SipCall callOf(ServerTransaction transaction, Request request) throws Exception {
        String callId = SipMessages.callIdOf(request);
        SipCall call = registry.get(callId);
        if (call == null) {
            try {
                call = stored.takeOver(callId);
            } catch (SessionStoreException e) {
                LOG.warn("{} for Call-ID={} not held here, and the session store cannot tell ({}); answering 503",
                        request.getMethod(), callId, e.getMessage());
                transaction.sendResponse(agent.messageFactory().createResponse(Response.SERVICE_UNAVAILABLE, request));
                return null;
            }
        }
        if (call == null) {
            transaction.sendResponse(agent.messageFactory().createResponse(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, request));
        }
        return call;
    }

    ServerTransaction serverTransaction(RequestEvent event) throws Exception {
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

    /**
     * The Via of a request we send: the advertised address as sent-by (behind NAT, the bound one is of no use to the
     * peer) and {@code rport}, asking for the answer at the port it came from (RFC 3581).
     */
    public ViaHeader newVia(String transport) throws Exception {
        SipAgentSettings.AdvertisedAddress advertised = agent.settings().advertised();
        ViaHeader via = agent.headerFactory().createViaHeader(advertised.host(), advertised.port(transport), transport,
                null);
        via.setRPort();
        return via;
    }

    /**
     * Our Via and Contact on a request that the stack's dialog built: it takes them from the listening point, which
     * knows neither the advertised address nor rport, and puts a Contact without our user part.
     */
    void stampOurAddress(Request request) throws Exception {
        ViaHeader built = (ViaHeader) request.getHeader(ViaHeader.NAME);
        String transport = built == null ? agent.settings().transports().get(0)
                : built.getTransport().toLowerCase(java.util.Locale.ROOT);
        request.removeFirst(ViaHeader.NAME);
        request.addFirst(newVia(transport));
        ContactHeader dialogContact = (ContactHeader) request.getHeader(ContactHeader.NAME);
        if (dialogContact != null) {
            // the dialog made it sips: when the dialog is secure; ours must stay so
            request.setHeader(contact(transport, SipMessages.isSips(dialogContact.getAddress().getURI())));
        }
    }

    /**
     * Our Contact for a transport: {@code sip:camel@host:port;transport=...}, or in a secure dialog (sips: URIs,
     * RFC 3261 §8.1.1.8, §12.1) {@code sips:camel@host:tlsPort}. It never changes while the agent lives, so it is
     * parsed once and copied.
     */
    public ContactHeader contact(String transport, boolean secure) throws ParseException {
        String key = secure ? "sips" : transport;
        ContactHeader contact = contacts.get(key);
        if (contact == null) {
            SipAgentSettings.AdvertisedAddress advertised = agent.settings().advertised();
            String uri = secure ? "sips:camel@" + advertised.host() + ":" + advertised.port("tls")
                    : "sip:camel@" + advertised.host() + ":" + advertised.port(transport) + ";transport=" + transport;
            contact = agent.headerFactory().createContactHeader(agent.addressFactory().createAddress("<" + uri + ">"));
            contacts.putIfAbsent(key, contact);
        }
        return (ContactHeader) contact.clone();
    }
}
