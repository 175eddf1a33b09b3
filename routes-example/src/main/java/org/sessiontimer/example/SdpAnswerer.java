package org.sessiontimer.example;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds the session descriptions of the example: an answer that accepts PCMU and/or PCMA from the offer, and an offer
 * for calls we place. There is no media engine behind them: the port is a placeholder, as in a signalling-only test.
 */
public class SdpAnswerer {

    private static final AtomicLong SESSION_IDS = new AtomicLong(System.currentTimeMillis() / 1000);

    private final String host;
    private final int mediaPort;

    public SdpAnswerer(String host, int mediaPort) {
        this.host = host;
        this.mediaPort = mediaPort;
    }

    /**
     * The answer to an SDP offer: the offered payload types among PCMU (0) and PCMA (8), in the offer's order.
     * Returns null when the offer has no audio line with either codec; the route then rejects the call with 488.
     * An INVITE without an offer gets our offer in the 200 OK (RFC 3264).
     */
    public String answer(String offer) {
        if (offer == null || offer.isBlank()) {
            return offer();
        }
        List<String> common = new ArrayList<>();
        for (String line : offer.split("\r?\n")) {
            if (line.startsWith("m=audio ")) {
                String[] fields = line.trim().split(" ");
                for (int i = 3; i < fields.length; i++) {
                    if (fields[i].equals("0") || fields[i].equals("8")) {
                        common.add(fields[i]);
                    }
                }
                break;
            }
        }
        return common.isEmpty() ? null : description(common);
    }

    /** Our offer: PCMU and PCMA. */
    public String offer() {
        return description(List.of("0", "8"));
    }

    private String description(List<String> payloadTypes) {
        long id = SESSION_IDS.incrementAndGet();
        StringBuilder sdp = new StringBuilder(200)
                .append("v=0\r\n")
                .append("o=camel ").append(id).append(" 1 IN IP4 ").append(host).append("\r\n")
                .append("s=session-timer example\r\n")
                .append("c=IN IP4 ").append(host).append("\r\n")
                .append("t=0 0\r\n")
                .append("m=audio ").append(mediaPort).append(" RTP/AVP ").append(String.join(" ", payloadTypes)).append("\r\n");
        for (String pt : payloadTypes) {
            sdp.append("a=rtpmap:").append(pt).append(pt.equals("0") ? " PCMU/8000" : " PCMA/8000").append("\r\n");
        }
        return sdp.append("a=sendrecv\r\n").toString();
    }
}
