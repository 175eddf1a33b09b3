package org.sessiontimer.camel.sip;

import java.util.Properties;

import gov.nist.core.StackLogger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes JAIN-SIP's internal logging to SLF4J.
 * <p>
 * The RI's default logger is built on log4j 1.x and the stack does not start without it on the class path
 * ({@code NoClassDefFoundError: org/apache/log4j/Layout}). Naming this class in the stack property
 * {@code gov.nist.javax.sip.STACK_LOGGER} keeps log4j out entirely. The logger name is {@code gov.nist.javax.sip}
 * so users tune it like any other library. JAIN-SIP's INFO level reports every message it handles, so it is
 * logged at DEBUG here; its warnings and errors keep their level.
 */
public class Slf4jStackLogger implements StackLogger {

    private static final Logger LOG = LoggerFactory.getLogger("gov.nist.javax.sip");

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
        LOG.error(message);
    }

    @Override
    public void logError(String message) {
        LOG.error(message);
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
        LOG.error(message, ex);
    }

    @Override
    public void logWarning(String message) {
        LOG.warn(message);
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
