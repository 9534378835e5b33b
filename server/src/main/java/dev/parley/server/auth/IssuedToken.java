package dev.parley.server.auth;

/** A freshly minted access token and its lifetime, the body of the §2.1 response. */
public record IssuedToken(String token, long expiresInSeconds) {
}
