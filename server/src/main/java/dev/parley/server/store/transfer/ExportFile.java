package dev.parley.server.store.transfer;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The export file, one JSON object per line (UTF-8, {@code \n}):
 * <pre>
 * {"format":"parley-export","version":1,"source":"sqlite","schema_version":"4","exported_at":"…","secret_check":"…"}
 * {"table":"connectors","row":{"id":"con_demo","token_hash":"h1:…","host":"localhost","created_at":"…","revoked_at":null}}
 * …every row of every table of {@link Table#ALL}, table by table in that order…
 * {"end":{"connectors":1,"context_keys":0,"live_agents":1,"sessions":12,"events":340,"handoffs":2,"session_contexts":0}}
 * </pre>
 * The last line counts the rows, so a truncated file is refused rather than half imported. A column
 * added later (say {@code events.answers_seq}, issue 11) keeps the version: a file from before simply
 * lacks it, and an absent column imports as NULL.
 */
final class ExportFile {
    static final String FORMAT = "parley-export";
    static final int VERSION = 1;
    static final ObjectMapper JSON = new ObjectMapper();

    private ExportFile() {
    }
}
