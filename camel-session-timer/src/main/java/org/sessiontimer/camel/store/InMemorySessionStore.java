package org.sessiontimer.camel.store;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import org.sessiontimer.camel.store.SessionStoreException.Reason;

/**
 * The records of one node, in a map: the default when no cluster is configured. This node owns every call, nobody
 * else reads the records, so nothing is ever adopted or lost, and every operation is a map operation.
 */
public final class InMemorySessionStore implements SessionStore {

    private final String nodeName;
    private final ConcurrentHashMap<String, CallRecord> records = new ConcurrentHashMap<>();

    public InMemorySessionStore(String nodeName) {
        this.nodeName = nodeName;
    }

    @Override
    public String nodeName() {
        return nodeName;
    }

    @Override
    public boolean isReplicated() {
        return false;
    }

    @Override
    public void start(CallOwnership ownership) {
        // one node: ownership never changes
    }

    @Override
    public void stop() {
        records.clear();
    }

    @Override
    public CallRecord create(CallRecord record) {
        CallRecord owned = record.withOwnerAndVersion(nodeName, 1);
        records.put(record.callId(), owned);
        return owned;
    }

    @Override
    public CallRecord get(String callId) {
        return records.get(callId);
    }

    @Override
    public CallRecord update(String callId, UnaryOperator<CallRecord> change) {
        CallRecord updated = records.computeIfPresent(callId,
                (id, stored) -> change.apply(stored).withOwnerAndVersion(nodeName, stored.version() + 1));
        if (updated == null) {
            throw new SessionStoreException(Reason.GONE, callId, "no record of Call-ID=" + callId);
        }
        return updated;
    }

    @Override
    public CallRecord claim(String callId) {
        CallRecord stored = records.get(callId);
        if (stored == null) {
            throw new SessionStoreException(Reason.GONE, callId, "no record of Call-ID=" + callId);
        }
        return stored;
    }

    @Override
    public void remove(String callId) {
        records.remove(callId);
    }

    @Override
    public java.util.Collection<CallRecord> records() {
        return java.util.List.copyOf(records.values());
    }

    @Override
    public int size() {
        return records.size();
    }
}
