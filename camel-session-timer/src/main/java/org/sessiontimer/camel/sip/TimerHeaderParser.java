package org.sessiontimer.camel.sip;

import java.text.ParseException;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.stack.SIPTransactionStack;

/**
 * JAIN-SIP's message parser with two changes: {@code Session-Expires} (and its compact form {@code x}) and
 * {@code Min-SE} header lines are kept as raw text instead of being parsed, and a request keeps the SIP version of its
 * request line.
 * <p>
 * Why: the RI silently drops a Session-Expires or Min-SE value it cannot parse ({@code abc}, {@code -5},
 * {@code 99999999999}) and keeps only the first of two Session-Expires headers, so a UAS built on the parsed
 * objects cannot answer {@code 400} as RFC 4028 requires (rule H3). Kept raw, every such line reaches the
 * message's unrecognized-header list in arrival order, and the RFC 4028 core parses the text itself. JAIN-SIP never
 * reads these headers, so nothing else changes. The stack picks this parser up through the stack property
 * {@code gov.nist.javax.sip.MESSAGE_PARSER_FACTORY} for UDP and TCP alike.
 * <p>
 * The version: the RI's parser reads {@code SIP/3.0} as {@code SIP/2.0} without a word, so a request of another version
 * was answered as if it were ours; kept, the RI's message channels answer it {@code 505 Version Not Supported} before
 * it reaches the listener.
 */
public class TimerHeaderParser extends StringMsgParser {

    private static final String SIP_VERSION = "SIP/2.0";

    /** Named in the stack properties; JAIN-SIP instantiates it reflectively. */
    public static class Factory implements MessageParserFactory {
        @Override
        public MessageParser createMessageParser(SIPTransactionStack stack) {
            return new TimerHeaderParser();
        }
    }

    @Override
    protected SIPMessage processFirstLine(String firstLine, ParseExceptionListener listener, byte[] rawMessage)
            throws ParseException {
        SIPMessage message = super.processFirstLine(firstLine, listener, rawMessage);
        if (message instanceof SIPRequest request) {
            String version = firstLine.trim().substring(firstLine.trim().lastIndexOf(' ') + 1);
            if (!SIP_VERSION.equalsIgnoreCase(version)) {
                request.getRequestLine().setSipVersion(version);
            }
        }
        return message;
    }

    @Override
    protected void processHeader(String header, SIPMessage message, ParseExceptionListener listener, byte[] rawMessage)
            throws ParseException {
        if (RawTimerHeaders.isTimerHeaderLine(header)) {
            message.addUnparsed(header.trim());
        } else {
            super.processHeader(header, message, listener, rawMessage);
        }
    }
}
