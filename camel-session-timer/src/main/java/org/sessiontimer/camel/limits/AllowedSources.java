package org.sessiontimer.camel.limits;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code allowedSources} option: addresses and CIDR blocks, IPv4 and IPv6 ({@code 10.0.0.0/8, 192.0.2.7,
 * 2001:db8::/32}). Only literal addresses: a host name would make every start-up depend on DNS.
 */
public final class AllowedSources {

    /** No list: every source is allowed. */
    public static final AllowedSources ANY = new AllowedSources(List.of(), "");

    private record Block(byte[] network, int prefixBits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int fullBytes = prefixBits / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int restBits = prefixBits % 8;
            if (restBits == 0) {
                return true;
            }
            int mask = 0xFF << (8 - restBits) & 0xFF;
            return (address[fullBytes] & mask) == (network[fullBytes] & mask);
        }
    }

    private final List<Block> blocks;
    private final String text;

    private AllowedSources(List<Block> blocks, String text) {
        this.blocks = blocks;
        this.text = text;
    }

    /**
     * Parses a comma-separated list; blank means {@link #ANY}.
     *
     * @throws IllegalArgumentException naming the entry that is not an address or a CIDR block
     */
    public static AllowedSources parse(String list) {
        if (list == null || list.isBlank()) {
            return ANY;
        }
        List<Block> blocks = new ArrayList<>();
        for (String entry : list.split(",")) {
            String trimmed = entry.trim();
            if (!trimmed.isEmpty()) {
                blocks.add(block(trimmed));
            }
        }
        return new AllowedSources(List.copyOf(blocks), list.trim());
    }

    private static Block block(String entry) {
        int slash = entry.indexOf('/');
        String address = slash < 0 ? entry : entry.substring(0, slash);
        byte[] network = literal(entry, address);
        int prefix = network.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(entry.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException("allowedSources: '" + entry + "' has no valid prefix length (0.."
                                                   + network.length * 8 + ")");
            }
        }
        return new Block(network, prefix);
    }

    private static byte[] literal(String entry, String address) {
        boolean ipv4 = address.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean ipv6 = address.contains(":") && address.matches("[0-9a-fA-F:.]+");
        if (ipv4 || ipv6) {
            try {
                return InetAddress.getByName(address).getAddress(); // a literal: no name lookup
            } catch (UnknownHostException e) {
                // falls through to the error below
            }
        }
        throw new IllegalArgumentException("allowedSources: '" + entry + "' is not an IP address or CIDR block"
                                           + " (e.g. 10.0.0.0/8, 192.0.2.7, 2001:db8::/32)");
    }

    public boolean allows(InetAddress source) {
        if (blocks.isEmpty()) {
            return true;
        }
        if (source == null) {
            return false;
        }
        byte[] address = source.getAddress();
        for (Block block : blocks) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    public boolean isAny() {
        return blocks.isEmpty();
    }

    @Override
    public String toString() {
        return blocks.isEmpty() ? "any" : text;
    }
}
