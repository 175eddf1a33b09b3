package org.sessiontimer.camel;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.HeaderFactory;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;

import gov.nist.javax.sip.SipStackImpl;
import org.sessiontimer.camel.ScriptedSipPeer.Received;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.awaitility.Awaitility.await;

/**
 * A stateless proxy for component tests (RFC 3261 §16.11) on a raw JAIN-SIP stack, on loopback, UDP and TCP: it loose
 * routes (§16.4, §16.12: a top Route naming it is removed, the request goes on to the next Route or the Request-URI),
 * adds its own Via and, to a dialog-creating INVITE, its Record-Route; it can push a next proxy as Route, as a proxy's
 * routing policy may. Responses go back along the Vias. It records every message it forwards as it arrived, so a test
 * sees that a request went through it, and with which Route headers.
 */
final class ScriptedProxy implements SipListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScriptedProxy.class);

    private final String name;
    private final int port;
    private final SipStack stack;
    private final SipProvider provider;
    private final HeaderFactory headerFactory;
    private final AddressFactory addressFactory;
    private final List<Received> forwarded = new CopyOnWriteArrayList<>();
    private volatile String nextProxy;

    ScriptedProxy(String name, int port) throws Exception {
        this.name = name;
        this.port = port;
        SipFactory factory = SipFactory.getInstance();
        headerFactory = factory.createHeaderFactory();
        addressFactory = factory.createAddressFactory();
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", "scripted-proxy-" + name + "-" + port);
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", "org.sessiontimer.camel.sip.Slf4jStackLogger");
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", "org.sessiontimer.camel.sip.Slf4jServerLogger");
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "2");
        stack = new SipStackImpl(p);
        ListeningPoint udp = stack.createListeningPoint("127.0.0.1", port, ListeningPoint.UDP);
        ListeningPoint tcp = stack.createListeningPoint("127.0.0.1", port, ListeningPoint.TCP);
        provider = stack.createSipProvider(udp);
        provider.addListeningPoint(tcp);
        provider.addSipListener(this);
        stack.start();
        LOG.info("Scripted proxy {} on 127.0.0.1:{} udp,tcp", name, port);
    }

    /** This proxy as a loose-routing hop: the value of a Route, a Record-Route or the outboundProxy option. */
    String uri() {
        return "sip:" + name + "@127.0.0.1:" + port + ";lr";
    }

    /** New calls forwarded from now on are sent through {@code proxy} (its {@link #uri()}) next. */
    ScriptedProxy routeNewCallsVia(ScriptedProxy proxy) {
        this.nextProxy = proxy.uri();
        return this;
    }

    /** The first forwarded message matching, waiting up to {@code timeout}; fails listing what passed otherwise. */
    Received expect(Predicate<Received> filter, Duration timeout, String what) {
        Received[] found = new Received[1];
        await(name + " forwards " + what).atMost(timeout).pollInterval(Duration.ofMillis(20)).until(() -> {
            for (Received message : forwarded) {
                if (filter.test(message)) {
                    found[0] = message;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    List<Received> forwarded() {
        return List.copyOf(forwarded);
    }

    void reset() {
        forwarded.clear();
        nextProxy = null;
    }

    @Override
    public void processRequest(RequestEvent event) {
        forwarded.add(received(event.getRequest()));
        Request request = (Request) event.getRequest().clone();
        try {
            MaxForwardsHeader maxForwards = (MaxForwardsHeader) request.getHeader(MaxForwardsHeader.NAME);
            if (maxForwards != null) {
                maxForwards.decrementMaxForwards();
            }
            RouteHeader top = (RouteHeader) request.getHeader(RouteHeader.NAME);
            if (top != null && isMe(top.getAddress().getURI())) {
                request.removeFirst(RouteHeader.NAME);
            }
            boolean newCall = Request.INVITE.equals(request.getMethod())
                              && ((ToHeader) request.getHeader(ToHeader.NAME)).getTag() == null;
            if (newCall) {
                request.addFirst(headerFactory.createRecordRouteHeader(addressFactory.createAddress("<" + uri() + ">")));
                if (nextProxy != null) {
                    request.addFirst(headerFactory.createRouteHeader(addressFactory.createAddress("<" + nextProxy + ">")));
                }
            }
            ViaHeader previous = (ViaHeader) request.getHeader(ViaHeader.NAME);
            String transport = previous.getTransport();
            // stateless: the same request (a retransmission) gets the same branch (§16.11)
            String branch = "z9hG4bK" + name + Integer.toHexString((previous.getBranch() + request.getMethod()).hashCode());
            request.addFirst(headerFactory.createViaHeader("127.0.0.1", port, transport, branch));
            LOG.info("Proxy {} forwards {} Call-ID={}", name, request.getMethod(), callIdOf(request));
            provider.sendRequest(request);
        } catch (Exception e) {
            LOG.warn("Proxy {} cannot forward {}: {}", name, request.getMethod(), e.toString());
        }
    }

    @Override
    public void processResponse(ResponseEvent event) {
        Response response = (Response) event.getResponse().clone();
        ViaHeader top = (ViaHeader) response.getHeader(ViaHeader.NAME);
        if (top == null || top.getPort() != port) {
            return; // not through us
        }
        forwarded.add(received(event.getResponse()));
        response.removeFirst(ViaHeader.NAME);
        if (response.getHeader(ViaHeader.NAME) == null) {
            return;
        }
        try {
            provider.sendResponse(response);
        } catch (Exception e) {
            LOG.warn("Proxy {} cannot forward {}: {}", name, response.getStatusCode(), e.toString());
        }
    }

    private boolean isMe(javax.sip.address.URI uri) {
        return uri instanceof SipURI sip && "127.0.0.1".equals(sip.getHost()) && sip.getPort() == port;
    }

    private static Received received(Message message) {
        return new Received(message, message.toString(), System.nanoTime(), System.currentTimeMillis());
    }

    private static String callIdOf(Message message) {
        return ((javax.sip.header.CallIdHeader) message.getHeader(javax.sip.header.CallIdHeader.NAME)).getCallId();
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        // stateless: no transactions
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        LOG.debug("Proxy {}: I/O error towards {}:{}", name, event.getHost(), event.getPort());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        // stateless: no transactions
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        // stateless: no dialogs
    }

    @Override
    public void close() {
        stack.stop();
    }
}
