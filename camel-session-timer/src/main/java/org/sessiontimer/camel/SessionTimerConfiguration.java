package org.sessiontimer.camel;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SSLContext;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.sessiontimer.camel.auth.DigestCredentials;
import org.sessiontimer.camel.core.RefreshMethod;
import org.sessiontimer.camel.core.Refresher;
import org.sessiontimer.camel.core.SessionTimerConfig;
import org.sessiontimer.camel.core.SessionTimerMode;
import org.sessiontimer.camel.register.RegistrationSettings;
import org.sessiontimer.camel.sip.SipAgentSettings;

/**
 * Options shared by the component (defaults) and its endpoints (overrides): where the SIP agent listens and how
 * RFC 4028 session timers are negotiated.
 */
@UriParams
public class SessionTimerConfiguration implements Cloneable {

    @UriParam(label = "common", defaultValue = "127.0.0.1")
    private String host = "127.0.0.1";
    @UriParam(label = "common", defaultValue = "5060")
    private int port = 5060;
    @UriParam(label = "common", defaultValue = "udp,tcp")
    private String transports = "udp,tcp";
    @UriParam(label = "security")
    private int tlsPort;
    @UriParam(label = "security")
    private SSLContextParameters sslContextParameters;
    @UriParam(label = "common")
    private String advertisedHost;
    @UriParam(label = "common")
    private int advertisedPort;
    @UriParam(label = "security")
    private int advertisedTlsPort;

    @UriParam(label = "timer", defaultValue = "optional", enums = "off,optional,required,always")
    private String mode = "optional";
    @UriParam(label = "timer", defaultValue = "1800")
    private long sessionExpires = 1800;
    @UriParam(label = "timer", defaultValue = "90")
    private long minSe = 90;
    @UriParam(label = "timer", defaultValue = "7200")
    private long maxSessionExpires = 7200;
    @UriParam(label = "timer", defaultValue = "uac", enums = "uac,uas")
    private String refresher = "uac";
    @UriParam(label = "timer", enums = "uac,uas")
    private String requestRefresher;
    @UriParam(label = "timer", defaultValue = "invite", enums = "invite,update,auto")
    private String refreshMethod = "invite";
    @UriParam(label = "timer,advanced", defaultValue = "90")
    private long labFloor = 90;

    @UriParam(label = "consumer", defaultValue = "false")
    private boolean sendRinging;
    @UriParam(label = "producer")
    private String to;
    @UriParam(label = "producer")
    private String from;
    @UriParam(label = "producer")
    private String outboundProxy;
    @UriParam(label = "common", defaultValue = "60000")
    private long answerTimeout = 60000;
    @UriParam(label = "security")
    private String authUsername;
    @UriParam(label = "security", secret = true)
    private String authPassword;
    @UriParam(label = "security")
    private String authRealm;
    @UriParam(label = "consumer")
    private String registrar;
    @UriParam(label = "consumer", defaultValue = "3600")
    private int registerExpires = 3600;
    @UriParam(label = "consumer")
    private String registerAddressOfRecord;
    @UriParam(label = "common", defaultValue = "true")
    private boolean byeOnShutdown = true;
    @UriParam(label = "advanced", defaultValue = "500")
    private int transactionT1 = 500;
    @UriParam(label = "advanced", defaultValue = "8")
    private int sipThreadPoolSize = 8;
    @UriParam(label = "advanced", defaultValue = "16384")
    private int maxMessageSize = 16384;
    @UriParam(label = "advanced", defaultValue = "4194304")
    private int udpReceiveBufferSize = 4194304;

    public String getHost() {
        return host;
    }

    /**
     * The address the SIP agent binds and, unless advertisedHost is set, puts in Via and Contact. Endpoints with the
     * same host and port share one agent.
     */
    public void setHost(String host) {
        this.host = host;
    }

    public int getPort() {
        return port;
    }

    /** The SIP port, for every transport. */
    public void setPort(int port) {
        this.port = port;
    }

    public String getTransports() {
        return transports;
    }

    /**
     * Comma-separated transports to listen on: udp, tcp, tls (SIP over TLS, on tlsPort, configured by
     * sslContextParameters). Outgoing calls use tls for a sips: target, else the target URI's transport parameter, else
     * the first.
     */
    public void setTransports(String transports) {
        this.transports = transports;
    }

    public int getTlsPort() {
        return tlsPort;
    }

    /**
     * The port of the tls transport. Default: port + 1, which is 5061 (the RFC 3261 default for SIP over TLS) for the
     * default port, and keeps agents on different ports apart.
     */
    public void setTlsPort(int tlsPort) {
        this.tlsPort = tlsPort;
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    /**
     * Camel's TLS configuration of the tls transport: key store (our certificate, for calls we take), trust store (the
     * peers we trust), protocols, cipher suites and client authentication (none by default: SIP clients rarely have a
     * certificate). Required for tls unless the component uses Camel's global SSL context parameters.
     */
    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }

    public int getAdvertisedTlsPort() {
        return advertisedTlsPort;
    }

    /**
     * The port peers reach the tls transport at, when it is not tlsPort (NAT). Default: advertisedPort plus the
     * distance from port to tlsPort, which is tlsPort itself when nothing is advertised.
     */
    public void setAdvertisedTlsPort(int advertisedTlsPort) {
        this.advertisedTlsPort = advertisedTlsPort;
    }

    public String getAdvertisedHost() {
        return advertisedHost;
    }

    /**
     * The address peers reach this agent at, when it is not the host it binds (behind NAT, or bound to 0.0.0.0): put
     * in the sent-by of our Via headers and in our Contact, nowhere else (the SDP is the route's). A host name or IPv4
     * address; default: host.
     */
    public void setAdvertisedHost(String advertisedHost) {
        this.advertisedHost = advertisedHost;
    }

    public int getAdvertisedPort() {
        return advertisedPort;
    }

    /** The port peers reach this agent at over udp and tcp, when it is not the port it binds (NAT); default: port. */
    public void setAdvertisedPort(int advertisedPort) {
        this.advertisedPort = advertisedPort;
    }

    public String getMode() {
        return mode;
    }

    /**
     * Session timer policy (like Asterisk's timers=): off never uses timers; optional uses them when the peer does;
     * required rejects peers without timer support (421) and ends calls answered without Session-Expires; always runs
     * a timer even when the peer has no support (we refresh).
     */
    public void setMode(String mode) {
        this.mode = mode;
    }

    public long getSessionExpires() {
        return sessionExpires;
    }

    /** The session interval in seconds that we ask for in an INVITE and offer when the peer names none (RFC 4028 section 4). */
    public void setSessionExpires(long sessionExpires) {
        this.sessionExpires = sessionExpires;
    }

    public long getMinSe() {
        return minSe;
    }

    /** The smallest session interval in seconds that we accept; smaller requests get 422 (RFC 4028 section 5). Never below 90 unless labFloor is lowered. */
    public void setMinSe(long minSe) {
        this.minSe = minSe;
    }

    public long getMaxSessionExpires() {
        return maxSessionExpires;
    }

    /** The largest session interval in seconds that we accept as UAS; larger requests are lowered to it (never below their Min-SE). */
    public void setMaxSessionExpires(long maxSessionExpires) {
        this.maxSessionExpires = maxSessionExpires;
    }

    public String getRefresher() {
        return refresher;
    }

    /** Who refreshes when the peer leaves it to us as UAS (RFC 4028 section 9, Table 2): uac (the caller) or uas (us). */
    public void setRefresher(String refresher) {
        this.refresher = refresher;
    }

    public String getRequestRefresher() {
        return requestRefresher;
    }

    /** The refresher parameter to put in our INVITE's Session-Expires. Unset (the default) leaves the choice to the UAS, as RFC 4028 section 7.1 recommends. */
    public void setRequestRefresher(String requestRefresher) {
        this.requestRefresher = requestRefresher;
    }

    public String getRefreshMethod() {
        return refreshMethod;
    }

    /** How we refresh: invite (re-INVITE with the unchanged SDP), update (UPDATE without body when the peer allows UPDATE, else re-INVITE) or auto (same as update). */
    public void setRefreshMethod(String refreshMethod) {
        this.refreshMethod = refreshMethod;
    }

    public long getLabFloor() {
        return labFloor;
    }

    /**
     * For tests and labs only: lowers the RFC floor of 90 seconds for minSe and sessionExpires, so refreshes and
     * expiries happen in seconds. A WARN is logged at start-up whenever it is below 90.
     */
    public void setLabFloor(long labFloor) {
        this.labFloor = labFloor;
    }

    public boolean isSendRinging() {
        return sendRinging;
    }

    /** Send 180 Ringing for an incoming INVITE before the route decides (useful when the route takes time to answer). */
    public void setSendRinging(boolean sendRinging) {
        this.sendRinging = sendRinging;
    }

    public String getTo() {
        return to;
    }

    /** The SIP URI to call, e.g. sip:127.0.0.1:5070 or one with a user part (the CamelSessionTimerTo header overrides it). */
    public void setTo(String to) {
        this.to = to;
    }

    public String getFrom() {
        return from;
    }

    /** The From address of our calls; defaults to the user camel at this agent's host and port. */
    public void setFrom(String from) {
        this.from = from;
    }

    public String getOutboundProxy() {
        return outboundProxy;
    }

    /**
     * The proxy our calls go through, a SIP URI such as sip:proxy.example.com;lr: the initial INVITE carries it as a
     * preloaded Route and is sent there, the Request-URI staying the callee (RFC 3261 section 8.1.2); lr is added when
     * missing (a loose router). Later requests in the dialog follow its route set, which the proxy joins by
     * Record-Route.
     */
    public void setOutboundProxy(String outboundProxy) {
        this.outboundProxy = outboundProxy;
    }

    public long getAnswerTimeout() {
        return answerTimeout;
    }

    /**
     * Milliseconds a call may ring before it is given up: an outgoing call is CANCELled and its exchange fails with
     * 408; an incoming call whose answering route has not decided by then is answered 480. 0 means no limit. A
     * mid-call offer waits for the answering route this long too, but at most 32*T1 (16 s), and is answered 500 then.
     */
    public void setAnswerTimeout(long answerTimeout) {
        this.answerTimeout = answerTimeout;
    }

    public String getAuthUsername() {
        return authUsername;
    }

    /**
     * The user name we answer digest challenges with (401/407 to our INVITE, refreshes and BYE; MD5, qop=auth). Unset:
     * a challenge fails the request. The headers CamelSessionTimerAuthUsername and CamelSessionTimerAuthPassword
     * override it for one call. Calls we answer, and calls taken over from another node, use the credentials of the
     * endpoint that created or answers on their SIP agent.
     */
    public void setAuthUsername(String authUsername) {
        this.authUsername = authUsername;
    }

    public String getAuthPassword() {
        return authPassword;
    }

    /** The password of authUsername. */
    public void setAuthPassword(String authPassword) {
        this.authPassword = authPassword;
    }

    public String getAuthRealm() {
        return authRealm;
    }

    /**
     * The only realm whose challenges are answered with authUsername and authPassword; a challenge of another realm
     * fails the request, naming both. Unset: any realm (the credentials go to whoever challenges).
     */
    public void setAuthRealm(String authRealm) {
        this.authRealm = authRealm;
    }

    public String getRegistrar() {
        return registrar;
    }

    /**
     * A registrar to register our Contact with while the consumer runs, a SIP URI such as sip:registrar.example.com
     * (RFC 3261 section 10): for trunks that send calls to a registered address. The binding is refreshed before it
     * lapses, registered again after a failure (back-off from 5 s, doubling to 5 min), removed when the consumer
     * stops, and challenges are answered with authUsername and authPassword. Unset: no registration.
     */
    public void setRegistrar(String registrar) {
        this.registrar = registrar;
    }

    public int getRegisterExpires() {
        return registerExpires;
    }

    /** The lifetime of the registration we ask for, seconds; the registrar may grant less (or ask for more, 423). */
    public void setRegisterExpires(int registerExpires) {
        this.registerExpires = registerExpires;
    }

    public String getRegisterAddressOfRecord() {
        return registerAddressOfRecord;
    }

    /**
     * The address-of-record we register (From and To of the REGISTER), e.g. sip:1001@trunk.example.com. Default:
     * authUsername (or camel) at the registrar's host.
     */
    public void setRegisterAddressOfRecord(String registerAddressOfRecord) {
        this.registerAddressOfRecord = registerAddressOfRecord;
    }

    /** What the consumer registers, or null without a registrar. */
    public RegistrationSettings toRegistrationSettings() {
        if (registrar == null || registrar.isBlank()) {
            return null;
        }
        String aor = registerAddressOfRecord;
        if (aor == null || aor.isBlank()) {
            String host = registrar.replaceFirst("^sips?:", "").replaceFirst("^[^@]*@", "").split("[;:>]")[0];
            aor = "sip:" + (authUsername != null && !authUsername.isBlank() ? authUsername : "camel") + "@" + host;
        }
        return new RegistrationSettings(registrar, aor, registerExpires, toCredentials());
    }

    /** The credentials of authUsername, authPassword and authRealm; null without a user name. */
    public DigestCredentials toCredentials() {
        return DigestCredentials.of(authUsername, authPassword, authRealm);
    }

    public boolean isByeOnShutdown() {
        return byeOnShutdown;
    }

    /** End active calls with BYE when the component stops; the stop waits up to 2 s for the BYEs to be answered. */
    public void setByeOnShutdown(boolean byeOnShutdown) {
        this.byeOnShutdown = byeOnShutdown;
    }

    public int getTransactionT1() {
        return transactionT1;
    }

    /**
     * RFC 3261 timer T1 in milliseconds for the requests we send and our 2xx to an INVITE; a request with no answer
     * times out after 64*T1 (32 s by default), and a 2xx without ACK by then ends the call with BYE.
     */
    public void setTransactionT1(int transactionT1) {
        this.transactionT1 = transactionT1;
    }

    public int getSipThreadPoolSize() {
        return sipThreadPoolSize;
    }

    /** Threads of the SIP stack that process incoming messages. */
    public void setSipThreadPoolSize(int sipThreadPoolSize) {
        this.sipThreadPoolSize = sipThreadPoolSize;
    }

    public int getMaxMessageSize() {
        return maxMessageSize;
    }

    /**
     * The largest SIP message accepted, in bytes (at least 4096). Every UDP datagram is read into a buffer of this
     * size, so the default keeps that buffer small; a longer message over TCP is refused.
     */
    public void setMaxMessageSize(int maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    public int getUdpReceiveBufferSize() {
        return udpReceiveBufferSize;
    }

    /**
     * The UDP socket's receive buffer in bytes. A large buffer keeps datagrams that arrive during a pause of the JVM
     * instead of dropping them; the kernel caps it at net.core.rmem_max.
     */
    public void setUdpReceiveBufferSize(int udpReceiveBufferSize) {
        this.udpReceiveBufferSize = udpReceiveBufferSize;
    }

    /** The RFC 4028 settings, validated: an invalid combination fails with a message naming the option and the rule. */
    public SessionTimerConfig toTimerConfig() {
        try {
            return SessionTimerConfig.builder()
                    .mode(option("mode", mode, SessionTimerMode.class))
                    .sessionExpires(sessionExpires)
                    .minSe(minSe)
                    .maxSessionExpires(maxSessionExpires)
                    .refresher(Refresher.fromToken(refresher))
                    .requestRefresher(requestRefresher == null || requestRefresher.isBlank()
                            ? null : Refresher.fromToken(requestRefresher))
                    .refreshMethod(option("refreshMethod", refreshMethod, RefreshMethod.class))
                    .labFloor(labFloor)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid session-timer configuration: " + e.getMessage(), e);
        }
    }

    /** The transports option as a list, lower case. */
    public List<String> transportList() {
        return Arrays.stream(transports.split(",")).map(t -> t.trim().toLowerCase(Locale.ROOT)).toList();
    }

    /** The agent's settings without TLS; see {@link #toAgentSettings(SSLContext)}. */
    public SipAgentSettings toAgentSettings() {
        return toAgentSettings(null);
    }

    /** The agent's settings, validated; {@code sslContext} is the context of the tls transport, null without tls. */
    public SipAgentSettings toAgentSettings(SSLContext sslContext) {
        boolean behindNat = advertisedHost != null && !advertisedHost.isBlank() || advertisedPort != 0
                            || advertisedTlsPort != 0;
        SipAgentSettings.AdvertisedAddress advertised = !behindNat ? null
                : new SipAgentSettings.AdvertisedAddress(
                        advertisedHost != null && !advertisedHost.isBlank() ? advertisedHost.trim() : host,
                        advertisedPort != 0 ? advertisedPort : port, advertisedTlsPort);
        return new SipAgentSettings(host, port, tlsPort, transportList(), sipThreadPoolSize, transactionT1,
                maxMessageSize, udpReceiveBufferSize, advertised, sslContext);
    }

    private static <E extends Enum<E>> E option(String option, String value, Class<E> type) {
        for (E constant : type.getEnumConstants()) {
            if (value != null && constant.name().equalsIgnoreCase(value.trim())) {
                return constant;
            }
        }
        throw new IllegalArgumentException(option + " must be one of "
                                           + Arrays.stream(type.getEnumConstants())
                                                   .map(c -> c.name().toLowerCase(Locale.ROOT)).toList()
                                           + ", was '" + value + "'");
    }

    public SessionTimerConfiguration copy() {
        try {
            return (SessionTimerConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }
}
