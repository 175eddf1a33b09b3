package org.sessiontimer.camel.sip;

import java.net.InetAddress;
import java.text.ParseException;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import javax.sip.header.AllowHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.OptionTag;
import javax.sip.header.RetryAfterHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;

import gov.nist.javax.sip.message.SIPMessage;
import org.sessiontimer.camel.core.SipHeader;

/**
 * Small conversions between JAIN-SIP messages and the RFC 4028 core's values.
 */
final class SipMessages {

    /** Methods we handle; listed in Allow of our INVITEs, 2xx answers and OPTIONS answers. */
    static final List<String> ALLOWED_METHODS = List.of("INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "UPDATE");
    static final String TIMER = "timer";
    /** Methods of RFC 3261 and its extensions that we know but do not take: 405 for them, 501 for the unknown. */
    private static final List<String> KNOWN_METHODS = List.of("REGISTER", "PRACK", "SUBSCRIBE", "NOTIFY", "PUBLISH",
            "INFO", "REFER", "MESSAGE");

    private SipMessages() {
    }

    /**
     * Adds the core's headers to a message. Session-Expires and Min-SE replace any earlier value (a retry after 422
     * must not carry two); option tags in Supported/Require are merged and never duplicated (H4).
     */
    static void addHeaders(HeaderFactory factory, Message message, List<SipHeader> headers) throws ParseException {
        for (SipHeader header : headers) {
            String name = header.name();
            if (name.equalsIgnoreCase("Supported") || name.equalsIgnoreCase("Require")) {
                addOptionTag(factory, message, name, header.value());
            } else {
                message.removeHeader(name);
                message.addHeader(factory.createHeader(name, header.value()));
            }
        }
    }

    /** Adds {@code Supported: timer} unless a Supported header already lists it (H4). */
    static void addSupportedTimer(HeaderFactory factory, Message message) throws ParseException {
        addOptionTag(factory, message, "Supported", TIMER);
    }

    private static void addOptionTag(HeaderFactory factory, Message message, String name, String tag)
            throws ParseException {
        if (!hasOptionTag(message, name, tag)) {
            message.addHeader(name.equalsIgnoreCase("Require")
                    ? factory.createRequireHeader(tag) : factory.createSupportedHeader(tag));
        }
    }

    /** True when a Supported (or Require) header of the message lists the option tag. */
    static boolean hasOptionTag(Message message, String headerName, String tag) {
        ListIterator<?> headers = message.getHeaders(headerName);
        while (headers.hasNext()) {
            Object header = headers.next();
            if (header instanceof OptionTag && tag.equalsIgnoreCase(((OptionTag) header).getOptionTag())) {
                return true;
            }
        }
        return false;
    }

    /** True when the message's Allow headers list the method. */
    static boolean allows(Message message, String method) {
        ListIterator<?> headers = message.getHeaders(AllowHeader.NAME);
        while (headers.hasNext()) {
            Object header = headers.next();
            if (header instanceof AllowHeader && method.equalsIgnoreCase(((AllowHeader) header).getMethod())) {
                return true;
            }
        }
        return false;
    }

    static void addAllow(HeaderFactory factory, Message message) throws ParseException {
        for (String method : ALLOWED_METHODS) {
            message.addHeader(factory.createAllowHeader(method));
        }
    }

    static void setSdpBody(HeaderFactory factory, Message message, byte[] sdp) throws ParseException {
        if (sdp != null && sdp.length > 0) {
            ContentTypeHeader contentType = factory.createContentTypeHeader("application", "sdp");
            message.setContent(sdp, contentType);
        }
    }

    static void setSdpBody(HeaderFactory factory, Message message, String sdp) throws ParseException {
        if (sdp != null && !sdp.isEmpty()) {
            message.setContent(sdp, factory.createContentTypeHeader("application", "sdp"));
        }
    }

    static byte[] body(Message message) {
        byte[] raw = message.getRawContent();
        return raw == null ? new byte[0] : raw;
    }

    static long retryAfterSeconds(Message message) {
        RetryAfterHeader retryAfter = (RetryAfterHeader) message.getHeader(RetryAfterHeader.NAME);
        return retryAfter == null ? -1 : retryAfter.getRetryAfter();
    }

    static String transportParam(javax.sip.address.URI uri) {
        if (uri instanceof javax.sip.address.SipURI) {
            String transport = ((javax.sip.address.SipURI) uri).getTransportParam();
            return transport == null ? null : transport.toLowerCase(Locale.ROOT);
        }
        return null;
    }

    /** True for a sips: URI. */
    static boolean isSips(javax.sip.address.URI uri) {
        return uri instanceof javax.sip.address.SipURI sip && sip.isSecure();
    }

    /**
     * Whether our Contact in the answers of a dialog set up by this request must be sips: (RFC 3261 §12.1.1): its
     * Request-URI, or its top Record-Route, is a sips: URI.
     */
    static boolean wantsSipsContact(Request request) {
        if (isSips(request.getRequestURI())) {
            return true;
        }
        javax.sip.header.RecordRouteHeader top = (javax.sip.header.RecordRouteHeader) request.getHeader(
                javax.sip.header.RecordRouteHeader.NAME);
        return top != null && isSips(top.getAddress().getURI());
    }

    /** The transport a request came over, from its top Via; udp when there is none. */
    static String transportOf(Request request) {
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        return via == null ? "udp" : via.getTransport().toLowerCase(Locale.ROOT);
    }

    /**
     * The answer to a request of a method we do not take (RFC 3261 §8.2.1, §21.5.2): 405 with Allow for a method we
     * know, 501 for one we do not.
     */
    static int notTakenStatus(String method) {
        return KNOWN_METHODS.contains(method) ? Response.METHOD_NOT_ALLOWED : Response.NOT_IMPLEMENTED;
    }

    /** The address a received message came from: the datagram's or the connection's, whatever its Via says. */
    static InetAddress sourceOf(Message message) {
        return message instanceof SIPMessage received ? received.getRemoteAddress() : null;
    }

    static String callIdOf(Request request) {
        CallIdHeader callId = (CallIdHeader) request.getHeader(CallIdHeader.NAME);
        return callId == null ? null : callId.getCallId();
    }

    /** A new From or To tag (RFC 3261 §19.3: at least 32 bits of randomness). */
    static String newTag() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }
}
