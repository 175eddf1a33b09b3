package org.sessiontimer.camel.cluster;

import org.sessiontimer.camel.store.SessionStore;

/**
 * Makes the replicated session store. Kept apart so that a single node never loads a class of Infinispan, which is
 * an optional dependency: only a cluster node needs {@code org.infinispan:infinispan-core}.
 */
public final class ClusterSessionStores {

    private ClusterSessionStores() {
    }

    public static SessionStore infinispan(ClusterSettings settings) {
        try {
            return new InfinispanSessionStore(settings);
        } catch (NoClassDefFoundError e) {
            throw new IllegalStateException("clustered=true needs org.infinispan:infinispan-core on the class path"
                                            + " (missing: " + e.getMessage() + ")", e);
        }
    }
}
