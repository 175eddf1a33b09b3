package org.sessiontimer.camel.store;

/**
 * What a store tells the node about calls changing hands; called from the store's own threads, for different calls
 * possibly at once. Implementations hand off and return quickly.
 */
public interface CallOwnership {

    /**
     * K2: the node that held this call left the cluster and this node now owns it (the store has written that): hold
     * it and re-arm its timer from the record's deadlines.
     */
    void adopt(CallRecord record, String previousOwner);

    /**
     * K4: this node can no longer prove it owns the call (minority side of a partition, or another node took it
     * over): drop it without sending anything.
     */
    void lost(String callId, String reason);

    /** K4: as {@link #lost} for every call this node holds in the store: the store cannot prove anything now. */
    void lostAll(String reason);
}
