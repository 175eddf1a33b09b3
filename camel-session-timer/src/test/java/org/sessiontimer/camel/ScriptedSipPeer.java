package org.sessiontimer.camel;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Message;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.header.ExtensionHeaderImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SIP peer for component tests: a raw JAIN-SIP stack on loopback that does exactly what a test scripts and records
 * everything it receives.
 * <ul>
 * <li>places calls ({@link #call}) and sends re-INVITE, UPDATE, BYE and CANCEL in them ({@link PeerCall}) with
 * arbitrary header lines, malformed ones included ({@code Session-Expires: abc} goes out as written);</li>
 * <li>answers each kind of request ({@link Kind}) with a scripted {@link Answer}: a status, a reason phrase, header
 * lines, a body, or silence (no answer, no transaction); {@link #respondNext} queues one-off answers ahead of the
 * standing {@link #respond} script;</li>
 * <li>records every request and response it receives, with the time of arrival, in a {@link BlockingQueue}, so tests
 * wait for what they observe ({@link #expect}, {@link #poll}) instead of sleeping.</li>
 * </ul>
 * 2xx answers to its INVITEs are ACKed at once. Nothing here knows RFC 4028 beyond {@link Answer#refreshOk}: the
 * peer is as compliant, or not, as the test makes it.
 */
public final class ScriptedSipPeer implements SipListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScriptedSipPeer.class);

    /** The peer's session description; the o= line never changes. */
    public static final String PEER_SDP = "v=0\r\no=peer 4711 4711 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
                                          + "t=0 0\r\nm=audio 40000 RTP/AVP 0 8\r\na=rtpmap:0 PCMU/8000\r\n";

    /** What the peer can be asked to answer. */
    public enum Kind {
        /** An INVITE without To tag: a new call. */
        INVITE,
        /** An INVITE inside a dialog. */
        REINVITE,
        UPDATE,
        BYE,
        OPTIONS,
        CANCEL
    }

    private final String name;
    private final String host = "127.0.0.1";
    private final int port;
    private final int tlsPort;
    private final SipStack stack;
    private final SipProvider provider;
    private final HeaderFactory headerFactory;
    private final MessageFactory messageFactory;
    private final AddressFactory addressFactory;

    private final BlockingQueue<Received> arrivals = new LinkedBlockingQueue<>();
    /** Arrivals a test skipped while waiting for something else; searched first, in arrival order. */
    private final List<Received> skipped = new ArrayList<>();
    private final List<Received> history = new CopyOnWriteArrayList<>();
    private final Map<Kind, Function<Received, Answer>> responders = new EnumMap<>(Kind.class);
    private final Map<Kind, Deque<Function<Received, Answer>>> oneOff = new EnumMap<>(Kind.class);
    private final Map<String, PeerCall> calls = new ConcurrentHashMap<>();
    private final Map<String, String> localTags = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    /** When set, the 2xx to an INVITE the peer sent is not ACKed: a caller that vanished after its INVITE. */
    private volatile boolean withholdAck;
    private volatile String ackBody;
    private final List<ScheduledFuture<?>> scheduled = new CopyOnWriteArrayList<>();

    public ScriptedSipPeer(String name, int port) throws Exception {
        this(name, port, null, 0);
    }

    /**
     * A peer that also listens for SIP over TLS on {@code tlsPort}, with the key and trust of a PKCS12 store (see
     * {@link TestCertificates}). Its TLS is JAIN-SIP's own, configured by the RI's key store properties: a peer
     * independent of the component's Camel-configured TLS.
     */
    public ScriptedSipPeer(String name, int port, java.nio.file.Path tlsKeyStore, int tlsPort) throws Exception {
        this.name = name;
        this.port = port;
        this.tlsPort = tlsPort;
        SipFactory factory = SipFactory.getInstance();
        headerFactory = factory.createHeaderFactory();
        messageFactory = factory.createMessageFactory();
        addressFactory = factory.createAddressFactory();
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", "scripted-peer-" + name + "-" + port);
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", "org.sessiontimer.camel.sip.Slf4jStackLogger");
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", "org.sessiontimer.camel.sip.Slf4jServerLogger");
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "4");
        p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        if (tlsKeyStore != null) {
            p.setProperty("javax.net.ssl.keyStore", tlsKeyStore.toAbsolutePath().toString());
            p.setProperty("javax.net.ssl.keyStorePassword", TestCertificates.PASSWORD);
            p.setProperty("javax.net.ssl.keyStoreType", "PKCS12");
            p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Disabled");
            p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", "TLSv1.3, TLSv1.2");
        }
        SipStackImpl impl = new SipStackImpl(p);
        if (tlsKeyStore != null) {
            // the RI's own list is four RSA key exchange suites; a peer of today offers the JDK's
            impl.setEnabledCipherSuites(javax.net.ssl.SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites());
        }
        stack = impl;
        ListeningPoint udp = stack.createListeningPoint(host, port, ListeningPoint.UDP);
        ListeningPoint tcp = stack.createListeningPoint(host, port, ListeningPoint.TCP);
        provider = stack.createSipProvider(udp);
        provider.addListeningPoint(tcp);
        if (tlsKeyStore != null) {
            provider.addListeningPoint(stack.createListeningPoint(host, tlsPort, ListeningPoint.TLS));
        }
        provider.addSipListener(this);
        stack.start();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "scripted-peer-" + name + "-timer");
            t.setDaemon(true);
            return t;
        });
        reset();
        LOG.info("Scripted SIP peer {} listening on {}:{} udp,tcp", name, host, port);
    }

    // =================================================================================================
    // Scripting
    // =================================================================================================

    /** The next ACK the peer sends carries this body (an answer to the offer in a 2xx); one-off. */
    public void ackWithBody(String sdp) {
        this.ackBody = sdp;
    }

    /** The peer ACKs no 2xx to its INVITEs until {@link #reset}. */
    public void withholdAck() {
        this.withholdAck = true;
    }

    /** Back to the default script (answer everything like a plain UA without session timers) and an empty inbox. */
    public synchronized void reset() {
        withholdAck = false;
        ackBody = null;
        for (ScheduledFuture<?> task : scheduled) {
            task.cancel(false);
        }
        scheduled.clear();
        responders.clear();
        oneOff.clear();
        responders.put(Kind.INVITE, r -> Answer.ok().sdp());
        responders.put(Kind.REINVITE, r -> Answer.refreshOk(r).sdp());
        responders.put(Kind.UPDATE, Answer::refreshOk);
        responders.put(Kind.BYE, r -> Answer.ok());
        responders.put(Kind.OPTIONS, r -> Answer.ok());
        responders.put(Kind.CANCEL, r -> Answer.ok());
        arrivals.clear();
        skipped.clear();
        history.clear();
        calls.clear();
        localTags.clear();
    }

    /** The standing answer to every request of this kind (after the one-off answers queued by {@link #respondNext}). */
    public synchronized ScriptedSipPeer respond(Kind kind, Function<Received, Answer> responder) {
        responders.put(kind, responder);
        return this;
    }

    /** The standing answer to every request of this kind. */
    public ScriptedSipPeer respond(Kind kind, Answer answer) {
        return respond(kind, r -> answer);
    }

    /** One-off answers for the next requests of this kind, in order; then the standing answer again. */
    public synchronized ScriptedSipPeer respondNext(Kind kind, Answer... answers) {
        Deque<Function<Received, Answer>> queue = oneOff.computeIfAbsent(kind, k -> new ArrayDeque<>());
        for (Answer answer : answers) {
            queue.add(r -> answer);
        }
        return this;
    }

    /** A one-off answer computed from the request. */
    public synchronized ScriptedSipPeer respondNext(Kind kind, Function<Received, Answer> responder) {
        oneOff.computeIfAbsent(kind, k -> new ArrayDeque<>()).add(responder);
        return this;
    }

    private synchronized Answer answerFor(Kind kind, Received request) {
        Deque<Function<Received, Answer>> queue = oneOff.get(kind);
        Function<Received, Answer> responder = queue != null && !queue.isEmpty() ? queue.poll() : responders.get(kind);
        return responder == null ? Answer.status(405) : responder.apply(request);
    }

    /** Runs a task after a delay on the peer's timer (e.g. a refresh at SE/2); cancelled by {@link #reset}. */
    public ScheduledFuture<?> schedule(Duration delay, ThrowingRunnable task) {
        ScheduledFuture<?> future = timer.schedule(() -> {
            try {
                task.run();
            } catch (Exception e) {
                LOG.warn("Scheduled task of peer {} failed", name, e);
            }
        }, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        scheduled.add(future);
        return future;
    }

    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }

    // =================================================================================================
    // Observing
    // =================================================================================================

    /**
     * The first message received (since the last {@link #reset}) that matches and was not taken before, waiting at
     * most {@code timeout} for it; null when none arrived in time.
     */
    public Received poll(Predicate<Received> filter, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (skipped) {
            for (int i = 0; i < skipped.size(); i++) {
                if (filter.test(skipped.get(i))) {
                    return skipped.remove(i);
                }
            }
            while (true) {
                long left = deadline - System.nanoTime();
                Received next = left > 0 ? arrivals.poll(left, TimeUnit.NANOSECONDS) : arrivals.poll();
                if (next == null) {
                    return null;
                }
                if (filter.test(next)) {
                    return next;
                }
                skipped.add(next);
            }
        }
    }

    /** Like {@link #poll} but fails the test, listing what did arrive, when nothing matches in time. */
    public Received expect(Predicate<Received> filter, Duration timeout, String what) throws InterruptedException {
        Received received = poll(filter, timeout);
        if (received == null) {
            throw new AssertionError(name + " received no " + what + " within " + timeout + "; it received: "
                                     + summary());
        }
        return received;
    }

    /** Fails the test when a matching message arrives within {@code window} (a bounded wait, not a sleep). */
    public void expectNone(Predicate<Received> filter, Duration window, String what) throws InterruptedException {
        Received received = poll(filter, window);
        if (received != null) {
            throw new AssertionError(name + " received " + what + " it should not have: " + received.firstLine()
                                     + "\n" + received.text());
        }
    }

    /** Every message received since the last reset, in arrival order. */
    public List<Received> history() {
        return List.copyOf(history);
    }

    public String summary() {
        List<String> lines = new ArrayList<>();
        for (Received r : history) {
            lines.add(r.firstLine() + " [" + r.callId() + " CSeq " + r.cseq() + " " + r.cseqMethod() + "]");
        }
        return lines.toString();
    }

    /** A request of this method. */
    public static Predicate<Received> request(String method) {
        return r -> r.isRequest() && r.method().equals(method);
    }

    /** A request of this method in this call. */
    public static Predicate<Received> request(String method, String callId) {
        return request(method).and(r -> callId.equals(r.callId()));
    }

    /** A final response (>= 200) to a request of this method. */
    public static Predicate<Received> finalResponse(String method) {
        return r -> !r.isRequest() && r.status() >= 200 && r.cseqMethod().equals(method);
    }

    /** A final response to a request of this method in this call. */
    public static Predicate<Received> finalResponse(String method, String callId) {
        return finalResponse(method).and(r -> callId.equals(r.callId()));
    }

    /** A response with this status to a request of this method. */
    public static Predicate<Received> response(int status, String method) {
        return r -> !r.isRequest() && r.status() == status && r.cseqMethod().equals(method);
    }

    // =================================================================================================
    // Sending
    // =================================================================================================

    /** This peer's address with a transport parameter, to call it. */
    public String uri(String transport) {
        return "sip:peer@" + host + ":" + portFor(transport) + ";transport=" + transport;
    }

    /** This peer's sips: address (TLS, RFC 3261 section 19.1). */
    public String sipsUri() {
        return "sips:peer@" + host + ":" + tlsPort;
    }

    private int portFor(String transport) {
        return "tls".equalsIgnoreCase(transport) ? tlsPort : port;
    }

    public int port() {
        return port;
    }

    /**
     * Places a call: an INVITE to {@code target} (e.g. {@code sip:camel@127.0.0.1:5060}) over the transport, with the
     * given header lines ("Name: value", sent as written) and the peer's SDP.
     */
    public PeerCall call(String target, String transport, String... headerLines) throws Exception {
        return callWithBody(target, transport, PEER_SDP, headerLines);
    }

    /** Places a call with the given body (null for none). */
    public PeerCall callWithBody(String target, String transport, String sdp, String... headerLines) throws Exception {
        SipURI requestUri = (SipURI) addressFactory.createURI(target);
        requestUri.setTransportParam(transport);
        Address to = addressFactory.createAddress(requestUri);
        Address from = addressFactory.createAddress("sip:peer@" + host + ":" + port);
        CallIdHeader callId = provider.getNewCallId();
        Request invite = messageFactory.createRequest(requestUri, Request.INVITE, callId,
                headerFactory.createCSeqHeader(1L, Request.INVITE),
                headerFactory.createFromHeader(from, newTag()),
                headerFactory.createToHeader(to, null),
                List.of(headerFactory.createViaHeader(host, portFor(transport), transport, null)),
                headerFactory.createMaxForwardsHeader(70));
        invite.addHeader(contact(transport));
        addHeaderLines(invite, headerLines);
        setBody(invite, sdp);
        ClientTransaction transaction = provider.getNewClientTransaction(invite);
        Dialog dialog = provider.getNewDialog(transaction);
        PeerCall call = new PeerCall(callId.getCallId(), transport, dialog, transaction);
        calls.put(call.callId(), call);
        LOG.info("Peer {} sends INVITE Call-ID={} over {}", name, call.callId(), transport);
        transaction.sendRequest();
        return call;
    }

    /** The call with this Call-ID that the peer placed or answered with 2xx. */
    public PeerCall callById(String callId) {
        PeerCall call = calls.get(callId);
        if (call == null) {
            throw new AssertionError(name + " has no call with Call-ID " + callId);
        }
        return call;
    }

    /**
     * Sends a request outside any dialog the peer knows: {@code method} to {@code target} with a made-up Call-ID and
     * To tag, as for a dialog that does not exist. Returns the Call-ID used.
     */
    public String sendOutOfDialog(String method, String target, String transport, boolean withToTag,
            String... headerLines) throws Exception {
        SipURI requestUri = (SipURI) addressFactory.createURI(target);
        requestUri.setTransportParam(transport);
        CallIdHeader callId = provider.getNewCallId();
        Request request = messageFactory.createRequest(requestUri, method, callId,
                headerFactory.createCSeqHeader(1L, method),
                headerFactory.createFromHeader(addressFactory.createAddress("sip:peer@" + host + ":" + port), newTag()),
                headerFactory.createToHeader(addressFactory.createAddress(requestUri), withToTag ? newTag() : null),
                List.of(headerFactory.createViaHeader(host, portFor(transport), transport, null)),
                headerFactory.createMaxForwardsHeader(70));
        request.addHeader(contact(transport));
        addHeaderLines(request, headerLines);
        if (Request.INVITE.equals(method)) {
            setBody(request, PEER_SDP);
        }
        provider.getNewClientTransaction(request).sendRequest();
        LOG.info("Peer {} sends {} outside a dialog Call-ID={}", name, method, callId.getCallId());
        return callId.getCallId();
    }

    /** A call of the peer's: placed by it, or answered by it with 2xx. */
    public final class PeerCall {
        private final String callId;
        private final String transport;
        private final Dialog dialog;
        private final ClientTransaction invite;
        private volatile String requestTarget;

        PeerCall(String callId, String transport, Dialog dialog, ClientTransaction invite) {
            this.callId = callId;
            this.transport = transport;
            this.dialog = dialog;
            this.invite = invite;
        }

        public String callId() {
            return callId;
        }

        public Dialog dialog() {
            return dialog;
        }

        /** The final response to the INVITE that set the call up (the peer placed it). */
        public Received awaitFinalResponse(Duration timeout) throws InterruptedException {
            return expect(finalResponse(Request.INVITE, callId), timeout, "final response to INVITE " + callId);
        }

        /** Sends a re-INVITE with the peer's (unchanged) SDP and the given header lines. */
        public void reInvite(String... headerLines) throws Exception {
            send(Request.INVITE, PEER_SDP, headerLines);
        }

        /** Sends a re-INVITE with this body (null: none, an offerless re-INVITE) and the given header lines. */
        public void reInviteWith(String sdp, String... headerLines) throws Exception {
            send(Request.INVITE, sdp, headerLines);
        }

        /** Sends an UPDATE with this body (null: none) and the given header lines. */
        public void updateWith(String sdp, String... headerLines) throws Exception {
            send(Request.UPDATE, sdp, headerLines);
        }

        /** Sends an UPDATE without body. */
        public void update(String... headerLines) throws Exception {
            send(Request.UPDATE, null, headerLines);
        }

        /** Sends an UPDATE carrying the peer's SDP as an offer. */
        public void updateWithOffer(String... headerLines) throws Exception {
            send(Request.UPDATE, PEER_SDP, headerLines);
        }

        public void bye() throws Exception {
            send(Request.BYE, null);
        }

        /**
         * Sends the later requests of this call to {@code target} (e.g. {@code sip:camel@127.0.0.1:5070}) instead of
         * the dialog's remote target, as a front door does once the node in the Request-URI has failed; null goes
         * back to the remote target.
         */
        public PeerCall sendTo(String target) {
            this.requestTarget = target;
            return this;
        }

        /** Cancels the INVITE the peer placed (it must have received a provisional answer). */
        public void cancel() throws Exception {
            Request cancel = invite.createCancel();
            LOG.info("Peer {} sends CANCEL Call-ID={}", name, callId);
            provider.getNewClientTransaction(cancel).sendRequest();
        }

        private void send(String method, String body, String... headerLines) throws Exception {
            Request request = dialog.createRequest(method);
            String target = requestTarget;
            if (target != null) {
                SipURI uri = (SipURI) addressFactory.createURI(target);
                uri.setTransportParam(transport);
                request.setRequestURI(uri);
            }
            if ((Request.INVITE.equals(method) || Request.UPDATE.equals(method))
                    && request.getHeader(ContactHeader.NAME) == null) {
                request.addHeader(contact(transport));
            }
            addHeaderLines(request, headerLines);
            setBody(request, body);
            ClientTransaction transaction = provider.getNewClientTransaction(request);
            LOG.info("Peer {} sends {} Call-ID={}", name, method, callId);
            dialog.sendRequest(transaction);
        }
    }

    /**
     * A UDP port on loopback that receives and never answers: give its {@link BlackHole#uri()} as Contact in an answer
     * and every later request of the dialog (refresh, BYE) vanishes there, with no 100 Trying either (JAIN-SIP sends
     * one for every INVITE its listener leaves unanswered, so {@link Answer#silence()} to a re-INVITE is "100, then
     * nothing"). The test reads what arrived with {@link BlackHole#expect}.
     */
    public static final class BlackHole implements AutoCloseable {
        private final DatagramSocket socket;
        private final List<String> seen = new ArrayList<>();

        public BlackHole() throws IOException {
            socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
        }

        public String uri() {
            return "sip:peer@127.0.0.1:" + socket.getLocalPort() + ";transport=udp";
        }

        /**
         * Waits (bounded, on the socket) for a datagram whose first line starts with {@code method}; returns its
         * arrival time in System.nanoTime(). Fails when none arrives in time.
         */
        public long expect(String method, Duration timeout) throws IOException {
            long deadline = System.nanoTime() + timeout.toNanos();
            byte[] buffer = new byte[65536];
            while (true) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("black hole received no " + method + " within " + timeout + "; it got "
                                             + seen);
                }
                socket.setSoTimeout((int) left);
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                long at = System.nanoTime();
                String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII);
                String firstLine = text.contains("\r\n") ? text.substring(0, text.indexOf("\r\n")) : text;
                seen.add(firstLine);
                if (firstLine.startsWith(method + " ")) {
                    return at;
                }
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    // =================================================================================================
    // JAIN-SIP listener
    // =================================================================================================

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        Received received = record(request);
        String method = request.getMethod();
        if (Request.ACK.equals(method)) {
            return;
        }
        Kind kind = switch (method) {
            case Request.INVITE -> ((ToHeader) request.getHeader(ToHeader.NAME)).getTag() == null
                    ? Kind.INVITE : Kind.REINVITE;
            case Request.UPDATE -> Kind.UPDATE;
            case Request.BYE -> Kind.BYE;
            case Request.OPTIONS -> Kind.OPTIONS;
            case Request.CANCEL -> Kind.CANCEL;
            default -> null;
        };
        Answer answer = kind == null ? Answer.status(405) : answerFor(kind, received);
        if (answer.silent) {
            LOG.info("Peer {} stays silent to {} Call-ID={}", name, method, received.callId());
            return;
        }
        try {
            ServerTransaction transaction = event.getServerTransaction();
            if (transaction == null) {
                transaction = provider.getNewServerTransaction(request);
            }
            Response response = messageFactory.createResponse(answer.status, request);
            if (answer.reason != null) {
                response.setReasonPhrase(answer.reason);
            }
            ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
            if (to.getTag() == null) {
                to.setTag(localTags.computeIfAbsent(received.callId(), id -> newTag()));
            }
            boolean dialogCreating = kind == Kind.INVITE && answer.status < 300 && answer.status > 100;
            boolean ownContact = answer.headerLines.stream().anyMatch(l -> l.regionMatches(true, 0, "Contact:", 0, 8));
            if (!ownContact && (Request.INVITE.equals(method) && answer.status > 100 && answer.status < 300
                    || Request.UPDATE.equals(method) && answer.status < 300)) {
                response.addHeader(contact(received.transport()));
            }
            addHeaderLines(response, answer.headerLines.toArray(String[]::new));
            setBody(response, answer.body);
            Dialog dialog = transaction.getDialog();
            if (dialogCreating && dialog == null) {
                dialog = provider.getNewDialog(transaction);
            }
            if (kind == Kind.INVITE && answer.status >= 200 && answer.status < 300) {
                // known before the 2xx leaves: a test that has seen the ACK to it may look the call up at once
                calls.put(received.callId(), new PeerCall(received.callId(), received.transport(), dialog, null));
            }
            for (Answer provisional : answer.provisionals) {
                Response early = messageFactory.createResponse(provisional.status, request);
                ((ToHeader) early.getHeader(ToHeader.NAME)).setTag(to.getTag());
                early.addHeader(contact(received.transport()));
                setBody(early, provisional.body);
                transaction.sendResponse(early);
            }
            if (!answer.provisionals.isEmpty()) {
                // later, as a callee answers after its early media: the stack may hand two messages that come
                // together to its listener in either order
                ServerTransaction later = transaction;
                timer.schedule(() -> {
                    try {
                        later.sendResponse(response);
                    } catch (Exception e) {
                        LOG.warn("Peer {} cannot answer {}: {}", name, method, e.toString());
                    }
                }, 200, TimeUnit.MILLISECONDS);
                return;
            }
            transaction.sendResponse(response);
            LOG.info("Peer {} answered {} Call-ID={} with {} {}", name, method, received.callId(), answer.status,
                    response.getReasonPhrase());
        } catch (TransactionAlreadyExistsException e) {
            LOG.debug("Peer {}: retransmitted {}", name, method);
        } catch (Exception e) {
            LOG.warn("Peer {} cannot answer {}: {}", name, method, e.toString(), e);
        }
    }

    @Override
    public void processResponse(ResponseEvent event) {
        Response response = event.getResponse();
        Received received = record(response);
        CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        if (Request.INVITE.equals(cseq.getMethod()) && response.getStatusCode() >= 200
                && response.getStatusCode() < 300 && event.getClientTransaction() != null && !withholdAck) {
            try {
                Dialog dialog = event.getDialog() != null ? event.getDialog()
                        : event.getClientTransaction().getDialog();
                Request ack = dialog.createAck(cseq.getSeqNumber());
                String body = ackBody;
                if (body != null) {
                    ackBody = null;
                    setBody(ack, body);
                }
                dialog.sendAck(ack);
            } catch (Exception e) {
                LOG.warn("Peer {} cannot ACK {} Call-ID={}: {}", name, response.getStatusCode(), received.callId(),
                        e.toString());
            }
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        LOG.info("Peer {}: {} transaction timed out", name, event.isServerTransaction() ? "server" : "client");
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        LOG.debug("Peer {}: I/O error towards {}:{}", name, event.getHost(), event.getPort());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        // nothing to do
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        // nothing to do
    }

    private Received record(Message message) {
        Received received = new Received(message, message.toString(), System.nanoTime(), System.currentTimeMillis());
        LOG.info("Peer {} received {} [Call-ID={} CSeq={} {}]", name, received.firstLine(), received.callId(),
                received.cseq(), received.cseqMethod());
        history.add(received);
        arrivals.add(received);
        return received;
    }

    // =================================================================================================
    // helpers
    // =================================================================================================

    private void addHeaderLines(Message message, String... headerLines) throws Exception {
        for (String line : headerLines) {
            int colon = line.indexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException("Not a header line 'Name: value': " + line);
            }
            String headerName = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).strip(); // not trim(): a test may end a value with a NUL byte
            message.addHeader(header(headerName, value));
        }
    }

    /**
     * Session timer headers go out exactly as written (JAIN-SIP would refuse or reformat malformed values); other
     * headers through the header factory so that the stack understands them, unless it cannot parse them.
     */
    private Header header(String headerName, String value) {
        String lower = headerName.toLowerCase(Locale.ROOT);
        if (!lower.equals("session-expires") && !lower.equals("x") && !lower.equals("min-se")) {
            try {
                return headerFactory.createHeader(headerName, value);
            } catch (Exception e) {
                // sent raw below
            }
        }
        ExtensionHeaderImpl raw = new ExtensionHeaderImpl(headerName);
        raw.setValue(value);
        return raw;
    }

    private void setBody(Message message, String body) throws Exception {
        if (body != null) {
            ContentTypeHeader type = headerFactory.createContentTypeHeader("application", "sdp");
            message.setContent(body.getBytes(StandardCharsets.US_ASCII), type);
        }
    }

    private ContactHeader contact(String transport) throws Exception {
        return headerFactory.createContactHeader(addressFactory.createAddress(
                "<sip:peer@" + host + ":" + portFor(transport) + ";transport=" + transport + ">"));
    }

    private static String newTag() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        stack.stop();
        LOG.info("Scripted SIP peer {} stopped", name);
    }

    // =================================================================================================
    // Values
    // =================================================================================================

    /** A scripted answer: status, reason phrase, header lines ("Name: value") and body; or silence. */
    public static final class Answer {
        final int status;
        final String reason;
        final boolean silent;
        final List<String> headerLines = new ArrayList<>();
        /** Provisional answers sent before this one, in order. */
        final List<Answer> provisionals = new ArrayList<>();
        String body;

        private Answer(int status, String reason, boolean silent) {
            this.status = status;
            this.reason = reason;
            this.silent = silent;
        }

        public static Answer ok() {
            return new Answer(200, null, false);
        }

        public static Answer status(int status) {
            return new Answer(status, null, false);
        }

        public static Answer status(int status, String reason) {
            return new Answer(status, reason, false);
        }

        /**
         * No answer: no response, no server transaction. For an INVITE JAIN-SIP still sends 100 Trying after 200 ms
         * (the client transaction then waits for ever); for a peer that answers nothing at all use a {@link BlackHole}.
         */
        public static Answer silence() {
            return new Answer(0, null, true);
        }

        /**
         * 200 to a refresh from a compliant session-timer UAS: the request's Session-Expires echoed (refresher=uac
         * added when the request left it out), {@code Require: timer} and {@code Supported: timer}.
         */
        public static Answer refreshOk(Received request) {
            Answer answer = ok();
            String sessionExpires = request.header("Session-Expires");
            if (sessionExpires != null) {
                String value = sessionExpires.toLowerCase(Locale.ROOT).contains("refresher")
                        ? sessionExpires : sessionExpires + ";refresher=uac";
                answer.header("Session-Expires: " + value).header("Require: timer");
            }
            return answer.header("Supported: timer");
        }

        /** Adds a header line, "Name: value", sent as written. */
        public Answer header(String line) {
            headerLines.add(line);
            return this;
        }

        /** The peer's SDP as body. */
        public Answer sdp() {
            this.body = PEER_SDP;
            return this;
        }

        /** Sends a provisional answer with this status and body (null: none) before this one, e.g. 183 with SDP. */
        public Answer after(int provisionalStatus, String provisionalBody) {
            provisionals.add(status(provisionalStatus).body(provisionalBody));
            return this;
        }

        public Answer body(String newBody) {
            this.body = newBody;
            return this;
        }

        @Override
        public String toString() {
            return silent ? "silence" : status + " " + headerLines;
        }
    }

    /** A message the peer received, with its arrival time. */
    public record Received(Message message, String text, long nanos, long epochMillis) {

        public boolean isRequest() {
            return message instanceof Request;
        }

        public String method() {
            return isRequest() ? ((Request) message).getMethod() : null;
        }

        public int status() {
            return isRequest() ? 0 : ((Response) message).getStatusCode();
        }

        public String reasonPhrase() {
            return isRequest() ? null : ((Response) message).getReasonPhrase();
        }

        public String callId() {
            CallIdHeader callId = (CallIdHeader) message.getHeader(CallIdHeader.NAME);
            return callId == null ? null : callId.getCallId();
        }

        public long cseq() {
            CSeqHeader cseq = (CSeqHeader) message.getHeader(CSeqHeader.NAME);
            return cseq == null ? -1 : cseq.getSeqNumber();
        }

        public String cseqMethod() {
            CSeqHeader cseq = (CSeqHeader) message.getHeader(CSeqHeader.NAME);
            return cseq == null ? null : cseq.getMethod();
        }

        public String viaBranch() {
            ViaHeader via = (ViaHeader) message.getHeader(ViaHeader.NAME);
            return via == null ? null : via.getBranch();
        }

        public String transport() {
            ViaHeader via = (ViaHeader) message.getHeader(ViaHeader.NAME);
            return via == null ? "udp" : via.getTransport().toLowerCase(Locale.ROOT);
        }

        public String fromTag() {
            return ((FromHeader) message.getHeader(FromHeader.NAME)).getTag();
        }

        public String firstLine() {
            int end = text.indexOf('\r');
            return end < 0 ? text : text.substring(0, end);
        }

        /** The body as text, "" when none. */
        public String body() {
            byte[] raw = message.getRawContent();
            return raw == null ? "" : new String(raw, StandardCharsets.US_ASCII);
        }

        /** The o= line of the SDP body, or null. */
        public String sdpOrigin() {
            for (String line : body().split("\r?\n")) {
                if (line.startsWith("o=")) {
                    return line;
                }
            }
            return null;
        }

        /**
         * Every value of a header as encoded, one entry per header line, in order; the compact forms x (Session-Expires)
         * and k (Supported) count as their long names.
         */
        public List<String> headers(String headerName) {
            List<String> values = new ArrayList<>();
            String wanted = canonical(headerName);
            for (String line : text.split("\r\n")) {
                if (line.isEmpty()) {
                    break; // end of the header section
                }
                int colon = line.indexOf(':');
                if (colon > 0 && canonical(line.substring(0, colon).trim()).equals(wanted)) {
                    values.add(line.substring(colon + 1).trim());
                }
            }
            return values;
        }

        /** The first value of a header, or null. */
        public String header(String headerName) {
            List<String> values = headers(headerName);
            return values.isEmpty() ? null : values.get(0);
        }

        /** The comma-separated tokens of every header line of this name (Allow, Supported, Require), lower case. */
        public Set<String> tokens(String headerName) {
            Set<String> tokens = new LinkedHashSet<>();
            for (String value : headers(headerName)) {
                for (String token : value.split(",")) {
                    if (!token.isBlank()) {
                        tokens.add(token.trim().toLowerCase(Locale.ROOT));
                    }
                }
            }
            return tokens;
        }

        /** How often an option tag appears across the header lines of this name (to catch duplicates). */
        public long tokenCount(String headerName, String token) {
            long count = 0;
            for (String value : headers(headerName)) {
                for (String t : value.split(",")) {
                    if (t.trim().equalsIgnoreCase(token)) {
                        count++;
                    }
                }
            }
            return count;
        }

        private static String canonical(String headerName) {
            String lower = headerName.toLowerCase(Locale.ROOT);
            return switch (lower) {
                case "x" -> "session-expires";
                case "k" -> "supported";
                case "i" -> "call-id";
                case "m" -> "contact";
                case "l" -> "content-length";
                case "c" -> "content-type";
                default -> lower;
            };
        }

        @Override
        public String toString() {
            return firstLine();
        }
    }
}
