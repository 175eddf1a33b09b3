package org.sessiontimer.camel.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;

import javax.sip.ClientTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import gov.nist.javax.sip.SipStackExt;
import gov.nist.javax.sip.clientauthutils.AccountManager;
import gov.nist.javax.sip.clientauthutils.AuthenticationHelper;
import gov.nist.javax.sip.clientauthutils.UserCredentials;

/**
 * Answers the digest challenges (401 with WWW-Authenticate, 407 with Proxy-Authenticate; RFC 3261 §22) to the requests
 * we send, through JAIN-SIP's {@link AuthenticationHelper}: it builds the request again with CSeq + 1, a new branch and
 * the Authorization (or Proxy-Authorization) header, on a new client transaction that the caller sends.
 *
 * <p>Each request is answered once (R13): a challenge to a request that carried our answer already means the
 * credentials were refused, and answering again would only loop. Only MD5 challenges are answered, the one algorithm
 * the helper computes; of several offered (RFC 7616 §3.7) we take the first MD5 one of our realm.
 */
public final class DigestAuthenticator {

    private static final String DIGEST = "digest";

    private final SipStackExt stack;
    private final HeaderFactory headerFactory;

    public DigestAuthenticator(SipStackExt stack, HeaderFactory headerFactory) {
        this.stack = stack;
        this.headerFactory = headerFactory;
    }

    /** Whether this response asks for credentials. */
    public static boolean isChallenge(int statusCode) {
        return statusCode == Response.UNAUTHORIZED || statusCode == Response.PROXY_AUTHENTICATION_REQUIRED;
    }

    /**
     * The challenged request again, answered with {@code credentials}, on a new client transaction that is not sent
     * yet. Throws when the challenge cannot be answered; the exception names the status, the realm and the reason.
     */
    public ClientTransaction answer(Response challenge, ClientTransaction challenged, SipProvider provider,
                                    DigestCredentials credentials) throws UnansweredChallengeException {
        int status = challenge.getStatusCode();
        String header = status == Response.UNAUTHORIZED ? WWWAuthenticateHeader.NAME : ProxyAuthenticateHeader.NAME;
        List<WWWAuthenticateHeader> offered = challenges(challenge, header);
        String firstRealm = offered.isEmpty() ? null : offered.get(0).getRealm();
        if (offered.isEmpty()) {
            throw unanswered(challenge, null, "it carries no " + header + " header");
        }
        if (credentials == null) {
            throw unanswered(challenge, firstRealm, "no credentials are configured (authUsername, authPassword)");
        }
        Request request = challenged.getRequest();
        if (request.getHeader(AuthorizationHeader.NAME) != null
            || request.getHeader(ProxyAuthorizationHeader.NAME) != null) {
            throw unanswered(challenge, firstRealm, "challenged again after we answered with the credentials of "
                                                    + credentials.username() + " (refused, or a new nonce)");
        }
        WWWAuthenticateHeader chosen = choose(offered, credentials);
        if (chosen == null) {
            throw unanswered(challenge, firstRealm, credentials.realm() != null
                    && offered.stream().noneMatch(c -> credentials.covers(c.getRealm()))
                    ? "the credentials are for realm \"" + credentials.realm() + "\" (authRealm)"
                    : "no MD5 digest challenge among " + describe(offered));
        }
        Response only = (Response) challenge.clone();
        only.removeHeader(header);
        only.addHeader(chosen);
        AuthenticationHelper helper = stack.getAuthenticationHelper(accountOf(credentials), headerFactory);
        try {
            // cache time 0: a digest covers one method and Request-URI, so nothing is kept for the dialog's next
            // request; loose routing: the request keeps its Request-URI as the route set made it
            return helper.handleChallenge(only, challenged, provider, 0, true);
        } catch (SipException | RuntimeException e) {
            throw unanswered(challenge, chosen.getRealm(), "JAIN-SIP could not answer it: " + e.getMessage());
        }
    }

    private static List<WWWAuthenticateHeader> challenges(Response response, String header) {
        List<WWWAuthenticateHeader> offered = new ArrayList<>();
        ListIterator<?> headers = response.getHeaders(header);
        while (headers != null && headers.hasNext()) {
            if (headers.next() instanceof WWWAuthenticateHeader challenge) {
                offered.add(challenge);
            }
        }
        return offered;
    }

    private static WWWAuthenticateHeader choose(List<WWWAuthenticateHeader> offered, DigestCredentials credentials) {
        for (WWWAuthenticateHeader challenge : offered) {
            String algorithm = challenge.getAlgorithm();
            if (DIGEST.equalsIgnoreCase(challenge.getScheme()) && credentials.covers(challenge.getRealm())
                && (algorithm == null || algorithm.equalsIgnoreCase("MD5"))) {
                return challenge;
            }
        }
        return null;
    }

    private static String describe(List<WWWAuthenticateHeader> offered) {
        List<String> names = new ArrayList<>();
        for (WWWAuthenticateHeader challenge : offered) {
            String algorithm = challenge.getAlgorithm();
            names.add(challenge.getScheme() + (algorithm == null ? "" : " " + algorithm.toUpperCase(Locale.ROOT)));
        }
        return names.toString();
    }

    private static UnansweredChallengeException unanswered(Response challenge, String realm, String why) {
        return new UnansweredChallengeException(challenge.getStatusCode(), challenge.getReasonPhrase(), realm, why);
    }

    /** The helper asks for credentials per realm; the challenge it sees has only the realm we chose. */
    private static AccountManager accountOf(DigestCredentials credentials) {
        return (transaction, realm) -> new UserCredentials() {
            @Override
            public String getUserName() {
                return credentials.username();
            }

            @Override
            public String getPassword() {
                return credentials.password();
            }

            @Override
            public String getSipDomain() {
                return realm;
            }
        };
    }
}
