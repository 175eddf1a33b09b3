package org.sessiontimer.camel;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.camel.Exchange;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.sessiontimer.camel.ScriptedSipPeer.Answer;
import org.sessiontimer.camel.ScriptedSipPeer.Kind;
import org.sessiontimer.camel.ScriptedSipPeer.Received;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A peer that vanishes must not delay anybody else's refreshes (issue: no blocking on timer threads). 300 calls go
 * to a peer over TCP that then disappears behind an address whose connects hang (a listener whose accept queue is
 * full: the kernel drops the SYNs, as a firewall that black-holes them would); 300 calls go to a healthy peer. Every
 * refresh of ours to the dead peer needs a new connection, which waits for the stack's connect timeout (8 s); the
 * healthy calls' refreshes, due in the same seconds, must still go out on time.
 */
class DeadPeerComponentTest extends SessionTimerTestSupport {

    private static final int CALLS_PER_PEER = 300;
    private static final long SESSION_EXPIRES = 30;
    private static final long ON_TIME_MS = 100;
    /** Between two pairs of calls placed. */
    private static final Duration PACE = Duration.ofMillis(10);

    @Test
    @DisplayName("R1/R9: 300 calls whose TCP peer vanished leave the refreshes of 300 healthy calls on time (within 100 ms)")
    void deadPeerDelaysNoOne() throws Exception {
        String options = "sessionExpires=" + SESSION_EXPIRES;
        startCamel(options);
        Answer weRefresh = Answer.ok().sdp().header("Session-Expires: " + SESSION_EXPIRES + ";refresher=uac")
                .header("Require: timer");
        peer.respond(Kind.INVITE, weRefresh);
        int deadPort = AvailablePortFinder.getNextAvailable();
        List<String> deadCalls = new ArrayList<>();
        Map<String, Long> healthyDueAt = new HashMap<>();
        long setupStarted = System.nanoTime();
        try (ScriptedSipPeer dead = new ScriptedSipPeer("dead", deadPort)) {
            dead.respond(Kind.INVITE, weRefresh);
            // alternating peers at a steady pace, so that both kinds of refresh fall due in the same seconds, spread
            // as calls are (all at once, they would measure a burst on the timer threads instead)
            List<CompletableFuture<Exchange>> toDead = new ArrayList<>();
            List<CompletableFuture<Exchange>> toHealthy = new ArrayList<>();
            for (int i = 0; i < CALLS_PER_PEER; i++) {
                toDead.add(placeCall(options, dead.uri("tcp")));
                toHealthy.add(placeCall(options, peer.uri("tcp")));
                LockSupport.parkNanos(PACE.toNanos());
            }
            for (CompletableFuture<Exchange> call : toDead) {
                deadCalls.add(callId(call));
            }
            for (CompletableFuture<Exchange> call : toHealthy) {
                String callId = callId(call);
                healthyDueAt.put(callId, component.findCall(callId).nextRefreshAtMillis());
            }
        } // the dead peer's stack stops: its TCP connections close
        long setupMillis = millisBetween(setupStarted, System.nanoTime());
        assertThat(setupMillis).as("all calls set up well before the first refresh is due")
                .isLessThan(SESSION_EXPIRES * 1000 / 2 - 3000);

        try (ServerSocket blackHole = new ServerSocket()) {
            blackHole.setReuseAddress(true);
            blackHole.bind(new InetSocketAddress("127.0.0.1", deadPort), 1);
            List<Socket> queueFillers = fillAcceptQueue(deadPort);
            try {
                long lastDue = healthyDueAt.values().stream().mapToLong(Long::longValue).max().orElseThrow();
                long waitUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(
                        lastDue - System.currentTimeMillis() + 5000);
                List<Long> lateness = new ArrayList<>();
                int missing = 0;
                for (Map.Entry<String, Long> call : healthyDueAt.entrySet()) {
                    Received refresh = peer.poll(r -> r.isRequest() && r.method().equals("INVITE")
                            && call.getKey().equals(r.callId()) && r.cseq() > 1,
                            Duration.ofNanos(Math.max(0, waitUntil - System.nanoTime())));
                    if (refresh == null) {
                        missing++;
                    } else {
                        lateness.add(refresh.epochMillis() - call.getValue());
                    }
                }
                assertThat(missing).as("healthy calls whose refresh did not come within 5 s of the last one due")
                        .isZero();
                lateness.sort(null);
                System.out.printf("Refreshes of %d healthy calls next to %d calls with a dead peer: lateness ms "
                                  + "min %d, p50 %d, p99 %d, max %d%n", lateness.size(), deadCalls.size(),
                        lateness.get(0), lateness.get(lateness.size() / 2), lateness.get(lateness.size() * 99 / 100),
                        lateness.get(lateness.size() - 1));
                assertThat(lateness.get(lateness.size() - 1)).as("R1: every healthy refresh within %d ms of due",
                        ON_TIME_MS).isLessThanOrEqualTo(ON_TIME_MS);
                assertThat(lateness.get(0)).as("no refresh before it is due").isGreaterThanOrEqualTo(-5);

                // R9: the dead peer's calls end at their expiry; the healthy ones are ours to hang up
                await("the dead peer's calls ended").atMost(SESSION_EXPIRES, TimeUnit.SECONDS)
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> deadCalls.stream().allMatch(id -> component.findCall(id) == null));
                for (String callId : healthyDueAt.keySet()) {
                    hangup(callId);
                }
            } finally {
                for (Socket filler : queueFillers) {
                    filler.close();
                }
            }
        }
    }

    private CompletableFuture<Exchange> placeCall(String options, String to) {
        return template.asyncSend(callUri(options), e -> {
            e.getMessage().setBody(OUR_SDP);
            e.getMessage().setHeader(SessionTimerConstants.TO, to);
        });
    }

    private static String callId(CompletableFuture<Exchange> call) throws Exception {
        Exchange exchange = call.get(CALL_SETUP.toSeconds(), TimeUnit.SECONDS);
        assertThat(exchange.getException()).as("call setup").isNull();
        return exchange.getMessage().getHeader(SessionTimerConstants.CALL_ID, String.class);
    }

    /**
     * Connections that fill a never-accepting listener's queue (backlog 1 holds two); from then on the kernel drops
     * every SYN to it and a connect waits until it gives up.
     */
    private static List<Socket> fillAcceptQueue(int port) throws Exception {
        List<Socket> fillers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Socket filler = new Socket();
            try {
                filler.connect(new InetSocketAddress("127.0.0.1", port), 500);
                fillers.add(filler);
            } catch (java.net.SocketTimeoutException full) {
                filler.close();
                return fillers;
            }
        }
        throw new AssertionError("the listener on " + port + " kept accepting connections: no black hole");
    }
}
