package dev.parley.server.agent.scripted;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * One YAML mapping of a flow file and its place in it. Reading a field either returns a valid
 * value or throws a {@link FlowException} that says where the problem is.
 */
final class Section {
    private final JsonNode node;
    private final Where where;

    private Section(JsonNode node, Where where) {
        this.node = node;
        this.where = where;
    }

    /** Checks that {@code node} is a mapping holding only {@code allowedKeys}. */
    static Section of(JsonNode node, Where where, List<String> allowedKeys) {
        if (isAbsent(node)) {
            throw where.error("is empty");
        }
        if (!node.isObject()) {
            throw where.error("must be a mapping with keys " + String.join(", ", allowedKeys));
        }
        Set<String> allowed = Set.copyOf(allowedKeys);
        for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!allowed.contains(key)) {
                throw where.error("unknown key \"" + key + "\" (allowed: " + String.join(", ", allowedKeys) + ")");
            }
        }
        return new Section(node, where);
    }

    Where where() {
        return where;
    }

    Where at(String key) {
        return where.field(key);
    }

    boolean has(String key) {
        return !isAbsent(node.get(key));
    }

    JsonNode get(String key) {
        if (!has(key)) {
            throw where.error("missing required field \"" + key + "\"");
        }
        return node.get(key);
    }

    Section section(String key, List<String> allowedKeys) {
        return of(get(key), at(key), allowedKeys);
    }

    String text(String key) {
        return scalar(get(key), at(key));
    }

    /** The text at {@code key}, or {@code null} when the key is absent. */
    String optionalText(String key) {
        return has(key) ? text(key) : null;
    }

    /** The items of the list at {@code key}; an absent key is an empty list. */
    List<JsonNode> list(String key) {
        if (!has(key)) {
            return List.of();
        }
        JsonNode value = node.get(key);
        if (!value.isArray()) {
            throw at(key).error("must be a list");
        }
        List<JsonNode> items = new ArrayList<>();
        value.forEach(items::add);
        return items;
    }

    /** A non-blank scalar. Numbers and booleans are taken as written, so {@code - 2} is text "2". */
    static String scalar(JsonNode value, Where where) {
        if (isAbsent(value) || !value.isValueNode()) {
            throw where.error("must be a text");
        }
        String text = value.asText();
        if (text.isBlank()) {
            throw where.error("must not be blank");
        }
        return text;
    }

    private static boolean isAbsent(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode();
    }
}
