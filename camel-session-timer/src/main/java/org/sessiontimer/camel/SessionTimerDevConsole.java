package org.sessiontimer.camel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.camel.spi.annotations.DevConsole;
import org.apache.camel.support.console.AbstractDevConsole;
import org.apache.camel.util.json.JsonObject;
import org.sessiontimer.camel.core.Refresher;
import org.sessiontimer.camel.metrics.SessionTimerStatistics;
import org.sessiontimer.camel.sip.SipAgent;
import org.sessiontimer.camel.sip.SipCall;

/**
 * The session-timer dev console: for each session-timer component, its SIP agents (address, transports listening,
 * the route answering calls), its counters and its active sessions (role, interval, refresher, next refresh,
 * expiry), as text or JSON. Sessions are listed up to the {@code limit} option (default 100), since a node may hold
 * a hundred thousand of them.
 */
@DevConsole(name = "session-timer", displayName = "SIP Session Timer",
            description = "SIP agents, session timer counters and active sessions")
public class SessionTimerDevConsole extends AbstractDevConsole {

    /** Lists at most this many sessions per component. */
    public static final String LIMIT = "limit";
    private static final int DEFAULT_LIMIT = 100;

    public SessionTimerDevConsole() {
        super("camel", "session-timer", "SIP Session Timer", "SIP agents, session timer counters and active sessions");
    }

    @Override
    protected String doCallText(Map<String, Object> options) {
        StringBuilder text = new StringBuilder();
        for (JsonObject component : components(limit(options))) {
            text.append("Component: ").append(component.getString("name")).append('\n');
            text.append("  Active sessions: ").append(component.getInteger("activeSessions")).append('\n');
            for (JsonObject agent : objects(component, "agents")) {
                text.append(String.format("  Agent %s transports=%s listening=%s route=%s%n", agent.getString("address"),
                        agent.getString("transports"), agent.getString("listening"), agent.getString("routeId")));
            }
            text.append("  Counters:\n");
            component.getMap("counters").forEach((name, value) ->
                    text.append(String.format("    %s: %s%n", name, value)));
            List<JsonObject> sessions = objects(component, "sessions");
            text.append(String.format("  Sessions (%d listed):%n", sessions.size()));
            for (JsonObject session : sessions) {
                text.append(String.format("    %s role=%s interval=%s refresher=%s weRefresh=%s nextRefresh=%s expiresAt=%s%n",
                        session.getString("callId"), session.getString("role"), session.get("interval"),
                        session.get("refresher"), session.get("weRefresh"), session.get("nextRefresh"),
                        session.get("expiresAt")));
            }
        }
        return text.toString();
    }

    /** The text view is drawn from the same JSON, so both always say the same. */
    @SuppressWarnings("unchecked")
    private static List<JsonObject> objects(JsonObject json, String key) {
        return (List<JsonObject>) json.get(key);
    }

    @Override
    protected Map<String, Object> doCallJson(Map<String, Object> options) {
        JsonObject root = new JsonObject();
        root.put("components", components(limit(options)));
        return root;
    }

    private List<JsonObject> components(int limit) {
        List<JsonObject> answer = new ArrayList<>();
        for (String name : getCamelContext().getComponentNames()) {
            if (getCamelContext().hasComponent(name) instanceof SessionTimerComponent component) {
                answer.add(describe(name, component, limit));
            }
        }
        return answer;
    }

    private static JsonObject describe(String name, SessionTimerComponent component, int limit) {
        JsonObject json = new JsonObject();
        json.put("name", name);
        json.put("activeSessions", component.getActiveSessionCount());
        json.put("scheduledTimers", component.getScheduledTimerCount());
        List<JsonObject> agents = new ArrayList<>();
        for (SharedAgent shared : component.agents()) {
            SipAgent agent = shared.agent();
            JsonObject jo = new JsonObject();
            jo.put("address", agent.settings().key());
            jo.put("transports", String.join(",", agent.settings().transports()));
            jo.put("listening", String.join(",", agent.listeningTransports()));
            SessionTimerCallConsumer consumer = shared.callConsumer();
            jo.put("routeId", consumer == null ? null : consumer.getRouteId());
            agents.add(jo);
        }
        json.put("agents", agents);
        json.put("counters", counters(component.getStatistics()));
        List<JsonObject> sessions = new ArrayList<>();
        for (SipCall call : component.getCalls().snapshot()) {
            if (sessions.size() >= limit) {
                break;
            }
            sessions.add(session(call));
        }
        json.put("sessions", sessions);
        return json;
    }

    private static JsonObject counters(SessionTimerStatistics statistics) {
        JsonObject counters = new JsonObject();
        counters.put("callsPlaced", statistics.callsPlaced());
        counters.put("callsAnswered", statistics.callsAnsweredByRole());
        counters.put("callsFailed", statistics.callsFailedByRole());
        counters.put("callSetup", statistics.callSetup());
        counters.put("refreshesSent", statistics.refreshesSentByMethodAndResult());
        counters.put("refreshesReceived", statistics.refreshesReceivedByMethodAndResult());
        counters.put("expiries", statistics.expiries());
        counters.put("rejections", statistics.rejectionsByReason());
        counters.put("uac422Retries", statistics.retriesAfter422());
        return counters;
    }

    private static JsonObject session(SipCall call) {
        JsonObject json = new JsonObject();
        json.put("callId", call.callId());
        json.put("role", call.role().name().toLowerCase(Locale.ROOT));
        json.put("remote", call.remoteParty());
        json.put("confirmed", call.isConfirmed());
        long interval = call.intervalSeconds();
        json.put("interval", interval > 0 ? interval : null);
        Refresher refresher = call.refresher();
        json.put("refresher", refresher == null ? null : refresher.token());
        json.put("weRefresh", call.weRefresh());
        json.put("nextRefresh", instant(call.nextRefreshAtMillis()));
        json.put("expiresAt", instant(call.expiresAtMillis()));
        return json;
    }

    private static String instant(long epochMillis) {
        return epochMillis > 0 ? Instant.ofEpochMilli(epochMillis).toString() : null;
    }

    private static int limit(Map<String, Object> options) {
        Object limit = options.get(LIMIT);
        return limit == null ? DEFAULT_LIMIT : Integer.parseInt(limit.toString());
    }
}
