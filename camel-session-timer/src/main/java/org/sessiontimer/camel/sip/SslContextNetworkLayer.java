package org.sessiontimer.camel.sip;

import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import gov.nist.core.net.DefaultNetworkLayer;
import gov.nist.core.net.NetworkLayer;
import gov.nist.javax.sip.SipStackImpl;

/**
 * JAIN-SIP's network layer with the TLS sockets of a given {@link SSLContext}: the one Camel's
 * {@code SSLContextParameters} built, so key and trust managers, protocols, cipher suites and client authentication
 * are configured the Camel way, and the handshakes are the JDK's. UDP and TCP sockets are JAIN-SIP's defaults.
 * <p>
 * Why this hook: the RI builds its own SSLContext from keystore file properties ({@code javax.net.ssl.keyStore}),
 * which would bypass Camel's configuration (and its key store resolution from the class path or a vault); its NIO
 * alternative only takes key and trust managers. A network layer is what its blocking TLS transport, the default, asks
 * for every TLS socket. The RI then sets protocols, cipher suites and client authentication on each socket from its
 * own stack settings, so those are taken from this context too ({@link #protocols()}, {@link #cipherSuites()},
 * {@link #clientAuthType()}) instead of the RI's defaults (TLS 1.0 to 1.2, four RSA-only suites, client certificates
 * required).
 */
final class SslContextNetworkLayer implements NetworkLayer {

    /** As the RI's own network layers: a connect that takes longer has failed. */
    private static final int CONNECT_TIMEOUT_MILLIS = 8000;

    private final SSLContext context;

    SslContextNetworkLayer(SSLContext context) {
        this.context = context;
    }

    /** The protocols both our server and our client sockets allow: the RI applies one list to both. */
    String[] protocols() throws IOException {
        return common(sample -> sample.server().getEnabledProtocols(), sample -> sample.client().getEnabledProtocols());
    }

    /** The cipher suites both our server and our client sockets allow. */
    String[] cipherSuites() throws IOException {
        return common(sample -> sample.server().getEnabledCipherSuites(),
                sample -> sample.client().getEnabledCipherSuites());
    }

    /**
     * The RI's TLS_CLIENT_AUTH_TYPE for what our server sockets ask of clients: Enabled (a certificate is required),
     * Want, or Disabled (SIP clients rarely have one: the default of Camel's parameters).
     */
    String clientAuthType() throws IOException {
        try (Sample sample = new Sample(context)) {
            return sample.server().getNeedClientAuth() ? "Enabled"
                    : sample.server().getWantClientAuth() ? "Want" : "Disabled";
        }
    }

    private String[] common(java.util.function.Function<Sample, String[]> server,
                            java.util.function.Function<Sample, String[]> client) throws IOException {
        try (Sample sample = new Sample(context)) {
            List<String> allowedByClient = Arrays.asList(client.apply(sample));
            return Arrays.stream(server.apply(sample)).filter(allowedByClient::contains).toArray(String[]::new);
        }
    }

    /** Unbound sockets as the context configures them, to read their settings. */
    private record Sample(SSLServerSocket server, SSLSocket client) implements AutoCloseable {

        Sample(SSLContext context) throws IOException {
            this((SSLServerSocket) context.getServerSocketFactory().createServerSocket(),
                    (SSLSocket) context.getSocketFactory().createSocket());
        }

        @Override
        public void close() throws IOException {
            server.close();
            client.close();
        }
    }

    @Override
    public SSLServerSocket createSSLServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        return (SSLServerSocket) context.getServerSocketFactory().createServerSocket(port, backlog, bindAddress);
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port) throws IOException {
        return createSSLSocket(address, port, null);
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port, InetAddress localAddress) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
        if (localAddress != null) {
            socket.bind(new InetSocketAddress(localAddress, 0));
        }
        try {
            socket.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MILLIS);
        } catch (SocketTimeoutException e) {
            socket.close();
            throw new ConnectException("TLS connect to " + address.getHostAddress() + ":" + port + " timed out after "
                                       + CONNECT_TIMEOUT_MILLIS + " ms");
        }
        return socket;
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        return DefaultNetworkLayer.SINGLETON.createServerSocket(port, backlog, bindAddress);
    }

    @Override
    public Socket createSocket(InetAddress address, int port) throws IOException {
        return DefaultNetworkLayer.SINGLETON.createSocket(address, port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress) throws IOException {
        return DefaultNetworkLayer.SINGLETON.createSocket(address, port, localAddress);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return DefaultNetworkLayer.SINGLETON.createSocket(address, port, localAddress, localPort);
    }

    @Override
    public DatagramSocket createDatagramSocket() throws SocketException {
        return DefaultNetworkLayer.SINGLETON.createDatagramSocket();
    }

    @Override
    public DatagramSocket createDatagramSocket(int port, InetAddress localAddress) throws SocketException {
        return DefaultNetworkLayer.SINGLETON.createDatagramSocket(port, localAddress);
    }

    @Override
    public void setSipStack(SipStackImpl sipStack) {
        // the context is all this layer needs
    }
}
