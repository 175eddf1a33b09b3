package org.sessiontimer.camel.core;

/**
 * The {@code delta-seconds} grammar of RFC 3261 §25.1 ({@code 1*DIGIT}) with the range limit of
 * RFC 3261 §20.19: at most 2^32-1. Hand-parsed, no regex (100k dialogs, one parse per message).
 */
final class DeltaSeconds {

    /** 2^32-1, the largest delta-seconds value (H3). */
    static final long MAX = 4_294_967_295L;

    private DeltaSeconds() {
    }

    /**
     * Parses {@code text[from, to)} after trimming white space.
     *
     * @throws HeaderException naming {@code header} when empty, not digits or above {@link #MAX} (H3)
     */
    static long parse(String header, String text, int from, int to) {
        int start = HeaderText.skipSpace(text, from, to);
        int end = HeaderText.trimEnd(text, start, to);
        if (start == end) {
            throw new HeaderException(header, "empty value");
        }
        long value = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new HeaderException(header, "not a number: " + HeaderException.quote(text.substring(start, end)));
            }
            value = value * 10 + (c - '0');
            if (value > MAX) { // checked per digit, so the long never overflows
                throw new HeaderException(header, "out of range (above " + MAX + "): "
                        + HeaderException.quote(text.substring(start, end)));
            }
        }
        return value;
    }

    static void requireInRange(String what, long seconds) {
        if (seconds < 0 || seconds > MAX) {
            throw new IllegalArgumentException(what + " must be 0.." + MAX + " seconds: " + seconds);
        }
    }
}
