package dev.parley.server.store.transfer;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.config.StoreConfig;
import java.io.IOException;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** How each store keeps the file's value types: SQLite in integers and text, PostgreSQL in its own types. */
enum Dialect {
    SQLITE, POSTGRES;

    static Dialect of(StoreConfig.Kind kind) {
        return kind == StoreConfig.Kind.POSTGRES ? POSTGRES : SQLITE;
    }

    /** Writes column {@code index} of the current row as the JSON value of {@code column}. */
    void write(ResultSet rs, int index, Column column, JsonGenerator json) throws SQLException, IOException {
        json.writeFieldName(column.name());
        switch (column.type()) {
            case TEXT -> {
                String value = rs.getString(index);
                if (value == null) json.writeNull(); else json.writeString(value);
            }
            case INTEGER -> {
                long value = rs.getLong(index);
                if (rs.wasNull()) json.writeNull(); else json.writeNumber(value);
            }
            case BOOLEAN -> {
                boolean value = this == SQLITE ? rs.getInt(index) != 0 : rs.getBoolean(index);
                if (rs.wasNull()) json.writeNull(); else json.writeBoolean(value);
            }
            case INSTANT -> {
                Instant value = instant(rs, index);
                if (value == null) json.writeNull(); else json.writeString(value.toString());
            }
            case STRINGS -> {
                List<String> values = strings(rs, index);
                if (values == null) {
                    json.writeNull();
                } else {
                    json.writeStartArray();
                    for (String v : values) json.writeString(v);
                    json.writeEndArray();
                }
            }
        }
    }

    /** Binds the file's value {@code value} (absent or null: SQL NULL) to parameter {@code index}. */
    void bind(PreparedStatement ps, int index, Column column, JsonNode value) throws SQLException {
        boolean absent = value == null || value.isNull();
        switch (column.type()) {
            case TEXT -> {
                if (absent) ps.setNull(index, Types.VARCHAR); else ps.setString(index, textual(value, column));
            }
            case INTEGER -> {
                if (absent) ps.setNull(index, Types.BIGINT); else ps.setLong(index, integral(value, column));
            }
            case BOOLEAN -> {
                if (absent) {
                    ps.setNull(index, this == SQLITE ? Types.INTEGER : Types.BOOLEAN);
                } else if (!value.isBoolean()) {
                    throw new TransferException(column.name() + " must be true or false, got " + value);
                } else if (this == SQLITE) {
                    ps.setInt(index, value.booleanValue() ? 1 : 0);
                } else {
                    ps.setBoolean(index, value.booleanValue());
                }
            }
            case INSTANT -> {
                Instant at = absent ? null : parseInstant(textual(value, column), column);
                if (this == SQLITE) {
                    if (at == null) ps.setNull(index, Types.INTEGER); else ps.setLong(index, at.toEpochMilli());
                } else if (at == null) {
                    ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
                } else {
                    ps.setObject(index, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
                }
            }
            case STRINGS -> {
                List<String> values = absent ? null : stringList(value, column);
                if (this == SQLITE) {
                    if (values == null) ps.setNull(index, Types.VARCHAR); else ps.setString(index, String.join(",", values));
                } else if (values == null) {
                    ps.setNull(index, Types.ARRAY);
                } else {
                    ps.setArray(index, ps.getConnection().createArrayOf("text", values.toArray()));
                }
            }
        }
    }

    private Instant instant(ResultSet rs, int index) throws SQLException {
        if (this == SQLITE) {
            long millis = rs.getLong(index);
            return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
        }
        OffsetDateTime value = rs.getObject(index, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private List<String> strings(ResultSet rs, int index) throws SQLException {
        if (this == SQLITE) {
            String joined = rs.getString(index);
            // Queue names never contain commas (the admin command refuses them).
            return joined == null ? null : joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
        }
        Array array = rs.getArray(index);
        return array == null ? null : Arrays.asList((String[]) array.getArray());
    }

    private static String textual(JsonNode value, Column column) {
        if (!value.isTextual()) {
            throw new TransferException(column.name() + " must be a string, got " + value);
        }
        return value.textValue();
    }

    private static long integral(JsonNode value, Column column) {
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new TransferException(column.name() + " must be an integer, got " + value);
        }
        return value.longValue();
    }

    private static Instant parseInstant(String text, Column column) {
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new TransferException(column.name() + " must be an ISO-8601 instant, got '" + text + "'");
        }
    }

    private static List<String> stringList(JsonNode value, Column column) {
        if (!value.isArray()) {
            throw new TransferException(column.name() + " must be an array of strings, got " + value);
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : value) {
            values.add(textual(item, column));
        }
        return values;
    }
}
