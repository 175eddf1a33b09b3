package org.sessiontimer.camel.cluster;

import org.infinispan.metadata.Metadata;
import org.infinispan.notifications.cachelistener.filter.CacheEventFilter;
import org.infinispan.notifications.cachelistener.filter.EventType;
import org.infinispan.protostream.annotations.ProtoFactory;
import org.infinispan.protostream.annotations.ProtoField;
import org.infinispan.protostream.annotations.ProtoName;
import org.sessiontimer.camel.store.CallRecord;

/**
 * Lets through, to one node, the writes in which that node loses a call: another node claimed it because the peer's
 * request went there (K3), or adopted it. Evaluated where the record lives, so a node hears of nothing else; it then
 * drops the call at once instead of at its next timer, when its own write would fail.
 */
@ProtoName("CallsLostFilter")
public final class CallsLostFilter implements CacheEventFilter<String, CallRecord> {

    private final String node;

    @ProtoFactory
    public CallsLostFilter(String node) {
        this.node = node;
    }

    @ProtoField(1)
    public String getNode() {
        return node;
    }

    @Override
    public boolean accept(String callId, CallRecord oldValue, Metadata oldMetadata, CallRecord newValue,
                          Metadata newMetadata, EventType eventType) {
        return oldValue != null && newValue != null && node.equals(oldValue.owner()) && !node.equals(newValue.owner());
    }
}
