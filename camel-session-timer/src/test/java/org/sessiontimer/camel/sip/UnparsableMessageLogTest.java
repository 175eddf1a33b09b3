package org.sessiontimer.camel.sip;

import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import javax.sip.RequestEvent;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an operator's log gets from messages the stack cannot parse and from ordinary network events, measured on
 * real sockets (loopback; the sources 127.0.0.x are loopback addresses too) with the example app's log layout.
 */
@DisplayName("Bounded logs under hostile input")
class UnparsableMessageLogTest {

    /** The example app's pattern (routes-example logback.xml): what a line costs on its console. */
    static final String APP_PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{30} - %msg%n";

    /** Malformed datagrams of different kinds; each reaches a different place in the stack's parser. */
    static final List<String> MALFORMED = List.of(
            "\u0001\u00ff\u00fe binary noise \u0000\u0000 \u0080\u0081",
            "INVITE sip:x@127.0.0.1 SIP/2.0 extra\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK1\r\n\r\n",
            "OPTIONS sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK2\r\nContent-Length: 0\r\n\r\n",
            "OPTIONS sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP ;;;;\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:x@y>\r\n"
            + "Call-ID: c3\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n",
            "OPTIONS sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK4\r\nFrom: \u0000<sip:a@b>;tag=1\r\n"
            + "To: <sip:x@y>\r\nCall-ID: c4\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n",
            "SIP/2.0 200 OK\r\nVia: garbage\r\n\r\n",
            "INVITE sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;bra");

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger stackLogger = (Logger) LoggerFactory.getLogger("gov.nist.javax.sip");
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final PatternLayout layout = new PatternLayout();
    private Level stackLevelBefore;
    private SipAgent agent;
    private int port;
    private final CountDownLatch inviteAnswered = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        layout.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        layout.setPattern(APP_PATTERN);
        layout.start();
        log.start();
        root.addAppender(log);
        // stricter than the example app (ERROR): the stack's warnings count too
        stackLevelBefore = stackLogger.getLevel();
        stackLogger.setLevel(Level.WARN);
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        agent = new SipAgent(new SipAgentSettings("127.0.0.1", port, 0, List.of("udp", "tcp"), 4, 500, 16384, 1 << 22, null,
                null));
        agent.start(new Answering());
    }

    @AfterEach
    void stop() {
        agent.stop();
        root.detachAppender(log);
        stackLogger.setLevel(stackLevelBefore);
    }

    @Test
    @DisplayName("each unparsable datagram: one short WARN with source, size, the parser's reason and its start")
    void oneShortWarnEach() throws Exception {
        for (int kind = 0; kind < MALFORMED.size(); kind++) {
            send("127.0.0." + (20 + kind), MALFORMED.get(kind).getBytes(StandardCharsets.ISO_8859_1));
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> agent.unparsableMessages().count() == MALFORMED.size());
        List<ILoggingEvent> warnings = atLeast(Level.WARN);
        assertThat(warnings).hasSize(MALFORMED.size())
                .allSatisfy(e -> assertThat(e.getLoggerName()).isEqualTo(UnparsableMessages.LOGGER));
        for (int kind = 0; kind < MALFORMED.size(); kind++) {
            String source = "from 127.0.0." + (20 + kind) + " over udp (" + MALFORMED.get(kind).length() + " bytes): ";
            ILoggingEvent line = warnings.stream().filter(e -> e.getFormattedMessage().contains(source)).findFirst()
                    .orElseThrow(() -> new AssertionError("no line with '" + source + "' in " + warnings));
            String text = line.getFormattedMessage();
            assertThat(text).startsWith("Unparsable SIP message " + source).doesNotContain("\r", "\n", "\u0000")
                    .hasSizeLessThanOrEqualTo(300);
            String start = MALFORMED.get(kind).substring(0, 6).replace("\r\n", "\\r\\n");
            if (start.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
                assertThat(text).as("the message's start, printable").contains(start);
            }
        }
    }

    @Test
    @DisplayName("a flood from one source logs a few lines a second, well under 300 bytes per datagram")
    void floodFromOneSource() throws Exception {
        int perSource = 1000;
        long started = System.nanoTime();
        try (DatagramSocket a = socketFrom("127.0.0.2"); DatagramSocket b = socketFrom("127.0.0.3")) {
            for (int i = 0; i < perSource; i++) {
                byte[] datagram = MALFORMED.get(i % MALFORMED.size()).getBytes(StandardCharsets.ISO_8859_1);
                a.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(), port));
                b.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(), port));
            }
        }
        await().atMost(20, TimeUnit.SECONDS).until(() -> agent.unparsableMessages().count() == 2L * perSource);
        double seconds = (System.nanoTime() - started) / 1e9;
        long bytes = events().stream().mapToLong(e -> layout.doLayout(e).getBytes(StandardCharsets.UTF_8).length).sum();
        long fromA = count(e -> e.getFormattedMessage().contains("127.0.0.2 over"));
        long fromB = count(e -> e.getFormattedMessage().contains("127.0.0.3 over"));
        System.out.printf("%d malformed datagrams from 2 sources in %.2f s: %d log bytes, %.1f bytes per datagram;"
                          + " lines per source %d and %d%n", 2 * perSource, seconds, bytes, bytes / (2.0 * perSource), fromA, fromB);
        assertThat(atLeast(Level.ERROR)).isEmpty();
        assertThat(bytes / (2.0 * perSource)).isLessThan(300);
        long allowed = 3 + (long) Math.ceil(seconds) + 1;
        assertThat(fromA).isBetween(1L, allowed);
        assertThat(fromB).isBetween(1L, allowed);
    }

    @Test
    @DisplayName("a TCP peer gone before our answer, a keep-alive on a connection without a message yet: DEBUG, not ERROR")
    void networkEventsAreDebug() throws Exception {
        stackLogger.setLevel(Level.DEBUG); // to see that the events happened, and at which level
        try (Socket keepAlive = new Socket(InetAddress.getLoopbackAddress(), port)) {
            // before any message the stack's channel has no transport: its answer to the keep-alive fails
            keepAlive.getOutputStream().write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            keepAlive.getOutputStream().flush();
            await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(debugLines())
                    .anyMatch(m -> m.startsWith("A problem occured while trying to send a single")));
        }
        try (Socket gone = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = gone.getOutputStream();
            out.write(invite(gone.getLocalPort()).getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        assertThat(inviteAnswered.await(10, TimeUnit.SECONDS)).as("the INVITE reached the listener").isTrue();
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(debugLines())
                .anyMatch(m -> m.startsWith("Problem connecting") || m.startsWith("Could not connect")));
        assertThat(atLeast(Level.WARN)).isEmpty();
    }

    @Test
    @DisplayName("a datagram the stack fails on after parsing: one bounded WARN instead of its buffer as decimal bytes")
    void unprocessedDatagram() {
        byte[] buffer = new byte[16384]; // the stack logs its whole receive buffer
        byte[] datagram = MALFORMED.get(2).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(datagram, 0, buffer, 0, datagram.length);
        String dump = JainSipLogTriage.UNPROCESSED_DATAGRAM_PREFIX + Arrays.toString(buffer);
        assertThat(dump).hasSizeGreaterThan(40_000);
        new Slf4jStackLogger().logError(dump, new NullPointerException("CSeq is null"));
        assertThat(atLeast(Level.WARN)).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getThrowableProxy()).isNull();
            assertThat(e.getFormattedMessage()).hasSizeLessThanOrEqualTo(300)
                    .contains("NullPointerException: CSeq is null").contains("OPTIONS sip:x@127.0.0.1 SIP/2.0\\r\\nVia:");
        });
    }

    @Test
    @DisplayName("any other error of the stack keeps its level, cut to 300 characters, without a stack trace")
    void otherErrorsBounded() {
        new Slf4jStackLogger().logError("bad message " + "INVITE sip:x SIP/2.0\r\n".repeat(500), new IllegalStateException("x"));
        assertThat(atLeast(Level.WARN)).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.ERROR);
            assertThat(e.getThrowableProxy()).isNull();
            assertThat(e.getFormattedMessage()).startsWith("bad message INVITE sip:x SIP/2.0\\r\\n")
                    .hasSizeLessThanOrEqualTo(2 * 303 + 2).contains("IllegalStateException: x");
        });
    }

    /** A copy of what was logged so far: the stack's threads append under the appender's lock while we read. */
    private List<ILoggingEvent> events() {
        synchronized (log) {
            return List.copyOf(log.list);
        }
    }

    private List<ILoggingEvent> atLeast(Level level) {
        return events().stream().filter(e -> e.getLevel().isGreaterOrEqual(level)).toList();
    }

    private List<String> debugLines() {
        return events().stream().filter(e -> e.getLevel() == Level.DEBUG && e.getLoggerName().equals("gov.nist.javax.sip"))
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    private long count(Predicate<ILoggingEvent> filter) {
        return events().stream().filter(filter).count();
    }

    private void send(String source, byte[] datagram) throws Exception {
        try (DatagramSocket socket = socketFrom(source)) {
            socket.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(), port));
        }
    }

    private static DatagramSocket socketFrom(String source) throws Exception {
        return new DatagramSocket(0, InetAddress.getByName(source));
    }

    private String invite(int localPort) {
        return String.join("\r\n",
                "INVITE sip:agent@127.0.0.1:" + port + ";transport=tcp SIP/2.0",
                "Via: SIP/2.0/TCP 127.0.0.1:" + localPort + ";branch=z9hG4bK-gone-" + System.nanoTime(),
                "Max-Forwards: 70",
                "From: <sip:test@127.0.0.1>;tag=1",
                "To: <sip:agent@127.0.0.1>",
                "Call-ID: gone-" + System.nanoTime() + "@127.0.0.1",
                "CSeq: 1 INVITE",
                "Contact: <sip:test@127.0.0.1:" + localPort + ";transport=tcp>",
                "Content-Length: 0", "", "");
    }

    /**
     * Answering before the stack has seen the peer close its connection would write into the still open socket and
     * succeed; the test is about the answer that has to open a new connection and cannot.
     */
    private void awaitConnectionClosed(int peerPort) {
        String closed = "Closing TCP socket 127.0.0.1:" + peerPort;
        await().atMost(10, TimeUnit.SECONDS).until(() -> debugLines().stream().anyMatch(m -> m.startsWith(closed)));
    }

    /** Answers every request with 486, as a busy user agent would; its answer to a closed connection must fail. */
    private final class Answering extends SipListenerAdapter {
        @Override
        public void processRequest(RequestEvent event) {
            try {
                Request request = event.getRequest();
                if (request.getMethod().equals(Request.INVITE)) {
                    awaitConnectionClosed(((ViaHeader) request.getHeader(ViaHeader.NAME)).getPort());
                }
                Response busy = agent.messageFactory().createResponse(Response.BUSY_HERE, request);
                agent.provider().getNewServerTransaction(request).sendResponse(busy);
            } catch (Exception e) {
                // the peer is gone: what the stack logged about it is what this test looks at
            } finally {
                inviteAnswered.countDown();
            }
        }
    }
}
