package org.sessiontimer.camel;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RFC 4475 torture messages that reach a user agent server, each sent over UDP and over TCP to a running
 * component, each with the answer (or silence) that {@code src/test/resources/rfc4475/cases.csv} says it must get.
 * The answering route says 486 to every call that reaches it, so that no message leaves a call behind. Afterwards the
 * agent still answers OPTIONS and holds no session and no timer (the test support checks the last two).
 */
class Rfc4475TortureComponentTest extends SessionTimerTestSupport {

    /** How long a message that must get no answer is watched. */
    private static final Duration SILENCE = Duration.ofMillis(700);
    /** The first Via of a message: protocol, transport, host and port, each in a group (RFC 3261 20.42, LWS allowed). */
    private static final Pattern TOPMOST_VIA = Pattern.compile(
            "(?im)^((?:via|v)[ \\t]*:\\s*SIP\\s*/\\s*\\d\\.\\d\\s*/\\s*)([A-Za-z-]+)(\\s+)(\\[[^\\]]*\\]|[^\\s;:,]+)(\\s*:\\s*\\d+)?");
    private static final Pattern BRANCH = Pattern.compile("(?i)(branch\\s*=\\s*)(z9hG4bK[^\\s;,]+)");
    /** Where a second message starts in a datagram (dblreq). */
    private static final Pattern START_LINE = Pattern.compile("\r\n\r\n(?=[A-Z]+ \\S+ SIP/2\\.0\r\n)");
    private static final Pattern STATUS_LINE = Pattern.compile("(?m)^SIP/2\\.0 (\\d{3}) ");

    private final List<DatagramSocket> udpSockets = new ArrayList<>();

    /** One line of cases.csv. */
    record Case(String name, String section, List<String> overUdp, List<String> overTcp, String rfc, String limitation) {

        static Case parse(String line) {
            String[] cells = Arrays.stream(line.split("\\|")).map(String::strip).toArray(String[]::new);
            return new Case(cells[0], cells[1], List.of(cells[2].split("/")), List.of(cells[3].split("/")), cells[4],
                    cells.length > 5 ? cells[5] : null);
        }

        /** What we must answer: the RFC's expectation, or the documented limitation where we fall short of it. */
        List<String> expected(String transport) {
            return limitation != null ? List.of(limitation) : transport.equals("udp") ? overUdp : overTcp;
        }
    }

    @Test
    @DisplayName("RFC 4475 over UDP: every message gets the answer or silence it must get")
    void overUdp() throws Exception {
        tortureOver("udp");
    }

    @Test
    @DisplayName("RFC 4475 over TCP: every message gets the answer, silence or closed connection it must get")
    void overTcp() throws Exception {
        tortureOver("tcp");
    }

    private void tortureOver(String transport) throws Exception {
        String uri = callUri(null);
        startCamel(null, false, new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("busy").setHeader(SessionTimerConstants.STATUS_CODE, constant(486));
            }
        });
        List<String> wrong = new ArrayList<>();
        List<Case> cases = cases();
        try {
            for (Case c : cases) {
                String got = transport.equals("udp") ? overUdp(c) : overTcp(c);
                if (!c.expected(transport).contains(got)) {
                    wrong.add(c.name() + " (" + c.section() + "): got " + got + ", must get " + c.expected(transport)
                              + " - " + c.rfc());
                }
            }
        } finally {
            udpSockets.forEach(DatagramSocket::close);
        }
        assertThat(wrong).as("messages that did not get their answer over " + transport).isEmpty();
        assertThat(cases).hasSize(48);
        String options = peer.sendOutOfDialog("OPTIONS", ourUri(), transport, false);
        assertThat(peer.expect(ScriptedSipPeer.finalResponse("OPTIONS", options), SHORT, "200 to OPTIONS").status())
                .isEqualTo(200);
    }

    private String overUdp(Case c) throws IOException {
        // a socket per message, all kept open to the end: a port used again would receive the retransmitted answers
        // to an earlier message (a non-2xx answer to an INVITE is repeated until ACKed)
        DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        udpSockets.add(socket);
        byte[] message = pointAtUs(load(c.name()), c.name(), "UDP", socket.getLocalPort());
        socket.send(new DatagramPacket(message, message.length, InetAddress.getLoopbackAddress(), port));
        byte[] buffer = new byte[65535];
        return awaitFinal(window(c, "udp"), timeoutMillis -> {
            socket.setSoTimeout(timeoutMillis);
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            socket.receive(packet);
            return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.ISO_8859_1);
        });
    }

    private String overTcp(Case c) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.getOutputStream().write(pointAtUs(load(c.name()), c.name(), "TCP", socket.getLocalPort()));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[65535];
            return awaitFinal(window(c, "tcp"), timeoutMillis -> {
                socket.setSoTimeout(timeoutMillis);
                int read;
                try {
                    read = in.read(buffer);
                } catch (SocketTimeoutException e) {
                    throw e;
                } catch (IOException e) {
                    return null; // reset by the agent
                }
                return read < 0 ? null : new String(buffer, 0, read, StandardCharsets.ISO_8859_1);
            });
        }
    }

    /** How long to wait: briefly where no answer may be right, long enough for a route otherwise. */
    private static Duration window(Case c, String transport) {
        List<String> expected = c.expected(transport);
        return expected.contains("silence") || expected.contains("closed") ? SILENCE : CALL_SETUP;
    }

    /** What arrives on a socket, a piece at a time: null when the agent closed it. */
    @FunctionalInterface
    private interface Arrivals {
        String next(int timeoutMillis) throws IOException;
    }

    /** The first final status that arrives; "closed" when the agent closes first, "silence" when nothing comes. */
    private static String awaitFinal(Duration window, Arrivals arrivals) throws IOException {
        long deadline = System.nanoTime() + window.toNanos();
        StringBuilder received = new StringBuilder();
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return "silence";
            }
            String piece;
            try {
                piece = arrivals.next((int) left);
            } catch (SocketTimeoutException e) {
                return "silence";
            }
            if (piece == null) {
                return "closed";
            }
            String status = finalStatus(received.append(piece).toString());
            if (status != null) {
                return status;
            }
        }
    }

    /** The first final status in what arrived, or null. */
    private static String finalStatus(String text) {
        Matcher status = STATUS_LINE.matcher(text);
        while (status.find()) {
            if (status.group(1).charAt(0) != '1') {
                return status.group(1);
            }
        }
        return null;
    }

    /**
     * The message with the topmost Via of each message in it pointing at our socket, and its branch made unique (see
     * the resources' README). Octets go through ISO-8859-1 both ways, so nothing else changes.
     */
    static byte[] pointAtUs(byte[] raw, String name, String transport, int localPort) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        StringBuilder out = new StringBuilder();
        int from = 0;
        Matcher next = START_LINE.matcher(text);
        while (true) {
            int end = next.find(from) ? next.end() : text.length();
            out.append(pointSegmentAtUs(text.substring(from, end), name, transport, localPort));
            if (end == text.length()) {
                return out.toString().getBytes(StandardCharsets.ISO_8859_1);
            }
            from = end;
        }
    }

    private static String pointSegmentAtUs(String message, String name, String transport, int localPort) {
        Matcher via = TOPMOST_VIA.matcher(message);
        if (!via.find()) {
            return message;
        }
        int headerEnd = via.end();
        while (true) { // the Via header goes on over folded lines
            int lineEnd = message.indexOf("\r\n", headerEnd);
            if (lineEnd < 0 || lineEnd + 2 >= message.length()
                || message.charAt(lineEnd + 2) != ' ' && message.charAt(lineEnd + 2) != '\t') {
                headerEnd = lineEnd < 0 ? message.length() : lineEnd;
                break;
            }
            headerEnd = lineEnd + 2;
        }
        String rest = BRANCH.matcher(message.substring(via.end(), headerEnd)).replaceFirst("$1$2-" + name);
        return message.substring(0, via.start()) + via.group(1) + transport + via.group(3) + "127.0.0.1:" + localPort
               + rest + message.substring(headerEnd);
    }

    static List<Case> cases() throws IOException {
        String csv = new String(load("cases.csv"), StandardCharsets.UTF_8);
        return csv.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).map(Case::parse).toList();
    }

    private static byte[] load(String name) throws IOException {
        String resource = name.endsWith(".csv") ? "/rfc4475/" + name : "/rfc4475/" + name + ".sip";
        try (InputStream in = Rfc4475TortureComponentTest.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing test resource " + resource);
            }
            return in.readAllBytes();
        }
    }
}
