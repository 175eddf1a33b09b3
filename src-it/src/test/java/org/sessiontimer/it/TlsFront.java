package org.sessiontimer.it;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * TLS in front of SIPp, which Debian builds without TLS: socat (OpenSSL) ends or starts the TLS connection on 127.0.0.1
 * and carries the plain stream to or from SIPp's TCP socket. The certificate is made at test time with openssl, a
 * self-signed one for 127.0.0.1 (PEM for socat, PKCS12 for the app's key and trust store); nothing is committed.
 */
final class TlsFront implements AutoCloseable {

    static final String PASSWORD = "test-only";
    private static final Path DIRECTORY = Paths.get(System.getProperty("sipp.traces", "target/sipp-traces"), "tls");

    private final Process process;
    private final int port;

    private TlsFront(List<String> command, int port, Path log) throws IOException {
        this.port = port;
        this.process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await("socat listening on 127.0.0.1:" + port).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("socat exited " + process.exitValue() + ": " + Files.readString(log));
                    }
                    try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                        return true;
                    } catch (IOException notYet) {
                        return false;
                    }
                });
    }

    /** TLS in at {@code port} with the test certificate, plain TCP on to 127.0.0.1:{@code sippPort}. */
    static TlsFront tlsToTcp(int port, int sippPort) throws IOException {
        Certificate cert = Certificate.get();
        return new TlsFront(List.of(socat(), "-d", "OPENSSL-LISTEN:" + port + ",bind=127.0.0.1,reuseaddr,fork,cert="
                + cert.pem() + ",key=" + cert.key() + ",verify=0", "TCP:127.0.0.1:" + sippPort), port,
                DIRECTORY.resolve("socat-" + port + ".log"));
    }

    /** Plain TCP in at {@code port}, TLS on to 127.0.0.1:{@code appTlsPort}, checking the app's certificate. */
    static TlsFront tcpToTls(int port, int appTlsPort) throws IOException {
        Certificate cert = Certificate.get();
        return new TlsFront(List.of(socat(), "-d", "TCP-LISTEN:" + port + ",bind=127.0.0.1,reuseaddr,fork",
                "OPENSSL:127.0.0.1:" + appTlsPort + ",cafile=" + cert.pem() + ",verify=1"), port,
                DIRECTORY.resolve("socat-" + port + ".log"));
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static String socat() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Paths.get(dir, "socat"))) {
                return "socat";
            }
        }
        throw new IllegalStateException("socat is not installed: the TLS scenarios put it in front of SIPp, which"
                                        + " Debian builds without TLS. Install it with 'apt-get install socat'.");
    }

    /** The test certificate and key, PEM and PKCS12 (password {@link #PASSWORD}), made once per JVM. */
    record Certificate(Path pem, Path key, Path pkcs12) {

        private static Certificate made;

        static synchronized Certificate get() throws IOException {
            if (made == null) {
                Files.createDirectories(DIRECTORY);
                Path pem = DIRECTORY.resolve("cacert.pem").toAbsolutePath();
                Path key = DIRECTORY.resolve("cakey.pem").toAbsolutePath();
                Path pkcs12 = DIRECTORY.resolve("app.p12").toAbsolutePath();
                openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out",
                        pem.toString(), "-days", "2", "-subj", "/CN=127.0.0.1/O=session-timer tests",
                        "-addext", "subjectAltName=IP:127.0.0.1");
                openssl("pkcs12", "-export", "-in", pem.toString(), "-inkey", key.toString(), "-name", "app",
                        "-out", pkcs12.toString(), "-passout", "pass:" + PASSWORD);
                made = new Certificate(pem, key, pkcs12);
            }
            return made;
        }

        private static void openssl(String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of("openssl"));
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try {
                String output = new String(process.getInputStream().readAllBytes());
                if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    throw new IOException("openssl " + args[0] + " failed: " + output);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }
}
