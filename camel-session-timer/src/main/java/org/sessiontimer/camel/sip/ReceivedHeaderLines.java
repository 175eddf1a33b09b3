package org.sessiontimer.camel.sip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The header lines of a received message as they came over the wire, split and unfolded as JAIN-SIP's parser does
 * (RFC 3261 §7.3.1) but otherwise untouched: JAIN-SIP trims every byte up to 0x20 from the end of a line, and keeps
 * only one of two header lines that may appear once, so its parsed message can no longer tell what was sent.
 */
final class ReceivedHeaderLines {

    private ReceivedHeaderLines() {
    }

    /** The unfolded header lines of the header section, in order; the start line is not one of them. */
    static List<String> of(byte[] raw) {
        List<String> lines = new ArrayList<>();
        int n = raw.length;
        int i = 0;
        while (i < n && (raw[i] & 0xFF) < 0x20) {
            i++; // JAIN-SIP skips leading control characters too
        }
        i = nextLine(raw, endOfLine(raw, i)); // the request or status line
        StringBuilder current = null;
        while (i < n) {
            int end = endOfLine(raw, i);
            if (isBlank(raw, i, end)) {
                break; // end of the header section
            }
            if (raw[i] == ' ' || raw[i] == '\t') {
                if (current != null) {
                    current.append(new String(raw, i + 1, end - i - 1, StandardCharsets.UTF_8));
                }
            } else {
                if (current != null) {
                    lines.add(current.toString());
                }
                current = new StringBuilder(new String(raw, i, end - i, StandardCharsets.UTF_8));
            }
            i = nextLine(raw, end);
        }
        if (current != null) {
            lines.add(current.toString());
        }
        return lines;
    }

    /** The SIP-Version at the end of a request's start line, as sent (RFC 3261 §7.1). */
    static String versionOf(byte[] raw) {
        int start = 0;
        while (start < raw.length && (raw[start] & 0xFF) < 0x20) {
            start++;
        }
        int end = endOfLine(raw, start);
        while (end > start && raw[end - 1] == ' ') {
            end--; // RFC 4475 3.1.2.10: trailing SP, taken liberally
        }
        int space = end;
        while (space > start && raw[space - 1] != ' ') {
            space--;
        }
        return new String(raw, space, end - space, StandardCharsets.UTF_8);
    }

    /** The name of a header line, trimmed, or "" when it has no colon. */
    static String nameOf(String line) {
        int colon = line.indexOf(':');
        return colon < 0 ? "" : line.substring(0, colon).strip();
    }

    private static int endOfLine(byte[] raw, int from) {
        int i = from;
        while (i < raw.length && raw[i] != '\r' && raw[i] != '\n') {
            i++;
        }
        return i;
    }

    private static int nextLine(byte[] raw, int lineEnd) {
        return lineEnd + 1 < raw.length && raw[lineEnd] == '\r' && raw[lineEnd + 1] == '\n' ? lineEnd + 2 : lineEnd + 1;
    }

    /** As JAIN-SIP sees it: a line of nothing but bytes up to 0x20 ends the headers. */
    private static boolean isBlank(byte[] raw, int from, int to) {
        for (int i = from; i < to; i++) {
            if ((raw[i] & 0xFF) > 0x20) {
                return false;
            }
        }
        return true;
    }
}
