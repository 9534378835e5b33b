package dev.parley.protocol;

/** A rich card on an agent message or chunk (PROTOCOL.md §8). */
public record Attachment(
        String title,
        String previewImageUrl,
        String contentUrl,
        AttachmentContentType contentType,
        String callToActionText) {
}
