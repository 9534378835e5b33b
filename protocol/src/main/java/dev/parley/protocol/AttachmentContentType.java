package dev.parley.protocol;

/** Attachment content types (PROTOCOL.md §8). */
public enum AttachmentContentType {
    ATTACHMENT_CONTENT_TYPE_URL,
    ATTACHMENT_CONTENT_TYPE_IMAGE
}
