package dev.parley.server.config;

/** The configuration is unusable; the message says which setting and why, fit to show an operator. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
