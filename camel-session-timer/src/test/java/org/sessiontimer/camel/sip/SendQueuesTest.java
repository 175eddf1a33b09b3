package org.sessiontimer.camel.sip;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.sip.SipFactory;
import javax.sip.message.Request;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Writes in order per next hop, a blocked hop holding up no other, and the requests behind a dead connect failing. */
class SendQueuesTest {

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final SendQueues queues = new SendQueues(pool);
    private final List<String> written = new CopyOnWriteArrayList<>();
    private final List<String> failed = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private SendQueues.Send write(String name) {
        return SendQueues.Send.of(() -> written.add(name), cause -> failed.add(name));
    }

    @Test
    @DisplayName("requests to one hop are written in the order they were handed in")
    void orderPerHop() {
        for (int i = 0; i < 200; i++) {
            queues.submit("tcp:a:5060", write("r" + i));
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> written.size() == 200);
        for (int i = 0; i < 200; i++) {
            assertThat(written.get(i)).isEqualTo("r" + i);
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> queues.busyHops() == 0);
    }

    @Test
    @DisplayName("a hop whose write blocks holds up the requests behind it, not those to other hops")
    void blockedHopDelaysNoOther() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        queues.submit("tcp:dead:5060", SendQueues.Send.of(() -> release.await(), cause -> { }));
        queues.submit("tcp:dead:5060", write("behind the dead one"));
        queues.submit("tcp:alive:5060", write("alive"));
        await().atMost(5, TimeUnit.SECONDS).until(() -> written.contains("alive"));
        assertThat(written).doesNotContain("behind the dead one");
        release.countDown();
        await().atMost(5, TimeUnit.SECONDS).until(() -> written.contains("behind the dead one"));
    }

    @Test
    @DisplayName("requests that waited behind a failed connect fail with it; one handed in later is tried again")
    void waitingRequestsFailWithTheConnect() throws Exception {
        CountDownLatch connecting = new CountDownLatch(1);
        CountDownLatch giveUp = new CountDownLatch(1);
        queues.submit("tcp:dead:5060", SendQueues.Send.of(() -> {
            connecting.countDown();
            giveUp.await();
            throw new javax.sip.SipException("IO Exception occured while Sending Request",
                    new IOException("connect timed out"));
        }, cause -> failed.add("first")));
        connecting.await(5, TimeUnit.SECONDS);
        queues.submit("tcp:dead:5060", write("waited"));
        giveUp.countDown();
        await().atMost(5, TimeUnit.SECONDS).until(() -> failed.size() == 2);
        assertThat(failed).containsExactly("first", "waited");
        assertThat(written).isEmpty();

        queues.submit("tcp:dead:5060", write("later"));
        await().atMost(5, TimeUnit.SECONDS).until(() -> written.contains("later"));
    }

    @Test
    @DisplayName("the next hop is the top Route when there is one, else the Request-URI, on the Via's transport")
    void nextHop() throws Exception {
        Request request = SipFactory.getInstance().createMessageFactory().createRequest(
                "BYE sip:peer@192.0.2.7:5070;transport=tcp SIP/2.0\r\n"
                + "Via: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK1\r\n"
                + "From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:b@192.0.2.7>;tag=2\r\n"
                + "Call-ID: x\r\nCSeq: 2 BYE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
        assertThat(SendQueues.nextHop(request)).isEqualTo("tcp:192.0.2.7:5070");
        request.addHeader(SipFactory.getInstance().createHeaderFactory().createHeader("Route",
                "<sip:proxy.example.com:5080;lr>"));
        assertThat(SendQueues.nextHop(request)).isEqualTo("tcp:proxy.example.com:5080");
    }
}
