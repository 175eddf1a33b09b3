package org.sessiontimer.camel.store;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.sessiontimer.camel.store.SessionStoreException.Reason;

/**
 * A stand-in for a replicated session store, for component tests: the nodes of one JVM share one map, and the test
 * decides the membership. A node that {@link #crash crashes} or is {@link #isolate cut off} leaves the view, and its
 * calls are claimed by a surviving node chosen from the Call-ID (as a consistent hash picks a primary owner) and
 * handed to it through {@link CallOwnership#adopt}; a cut-off node can no longer read or write (DENY_READ_WRITES) and
 * hears that it lost its calls, as does a live node whose call another one claims. The real thing is Infinispan; this one lets the call logic be tested in seconds.
 */
public final class StoreCluster {

    private final Map<String, CallRecord> records = new ConcurrentHashMap<>();
    private final Map<String, Node> members = new ConcurrentHashMap<>();
    private final Set<String> isolated = ConcurrentHashMap.newKeySet();
    private volatile CountDownLatch removalsHeld;

    /** A node's view of the store; it joins the view when the component starts it. */
    public SessionStore node(String name) {
        return new Node(name);
    }

    /** The node died: it leaves the view and the others adopt its calls. */
    public void crash(String name) {
        members.remove(name);
        redistribute(name);
    }

    /**
     * The node is cut off (a minority of one): it cannot reach the store any more and drops its calls; the others
     * adopt them.
     */
    public void isolate(String name) {
        Node node = members.remove(name);
        isolated.add(name);
        if (node != null && node.ownership != null) {
            for (CallRecord record : List.copyOf(records.values())) {
                if (name.equals(record.owner())) {
                    node.ownership.lost(record.callId(), "cut off from the cluster");
                }
            }
        }
        redistribute(name);
    }

    /** The cut-off node is back: it rejoins the view, owning nothing until a call comes its way. */
    public void heal(String name, SessionStore node) {
        isolated.remove(name);
        members.put(name, (Node) node);
    }

    public int size() {
        return records.size();
    }

    /**
     * A store slow to remove, as a replicated one is (a network round trip): every removal waits until the returned
     * latch is counted down, 10 s at most.
     */
    public CountDownLatch holdRemovals() {
        CountDownLatch release = new CountDownLatch(1);
        removalsHeld = release;
        return release;
    }

    public CallRecord get(String callId) {
        return records.get(callId);
    }

    private void redistribute(String departed) {
        List<String> survivors = members.keySet().stream().sorted().toList();
        if (survivors.isEmpty()) {
            return;
        }
        for (CallRecord record : List.copyOf(records.values())) {
            if (!departed.equals(record.owner())) {
                continue;
            }
            Node heir = members.get(survivors.get(Math.floorMod(record.callId().hashCode(), survivors.size())));
            CallRecord claimed = records.computeIfPresent(record.callId(), (id, stored) -> departed.equals(stored.owner())
                    ? stored.withOwnerAndVersion(heir.name, stored.version() + 1) : stored);
            if (claimed != null && heir.name.equals(claimed.owner())) {
                heir.ownership.adopt(claimed, departed);
            }
        }
    }

    private final class Node implements SessionStore {

        private final String name;
        private volatile CallOwnership ownership;

        Node(String name) {
            this.name = name;
        }

        @Override
        public String nodeName() {
            return name;
        }

        @Override
        public boolean isReplicated() {
            return true;
        }

        @Override
        public boolean isAvailable() {
            return !isolated.contains(name);
        }

        @Override
        public void start(CallOwnership listener) {
            this.ownership = listener;
            if (!isolated.contains(name)) {
                members.put(name, this);
            }
        }

        @Override
        public void stop() {
            members.remove(name, this);
        }

        @Override
        public CallRecord create(CallRecord record) {
            available(record.callId());
            CallRecord owned = record.withOwnerAndVersion(name, 1);
            records.put(record.callId(), owned);
            return owned;
        }

        @Override
        public CallRecord get(String callId) {
            available(callId);
            return records.get(callId);
        }

        @Override
        public CallRecord update(String callId, UnaryOperator<CallRecord> change) {
            available(callId);
            String[] otherOwner = new String[1];
            CallRecord updated = records.computeIfPresent(callId, (id, stored) -> {
                if (!name.equals(stored.owner())) {
                    otherOwner[0] = stored.owner();
                    return stored;
                }
                return change.apply(stored).withOwnerAndVersion(name, stored.version() + 1);
            });
            if (updated == null) {
                throw new SessionStoreException(Reason.GONE, callId, "no record of Call-ID=" + callId);
            }
            if (otherOwner[0] != null) {
                throw new SessionStoreException(Reason.NOT_OWNER, callId, "owned by " + otherOwner[0]);
            }
            return updated;
        }

        @Override
        public CallRecord claim(String callId) {
            available(callId);
            String[] previous = new String[1];
            CallRecord claimed = records.computeIfPresent(callId, (id, stored) -> {
                previous[0] = stored.owner();
                return stored.withOwnerAndVersion(name, stored.version() + 1);
            });
            if (claimed == null) {
                throw new SessionStoreException(Reason.GONE, callId, "no record of Call-ID=" + callId);
            }
            Node loser = previous[0] == null || previous[0].equals(name) ? null : members.get(previous[0]);
            if (loser != null) {
                loser.ownership.lost(callId, "taken over by node " + name); // as Infinispan's filtered listener tells it
            }
            return claimed;
        }

        @Override
        public void remove(String callId) {
            available(callId);
            CountDownLatch held = removalsHeld;
            if (held != null) {
                try {
                    held.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            records.computeIfPresent(callId, (id, stored) -> name.equals(stored.owner()) ? null : stored);
        }

        @Override
        public java.util.Collection<CallRecord> records() {
            available(null);
            return List.copyOf(records.values());
        }

        @Override
        public int size() {
            return records.size();
        }

        private void available(String callId) {
            if (!isAvailable()) {
                throw new SessionStoreException(Reason.UNAVAILABLE, callId, name + " is cut off from the cluster");
            }
        }
    }
}
