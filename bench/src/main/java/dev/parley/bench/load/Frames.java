package dev.parley.bench.load;

/**
 * The few frames the generator writes and the few fields it reads. Reading is by string search, not
 * by a JSON parser, so the generator spends its CPU on sockets rather than on decoding; it relies on
 * the server writing compact JSON with the envelope's {@code type} before its payload (§4.2).
 */
final class Frames {
    static final String JOIN = "{\"type\":\"EVENT_TYPE_REQUEST_POLY_AGENT_JOIN\",\"payload\":{}}";
    private static final String ID_KEY = "\"client_event_id\":\"";
    private static final String TYPE_KEY = "\"type\":\"";
    private static final String SEQUENCE_KEY = "\"sequence\":";

    private Frames() {
    }

    static String userMessage(String text, String clientEventId) {
        return "{\"type\":\"EVENT_TYPE_USER_MESSAGE\",\"payload\":{\"text\":\"" + text
                + "\"},\"metadata\":{\"custom\":{\"client_event_id\":\"" + clientEventId + "\"}}}";
    }

    /** The {@code client_event_id} echoed in the frame's metadata, or {@code null}. */
    static String clientEventId(String frame) {
        int at = frame.indexOf(ID_KEY);
        if (at < 0) {
            return null;
        }
        int from = at + ID_KEY.length();
        int to = frame.indexOf('"', from);
        return to < 0 ? null : frame.substring(from, to);
    }

    /** The envelope's type: the first {@code "type"} in the frame. */
    static String type(String frame) {
        int at = frame.indexOf(TYPE_KEY);
        if (at < 0) {
            return "";
        }
        int from = at + TYPE_KEY.length();
        int to = frame.indexOf('"', from);
        return to < 0 ? "" : frame.substring(from, to);
    }

    static boolean is(String frame, String type) {
        return type(frame).equals(type);
    }

    /** The last numeric {@code sequence} in the frame (in a batch: its last event's), or -1. */
    static long lastSequence(String frame) {
        int at = frame.lastIndexOf(SEQUENCE_KEY);
        while (at >= 0) {
            int from = at + SEQUENCE_KEY.length();
            int to = from;
            while (to < frame.length() && Character.isDigit(frame.charAt(to))) {
                to++;
            }
            if (to > from) {
                return Long.parseLong(frame, from, to, 10);
            }
            at = frame.lastIndexOf(SEQUENCE_KEY, at - 1);
        }
        return -1;
    }

    /** A whole agent message: a non-streamed one or a stream's last chunk. */
    static boolean isCompleteAgentMessage(String frame) {
        String type = type(frame);
        return type.equals("EVENT_TYPE_POLY_AGENT_MESSAGE")
                || type.equals("EVENT_TYPE_POLY_AGENT_MESSAGE_CHUNK") && frame.contains("\"is_complete\":true");
    }
}
