package org.sessiontimer.camel.sip;

import java.text.ParseException;

import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.stack.SIPTransactionStack;

/**
 * JAIN-SIP's message parser with one change: {@code Session-Expires} (and its compact form {@code x}) and
 * {@code Min-SE} header lines are kept as raw text instead of being parsed.
 * <p>
 * Why: the RI silently drops a Session-Expires or Min-SE value it cannot parse ({@code abc}, {@code -5},
 * {@code 99999999999}) and keeps only the first of two Session-Expires headers, so a UAS built on the parsed
 * objects cannot answer {@code 400} as RFC 4028 requires (rule H3). Kept raw, every such line reaches the
 * message's unrecognized-header list in arrival order, and the RFC 4028 core parses the text itself. The lines are
 * read from the bytes as received: JAIN-SIP's own line handling trims control characters from the end of a line, so
 * {@code Session-Expires: 1800<NUL>} would look valid. JAIN-SIP never
 * reads these headers, so nothing else changes. The stack picks this parser up through the stack property
 * {@code gov.nist.javax.sip.MESSAGE_PARSER_FACTORY} for UDP and TCP alike.
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

    private final UnparsableMessages unparsable;

    TimerHeaderParser(UnparsableMessages unparsable) {
        this.unparsable = unparsable;
    }

    /**
     * Parses as JAIN-SIP does, and also refuses a message without the headers every SIP message has (RFC 3261 §8.1.1):
     * the stack would fail on it later, past the point where it reports parse errors, and log the whole datagram.
     * Whatever does not parse is reported once, briefly ({@link UnparsableMessages}), and then left to the stack.
     */
    @Override
    public SIPMessage parseSIPMessage(byte[] raw, boolean readBody, boolean strict, ParseExceptionListener listener)
            throws ParseException {
        try {
            SIPMessage message = super.parseSIPMessage(raw, readBody, strict, listener);
            if (message != null) {
                requireMandatoryHeaders(message);
                RawTimerHeaders.keepAsSent(raw, message);
            }
            return message;
        } catch (ParseException e) {
            unparsable.report(listener, raw, e);
            throw e;
        }
    }

    private static void requireMandatoryHeaders(SIPMessage message) throws ParseException {
        String missing = message.getCSeq() == null ? CSeqHeader.NAME
                : message.getCallId() == null ? CallIdHeader.NAME
                : message.getFrom() == null ? FromHeader.NAME
                : message.getTo() == null ? ToHeader.NAME
                : message.getViaHeaders() == null || message.getViaHeaders().isEmpty() ? ViaHeader.NAME
                : null;
        if (missing != null) {
            throw new ParseException("Missing " + missing + " header", 0);
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
