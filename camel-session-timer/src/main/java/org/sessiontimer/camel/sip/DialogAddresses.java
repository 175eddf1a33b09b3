package org.sessiontimer.camel.sip;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ListIterator;

import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.sessiontimer.camel.store.CallRecord.DialogAddress;

/** The addressing of a dialog as RFC 3261 §12.1 sets it up, read from the messages that confirmed it. */
final class DialogAddresses {

    private DialogAddresses() {
    }

    /** A call we answered (§12.1.1): the route set is the INVITE's Record-Route in order, the target its Contact. */
    static DialogAddress ofIncoming(Request invite, String localTag) {
        FromHeader from = (FromHeader) invite.getHeader(FromHeader.NAME);
        ToHeader to = (ToHeader) invite.getHeader(ToHeader.NAME);
        return new DialogAddress(to.getAddress().toString(), localTag, from.getAddress().toString(), from.getTag(),
                contactOf(invite, from.getAddress().getURI().toString()), recordRoutes(invite),
                SipMessages.transportOf(invite));
    }

    /** A call we placed (§12.1.2): the route set is the 2xx's Record-Route reversed, the target its Contact. */
    static DialogAddress ofOutgoing(Request invite, Response ok) {
        FromHeader from = (FromHeader) invite.getHeader(FromHeader.NAME);
        ToHeader to = (ToHeader) ok.getHeader(ToHeader.NAME);
        List<String> routes = recordRoutes(ok);
        Collections.reverse(routes);
        return new DialogAddress(from.getAddress().toString(), from.getTag(), to.getAddress().toString(), to.getTag(),
                contactOf(ok, invite.getRequestURI().toString()), routes, SipMessages.transportOf(invite));
    }

    /** The Contact URI of a target refresh request or its answer, null when it carries none. */
    static String contactOf(Message message, String otherwise) {
        ContactHeader contact = (ContactHeader) message.getHeader(ContactHeader.NAME);
        return contact == null || contact.getAddress() == null ? otherwise : contact.getAddress().getURI().toString();
    }

    private static List<String> recordRoutes(Message message) {
        List<String> routes = new ArrayList<>();
        ListIterator<?> headers = message.getHeaders(RecordRouteHeader.NAME);
        while (headers.hasNext()) {
            routes.add(((RecordRouteHeader) headers.next()).getAddress().toString());
        }
        return routes;
    }
}
