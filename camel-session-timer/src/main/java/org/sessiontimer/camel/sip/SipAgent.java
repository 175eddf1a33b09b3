package org.sessiontimer.camel.sip;

import java.util.ArrayList;
import java.util.EventObject;
import java.util.List;
import java.util.Properties;

import javax.sip.ListeningPoint;
import javax.sip.SipException;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;

import gov.nist.core.net.DefaultNetworkLayer;
import gov.nist.javax.sip.EventScanner;
import gov.nist.javax.sip.EventWrapper;
import gov.nist.javax.sip.SipStackImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JAIN-SIP stack with its listening points and provider: the transport, parsing, transaction and
 * retransmission layers, owned here and nowhere else. The call logic on top is a {@link SipListener} handed in.
 */
public final class SipAgent {

    private static final Logger LOG = LoggerFactory.getLogger(SipAgent.class);
    /** How long a TLS peer may take for its handshake before its connection is closed. */
    static final long TLS_HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    /** How long a TCP peer may pause within a message's headers before the stack closes the connection. */
    static final long TCP_READ_TIMEOUT_MILLIS = 5000;

    private final SipAgentSettings settings;
    private final HeaderFactory headerFactory;
    private final MessageFactory messageFactory;
    private final AddressFactory addressFactory;
    private final UnparsableMessages unparsable = new UnparsableMessages();
    private SipStack stack;
    private SipProvider provider;

    public SipAgent(SipAgentSettings settings) {
        this.settings = settings;
        try {
            SipFactory factory = SipFactory.getInstance();
            this.headerFactory = factory.createHeaderFactory();
            this.messageFactory = factory.createMessageFactory();
            this.addressFactory = factory.createAddressFactory();
        } catch (javax.sip.PeerUnavailableException e) {
            throw new IllegalStateException("JAIN-SIP factories unavailable", e);
        }
    }

    /** Binds the listening points and starts delivering messages to the listener. */
    public synchronized void start(SipListener listener) throws SipException {
        if (stack != null) {
            return;
        }
        // A SipStackImpl of our own rather than SipFactory.createSipStack: the factory caches stacks by name
        // for the life of the JVM, which would leak one per restart.
        SslContextNetworkLayer tls = settings.sslContext() == null ? null
                : new SslContextNetworkLayer(settings.sslContext());
        SipStack newStack = new AgentSipStack(stackProperties(tls), tls);
        ((TimerHeaderParser.Factory) ((SipStackImpl) newStack).getMessageParserFactory()).reportTo(unparsable);
        List<ListeningPoint> points = new ArrayList<>();
        try {
            for (String transport : settings.transports()) {
                points.add(newStack.createListeningPoint(settings.host(), settings.port(transport), transport));
            }
            SipProvider newProvider = newStack.createSipProvider(points.get(0));
            for (int i = 1; i < points.size(); i++) {
                newProvider.addListeningPoint(points.get(i));
            }
            newProvider.addSipListener(listener);
            newStack.start();
            this.stack = newStack;
            this.provider = newProvider;
        } catch (Exception e) {
            // a port in use, typically: the stack's threads must not outlive the failed start (camel-main could
            // not exit)
            release(newStack);
            throw new SipException("Cannot listen on " + settings.key() + " " + settings.transports() + ": "
                                   + e.getMessage(), e);
        }
        LOG.info("SIP agent listening on {} {}{}", settings.key(), settings.transports(),
                tls == null ? "" : " (tls on port " + settings.tlsPort() + ")");
    }

    public synchronized void stop() {
        if (stack != null) {
            release(stack);
            stack = null;
            provider = null;
            LOG.info("SIP agent on {} stopped", settings.key());
        }
    }

    /** Stops a stack, started or not, and the one thread of it that its stop() leaves running. */
    private void release(SipStack target) {
        EventScanner scanner = ((SipStackImpl) target).getEventScanner();
        try {
            target.stop();
        } catch (RuntimeException e) {
            // The RI's UDP reader builds its channel list on its own thread; a stop() that comes before that
            // thread has run fails with a NullPointerException and leaves that one socket open until exit.
            LOG.warn("SIP agent on {} did not stop cleanly (stopped right after it started?): {}", settings.key(),
                    e.toString());
        }
        if (scanner != null) {
            // Work-around for the RI: stop() flags its EventScannerThread (non-daemon) as stopped but leaves it
            // blocked on its empty queue, which keeps the JVM alive. One event with no provider wakes it; the
            // scanner logs it as undeliverable at DEBUG and then sees the flag and exits.
            scanner.addEvent(new EventWrapper(new EventObject(this), null));
        }
    }

    /**
     * A stack with our network layer: TCP_NODELAY on its TCP and TLS sockets ({@link NoDelayNetworkLayer}), and TLS
     * sockets from Camel's SSLContext when the agent has one. The RI takes a network layer only as a class name it
     * instantiates itself, so ours, which carries the context, is set in its place here; protocols and cipher suites,
     * which the RI sets on every TLS socket it opens, are the context's too.
     */
    private static final class AgentSipStack extends SipStackImpl {

        AgentSipStack(Properties properties, SslContextNetworkLayer tls) throws javax.sip.PeerUnavailableException {
            super(properties);
            this.networkLayer = new NoDelayNetworkLayer(tls == null ? DefaultNetworkLayer.SINGLETON : tls);
            if (tls == null) {
                return;
            }
            try {
                setEnabledProtocols(tls.protocols());
                setEnabledCipherSuites(tls.cipherSuites());
            } catch (java.io.IOException e) {
                throw new javax.sip.PeerUnavailableException("Cannot read the TLS settings of the SSL context", e);
            }
        }
    }

    private Properties stackProperties(SslContextNetworkLayer tls) throws SipException {
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", "session-timer-" + settings.host() + "-" + settings.port());
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", Slf4jServerLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.MESSAGE_PARSER_FACTORY", TimerHeaderParser.Factory.class.getName());
        // several messages of different calls are processed at once; the call logic is thread-safe per call
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", Integer.toString(settings.threadPoolSize()));
        p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        // a dialog keeps what it needs to build in-dialog requests; transactions drop their messages once done
        p.setProperty("gov.nist.javax.sip.RELEASE_REFERENCES_STRATEGY", "Normal");
        p.setProperty("gov.nist.javax.sip.MAX_SERVER_TRANSACTIONS", "100000");
        p.setProperty("gov.nist.javax.sip.MAX_CLIENT_TRANSACTIONS", "100000");
        // a 2xx from another fork of our INVITE comes to the listener (with its own dialog) for 64*T1 after the
        // first, as long as RFC 3261 §13.2.2.4 has a UAC wait for them; without this the stack drops it un-ACKed
        p.setProperty("gov.nist.javax.sip.MAX_FORK_TIME_SECONDS",
                Long.toString(Math.max(1, 64L * settings.transactionT1Millis() / 1000)));
        // without a maximum the stack allocates 64 KiB for every UDP datagram it reads, garbage that under load
        // brings GC pauses long enough to overflow the socket buffer (docs/benchmarks.md)
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", Integer.toString(settings.maxMessageSize()));
        p.setProperty("gov.nist.javax.sip.RECEIVE_UDP_BUFFER_SIZE", Integer.toString(settings.udpReceiveBufferSize()));
        if (tls != null) {
            try {
                // the RI's default requires a client certificate of every peer
                p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", tls.clientAuthType());
            } catch (java.io.IOException e) {
                throw new SipException("Cannot read the TLS settings of the SSL context: " + e.getMessage(), e);
            }
            // the RI waits for ever by default: a peer that connects and never completes its handshake holds a thread
            p.setProperty("gov.nist.javax.sip.SSL_HANDSHAKE_TIMEOUT", Long.toString(TLS_HANDSHAKE_TIMEOUT_MILLIS));
        }
        // a TCP peer that starts a message and stalls would hold its connection and the stack's thread for it forever
        p.setProperty("gov.nist.javax.sip.READ_TIMEOUT", Long.toString(TCP_READ_TIMEOUT_MILLIS));
        return p;
    }

    /** The running stack, or null when stopped: for JAIN-SIP's digest helpers, and tests that check its settings. */
    public synchronized SipStack stack() {
        return stack;
    }

    /**
     * The transports this agent has a listening point for on its running stack, lower case; empty when it is stopped.
     * Less than {@link SipAgentSettings#transports()} means some requests cannot reach us.
     */
    public synchronized List<String> listeningTransports() {
        if (provider == null) {
            return List.of();
        }
        List<String> transports = new ArrayList<>();
        for (ListeningPoint point : provider.getListeningPoints()) {
            transports.add(point.getTransport().toLowerCase(java.util.Locale.ROOT));
        }
        return transports;
    }

    /** The messages this agent could not parse. */
    public UnparsableMessages unparsableMessages() {
        return unparsable;
    }

    public SipAgentSettings settings() {
        return settings;
    }

    public synchronized SipProvider provider() {
        if (provider == null) {
            throw new IllegalStateException("SIP agent on " + settings.key() + " is not started");
        }
        return provider;
    }

    public HeaderFactory headerFactory() {
        return headerFactory;
    }

    public MessageFactory messageFactory() {
        return messageFactory;
    }

    public AddressFactory addressFactory() {
        return addressFactory;
    }

    /**
     * The transport of a request whose first hop is this URI, as JAIN-SIP's router will pick it: tls for a sips: URI,
     * else its transport parameter where we listen on it, else our first transport.
     */
    public String transportFor(javax.sip.address.URI firstHop) {
        if (firstHop instanceof javax.sip.address.SipURI sip && sip.isSecure()) {
            if (!settings.transports().contains("tls")) {
                throw new IllegalArgumentException(firstHop + " is a sips: URI, which needs transport tls in transports"
                                                   + " (now " + settings.transports() + ")");
            }
            return "tls";
        }
        return transportFor(SipMessages.transportParam(firstHop));
    }

    /** The transport to use for a request to this target: its transport parameter where we listen on it. */
    public String transportFor(String requestedTransport) {
        if (requestedTransport != null) {
            String lower = requestedTransport.toLowerCase(java.util.Locale.ROOT);
            if (settings.transports().contains(lower)) {
                return lower;
            }
        }
        return settings.transports().get(0);
    }
}
