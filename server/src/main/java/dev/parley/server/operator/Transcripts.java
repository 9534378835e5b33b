package dev.parley.server.operator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.codec.Json;
import dev.parley.protocol.codec.Timestamps;
import dev.parley.server.csat.CsatRating;
import dev.parley.server.desk.notes.DeskNote;
import dev.parley.server.desk.notes.NoteStore;
import dev.parley.server.store.ContextStore;
import dev.parley.server.store.EventStore;
import dev.parley.server.store.OperatorStore;
import dev.parley.server.store.SessionSummary;
import dev.parley.server.store.StoredContext;
import dev.parley.server.store.StoredEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * A conversation's transcript as JSON (its metadata, readable lines, and every stored event as it
 * was sent), plain text, or a printable HTML page in which everything that came from a user, an
 * agent or a site is escaped. Blocks on the store.
 */
public final class Transcripts {
    private static final int PAGE = 1000;

    private final OperatorStore operators;
    private final EventStore events;
    private final ContextStore contexts;
    /** The desk's internal notes, or null: then the JSON has no {@code internal_notes}. */
    private final NoteStore notes;

    /** Without the desk's internal notes (the desk's own history view shows them itself). */
    public Transcripts(OperatorStore operators, EventStore events, ContextStore contexts) {
        this(operators, events, contexts, null);
    }

    /**
     * With the desk's internal notes in the JSON as {@code internal_notes}: the operator's own systems
     * may read them; the user-facing lines and events never hold them, and text and HTML (printable,
     * the kind of thing handed to a user) leave them out.
     */
    public Transcripts(OperatorStore operators, EventStore events, ContextStore contexts, NoteStore notes) {
        this.operators = operators;
        this.events = events;
        this.contexts = contexts;
        this.notes = notes;
    }

    /** The transcript of the session in {@code format}; empty when there is no such session. */
    public Optional<String> export(String sessionId, TranscriptFormat format) {
        Optional<SessionSummary> summary = operators.findSessionSummary(sessionId);
        if (summary.isEmpty()) {
            return Optional.empty();
        }
        List<StoredEvent> all = readAll(sessionId);
        TranscriptLines lines = new TranscriptLines();
        all.forEach(lines::add);
        CsatRating csat = operators.csatOf(List.of(sessionId)).get(sessionId);
        return Optional.of(switch (format) {
            case JSON -> withNotes(json(summary.get(), csat, lines.lines(), all, contexts.findSessionContext(sessionId)), sessionId);
            case TEXT -> text(summary.get(), csat, lines.lines());
            case HTML -> html(summary.get(), csat, lines.lines());
        });
    }

    private List<StoredEvent> readAll(String sessionId) {
        List<StoredEvent> all = new java.util.ArrayList<>();
        long after = 0;
        while (true) {
            List<StoredEvent> page = events.readAfter(sessionId, after, PAGE);
            all.addAll(page);
            if (page.size() < PAGE) {
                return all;
            }
            after = page.get(page.size() - 1).sequence();
        }
    }

    /** Adds {@code internal_notes}, oldest first, after everything else (when this has a note store). */
    private String withNotes(ObjectNode root, String sessionId) {
        if (notes != null) {
            ArrayNode list = root.putArray("internal_notes");
            for (DeskNote n : notes.bySession(sessionId)) {
                ObjectNode note = list.addObject().put("id", n.id());
                note.putObject("author").put("id", n.authorId()).put("name", n.authorName());
                note.put("text", n.text()).put("created_at", Timestamps.format(n.createdAt()));
            }
        }
        return root.toString();
    }

    private static ObjectNode json(SessionSummary summary, CsatRating csat, List<TranscriptLine> lines, List<StoredEvent> all,
                               Optional<StoredContext> context) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.set("session", ConversationJson.summary(summary, csat));
        ArrayNode messages = root.putArray("lines");
        for (TranscriptLine line : lines) {
            ObjectNode l = messages.addObject();
            l.put("sequence", line.sequence()).put("timestamp", line.timestamp()).put("speaker", line.speaker())
                    .put("name", line.name()).put("text", line.text());
        }
        ArrayNode raw = root.putArray("events");
        try {
            for (StoredEvent e : all) {
                raw.add(Json.MAPPER.readTree(e.json()));
            }
            if (context.isPresent()) {
                ObjectNode ctx = root.putObject("verified_context");
                ctx.set("values", Json.MAPPER.readTree(context.get().json()));
                ctx.put("key_id", context.get().keyId()).put("verified_at", Timestamps.format(context.get().verifiedAt()));
            } else {
                root.putNull("verified_context");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return root;
    }

    private static String text(SessionSummary summary, CsatRating csat, List<TranscriptLine> lines) {
        StringBuilder out = new StringBuilder();
        out.append("Conversation ").append(summary.session().id()).append('\n')
                .append("Connector: ").append(summary.session().connectorId()).append('\n')
                .append("Started: ").append(Timestamps.format(summary.session().createdAt())).append('\n');
        if (summary.session().ended()) {
            out.append("Ended: ").append(Timestamps.format(summary.session().endedAt()))
                    .append(" (").append(summary.session().endReason()).append(")\n");
        }
        if (csat != null) {
            out.append("CSAT: ").append(csatLine(csat)).append('\n');
            if (csat.comment() != null) {
                // Indented like message continuations, so a comment cannot fake a line of its own.
                out.append("CSAT comment: ").append(csat.comment().replace("\r\n", "\n").replace("\r", "\n")
                        .replace("\n", "\n    ")).append('\n');
            }
        }
        out.append('\n');
        for (TranscriptLine line : lines) {
            out.append('[').append(line.timestamp()).append("] ").append(who(line)).append(": ")
                    // Continuation lines indented, so a message cannot fake a line of its own.
                    .append(line.text().replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\n    "))
                    .append('\n');
        }
        return out.toString();
    }

    private static String html(SessionSummary summary, CsatRating csat, List<TranscriptLine> lines) {
        StringBuilder out = new StringBuilder(4096);
        String id = Html.escape(summary.session().id());
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>Conversation ").append(id).append("</title>")
                .append("<style>body{font:14px/1.45 system-ui,sans-serif;max-width:48rem;margin:2rem auto;color:#111}")
                .append("dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}")
                .append("ol{list-style:none;padding:0}li{margin:.5rem 0;page-break-inside:avoid}")
                .append(".who{font-weight:600}.ts{color:#666;font-size:12px}.event{color:#555;font-style:italic}")
                .append(".text{white-space:pre-wrap;overflow-wrap:anywhere}@media print{body{margin:0}}</style>")
                .append("</head><body><h1>Conversation ").append(id).append("</h1><dl>")
                .append("<dt>Connector</dt><dd>").append(Html.escape(summary.session().connectorId())).append("</dd>")
                .append("<dt>Started</dt><dd>").append(Timestamps.format(summary.session().createdAt())).append("</dd>");
        if (summary.session().ended()) {
            out.append("<dt>Ended</dt><dd>").append(Timestamps.format(summary.session().endedAt()))
                    .append(" (").append(Html.escape(String.valueOf(summary.session().endReason()))).append(")</dd>");
        }
        if (csat != null) {
            out.append("<dt>CSAT</dt><dd>").append(Html.escape(csatLine(csat))).append("</dd>");
            if (csat.comment() != null) {
                out.append("<dt>CSAT comment</dt><dd class=\"text\">").append(Html.escape(csat.comment())).append("</dd>");
            }
        }
        out.append("</dl><ol>");
        for (TranscriptLine line : lines) {
            out.append("<li class=\"").append("event".equals(line.speaker()) ? "event" : "message").append("\">")
                    .append("<span class=\"ts\">").append(Html.escape(line.timestamp())).append("</span> ")
                    .append("<span class=\"who\">").append(Html.escape(who(line))).append("</span>: ")
                    .append("<span class=\"text\">").append(Html.escape(line.text())).append("</span></li>");
        }
        return out.append("</ol></body></html>\n").toString();
    }

    /** {@code 4/5 for live agent agt_sarah (support), 2026-12-02T07:30:00Z}. */
    private static String csatLine(CsatRating csat) {
        return csat.rating() + "/" + CsatRating.MAX + " for live agent " + csat.agentId() + " (" + csat.queue() + "), "
                + Timestamps.format(csat.createdAt());
    }

    private static String who(TranscriptLine line) {
        String role = switch (line.speaker()) {
            case "user" -> "User";
            case "ai_agent" -> "AI agent";
            case "live_agent" -> "Live agent";
            case "system" -> "System";
            default -> "Event";
        };
        return line.name() == null || line.name().isBlank() ? role : role + " (" + line.name() + ")";
    }
}
