package org.sessiontimer.camel.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Vector;

import javax.sdp.Attribute;
import javax.sdp.Connection;
import javax.sdp.MediaDescription;
import javax.sdp.Origin;
import javax.sdp.SdpException;
import javax.sdp.SdpFactory;
import javax.sdp.SessionDescription;

/**
 * The answer to a mid-call offer when no route decides (RFC 3264 §6.1, R15): built from the offer and our current
 * session description. The answer has the offer's m-lines, in the same number and order; a stream is accepted on our
 * port with the formats both sides have, its direction turned round (sendonly → recvonly, recvonly → sendonly,
 * inactive and sendrecv stay), and rejected with port 0 where we have nothing of that media type and transport, or no
 * format in common. Our {@code o=} keeps its session id, its version goes up by one (§8). With no stream accepted
 * there is no answer (the request gets 488).
 */
public final class SdpAnswerer {

    private static final List<String> DIRECTIONS = List.of("sendrecv", "sendonly", "recvonly", "inactive");
    private static final int FIRST_DYNAMIC_PAYLOAD_TYPE = 96;

    private SdpAnswerer() {
    }

    /** The answer, or empty when nothing of the offer can be accepted (or either description does not parse). */
    public static Optional<String> answer(String offer, String local) {
        if (offer == null || local == null) {
            return Optional.empty();
        }
        try {
            SdpFactory factory = SdpFactory.getInstance();
            SessionDescription offered = factory.createSessionDescription(offer);
            SessionDescription ours = factory.createSessionDescription(local);
            String offeredDirection = direction(sessionAttributes(offered), "sendrecv");
            Vector<MediaDescription> answered = new Vector<>();
            boolean anyAccepted = false;
            for (MediaDescription stream : media(offered)) {
                MediaDescription answer = answerStream(factory, stream, media(ours), offeredDirection);
                anyAccepted |= answer.getMedia().getMediaPort() != 0;
                answered.add(answer);
            }
            if (!anyAccepted) {
                return Optional.empty();
            }
            Origin origin = ours.getOrigin();
            origin.setSessionVersion(origin.getSessionVersion() + 1);
            removeDirections(sessionAttributes(ours)); // each answered stream names its own
            ours.setMediaDescriptions(answered);
            return Optional.of(ours.toString());
        } catch (SdpException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<MediaDescription> media(SessionDescription description) throws SdpException {
        Vector<MediaDescription> media = description.getMediaDescriptions(false);
        return media == null ? List.of() : media;
    }

    private static MediaDescription answerStream(SdpFactory factory, MediaDescription offered,
            List<MediaDescription> ours, String sessionDirection) throws SdpException {
        String type = offered.getMedia().getMediaType();
        String protocol = offered.getMedia().getProtocol();
        List<String> offeredFormats = formats(offered);
        for (MediaDescription candidate : ours) {
            if (!type.equalsIgnoreCase(candidate.getMedia().getMediaType())
                || !protocol.equalsIgnoreCase(candidate.getMedia().getProtocol())
                || candidate.getMedia().getMediaPort() == 0) {
                continue;
            }
            List<String> common = new ArrayList<>();
            for (String format : offeredFormats) {
                if (weHave(format, offered, candidate)) {
                    common.add(format);
                }
            }
            if (common.isEmpty()) {
                continue;
            }
            MediaDescription answer = factory.createMediaDescription(type, candidate.getMedia().getMediaPort(), 1,
                    protocol, common.toArray(String[]::new));
            Connection connection = candidate.getConnection();
            if (connection != null) {
                answer.setConnection(connection);
            }
            Vector<Attribute> attributes = new Vector<>();
            for (Attribute attribute : attributes(offered)) {
                if (describesKept(attribute, common)) {
                    attributes.add(attribute);
                }
            }
            attributes.add(factory.createAttribute(turnRound(direction(attributes(offered), sessionDirection)), null));
            answer.setAttributes(attributes);
            return answer;
        }
        // rejected: port 0 and the offered formats (RFC 3264 §6)
        return factory.createMediaDescription(type, 0, 1, protocol, offeredFormats.toArray(String[]::new));
    }

    /**
     * Whether our stream has the offered format: the same static RTP payload type or non-RTP format token, or for a
     * dynamic payload type the same encoding (rtpmap name and clock rate) under whatever number.
     */
    private static boolean weHave(String format, MediaDescription offered, MediaDescription ours) throws SdpException {
        List<String> ourFormats = formats(ours);
        if (!isDynamic(format)) {
            return ourFormats.stream().anyMatch(format::equalsIgnoreCase);
        }
        String encoding = rtpmap(offered, format);
        if (encoding == null) {
            return false;
        }
        for (String candidate : ourFormats) {
            if (encoding.equalsIgnoreCase(rtpmap(ours, candidate))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDynamic(String format) {
        try {
            return Integer.parseInt(format) >= FIRST_DYNAMIC_PAYLOAD_TYPE;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The encoding an rtpmap gives a payload type ("telephone-event/8000"), or null. */
    private static String rtpmap(MediaDescription stream, String format) throws SdpException {
        for (Attribute attribute : attributes(stream)) {
            String value = attribute.getValue();
            if ("rtpmap".equalsIgnoreCase(attribute.getName()) && value != null) {
                String[] parts = value.trim().split("\\s+", 2);
                if (parts.length == 2 && parts[0].equals(format)) {
                    return parts[1].trim();
                }
            }
        }
        return null;
    }

    /** rtpmap and fmtp lines of the formats kept; nothing else of the offer's attributes is ours to repeat. */
    private static boolean describesKept(Attribute attribute, List<String> kept) throws SdpException {
        String name = attribute.getName().toLowerCase(Locale.ROOT);
        if (!name.equals("rtpmap") && !name.equals("fmtp") || attribute.getValue() == null) {
            return false;
        }
        return kept.contains(attribute.getValue().trim().split("\\s+", 2)[0]);
    }

    private static String direction(List<Attribute> attributes, String fallback) throws SdpException {
        for (Attribute attribute : attributes) {
            String name = attribute.getName().toLowerCase(Locale.ROOT);
            if (DIRECTIONS.contains(name)) {
                return name;
            }
        }
        return fallback;
    }

    /** RFC 3264 §6.1: what we answer to a stream offered with this direction. */
    static String turnRound(String offered) {
        return switch (offered) {
            case "sendonly" -> "recvonly";
            case "recvonly" -> "sendonly";
            case "inactive" -> "inactive";
            default -> "sendrecv";
        };
    }

    private static void removeDirections(List<Attribute> sessionAttributes) throws SdpException {
        if (sessionAttributes.isEmpty()) {
            return;
        }
        List<Attribute> directions = new ArrayList<>();
        for (Attribute attribute : sessionAttributes) {
            if (DIRECTIONS.contains(attribute.getName().toLowerCase(Locale.ROOT))) {
                directions.add(attribute);
            }
        }
        sessionAttributes.removeAll(directions);
    }

    @SuppressWarnings("unchecked")
    private static List<String> formats(MediaDescription stream) throws SdpException {
        Vector<String> formats = stream.getMedia().getMediaFormats(false);
        return formats == null ? List.of() : formats;
    }

    @SuppressWarnings("unchecked")
    private static List<Attribute> sessionAttributes(SessionDescription description) {
        Vector<Attribute> attributes = description.getAttributes(false);
        return attributes == null ? List.of() : attributes;
    }

    @SuppressWarnings("unchecked")
    private static List<Attribute> attributes(MediaDescription stream) {
        Vector<Attribute> attributes = stream.getAttributes(false);
        return attributes == null ? List.of() : attributes;
    }
}
