package org.sessiontimer.camel.sip;

/**
 * Bytes from the wire made safe and short for a log line: printable ASCII as it is, CR, LF and tab as {@code \r},
 * {@code \n} and {@code \t}, anything else as {@code \xNN}, cut at a length; so that no hostile message can forge
 * log lines or flood them.
 */
final class WireText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private WireText() {
    }

    /** The start of {@code bytes[0, length)}: at most {@code maxBytes} of it, rendered in at most {@code maxChars}. */
    static String excerpt(byte[] bytes, int length, int maxBytes, int maxChars) {
        StringBuilder out = new StringBuilder(Math.min(maxChars, length * 2) + 3);
        int end = Math.min(length, maxBytes);
        for (int i = 0; i < end; i++) {
            if (out.length() >= maxChars) {
                return out.append("...").toString();
            }
            append(out, bytes[i] & 0xFF);
        }
        return end < length ? out.append("...").toString() : out.toString();
    }

    /** Text (an exception's message, say) with the same escapes, cut at {@code maxChars}. */
    static String of(String text, int maxChars) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(maxChars, text.length()) + 3);
        for (int i = 0; i < text.length(); i++) {
            if (out.length() >= maxChars) {
                return out.append("...").toString();
            }
            char c = text.charAt(i);
            append(out, c < 0x80 ? c : '?');
        }
        return out.toString();
    }

    private static void append(StringBuilder out, int c) {
        if (c >= 0x20 && c < 0x7F) {
            out.append((char) c);
        } else if (c == '\r') {
            out.append("\\r");
        } else if (c == '\n') {
            out.append("\\n");
        } else if (c == '\t') {
            out.append("\\t");
        } else {
            out.append("\\x").append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
        }
    }
}
