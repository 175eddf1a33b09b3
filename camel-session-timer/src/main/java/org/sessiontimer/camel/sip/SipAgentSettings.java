package org.sessiontimer.camel.sip;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Where and how one SIP agent listens. Agents are shared by every endpoint that names the same host and port.
 *
 * @param host              the address to bind, e.g. {@code 127.0.0.1}
 * @param port              the port for every transport
 * @param transports        lower-case transport names, {@code udp} and/or {@code tcp}
 * @param threadPoolSize    JAIN-SIP's message processing threads
 * @param transactionT1Millis RFC 3261 T1 for the transactions we start; timer B/F (no answer) is 64 * T1
 * @param maxMessageSize    the largest SIP message accepted, bytes; also the size of each UDP read buffer
 * @param udpReceiveBufferSize the UDP socket's receive buffer (SO_RCVBUF), bytes
 * @param advertised        the address peers reach us at, put in Via sent-by and Contact; null: the bound one
 */
public record SipAgentSettings(String host, int port, List<String> transports, int threadPoolSize,
        int transactionT1Millis, int maxMessageSize, int udpReceiveBufferSize, AdvertisedAddress advertised) {

    /**
     * The address peers reach us at, which behind NAT is not the one we bind: what goes into Via sent-by and Contact.
     *
     * @param host a host name or IPv4 address
     * @param port the port of udp and tcp
     */
    public record AdvertisedAddress(String host, int port) {

        public AdvertisedAddress {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("advertisedHost must not be blank");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("advertisedPort must be 1..65535, was " + port);
            }
        }
    }

    /** JAIN-SIP raises any smaller maximum to this. */
    public static final int MIN_MESSAGE_SIZE = 4096;
    /** The largest UDP payload. */
    public static final int MAX_DATAGRAM_SIZE = 65535;

    public SipAgentSettings {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, was " + port);
        }
        if (transports == null || transports.isEmpty()) {
            throw new IllegalArgumentException("transports must name udp and/or tcp");
        }
        transports = transports.stream().map(t -> t.trim().toLowerCase(Locale.ROOT)).distinct().toList();
        for (String transport : transports) {
            if (!transport.equals("udp") && !transport.equals("tcp")) {
                throw new IllegalArgumentException("transport must be udp or tcp, was " + transport);
            }
        }
        if (threadPoolSize < 1) {
            throw new IllegalArgumentException("threadPoolSize must be >= 1, was " + threadPoolSize);
        }
        if (transactionT1Millis < 1) {
            throw new IllegalArgumentException("transactionT1 must be >= 1 ms, was " + transactionT1Millis);
        }
        if (maxMessageSize < MIN_MESSAGE_SIZE || maxMessageSize > MAX_DATAGRAM_SIZE) {
            throw new IllegalArgumentException("maxMessageSize must be " + MIN_MESSAGE_SIZE + ".." + MAX_DATAGRAM_SIZE
                    + " bytes, was " + maxMessageSize);
        }
        if (udpReceiveBufferSize < MIN_MESSAGE_SIZE) {
            throw new IllegalArgumentException("udpReceiveBufferSize must be >= " + MIN_MESSAGE_SIZE + " bytes, was "
                    + udpReceiveBufferSize);
        }
        if (advertised == null) {
            if (isWildcard(host)) {
                // Via and Contact would tell peers to send to 0.0.0.0
                throw new IllegalArgumentException("host " + host + " binds every address: set advertisedHost to the"
                        + " address peers reach this agent at");
            }
            advertised = new AdvertisedAddress(host, port);
        }
    }

    private static boolean isWildcard(String address) {
        return address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]");
    }

    /** The key under which endpoints share an agent. */
    public String key() {
        return host + ":" + port;
    }
}
