package dev.parley.server.agent.scripted;

/**
 * A place in a flow file, as shown in error messages: an owner ({@code greeting}, {@code intent
 * "hours"}) and a field path inside it ({@code reply.attachments[0].content_url}).
 */
record Where(String owner, String path) {

    static Where of(String owner) {
        return new Where(owner, "");
    }

    Where field(String key) {
        return new Where(owner, path.isEmpty() ? key : path + "." + key);
    }

    Where item(int index) {
        return new Where(owner, path + "[" + index + "]");
    }

    FlowException error(String message) {
        return new FlowException(this + ": " + message);
    }

    @Override
    public String toString() {
        if (path.isEmpty()) {
            return owner;
        }
        // Top-level fields read better without a "flow: " in front of them.
        return owner.equals(FlowReader.ROOT) ? path : owner + ": " + path;
    }
}
