package org.sessiontimer.camel;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.StartupListener;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.util.concurrent.SizedScheduledExecutorService;
import org.sessiontimer.camel.limits.AdmissionControl;
import org.sessiontimer.camel.limits.AdmissionSettings;
import org.sessiontimer.camel.limits.AllowedSources;
import org.sessiontimer.camel.limits.LimitAction;
import org.sessiontimer.camel.limits.LimitStats;
import org.sessiontimer.camel.limits.SessionDurationLimit;
import org.sessiontimer.camel.sip.CallManager;
import org.sessiontimer.camel.sip.CallRegistry;
import org.sessiontimer.camel.sip.ScheduledExecutorTimerScheduler;
import org.sessiontimer.camel.sip.SipAgent;
import org.sessiontimer.camel.sip.SipAgentSettings;
import org.sessiontimer.camel.sip.SipCall;
import org.sessiontimer.camel.sip.ThreadLocalRandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIP calls with RFC 4028 session timers. The component owns what endpoints share: one SIP agent (JAIN-SIP stack) per
 * host and port, handed out to endpoints and taken back as they start and stop; the registry of active calls; and the
 * scheduler that runs every session timer.
 */
@Component("session-timer")
public class SessionTimerComponent extends DefaultComponent {

    private static final Logger LOG = LoggerFactory.getLogger(SessionTimerComponent.class);

    @Metadata
    private SessionTimerConfiguration configuration = new SessionTimerConfiguration();
    @Metadata(label = "advanced", defaultValue = "2",
              description = "Threads of the scheduler that runs all session timers (refresh due, expiry).")
    private int timerPoolSize = 2;
    @Metadata(label = "advanced", defaultValue = "true",
              description = "Install the default routes from session-timer:refresh-due to session-timer:refresh and from"
                            + " session-timer:expired to session-timer:bye when no route of yours consumes those events.")
    private boolean defaultRoutes = true;

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

    private final CallRegistry calls = new CallRegistry();
    private final LimitStats limitStats = new LimitStats();
    private AdmissionControl admission;
    private SessionDurationLimit sessionDuration;
    private final Map<String, SharedAgent> agents = new HashMap<>();
    private final SessionTimerEvents events = new SessionTimerEvents();
    private ScheduledExecutorService timerExecutor;
    private ScheduledExecutorTimerScheduler scheduler;

    public SessionTimerComponent() {
    }

    public SessionTimerComponent(CamelContext context) {
        super(context);
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        SessionTimerEndpoint endpoint = new SessionTimerEndpoint(uri, this, remaining, configuration.copy());
        setProperties(endpoint, parameters);
        endpoint.getConfiguration().toTimerConfig(); // fail at creation on invalid values, naming the option
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
        admission = new AdmissionControl(admissionSettings(), calls::size, limitStats, System::nanoTime);
        sessionDuration = new SessionDurationLimit(maxSessionDuration, scheduler, limitStats);
        if (configuration.toTimerConfig().isBelowRfcFloor()) {
            LOG.warn("session-timer labFloor={} is below the RFC 4028 floor of 90 s: for tests and labs only",
                    configuration.getLabFloor());
        }
        if (defaultRoutes) {
            getCamelContext().addStartupListener(new StartupListener() {
                @Override
                public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                    // routes are added once the context is fully started, see below
                }

                @Override
                public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
                    events.installDefaultRoutes(context);
                }
            });
        }
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
        super.doStop();
    }

    /** Hands out the agent for these settings, starting it on first use. Pair with {@link #releaseAgent}. */
    SharedAgent acquireAgent(SessionTimerConfiguration config) throws Exception {
        SipAgentSettings settings = config.toAgentSettings();
        synchronized (agents) {
            SharedAgent shared = agents.get(settings.key());
            if (shared == null) {
                SipAgent agent = new SipAgent(settings);
                CallManager manager = new CallManager(agent, calls, scheduler, ThreadLocalRandomGenerator.INSTANCE,
                        config.toTimerConfig(), null);
                shared = new SharedAgent(agent, manager, events, config.isByeOnShutdown(), admission, sessionDuration);
                manager.handler(shared);
                agent.start(manager);
                agents.put(settings.key(), shared);
            }
            shared.retain();
            return shared;
        }
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

    /** The number of active calls; back to zero whenever every call has ended. */
    public int getActiveSessionCount() {
        return calls.size();
    }

    /**
     * Session timer tasks (refresh due, expiry, retries) scheduled and neither run nor cancelled yet; zero when no
     * session timer runs, which shows that ended calls left nothing behind (R12).
     */
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
