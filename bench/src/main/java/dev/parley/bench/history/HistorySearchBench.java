package dev.parley.bench.history;

import dev.parley.protocol.EventType;
import dev.parley.server.store.Connector;
import dev.parley.server.store.HistoryHit;
import dev.parley.server.store.HistoryQuery;
import dev.parley.server.store.OperatorStore;
import dev.parley.server.store.SessionRecord;
import dev.parley.server.store.StoredEvent;
import dev.parley.server.store.sqlite.SqliteStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The desk history's search over many stored conversations on the embedded SQLite store (not a
 * timed test: a measurement to read). Seeds {@code conversations} ended conversations through the
 * store's own append (so the search index is written exactly as in production, in the append
 * transaction), then runs each query shape repeatedly and prints milliseconds per query.
 *
 * <p>Run: {@code java -cp <bench classpath> dev.parley.bench.history.HistorySearchBench [conversations] [dir]};
 * with {@code [conversations] postgres <jdbc url> <user>} the same on an empty PostgreSQL database
 * (password, if any, in {@code PARLEY_BENCH_PG_PASSWORD}).
 */
public final class HistorySearchBench {
    private static final String CONNECTOR = "con_bench";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final List<String> QUEUES = List.of("support", "sales", "billing", "returns");
    private static final int BATCH = 500;
    private static final int WARMUP = 5;
    private static final int RUNS = 30;

    private HistorySearchBench() {
    }

    public static void main(String[] args) throws Exception {
        int conversations = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        if (args.length > 3 && args[1].equals("postgres")) {
            postgres(conversations, args[2], args[3]);
            return;
        }
        Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("parley-history-bench");
        String[] vocabulary = vocabulary(5000, new Random(7));
        if (Files.exists(dir.resolve("parley.db"))) {
            System.out.println("searching the conversations already in " + dir); // a re-run: no new seed
        } else {
            long seedStart = System.nanoTime();
            try (SqliteStore store = SqliteStore.open(dir)) {
                store.createConnector(new Connector(CONNECTOR, "bench-hash", "bench.example", T0, null));
                seed(store, conversations, vocabulary, new Random(42));
            }
            handoffs(dir, conversations);
            System.out.printf("seeded %d conversations in %.1f s (%s)%n", conversations,
                    (System.nanoTime() - seedStart) / 1e9, dir);
        }

        try (SqliteStore store = SqliteStore.open(dir)) {
            queries(store.operators(), vocabulary, "prefix");
        }
    }

    private static void postgres(int conversations, String url, String user) throws Exception {
        String password = System.getenv("PARLEY_BENCH_PG_PASSWORD");
        dev.parley.server.config.StoreConfig config = dev.parley.server.config.StoreConfig.postgres(url, user,
                password == null ? null : new dev.parley.server.config.Secret(password), 4);
        long seedStart = System.nanoTime();
        try (dev.parley.server.store.postgres.PostgresStore store = dev.parley.server.store.postgres.PostgresStore.open(config)) {
            if (store.findConnector(CONNECTOR).isPresent()) { // a re-run: search what is there, no new seed
                System.out.println("searching the conversations already in " + url);
                queries(store.operators(), vocabulary(5000, new Random(7)), "stem");
                return;
            }
            store.createConnector(new Connector(CONNECTOR, "bench-hash", "bench.example", T0, null));
            seed(store, conversations, vocabulary(5000, new Random(7)), new Random(42));
        }
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            handoffs(c, conversations);
            try (java.sql.Statement st = c.createStatement()) {
                st.execute("ANALYZE");
            }
        }
        System.out.printf("seeded %d conversations on PostgreSQL in %.1f s%n", conversations, (System.nanoTime() - seedStart) / 1e9);
        try (dev.parley.server.store.postgres.PostgresStore store = dev.parley.server.store.postgres.PostgresStore.open(config)) {
            queries(store.operators(), vocabulary(5000, new Random(7)), "stem");
        }
    }

    private static void queries(OperatorStore ops, String[] vocabulary, String prefixLabel) {
        String common = vocabulary[0];
        String mid = vocabulary[200];
        report("rare word (0.1% of conversations)", () -> ops.searchHistory(q("zebracorn", null)));
        report("common word '" + common + "'", () -> ops.searchHistory(q(common, null)));
        report("mid-frequency word '" + mid + "'", () -> ops.searchHistory(q(mid, null)));
        report("two words '" + common + " " + mid + "'", () -> ops.searchHistory(q(common + " " + mid, null)));
        if (prefixLabel.equals("prefix")) {
            report("prefix '" + common.substring(0, 3) + "'", () -> ops.searchHistory(q(common.substring(0, 3), null)));
        }
        report("common word, queue=billing", () -> ops.searchHistory(q(common, "billing")));
        report("no text (listing), 2 queues", () -> ops.searchHistory(q(null, null)));
        report("no match", () -> ops.searchHistory(q("nosuchwordanywhere", null)));
    }

    /** As the desk asks: an agent of two queues, 20 rows and one more to know of a next page. */
    private static HistoryQuery q(String text, String queue) {
        return new HistoryQuery(CONNECTOR, List.of("support", "billing"), text, queue, null, null, null, null, 21);
    }

    private static void report(String name, Supplier<List<HistoryHit>> query) {
        int rows = 0;
        for (int i = 0; i < WARMUP; i++) {
            rows = query.get().size();
        }
        double[] ms = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            query.get();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        double mean = Arrays.stream(ms).average().orElse(0);
        System.out.printf("%-45s rows=%2d  mean %7.2f ms  median %7.2f ms  p90 %7.2f ms%n",
                name, rows, mean, ms[RUNS / 2], ms[(int) (RUNS * 0.9)]);
    }

    private static void seed(dev.parley.server.store.EventStore store, int conversations, String[] vocabulary, Random random) {
        List<SessionRecord> sessions = new ArrayList<>();
        List<StoredEvent> events = new ArrayList<>();
        for (int n = 0; n < conversations; n++) {
            String id = "s-" + n;
            Instant start = T0.plusSeconds(n * 60L);
            sessions.add(SessionRecord.open(id, CONNECTOR, "web", true, start));
            events.add(event(id, 1, EventType.SESSION_START, "{}", start));
            String marker = n % 1000 == 0 ? " zebracorn" : "";
            events.add(event(id, 2, EventType.USER_MESSAGE, "{\"text\":\"" + sentence(vocabulary, random) + marker + "\"}",
                    start.plusSeconds(1)));
            events.add(event(id, 3, EventType.POLY_AGENT_MESSAGE, "{\"agent_name\":\"Ada\",\"text\":\""
                    + sentence(vocabulary, random) + "\"}", start.plusSeconds(2)));
            for (int c = 0; c < 3; c++) {
                events.add(event(id, 4 + c, EventType.POLY_AGENT_MESSAGE_CHUNK, "{\"message_id\":\"m-" + id
                        + "\",\"agent_name\":\"Ada\",\"text\":\"" + sentence(vocabulary, random) + " \",\"is_complete\":"
                        + (c == 2) + "}", start.plusSeconds(3 + c)));
            }
            events.add(event(id, 7, EventType.LIVE_AGENT_MESSAGE, "{\"agent_name\":\"Sam\",\"text\":\""
                    + sentence(vocabulary, random) + "\"}", start.plusSeconds(10)));
            events.add(event(id, 8, EventType.SESSION_END, "{\"reason\":\"REASON_USER_END\"}", start.plusSeconds(30)));
            if (sessions.size() == BATCH) {
                store.append(sessions, events);
                sessions.clear();
                events.clear();
            }
        }
        store.append(sessions, events);
    }

    /** The desk's handoff rows, written directly: they are not what is measured. */
    private static void handoffs(Path dir, int conversations) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("parley.db"))) {
            handoffs(c, conversations);
        }
    }

    private static void handoffs(Connection c, int conversations) throws Exception {
        {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO handoffs (session_id, connector_id, queue, status,"
                    + " enqueued_at, agent_id, assigned_at) VALUES (?, ?, ?, 'CLOSED', ?, ?, ?)")) {
                for (int n = 0; n < conversations; n++) {
                    long at = T0.plusSeconds(n * 60L + 5).toEpochMilli();
                    ps.setString(1, "s-" + n);
                    ps.setString(2, CONNECTOR);
                    ps.setString(3, QUEUES.get(n % QUEUES.size()));
                    ps.setObject(4, stamp(c, at));
                    ps.setString(5, "agt_" + (n % 20));
                    ps.setObject(6, stamp(c, at));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }
    }

    /** Epoch milliseconds in SQLite, timestamptz in PostgreSQL. */
    private static Object stamp(Connection c, long millis) throws java.sql.SQLException {
        return c.getMetaData().getDatabaseProductName().startsWith("PostgreSQL")
                ? java.time.OffsetDateTime.ofInstant(Instant.ofEpochMilli(millis), java.time.ZoneOffset.UTC) : (Object) millis;
    }

    private static StoredEvent event(String sessionId, long seq, EventType type, String payload, Instant ts) {
        String id = UUID.randomUUID().toString();
        String json = "{\"id\":\"" + id + "\",\"sequence\":" + seq + ",\"timestamp\":\"" + ts + "\",\"type\":\""
                + type.wireName() + "\",\"payload\":" + payload + "}";
        return new StoredEvent(sessionId, seq, id, type, ts, json, null);
    }

    /** 6 to 15 words, skewed (a few words are very common, most rare), like natural text. */
    private static String sentence(String[] vocabulary, Random random) {
        int words = 6 + random.nextInt(10);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < words; i++) {
            double u = random.nextDouble();
            int index = (int) (vocabulary.length * u * u * u);
            s.append(i == 0 ? "" : " ").append(vocabulary[index]);
        }
        return s.toString();
    }

    private static String[] vocabulary(int size, Random random) {
        String[] words = new String[size];
        for (int i = 0; i < size; i++) {
            StringBuilder w = new StringBuilder();
            int length = 4 + random.nextInt(6);
            for (int j = 0; j < length; j++) {
                w.append((char) ('a' + random.nextInt(26)));
            }
            words[i] = w.toString();
        }
        return words;
    }
}
