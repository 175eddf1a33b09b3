package org.sessiontimer.camel.sip;

import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.RouteHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where our in-dialog requests (refreshes, BYEs, the ACKs of refresh 2xx) are written to the network: on a Camel
 * thread pool, never on the thread that decided to send them. The timer threads decide for every call, and the call's
 * lock is held while a request is numbered and built; a write can block for seconds (a TCP connect to a peer that is
 * gone waits for the stack's connect timeout), and must hold up neither.
 *
 * <p>Requests to one next hop go out one after the other, in the order they were handed in: the requests of a dialog
 * keep their CSeq order, and a dead next hop keeps one pool thread waiting, not all of them; requests to other hops
 * run on other threads meanwhile. Requests that waited behind a send that failed at the transport (the connect to the
 * hop failed or timed out) fail with it, without trying again: they would have met the same dead peer, one connect
 * timeout after the other.
 */
public final class SendQueues {

    private static final Logger LOG = LoggerFactory.getLogger(SendQueues.class);

    /** One request to write, and what to do when it cannot be written. */
    public interface Send {
        /** Writes the request; runs on a pool thread, without any call lock. */
        void send() throws Exception;

        /** The request could not be written (its transport failed, or the queues are stopping). */
        void failed(Exception cause);

        static Send of(Write write, java.util.function.Consumer<Exception> onFailure) {
            return new Send() {
                @Override
                public void send() throws Exception {
                    write.run();
                }

                @Override
                public void failed(Exception cause) {
                    onFailure.accept(cause);
                }
            };
        }
    }

    /** Writes one request; may block. */
    @FunctionalInterface
    public interface Write {
        void run() throws Exception;
    }

    private final Executor executor;
    private final ConcurrentHashMap<String, HopQueue> queues = new ConcurrentHashMap<>();

    public SendQueues(Executor executor) {
        this.executor = executor;
    }

    /** Hands a request over for writing, after the requests to the same next hop handed over before it. */
    public void submit(Request request, Send send) {
        submit(nextHop(request), send);
    }

    /** Hands a request over for writing to this next hop ({@link #nextHop}). */
    void submit(String hop, Send send) {
        Queued queued = new Queued(send, System.nanoTime());
        HopQueue[] started = new HopQueue[1];
        queues.compute(hop, (key, queue) -> {
            HopQueue current = queue != null ? queue : new HopQueue(key);
            if (queue == null) {
                started[0] = current;
            }
            current.pending.add(queued);
            return current;
        });
        if (started[0] != null) {
            try {
                executor.execute(() -> drain(started[0]));
            } catch (RejectedExecutionException e) {
                // stopping: nothing will write these any more
                Queued next;
                while ((next = poll(started[0])) != null) {
                    fail(started[0], next, e);
                }
            }
        }
    }

    /** Hops with requests waiting or being written; zero when idle. */
    public int busyHops() {
        return queues.size();
    }

    private void drain(HopQueue queue) {
        Queued next;
        while ((next = poll(queue)) != null) {
            if (next.queuedAtNanos - queue.failedAtNanos < 0) {
                fail(queue, next, queue.failure);
                continue;
            }
            try {
                next.send.send();
            } catch (Exception e) {
                if (isTransportFailure(e)) {
                    queue.failedAtNanos = System.nanoTime();
                    queue.failure = e;
                }
                fail(queue, next, e);
            }
        }
    }

    private static void fail(HopQueue queue, Queued request, Exception cause) {
        try {
            request.send.failed(cause);
        } catch (RuntimeException e) {
            LOG.warn("Handling a failed send to {} failed", queue.hop, e);
        }
    }

    /** The next request of a hop; a hop with none left is removed in the same step, so a new request restarts it. */
    private Queued poll(HopQueue queue) {
        Queued[] next = new Queued[1];
        queues.compute(queue.hop, (key, current) -> {
            if (current != queue) {
                return current;
            }
            next[0] = queue.pending.poll();
            return next[0] == null ? null : queue;
        });
        return next[0];
    }

    private static boolean isTransportFailure(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.io.IOException) {
                return true;
            }
        }
        return e.getMessage() != null && e.getMessage().contains("IO Exception");
    }

    /**
     * Where the stack sends a request first, as its router picks it: the top Route (a loose router), else the
     * Request-URI, on the transport of our Via.
     */
    static String nextHop(Request request) {
        RouteHeader route = (RouteHeader) request.getHeader(RouteHeader.NAME);
        URI uri = route != null ? route.getAddress().getURI() : request.getRequestURI();
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        String transport = via == null ? "" : via.getTransport().toLowerCase(Locale.ROOT);
        if (uri instanceof SipURI sip) {
            return transport + ":" + sip.getHost() + ":" + sip.getPort();
        }
        return transport + ":" + uri;
    }

    private record Queued(Send send, long queuedAtNanos) {
    }

    /** The requests waiting for one next hop; read and written by the one thread that drains it. */
    private static final class HopQueue {
        final String hop;
        final ArrayDeque<Queued> pending = new ArrayDeque<>();
        long failedAtNanos = System.nanoTime() - Long.MAX_VALUE / 2;
        Exception failure;

        HopQueue(String hop) {
            this.hop = hop;
        }
    }
}
