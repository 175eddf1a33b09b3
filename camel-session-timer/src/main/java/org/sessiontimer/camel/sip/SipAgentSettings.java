package org.sessiontimer.camel.sip;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

import javax.net.ssl.SSLContext;

/**
 * Where and how one SIP agent listens. Agents are shared by every endpoint that names the same host and port.
 *
 * @param host              the address to bind, e.g. {@code 127.0.0.1}
 * @param port              the port of udp and tcp
 * @param tlsPort           the port of tls; 0 means port + 1, which is the RFC 3261 default 5061 for the default port
 *                          and keeps agents on different ports apart
 * @param transports        lower-case transport names: {@code udp}, {@code tcp}, {@code tls}
 * @param threadPoolSize    JAIN-SIP's message processing threads
 * @param transactionT1Millis RFC 3261 T1 for the transactions we start; timer B/F (no answer) is 64 * T1
 * @param maxMessageSize    the largest SIP message accepted, bytes; also the size of each UDP read buffer
 * @param udpReceiveBufferSize the UDP socket's receive buffer (SO_RCVBUF), bytes
 * @param advertised        the address peers reach us at, put in Via sent-by and Contact; null: the bound one
 * @param sslContext        the TLS configuration of the tls transport (from Camel's SSLContextParameters); null
 *                          without tls
 */
public record SipAgentSettings(String host, int port, int tlsPort, List<String> transports, int threadPoolSize,
        int transactionT1Millis, int maxMessageSize, int udpReceiveBufferSize, AdvertisedAddress advertised,
        SSLContext sslContext) {

    /** The transports an agent can listen on. */
    public static final List<String> TRANSPORTS = List.of("udp", "tcp", "tls");

    /**
     * The address peers reach us at, which behind NAT is not the one we bind: what goes into Via sent-by and Contact.
     *
     * @param host    a host name or IPv4 address
     * @param port    the port of udp and tcp
     * @param tlsPort the port of tls; 0 means port plus the distance from the bound port to the bound TLS port
     */
    public record AdvertisedAddress(String host, int port, int tlsPort) {

        public AdvertisedAddress {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("advertisedHost must not be blank");
            }
            checkPort("advertisedPort", port);
            if (tlsPort != 0) {
                checkPort("advertisedTlsPort", tlsPort);
            }
        }

        /** The advertised port of this transport. */
        public int port(String transport) {
            return "tls".equals(transport) ? tlsPort : port;
        }
    }

    /** JAIN-SIP raises any smaller maximum to this. */
    public static final int MIN_MESSAGE_SIZE = 4096;
    /** The largest UDP payload. */
    public static final int MAX_DATAGRAM_SIZE = 65535;

    public SipAgentSettings {
        Objects.requireNonNull(host, "host");
        checkPort("port", port);
        tlsPort = tlsPort == 0 ? port + 1 : tlsPort;
        checkPort("tlsPort", tlsPort);
        if (transports == null || transports.isEmpty()) {
            throw new IllegalArgumentException("transports must name one or more of " + TRANSPORTS);
        }
        transports = transports.stream().map(t -> t.trim().toLowerCase(Locale.ROOT)).distinct().toList();
        for (String transport : transports) {
            if (!TRANSPORTS.contains(transport)) {
                throw new IllegalArgumentException("transport must be one of " + TRANSPORTS + ", was " + transport);
            }
        }
        if (transports.contains("tls")) {
            if (sslContext == null) {
                throw new IllegalArgumentException("transport tls needs sslContextParameters (or"
                        + " useGlobalSslContextParameters with Camel's global SSL context parameters)");
            }
            if (tlsPort == port && transports.contains("tcp")) {
                throw new IllegalArgumentException("tlsPort " + tlsPort + " is the tcp port: tls and tcp cannot share it");
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
            advertised = new AdvertisedAddress(host, port, tlsPort);
        } else if (advertised.tlsPort() == 0) {
            advertised = new AdvertisedAddress(advertised.host(), advertised.port(), advertised.port() + tlsPort - port);
        }
    }

    private static void checkPort(String option, int value) {
        if (value < 1 || value > 65535) {
            throw new IllegalArgumentException(option + " must be 1..65535, was " + value);
        }
    }

    /** The port we bind for this transport. */
    public int port(String transport) {
        return "tls".equals(transport) ? tlsPort : port;
    }

    private static boolean isWildcard(String address) {
        return address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]");
    }

    /** The key under which endpoints share an agent. */
    public String key() {
        return host + ":" + port;
    }
}
