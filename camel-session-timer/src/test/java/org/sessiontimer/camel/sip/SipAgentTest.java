package org.sessiontimer.camel.sip;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.sip.RequestEvent;
import javax.sip.SipException;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import gov.nist.javax.sip.SipStackImpl;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class SipAgentTest {

    @Test
    void stackReadsUdpWithTheConfiguredMessageSizeAndReceiveBuffer() throws Exception {
        int port = freeUdpPort();
        RecordingListener listener = new RecordingListener();
        SipAgent agent = new SipAgent(settings(port, 8192, 1 << 20));
        agent.start(listener);
        try {
            SipStackImpl stack = (SipStackImpl) agent.stack();
            // without MAX_MESSAGE_SIZE the stack allocates 64 KiB per datagram (see SipAgent)
            assertThat(stack.getMaxMessageSize()).isEqualTo(8192);
            assertThat(stack.getReceiveUdpBufferSize()).isEqualTo(1 << 20);
            // and a datagram still arrives whole through the smaller read buffer
            sendOptions(port);
            assertThat(listener.requests.poll(5, TimeUnit.SECONDS)).as("OPTIONS delivered to the listener")
                    .isNotNull().extracting(e -> e.getRequest().getMethod()).isEqualTo("OPTIONS");
        } finally {
            agent.stop();
        }
        assertThat(agent.stack()).isNull();
    }

    @Test
    void messageLoggerAtTraceAloneLogsEveryMessage() throws Exception {
        Logger messages = (Logger) LoggerFactory.getLogger("org.sessiontimer.camel.sip.messages");
        Logger stack = (Logger) LoggerFactory.getLogger("gov.nist.javax.sip");
        ListAppender<ILoggingEvent> wire = new ListAppender<>();
        wire.start();
        Level before = messages.getLevel();
        messages.setLevel(Level.TRACE);
        messages.addAppender(wire);
        int port = freeUdpPort();
        RecordingListener listener = new RecordingListener();
        SipAgent agent = new SipAgent(settings(port, 16384, 1 << 20));
        try {
            assertThat(stack.isDebugEnabled()).as("the stack's own logger stays quiet").isFalse();
            agent.start(listener);
            sendOptions(port);
            assertThat(listener.requests.poll(5, TimeUnit.SECONDS)).isNotNull();
            await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(wire.list)
                    .anySatisfy(e -> assertThat(e.getFormattedMessage()).startsWith("received")
                            .contains("OPTIONS sip:agent@127.0.0.1:" + port)));
        } finally {
            agent.stop();
            messages.detachAppender(wire);
            messages.setLevel(before);
        }
    }

    @Test
    void portInUseFailsNamingTheAddressAndLeavesNoThreadBehind() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Set<Thread> before = eventScannerThreads();
            SipAgent agent = new SipAgent(settings(port, 16384, 1 << 20));
            assertThatThrownBy(() -> agent.start(new RecordingListener())).isInstanceOf(SipException.class)
                    .hasMessageStartingWith("Cannot listen on 127.0.0.1:" + port + " [udp]");
            assertThat(agent.stack()).isNull();
            // the stack's scanner thread is not a daemon: left running, it keeps a JVM whose start failed alive
            await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(eventScannerThreads()).isSubsetOf(before));
        }
    }

    @Test
    void maxMessageSizeOutsideWhatJainSipHonoursIsRejectedByName() {
        assertThatThrownBy(() -> settings(5060, 1000, 1 << 20)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxMessageSize must be 4096..65535 bytes, was 1000");
        assertThatThrownBy(() -> settings(5060, 70000, 1 << 20)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxMessageSize");
    }

    @Test
    void tinyUdpReceiveBufferIsRejectedByName() {
        assertThatThrownBy(() -> settings(5060, 16384, 100)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("udpReceiveBufferSize must be >= 4096 bytes, was 100");
    }

    private static SipAgentSettings settings(int port, int maxMessageSize, int udpReceiveBufferSize) {
        return new SipAgentSettings("127.0.0.1", port, 0, List.of("udp"), 2, 500, maxMessageSize, udpReceiveBufferSize, null,
                null);
    }

    private static Set<Thread> eventScannerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("EventScannerThread"))
                .filter(Thread::isAlive).collect(Collectors.toSet());
    }

    private static void sendOptions(int port) throws Exception {
        String options = String.join("\r\n",
                "OPTIONS sip:agent@127.0.0.1:" + port + " SIP/2.0",
                "Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-agent-test",
                "Max-Forwards: 70",
                "From: <sip:test@127.0.0.1>;tag=1",
                "To: <sip:agent@127.0.0.1>",
                "Call-ID: agent-test@127.0.0.1",
                "CSeq: 1 OPTIONS",
                "Content-Length: 0", "", "");
        byte[] bytes = options.getBytes(StandardCharsets.US_ASCII);
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
        }
    }

    private static int freeUdpPort() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Keeps the requests it is given; nothing is answered. */
    private static final class RecordingListener extends SipListenerAdapter {
        final BlockingQueue<RequestEvent> requests = new LinkedBlockingQueue<>();

        @Override
        public void processRequest(RequestEvent event) {
            requests.add(event);
        }
    }
}
