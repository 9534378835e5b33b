package dev.parley.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A WebSocket client written by hand over a plain TCP socket (RFC 6455 framing), for tests that need
 * what a library client hides: frames with any header (oversized lengths, reserved bits), the close
 * frame's exact bytes, and whether the connection ended with a close frame or a reset. One thread
 * reads; {@link #sendFrame} may be called from another thread.
 */
public final class RawWebSocket implements AutoCloseable {
    public static final int OP_CONTINUATION = 0x0;
    public static final int OP_TEXT = 0x1;
    public static final int OP_CLOSE = 0x8;
    public static final int OP_PING = 0x9;
    public static final int RSV1 = 0x40;

    /** A frame from the server. */
    public record Frame(boolean fin, int rsv, int opcode, byte[] payload) {
        /** The close code of a close frame, 1005 when it carries none. */
        public int closeCode() {
            return payload.length < 2 ? 1005 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** How the server's side of the conversation ended, as the client saw it. */
    public record Ending(Frame close, String after) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final int status;
    private final Map<String, String> headers;

    private RawWebSocket(Socket socket, int status, Map<String, String> headers, DataInputStream in) throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
        this.status = status;
        this.headers = headers;
    }

    /** Opens a TCP connection and sends the upgrade request for {@code /ws} with {@code extraHeaders}. */
    public static RawWebSocket connect(int port, String sessionId, String accessToken, String extraHeaders) {
        return connectTo(port, "/ws?session_id=" + sessionId + "&access_token=" + accessToken, extraHeaders);
    }

    /** Opens a TCP connection and sends the upgrade request for {@code pathAndQuery} with {@code extraHeaders}. */
    public static RawWebSocket connectTo(int port, String pathAndQuery, String extraHeaders) {
        try {
            Socket socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout((int) WsClient.WAIT.toMillis());
            byte[] key = new byte[16];
            RANDOM.nextBytes(key);
            String request = "GET " + pathAndQuery + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + port + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                    + "Sec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            String statusLine = line(in);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
            return new RawWebSocket(socket, Integer.parseInt(statusLine.split(" ")[1]), headers, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int status() {
        return status;
    }

    /** A response header, by lower-case name; {@code null} when absent. */
    public String header(String name) {
        return headers.get(name);
    }

    /** Sends one masked frame: {@code rsv} are the reserved bits (e.g. {@link #RSV1}). */
    public void sendFrame(boolean fin, int rsv, int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(14);
        head.write((fin ? 0x80 : 0) | rsv | opcode);
        if (payload.length < 126) {
            head.write(0x80 | payload.length);
        } else if (payload.length <= 0xffff) {
            head.write(0x80 | 126);
            head.write(payload.length >>> 8);
            head.write(payload.length);
        } else {
            head.write(0x80 | 127);
            long n = payload.length;
            for (int shift = 56; shift >= 0; shift -= 8) {
                head.write((int) (n >>> shift));
            }
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        head.write(mask);
        byte[] masked = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            masked[i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        synchronized (out) {
            out.write(head.toByteArray());
            out.write(masked);
            out.flush();
        }
    }

    public void sendText(String text) throws IOException {
        sendFrame(true, 0, OP_TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The next frame from the server; fails on end of stream, reset or the read timeout. */
    public Frame next() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        return new Frame((b0 & 0x80) != 0, b0 & 0x70, b0 & 0x0f, payload);
    }

    /**
     * Reads until the server's close frame, skipping data frames, answers it with a close frame as
     * RFC 6455 §5.5.1 asks, then reads on to see how TCP ended. {@code close} is null when the connection ended without
     * a close frame; {@code after} says what followed ("eof", "reset: …", "timeout").
     */
    public Ending awaitClose() {
        Frame close = null;
        try {
            for (Frame f = next(); ; f = next()) {
                if (f.opcode() == OP_CLOSE) {
                    close = f;
                    break;
                }
            }
            try {
                sendFrame(true, 0, OP_CLOSE, Arrays.copyOf(close.payload(), Math.min(2, close.payload().length)));
            } catch (IOException e) {
                // the server may have closed already: how it ended is read below
            }
            return new Ending(close, ending());
        } catch (EOFException e) {
            return new Ending(null, "eof");
        } catch (SocketTimeoutException e) {
            return new Ending(null, "timeout");
        } catch (IOException e) {
            return new Ending(null, "reset: " + e.getMessage());
        }
    }

    private String ending() {
        try {
            return in.read() < 0 ? "eof" : "more data";
        } catch (SocketTimeoutException e) {
            return "timeout";
        } catch (IOException e) {
            return "reset: " + e.getMessage();
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    private static String line(DataInputStream in) throws IOException {
        StringBuilder s = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("connection closed during the handshake: " + s);
            }
            if (c != '\r') {
                s.append((char) c);
            }
        }
        return s.toString();
    }
}
