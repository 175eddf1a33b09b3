package org.sessiontimer.camel.sip;

import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;

import javax.sip.message.Message;

import gov.nist.javax.sip.message.SIPMessage;

/**
 * Reads the raw {@code Session-Expires}/{@code x} and {@code Min-SE} values that {@link TimerHeaderParser} kept
 * as text on a received message.
 */
public final class RawTimerHeaders {

    /** Raw values, in arrival order, of one received message. */
    public record Values(List<String> sessionExpires, List<String> minSe) {
    }

    private static final Values NONE = new Values(List.of(), List.of());

    private RawTimerHeaders() {
    }

    /** True for a header line whose name is Session-Expires, x or Min-SE (case-insensitive, RFC 3261 §7.3.1). */
    static boolean isTimerHeaderLine(String line) {
        int colon = line.indexOf(':');
        if (colon < 1) {
            return false;
        }
        int end = colon;
        while (end > 0 && isWhiteSpace(line.charAt(end - 1))) {
            end--;
        }
        int start = 0;
        while (start < end && isWhiteSpace(line.charAt(start))) {
            start++;
        }
        return isTimerHeaderName(line.substring(start, end));
    }

    private static boolean isTimerHeaderName(String name) {
        return name.equalsIgnoreCase("x") || name.equalsIgnoreCase("Session-Expires") || name.equalsIgnoreCase("Min-SE");
    }

    /** The raw timer header values of a message received through a stack using {@link TimerHeaderParser}. */
    public static Values of(Message message) {
        if (!(message instanceof SIPMessage)) {
            return NONE;
        }
        ListIterator<String> unrecognized = ((SIPMessage) message).getUnrecognizedHeaders();
        List<String> sessionExpires = null;
        List<String> minSe = null;
        while (unrecognized.hasNext()) {
            String line = unrecognized.next();
            if (!isTimerHeaderLine(line)) {
                continue;
            }
            int colon = line.indexOf(':');
            String value = trimWhiteSpace(line.substring(colon + 1)); // not trim(): it drops control characters
            if (isMinSe(line, colon)) {
                minSe = add(minSe, value);
            } else {
                sessionExpires = add(sessionExpires, value);
            }
        }
        if (sessionExpires == null && minSe == null) {
            return NONE;
        }
        return new Values(sessionExpires == null ? List.of() : sessionExpires, minSe == null ? List.of() : minSe);
    }

    private static boolean isMinSe(String line, int colon) {
        String name = line.substring(0, colon).trim();
        return name.equalsIgnoreCase("Min-SE");
    }

    private static List<String> add(List<String> list, String value) {
        List<String> answer = list == null ? new ArrayList<>(1) : list;
        answer.add(value);
        return answer;
    }

    private static String trimWhiteSpace(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isWhiteSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isWhiteSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isWhiteSpace(char c) {
        return c == ' ' || c == '\t';
    }
}
