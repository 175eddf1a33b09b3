package org.sessiontimer.it;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace for one cluster node, made and removed by the test (as root, with iproute2): two veth pairs to
 * the host, one for SIP and HTTP, one for the cluster's own traffic, so that the test can cut the node off from the
 * cluster while the front door still reaches it. The kernel here has no netem; a link set down is the cut.
 */
final class SplitNetwork implements AutoCloseable {

    private final String namespace;
    private final int subnet = ThreadLocalRandom.current().nextInt(1, 250);
    private final String sipLink;
    private final String clusterLink;

    private SplitNetwork() {
        String id = Integer.toString(ThreadLocalRandom.current().nextInt(1000, 10000));
        this.namespace = "st-split-" + id;
        this.sipLink = "st" + id + "s";
        this.clusterLink = "st" + id + "c";
    }

    /** Fails, naming what is missing, where namespaces cannot be made: the split test never skips silently. */
    static SplitNetwork create() throws Exception {
        SplitNetwork network = new SplitNetwork();
        try {
            network.setUp();
        } catch (Exception e) {
            network.close();
            throw new IllegalStateException("Cannot make the network namespace of the split test (needs root and"
                                            + " iproute2's 'ip netns'; CI runs as root): " + e.getMessage(), e);
        }
        return network;
    }

    private void setUp() throws Exception {
        ip("netns", "add", namespace);
        inside("ip", "link", "set", "lo", "up");
        pair(sipLink, sipHostAddress(), nodeSipAddress());
        pair(clusterLink, clusterHostAddress(), nodeClusterAddress());
    }

    /** A veth pair: name+"h" on the host with hostAddress, name+"n" in the namespace with nodeAddress, both up. */
    private void pair(String name, String hostAddress, String nodeAddress) throws Exception {
        ip("link", "add", name + "h", "type", "veth", "peer", "name", name + "n");
        ip("link", "set", name + "n", "netns", namespace);
        ip("addr", "add", hostAddress + "/30", "dev", name + "h");
        ip("link", "set", name + "h", "up");
        inside("ip", "addr", "add", nodeAddress + "/30", "dev", name + "n");
        inside("ip", "link", "set", name + "n", "up");
    }

    String namespace() {
        return namespace;
    }

    /** The front door's address on the node's SIP link. */
    String sipHostAddress() {
        return "10.231." + subnet + ".1";
    }

    /** The node's SIP and HTTP address. */
    String nodeSipAddress() {
        return "10.231." + subnet + ".2";
    }

    /** The other nodes' cluster address. */
    String clusterHostAddress() {
        return "10.232." + subnet + ".1";
    }

    /** The node's cluster address. */
    String nodeClusterAddress() {
        return "10.232." + subnet + ".2";
    }

    /** Cuts the node's cluster link (from its side; its SIP link stays up). */
    void cutCluster() throws Exception {
        inside("ip", "link", "set", clusterLink + "n", "down");
    }

    void healCluster() throws Exception {
        inside("ip", "link", "set", clusterLink + "n", "up");
    }

    @Override
    public void close() {
        for (String link : List.of(sipLink + "h", clusterLink + "h")) {
            quietly("ip", "link", "del", link);
        }
        quietly("ip", "netns", "del", namespace);
    }

    private void inside(String... command) throws Exception {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        run(full);
    }

    private static void ip(String... args) throws Exception {
        List<String> full = new ArrayList<>(List.of("ip"));
        full.addAll(List.of(args));
        run(full);
    }

    private static void quietly(String... command) {
        try {
            run(List.of(command));
        } catch (Exception ignored) {
            // removing what may not exist
        }
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not end");
        }
        String output = new String(process.getInputStream().readAllBytes());
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output.trim());
        }
    }
}
