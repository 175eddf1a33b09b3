package org.sessiontimer.camel;

import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Component tests on loopback: a Camel context with the session-timer component on one side, a {@link ScriptedSipPeer}
 * on the other, in lab-floor seconds. One peer per test class (reset before each test), one Camel context per test,
 * from {@link CamelTestSupport}, which each test starts itself with the endpoint options it is about. The call events
 * go to {@code mock:events}. After every test the component must have no active session and nothing scheduled (R12).
 */
abstract class SessionTimerTestSupport extends CamelTestSupport {

    /** The answer our routes give to incoming calls; its o= line must come back unchanged in re-INVITE refreshes. */
    static final String OUR_SDP = "v=0\r\no=camel 1001 1001 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
                                  + "t=0 0\r\nm=audio 30000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    /** Lab floor for every test: intervals of seconds (minSe=2 unless a test sets its own). */
    static final String LAB = "labFloor=2";
    static final Duration SHORT = Duration.ofSeconds(5);
    static final Duration CALL_SETUP = Duration.ofSeconds(10);

    /** What a session-timer:events route saw. */
    record CallEventRecord(String event, String reason, String callId, Long interval, String refresher,
            Boolean weRefresh, long nanos) {
    }

    /** Where the session-timer:events route delivers every call event. */
    static final String EVENTS = "mock:events";
    private static final String RECEIVED_NANOS = "testReceivedNanos";

    static ScriptedSipPeer peer;

    protected SessionTimerComponent component;
    protected int port;
    /** Events of {@link #EVENTS} a test has taken already. */
    private final Set<Exchange> takenEvents = Collections.newSetFromMap(new IdentityHashMap<>());

    @Override
    public void configureTest(TestExecutionConfiguration testConfiguration) {
        // the tests differ in endpoint options: each adds its routes and starts the context in startCamel
        testConfiguration.withAutoStartContext(false).withUseRouteBuilder(false);
    }

    @BeforeAll
    static void startPeer() throws Exception {
        peer = new ScriptedSipPeer("peer", AvailablePortFinder.getNextAvailable());
    }

    @AfterAll
    static void stopPeer() {
        if (peer != null) {
            peer.close();
            peer = null;
        }
    }

    @BeforeEach
    void resetPeer() {
        peer.reset();
        port = AvailablePortFinder.getNextAvailable();
    }

    /**
     * R12 after every test: every call ended, its state freed and its timers cancelled. Bounded waits; the context is
     * stopped afterwards in any case.
     */
    @AfterEach
    void nothingLeftBehind() throws Exception {
        try {
            if (component == null) {
                return; // the context did not start; the test failed already
            }
            await("active sessions back to 0").atMost(10, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50))
                    .until(() -> component.getActiveSessionCount() == 0);
            await("no session timer task left scheduled").atMost(5, TimeUnit.SECONDS)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> component.getScheduledTimerCount() == 0);
            await("no call left in the session store").atMost(5, TimeUnit.SECONDS)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> component.getSessionStore().size() == 0);
        } finally {
            context.stop();
        }
    }

    /** session-timer:call on our port with the lab floor and these options (e.g. "sessionExpires=4&mode=required"). */
    String callUri(String options) {
        String opts = options == null ? "" : options;
        return "session-timer:call?port=" + port + "&" + LAB + (opts.contains("minSe=") ? "" : "&minSe=2")
               + (opts.isEmpty() ? "" : "&" + opts);
    }

    /** Our SIP address, to be called by the peer. */
    String ourUri() {
        return "sip:camel@127.0.0.1:" + port;
    }

    /**
     * Starts a Camel context whose session-timer:call consumer (with these options) answers every call with
     * {@link #OUR_SDP}, and whose session-timer:events route feeds {@link #events}; plus any extra routes.
     */
    void startCamel(String options, RoutesBuilder... extra) throws Exception {
        startCamel(options, true, extra);
    }

    void startCamel(String options, boolean answeringRoute, RoutesBuilder... extra) throws Exception {
        startCamel(c -> { }, options, answeringRoute, extra);
    }

    /** Like {@link #startCamel(String, boolean, RoutesBuilder...)}, with a say on the context before it starts. */
    void startCamel(Consumer<CamelContext> beforeStart, String options, boolean answeringRoute, RoutesBuilder... extra)
            throws Exception {
        beforeRoutes(context);
        String uri = callUri(options);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                if (answeringRoute) {
                    from(uri).routeId("answer").process(e -> e.getMessage().setBody(OUR_SDP)); // constant() would trim the SDP
                }
                // the time of arrival, for the tests that measure when an event came
                from("session-timer:events").routeId("events")
                        .process(e -> e.getMessage().setHeader(RECEIVED_NANOS, System.nanoTime()))
                        .to(EVENTS);
            }
        });
        for (RoutesBuilder routes : extra) {
            context.addRoutes(routes);
        }
        beforeStart.accept(context);
        context.start();
        component = context.getComponent("session-timer", SessionTimerComponent.class);
    }

    /** Called with the test's context before its routes are added: for beans the endpoints refer to. */
    protected void beforeRoutes(CamelContext camel) {
        // nothing by default
    }

    /** Places a call from us to the peer through the call producer; the exchange holds the answer or the failure. */
    Exchange callPeer(String options, String transport) {
        return template.request(callUri(options), e -> {
            e.getMessage().setBody(OUR_SDP);
            e.getMessage().setHeader(SessionTimerConstants.TO, peer.uri(transport));
        });
    }

    /** Places a call that must succeed; returns the exchange with the answer and the negotiated timer. */
    Exchange callPeerOk(String options, String transport) {
        Exchange exchange = callPeer(options, transport);
        assertThat(exchange.getException()).as("call to the peer failed").isNull();
        return exchange;
    }

    void hangup(String callId) {
        template.sendBodyAndHeader("session-timer:bye", null, SessionTimerConstants.CALL_ID, callId);
    }

    void refreshNow(String callId) {
        template.sendBodyAndHeader("session-timer:refresh", null, SessionTimerConstants.CALL_ID, callId);
    }

    /** The first call event of this kind for this call not taken before, within the timeout; fails otherwise. */
    CallEventRecord expectEvent(String event, String callId, Duration timeout) throws InterruptedException {
        CallEventRecord record = pollEvent(e -> e.event().equals(event) && (callId == null || callId.equals(e.callId())),
                timeout);
        if (record == null) {
            throw new AssertionError("No call event " + event + " for " + callId + " within " + timeout + "; seen: "
                                     + allEvents());
        }
        return record;
    }

    /**
     * The first event of {@link #EVENTS} that matches and that no earlier call took, waiting up to the timeout for it
     * to arrive; null if none did.
     */
    CallEventRecord pollEvent(Predicate<CallEventRecord> filter, Duration timeout) {
        // armed before looking at what arrived, so that an event arriving in between is not missed
        NotifyBuilder arrival = new NotifyBuilder(context).fromRoute("events")
                .filter(e -> filter.test(eventOf(e.getMessage()))).whenDone(1).create();
        try {
            CallEventRecord seen = takeFirst(filter);
            if (seen == null && arrival.matches(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                seen = takeFirst(filter);
            }
            return seen;
        } finally {
            arrival.destroy();
        }
    }

    private synchronized CallEventRecord takeFirst(Predicate<CallEventRecord> filter) {
        for (Exchange exchange : events().getReceivedExchanges()) {
            CallEventRecord event = eventOf(exchange.getMessage());
            if (!takenEvents.contains(exchange) && filter.test(event)) {
                takenEvents.add(exchange);
                return event;
            }
        }
        return null;
    }

    /** Every event so far, in order of arrival, for the messages of failed expectations. */
    java.util.List<CallEventRecord> allEvents() {
        return events().getReceivedExchanges().stream().map(e -> eventOf(e.getMessage())).toList();
    }

    MockEndpoint events() {
        return getMockEndpoint(EVENTS);
    }

    private static CallEventRecord eventOf(Message m) {
        Long nanos = m.getHeader(RECEIVED_NANOS, Long.class);
        return new CallEventRecord(m.getHeader(SessionTimerConstants.EVENT, String.class),
                m.getHeader(SessionTimerConstants.REASON, String.class),
                m.getHeader(SessionTimerConstants.CALL_ID, String.class),
                m.getHeader(SessionTimerConstants.INTERVAL, Long.class),
                m.getHeader(SessionTimerConstants.REFRESHER, String.class),
                m.getHeader(SessionTimerConstants.WE_REFRESH, Boolean.class), nanos == null ? 0 : nanos);
    }

    /** Milliseconds between two System.nanoTime() readings. */
    static long millisBetween(long fromNanos, long toNanos) {
        return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
    }
}
