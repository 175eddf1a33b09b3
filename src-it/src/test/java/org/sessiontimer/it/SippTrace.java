package org.sessiontimer.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads the message log SIPp writes with -trace_msg: one entry per message, with its time and direction. */
final class SippTrace {

    private static final String SEPARATOR = "-----------------------------------------------";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    /** One traced message. */
    record Message(LocalDateTime time, boolean sent, String startLine, List<String> headerLines, String body) {

        boolean isRequest(String method) {
            return startLine.startsWith(method + " ");
        }

        boolean isResponse(int status) {
            return startLine.startsWith("SIP/2.0 " + status + " ");
        }

        /** The first value of a header (long or compact name), or null. */
        String header(String name, String compact) {
            for (String line : headerLines) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String n = line.substring(0, colon).trim();
                if (n.equalsIgnoreCase(name) || (compact != null && n.equalsIgnoreCase(compact))) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        String header(String name) {
            return header(name, null);
        }

        long cseq() {
            String value = header("CSeq");
            return Long.parseLong(value.trim().split("\\s+")[0]);
        }

        /** The o= line of the SDP body, or null. */
        String originLine() {
            for (String line : body.split("\r?\n")) {
                if (line.startsWith("o=")) {
                    return line.trim();
                }
            }
            return null;
        }

        double secondsAfter(Message earlier) {
            return java.time.Duration.between(earlier.time(), time).toNanos() / 1e9;
        }
    }

    private SippTrace() {
    }

    static List<Message> parse(Path file) throws IOException {
        List<Message> messages = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, java.nio.charset.StandardCharsets.ISO_8859_1);
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            if (!line.startsWith(SEPARATOR)) {
                i++;
                continue;
            }
            String stamp = line.substring(SEPARATOR.length()).trim();
            String kind = i + 1 < lines.size() ? lines.get(i + 1).toLowerCase(Locale.ROOT) : "";
            boolean sent = kind.contains("message sent");
            // SIPp writes an unexpected message under a separator without time stamp: not one of the call's
            boolean message = !stamp.isEmpty() && (sent || kind.contains("message received"));
            LocalDateTime time = message ? LocalDateTime.parse(stamp, TIME) : null;
            i += 2;
            while (i < lines.size() && lines.get(i).isBlank()) {
                i++;
            }
            int start = i;
            while (i < lines.size() && !lines.get(i).startsWith(SEPARATOR)) {
                i++;
            }
            if (!message || start >= i) {
                continue;
            }
            List<String> block = lines.subList(start, i);
            int blank = 0;
            while (blank < block.size() && !block.get(blank).isBlank()) {
                blank++;
            }
            List<String> headers = new ArrayList<>(block.subList(1, blank));
            String body = blank < block.size() ? String.join("\n", block.subList(blank + 1, block.size())).trim() : "";
            messages.add(new Message(time, sent, block.get(0).trim(), headers, body));
        }
        return messages;
    }
}
