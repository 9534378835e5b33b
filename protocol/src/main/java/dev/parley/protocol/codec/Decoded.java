package dev.parley.protocol.codec;

import dev.parley.protocol.RawJson;
import dev.parley.protocol.client.ClientEvent;

/** Result of decoding one client frame: an accepted event, or the error to answer it with. */
public sealed interface Decoded {

    record Accepted(ClientEvent event) implements Decoded {
    }

    /**
     * @param message  one of the documented strings of PROTOCOL.md §11.1
     * @param detail   what exactly was wrong, for humans
     * @param metadata the client's metadata when it could be read, returned on the error (§11.5)
     */
    record Rejected(String message, String detail, RawJson metadata) implements Decoded {
    }
}
