package org.sessiontimer.camel.sip;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * What JAIN-SIP's warnings and errors mean to an operator. The stack logs at ERROR, often with a stack trace or a
 * whole message, events that are normal on a network and that our own code already reports with the call they
 * concern (a TCP peer that went away, a keep-alive on a connection being closed), or that {@link UnparsableMessages}
 * has reported already. The messages are JAIN-SIP RI 1.3.0-91's; a test provokes the main kinds on real sockets.
 */
final class JainSipLogTriage {

    enum Verdict {
        /** Normal on a network, reported elsewhere, or a note about unused TLS: DEBUG. */
        ROUTINE,
        /** A UDP datagram the stack failed on after parsing it; the message dumps the whole receive buffer. */
        UNPROCESSED_DATAGRAM,
        /** Anything else: kept at its level, in bounded length and volume. */
        OTHER
    }

    static final String UNPROCESSED_DATAGRAM_PREFIX = "Error while processing incoming UDP packet";

    /**
     * Beginnings of messages about connections, sends and parse failures (in the stack's spelling), and the notes
     * about TLS settings that every stack prints at start-up although it does not use TLS.
     */
    private static final List<String> ROUTINE = List.of(
            "using default tls security policy", "Using default keystore type", "Using default truststore type",
            "TLS server settings will be inactive", "TLS trust settings will be inactive",
            "Problem connecting", "Problem sending", "Could not connect to", "Couldn't connect to", "Failed to connect",
            "IOException occured", "retry suceeded", "Old socket", "There was no exception for the retry",
            "There was an exception for the retry", "Exception while closing socket", "IO issue while closing socket",
            "Error is", "A problem occured while trying to send a single", "Malformed mandatory headers: closing socket",
            "Detected a parse error", "Exception Reading Content", "Exception while sending error response statelessly",
            "error sending response", "could not resend ack");
    /** What a failed send says when it is wrapped into a SipException rather than left an IOException. */
    private static final String CONNECT_FAILED = "Could not connect to";

    private JainSipLogTriage() {
    }

    static Verdict of(String message, Throwable problem) {
        if (problem instanceof IOException
            || problem != null && String.valueOf(problem.getMessage()).startsWith(CONNECT_FAILED)) {
            return Verdict.ROUTINE;
        }
        if (message == null) {
            return Verdict.OTHER;
        }
        String text = message.stripLeading();
        if (text.startsWith(UNPROCESSED_DATAGRAM_PREFIX)) {
            return Verdict.UNPROCESSED_DATAGRAM;
        }
        // IOHandler dumps its whole socket table (a map) after each failed send
        if (text.startsWith("{") && text.endsWith("}")) {
            return Verdict.ROUTINE;
        }
        for (String event : ROUTINE) {
            if (text.startsWith(event)) {
                return Verdict.ROUTINE;
            }
        }
        return Verdict.OTHER;
    }

    /**
     * The first bytes of the datagram that an {@link Verdict#UNPROCESSED_DATAGRAM} message lists as decimal values
     * ({@code [79, 80, ...]}), at most {@code max}, without the zeros that pad the receive buffer.
     */
    static byte[] datagramStart(String message, int max) {
        byte[] bytes = new byte[max];
        int count = 0;
        int i = message.indexOf('[') + 1;
        while (i > 0 && i < message.length() && count < max) {
            int end = i;
            while (end < message.length() && message.charAt(end) != ',' && message.charAt(end) != ']') {
                end++;
            }
            try {
                bytes[count] = (byte) Integer.parseInt(message.substring(i, end).trim());
            } catch (NumberFormatException e) {
                break;
            }
            count++;
            i = end < message.length() && message.charAt(end) == ',' ? end + 1 : -1;
        }
        while (count > 0 && bytes[count - 1] == 0) {
            count--;
        }
        return Arrays.copyOf(bytes, count);
    }
}
