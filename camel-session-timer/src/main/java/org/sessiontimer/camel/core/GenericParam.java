package org.sessiontimer.camel.core;

/**
 * The grammar of one header parameter, RFC 3261 §25.1: {@code generic-param = token [ EQUAL gen-value ]},
 * {@code gen-value = token / host / quoted-string}. {@code Session-Expires} and {@code Min-SE} ignore the parameters
 * they do not know (H1, H2), but a parameter that is not one at all ({@code 1800;;;}) makes the header malformed
 * (H3): accepting it would hide a broken or hostile peer.
 */
final class GenericParam {

    private GenericParam() {
    }

    /**
     * Checks {@code raw[from, to)}, the text after one {@code ;}, and returns the index of its {@code =}, or -1 when
     * it has no value.
     *
     * @throws HeaderException naming {@code header} for an empty parameter, a name that is not a token, an empty or
     *                         malformed value
     */
    static int check(String header, String raw, int from, int to) {
        int equals = HeaderText.indexOf(raw, '=', from, to);
        int nameEnd = equals < 0 ? to : equals;
        int nameStart = HeaderText.skipSpace(raw, from, nameEnd);
        int nameStop = HeaderText.trimEnd(raw, nameStart, nameEnd);
        if (nameStart == nameStop) {
            throw new HeaderException(header, "empty parameter: " + HeaderException.quote(raw));
        }
        if (!isToken(raw, nameStart, nameStop, false)) {
            throw new HeaderException(header, "malformed parameter: " + HeaderException.quote(raw.substring(from, to)));
        }
        if (equals >= 0) {
            int valueStart = HeaderText.skipSpace(raw, equals + 1, to);
            int valueStop = HeaderText.trimEnd(raw, valueStart, to);
            boolean valid = valueStart < valueStop && (raw.charAt(valueStart) == '"'
                    ? isQuotedString(raw, valueStart, valueStop)
                    : isToken(raw, valueStart, valueStop, true));
            if (!valid) {
                throw new HeaderException(header, "malformed parameter value: "
                        + HeaderException.quote(raw.substring(from, to)));
            }
        }
        return equals;
    }

    /** {@code 1*tokenchar}; with {@code host} also the {@code :}, {@code [} and {@code ]} of an IPv6 reference. */
    private static boolean isToken(String s, int from, int to, boolean host) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean tokenChar = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "-.!%*_+`'~".indexOf(c) >= 0;
            if (!tokenChar && !(host && (c == ':' || c == '[' || c == ']'))) {
                return false;
            }
        }
        return true;
    }

    /** {@code DQUOTE *(qdtext / quoted-pair) DQUOTE}, the closing quote being the last character. */
    private static boolean isQuotedString(String s, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++; // quoted-pair; control characters were refused with the whole value
            } else if (c == '"') {
                return i == to - 1;
            }
        }
        return false;
    }
}
