package dev.parley.server.agent.scripted;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads flow files. Every problem surfaces as a {@link FlowException} naming the intent and field,
 * so a bad file stops the server at start-up rather than misbehaving in a conversation.
 */
public final class FlowLoader {
    /** The flow shipped in the jar, used when no flow file is configured. */
    public static final String DEMO_RESOURCE = "/flows/demo.yaml";

    // A repeated key would silently override the first one; the author almost certainly made a typo.
    private static final ObjectMapper YAML = YAMLMapper.builder(new YAMLFactory())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private FlowLoader() {
    }

    /** Loads and validates the flow file at {@code file}; errors are prefixed with the file name. */
    public static Flow load(Path file) {
        String yaml;
        try {
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new FlowException(file + ": cannot read flow file: " + e.getMessage(), e);
        }
        try {
            return parse(yaml);
        } catch (FlowException e) {
            throw new FlowException(file + ": " + e.getMessage(), e);
        }
    }

    /** The demo flow shipped in the jar. */
    public static Flow demo() {
        try (InputStream in = FlowLoader.class.getResourceAsStream(DEMO_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("demo flow " + DEMO_RESOURCE + " is missing from the classpath");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses and validates flow YAML. */
    public static Flow parse(String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            // SnakeYAML's own messages already point at the line (with a caret); Jackson's do not.
            String message = e.getOriginalMessage();
            throw new FlowException("invalid YAML: " + (message.contains("line ") ? message : message + location(e)), e);
        }
        return FlowReader.read(root);
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
