package org.sessiontimer.it;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Calls survive the crash of a node: the cluster of {@code cluster/run.sh} (Kamailio and three nodes of the example
 * app, separate JVMs) against SIPp, at SE = 30 s (refresh at 15 s, expiry at 20 s), with nodes killed by SIGKILL
 * while calls are up. After every case every node is up again and no call is held or recorded anywhere.
 */
class ClusterFailoverIT {

    private static final String NODE_OPTIONS = "-Dcamel.component.session-timer.lab-floor=4"
                                               + " -Dcamel.component.session-timer.min-se=4"
                                               + " -Dcamel.component.session-timer.session-expires=30"
                                               + " -Dcamel.component.session-timer.cluster-failure-detection-timeout=2000";
    private static ClusterLab cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = ClusterLab.start(NODE_OPTIONS);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void everyNodeUpAndNothingLeft() throws Exception {
        for (int node = 1; node <= ClusterLab.NODES; node++) {
            if (!cluster.isUp(node)) {
                cluster.restart(node);
            }
        }
        await("no call held or recorded on any node").atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.callsAnywhere() == 0);
    }

    private Sipp callsCluster(String scenario) throws Exception {
        return Sipp.scenario(scenario).callTo(cluster.frontDoorPort());
    }

    /** Waits until the cluster reports the one call SIPp placed, and returns the node that owns it. */
    private int ownerOfTheCall() {
        int[] owner = new int[1];
        await("the call is up and in the store").atMost(10, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100))
                .until(() -> (owner[0] = cluster.ownerOfOnlyCall()) > 0);
        return owner[0];
    }

    /** The SIP port of the node that sent a request, from its Via below the front door's. */
    private static String viaOfNode(SippTrace.Message request) {
        List<String> vias = request.headerLines().stream().filter(l -> l.regionMatches(true, 0, "Via:", 0, 4)).toList();
        return vias.size() > 1 ? vias.get(1) : String.join(" | ", vias);
    }

    @Test
    @DisplayName("K2/K1: the node that refreshes is killed before the refresh: SIPp gets exactly one refresh, from "
                 + "another node, at SE/2, and the call lives on")
    void ownerKilledBeforeRefresh() throws Exception {
        Sipp sipp = callsCluster("uac_app_refreshes_each_interval.xml").timeout(Duration.ofSeconds(40))
                .set("se", 30).set("refreshes", 1).set("hold_ms", 8000).start();
        int owner = ownerOfTheCall();
        cluster.kill(owner);
        SippResult result = sipp.awaitResult();
        assertThat(result.exitCode()).as(result.describe() + "\n" + cluster.logTail("kamailio")).isZero();
        List<SippTrace.Message> refreshes = result.received("INVITE");
        assertThat(refreshes).hasSize(1);
        assertThat(viaOfNode(refreshes.get(0))).as("sent by another node")
                .doesNotContain(":" + cluster.sipPort(owner));
    }

    @Test
    @DisplayName("K2/K3/R9: SIPp refreshes once after the node is killed (another node answers it), then stops: a "
                 + "node sends BYE at the expiry, within 1 s")
    void peerStopsRefreshingAfterKill() throws Exception {
        Sipp sipp = callsCluster("uac_refresh_moves_expiry.xml").timeout(Duration.ofSeconds(60))
                .set("se", 30).set("tol_ms", 1000).start();
        cluster.kill(ownerOfTheCall());
        SippResult result = sipp.awaitResult();
        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.received("BYE")).hasSize(1);
    }

    @Test
    @DisplayName("K3: SIPp's BYE right after the node is killed gets 200, not 481")
    void byeRightAfterKill() throws Exception {
        Sipp sipp = callsCluster("uac_hold_bye.xml").timeout(Duration.ofSeconds(30)).set("hold_ms", 2500).start();
        cluster.kill(ownerOfTheCall());
        SippResult result = sipp.awaitResult();
        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.where(m -> !m.sent() && m.isResponse(481))).isEmpty();
    }

    @Test
    @DisplayName("K3/R10: SIPp's refresh re-INVITE right after the node is killed gets 200 with the call's SDP")
    void refreshRightAfterKill() throws Exception {
        Sipp sipp = callsCluster("uac_with_timer.xml").timeout(Duration.ofSeconds(30)).set("se", 30)
                .set("refresh_ms", 2500).set("hold_ms", 500).start();
        cluster.kill(ownerOfTheCall());
        SippResult result = sipp.awaitResult();
        assertThat(result.exitCode()).as(result.describe()).isZero();
        List<SippTrace.Message> oks = result.where(m -> !m.sent() && m.isResponse(200)
                                                        && m.header("CSeq").contains("INVITE"));
        assertThat(oks).hasSizeGreaterThanOrEqualTo(2);
        assertThat(oks.get(oks.size() - 1).originLine()).as("the stored session description, unchanged")
                .isEqualTo(oks.get(0).originLine());
    }

    @Test
    @DisplayName("K1/K2: the killed node comes back mid-call: still exactly one refresh per interval, no duplicate BYE")
    void killedNodeComesBack() throws Exception {
        Sipp sipp = callsCluster("uac_app_refreshes_each_interval.xml").timeout(Duration.ofSeconds(60))
                .set("se", 30).set("refreshes", 2).set("hold_ms", 2000).start();
        int owner = ownerOfTheCall();
        cluster.kill(owner);
        cluster.restart(owner);
        SippResult result = sipp.awaitResult();
        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.received("INVITE")).hasSize(2);
        assertThat(result.received("BYE")).isEmpty();
    }

    @Test
    @DisplayName("K2/K3: a call a node placed through the front door survives the node's crash: another node "
                 + "refreshes it at SE/2 through the recorded route, and SIPp's BYE gets 200")
    void placedCallSurvivesCrash() throws Exception {
        Sipp sipp = Sipp.scenario("uas_with_timer.xml").timeout(Duration.ofSeconds(40)).set("hold_ms", 1000).start();
        HttpResponse<String> placed = cluster.post(1, "/api/calls?to=sip:service@127.0.0.1:" + sipp.localPort());
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(200);
        assertThat(ownerOfTheCall()).isEqualTo(1);
        cluster.kill(1);
        SippResult result = sipp.awaitResult();
        assertThat(result.exitCode()).as(result.describe()).isZero();
        List<SippTrace.Message> invites = result.received("INVITE");
        assertThat(invites).hasSize(2);
        assertThat(invites.get(0).header("Route")).as("the first INVITE went through the front door, our outbound proxy")
                .isNull(); // the front door consumed its own Route
        assertThat(invites.get(1).headerLines().stream().filter(l -> l.startsWith("Via:")).count())
                .as("the refresh came through the front door too").isEqualTo(2);
        assertThat(viaOfNode(invites.get(1))).as("from another node").doesNotContain(":" + cluster.sipPort(1));
    }

    @Test
    @DisplayName("K2: 500 active calls, one of 3 nodes killed: 0 calls lost, each ends only by its own BYE")
    void fiveHundredCallsOneNodeKilled() throws Exception {
        int calls = 500;
        Sipp sipp = callsCluster("uac_with_timer.xml").calls(calls).arg("-r", "50", "-l", String.valueOf(calls))
                .withoutMessageTrace().timeout(Duration.ofSeconds(90))
                .set("se", 30).set("refresh_ms", 15000).set("hold_ms", 2000).start();
        await("500 calls up").atMost(40, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500))
                .until(() -> cluster.calls(1).size() >= calls);
        cluster.kill(2);
        SippResult result = sipp.awaitResult();
        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.counter("Successful call")).isEqualTo(calls);
        assertThat(result.counter("Failed call")).isZero();
    }
}
