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

    private final CallRegistry calls = new CallRegistry();
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
                shared = new SharedAgent(agent, manager, events, config.isByeOnShutdown());
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
}
