package dev.parley.server.store.transfer;

/** One column of an exported table and how its value is written in the export file. */
record Column(String name, Type type) {

    /** The file's value types; each store reads and writes them in its own column types. */
    enum Type {
        /** A JSON string, copied as is (event JSON keeps its bytes). */
        TEXT,
        /** A JSON integer. */
        INTEGER,
        /** true or false (SQLite keeps 0 or 1). */
        BOOLEAN,
        /** An ISO-8601 UTC instant string (SQLite keeps epoch milliseconds, PostgreSQL timestamptz). */
        INSTANT,
        /** A JSON array of strings (SQLite keeps them comma-separated, PostgreSQL as text[]). */
        STRINGS
    }

    static Column text(String name) {
        return new Column(name, Type.TEXT);
    }

    static Column integer(String name) {
        return new Column(name, Type.INTEGER);
    }

    static Column bool(String name) {
        return new Column(name, Type.BOOLEAN);
    }

    static Column instant(String name) {
        return new Column(name, Type.INSTANT);
    }

    static Column strings(String name) {
        return new Column(name, Type.STRINGS);
    }
}
