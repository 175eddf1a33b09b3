package org.sessiontimer.camel;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A SIP peer on a bare UDP socket that answers only as the test writes it: for what a stack would never send, such as
 * a second 2xx with another To tag (a fork) or a 2xx long after the request. It reads requests, and sends responses
 * built from them with {@link #answer}; as a caller it sends requests as written ({@link #send}) and reads responses. Loopback only; every wait is bounded.
 */
final class RawSipPeer implements AutoCloseable {

    /** A request that arrived, with where it came from. */
    record Request(String text, SocketAddress from) {

        String method() {
            return text.substring(0, text.indexOf(' '));
        }

        /** The value of the first header of that name (full names only), or null. */
        String header(String name) {
            for (String line : text.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        long cseq() {
            return Long.parseLong(header("CSeq").split("\\s+")[0]);
        }

        /** The tag parameter of the To header, or null. */
        String toTag() {
            String to = header("To").toLowerCase(Locale.ROOT);
            int at = to.indexOf(";tag=");
            return at < 0 ? null : header("To").substring(at + 5).split("[;>\\s]")[0];
        }
    }

    private final DatagramSocket socket;
    private final List<String> seen = new ArrayList<>();
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    private SocketAddress lastSender;

    RawSipPeer() throws IOException {
        socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
    }

    String uri() {
        return "sip:raw@127.0.0.1:" + socket.getLocalPort() + ";transport=udp";
    }

    /** The next request that {@code filter} accepts, within {@code timeout}; fails otherwise. Responses are skipped. */
    Request expect(Predicate<Request> filter, Duration timeout, String what) throws IOException {
        String text = receive(t -> !t.startsWith("SIP/2.0") && filter.test(new Request(t, null)), timeout, what);
        return new Request(text, lastSender);
    }

    /** The next response whose text {@code filter} accepts, within {@code timeout}; fails otherwise. */
    String expectResponse(Predicate<String> filter, Duration timeout, String what) throws IOException {
        return receive(t -> t.startsWith("SIP/2.0") && filter.test(t), timeout, what);
    }

    /** Sends a request exactly as written, as a UAC does when it retransmits, to a UDP port on loopback. */
    void send(String request, int port) throws IOException {
        byte[] datagram = request.getBytes(StandardCharsets.US_ASCII);
        socket.send(new DatagramPacket(datagram, datagram.length, InetAddress.getByName("127.0.0.1"), port));
    }

    int port() {
        return socket.getLocalPort();
    }

    private String receive(Predicate<String> filter, Duration timeout, String what) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buffer = new byte[65536];
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new AssertionError("raw peer received no " + what + " within " + timeout + "; it got " + seen);
            }
            socket.setSoTimeout((int) left);
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                continue;
            }
            String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII);
            seen.add(text.substring(0, text.indexOf("\r\n")));
            if (filter.test(text)) {
                lastSender = packet.getSocketAddress();
                return text;
            }
        }
    }

    static Predicate<Request> method(String method) {
        return r -> r.method().equals(method);
    }

    /**
     * Sends a response to {@code request}: its Via, From, Call-ID and CSeq, its To with {@code toTag} (when it has
     * none), our Contact, and the body (an SDP, or null).
     */
    void answer(Request request, int status, String reason, String toTag, String body) throws IOException {
        StringBuilder response = new StringBuilder("SIP/2.0 ").append(status).append(' ').append(reason).append("\r\n");
        for (String line : request.text().split("\r\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("via:") || lower.startsWith("from:") || lower.startsWith("call-id:")
                    || lower.startsWith("cseq:") || lower.startsWith("record-route:")) {
                response.append(line).append("\r\n");
            } else if (lower.startsWith("to:")) {
                response.append(line.contains(";tag=") ? line : line + ";tag=" + toTag).append("\r\n");
            }
        }
        response.append("Contact: <").append(uri()).append(">\r\n");
        if (body != null) {
            response.append("Content-Type: application/sdp\r\n");
        }
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.US_ASCII);
        response.append("Content-Length: ").append(content.length).append("\r\n\r\n");
        byte[] head = response.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] datagram = new byte[head.length + content.length];
        System.arraycopy(head, 0, datagram, 0, head.length);
        System.arraycopy(content, 0, datagram, head.length, content.length);
        socket.send(new DatagramPacket(datagram, datagram.length, request.from()));
    }

    /** Something the peer does later by itself, such as a fork answering after another; cancelled by close. */
    void schedule(Duration delay, ScriptedSipPeer.ThrowingRunnable action) {
        later.schedule(() -> {
            try {
                action.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        later.shutdownNow();
        socket.close();
    }
}
