package org.sessiontimer.camel.sip;

import java.text.ParseException;

import javax.sip.PeerUnavailableException;
import javax.sip.SipFactory;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;

/**
 * The outbound proxy of the calls we place (RFC 3261 §8.1.2): a SIP URI that becomes the preloaded {@code Route} of
 * the initial INVITE, so JAIN-SIP's router sends it there and the Request-URI stays the callee. Always a loose router
 * (§16.12): {@code lr} is added when the URI lacks it, since a proxy taken for a strict router would see its own URI
 * in the Request-URI. Requests later in the dialog follow the dialog's route set (the 2xx's Record-Route), not this.
 */
public final class OutboundProxy {

    private OutboundProxy() {
    }

    /**
     * The Route address for {@code uri}, e.g. {@code sip:127.0.0.1:5060;lr}; fails naming the option when it is not a
     * sip: or sips: URI.
     */
    public static Address parse(String uri) {
        try {
            AddressFactory addresses = SipFactory.getInstance().createAddressFactory();
            Address address = addresses.createAddress(uri.trim());
            if (!(address.getURI() instanceof SipURI sip)) {
                throw new IllegalArgumentException("outboundProxy must be a sip: or sips: URI, was '" + uri + "'");
            }
            if (!sip.hasLrParam()) {
                sip.setLrParam();
            }
            return address;
        } catch (ParseException e) {
            throw new IllegalArgumentException("outboundProxy is not a SIP URI (e.g. sip:proxy.example.com;lr): '" + uri
                                               + "' (" + e.getMessage() + ")", e);
        } catch (PeerUnavailableException e) {
            throw new IllegalStateException("JAIN-SIP factories unavailable", e);
        }
    }
}
