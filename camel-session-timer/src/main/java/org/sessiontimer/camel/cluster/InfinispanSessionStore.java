package org.sessiontimer.camel.cluster;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import jakarta.transaction.RollbackException;
import jakarta.transaction.TransactionManager;
import org.infinispan.AdvancedCache;
import org.infinispan.configuration.parsing.ConfigurationBuilderHolder;
import org.infinispan.configuration.parsing.ParserRegistry;
import org.infinispan.context.Flag;
import org.infinispan.factories.GlobalComponentRegistry;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryModified;
import org.infinispan.notifications.cachelistener.annotation.PartitionStatusChanged;
import org.infinispan.notifications.cachelistener.annotation.TopologyChanged;
import org.infinispan.notifications.cachelistener.event.CacheEntryModifiedEvent;
import org.infinispan.notifications.cachelistener.event.PartitionStatusChangedEvent;
import org.infinispan.notifications.cachelistener.event.TopologyChangedEvent;
import org.infinispan.partitionhandling.AvailabilityException;
import org.infinispan.partitionhandling.AvailabilityMode;
import org.infinispan.remoting.transport.Transport;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.jgroups.JChannel;
import org.sessiontimer.camel.store.CallOwnership;
import org.sessiontimer.camel.store.CallRecord;
import org.sessiontimer.camel.store.SessionStore;
import org.sessiontimer.camel.store.SessionStoreException;
import org.sessiontimer.camel.store.SessionStoreException.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session store of a cluster: call records in an embedded Infinispan distributed cache (2 owners, synchronous,
 * optimistic transactions with write-skew checks, DENY_READ_WRITES on the minority side of a split). Infinispan does the replication,
 * membership and key ownership; this class adds what a call needs on top:
 * <ul>
 * <li>every write checks, in one transaction that fails when the record changed meanwhile, that this node owns the
 * call (K1);</li>
 * <li>after each topology change, the primary owner of a record whose owner has left the view claims it and hands it
 * to the node's call logic (K2);</li>
 * <li>a node whose partition becomes degraded drops its calls (K4): it can no longer prove it owns any.</li>
 * </ul>
 */
public final class InfinispanSessionStore implements SessionStore {

    /** The cache of call records, as the configuration file names it. */
    public static final String CACHE_NAME = "session-timer-calls";
    static final String BUILT_IN_CONFIG = "session-timer-infinispan.xml";

    private static final Logger LOG = LoggerFactory.getLogger(InfinispanSessionStore.class);
    /** Commits that lost a race are done again on a fresh read this many times at most. */
    private static final int MAX_ATTEMPTS = 5;
    /** Orphans claimed at once: a claim that waits on a lock must not hold up the others. */
    private static final int CLAIM_THREADS = 4;
    /** How soon the take-over scan runs again after a claim failed, for as long as the call stays orphaned. */
    private static final long RESCAN_DELAY_MILLIS = 1000;

    private final ClusterSettings settings;
    private DefaultCacheManager cacheManager;
    private AdvancedCache<String, CallRecord> cache;
    private TransactionManager transactions;
    private ScheduledExecutorService takeovers;
    private ExecutorService claims;
    /** Orphans being claimed now, so that overlapping scans claim each once. */
    private final Set<String> claiming = ConcurrentHashMap.newKeySet();
    /** Orphans whose claim failed and was logged: logged once until the claim succeeds or the call ends. */
    private final Set<String> claimFailed = ConcurrentHashMap.newKeySet();
    private volatile CallOwnership ownership;

    public InfinispanSessionStore(ClusterSettings settings) {
        this.settings = settings;
    }

    @Override
    public String nodeName() {
        return settings.nodeName();
    }

    @Override
    public boolean isReplicated() {
        return true;
    }

    @Override
    public synchronized void start(CallOwnership callOwnership) throws Exception {
        if (cacheManager != null) {
            return;
        }
        this.ownership = callOwnership;
        // ownership changes are acted on off Infinispan's notification threads, one at a time, in order; the claims
        // of a take-over scan run beside each other
        takeovers = Executors.newSingleThreadScheduledExecutor(daemon("SessionTimerTakeover-"));
        claims = Executors.newFixedThreadPool(CLAIM_THREADS, daemon("SessionTimerClaim-"));
        DefaultCacheManager manager = null;
        try {
            ConfigurationBuilderHolder holder = parse(settings);
            holder.getGlobalConfigurationBuilder().serialization().addContextInitializer(new CallRecordSchemaImpl());
            manager = new DefaultCacheManager(holder, true);
            AdvancedCache<String, CallRecord> calls = manager.<String, CallRecord>getCache(CACHE_NAME).getAdvancedCache();
            calls.addListener(new OwnershipListener());
            calls.addListener(new LostCallsListener(), new CallsLostFilter(settings.nodeName()), null);
            this.cacheManager = manager;
            this.cache = calls;
            this.transactions = calls.getTransactionManager();
        } catch (Exception | LinkageError e) {
            if (manager != null) {
                manager.stop();
            }
            takeovers.shutdownNow();
            claims.shutdownNow();
            throw new IllegalStateException("Cannot join the cluster as " + settings.describe() + " (options"
                                            + " clusterBindAddress, clusterBindPort, clusterMembers, clusterConfigFile):"
                                            + " " + rootMessage(e), e);
        }
        LOG.info("Joined the cluster as {}; members now {}", settings.describe(), memberNames());
        takeovers.execute(this::adoptOrphans); // calls of nodes that died while we were away
    }

    @Override
    public synchronized void stop() {
        if (cacheManager != null) {
            takeovers.shutdownNow();
            claims.shutdownNow();
            // Leave as a crashed node leaves: close the channel first, so the others see this node go at once and
            // fail or retry what was in flight with it. Infinispan's graceful leave was seen to lose a write of
            // another node, or to answer a read with nothing, when that node wrote while this one was stopping.
            JChannel channel = channel();
            if (channel != null) {
                channel.close();
            }
            cacheManager.stop();
            cacheManager = null;
            cache = null;
            LOG.info("Left the cluster: {}", settings.describe());
        }
    }

    /** This node's JGroups channel, or null before start and after stop; tests cut it off to split the cluster. */
    JChannel channel() {
        DefaultCacheManager manager = cacheManager;
        if (manager == null) {
            return null;
        }
        JGroupsTransport transport = (JGroupsTransport) GlobalComponentRegistry.componentOf(manager, Transport.class);
        return transport == null ? null : transport.getChannel();
    }

    @Override
    public CallRecord create(CallRecord record) {
        CallRecord owned = record.withOwnerAndVersion(nodeName(), 1);
        return inTransaction(record.callId(), stored -> {
            cache.put(record.callId(), owned);
            return owned;
        });
    }

    @Override
    public CallRecord get(String callId) {
        try {
            return cache().get(callId);
        } catch (RuntimeException e) {
            throw unavailable(callId, e);
        }
    }

    @Override
    public CallRecord update(String callId, UnaryOperator<CallRecord> change) {
        return inTransaction(callId, stored -> {
            if (stored == null) {
                throw new SessionStoreException(Reason.GONE, callId, "no record of Call-ID=" + callId);
            }
            if (!nodeName().equals(stored.owner())) {
                throw new SessionStoreException(Reason.NOT_OWNER, callId, "Call-ID=" + callId + " is owned by node "
                                                                          + stored.owner());
            }
            CallRecord updated = change.apply(stored).withOwnerAndVersion(nodeName(), stored.version() + 1);
            cache.put(callId, updated);
            return updated;
        });
    }

    @Override
    public CallRecord claim(String callId) {
        return inTransaction(callId, stored -> {
            if (stored == null) {
                throw new SessionStoreException(Reason.GONE, callId, "no record of Call-ID=" + callId);
            }
            CallRecord claimed = stored.withOwnerAndVersion(nodeName(), stored.version() + 1);
            cache.put(callId, claimed);
            return claimed;
        });
    }

    @Override
    public void remove(String callId) {
        inTransaction(callId, stored -> {
            if (stored != null && nodeName().equals(stored.owner())) {
                cache.remove(callId);
            }
            return null;
        });
    }

    @Override
    public java.util.Collection<CallRecord> records() {
        try {
            return List.copyOf(cache().values());
        } catch (RuntimeException e) {
            throw unavailable(null, e);
        }
    }

    @Override
    public int size() {
        return cache().size();
    }

    @Override
    public boolean isAvailable() {
        AdvancedCache<String, CallRecord> calls = cache;
        return calls != null && calls.getStatus().allowInvocations()
               && calls.getAvailability() == AvailabilityMode.AVAILABLE;
    }

    @Override
    public List<String> members() {
        return memberNames();
    }

    /** The names of the nodes in this node's view, for logs and tests. */
    public List<String> memberNames() {
        DefaultCacheManager manager = cacheManager;
        return manager == null ? List.of() : manager.getMembers().stream().map(Object::toString).toList();
    }

    /**
     * Reads and writes of one call, committed together or not at all. Optimistic, with Infinispan's write-skew check:
     * a commit fails when the record changed since it was read (by another node, or while a topology change was
     * moving it), and the work is then done again on a fresh read. A lock-based (pessimistic) transaction does not
     * re-check what it read, and was seen to reserve a CSeq twice while a node was leaving.
     */
    private <T> T inTransaction(String callId, Function<CallRecord, T> work) {
        AdvancedCache<String, CallRecord> calls = cache();
        for (int attempt = 1; ; attempt++) {
            boolean done = false;
            try {
                transactions.begin();
                try {
                    T result = work.apply(calls.get(callId));
                    transactions.commit();
                    done = true;
                    return result;
                } finally {
                    if (!done) {
                        rollback();
                    }
                }
            } catch (SessionStoreException e) {
                throw e;
            } catch (RollbackException e) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw unavailable(callId, e);
                }
                LOG.debug("Call-ID={} changed while we wrote it (attempt {}); again", callId, attempt);
            } catch (Exception e) {
                throw unavailable(callId, e);
            }
        }
    }

    private void rollback() {
        try {
            if (transactions.getTransaction() != null) {
                transactions.rollback();
            }
        } catch (Exception e) {
            LOG.debug("Rollback failed: {}", e.toString());
        }
    }

    /** The cache of call records; tests use it to leave a transaction prepared and never committed. */
    AdvancedCache<String, CallRecord> cache() {
        AdvancedCache<String, CallRecord> calls = cache;
        if (calls == null) {
            throw new SessionStoreException(Reason.UNAVAILABLE, null, "the cluster store of " + nodeName()
                                                                      + " is not started");
        }
        return calls;
    }

    private SessionStoreException unavailable(String callId, Throwable e) {
        String why = e instanceof AvailabilityException || e.getCause() instanceof AvailabilityException
                ? "this node is on the minority side of a split" : rootMessage(e);
        return new SessionStoreException(Reason.UNAVAILABLE, callId, why, e);
    }

    /**
     * K2: claims the records whose owner is no longer in the view and whose primary copy is here, and hands each to
     * the call logic. The claim is conditional (the owner must still be gone), so when two topologies overlap only
     * one node adopts a call. Each orphan is claimed on its own: the prepared write of a node that crashed in its
     * commit locks that call until Infinispan rolls it back, and the other calls must not wait for it. A claim that
     * fails is tried again by the next scan, which comes within a second while the call stays orphaned.
     */
    private void adoptOrphans() {
        AdvancedCache<String, CallRecord> calls = cache;
        if (calls == null || !isAvailable()) {
            return; // K4: on the minority side nothing can be claimed; the majority adopts
        }
        Set<String> members;
        List<CallRecord> orphans;
        try {
            members = Set.copyOf(memberNames());
            var topology = calls.getDistributionManager().getCacheTopology();
            orphans = calls.withFlags(Flag.CACHE_MODE_LOCAL, Flag.SKIP_LOCKING).values().stream()
                    .filter(record -> record.owner() != null && !members.contains(record.owner()))
                    .filter(record -> topology.getDistribution(record.callId()).isPrimary())
                    .collect(Collectors.toList());
        } catch (RuntimeException e) {
            LOG.debug("No take-over scan now: {}", e.toString());
            return;
        }
        claimFailed.retainAll(orphans.stream().map(CallRecord::callId).collect(Collectors.toSet()));
        for (CallRecord orphan : orphans) {
            if (claiming.add(orphan.callId())) {
                try {
                    claims.execute(() -> adoptOrphan(orphan, members));
                } catch (RejectedExecutionException e) {
                    claiming.remove(orphan.callId()); // stopping
                }
            }
        }
    }

    private void adoptOrphan(CallRecord orphan, Set<String> members) {
        String callId = orphan.callId();
        String previousOwner = orphan.owner();
        try {
            CallRecord claimed = inTransaction(callId, stored -> {
                if (stored == null || members.contains(stored.owner())) {
                    return null; // ended, or claimed by a live node meanwhile
                }
                CallRecord mine = stored.withOwnerAndVersion(nodeName(), stored.version() + 1);
                cache.put(stored.callId(), mine);
                return mine;
            });
            claimFailed.remove(callId);
            if (claimed != null) {
                ownership.adopt(claimed, previousOwner);
            }
        } catch (RuntimeException e) {
            if (claimFailed.add(callId)) {
                LOG.warn("Cannot take over Call-ID={} from node {} yet: {}; trying again while it stays orphaned",
                        callId, previousOwner, e.getMessage());
            } else {
                LOG.debug("Cannot take over Call-ID={} from node {} yet: {}", callId, previousOwner, e.getMessage());
            }
            rescanSoon();
        } finally {
            claiming.remove(callId);
        }
    }

    private void rescanSoon() {
        try {
            takeovers.schedule(this::adoptOrphans, RESCAN_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Store stopping; no take-over scan again");
        }
    }

    private ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + settings.nodeName() + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private void submit(Runnable task) {
        try {
            takeovers.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("Store stopping; ignoring an ownership change");
        }
    }

    @Listener
    public final class OwnershipListener {

        @TopologyChanged
        public void topologyChanged(TopologyChangedEvent<String, CallRecord> event) {
            if (!event.isPre()) {
                submit(InfinispanSessionStore.this::adoptOrphans);
            }
        }

        @PartitionStatusChanged
        public void partitionStatusChanged(PartitionStatusChangedEvent<String, CallRecord> event) {
            if (event.isPre()) {
                return;
            }
            AvailabilityMode mode = event.getAvailabilityMode();
            if (mode == AvailabilityMode.AVAILABLE) {
                LOG.info("The cluster store is available again on {}; members {}", nodeName(), memberNames());
                submit(InfinispanSessionStore.this::adoptOrphans);
            } else {
                LOG.warn("Node {} is on the minority side of a split (members {}): dropping its calls, the majority"
                         + " takes them over", nodeName(), memberNames());
                submit(() -> ownership.lostAll("on the minority side of a cluster split"));
            }
        }
    }

    /** Hears, from wherever a record lives, that another node took one of this node's calls (see the filter). */
    @Listener(clustered = true)
    public final class LostCallsListener {

        @CacheEntryModified
        public void callTaken(CacheEntryModifiedEvent<String, CallRecord> event) {
            CallRecord now = event.getNewValue();
            String taker = now == null ? "another node" : "node " + now.owner();
            submit(() -> ownership.lost(event.getKey(), "taken over by " + taker));
        }
    }

    private static ConfigurationBuilderHolder parse(ClusterSettings settings) throws IOException {
        ParserRegistry parser = new ParserRegistry(InfinispanSessionStore.class.getClassLoader(), false,
                settings.placeholders());
        if (settings.configFile() != null && !settings.configFile().isBlank()) {
            Path file = Path.of(settings.configFile());
            if (!Files.isReadable(file)) {
                throw new IOException("clusterConfigFile " + file + " cannot be read");
            }
            return parser.parse(file);
        }
        URL builtIn = InfinispanSessionStore.class.getResource(BUILT_IN_CONFIG);
        return parser.parse(builtIn);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root + ")";
    }
}
