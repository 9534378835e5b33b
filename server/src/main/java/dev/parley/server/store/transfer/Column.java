package dev.parley.server.store.transfer;

/**
 * One column of an exported table and how its value is written in the export file; {@code absentAs}
 * is what a file from before the column existed stands for (null: NULL).
 */
record Column(String name, Type type, String absentAs) {

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

    Column(String name, Type type) {
        this(name, type, null);
    }

    static Column text(String name) {
        return new Column(name, Type.TEXT);
    }

    /** A text column added later with a NOT NULL default: older files import it as {@code absentAs}. */
    static Column text(String name, String absentAs) {
        return new Column(name, Type.TEXT, absentAs);
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
