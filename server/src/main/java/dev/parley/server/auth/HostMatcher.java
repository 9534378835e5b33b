package dev.parley.server.auth;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides whether an {@code X-Host} value matches the host registered for a connector
 * (PROTOCOL.md §2.1, §13.17).
 *
 * <p>Both sides are normalised first: scheme, user info, port, path, query, fragment and trailing
 * dots are stripped and the rest is lower-cased, so {@code https://WWW.Example.com:443/chat} and
 * {@code www.example.com.} are the same host. Then:
 * <ul>
 *   <li>equal normalised values always match;</li>
 *   <li>a registered <em>domain</em> also accepts its subdomains: {@code example.com} accepts
 *       {@code app.example.com}, never {@code evilexample.com};</li>
 *   <li>a registered <em>app namespace</em> or IP address matches only exactly.</li>
 * </ul>
 *
 * <p><b>App namespaces.</b> A reverse-domain identifier such as {@code com.yourcompany.app} is
 * written most-significant label first, so "subdomain" suffix matching is meaningless for it. A
 * registered value is treated as an app namespace when it was given without a scheme and its
 * <em>first</em> label is a common top-level domain ({@link #REVERSED_DOMAIN_ROOTS}); no real web
 * host starts with {@code com.} or {@code org.}. The rule fails closed: if a web domain is ever
 * mistaken for a namespace, only its subdomains are refused, the exact host still matches.
 *
 * <p>Garbage (blank, spaces, empty labels, characters not allowed in host names) never matches and
 * never throws.
 */
public final class HostMatcher {
    /**
     * First labels that mark a reverse-domain app namespace. Top-level domains that are also common
     * subdomain names ({@code app}, {@code dev}, {@code ai}, {@code me}, {@code info}) are left out on
     * purpose, so that a registered {@code app.example.com} still accepts {@code beta.app.example.com}.
     */
    static final Set<String> REVERSED_DOMAIN_ROOTS = Set.of(
            "com", "org", "net", "edu", "gov", "io", "co", "biz",
            "uk", "de", "fr", "nl", "jp", "au", "ca", "ch", "se", "br", "it", "es");

    private static final Pattern SCHEME = Pattern.compile("^[a-z][a-z0-9+.-]*://");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]+]");

    private HostMatcher() {
    }

    /** True if {@code requestHost} is allowed for a connector registered with {@code registeredHost}. */
    public static boolean matches(String registeredHost, String requestHost) {
        Optional<String> registered = normalise(registeredHost);
        Optional<String> request = normalise(requestHost);
        if (registered.isEmpty() || request.isEmpty()) {
            return false;
        }
        String reg = registered.get();
        String req = request.get();
        if (reg.equals(req)) {
            return true;
        }
        if (isAppNamespace(registeredHost) || isIpLiteral(reg)) {
            return false;
        }
        return req.endsWith("." + reg);
    }

    /**
     * The bare, lower-case host of a value such as {@code https://user@Www.Example.com:8443/x?y#z}
     * ({@code www.example.com}), or empty when the value is not a usable host.
     */
    public static Optional<String> normalise(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String host = value.strip().toLowerCase(Locale.ROOT);
        host = SCHEME.matcher(host).replaceFirst("");
        if (host.startsWith("//")) {
            host = host.substring(2);
        }
        host = cutAtFirst(host, "/?#");
        host = host.substring(host.lastIndexOf('@') + 1);
        host = stripPort(host);
        while (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return isValidHost(host) ? Optional.of(host) : Optional.empty();
    }

    private static boolean isAppNamespace(String registeredHost) {
        String raw = registeredHost.strip().toLowerCase(Locale.ROOT);
        if (SCHEME.matcher(raw).find() || raw.startsWith("//")) {
            return false;
        }
        String normalised = normalise(raw).orElse("");
        int dot = normalised.indexOf('.');
        return dot > 0 && REVERSED_DOMAIN_ROOTS.contains(normalised.substring(0, dot));
    }

    private static String cutAtFirst(String text, String stopChars) {
        for (int i = 0; i < text.length(); i++) {
            if (stopChars.indexOf(text.charAt(i)) >= 0) {
                return text.substring(0, i);
            }
        }
        return text;
    }

    private static String stripPort(String host) {
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return close < 0 ? host : host.substring(0, close + 1);
        }
        int colon = host.indexOf(':');
        // More than one colon without brackets is a bare IPv6 address: it has no port to strip.
        return colon < 0 || host.indexOf(':', colon + 1) >= 0 ? host : host.substring(0, colon);
    }

    private static boolean isValidHost(String host) {
        if (host.isEmpty() || host.length() > 253) {
            return false;
        }
        if (IPV6.matcher(host).matches()) {
            return true;
        }
        for (String label : host.split("\\.", -1)) {
            if (label.length() > 63 || !LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpLiteral(String host) {
        return IPV4.matcher(host).matches() || IPV6.matcher(host).matches();
    }
}
