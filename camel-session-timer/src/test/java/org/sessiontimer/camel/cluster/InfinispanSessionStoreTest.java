package org.sessiontimer.camel.cluster;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.transaction.TransactionManager;
import org.apache.camel.test.AvailablePortFinder;
import org.infinispan.commons.tx.TransactionImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.TCP;
import org.jgroups.stack.ProtocolStack;
import org.sessiontimer.camel.core.Role;
import org.sessiontimer.camel.store.CallOwnership;
import org.sessiontimer.camel.store.CallRecord;
import org.sessiontimer.camel.store.SessionStoreException;
import org.sessiontimer.camel.store.SessionStoreException.Reason;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The Infinispan session store with three nodes in this JVM, over JGroups on 127.0.0.1: the owner check of every
 * write (K1), the take-over of a departed node's calls by exactly one survivor (K2), claims (K3), and a node that
 * cannot join failing with a message that names the options.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("Infinispan session store, 3 nodes on loopback")
class InfinispanSessionStoreTest {

    private static final Map<String, InfinispanSessionStore> NODES = new ConcurrentHashMap<>();
    private static final Map<String, Takeovers> HEARD = new ConcurrentHashMap<>();
    private static String members;
    private static final List<Integer> PORTS = new ArrayList<>();

    /** What a node's call logic was told. */
    static final class Takeovers implements CallOwnership {
        final List<String> adopted = new CopyOnWriteArrayList<>();
        final List<String> lost = new CopyOnWriteArrayList<>();

        @Override
        public void adopt(CallRecord record, String previousOwner) {
            adopted.add(record.callId() + " from " + previousOwner);
        }

        @Override
        public void lost(String callId, String reason) {
            lost.add(callId);
        }

        @Override
        public void lostAll(String reason) {
            lost.add("all");
        }
    }

    static ClusterSettings settings(String name, int port) {
        return new ClusterSettings("store-test-" + PORTS.get(0), name, "127.0.0.1", port, members, 2000, 2000, null);
    }

    @BeforeAll
    static void startCluster() throws Exception {
        for (int i = 0; i < 3; i++) {
            PORTS.add(AvailablePortFinder.getNextAvailable());
        }
        members = PORTS.stream().map(p -> "127.0.0.1[" + p + "]").collect(Collectors.joining(","));
        for (int i = 0; i < 3; i++) {
            String name = "node-" + (char) ('a' + i);
            InfinispanSessionStore store = new InfinispanSessionStore(settings(name, PORTS.get(i)));
            Takeovers heard = new Takeovers();
            store.start(heard);
            NODES.put(name, store);
            HEARD.put(name, heard);
        }
        await("three members").atMost(30, TimeUnit.SECONDS)
                .until(() -> NODES.values().stream().allMatch(n -> n.memberNames().size() == 3));
    }

    @AfterAll
    static void stopCluster() {
        NODES.values().forEach(InfinispanSessionStore::stop);
    }

    /** Starts a third node beside node-b and node-c, once node-a has left; returns when all three are available. */
    static InfinispanSessionStore join(String name, Takeovers heard) throws Exception {
        InfinispanSessionStore joining =
                new InfinispanSessionStore(settings(name, AvailablePortFinder.getNextAvailable()));
        joining.start(heard);
        List<InfinispanSessionStore> all = List.of(NODES.get("node-b"), NODES.get("node-c"), joining);
        await(name + " joined").atMost(20, TimeUnit.SECONDS).until(() -> all.stream()
                .allMatch(n -> n.memberNames().size() == 3 && n.isAvailable()));
        return joining;
    }

    static CallRecord record(String callId) {
        return new CallRecord(callId, Role.UAS, 1_780_000_000_000L,
                new CallRecord.DialogAddress("<sip:camel@127.0.0.1:5060>", "ours", "\"Peer\" <sip:peer@127.0.0.1:5070>",
                        "theirs", "sip:peer@127.0.0.1:5070;transport=udp", List.of("<sip:127.0.0.1:5080;lr>"), "udp"),
                0, 1, "v=0\r\no=camel 1 1 IN IP4 127.0.0.1\r\n", "4711 4712", true,
                new CallRecord.TimerState(1800, true, 90, 1_780_000_900_000L, 1_780_001_768_000L), 7, null, 0);
    }

    @Test
    @Order(1)
    @DisplayName("K1: only the owner writes; every node reads the same record, marshalled and back")
    void ownerWrites() {
        InfinispanSessionStore a = NODES.get("node-a");
        InfinispanSessionStore b = NODES.get("node-b");
        CallRecord created = a.create(record("k1"));
        assertThat(created.owner()).isEqualTo("node-a");
        assertThat(NODES.get("node-c").get("k1")).isEqualTo(created);

        CallRecord reserved = a.update("k1", r -> r.withLocalCSeq(r.localCSeq() + 1));
        assertThat(reserved.localCSeq()).isEqualTo(1);
        assertThat(reserved.version()).isEqualTo(2);
        assertThatThrownBy(() -> b.update("k1", r -> r.withLocalCSeq(r.localCSeq() + 1)))
                .isInstanceOfSatisfying(SessionStoreException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.NOT_OWNER);
                    assertThat(e.getMessage()).contains("node-a");
                });
        assertThat(b.get("k1").localCSeq()).as("a refused write changes nothing").isEqualTo(1);
        b.remove("k1");
        assertThat(a.get("k1")).as("a node removes only what it owns").isNotNull();
        a.remove("k1");
        assertThat(b.get("k1")).isNull();
        assertThatThrownBy(() -> a.update("k1", r -> r)).isInstanceOfSatisfying(SessionStoreException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.GONE));
    }

    @Test
    @Order(2)
    @DisplayName("K3: a claim moves the call to the claiming node; the old owner's fence fails from then on")
    void claim() {
        InfinispanSessionStore a = NODES.get("node-a");
        InfinispanSessionStore c = NODES.get("node-c");
        a.create(record("k3"));
        CallRecord claimed = c.claim("k3");
        assertThat(claimed.owner()).isEqualTo("node-c");
        await("node-a hears it lost the call").atMost(5, TimeUnit.SECONDS)
                .until(() -> HEARD.get("node-a").lost.contains("k3"));
        assertThat(HEARD.get("node-b").lost).as("only the loser hears of it").isEmpty();
        assertThatThrownBy(() -> a.update("k3", r -> r)).isInstanceOf(SessionStoreException.class);
        c.remove("k3");
        assertThat(a.size()).isZero();
    }

    @Test
    @Order(3)
    @DisplayName("K2: a node leaves: each of its calls is adopted by exactly one survivor, within seconds")
    void departedNodesCallsAreAdopted() {
        InfinispanSessionStore a = NODES.get("node-a");
        List<String> callIds = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            callIds.add("k2-" + i);
            a.create(record("k2-" + i));
        }
        long left = System.nanoTime();
        NODES.remove("node-a").stop();
        await("every call adopted").atMost(10, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50)).until(() ->
                HEARD.get("node-b").adopted.size() + HEARD.get("node-c").adopted.size() == callIds.size());
        long adoptedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - left);
        assertThat(adoptedAfterMillis).as("adoption within 5 s").isLessThan(5_000);
        List<String> all = new ArrayList<>(HEARD.get("node-b").adopted);
        all.addAll(HEARD.get("node-c").adopted);
        assertThat(all).as("each call exactly once").doesNotHaveDuplicates()
                .allMatch(line -> line.endsWith(" from node-a"));
        InfinispanSessionStore b = NODES.get("node-b");
        for (String callId : callIds) {
            String owner = b.get(callId).owner();
            assertThat(owner).isIn("node-b", "node-c");
            NODES.get(owner).remove(callId);
        }
        assertThat(b.records()).isEmpty();
        assertThat(HEARD.get("node-b").lost).isEmpty();
        assertThat(HEARD.get("node-c").lost).isEmpty();
    }

    @Test
    @Order(4)
    @DisplayName("K1: while a node leaves, the CSeq reservations of another node neither repeat nor fail")
    void reservationsWhileANodeLeaves() throws Exception {
        InfinispanSessionStore b = NODES.get("node-b");
        InfinispanSessionStore c = NODES.get("node-c");
        InfinispanSessionStore leaver = new InfinispanSessionStore(settings("node-d", AvailablePortFinder.getNextAvailable()));
        leaver.start(new Takeovers());
        await("node-d joined").atMost(20, TimeUnit.SECONDS).until(() -> b.memberNames().size() == 3);
        int calls = 100;
        long[] cseq = new long[calls];
        for (int i = 0; i < calls; i++) {
            b.create(record("lv-" + i));
        }
        Thread leaving = new Thread(leaver::stop);
        leaving.start();
        List<String> anomalies = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < end && anomalies.size() < 5) {
            for (int i = 0; i < calls; i++) {
                try {
                    long reserved = b.update("lv-" + i, r -> r.withLocalCSeq(r.localCSeq() + 1)).localCSeq();
                    if (reserved != cseq[i] + 1) {
                        anomalies.add("lv-" + i + ": reserved " + reserved + " after " + cseq[i]);
                    }
                    cseq[i] = reserved;
                } catch (SessionStoreException e) {
                    anomalies.add("lv-" + i + ": " + e.getMessage());
                }
            }
        }
        leaving.join(10_000);
        assertThat(anomalies).isEmpty();
        assertThat(java.util.Arrays.stream(cseq).min().orElse(0)).as("every call reserved at least once").isPositive();
        for (int i = 0; i < calls; i++) {
            assertThat(c.get("lv-" + i).localCSeq()).isEqualTo(cseq[i]);
            b.remove("lv-" + i);
        }
    }

    @Test
    @Order(5)
    @DisplayName("K4: after a split heals, every node reads what the majority wrote meanwhile: no removed record comes"
                 + " back, no stale owner or version")
    void splitHealsToTheMajoritysRecords() throws Exception {
        InfinispanSessionStore b = NODES.get("node-b");
        InfinispanSessionStore c = NODES.get("node-c");
        Takeovers heardByE = new Takeovers();
        InfinispanSessionStore e = join("node-e", heardByE);
        try {
            List<InfinispanSessionStore> all = List.of(b, c, e);
            b.create(record("sp-kept"));
            e.create(record("sp-ended"));
            e.create(record("sp-moved"));

            DISCARD cut = new DISCARD().discardAll(true).setAddress(e.channel().getAddress());
            e.channel().getProtocolStack().insertProtocol(cut, ProtocolStack.Position.ABOVE, TCP.class);
            await("node-e on the minority side").atMost(15, TimeUnit.SECONDS).until(() -> !e.isAvailable()
                    && heardByE.lost.contains("all"));
            await("the majority adopted node-e's calls").atMost(15, TimeUnit.SECONDS).until(() ->
                    Stream.of("node-b", "node-c").flatMap(n -> HEARD.get(n).adopted.stream())
                            .filter(line -> line.startsWith("sp-")).count() == 2);
            String adopter = b.get("sp-moved").owner();
            assertThat(adopter).isIn("node-b", "node-c");
            NODES.get(b.get("sp-ended").owner()).remove("sp-ended");
            CallRecord moved = NODES.get(adopter).update("sp-moved", r -> r.withLocalCSeq(r.localCSeq() + 1));
            CallRecord kept = b.update("sp-kept", r -> r.withLocalCSeq(r.localCSeq() + 1));

            cut.discardAll(false);
            await("node-e back in an available cluster").atMost(30, TimeUnit.SECONDS)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> all.stream().allMatch(n -> n.memberNames().size() == 3 && n.isAvailable()));
            await("every node reads the majority's records").atMost(10, TimeUnit.SECONDS)
                    .pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                        for (InfinispanSessionStore node : all) {
                            assertThat(node.get("sp-ended")).as(node.nodeName() + " reads the ended call").isNull();
                            assertThat(node.get("sp-moved")).as(node.nodeName() + " reads the moved call")
                                    .isEqualTo(moved);
                            assertThat(node.get("sp-kept")).as(node.nodeName() + " reads the kept call")
                                    .isEqualTo(kept);
                            assertThat(node.records()).as(node.nodeName() + " lists")
                                    .containsExactlyInAnyOrder(moved, kept);
                        }
                    });
            assertThatThrownBy(() -> e.update("sp-moved", r -> r)).isInstanceOfSatisfying(SessionStoreException.class,
                    ex -> assertThat(ex.reason()).isEqualTo(Reason.NOT_OWNER));
            assertThat(heardByE.adopted).as("node-e adopts nothing back").isEmpty();
            NODES.get(adopter).remove("sp-moved");
            b.remove("sp-kept");
            assertThat(e.records()).isEmpty();
        } finally {
            e.stop();
        }
    }

    @Test
    @Order(6)
    @DisplayName("K2: a node crashes in the middle of a commit: the lock its prepared write left on a survivor holds up"
                 + " neither the other calls' adoption nor, for long, that call's")
    void crashInTheMiddleOfACommit() throws Exception {
        InfinispanSessionStore b = NODES.get("node-b");
        InfinispanSessionStore c = NODES.get("node-c");
        InfinispanSessionStore f = join("node-f", new Takeovers());
        List<String> callIds = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                callIds.add("cr-" + i);
                f.create(record("cr-" + i));
            }
            // a call whose primary copy, where an optimistic commit takes its lock, is on a survivor
            var topology = f.cache().getDistributionManager().getCacheTopology();
            var crashing = f.cache().getRpcManager().getAddress();
            String locked = callIds.stream().filter(id -> !topology.getDistribution(id).primary().equals(crashing))
                    .findFirst().orElseThrow();
            TransactionManager transactions = f.cache().getTransactionManager();
            transactions.begin();
            f.cache().put(locked, f.cache().get(locked).withLocalCSeq(1));
            assertThat(((TransactionImpl) transactions.getTransaction()).runPrepare()).as("prepared").isTrue();
            transactions.suspend();
            long crashed = System.nanoTime();
            f.channel().close(); // gone before its commit: the prepared write stays on the survivor, with its lock

            List<String> adopted = new CopyOnWriteArrayList<>();
            Map<String, Long> adoptedAfterMillis = new ConcurrentHashMap<>();
            await("every call adopted").atMost(20, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50)).until(() -> {
                Stream.of("node-b", "node-c").flatMap(n -> HEARD.get(n).adopted.stream())
                        .filter(line -> line.startsWith("cr-") && !adopted.contains(line)).forEach(line -> {
                            adopted.add(line);
                            adoptedAfterMillis.put(line.substring(0, line.indexOf(' ')),
                                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - crashed));
                        });
                return adoptedAfterMillis.size() == callIds.size();
            });
            assertThat(adopted).as("each call exactly once").hasSize(callIds.size())
                    .allMatch(line -> line.endsWith(" from node-f"));
            adoptedAfterMillis.forEach((callId, millis) -> assertThat(millis)
                    .as(callId + " adopted within 5 s of the crash" + (callId.equals(locked) ? ", the locked one" : ""))
                    .isLessThan(5_000));
            adoptedAfterMillis.forEach((callId, millis) -> assertThat(callId.equals(locked) || millis < 2_000)
                    .as(callId + " adopted after " + millis + " ms: the others must not wait for the locked call, whose"
                        + " claim waits 2 s for its lock (the store timeout)").isTrue());
            for (String callId : callIds) {
                CallRecord stored = b.get(callId);
                assertThat(stored.owner()).isIn("node-b", "node-c");
                assertThat(stored.localCSeq()).as("the write never committed").isZero();
                NODES.get(stored.owner()).remove(callId);
            }
            assertThat(b.records()).isEmpty();
        } finally {
            f.stop();
        }
    }

    @Test
    @Order(7)
    @DisplayName("K1: a node that cannot join fails at start naming the options (here: its port is taken)")
    void cannotJoin() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            InfinispanSessionStore blocked = new InfinispanSessionStore(settings("node-x", taken.getLocalPort()));
            assertThatThrownBy(() -> blocked.start(new Takeovers())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("clusterBindPort").hasMessageContaining("node-x");
        }
    }

    @Test
    @Order(8)
    @DisplayName("K1: options are checked before anything starts, each error naming its option")
    void badOptions() {
        assertThatThrownBy(() -> new ClusterSettings("c", "n", "127.0.0.1", 7800, " ", 2000, 2000, null))
                .hasMessageContaining("clusterMembers");
        assertThatThrownBy(() -> new ClusterSettings("c", "n", "127.0.0.1", 0, "127.0.0.1[7800]", 2000, 2000, null))
                .hasMessageContaining("clusterBindPort");
        assertThatThrownBy(() -> new ClusterSettings("c", "n", "127.0.0.1", 7800, "127.0.0.1[7800]", 10, 2000, null))
                .hasMessageContaining("clusterFailureDetectionTimeout");
    }
}
