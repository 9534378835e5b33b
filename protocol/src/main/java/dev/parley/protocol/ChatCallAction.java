package dev.parley.protocol;

/**
 * A "call us" button on an AI or live-agent message: a label and the number the app dials. An
 * additive extension (not in PROTOCOL.md); the field names are the ones PolyAI's official SDKs
 * decode ({@code chat_call_actions[].title}, {@code .contact_number}).
 */
public record ChatCallAction(String title, String contactNumber) {
    public static ChatCallAction of(String title, String contactNumber) {
        return new ChatCallAction(title, contactNumber);
    }
}
