package dev.parley.server.http.desk;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The client address desk throttles count against: the peer's IP as the socket sees it (no
 * forwarding headers are trusted). IPv6 is cut to its /64, since one host usually owns a whole /64
 * and could otherwise pick a fresh address for every attempt.
 */
public final class ClientAddress {
    private ClientAddress() {
    }

    public static String of(HttpServerRequest request) {
        SocketAddress remote = request.remoteAddress();
        String host = remote == null ? null : remote.hostAddress();
        if (host == null || host.isEmpty()) {
            return "unknown";
        }
        return host.indexOf(':') >= 0 ? ipv6Prefix(host) : host;
    }

    /** The first four groups of an IPv6 address, expanding a leading "::" run. */
    private static String ipv6Prefix(String host) {
        int zone = host.indexOf('%');
        String address = zone >= 0 ? host.substring(0, zone) : host;
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress(); // a literal: no lookup
            if (bytes.length != 16) {
                return address; // an IPv4-mapped literal came back as IPv4
            }
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
            }
            return prefix.append(":/64").toString();
        } catch (UnknownHostException e) {
            return address;
        }
    }
}
