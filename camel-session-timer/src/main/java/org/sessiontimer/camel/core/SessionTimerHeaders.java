package org.sessiontimer.camel.core;

import java.util.List;

/**
 * Reads the session timer headers from their raw text (RFC 4028 §4, §5; rules H1-H3).
 *
 * <p>Why raw text: JAIN-SIP drops a header value it cannot parse, and then we could not answer
 * 400 naming the header (H3) nor tell "absent" from "malformed". The user agent hands us every
 * value of a header, long and compact form together, one list entry per header line.
 *
 * <p>Hand-written parsers, no regular expressions: one parse per message at 100k dialogs.
 */
public final class SessionTimerHeaders {

    /** The option tag of this extension (§3), in {@code Supported} and {@code Require}. */
    public static final String TIMER_OPTION_TAG = "timer";

    private static final String REFRESHER_PARAM = "refresher";

    private SessionTimerHeaders() {
    }

    /**
     * Parses {@code Session-Expires} (H1): {@code delta-seconds *(";" se-params)}, with
     * {@code refresher=uac|uas}, names and values case-insensitive, optional white space around
     * {@code ;} and {@code =}; unknown parameters are ignored.
     *
     * @param rawValues every value of {@code Session-Expires} and {@code x}; {@code null} or empty = absent
     * @return the value, or {@code null} when the header is absent
     * @throws HeaderException (H3) when the value is empty, not digits, above 2^32-1, when there is
     *                         more than one value (two headers or a comma-separated list), the
     *                         refresher value is neither uac nor uas, a parameter is not a
     *                         generic-param ({@code 1800;;;}) or the value holds a control
     *                         character (a NUL byte, say)
     */
    public static SessionExpires parseSessionExpires(List<String> rawValues) {
        String raw = singleValue(SessionExpires.NAME, rawValues);
        if (raw == null) {
            return null;
        }
        int length = raw.length();
        int paramStart = HeaderText.indexOfUnquoted(raw, ';', 0, length);
        long seconds = DeltaSeconds.parse(SessionExpires.NAME, raw, 0, paramStart);
        Refresher refresher = null;
        while (paramStart < length) {
            int paramEnd = HeaderText.indexOfUnquoted(raw, ';', paramStart + 1, length);
            int equals = GenericParam.check(SessionExpires.NAME, raw, paramStart + 1, paramEnd);
            int nameEnd = equals < 0 ? paramEnd : equals;
            if (HeaderText.equalsIgnoreCase(raw, paramStart + 1, nameEnd, REFRESHER_PARAM)) {
                if (refresher != null) {
                    throw new HeaderException(SessionExpires.NAME, "more than one refresher parameter");
                }
                String value = equals < 0 ? "" : HeaderText.trimmed(raw, equals + 1, paramEnd);
                refresher = refresherValue(value);
            }
            // H1: any other parameter (generic-param) is ignored
            paramStart = paramEnd;
        }
        return new SessionExpires(seconds, refresher);
    }

    /**
     * Parses {@code Min-SE} (H2): delta-seconds, generic parameters ignored.
     *
     * @param rawValues every value of {@code Min-SE}; {@code null} or empty = absent
     * @param floor     the smallest minimum we read: 90 (§5), or the lab floor
     * @return absent: {@code floor}; below {@code floor}: {@code floor} with {@code raisedToFloor}
     *         (H2 <b>choice</b>: liberal in what we accept, the caller logs a WARN)
     * @throws HeaderException (H3) for an empty, non-numeric, out-of-range or repeated value, a
     *                         malformed parameter or a control character
     */
    public static MinSe parseMinSe(List<String> rawValues, long floor) {
        if (floor < 1) {
            throw new IllegalArgumentException("floor must be >= 1: " + floor);
        }
        String raw = singleValue(MinSe.NAME, rawValues);
        if (raw == null) {
            return new MinSe(floor, false); // §5: absent means 90 (or the lab floor)
        }
        int length = raw.length();
        int paramStart = HeaderText.indexOfUnquoted(raw, ';', 0, length);
        long seconds = DeltaSeconds.parse(MinSe.NAME, raw, 0, paramStart);
        while (paramStart < length) { // H2: generic parameters are ignored, but must be parameters (H3)
            int paramEnd = HeaderText.indexOfUnquoted(raw, ';', paramStart + 1, length);
            GenericParam.check(MinSe.NAME, raw, paramStart + 1, paramEnd);
            paramStart = paramEnd;
        }
        return seconds < floor ? new MinSe(floor, true) : new MinSe(seconds, false);
    }

    /**
     * Whether {@code tag} is one of the option tags in {@code Supported}/{@code Require} values
     * such as {@code "100rel, timer"} (case-insensitive; several header lines or comma lists).
     */
    public static boolean containsOptionTag(List<String> rawHeaderValues, String tag) {
        if (rawHeaderValues == null) {
            return false;
        }
        for (String value : rawHeaderValues) {
            if (value != null && listContains(value, tag)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Adds {@code tag} to a comma-separated option tag list unless it is there already (H4:
     * {@code Supported: timer} merged with the other tags, never duplicated).
     *
     * @param existingValue the current header value, or {@code null}/blank when there is none
     */
    public static String addOptionTag(String existingValue, String tag) {
        if (existingValue == null || existingValue.isBlank()) {
            return tag;
        }
        return listContains(existingValue, tag) ? existingValue : existingValue + ", " + tag;
    }

    /** Whether the peer's {@code Allow} values list a method (R2); methods are compared as tokens. */
    public static boolean allowsMethod(List<String> allowValues, String method) {
        return containsOptionTag(allowValues, method);
    }

    private static boolean listContains(String list, String tag) {
        int length = list.length();
        int start = 0;
        while (start <= length) {
            int comma = HeaderText.indexOf(list, ',', start, length);
            int end = comma < 0 ? length : comma;
            if (HeaderText.equalsIgnoreCase(list, start, end, tag)) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    /**
     * The one value of a header that may appear once; H3: a second header line or a
     * comma-separated list is a duplicate.
     */
    private static String singleValue(String header, List<String> rawValues) {
        if (rawValues == null || rawValues.isEmpty()) {
            return null;
        }
        if (rawValues.size() > 1) {
            throw new HeaderException(header, "more than one value (" + rawValues.size() + " headers)");
        }
        String raw = rawValues.get(0);
        if (raw == null) {
            throw new HeaderException(header, "empty value");
        }
        if (HeaderText.indexOfUnquoted(raw, ',', 0, raw.length()) < raw.length()) {
            throw new HeaderException(header, "more than one value (comma-separated list): " + HeaderException.quote(raw));
        }
        int control = HeaderText.indexOfControl(raw);
        if (control >= 0) {
            throw new HeaderException(header, String.format("control character 0x%02X in %s", (int) raw.charAt(control),
                    HeaderException.quote(raw)));
        }
        return raw;
    }

    private static Refresher refresherValue(String value) {
        if (Refresher.UAC.token().equalsIgnoreCase(value)) {
            return Refresher.UAC;
        }
        if (Refresher.UAS.token().equalsIgnoreCase(value)) {
            return Refresher.UAS;
        }
        throw new HeaderException(SessionExpires.NAME, "unknown refresher value: " + HeaderException.quote(value));
    }
}
