package org.sessiontimer.camel.sip;

import java.util.Properties;

import gov.nist.core.StackLogger;
import org.sessiontimer.camel.limits.ThrottledLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Routes JAIN-SIP's internal logging to SLF4J.
 * <p>
 * The RI's default logger is built on log4j 1.x and the stack does not start without it on the class path
 * ({@code NoClassDefFoundError: org/apache/log4j/Layout}). Naming this class in the stack property
 * {@code gov.nist.javax.sip.STACK_LOGGER} keeps log4j out entirely. The logger name is {@code gov.nist.javax.sip}
 * so users tune it like any other library. JAIN-SIP's INFO level reports every message it handles, so it is
 * logged at DEBUG here. Its warnings and errors go through {@link JainSipLogTriage}: network events (a peer that
 * closed its connection, a keep-alive on a closing one) and parse failures that {@link UnparsableMessages} reported
 * already are DEBUG; a datagram the stack failed on gets one short WARN instead of its receive buffer as decimal
 * bytes; the rest keeps its level, cut to {@link #MAX_LINE} characters and a few lines a second, with the whole text
 * and any stack trace at DEBUG.
 */
public class Slf4jStackLogger implements StackLogger {

    private static final Logger LOG = LoggerFactory.getLogger("gov.nist.javax.sip");
    static final int MAX_LINE = 300;
    /** The stack's warnings and errors name no source: they share two allowances, one for failed datagrams. */
    private static final ThrottledLog BOUNDED = new ThrottledLog(LOG);
    private static final String STACK = "the SIP stack";
    private static final String DATAGRAMS = "datagrams the SIP stack failed on";

    @Override
    public void logStackTrace() {
        logStackTrace(TRACE_DEBUG);
    }

    @Override
    public void logStackTrace(int traceLevel) {
        // JAIN-SIP asks for a stack trace on many routine paths; worth printing only when tracing
        if (LOG.isTraceEnabled()) {
            LOG.trace("Stack trace", new Throwable("stack trace requested by JAIN-SIP"));
        }
    }

    @Override
    public int getLineCount() {
        return 0;
    }

    @Override
    public void logException(Throwable ex) {
        // JAIN-SIP reports exceptions it has already handled (a peer closing a TCP connection, say)
        LOG.debug("JAIN-SIP exception", ex);
    }

    @Override
    public void logDebug(String message) {
        LOG.debug(message);
    }

    @Override
    public void logDebug(String message, Exception ex) {
        LOG.debug(message, ex);
    }

    @Override
    public void logTrace(String message) {
        LOG.trace(message);
    }

    @Override
    public void logFatalError(String message) {
        report(Level.ERROR, message, null);
    }

    @Override
    public void logError(String message) {
        report(Level.ERROR, message, null);
    }

    @Override
    public boolean isLoggingEnabled() {
        return LOG.isDebugEnabled();
    }

    @Override
    public boolean isLoggingEnabled(int logLevel) {
        // JAIN-SIP guards expensive message formatting with these checks; answer them truthfully so a
        // quiet logger costs nothing on the hot path.
        if (logLevel >= TRACE_TRACE) {
            return LOG.isTraceEnabled();
        } else if (logLevel >= TRACE_DEBUG) {
            return LOG.isDebugEnabled();
        } else if (logLevel >= TRACE_INFO) {
            // TRACE_MESSAGES is TRACE_INFO: the stack asks it before it hands a message to the server logger,
            // which logs on its own logger; without this, that logger alone would never see a message
            return LOG.isDebugEnabled() || Slf4jServerLogger.isMessageLoggingEnabled();
        } else if (logLevel >= TRACE_WARN) {
            return LOG.isWarnEnabled();
        }
        return logLevel > TRACE_NONE && LOG.isErrorEnabled();
    }

    @Override
    public void logError(String message, Exception ex) {
        report(Level.ERROR, message, ex);
    }

    @Override
    public void logWarning(String message) {
        report(Level.WARN, message, null);
    }

    private static void report(Level level, String message, Throwable problem) {
        switch (JainSipLogTriage.of(message, problem)) {
            case ROUTINE -> LOG.debug(message, problem);
            case UNPROCESSED_DATAGRAM -> {
                byte[] start = JainSipLogTriage.datagramStart(message, UnparsableMessages.EXCERPT_BYTES);
                BOUNDED.warn(DATAGRAMS, "Dropped a UDP datagram the SIP stack failed on ({}): {}",
                        WireText.of(String.valueOf(problem), UnparsableMessages.REASON_CHARS),
                        WireText.excerpt(start, start.length, start.length, UnparsableMessages.EXCERPT_CHARS));
                if (LOG.isDebugEnabled()) {
                    LOG.debug(message, problem);
                }
            }
            default -> {
                if (!LOG.isEnabledForLevel(level)) {
                    return;
                }
                String line = WireText.of(message, MAX_LINE);
                if (problem == null) {
                    BOUNDED.log(level, STACK, "{}", line);
                } else {
                    BOUNDED.log(level, STACK, "{}: {}", line, WireText.of(problem.toString(), MAX_LINE));
                }
                if (LOG.isDebugEnabled() && (problem != null || line.length() < message.length())) {
                    LOG.debug(message, problem);
                }
            }
        }
    }

    @Override
    public void logInfo(String message) {
        LOG.debug(message);
    }

    @Override
    public void disableLogging() {
        // levels belong to the SLF4J backend's configuration
    }

    @Override
    public void enableLogging() {
        // levels belong to the SLF4J backend's configuration
    }

    @Override
    public void setBuildTimeStamp(String buildTimeStamp) {
        LOG.debug("JAIN-SIP build {}", buildTimeStamp);
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
        // nothing to read: configuration belongs to the SLF4J backend
    }

    @Override
    public String getLoggerName() {
        return LOG.getName();
    }
}
