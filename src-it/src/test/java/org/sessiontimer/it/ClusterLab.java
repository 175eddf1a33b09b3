package org.sessiontimer.it;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;

/**
 * The cluster of the README, started by {@code cluster/run.sh} exactly as a user starts it: Kamailio as the front door
 * and three example-app nodes (separate JVMs) on 127.0.0.1, here on free ports and with the test's node options. The
 * test kills nodes with SIGKILL and restarts them through the same script.
 */
final class ClusterLab implements AutoCloseable {

    static final int NODES = 3;
    private static final Path SCRIPT = Paths.get(System.getProperty("cluster.script", "../cluster/run.sh"));
    private static final Path WORK = Paths.get(System.getProperty("cluster.work", "target/cluster"));
    /** JGroups' FD_SOCK2 listens at the cluster port plus this offset. */
    private static final int FD_SOCK_OFFSET = 50000;

    private final Map<String, String> environment = new HashMap<>();
    private final int frontDoorPort;
    private final int nodeSipBase;
    private final int nodeHttpBase;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ClusterLab(String nodeOptions, Map<String, String> placement) throws IOException {
        frontDoorPort = ExampleApp.freeSipPort();
        nodeSipBase = freeBase(10_000, 40_000, true, 0);
        nodeHttpBase = freeBase(10_000, 40_000, false, 0);
        int clusterBase = freeBase(10_000, 15_000, false, FD_SOCK_OFFSET);
        environment.put("SIP_PORT", Integer.toString(frontDoorPort));
        environment.put("NODE_SIP_BASE", Integer.toString(nodeSipBase));
        environment.put("NODE_HTTP_BASE", Integer.toString(nodeHttpBase));
        environment.put("NODE_CLUSTER_BASE", Integer.toString(clusterBase));
        environment.put("NODE_OPTS", nodeOptions);
        environment.put("WORK", WORK.toAbsolutePath().toString());
        environment.putAll(placement);
    }

    /** Fails with an installation hint when Kamailio is missing: the cluster tests never skip silently. */
    static void requireKamailio() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Paths.get(dir, "kamailio"))) {
                return;
            }
        }
        if (Files.isExecutable(Paths.get("/usr/sbin/kamailio"))) {
            return;
        }
        throw new IllegalStateException("Kamailio is not installed: the cluster tests use it as the front door."
                                        + " Install Debian's package with 'apt-get install kamailio'.");
    }

    static ClusterLab start(String nodeOptions) throws Exception {
        return start(nodeOptions, Map.of());
    }

    /**
     * @param placement where nodes run when not all on 127.0.0.1: cluster/run.sh's NODE_n_NETNS, NODE_n_HOST,
     *                  NODE_n_CLUSTER_HOST and FRONT_DOOR_EXTRA_HOST
     */
    static ClusterLab start(String nodeOptions, Map<String, String> placement) throws Exception {
        requireKamailio();
        Sipp.requireSipp();
        ClusterLab lab = new ClusterLab(nodeOptions, placement);
        lab.script(Duration.ofSeconds(240), "start");
        return lab;
    }

    int frontDoorPort() {
        return frontDoorPort;
    }

    int sipPort(int node) {
        return nodeSipBase + node;
    }

    /** SIGKILL: the node dies without a word to the peer or the cluster. */
    void kill(int node) throws Exception {
        script(Duration.ofSeconds(10), "kill", Integer.toString(node));
    }

    void restart(int node) throws Exception {
        script(Duration.ofSeconds(120), "restart", Integer.toString(node));
    }

    boolean isUp(int node) {
        try {
            return get(node, "/observe/health").statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** GET /api/calls of a node: the calls of the whole cluster, each with its owner. */
    List<JsonObject> calls(int node) throws Exception {
        HttpResponse<String> response = get(node, "/api/calls");
        if (response.statusCode() != 200) {
            throw new IOException("GET /api/calls of node " + node + " answered " + response.statusCode() + ": "
                                  + response.body());
        }
        List<JsonObject> calls = new ArrayList<>();
        for (Object call : (JsonArray) Jsoner.deserialize(response.body())) {
            calls.add((JsonObject) call);
        }
        return calls;
    }

    /** POST to a node's HTTP API, e.g. {@code /api/calls?to=sip:service@127.0.0.1:5070}: places a call there. */
    HttpResponse<String> post(int node, String path) throws IOException, InterruptedException {
        String host = environment.getOrDefault("NODE_" + node + "_HOST", "127.0.0.1");
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + (nodeHttpBase + node) + path))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The node that owns the only call of the cluster (1..3), once the call is in the session store, or 0. A node
     * lists its own calls from the time they arrive, early ones too, and other nodes' calls only from the store; so a
     * call is stored once a node other than its owner reports it. Killing the owner any earlier loses the call by
     * design (early dialogs are not replicated, K1), which is not what a take-over test is about.
     */
    int ownerOfOnlyCall() throws Exception {
        String owner = null;
        int reportedBy = 0;
        for (int node = 1; node <= NODES; node++) {
            if (isUp(node)) {
                List<JsonObject> calls = calls(node);
                if (calls.size() != 1) {
                    continue;
                }
                JsonObject call = calls.get(0);
                String nodeOwner = call.getString("owner");
                if (nodeOwner == null || !Boolean.TRUE.equals(call.getBoolean("confirmed"))
                    || owner != null && !owner.equals(nodeOwner)) {
                    return 0;
                }
                owner = nodeOwner;
                reportedBy++;
            }
        }
        return reportedBy >= 2 ? Integer.parseInt(owner.replace("node-", "")) : 0;
    }

    /** Calls held or recorded anywhere, as each live node sees them (its own and the store's). */
    int callsAnywhere() throws Exception {
        int seen = 0;
        for (int node = 1; node <= NODES; node++) {
            if (isUp(node)) {
                seen += calls(node).size();
            }
        }
        return seen;
    }

    /** The tail of a node's log, or of Kamailio's ("kamailio"), for assertion messages. */
    String logTail(String name) {
        try {
            List<String> lines = Files.readAllLines(WORK.resolve(name + ".log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    Path logFile(String name) {
        return WORK.resolve(name + ".log");
    }

    @Override
    public void close() throws Exception {
        script(Duration.ofSeconds(60), "stop");
    }

    private HttpResponse<String> get(int node, String path) throws IOException, InterruptedException {
        String host = environment.getOrDefault("NODE_" + node + "_HOST", "127.0.0.1");
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + (nodeHttpBase + node) + path))
                .timeout(Duration.ofSeconds(5)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private void script(Duration timeout, String... args) throws Exception {
        Files.createDirectories(WORK);
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(WORK.resolve("run.log").toFile()));
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("cluster/run.sh " + String.join(" ", args) + " did not end within " + timeout);
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("cluster/run.sh " + String.join(" ", args) + " failed: "
                                     + Files.readString(WORK.resolve("run.log")));
        }
    }

    /** A base port b such that b+1..b+NODES (and b+n+offset when offset > 0) are free on 127.0.0.1. */
    private static int freeBase(int from, int to, boolean udpToo, int offset) throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(from, to - NODES - 1);
            boolean free = true;
            for (int n = 1; n <= NODES && free; n++) {
                free = isFree(base + n, udpToo) && (offset == 0 || isFree(base + n + offset, false));
            }
            if (free) {
                return base;
            }
        }
        throw new IOException("no free port range in " + from + ".." + to);
    }

    private static boolean isFree(int port, boolean udpToo) {
        try (ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            if (udpToo) {
                try (DatagramSocket udp = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
                    return true;
                }
            }
            return true;
        } catch (IOException busy) {
            return false;
        }
    }
}
