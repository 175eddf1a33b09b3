package org.sessiontimer.camel.store;

import java.util.function.UnaryOperator;

/**
 * The records of confirmed calls ({@link CallRecord}), the seam between the call logic and where the records live:
 * in this JVM ({@link InMemorySessionStore}, one node) or replicated over a cluster. Every write goes through the
 * owner check, so that only the node that owns a call sends in it (K1).
 *
 * <p>Methods may block for a network round trip when the store is replicated; they throw
 * {@link SessionStoreException} when they cannot prove what they promise.
 */
public interface SessionStore {

    /** The name of this node, as it stands in the {@link CallRecord#owner()} of the calls it holds. */
    String nodeName();

    /** Whether other nodes read these records (a cluster); false for a single node. */
    boolean isReplicated();

    /**
     * Whether the store can prove ownership now; false on the minority side of a split, while joining, or stopped.
     * A node whose store is unavailable refuses new calls (503), answers OPTIONS 503 (the front door's probe then
     * takes it out of service) and sends nothing for the calls it held.
     */
    default boolean isAvailable() {
        return true;
    }

    /** The nodes in this node's view of the cluster; just this node when nothing is replicated. */
    default java.util.List<String> members() {
        return java.util.List.of(nodeName());
    }

    /** Starts the store; ownership changes are reported to {@code ownership} from then on. */
    void start(CallOwnership ownership) throws Exception;

    /** Stops the store; records stay for the nodes that remain, if any. */
    void stop();

    /** Records a call just confirmed here, owned by this node. */
    CallRecord create(CallRecord record);

    /** The record of a call, or null when the store holds none. */
    CallRecord get(String callId);

    /**
     * In one atomic step: checks that this node owns the call and replaces its record by {@code change} applied to
     * the stored one (with the version raised). This is the write that lets a node send in the dialog (K1): a
     * refresh or BYE reserves its CSeq with it.
     *
     * @throws SessionStoreException NOT_OWNER when another node owns the call, GONE when there is no record,
     *                               UNAVAILABLE when the store cannot answer
     */
    CallRecord update(String callId, UnaryOperator<CallRecord> change);

    /**
     * K3: takes a call over, whoever owned it, because the peer's request for it reached this node.
     *
     * @throws SessionStoreException GONE when there is no record, UNAVAILABLE when the store cannot answer
     */
    CallRecord claim(String callId);

    /** Forgets a call this node ended; a record another node owns now is left alone. */
    void remove(String callId);

    /** Every record, of every node: for display (the sessions endpoint lists them in a cluster); may be large. */
    java.util.Collection<CallRecord> records();

    /** The number of records, for tests and monitoring. */
    int size();
}
