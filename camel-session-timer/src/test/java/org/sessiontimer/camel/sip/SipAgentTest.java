package org.sessiontimer.camel.sip;

import java.net.DatagramSocket;
import java.util.List;

import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipListener;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;

import gov.nist.javax.sip.SipStackImpl;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SipAgentTest {

    @Test
    void stackReadsUdpWithTheConfiguredMessageSizeAndReceiveBuffer() throws Exception {
        SipAgent agent = new SipAgent(settings(freeUdpPort(), 8192, 1 << 20));
        agent.start(new IgnoringListener());
        try {
            SipStackImpl stack = (SipStackImpl) agent.stack();
            // without MAX_MESSAGE_SIZE the stack allocates 64 KiB per datagram (see SipAgent)
            assertThat(stack.getMaxMessageSize()).isEqualTo(8192);
            assertThat(stack.getReceiveUdpBufferSize()).isEqualTo(1 << 20);
        } finally {
            agent.stop();
        }
        assertThat(agent.stack()).isNull();
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
        return new SipAgentSettings("127.0.0.1", port, List.of("udp"), 2, 500, maxMessageSize, udpReceiveBufferSize);
    }

    private static int freeUdpPort() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The stack needs a listener to start; nothing is sent to it here. */
    private static final class IgnoringListener implements SipListener {
        @Override
        public void processRequest(RequestEvent event) {
        }

        @Override
        public void processResponse(ResponseEvent event) {
        }

        @Override
        public void processTimeout(TimeoutEvent event) {
        }

        @Override
        public void processIOException(IOExceptionEvent event) {
        }

        @Override
        public void processTransactionTerminated(TransactionTerminatedEvent event) {
        }

        @Override
        public void processDialogTerminated(DialogTerminatedEvent event) {
        }
    }
}
