package org.sessiontimer.camel.springboot;

import org.apache.camel.spring.boot.ComponentConfigurationPropertiesCommon;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.sessiontimer.camel.SessionTimerConfiguration;
import org.sessiontimer.camel.store.SessionStore;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The session-timer component's options as Spring Boot properties, {@code camel.component.session-timer.*}: one
 * field per option of the component (names, defaults and descriptions as in the component's generated descriptor,
 * which {@code SessionTimerComponentConfigurationTest} holds this class to). The field comments become the IDE
 * documentation through Spring Boot's configuration processor. A property left unset keeps the component's default.
 */
@ConfigurationProperties(prefix = "camel.component.session-timer")
public class SessionTimerComponentConfiguration extends ComponentConfigurationPropertiesCommon {

    /**
     * End active calls with BYE when the component stops; the stop waits up to 2 s for the BYEs to be answered.
     */
    private Boolean byeOnShutdown = true;
    /**
     * Default options for every endpoint of this component, as a bean: #bean:name refers to a SessionTimerConfiguration
     * in the registry.
     */
    private SessionTimerConfiguration configuration;
    /**
     * The address the SIP agent binds and, unless advertisedHost is set, puts in Via and Contact. Endpoints with the
     * same host and port share one agent.
     */
    private String host = "127.0.0.1";
    /**
     * The port of the tls transport. Default: port + 1, which is 5061 (the RFC 3261 default for SIP over TLS) for the
     * default port, and keeps agents on different ports apart.
     */
    private Integer tlsPort;
    /**
     * Camel's TLS configuration of the tls transport: key store (our certificate, for calls we take), trust store (the
     * peers we trust), protocols, cipher suites and client authentication (none by default: SIP clients rarely have a
     * certificate). Required for tls unless the component uses Camel's global SSL context parameters. The option is a
     * org.apache.camel.support.jsse.SSLContextParameters type: #bean:name refers to one in the registry.
     */
    private SSLContextParameters sslContextParameters;
    /**
     * Use Camel's global SSL context parameters for the tls transport of endpoints that set no sslContextParameters of
     * their own.
     */
    private Boolean useGlobalSslContextParameters = false;
    /**
     * The user name we answer digest challenges with (401/407 to our INVITE, refreshes and BYE; MD5, qop=auth). Unset:
     * a challenge fails the request. The headers CamelSessionTimerAuthUsername and CamelSessionTimerAuthPassword
     * override it for one call. Calls we answer, and calls taken over from another node, use the credentials of the
     * endpoint that created or answers on their SIP agent.
     */
    private String authUsername;
    /**
     * The password of authUsername.
     */
    private String authPassword;
    /**
     * The only realm whose challenges are answered with authUsername and authPassword; a challenge of another realm
     * fails the request, naming both. Unset: any realm (the credentials go to whoever challenges).
     */
    private String authRealm;
    /**
     * A registrar to register our Contact with while the consumer runs, a SIP URI such as sip:registrar.example.com
     * (RFC 3261 section 10): for trunks that send calls to a registered address. The binding is refreshed before it
     * lapses, registered again after a failure (back-off from 5 s, doubling to 5 min), removed when the consumer
     * stops, and challenges are answered with authUsername and authPassword. Unset: no registration.
     */
    private String registrar;
    /**
     * The lifetime of the registration we ask for, seconds; the registrar may grant less (or ask for more, 423).
     */
    private Integer registerExpires = 3600;
    /**
     * The address-of-record we register (From and To of the REGISTER), e.g. sip:1001@trunk.example.com. Default:
     * authUsername (or camel) at the registrar's host.
     */
    private String registerAddressOfRecord;
    /**
     * The port peers reach the tls transport at, when it is not tlsPort (NAT). Default: advertisedPort plus the
     * distance from port to tlsPort, which is tlsPort itself when nothing is advertised.
     */
    private Integer advertisedTlsPort;
    /**
     * The address peers reach this agent at, when it is not the host it binds (behind NAT, or bound to 0.0.0.0): put
     * in the sent-by of our Via headers and in our Contact, nowhere else (the SDP is the route's). A host name or IPv4
     * address; default: host.
     */
    private String advertisedHost;
    /**
     * The port peers reach this agent at over udp and tcp, when it is not the port it binds (NAT); default: port.
     */
    private Integer advertisedPort;
    /**
     * The SIP port, for every transport.
     */
    private Integer port = 5060;
    /**
     * Comma-separated transports to listen on: udp, tcp or both. Outgoing calls use the target URI's transport
     * parameter, else the first.
     */
    private String transports = "udp,tcp";
    /**
     * Allows for bridging the consumer to the Camel routing Error Handler, which mean any exceptions (if possible)
     * occurred while the Camel consumer is trying to pickup incoming messages, or the likes, will now be processed as a
     * message and handled by the routing Error Handler. Important: This is only possible if the 3rd party component
     * allows Camel to be alerted if an exception was thrown. Some components handle this internally only, and therefore
     * bridgeErrorHandler is not possible. In other situations we may improve the Camel component to hook into the 3rd
     * party component and make this possible for future releases. By default the consumer will use the
     * org.apache.camel.spi.ExceptionHandler to deal with exceptions, that will be logged at WARN or ERROR level and
     * ignored.
     */
    private Boolean bridgeErrorHandler = false;
    /**
     * Send 180 Ringing for an incoming INVITE before the route decides (useful when the route takes time to answer).
     */
    private Boolean sendRinging = false;
    /**
     * The proxy our calls go through, a SIP URI such as sip:proxy.example.com;lr: the initial INVITE carries it as a
     * preloaded Route and is sent there, the Request-URI staying the callee (RFC 3261 section 8.1.2); lr is added when
     * missing (a loose router). Later requests in the dialog follow its route set, which the proxy joins by
     * Record-Route.
     */
    private String outboundProxy;
    /**
     * Milliseconds a call may ring before it is given up: an outgoing call is CANCELled and its exchange fails with
     * 408; an incoming call whose answering route has not decided by then is answered 480. 0 means no limit. A
     * mid-call offer waits for the answering route this long too, but at most 32*T1 (16 s), and is answered 500 then.
     */
    private Long answerTimeout = 60000L;
    /**
     * The From address of our calls; defaults to the user camel at this agent's host and port.
     */
    private String from;
    /**
     * Whether the producer should be started lazy (on the first message). By starting lazy you can use this to allow
     * CamelContext and routes to startup in situations where a producer may otherwise fail during starting and cause
     * the route to fail being started. By deferring this startup to be lazy then the startup failure can be handled
     * during routing messages via Camel's routing error handlers. Beware that when the first message is processed then
     * creating and starting the producer may take a little time and prolong the total processing time of the
     * processing.
     */
    private Boolean lazyStartProducer = false;
    /**
     * The SIP URI to call, e.g. sip:127.0.0.1:5070 or one with a user part (the CamelSessionTimerTo header overrides
     * it).
     */
    private String to;
    /**
     * Whether autowiring is enabled. This is used for automatic autowiring options (the option must be marked as
     * autowired) by looking up in the registry to find if there is a single instance of matching type, which then gets
     * configured on the component. This can be used for automatic configuring JDBC data sources, JMS connection
     * factories, AWS Clients, etc.
     */
    private Boolean autowiredEnabled = true;
    /**
     * Install the default routes from session-timer:refresh-due to session-timer:refresh and from session-timer:expired
     * to session-timer:bye when no route of yours consumes those events.
     */
    private Boolean defaultRoutes = true;
    /**
     * The largest SIP message accepted, in bytes (at least 4096). Every UDP datagram is read into a buffer of this
     * size, so the default keeps that buffer small; a longer message over TCP is refused.
     */
    private Integer maxMessageSize = 16384;
    /**
     * Threads of the SIP stack that process incoming messages.
     */
    private Integer sipThreadPoolSize = 8;
    /**
     * Threads of the scheduler that runs all session timers (refresh due, expiry).
     */
    private Integer timerPoolSize = 2;
    /**
     * RFC 3261 timer T1 in milliseconds for the requests we send and our 2xx to an INVITE; a request with no answer
     * times out after 64T1 (32 s by default), and a 2xx without ACK by then ends the call with BYE.
     */
    private Integer transactionT1 = 500;
    /**
     * The UDP socket's receive buffer in bytes. A large buffer keeps datagrams that arrive during a pause of the JVM
     * instead of dropping them; the kernel caps it at net.core.rmem_max.
     */
    private Integer udpReceiveBufferSize = 4194304;
    /**
     * Used for enabling or disabling all consumer based health checks from this component
     */
    private Boolean healthCheckConsumerEnabled = true;
    /**
     * Used for enabling or disabling all producer based health checks from this component. Notice: Camel has by default
     * disabled all producer based health-checks. You can turn on producer checks globally by setting
     * camel.health.producersEnabled=true.
     */
    private Boolean healthCheckProducerEnabled = true;
    /**
     * The largest session interval in seconds that we accept as UAS; larger requests are lowered to it (never below
     * their Min-SE).
     */
    private Long maxSessionExpires = 7200L;
    /**
     * The smallest session interval in seconds that we accept; smaller requests get 422 (RFC 4028 section 5). Never
     * below 90 unless labFloor is lowered.
     */
    private Long minSe = 90L;
    /**
     * Session timer policy (like Asterisk's timers=): off never uses timers; optional uses them when the peer does;
     * required rejects peers without timer support (421) and ends calls answered without Session-Expires; always runs a
     * timer even when the peer has no support (we refresh).
     */
    private String mode = "optional";
    /**
     * Who refreshes when the peer leaves it to us as UAS (RFC 4028 section 9, Table 2): uac (the caller) or uas (us).
     */
    private String refresher = "uac";
    /**
     * How we refresh: invite (re-INVITE with the unchanged SDP), update (UPDATE without body when the peer allows
     * UPDATE, else re-INVITE) or auto (same as update).
     */
    private String refreshMethod = "invite";
    /**
     * The refresher parameter to put in our INVITE's Session-Expires. Unset (the default) leaves the choice to the UAS,
     * as RFC 4028 section 7.1 recommends.
     */
    private String requestRefresher;
    /**
     * The session interval in seconds that we ask for in an INVITE and offer when the peer names none (RFC 4028 section
     * 4).
     */
    private Long sessionExpires = 1800L;
    /**
     * For tests and labs only: lowers the RFC floor of 90 seconds for minSe and sessionExpires, so refreshes and
     * expiries happen in seconds. A WARN is logged at start-up whenever it is below 90.
     */
    private Long labFloor = 90L;
    /**
     * The most active sessions (calls being set up or established, both directions) of the component. A new INVITE
     * beyond it gets 503 Service Unavailable with Retry-After (maxSessionsRetryAfter). 0: no limit.
     */
    private Integer maxSessions = 0;
    /**
     * The Retry-After, in seconds, of the 503 answers sent while maxSessions is reached.
     */
    private Integer maxSessionsRetryAfter = 60;
    /**
     * New incoming calls per second from all sources together: a token bucket that holds one second's worth. A new
     * INVITE beyond it gets 503 Service Unavailable. 0: no limit.
     */
    private Integer maxCallsPerSecond = 0;
    /**
     * New incoming calls per second from one source address, like Kamailio's pike module: a token bucket per address
     * that holds one second's worth. A new INVITE beyond it is answered 503 or dropped (sourceRateAction). Behind a proxy
     * every call comes from the proxy's address. 0: no limit.
     */
    private Integer maxCallsPerSecondPerSource = 0;
    /**
     * What happens to a new INVITE beyond maxCallsPerSecondPerSource: reject answers 503 Service Unavailable, drop
     * sends nothing back (not even 100 Trying).
     */
    private String sourceRateAction = "reject";
    /**
     * Comma-separated IP addresses and CIDR blocks, IPv4 or IPv6 (e.g. 10.0.0.0/8,192.0.2.7,2001:db8::/32), whose new
     * INVITEs are taken; one from elsewhere is answered 403 Forbidden or dropped (disallowedSourceAction). Requests
     * within admitted calls and OPTIONS are answered from any address. Empty: any source.
     */
    private String allowedSources;
    /**
     * What happens to a new INVITE from an address outside allowedSources: reject answers 403 Forbidden, drop sends
     * nothing back (not even 100 Trying).
     */
    private String disallowedSourceAction = "reject";
    /**
     * The longest, in seconds from its INVITE, that a call without a session timer may last; then it is ended with
     * BYE. A call whose peer does not support timers (mode optional) would otherwise stay until someone hangs up. Calls
     * with a running session timer are not affected. 0: no limit.
     */
    private Long maxSessionDuration = 0L;
    /**
     * Where the records of confirmed calls live, the records another node needs to speak for a call. By default
     * an in-memory store (a single node); a replicated store makes the component a cluster node whose calls survive
     * the loss of a node. The option is a org.sessiontimer.camel.store.SessionStore type.
     */
    private SessionStore sessionStore;
    /**
     * Run as a node of a cluster: calls are recorded in a replicated store (embedded Infinispan, which must be on
     * the class path), and when a node dies another one takes its calls over, refreshes and ends them. Put a front
     * door (Kamailio) before the nodes that Record-Routes every dialog. Ignored when a sessionStore is set.
     */
    private Boolean clustered = false;
    /**
     * Nodes with the same cluster name form one cluster.
     */
    private String clusterName = "session-timer";
    /**
     * This node's name in the cluster, shown as the owner of the calls it holds. Default: the host name and the
     * cluster bind port.
     */
    private String clusterNodeName;
    /**
     * The address the cluster's own traffic (JGroups over TCP) binds.
     */
    private String clusterBindAddress = "127.0.0.1";
    /**
     * The TCP port the cluster's own traffic binds.
     */
    private Integer clusterBindPort = 7800;
    /**
     * The cluster's members, as JGroups writes them: host[port] separated by commas, e.g.
     * 127.0.0.1[7800],127.0.0.1[7801],127.0.0.1[7802]. Static discovery, no multicast. Required when clustered.
     */
    private String clusterMembers;
    /**
     * Milliseconds a member may stay silent before it is suspected and removed from the view (JGroups' own default
     * is about 40 s). A crashed process is detected at once through its closed socket; this bounds the time for a hung
     * one.
     */
    private Long clusterFailureDetectionTimeout = 3000L;
    /**
     * Milliseconds a store operation may wait for a lock or for another node. A request whose store write times
     * out is not sent.
     */
    private Long clusterStoreTimeout = 2000L;
    /**
     * An Infinispan XML file to use instead of the built-in configuration; it must define the cache
     * session-timer-calls and may use the placeholders of the built-in one.
     */
    private String clusterConfigFile;

    public Boolean getByeOnShutdown() {
        return byeOnShutdown;
    }

    public void setByeOnShutdown(Boolean byeOnShutdown) {
        this.byeOnShutdown = byeOnShutdown;
    }

    public SessionTimerConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(SessionTimerConfiguration configuration) {
        this.configuration = configuration;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public Integer getTlsPort() {
        return tlsPort;
    }

    public void setTlsPort(Integer tlsPort) {
        this.tlsPort = tlsPort;
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }

    public String getAuthUsername() {
        return authUsername;
    }

    public void setAuthUsername(String authUsername) {
        this.authUsername = authUsername;
    }

    public String getAuthPassword() {
        return authPassword;
    }

    public void setAuthPassword(String authPassword) {
        this.authPassword = authPassword;
    }

    public String getAuthRealm() {
        return authRealm;
    }

    public void setAuthRealm(String authRealm) {
        this.authRealm = authRealm;
    }

    public String getRegistrar() {
        return registrar;
    }

    public void setRegistrar(String registrar) {
        this.registrar = registrar;
    }

    public Integer getRegisterExpires() {
        return registerExpires;
    }

    public void setRegisterExpires(Integer registerExpires) {
        this.registerExpires = registerExpires;
    }

    public String getRegisterAddressOfRecord() {
        return registerAddressOfRecord;
    }

    public void setRegisterAddressOfRecord(String registerAddressOfRecord) {
        this.registerAddressOfRecord = registerAddressOfRecord;
    }

    public Boolean getUseGlobalSslContextParameters() {
        return useGlobalSslContextParameters;
    }

    public void setUseGlobalSslContextParameters(Boolean useGlobalSslContextParameters) {
        this.useGlobalSslContextParameters = useGlobalSslContextParameters;
    }

    public Integer getAdvertisedTlsPort() {
        return advertisedTlsPort;
    }

    public void setAdvertisedTlsPort(Integer advertisedTlsPort) {
        this.advertisedTlsPort = advertisedTlsPort;
    }

    public String getAdvertisedHost() {
        return advertisedHost;
    }

    public void setAdvertisedHost(String advertisedHost) {
        this.advertisedHost = advertisedHost;
    }

    public Integer getAdvertisedPort() {
        return advertisedPort;
    }

    public void setAdvertisedPort(Integer advertisedPort) {
        this.advertisedPort = advertisedPort;
    }

    public String getTransports() {
        return transports;
    }

    public void setTransports(String transports) {
        this.transports = transports;
    }

    public Boolean getBridgeErrorHandler() {
        return bridgeErrorHandler;
    }

    public void setBridgeErrorHandler(Boolean bridgeErrorHandler) {
        this.bridgeErrorHandler = bridgeErrorHandler;
    }

    public Boolean getSendRinging() {
        return sendRinging;
    }

    public void setSendRinging(Boolean sendRinging) {
        this.sendRinging = sendRinging;
    }

    public String getOutboundProxy() {
        return outboundProxy;
    }

    public void setOutboundProxy(String outboundProxy) {
        this.outboundProxy = outboundProxy;
    }

    public Long getAnswerTimeout() {
        return answerTimeout;
    }

    public void setAnswerTimeout(Long answerTimeout) {
        this.answerTimeout = answerTimeout;
    }

    public String getFrom() {
        return from;
    }

    public void setFrom(String from) {
        this.from = from;
    }

    public Boolean getLazyStartProducer() {
        return lazyStartProducer;
    }

    public void setLazyStartProducer(Boolean lazyStartProducer) {
        this.lazyStartProducer = lazyStartProducer;
    }

    public String getTo() {
        return to;
    }

    public void setTo(String to) {
        this.to = to;
    }

    public Boolean getAutowiredEnabled() {
        return autowiredEnabled;
    }

    public void setAutowiredEnabled(Boolean autowiredEnabled) {
        this.autowiredEnabled = autowiredEnabled;
    }

    public Boolean getDefaultRoutes() {
        return defaultRoutes;
    }

    public void setDefaultRoutes(Boolean defaultRoutes) {
        this.defaultRoutes = defaultRoutes;
    }

    public Integer getMaxMessageSize() {
        return maxMessageSize;
    }

    public void setMaxMessageSize(Integer maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    public Integer getSipThreadPoolSize() {
        return sipThreadPoolSize;
    }

    public void setSipThreadPoolSize(Integer sipThreadPoolSize) {
        this.sipThreadPoolSize = sipThreadPoolSize;
    }

    public Integer getTimerPoolSize() {
        return timerPoolSize;
    }

    public void setTimerPoolSize(Integer timerPoolSize) {
        this.timerPoolSize = timerPoolSize;
    }

    public Integer getTransactionT1() {
        return transactionT1;
    }

    public void setTransactionT1(Integer transactionT1) {
        this.transactionT1 = transactionT1;
    }

    public Integer getUdpReceiveBufferSize() {
        return udpReceiveBufferSize;
    }

    public void setUdpReceiveBufferSize(Integer udpReceiveBufferSize) {
        this.udpReceiveBufferSize = udpReceiveBufferSize;
    }

    public Boolean getHealthCheckConsumerEnabled() {
        return healthCheckConsumerEnabled;
    }

    public void setHealthCheckConsumerEnabled(Boolean healthCheckConsumerEnabled) {
        this.healthCheckConsumerEnabled = healthCheckConsumerEnabled;
    }

    public Boolean getHealthCheckProducerEnabled() {
        return healthCheckProducerEnabled;
    }

    public void setHealthCheckProducerEnabled(Boolean healthCheckProducerEnabled) {
        this.healthCheckProducerEnabled = healthCheckProducerEnabled;
    }

    public Long getMaxSessionExpires() {
        return maxSessionExpires;
    }

    public void setMaxSessionExpires(Long maxSessionExpires) {
        this.maxSessionExpires = maxSessionExpires;
    }

    public Long getMinSe() {
        return minSe;
    }

    public void setMinSe(Long minSe) {
        this.minSe = minSe;
    }

    public String getMode() {
        return mode;
    }

    public void setMode(String mode) {
        this.mode = mode;
    }

    public String getRefresher() {
        return refresher;
    }

    public void setRefresher(String refresher) {
        this.refresher = refresher;
    }

    public String getRefreshMethod() {
        return refreshMethod;
    }

    public void setRefreshMethod(String refreshMethod) {
        this.refreshMethod = refreshMethod;
    }

    public String getRequestRefresher() {
        return requestRefresher;
    }

    public void setRequestRefresher(String requestRefresher) {
        this.requestRefresher = requestRefresher;
    }

    public Long getSessionExpires() {
        return sessionExpires;
    }

    public void setSessionExpires(Long sessionExpires) {
        this.sessionExpires = sessionExpires;
    }

    public Long getLabFloor() {
        return labFloor;
    }

    public void setLabFloor(Long labFloor) {
        this.labFloor = labFloor;
    }

    public SessionStore getSessionStore() {
        return sessionStore;
    }

    public void setSessionStore(SessionStore sessionStore) {
        this.sessionStore = sessionStore;
    }

    public Boolean getClustered() {
        return clustered;
    }

    public void setClustered(Boolean clustered) {
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

    public Integer getClusterBindPort() {
        return clusterBindPort;
    }

    public void setClusterBindPort(Integer clusterBindPort) {
        this.clusterBindPort = clusterBindPort;
    }

    public String getClusterMembers() {
        return clusterMembers;
    }

    public void setClusterMembers(String clusterMembers) {
        this.clusterMembers = clusterMembers;
    }

    public Long getClusterFailureDetectionTimeout() {
        return clusterFailureDetectionTimeout;
    }

    public void setClusterFailureDetectionTimeout(Long clusterFailureDetectionTimeout) {
        this.clusterFailureDetectionTimeout = clusterFailureDetectionTimeout;
    }

    public Long getClusterStoreTimeout() {
        return clusterStoreTimeout;
    }

    public void setClusterStoreTimeout(Long clusterStoreTimeout) {
        this.clusterStoreTimeout = clusterStoreTimeout;
    }

    public String getClusterConfigFile() {
        return clusterConfigFile;
    }

    public void setClusterConfigFile(String clusterConfigFile) {
        this.clusterConfigFile = clusterConfigFile;
    }

    public Integer getMaxSessions() {
        return maxSessions;
    }

    public void setMaxSessions(Integer maxSessions) {
        this.maxSessions = maxSessions;
    }

    public Integer getMaxSessionsRetryAfter() {
        return maxSessionsRetryAfter;
    }

    public void setMaxSessionsRetryAfter(Integer maxSessionsRetryAfter) {
        this.maxSessionsRetryAfter = maxSessionsRetryAfter;
    }

    public Integer getMaxCallsPerSecond() {
        return maxCallsPerSecond;
    }

    public void setMaxCallsPerSecond(Integer maxCallsPerSecond) {
        this.maxCallsPerSecond = maxCallsPerSecond;
    }

    public Integer getMaxCallsPerSecondPerSource() {
        return maxCallsPerSecondPerSource;
    }

    public void setMaxCallsPerSecondPerSource(Integer maxCallsPerSecondPerSource) {
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

    public Long getMaxSessionDuration() {
        return maxSessionDuration;
    }

    public void setMaxSessionDuration(Long maxSessionDuration) {
        this.maxSessionDuration = maxSessionDuration;
    }
}
