package org.sessiontimer.camel.register;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import javax.sip.ClientTransaction;
import javax.sip.ResponseEvent;
import javax.sip.address.Address;
import javax.sip.address.URI;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.MinExpiresHeader;
import javax.sip.header.RetryAfterHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import gov.nist.javax.sip.SipStackExt;
import org.sessiontimer.camel.auth.DigestAuthenticator;
import org.sessiontimer.camel.auth.UnansweredChallengeException;
import org.sessiontimer.camel.core.TimerScheduler;
import org.sessiontimer.camel.sip.CallManager;
import org.sessiontimer.camel.sip.SendQueues;
import org.sessiontimer.camel.sip.SipAgent;
import org.sessiontimer.camel.sip.TransactionOwner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One binding of our Contact at a registrar (RFC 3261 §10.2): REGISTER at {@link #start}, again before the granted
 * lifetime ends, again after a failure with a back-off from 5 s doubling to 5 min (or the registrar's Retry-After),
 * and a REGISTER with Expires 0 at {@link #stop}. All REGISTERs of a binding share a Call-ID and a From tag, their
 * CSeq rising by one each (§10.2.4). A 401/407 is answered once with the credentials; a 423 is followed with the
 * registrar's Min-Expires.
 */
public final class Registration implements TransactionOwner {

    private static final Logger LOG = LoggerFactory.getLogger(Registration.class);
    private static final long UNREGISTER_WAIT_MILLIS = 2000;

    private final SipAgent agent;
    private final CallManager calls;
    private final TimerScheduler scheduler;
    private final RegistrationSettings settings;
    private final String callId;
    private final String fromTag = Long.toHexString(ThreadLocalRandom.current().nextLong());

    private long cseq;
    private int askedExpires;
    private int failures;
    private boolean stopped;
    private RegistrationState state = RegistrationState.REGISTERING;
    private String lastProblem;
    private TimerScheduler.Cancellable next;
    private CountDownLatch unregistered;
    private URI ourContact;

    public Registration(SipAgent agent, CallManager calls, TimerScheduler scheduler, RegistrationSettings settings) {
        this.agent = agent;
        this.calls = calls;
        this.scheduler = scheduler;
        this.settings = settings;
        this.askedExpires = settings.expiresSeconds();
        this.callId = agent.provider().getNewCallId().getCallId();
    }

    public synchronized void start() {
        send(askedExpires);
    }

    /** Removes the binding (REGISTER with Expires 0) when there is one, waiting up to 2 s for the registrar's answer. */
    public void stop() throws InterruptedException {
        CountDownLatch answered;
        synchronized (this) {
            stopped = true;
            cancelNext();
            if (state != RegistrationState.REGISTERED) {
                state = RegistrationState.UNREGISTERED;
                return;
            }
            answered = new CountDownLatch(1);
            unregistered = answered;
            send(0);
        }
        if (!answered.await(UNREGISTER_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
            LOG.warn("No answer from {} to the REGISTER that removes our binding; it lapses on its own",
                    settings.registrar());
        }
        synchronized (this) {
            state = RegistrationState.UNREGISTERED;
        }
    }

    public synchronized RegistrationState state() {
        return state;
    }

    /** Why the last REGISTER failed, or null. */
    public synchronized String lastProblem() {
        return lastProblem;
    }

    public RegistrationSettings settings() {
        return settings;
    }

    @Override
    public synchronized void onResponse(ResponseEvent event) {
        Response response = event.getResponse();
        int status = response.getStatusCode();
        if (status < 200) {
            return;
        }
        boolean removing = unregistered != null;
        if (status < 300) {
            if (removing) {
                unregistered.countDown();
                return;
            }
            int granted = grantedExpires(response);
            failures = 0;
            lastProblem = null;
            if (state != RegistrationState.REGISTERED) {
                LOG.info("Registered at {} as {} for {} s", settings.registrar(), settings.addressOfRecord(), granted);
            }
            state = RegistrationState.REGISTERED;
            schedule(RegistrationSettings.refreshDelayMillis(granted));
        } else if (DigestAuthenticator.isChallenge(status)) {
            answerChallenge(event);
        } else if (status == Response.INTERVAL_TOO_BRIEF && !removing
                   && response.getHeader(MinExpiresHeader.NAME) instanceof MinExpiresHeader min
                   && min.getExpires() > askedExpires) {
            askedExpires = min.getExpires();
            send(askedExpires);
        } else if (removing) {
            unregistered.countDown();
        } else {
            RetryAfterHeader retryAfter = (RetryAfterHeader) response.getHeader(RetryAfterHeader.NAME);
            failed(status + " " + response.getReasonPhrase(), retryAfter == null ? 0 : retryAfter.getRetryAfter());
        }
    }

    @Override
    public synchronized void onTimeout() {
        if (unregistered != null) {
            unregistered.countDown();
        } else {
            failed("no answer", 0);
        }
    }

    private void answerChallenge(ResponseEvent event) {
        try {
            ClientTransaction again = new DigestAuthenticator((SipStackExt) agent.stack(), agent.headerFactory())
                    .answer(event.getResponse(), event.getClientTransaction(), agent.provider(), settings.credentials());
            again.setApplicationData(this);
            cseq = ((CSeqHeader) again.getRequest().getHeader(CSeqHeader.NAME)).getSeqNumber(); // the helper raised it
            write(again, askedExpiresOf(again));
        } catch (UnansweredChallengeException e) {
            if (unregistered != null) {
                unregistered.countDown();
            } else {
                failed(e.getMessage(), 0);
            }
        } catch (Exception e) {
            failed("cannot send REGISTER with credentials: " + e.getMessage(), 0);
        }
    }

    private void failed(String problem, int retryAfterSeconds) {
        failures++;
        lastProblem = problem;
        state = RegistrationState.FAILED;
        int delay = retryAfterSeconds > 0 ? retryAfterSeconds : RegistrationSettings.retryDelaySeconds(failures);
        // once per failure, with what to look at: the registrar, the reason, when we try again
        LOG.warn("REGISTER at {} as {} failed ({}); trying again in {} s", settings.registrar(),
                settings.addressOfRecord(), problem, delay);
        schedule(delay * 1000L);
    }

    private void schedule(long delayMillis) {
        cancelNext();
        if (!stopped) {
            next = scheduler.schedule(() -> {
                synchronized (this) {
                    send(askedExpires);
                }
            }, delayMillis);
        }
    }

    private void cancelNext() {
        if (next != null) {
            next.cancel();
            next = null;
        }
    }

    /** Sends a REGISTER of the binding; expires 0 removes it. A failure to send counts as a failed REGISTER. */
    private void send(int expires) {
        if (stopped && expires != 0) {
            return;
        }
        try {
            HeaderFactory headers = agent.headerFactory();
            URI registrar = agent.addressFactory().createURI(settings.registrar());
            Address aor = agent.addressFactory().createAddress(settings.addressOfRecord());
            String transport = agent.transportFor(registrar);
            Request register = agent.messageFactory().createRequest(registrar, Request.REGISTER,
                    headers.createCallIdHeader(callId), headers.createCSeqHeader(++cseq, Request.REGISTER),
                    headers.createFromHeader(aor, fromTag), headers.createToHeader(aor, null),
                    List.of(calls.newVia(transport)), headers.createMaxForwardsHeader(70));
            ContactHeader contact = calls.contact(transport, "sips".equalsIgnoreCase(registrar.getScheme()));
            ourContact = contact.getAddress().getURI();
            register.addHeader(contact);
            register.addHeader(headers.createExpiresHeader(expires));
            ClientTransaction transaction = agent.provider().getNewClientTransaction(register);
            transaction.setApplicationData(this);
            // written off the timer thread and outside this lock: a TCP connect to the registrar may block
            write(transaction, expires);
        } catch (Exception e) {
            notSent(expires, e);
        }
    }

    /** Hands a REGISTER to the agent's send queues: a TCP connect to the registrar may block, and never here. */
    private void write(ClientTransaction transaction, int expires) {
        calls.sendQueues().submit(transaction.getRequest(),
                SendQueues.Send.of(transaction::sendRequest, cause -> notSent(expires, cause)));
    }

    private static int askedExpiresOf(ClientTransaction transaction) {
        ExpiresHeader expires = (ExpiresHeader) transaction.getRequest().getHeader(ExpiresHeader.NAME);
        return expires == null ? 0 : expires.getExpires();
    }

    /** A REGISTER that could not be made or written counts as a failed one; the removal at stop just gives up. */
    private synchronized void notSent(int expires, Exception cause) {
        if (expires == 0 && unregistered != null) {
            unregistered.countDown();
        } else {
            failed("cannot send REGISTER: " + cause.getMessage(), 0);
        }
    }

    /** The lifetime granted to our Contact: its expires parameter in the 2xx, else the Expires header, else ours. */
    private int grantedExpires(Response response) {
        // the registrar lists every binding of the address-of-record; ours is the one at our host and port
        for (var it = response.getHeaders(ContactHeader.NAME); it.hasNext(); ) {
            ContactHeader contact = (ContactHeader) it.next();
            if (contact.getExpires() > 0 && sameHostAndPort(contact.getAddress().getURI(), ourContact)) {
                return contact.getExpires();
            }
        }
        ExpiresHeader expires = (ExpiresHeader) response.getHeader(ExpiresHeader.NAME);
        return expires != null && expires.getExpires() > 0 ? expires.getExpires() : askedExpires;
    }

    private static boolean sameHostAndPort(URI a, URI b) {
        return a instanceof SipURI x && b instanceof SipURI y && x.getHost().equalsIgnoreCase(y.getHost())
               && x.getPort() == y.getPort();
    }
}
