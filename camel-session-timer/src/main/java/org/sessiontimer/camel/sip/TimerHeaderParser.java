package org.sessiontimer.camel.sip;

import java.text.ParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.sip.InvalidArgumentException;

import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentLengthHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;

import gov.nist.javax.sip.header.MaxForwards;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.stack.SIPTransactionStack;

/**
 * JAIN-SIP's message parser, truer to the wire: {@code Session-Expires} (and its compact form {@code x}) and
 * {@code Min-SE} header lines are kept as raw text instead of being parsed; a request keeps the SIP version of its
 * request line; messages that JAIN-SIP would take but fail on later, or take with one of two values, are refused as
 * unparsable (see {@link #parseSIPMessage}).
 * <p>
 * Why: the RI silently drops a Session-Expires or Min-SE value it cannot parse ({@code abc}, {@code -5},
 * {@code 99999999999}) and keeps only the first of two Session-Expires headers, so a UAS built on the parsed
 * objects cannot answer {@code 400} as RFC 4028 requires (rule H3). Kept raw, every such line reaches the
 * message's unrecognized-header list in arrival order, and the RFC 4028 core parses the text itself. The lines are
 * read from the bytes as received: JAIN-SIP's own line handling trims control characters from the end of a line, so
 * {@code Session-Expires: 1800<NUL>} would look valid. JAIN-SIP never
 * reads these headers, so nothing else changes. The stack picks this parser up through the stack property
 * {@code gov.nist.javax.sip.MESSAGE_PARSER_FACTORY} for UDP and TCP alike.
 * <p>
 * The version: the RI's parser reads {@code SIP/3.0} as {@code SIP/2.0} without a word, so a request of another version
 * was answered as if it were ours; kept, it is answered {@code 505 Version Not Supported}.
 */
public class TimerHeaderParser extends StringMsgParser {

    /** Named in the stack properties; JAIN-SIP instantiates it reflectively, one per stack. */
    public static class Factory implements MessageParserFactory {
        private volatile UnparsableMessages unparsable = new UnparsableMessages();

        /** Where the parsers made from now on report what they cannot parse; set before the stack listens. */
        void reportTo(UnparsableMessages report) {
            this.unparsable = report;
        }

        @Override
        public MessageParser createMessageParser(SIPTransactionStack stack) {
            return new TimerHeaderParser(unparsable);
        }
    }

    /** RFC 3261 §8.1.1.6. */
    private static final int DEFAULT_MAX_FORWARDS = 70;
    /** Headers that appear at most once, by lower-case long and compact name. */
    private static final Map<String, String> SINGLE_VALUED = Map.ofEntries(
            Map.entry("call-id", CallIdHeader.NAME), Map.entry("i", CallIdHeader.NAME),
            Map.entry("cseq", CSeqHeader.NAME),
            Map.entry("from", FromHeader.NAME), Map.entry("f", FromHeader.NAME),
            Map.entry("to", ToHeader.NAME), Map.entry("t", ToHeader.NAME),
            Map.entry("max-forwards", MaxForwardsHeader.NAME),
            Map.entry("content-length", ContentLengthHeader.NAME), Map.entry("l", ContentLengthHeader.NAME),
            Map.entry("content-type", ContentTypeHeader.NAME), Map.entry("c", ContentTypeHeader.NAME));

    private final UnparsableMessages unparsable;

    TimerHeaderParser(UnparsableMessages unparsable) {
        this.unparsable = unparsable;
    }

    /**
     * Parses as JAIN-SIP does, and also refuses a message without the headers every SIP message has (RFC 3261 §8.1.1)
     * or with two of a header that appears once: the stack would fail on it later, past the point where it reports
     * parse errors, or go on with one of the values. Whatever does not parse is reported once, briefly
     * ({@link UnparsableMessages}), and then left to the stack (400 over UDP where it can, nothing over TCP).
     */
    @Override
    public SIPMessage parseSIPMessage(byte[] raw, boolean readBody, boolean strict, ParseExceptionListener listener)
            throws ParseException {
        try {
            SIPMessage message = super.parseSIPMessage(raw, readBody, strict, listener);
            if (message != null) {
                requireMandatoryHeaders(message);
                List<String> lines = ReceivedHeaderLines.of(raw);
                requireSingleValues(lines);
                for (String line : lines) {
                    if (RawTimerHeaders.isTimerHeaderLine(line)) {
                        message.addUnparsed(line);
                    }
                }
                if (message instanceof SIPRequest request) {
                    // the stack's parser writes SIP/2.0 whatever the request said
                    request.getRequestLine().setSipVersion(ReceivedHeaderLines.versionOf(raw));
                }
                if (message instanceof SIPRequest request && request.getMaxForwards() == null) {
                    // RFC 2543 peers send none (RFC 4475 3.4.1); the stack would refuse the request without a word
                    request.setHeader(new MaxForwards(DEFAULT_MAX_FORWARDS));
                }
            }
            return message;
        } catch (ParseException e) {
            unparsable.report(listener, raw, e);
            throw e;
        } catch (InvalidArgumentException e) {
            throw new IllegalStateException(e); // 70 is a valid Max-Forwards
        }
    }

    private static void requireMandatoryHeaders(SIPMessage message) throws ParseException {
        String missing = message.getCSeq() == null ? CSeqHeader.NAME
                : message.getCallId() == null ? CallIdHeader.NAME
                : message.getFrom() == null ? FromHeader.NAME
                : message.getTo() == null ? ToHeader.NAME
                : message.getViaHeaders() == null || message.getViaHeaders().isEmpty() ? ViaHeader.NAME
                // RFC 3261 8.1.1.8; the stack would refuse an INVITE without one, and answer nothing
                : message instanceof SIPRequest request && Request.INVITE.equals(request.getMethod())
                  && request.getHeader(ContactHeader.NAME) == null ? ContactHeader.NAME
                : null;
        if (missing != null) {
            throw new ParseException("Missing " + missing + " header", 0);
        }
    }

    /**
     * RFC 3261 §7.3.1: a header that is not a comma-separated list appears once. JAIN-SIP keeps one of two Call-IDs,
     * To or Content-Length values and goes on; RFC 4475 (3.3.8, 3.3.9) wants such a message refused.
     */
    private static void requireSingleValues(List<String> lines) throws ParseException {
        Set<String> seen = new HashSet<>();
        for (String line : lines) {
            String name = SINGLE_VALUED.get(ReceivedHeaderLines.nameOf(line).toLowerCase(Locale.ROOT));
            if (name != null && !seen.add(name)) {
                throw new ParseException("More than one " + name + " header", 0);
            }
        }
    }

    @Override
    protected void processHeader(String header, SIPMessage message, ParseExceptionListener listener, byte[] rawMessage)
            throws ParseException {
        // timer headers are taken from the raw bytes once the message is parsed (parseSIPMessage)
        if (!RawTimerHeaders.isTimerHeaderLine(header)) {
            super.processHeader(header, message, listener, rawMessage);
        }
    }
}
