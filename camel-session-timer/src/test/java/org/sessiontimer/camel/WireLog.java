package org.sessiontimer.camel;

import java.time.Duration;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import static org.awaitility.Awaitility.await;

/**
 * What one SIP agent sent and received on the wire, read from the message logger at TRACE while this is open.
 *
 * <p>For checks the scripted peer cannot make. One: when our ACK arrives while the peer's stack is still inside
 * sending the 2xx (loopback, a loaded machine), the peer's JAIN-SIP drops it before its listener sees it, and a BYE
 * right behind it ends the dialog before the peer would retransmit the 2xx. What we sent is what the test is about.
 */
final class WireLog implements AutoCloseable {

    private static final String MESSAGE_LOGGER = "org.sessiontimer.camel.sip.messages";

    private final Logger logger = (Logger) LoggerFactory.getLogger(MESSAGE_LOGGER);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Level levelBefore;
    private final boolean additiveBefore;
    private final String sentPrefix;
    private final String receivedSuffix;

    /** Starts capturing the messages sent and received by the agent on {@code host:port}. */
    WireLog(String host, int port) {
        this.sentPrefix = "sent " + host + ":" + port + " -> ";
        this.receivedSuffix = " -> " + host + ":" + port;
        this.levelBefore = logger.getLevel();
        this.additiveBefore = logger.isAdditive();
        appender.start();
        logger.addAppender(appender);
        logger.setAdditive(false); // keep the wire out of the console
        logger.setLevel(Level.TRACE);
    }

    /** Waits until a request with this method went out for this Call-ID, and returns its text. */
    String awaitRequest(String method, String callId, Duration timeout) {
        String[] found = new String[1];
        await(method + " sent for Call-ID " + callId).atMost(timeout).until(() -> {
            for (String message : sent()) {
                String text = message.substring(message.indexOf('\n') + 1);
                if (text.startsWith(method + " ") && text.contains("Call-ID: " + callId)) {
                    found[0] = text;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    /** Whether a response with this status to this method of this Call-ID has been received (no waiting). */
    boolean hasReceivedResponse(int status, String method, String callId) {
        return received().stream().map(m -> m.substring(m.indexOf('\n') + 1))
                .anyMatch(text -> text.startsWith("SIP/2.0 " + status + " ") && text.contains("Call-ID: " + callId)
                                  && text.matches("(?s).*\\nCSeq: \\d+ " + method + "\\r?\\n.*"));
    }

    private List<String> sent() {
        synchronized (appender.list) {
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.startsWith(sentPrefix)).toList();
        }
    }

    private List<String> received() {
        synchronized (appender.list) {
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.startsWith("received ") && m.substring(0, m.indexOf('\n')).endsWith(receivedSuffix))
                    .toList();
        }
    }

    @Override
    public void close() {
        logger.setLevel(levelBefore);
        logger.setAdditive(additiveBefore);
        logger.detachAppender(appender);
        appender.stop();
    }
}
