package org.sessiontimer.camel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/**
 * Self-signed certificates for TLS tests, made at test time with the JDK's keytool (no private key is committed): a
 * PKCS12 key store per name under {@code target/test-tls}, holding an RSA key and a certificate for 127.0.0.1, made
 * once per JVM. Each store also serves as trust store: it trusts exactly its own certificate.
 */
final class TestCertificates {

    static final String PASSWORD = "test-only";
    private static final Path DIRECTORY = Paths.get("target", "test-tls");
    private static final ConcurrentHashMap<String, Path> STORES = new ConcurrentHashMap<>();

    private TestCertificates() {
    }

    /** The key store named {@code name}, made on first use. */
    static Path keyStore(String name) {
        return STORES.computeIfAbsent(name, TestCertificates::generate);
    }

    /** Camel's parameters for a TLS endpoint whose key and trust are the store {@code name}. */
    static SSLContextParameters parameters(String name) {
        KeyStoreParameters store = new KeyStoreParameters();
        store.setResource("file:" + keyStore(name).toAbsolutePath());
        store.setPassword(PASSWORD);
        store.setType("PKCS12");
        KeyManagersParameters keys = new KeyManagersParameters();
        keys.setKeyStore(store);
        keys.setKeyPassword(PASSWORD);
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(store);
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setKeyManagers(keys);
        parameters.setTrustManagers(trust);
        return parameters;
    }

    private static Path generate(String name) {
        try {
            Files.createDirectories(DIRECTORY);
            Path store = DIRECTORY.resolve(name + ".p12");
            Files.deleteIfExists(store);
            String keytool = Paths.get(System.getProperty("java.home"), "bin", "keytool").toString();
            Process process = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", name, "-keyalg", "RSA",
                    "-keysize", "2048", "-validity", "2", "-dname", "CN=127.0.0.1, OU=" + name + ", O=session-timer tests",
                    "-ext", "san=ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", store.toString(),
                    "-storepass", PASSWORD, "-keypass", PASSWORD)).redirectErrorStream(true).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool did not finish within 60 s");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed (" + process.exitValue() + "): " + output);
            }
            return store;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot make the test key store " + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while making the test key store " + name, e);
        }
    }
}
