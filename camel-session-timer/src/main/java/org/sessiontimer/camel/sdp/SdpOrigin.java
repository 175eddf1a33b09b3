package org.sessiontimer.camel.sdp;

import java.nio.charset.StandardCharsets;

/**
 * The session id and version of a session description's {@code o=} line, which tell a new offer from the one sent
 * before (RFC 3264 §8: a changed session gets a higher version; an unchanged one, as in a refresh, the same). Read
 * from the line itself, so that a description the SDP parser would refuse still has one.
 */
public final class SdpOrigin {

    private SdpOrigin() {
    }

    /** "sess-id sess-version" of the body's o= line, or null for no body or no o= line. */
    public static String of(byte[] body) {
        return body == null || body.length == 0 ? null : of(new String(body, StandardCharsets.UTF_8));
    }

    /** "sess-id sess-version" of the description's o= line, or null. */
    public static String of(String sdp) {
        if (sdp == null) {
            return null;
        }
        for (String line : sdp.split("\r?\n")) {
            if (line.startsWith("o=")) {
                // o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>
                String[] fields = line.substring(2).trim().split("\\s+");
                return fields.length >= 3 ? fields[1] + " " + fields[2] : line.substring(2).trim();
            }
        }
        return null;
    }
}
