package org.sessiontimer.camel.sip;

import java.util.Properties;

import javax.sip.SipStack;

import gov.nist.core.ServerLogger;
import gov.nist.javax.sip.message.SIPMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every SIP message the stack sends or receives, at TRACE on logger {@code org.sessiontimer.camel.sip.messages},
 * instead of JAIN-SIP's own message log file. Turn that logger to TRACE to see the wire at 3 am; left at its default
 * the check costs one level test per message.
 */
public class Slf4jServerLogger implements ServerLogger {

    private static final Logger LOG = LoggerFactory.getLogger("org.sessiontimer.camel.sip.messages");

    @Override
    public void closeLogFile() {
        // no file of our own
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, boolean sender, long time) {
        log(message, from, to, sender);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender, long time) {
        log(message, from, to, sender);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender) {
        log(message, from, to, sender);
    }

    /** Whether the message logger is at TRACE, asked by {@link Slf4jStackLogger} for the stack's message check. */
    static boolean isMessageLoggingEnabled() {
        return LOG.isTraceEnabled();
    }

    private static void log(SIPMessage message, String from, String to, boolean sender) {
        if (LOG.isTraceEnabled()) {
            LOG.trace("{} {} -> {}\n{}", sender ? "sent" : "received", from, to, message.encode());
        }
    }

    @Override
    public void logException(Exception ex) {
        LOG.warn("JAIN-SIP message log exception", ex);
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
        // nothing to read
    }

    @Override
    public void setSipStack(SipStack sipStack) {
        // not needed
    }
}
