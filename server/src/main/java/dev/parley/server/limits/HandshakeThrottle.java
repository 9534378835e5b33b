package dev.parley.server.limits;

import dev.parley.server.auth.HandshakeFailures;
import dev.parley.server.auth.RateDecision;
import io.vertx.core.Future;

/**
 * {@link HandshakeFailures}'s rules (failed WebSocket handshakes per client address and per access
 * token) over asynchronous limits: this node's own, or shared by all nodes so a guesser spreading
 * its handshakes over the nodes spends one budget.
 */
public final class HandshakeThrottle {
    private final RateLimit byAddress;
    private final RateLimit byToken;

    public HandshakeThrottle(RateLimit byAddress, RateLimit byToken) {
        this.byAddress = byAddress;
        this.byToken = byToken;
    }

    /** Limited when the address or the token has no failures left; the longer wait wins. Takes nothing. */
    public Future<RateDecision> check(String address, String tokenKey) {
        Future<RateDecision> a = byAddress.check(address);
        Future<RateDecision> t = byToken.check(tokenKey);
        return Future.all(a, t).map(both -> HandshakeFailures.either(a.result(), t.result()));
    }

    /** Spends one failure of the address's budget and one of the token's; completes once both are counted. */
    public Future<Void> recordFailure(String address, String tokenKey) {
        return Future.all(byAddress.tryAcquire(address), byToken.tryAcquire(tokenKey)).mapEmpty();
    }

    public void evictIdle() {
        byAddress.evictIdle();
        byToken.evictIdle();
    }
}
