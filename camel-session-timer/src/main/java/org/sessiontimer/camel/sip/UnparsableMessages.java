package org.sessiontimer.camel.sip;

import java.text.ParseException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import gov.nist.javax.sip.stack.MessageChannel;
import org.sessiontimer.camel.limits.ThrottledLog;
import org.slf4j.LoggerFactory;

/**
 * Reports the messages JAIN-SIP cannot parse: one short WARN each on logger
 * {@code org.sessiontimer.camel.sip.unparsable}, with the source, the size, the parser's reason and the start of the
 * message made printable, at most a few lines a second per source ({@link ThrottledLog}). The stack itself says
 * nothing more than DEBUG about them ({@link Slf4jStackLogger}); it answers a request it could read enough of with
 * 400 and drops the rest.
 */
public final class UnparsableMessages {

    static final String LOGGER = "org.sessiontimer.camel.sip.unparsable";
    /** The part of a message shown: enough for the request line and a header or two. */
    static final int EXCERPT_BYTES = 200;
    static final int EXCERPT_CHARS = 160;
    static final int REASON_CHARS = 80;

    private final ThrottledLog log;
    private final LongAdder count = new LongAdder();

    public UnparsableMessages(LongSupplier nanoClock) {
        this.log = new ThrottledLog(LoggerFactory.getLogger(LOGGER), nanoClock);
    }

    public UnparsableMessages() {
        this(System::nanoTime);
    }

    /** How many messages could not be parsed since the agent started. */
    public long count() {
        return count.sum();
    }

    /** One message that did not parse; {@code channel} is the stack's channel it came in on, when known. */
    void report(Object channel, byte[] raw, ParseException problem) {
        count.increment();
        String address = "unknown";
        String from = "an unknown source";
        if (channel instanceof MessageChannel messageChannel) {
            address = messageChannel.getPeerAddress();
            // a UDP channel learns the port of a datagram only after parsing it: the address alone is certain
            from = messageChannel.isReliable()
                    ? address + ":" + messageChannel.getPeerPort() + " over " + messageChannel.getTransport()
                    : address + " over " + messageChannel.getTransport();
        }
        log.warn(address, "Unparsable SIP message from {} ({} bytes): {}: {}", from, raw.length,
                WireText.of(reason(problem), REASON_CHARS),
                WireText.excerpt(raw, raw.length, EXCERPT_BYTES, EXCERPT_CHARS));
    }

    /** The parser's reason, without the identity of the lexer's buffer that some of its messages start with. */
    private static String reason(ParseException problem) {
        String reason = String.valueOf(problem.getMessage());
        int lineEnd = reason.indexOf('\n');
        return reason.startsWith("[C@") && lineEnd > 0 ? reason.substring(lineEnd + 1) : reason;
    }
}
