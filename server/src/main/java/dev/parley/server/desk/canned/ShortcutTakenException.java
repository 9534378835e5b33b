package dev.parley.server.desk.canned;

/** The store refused a reply: its connector and queue already have one with that shortcut. Answered as a 409 / exit 2. */
public final class ShortcutTakenException extends RuntimeException {
    public ShortcutTakenException(String shortcut) {
        super("the shortcut " + shortcut + " is taken in this queue");
    }
}
