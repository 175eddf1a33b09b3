package org.sessiontimer.camel.core;

/**
 * A malformed session timer header (RFC4028.md H3). In a request it becomes
 * {@code 400 Bad Request} with {@link #reasonPhrase()} naming the header; in a response it ends
 * the transaction as a failure with {@link #getMessage()}.
 */
public final class HeaderException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private static final int MAX_QUOTED_LENGTH = 40;

    private final String header;
    private final String problem;

    public HeaderException(String header, String problem) {
        super(header + ": " + problem, null, false, false); // no stack trace: this is a protocol answer, not a bug
        this.header = header;
        this.problem = problem;
    }

    /** The header at fault, e.g. {@code Session-Expires}. */
    public String header() {
        return header;
    }

    /** What is wrong with it, e.g. {@code not a number: 'abc'}. */
    public String problem() {
        return problem;
    }

    /** Reason phrase for the 400 answer (H3): names the header and the problem. */
    public String reasonPhrase() {
        return "Bad " + getMessage();
    }

    /**
     * Quotes a raw value from the wire for a message or reason phrase: shortened, and with control
     * characters replaced, so a hostile value cannot break a status line or flood a log.
     */
    static String quote(String raw) {
        String text = raw.length() > MAX_QUOTED_LENGTH ? raw.substring(0, MAX_QUOTED_LENGTH) + "..." : raw;
        StringBuilder out = new StringBuilder(text.length() + 2).append('\'');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return out.append('\'').toString();
    }
}
