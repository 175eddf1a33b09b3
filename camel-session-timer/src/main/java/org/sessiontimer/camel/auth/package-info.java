/**
 * Digest authentication of the requests we send (RFC 3261 §22, RFC 2617 MD5 with qop=auth; rule R13): the
 * credentials, and the answer to a 401/407 built by JAIN-SIP's client authentication helpers. The call logic asks
 * {@link org.sessiontimer.camel.auth.DigestAuthenticator} for the re-sent request and decides what a challenge it
 * cannot answer means for the call.
 */
package org.sessiontimer.camel.auth;
