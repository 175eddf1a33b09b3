package org.sessiontimer.camel;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import javax.net.ssl.SSLContext;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.SSLContextParametersAware;
import org.apache.camel.StartupListener;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;
import org.apache.camel.util.concurrent.SizedScheduledExecutorService;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.sessiontimer.camel.cluster.ClusterSessionStores;
import org.sessiontimer.camel.cluster.ClusterSettings;
import org.sessiontimer.camel.metrics.SessionTimerStatistics;
import org.sessiontimer.camel.limits.AdmissionControl;
import org.sessiontimer.camel.limits.AdmissionSettings;
import org.sessiontimer.camel.limits.AllowedSources;
import org.sessiontimer.camel.limits.Limit;
import org.sessiontimer.camel.limits.LimitAction;
import org.sessiontimer.camel.limits.LimitStats;
import org.sessiontimer.camel.limits.SessionDurationLimit;
import org.sessiontimer.camel.sip.CallManager;
import org.sessiontimer.camel.sip.CallRegistry;
import org.sessiontimer.camel.sip.OutboundProxy;
import org.sessiontimer.camel.sip.ScheduledExecutorTimerScheduler;
import org.sessiontimer.camel.sip.SendQueues;
import org.sessiontimer.camel.sip.SipAgent;
import org.sessiontimer.camel.sip.SipAgentSettings;
import org.sessiontimer.camel.sip.SipCall;
import org.sessiontimer.camel.store.InMemorySessionStore;
import org.sessiontimer.camel.store.SessionStore;
import org.sessiontimer.camel.sip.ThreadLocalRandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIP calls with RFC 4028 session timers. The component owns what endpoints share: one SIP agent (JAIN-SIP stack) per
 * host and port, handed out to endpoints and taken back as they start and stop; the registry of active calls; and the
 * scheduler that runs every session timer. Its statistics are managed attributes (JMX) and, when the Camel registry
 * holds a Micrometer {@code MeterRegistry}, meters ({@link ComponentMeters}).
 */
@Component("session-timer")
@ManagedResource(description = "Managed SIP session timer component")
public class SessionTimerComponent extends HealthCheckComponent implements SSLContextParametersAware {

    private static final Logger LOG = LoggerFactory.getLogger(SessionTimerComponent.class);
    /** Removals of ended calls' records in flight at once, each waiting for a network round trip (cluster only). */
    private static final int STORE_POOL_SIZE = 16;
    private static final int STORE_QUEUE_SIZE = 10_000;

    @Metadata
    private SessionTimerConfiguration configuration = new SessionTimerConfiguration();
    @Metadata(label = "advanced", defaultValue = "2",
              description = "Threads of the scheduler that runs all session timers (refresh due, expiry).")
    private int timerPoolSize = 2;
    @Metadata(label = "advanced", defaultValue = "true",
              description = "Install the default routes from session-timer:refresh-due to session-timer:refresh and from"
                            + " session-timer:expired to session-timer:bye when no route of yours consumes those events.")
    private boolean defaultRoutes = true;

    @Metadata(label = "security", defaultValue = "false",
              description = "Use Camel's global SSL context parameters for the tls transport of endpoints that set no"
                            + " sslContextParameters of their own.")
    private boolean useGlobalSslContextParameters;

    @Metadata(label = "advanced", autowired = true,
              description = "Where the records of confirmed calls live, the records another node needs to speak for a"
                            + " call. By default an in-memory store (a single node); a replicated store makes the"
                            + " component a cluster node whose calls survive the loss of a node.")
    private SessionStore sessionStore;

    @Metadata(label = "cluster", defaultValue = "false",
              description = "Run as a node of a cluster: calls are recorded in a replicated store (embedded Infinispan,"
                            + " which must be on the class path), and when a node dies another one takes its calls"
                            + " over, refreshes and ends them. Put a front door (Kamailio) before the nodes that"
                            + " Record-Routes every dialog. Ignored when a sessionStore is set.")
    private boolean clustered;
    @Metadata(label = "cluster", defaultValue = "session-timer",
              description = "Nodes with the same cluster name form one cluster.")
    private String clusterName = "session-timer";
    @Metadata(label = "cluster",
              description = "This node's name in the cluster, shown as the owner of the calls it holds. Default: the"
                            + " host name and the cluster bind port.")
    private String clusterNodeName;
    @Metadata(label = "cluster", defaultValue = "127.0.0.1",
              description = "The address the cluster's own traffic (JGroups over TCP) binds.")
    private String clusterBindAddress = "127.0.0.1";
    @Metadata(label = "cluster", defaultValue = "7800", description = "The TCP port the cluster's own traffic binds.")
    private int clusterBindPort = 7800;
    @Metadata(label = "cluster",
              description = "The cluster's members, as JGroups writes them: host[port] separated by commas, e.g."
                            + " 127.0.0.1[7800],127.0.0.1[7801],127.0.0.1[7802]. Static discovery, no multicast."
                            + " Required when clustered.")
    private String clusterMembers;
    @Metadata(label = "cluster", defaultValue = "3000",
              description = "Milliseconds a member may stay silent before it is suspected and removed from the view"
                            + " (JGroups' own default is about 40 s). A crashed process is detected at once through"
                            + " its closed socket; this bounds the time for a hung one.")
    private long clusterFailureDetectionTimeout = 3000;
    @Metadata(label = "cluster", defaultValue = "2000",
              description = "Milliseconds a store operation may wait for a lock or for another node. A request whose"
                            + " store write times out is not sent.")
    private long clusterStoreTimeout = 2000;
    @Metadata(label = "cluster",
              description = "An Infinispan XML file to use instead of the built-in configuration; it must define the"
                            + " cache session-timer-calls and may use the placeholders of the built-in one.")
    private String clusterConfigFile;

    private final CallRegistry calls = new CallRegistry();
    private final CallTakeover takeover = new CallTakeover(this);
    @Metadata(label = "limits", defaultValue = "0",
              description = "The most active sessions (calls being set up or established, both directions) of the component."
                            + " A new INVITE beyond it gets 503 Service Unavailable with Retry-After (maxSessionsRetryAfter)."
                            + " 0: no limit.")
    private int maxSessions;
    @Metadata(label = "limits", defaultValue = "60",
              description = "The Retry-After, in seconds, of the 503 answers sent while maxSessions is reached.")
    private int maxSessionsRetryAfter = 60;
    @Metadata(label = "limits", defaultValue = "0",
              description = "New incoming calls per second from all sources together: a token bucket that holds one"
                            + " second's worth. A new INVITE beyond it gets 503 Service Unavailable. 0: no limit.")
    private int maxCallsPerSecond;
    @Metadata(label = "limits", defaultValue = "0",
              description = "New incoming calls per second from one source address, like Kamailio's pike module: a"
                            + " token bucket per address that holds one second's worth. A new INVITE beyond it is answered"
                            + " 503 or dropped (sourceRateAction). Behind a proxy every call comes from the proxy's address."
                            + " 0: no limit.")
    private int maxCallsPerSecondPerSource;
    @Metadata(label = "limits", defaultValue = "reject", enums = "reject,drop",
              description = "What happens to a new INVITE beyond maxCallsPerSecondPerSource: reject answers 503 Service"
                            + " Unavailable, drop sends nothing back (not even 100 Trying).")
    private String sourceRateAction = "reject";
    @Metadata(label = "limits,security",
              description = "Comma-separated IP addresses and CIDR blocks, IPv4 or IPv6 (e.g. 10.0.0.0/8,192.0.2.7,"
                            + "2001:db8::/32), whose new INVITEs are taken; one from elsewhere is answered 403 Forbidden or"
                            + " dropped (disallowedSourceAction). Requests within admitted calls and OPTIONS are answered"
                            + " from any address. Empty: any source.")
    private String allowedSources;
    @Metadata(label = "limits,security", defaultValue = "reject", enums = "reject,drop",
              description = "What happens to a new INVITE from an address outside allowedSources: reject answers 403"
                            + " Forbidden, drop sends nothing back (not even 100 Trying).")
    private String disallowedSourceAction = "reject";
    @Metadata(label = "limits", defaultValue = "0",
              description = "The longest, in seconds from its INVITE, that a call without a session timer may last; then"
                            + " it is ended with BYE. A call whose peer does not support timers (mode optional) would"
                            + " otherwise stay until someone hangs up. Calls with a running session timer are not affected."
                            + " 0: no limit.")
    private long maxSessionDuration;

    private final LimitStats limitStats = new LimitStats();
    private AdmissionControl admission;
    private SessionDurationLimit sessionDuration;
    private final Map<String, SharedAgent> agents = new HashMap<>();
    private final SessionTimerEvents events = new SessionTimerEvents();
    private final SessionTimerStatistics statistics = new SessionTimerStatistics();
    private final ComponentMeters meters = new ComponentMeters(this);
    private ScheduledExecutorService timerExecutor;
    private ScheduledExecutorTimerScheduler scheduler;
    private ExecutorService sendExecutor;
    private SendQueues sendQueues;
    private ExecutorService storeExecutor;

    public SessionTimerComponent() {
    }

    public SessionTimerComponent(CamelContext context) {
        super(context);
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        SessionTimerEndpoint endpoint = new SessionTimerEndpoint(uri, this, remaining, configuration.copy());
        setProperties(endpoint, parameters);
        if (endpoint.getConfiguration().getSslContextParameters() == null) {
            endpoint.getConfiguration().setSslContextParameters(retrieveGlobalSslContextParameters());
        }
        endpoint.getConfiguration().toTimerConfig(); // fail at creation on invalid values, naming the option
        if (endpoint.getConfiguration().getOutboundProxy() != null) {
            OutboundProxy.parse(endpoint.getConfiguration().getOutboundProxy());
        }
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // Every active session has a pending timer task: the queue must not be bounded (Camel's default profile caps
        // it at 1000, which capped the component at 1000 sessions), and cancelled tasks must leave it at once.
        ThreadPoolProfile profile = new ThreadPoolProfileBuilder("SessionTimer")
                .poolSize(timerPoolSize).maxPoolSize(timerPoolSize).maxQueueSize(-1).build();
        timerExecutor = getCamelContext().getExecutorServiceManager()
                .newScheduledThreadPool(this, "SessionTimer", profile);
        ScheduledThreadPoolExecutor pool = scheduledPool(timerExecutor);
        if (pool != null) {
            pool.setRemoveOnCancelPolicy(true);
        }
        scheduler = new ScheduledExecutorTimerScheduler(timerExecutor);
        // refreshes and BYEs are written here, not on the timer threads: a write can block for a connect timeout.
        // SendQueues keeps one thread per next hop at a time, so the pool grows with the hops in use, not the calls.
        sendExecutor = getCamelContext().getExecutorServiceManager().newCachedThreadPool(this, "SessionTimerSend");
        sendQueues = new SendQueues(sendExecutor);
        if (sessionStore == null) {
            sessionStore = clustered ? ClusterSessionStores.infinispan(clusterSettings())
                    : new InMemorySessionStore(getCamelContext().getName());
        }
        sessionStore.start(takeover);
        if (sessionStore.isReplicated()) {
            // a removal in a replicated store is a read and a two-phase commit over the network: done on the stack's
            // threads it held up the ACKs, INVITEs and OPTIONS probes behind it (seen at 300 calls/s); a full queue
            // refuses, and the removal runs where the call ended (Abort rather than CallerRuns, which drops a task once
            // the pool is shut down: the record would stay behind)
            ThreadPoolProfile storeProfile = new ThreadPoolProfileBuilder("SessionTimerStore")
                    .poolSize(STORE_POOL_SIZE).maxPoolSize(STORE_POOL_SIZE).maxQueueSize(STORE_QUEUE_SIZE)
                    .rejectedPolicy(ThreadPoolRejectedPolicy.Abort).build();
            storeExecutor = getCamelContext().getExecutorServiceManager()
                    .newThreadPool(this, "SessionTimerStore", storeProfile);
            LOG.info("session-timer is node {} of a cluster: calls are recorded in a replicated session store",
                    sessionStore.nodeName());
        }
        admission = new AdmissionControl(admissionSettings(), calls::size, limitStats, System::nanoTime);
        sessionDuration = new SessionDurationLimit(maxSessionDuration, scheduler, limitStats);
        if (configuration.toTimerConfig().isBelowRfcFloor()) {
            LOG.warn("session-timer labFloor={} is below the RFC 4028 floor of 90 s: for tests and labs only",
                    configuration.getLabFloor());
        }
        getCamelContext().addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                if (alreadyStarted) {
                    meters.bind(); // a component started later: the meter registry is there already
                }
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
                // routes are added, and camel-main has bound its meter registry, once the context is fully started
                meters.bind();
                if (defaultRoutes) {
                    events.installDefaultRoutes(context);
                }
            }
        });
    }

    @Override
    protected void doStop() throws Exception {
        List<SharedAgent> toStop;
        synchronized (agents) {
            toStop = List.copyOf(agents.values());
            agents.clear();
        }
        for (SharedAgent shared : toStop) {
            shared.stop();
        }
        if (timerExecutor != null) {
            getCamelContext().getExecutorServiceManager().shutdownNow(timerExecutor);
            timerExecutor = null;
        }
        if (sendExecutor != null) {
            // after the agents: their BYEs at shutdown are written here
            getCamelContext().getExecutorServiceManager().shutdownNow(sendExecutor);
            sendExecutor = null;
        }
        if (storeExecutor != null) {
            // the removals of calls that ended before the stop go out before the store stops; later ones run inline
            getCamelContext().getExecutorServiceManager().shutdownGraceful(storeExecutor);
            storeExecutor = null;
        }
        if (sessionStore != null) {
            sessionStore.stop();
        }
        meters.unbind();
        super.doStop();
    }

    /** Hands out the agent for these settings, starting it on first use. Pair with {@link #releaseAgent}. */
    SharedAgent acquireAgent(SessionTimerConfiguration config) throws Exception {
        SipAgentSettings settings = config.toAgentSettings(sslContext(config));
        synchronized (agents) {
            SharedAgent shared = agents.get(settings.key());
            if (shared == null) {
                SipAgent agent = new SipAgent(settings);
                // in memory a removal is a map operation, done where the call ends
                Executor recordRemovals = storeExecutor != null ? storeExecutor : Runnable::run;
                CallManager manager = new CallManager(agent, calls, sessionStore, recordRemovals, scheduler, sendQueues,
                        ThreadLocalRandomGenerator.INSTANCE, config.toTimerConfig(), null);
                shared = new SharedAgent(agent, manager, events, statistics, config.isByeOnShutdown(), admission,
                        sessionDuration);
                manager.handler(shared);
                manager.recorder(statistics);
                manager.agentCredentials(config.toCredentials());
                manager.inboundAnswerTimeout(config.getAnswerTimeout());
                agent.start(manager);
                agents.put(settings.key(), shared);
            }
            shared.retain();
            return shared;
        }
    }

    /** The SSL context of the tls transport, built by Camel from the endpoint's parameters; null without tls. */
    private SSLContext sslContext(SessionTimerConfiguration config) throws Exception {
        if (!config.transportList().contains("tls") || config.getSslContextParameters() == null) {
            return null; // the settings say what is missing
        }
        return config.getSslContextParameters().createSSLContext(getCamelContext());
    }

    void releaseAgent(SharedAgent shared) {
        boolean last;
        synchronized (agents) {
            last = shared.release();
            if (last) {
                agents.remove(shared.agent().settings().key());
            }
        }
        if (last) {
            shared.stop();
        }
    }

    /** The agent that takes over calls from other nodes: the one answering incoming calls, else any; or null. */
    SharedAgent agentForAdoptedCalls() {
        synchronized (agents) {
            return agents.values().stream().filter(SharedAgent::hasCallConsumer).findFirst()
                    .orElse(agents.values().stream().findFirst().orElse(null));
        }
    }

    private ClusterSettings clusterSettings() throws java.net.UnknownHostException {
        String nodeName = clusterNodeName != null && !clusterNodeName.isBlank() ? clusterNodeName
                : java.net.InetAddress.getLocalHost().getHostName() + "-" + clusterBindPort;
        return new ClusterSettings(clusterName, nodeName, clusterBindAddress, clusterBindPort, clusterMembers,
                clusterFailureDetectionTimeout, clusterStoreTimeout, clusterConfigFile);
    }

    @Override
    public boolean isUseGlobalSslContextParameters() {
        return useGlobalSslContextParameters;
    }

    @Override
    public void setUseGlobalSslContextParameters(boolean useGlobalSslContextParameters) {
        this.useGlobalSslContextParameters = useGlobalSslContextParameters;
    }

    public boolean isClustered() {
        return clustered;
    }

    public void setClustered(boolean clustered) {
        this.clustered = clustered;
    }

    public String getClusterName() {
        return clusterName;
    }

    public void setClusterName(String clusterName) {
        this.clusterName = clusterName;
    }

    public String getClusterNodeName() {
        return clusterNodeName;
    }

    public void setClusterNodeName(String clusterNodeName) {
        this.clusterNodeName = clusterNodeName;
    }

    public String getClusterBindAddress() {
        return clusterBindAddress;
    }

    public void setClusterBindAddress(String clusterBindAddress) {
        this.clusterBindAddress = clusterBindAddress;
    }

    public int getClusterBindPort() {
        return clusterBindPort;
    }

    public void setClusterBindPort(int clusterBindPort) {
        this.clusterBindPort = clusterBindPort;
    }

    public String getClusterMembers() {
        return clusterMembers;
    }

    public void setClusterMembers(String clusterMembers) {
        this.clusterMembers = clusterMembers;
    }

    public long getClusterFailureDetectionTimeout() {
        return clusterFailureDetectionTimeout;
    }

    public void setClusterFailureDetectionTimeout(long clusterFailureDetectionTimeout) {
        this.clusterFailureDetectionTimeout = clusterFailureDetectionTimeout;
    }

    public long getClusterStoreTimeout() {
        return clusterStoreTimeout;
    }

    public void setClusterStoreTimeout(long clusterStoreTimeout) {
        this.clusterStoreTimeout = clusterStoreTimeout;
    }

    public String getClusterConfigFile() {
        return clusterConfigFile;
    }

    public void setClusterConfigFile(String clusterConfigFile) {
        this.clusterConfigFile = clusterConfigFile;
    }

    public SessionStore getSessionStore() {
        return sessionStore;
    }

    public void setSessionStore(SessionStore sessionStore) {
        this.sessionStore = sessionStore;
    }

    private AdmissionSettings admissionSettings() {
        try {
            return new AdmissionSettings(maxSessions, maxSessionsRetryAfter, maxCallsPerSecond, maxCallsPerSecondPerSource,
                    LimitAction.of("sourceRateAction", sourceRateAction), AllowedSources.parse(allowedSources),
                    LimitAction.of("disallowedSourceAction", disallowedSourceAction));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid session-timer limits: " + e.getMessage(), e);
        }
    }

    /** How often each limit refused or ended a call since the component was created. */
    public LimitStats getLimitStats() {
        return limitStats;
    }

    /** Messages that the running SIP agents of this component could not parse, since each started. */
    public long getUnparsableMessageCount() {
        synchronized (agents) {
            return agents.values().stream().mapToLong(shared -> shared.agent().unparsableMessages().count()).sum();
        }
    }

    /** The active calls of every agent of this component. */
    public CallRegistry getCalls() {
        return calls;
    }

    /** The agents in use, for the dev console. */
    List<SharedAgent> agents() {
        synchronized (agents) {
            return List.copyOf(agents.values());
        }
    }

    /** The counters of this component: calls, refreshes, expiries, rejections. */
    public SessionTimerStatistics getStatistics() {
        return statistics;
    }

    /** The number of active calls; back to zero whenever every call has ended. */
    @ManagedAttribute(description = "Active SIP sessions: calls being set up or established")
    public int getActiveSessionCount() {
        return calls.size();
    }

    /**
     * Session timer tasks (refresh due, expiry, retries) scheduled and neither run nor cancelled yet; zero when no
     * session timer runs, which shows that ended calls left nothing behind (R12).
     */
    @ManagedAttribute(description = "Session timer tasks scheduled: refreshes due, expiries, retries")
    public int getScheduledTimerCount() {
        ScheduledThreadPoolExecutor pool = scheduledPool(timerExecutor);
        if (pool == null) {
            return 0;
        }
        int count = 0;
        for (Runnable task : pool.getQueue()) {
            if (!(task instanceof Future<?> future) || !future.isCancelled() && !future.isDone()) {
                count++;
            }
        }
        return count;
    }

    @ManagedAttribute(description = "Calls we placed (INVITEs of new calls sent)")
    public long getCallsPlaced() {
        return statistics.callsPlaced();
    }

    @ManagedAttribute(description = "Calls established, by role: uac (we placed it), uas (we answered it, ACK received)")
    public Map<String, Long> getCallsAnswered() {
        return statistics.callsAnsweredByRole();
    }

    @ManagedAttribute(description = "Calls that ended before they were established, by role")
    public Map<String, Long> getCallsFailed() {
        return statistics.callsFailedByRole();
    }

    @ManagedAttribute(description = "Call setup time per role: count, total and longest, in milliseconds")
    public Map<String, Long> getCallSetup() {
        return statistics.callSetup();
    }

    @ManagedAttribute(description = "Session refreshes we sent, by method:result (ok, 422, 491, 408, 481, other)")
    public Map<String, Long> getRefreshesSent() {
        return statistics.refreshesSentByMethodAndResult();
    }

    @ManagedAttribute(description = "Session refreshes of the peer's, by method:result of our answer")
    public Map<String, Long> getRefreshesReceived() {
        return statistics.refreshesReceivedByMethodAndResult();
    }

    @ManagedAttribute(description = "Sessions that expired without a refresh in time (ended with BYE)")
    public long getExpiries() {
        return statistics.expiries();
    }

    @ManagedAttribute(description = "New calls each limit refused or dropped (ended, for maxSessionDuration)")
    public Map<String, Long> getLimitHits() {
        Map<String, Long> hits = new LinkedHashMap<>();
        for (Limit limit : Limit.values()) {
            hits.put(limit.option(), limitStats.count(limit));
        }
        return hits;
    }

    @ManagedAttribute(description = "Calls this node took over from another node of its cluster")
    public long getCallsTakenOver() {
        return statistics.takeOvers();
    }

    @ManagedAttribute(description = "New INVITEs refused before any route saw them, by status:reason")
    public Map<String, Long> getRejections() {
        return statistics.rejectionsByReason();
    }

    @ManagedAttribute(description = "Initial INVITEs sent again with a larger interval after a 422")
    public long getUac422Retries() {
        return statistics.retriesAfter422();
    }

    private static ScheduledThreadPoolExecutor scheduledPool(ScheduledExecutorService executor) {
        if (executor instanceof SizedScheduledExecutorService sized) {
            return sized.getScheduledThreadPoolExecutor();
        }
        return executor instanceof ScheduledThreadPoolExecutor plain ? plain : null;
    }

    /** The scheduler of all session timers; for tests. */
    ScheduledExecutorTimerScheduler timerScheduler() {
        return scheduler;
    }

    SipCall findCall(String callId) {
        return calls.get(callId);
    }

    SessionTimerEvents events() {
        return events;
    }

    public SessionTimerConfiguration getConfiguration() {
        return configuration;
    }

    /** Default options for every endpoint of this component. */
    public void setConfiguration(SessionTimerConfiguration configuration) {
        this.configuration = configuration;
    }

    public int getTimerPoolSize() {
        return timerPoolSize;
    }

    public void setTimerPoolSize(int timerPoolSize) {
        this.timerPoolSize = timerPoolSize;
    }

    public boolean isDefaultRoutes() {
        return defaultRoutes;
    }

    public void setDefaultRoutes(boolean defaultRoutes) {
        this.defaultRoutes = defaultRoutes;
    }

    public int getMaxSessions() {
        return maxSessions;
    }

    public void setMaxSessions(int maxSessions) {
        this.maxSessions = maxSessions;
    }

    public int getMaxSessionsRetryAfter() {
        return maxSessionsRetryAfter;
    }

    public void setMaxSessionsRetryAfter(int maxSessionsRetryAfter) {
        this.maxSessionsRetryAfter = maxSessionsRetryAfter;
    }

    public int getMaxCallsPerSecond() {
        return maxCallsPerSecond;
    }

    public void setMaxCallsPerSecond(int maxCallsPerSecond) {
        this.maxCallsPerSecond = maxCallsPerSecond;
    }

    public int getMaxCallsPerSecondPerSource() {
        return maxCallsPerSecondPerSource;
    }

    public void setMaxCallsPerSecondPerSource(int maxCallsPerSecondPerSource) {
        this.maxCallsPerSecondPerSource = maxCallsPerSecondPerSource;
    }

    public String getSourceRateAction() {
        return sourceRateAction;
    }

    public void setSourceRateAction(String sourceRateAction) {
        this.sourceRateAction = sourceRateAction;
    }

    public String getAllowedSources() {
        return allowedSources;
    }

    public void setAllowedSources(String allowedSources) {
        this.allowedSources = allowedSources;
    }

    public String getDisallowedSourceAction() {
        return disallowedSourceAction;
    }

    public void setDisallowedSourceAction(String disallowedSourceAction) {
        this.disallowedSourceAction = disallowedSourceAction;
    }

    public long getMaxSessionDuration() {
        return maxSessionDuration;
    }

    public void setMaxSessionDuration(long maxSessionDuration) {
        this.maxSessionDuration = maxSessionDuration;
    }
}
