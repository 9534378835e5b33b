package dev.parley.app;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * One TCP connection to the server before a client command starts: the SDK retries a dead address
 * with back-off for the better part of a minute (right for a server that restarts, wrong for a typo
 * in --url), so {@code chat} and {@code bench} find out first and say so at once.
 */
final class Reachability {
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private Reachability() {
    }

    /** Empty when something accepts connections at {@code url}; else the line to print. */
    static Optional<String> problem(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return Optional.of("not a URL: " + url + " (use --url http://HOST:PORT)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            return Optional.of("not an http(s) URL: " + url + " (use --url http://HOST:PORT)");
        }
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), port), (int) TIMEOUT.toMillis());
            return Optional.empty();
        } catch (UnknownHostException e) {
            return cannot(url, "unknown host " + uri.getHost());
        } catch (ConnectException e) {
            return cannot(url, "connection refused");
        } catch (SocketTimeoutException e) {
            return cannot(url, "no answer within " + TIMEOUT.toSeconds() + " s");
        } catch (NoRouteToHostException e) {
            return cannot(url, "no route to host");
        } catch (IOException e) {
            return cannot(url, e.getMessage());
        }
    }

    private static Optional<String> cannot(String url, String why) {
        return Optional.of("cannot connect to " + url + ": " + why + " \u2014 is Parley running? use --url");
    }
}
