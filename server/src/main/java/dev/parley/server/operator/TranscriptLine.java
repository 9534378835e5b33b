package dev.parley.server.operator;

/**
 * One line of a readable transcript.
 *
 * @param speaker {@code user}, {@code ai_agent}, {@code live_agent}, {@code system} (a system
 *                message) or {@code event} (a session event worth a note: joined, handed off, ended)
 * @param name    the agent's display name when the event carried one, else null
 */
public record TranscriptLine(long sequence, String timestamp, String speaker, String name, String text) {
}
