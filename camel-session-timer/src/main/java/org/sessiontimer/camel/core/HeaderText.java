package org.sessiontimer.camel.core;

/**
 * Index arithmetic over raw header text: white space, quoted strings, separators. Shared by the
 * hand-written parsers of {@link SessionTimerHeaders}; allocation-free.
 */
final class HeaderText {

    private HeaderText() {
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    /** First index in {@code [from, to)} that is not white space, or {@code to}. */
    static int skipSpace(String s, int from, int to) {
        int i = from;
        while (i < to && isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** End index of {@code s[from, to)} with trailing white space removed. */
    static int trimEnd(String s, int from, int to) {
        int i = to;
        while (i > from && isSpace(s.charAt(i - 1))) {
            i--;
        }
        return i;
    }

    /**
     * Index of {@code separator} in {@code s[from, to)} outside quoted strings (RFC 3261 §25.1,
     * a {@code ;} or {@code ,} inside a quoted generic-param value separates nothing), or {@code to}.
     */
    static int indexOfUnquoted(String s, char separator, int from, int to) {
        boolean quoted = false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++; // quoted-pair
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == separator) {
                return i;
            }
        }
        return to;
    }

    /**
     * Index of the first control character in {@code s} other than horizontal tab, or -1. Header values arrive
     * unfolded, so CR and LF are control characters here too.
     */
    static int indexOfControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7F) {
                return i;
            }
        }
        return -1;
    }

    /** Index of {@code c} in {@code s[from, to)}, or -1. */
    static int indexOf(String s, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    /** Whether the trimmed {@code s[from, to)} equals {@code word}, ignoring case. */
    static boolean equalsIgnoreCase(String s, int from, int to, String word) {
        int start = skipSpace(s, from, to);
        int end = trimEnd(s, start, to);
        return end - start == word.length() && s.regionMatches(true, start, word, 0, word.length());
    }

    /** The trimmed text of {@code s[from, to)}. */
    static String trimmed(String s, int from, int to) {
        int start = skipSpace(s, from, to);
        return s.substring(start, trimEnd(s, start, to));
    }
}
