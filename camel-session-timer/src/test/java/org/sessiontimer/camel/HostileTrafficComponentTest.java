package org.sessiontimer.camel;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.sessiontimer.camel.ScriptedSipPeer.finalResponse;

/**
 * A running agent under hostile traffic on loopback, in bounded batches: binary noise, mutated INVITEs, requests for
 * dialogs that do not exist, responses for no transaction, and over TCP noise, messages in pieces, half messages and
 * idle connections. After each batch the agent still answers OPTIONS over UDP and TCP; at the end it holds no session,
 * no timer (checked by the test support) and no connection thread, and has logged no ERROR and only a few WARN lines.
 * The random choices come from one seed, printed, and taken from {@code -Dfuzz.seed} to replay a run.
 */
class HostileTrafficComponentTest extends SessionTimerTestSupport {

    private static final int DATAGRAMS = 300;
    private static final int CONNECTIONS = 40;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** The loggers whose lines about what a source sends are bounded (ThrottledLog). */
    private static final List<String> BOUNDED_LOGS = List.of("org.sessiontimer.camel.sip.unparsable", "gov.nist.javax.sip",
            "org.sessiontimer.camel.limits");
    private static final String SDP = "v=0\r\no=fuzz 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                                      + "m=audio 4000 RTP/AVP 0\r\n";
    private static final String[] TIMER_JUNK = {"1800;;;", "1800\0", "-1", "99999999999999999999", "abc", ";refresher=uac",
            "1800;refresher=maybe", "90, 90", "", "\"", "1800;x=\"open", "0", "4294967296", "\t\t"};
    private static final String[] METHODS = {"BYE", "INVITE", "UPDATE", "CANCEL", "ACK", "PRACK", "INFO", "REFER",
            "NOTIFY", "MESSAGE", "OPTIONS", "SUBSCRIBE", "PUBLISH", "FOO"};

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final List<AutoCloseable> open = new ArrayList<>();
    private Random random;
    private int sequence;

    @BeforeEach
    void captureLog() {
        log.start();
        root.addAppender(log);
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("HostileTrafficComponentTest seed: -Dfuzz.seed=" + seed);
        random = new Random(seed);
    }

    @AfterEach
    void closeAll() throws Exception {
        root.detachAppender(log);
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
    }

    @Test
    @DisplayName("hostile traffic over UDP and TCP: the agent answers OPTIONS after each batch and keeps nothing")
    void hostileTraffic() throws Exception {
        String uri = callUri(null);
        startCamel(null, false, new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("busy").setHeader(SessionTimerConstants.STATUS_CODE, constant(486));
            }
        });
        answersOptions();
        int threadsBefore = connectionThreads();
        long started = System.nanoTime();

        try (DatagramSocket udp = new DatagramSocket(0, LOOPBACK)) {
            for (int i = 0; i < DATAGRAMS; i++) {
                send(udp, noise(1 + random.nextInt(2000)));
            }
            answersOptions();
            assertThat(component.getUnparsableMessageCount()).as("noise counted as unparsable").isPositive();
            for (int i = 0; i < DATAGRAMS; i++) {
                send(udp, mutated(invite("UDP", udp.getLocalPort())));
            }
            answersOptions();
            for (int i = 0; i < DATAGRAMS; i++) {
                send(udp, inUnknownDialog("UDP", udp.getLocalPort()));
            }
            answersOptions();
            for (int i = 0; i < DATAGRAMS; i++) {
                send(udp, strayResponse(udp.getLocalPort()));
            }
            answersOptions();
        }

        for (int i = 0; i < CONNECTIONS; i++) {
            try (Socket socket = new Socket(LOOPBACK, port)) {
                OutputStream out = socket.getOutputStream();
                switch (i % 4) {
                    case 0 -> out.write(noise(1 + random.nextInt(3000)));
                    case 1 -> out.write(mutated(invite("TCP", socket.getLocalPort())));
                    case 2 -> out.write(inUnknownDialog("TCP", socket.getLocalPort()));
                    default -> writeInPieces(out, invite("TCP", socket.getLocalPort()));
                }
                out.flush();
            }
        }
        Socket half = connect();
        byte[] invite = invite("TCP", half.getLocalPort());
        half.getOutputStream().write(invite, 0, invite.length / 2);
        for (int i = 0; i < 5; i++) {
            connect(); // idle: never a byte
        }
        answersOptions();
        assertThat(closedByAgent(half, Duration.ofMillis(5000 + 5000)))
                .as("a connection stalled in the middle of a message is closed by the agent").isTrue();
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
        open.clear();
        answersOptions();

        await("connection threads back to where they were").atMost(10, TimeUnit.SECONDS)
                .until(() -> connectionThreads() <= threadsBefore);
        double seconds = (System.nanoTime() - started) / 1e9;
        List<ILoggingEvent> warnings = log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
        System.out.printf("HostileTrafficComponentTest: %d datagrams and %d connections in %.1f s, %d WARN lines%n",
                4 * DATAGRAMS, CONNECTIONS + 6, seconds, warnings.size());
        assertThat(warnings).noneMatch(e -> e.getLevel() == Level.ERROR);
        // all this traffic comes from one address: each bounded log allows 3 lines at once and 1 a second
        List<ILoggingEvent> bounded = warnings.stream().filter(e -> BOUNDED_LOGS.contains(e.getLoggerName())).toList();
        assertThat(bounded).as("lines of the bounded logs").hasSizeLessThanOrEqualTo(3 * (3 + (int) Math.ceil(seconds)));
        // the others are about single calls that reached the route over a connection the fuzzer had already closed
        assertThat(warnings.size() - bounded.size()).as("other WARN lines: " + warnings).isLessThanOrEqualTo(2 * CONNECTIONS);
    }

    /** Over UDP and over TCP, the agent answers OPTIONS with 200. */
    private void answersOptions() throws Exception {
        for (String transport : List.of("udp", "tcp")) {
            String callId = peer.sendOutOfDialog("OPTIONS", ourUri(), transport, false);
            assertThat(peer.expect(finalResponse("OPTIONS", callId), SHORT, "200 to OPTIONS over " + transport).status())
                    .isEqualTo(200);
        }
    }

    private byte[] invite(String transport, int localPort) {
        int n = ++sequence;
        String body = random.nextBoolean() ? SDP : "";
        return String.join("\r\n",
                "INVITE sip:fuzz@127.0.0.1:" + port + " SIP/2.0",
                "Via: SIP/2.0/" + transport + " 127.0.0.1:" + localPort + ";branch=z9hG4bK-fuzz-" + n + "-" + random.nextInt(),
                "Max-Forwards: 70",
                "From: <sip:fuzz@127.0.0.1>;tag=f" + n,
                "To: <sip:fuzz@127.0.0.1:" + port + ">",
                "Call-ID: fuzz-" + n + "-" + random.nextLong() + "@127.0.0.1",
                "CSeq: " + (1 + random.nextInt(1000)) + " INVITE",
                "Contact: <sip:fuzz@127.0.0.1:" + localPort + ">",
                "Supported: timer",
                "Session-Expires: " + (random.nextInt(4) == 0 ? TIMER_JUNK[random.nextInt(TIMER_JUNK.length)] : "1800"),
                "Min-SE: " + (random.nextInt(4) == 0 ? TIMER_JUNK[random.nextInt(TIMER_JUNK.length)] : "90"),
                "Content-Type: application/sdp",
                "Content-Length: " + body.length(),
                "",
                body).getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * One to three mutations of a message: bytes flipped, inserted or deleted, header lines repeated or dropped, the
     * message cut short, Content-Length changed. The Via line is left alone: it says where answers go, and they must
     * stay on loopback.
     */
    private byte[] mutated(byte[] message) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        int viaEnd = text.indexOf("\r\n", text.indexOf("Via:")) + 2;
        StringBuilder out = new StringBuilder(text);
        for (int m = 1 + random.nextInt(3); m > 0; m--) {
            int at = viaEnd + random.nextInt(Math.max(1, out.length() - viaEnd));
            switch (random.nextInt(8)) {
                case 0 -> out.setCharAt(Math.min(at, out.length() - 1), (char) random.nextInt(256));
                case 1 -> out.insert(at, new String(noise(1 + random.nextInt(8)), StandardCharsets.ISO_8859_1));
                case 2 -> out.delete(at, Math.min(out.length(), at + 1 + random.nextInt(20)));
                case 3 -> out.insert(viaEnd, line(out, at) + "\r\n");
                case 4 -> {
                    String dropped = line(out, at);
                    int start = out.indexOf(dropped, viaEnd);
                    if (start >= 0 && !dropped.isEmpty()) {
                        out.delete(start, Math.min(out.length(), start + dropped.length() + 2));
                    }
                }
                case 5 -> out.setLength(at);
                case 6 -> out.insert(at, random.nextBoolean() ? "\r\n" : "\0");
                default -> {
                    int cl = out.indexOf("Content-Length: ");
                    if (cl >= 0) {
                        out.insert(cl + 16, random.nextInt(100_000));
                    }
                }
            }
        }
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The header line around a position (without its CRLF). */
    private static String line(StringBuilder text, int at) {
        int before = at <= 0 ? -1 : text.lastIndexOf("\r\n", Math.min(at, text.length()) - 1);
        int start = before < 0 ? 0 : before + 2;
        int end = text.indexOf("\r\n", start);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    /** A request within a dialog that does not exist, of some method. */
    private byte[] inUnknownDialog(String transport, int localPort) {
        String method = METHODS[random.nextInt(METHODS.length)];
        int n = ++sequence;
        return String.join("\r\n",
                method + " sip:fuzz@127.0.0.1:" + port + " SIP/2.0",
                "Via: SIP/2.0/" + transport + " 127.0.0.1:" + localPort + ";branch=z9hG4bK-dialog-" + n + "-" + random.nextInt(),
                "Max-Forwards: 70",
                "From: <sip:fuzz@127.0.0.1>;tag=a" + random.nextInt(),
                "To: <sip:fuzz@127.0.0.1:" + port + ">;tag=b" + random.nextInt(),
                "Call-ID: nodialog-" + n + "-" + random.nextLong() + "@127.0.0.1",
                "CSeq: " + (1 + random.nextInt(100)) + " " + method,
                "Contact: <sip:fuzz@127.0.0.1:" + localPort + ">",
                "Session-Expires: " + TIMER_JUNK[random.nextInt(TIMER_JUNK.length)],
                "Content-Length: 0", "", "").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A response to a request we never sent. */
    private byte[] strayResponse(int localPort) {
        int status = 100 + random.nextInt(600);
        String method = METHODS[random.nextInt(METHODS.length)];
        return String.join("\r\n",
                "SIP/2.0 " + status + " Stray",
                "Via: SIP/2.0/UDP 127.0.0.1:" + port + ";branch=z9hG4bK-stray-" + random.nextInt(),
                "From: <sip:camel@127.0.0.1>;tag=s" + random.nextInt(),
                "To: <sip:fuzz@127.0.0.1:" + localPort + ">;tag=t" + random.nextInt(),
                "Call-ID: stray-" + random.nextLong() + "@127.0.0.1",
                "CSeq: " + (1 + random.nextInt(100)) + " " + method,
                "Session-Expires: " + TIMER_JUNK[random.nextInt(TIMER_JUNK.length)],
                "Content-Length: 0", "", "").getBytes(StandardCharsets.ISO_8859_1);
    }

    private byte[] noise(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private void writeInPieces(OutputStream out, byte[] message) throws IOException {
        int at = 0;
        while (at < message.length) {
            int piece = Math.min(message.length - at, 1 + random.nextInt(40));
            out.write(message, at, piece);
            out.flush();
            at += piece;
        }
    }

    private void send(DatagramSocket socket, byte[] datagram) throws IOException {
        socket.send(new DatagramPacket(datagram, datagram.length, LOOPBACK, port));
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(LOOPBACK, port);
        open.add(socket);
        return socket;
    }

    /** Whether the agent closes the connection within the timeout (we send nothing more and read what comes). */
    private static boolean closedByAgent(Socket socket, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buffer = new byte[4096];
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            socket.setSoTimeout((int) left);
            try {
                if (socket.getInputStream().read(buffer) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // reset
            }
        }
    }

    /** The stack's per-connection threads, of every stack in this JVM (ours and the peer's). */
    private static int connectionThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("PipelineThread")).count();
    }
}
