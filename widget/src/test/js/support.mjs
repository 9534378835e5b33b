// Shared by the Node tests of parley-client.js. They run against a real Parley server, started by
// the JUnit test JsClientNodeTest, which passes its URL in PARLEY_URL.
import assert from 'node:assert/strict';
import { ParleyClient } from '../../main/js/parley-client/parley-client.js';

export const BASE_URL = process.env.PARLEY_URL;
export const CONNECTOR_TOKEN = process.env.PARLEY_CONNECTOR_TOKEN || 'parley-demo-token';
export const HOST = process.env.PARLEY_HOST || 'localhost';

if (!BASE_URL) {
  throw new Error('PARLEY_URL is not set: these tests run against a real Parley server (JsClientNodeTest starts one)');
}
if (typeof globalThis.WebSocket !== 'function') {
  throw new Error('no global WebSocket: run Node 22+, or Node 20/21 with --experimental-websocket');
}

const clients = [];

/** A client for the test server, closed by `closeClients` (so a failed test leaves no socket open). */
export function newClient(extra = {}) {
  const client = new ParleyClient(options(extra));
  clients.push(client);
  return client;
}

/** For `afterEach`: closes every client the test made. */
export function closeClients() {
  while (clients.length) clients.pop().close();
}

/** Client options for the test server: fast back-off so reconnects do not slow the suite. */
export function options(extra = {}) {
  return Object.assign({
    baseUrl: BASE_URL, connectorToken: CONNECTOR_TOKEN, host: HOST, platform: 'custom',
    reconnectInitialDelayMs: 20, reconnectMaxDelayMs: 200
  }, extra);
}

/**
 * A WebSocket class (Node's own, subclassed) that records every socket, frame sent and frame
 * received, and lets a test interfere with what is sent: `onSend(frame, socket)` returns 'pass'
 * (default), 'swallow' (never reaches the server), 'twice' (sent two times), 'close-after' (sent,
 * then the socket goes deaf and is closed from this side, as when the network drops right after a
 * send) or 'swallow-close' (the network drops just before the send).
 */
export function recordingSockets() {
  const rec = { sockets: [], urls: [], sent: [], received: [], onSend: () => 'pass' };
  rec.Class = class RecordingWebSocket extends globalThis.WebSocket {
    constructor(url, protocols) {
      super(url, protocols);
      rec.sockets.push(this);
      rec.urls.push(new URL(url));
      this.addEventListener('message', (m) => rec.received.push(String(m.data)));
    }

    // Once "deaf", frames from the server are no longer handed to the client: as when the network
    // dropped right after a send, the server may have stored the frame but its echo is lost.
    set onmessage(handler) {
      super.onmessage = handler ? (m) => { if (!this.deaf) handler(m); } : handler;
    }

    get onmessage() {
      return super.onmessage;
    }

    send(frame) {
      rec.sent.push(frame);
      const verdict = rec.onSend(frame, this);
      if (verdict === 'swallow') return;
      if (verdict === 'swallow-close') {
        this.deaf = true;
        this.close();
        return;
      }
      super.send(frame);
      if (verdict === 'twice') super.send(frame);
      if (verdict === 'close-after') {
        this.deaf = true;
        this.close();
      }
    }
  };
  rec.sentOfType = (type) => rec.sent.map((f) => JSON.parse(f)).filter((f) => f.type === type);
  return rec;
}

/** The next `name` event of `emitter` whose arguments satisfy `accept` (bounded by the test's timeout). */
export function next(emitter, name, accept = () => true) {
  return new Promise((resolve) => {
    const off = emitter.on(name, (...args) => {
      if (accept(...args)) {
        off();
        resolve(args.length > 1 ? args : args[0]);
      }
    });
  });
}

/** Everything `emitter` emits as `name`, in order. */
export function collect(emitter, name) {
  const all = [];
  emitter.on(name, (...args) => all.push(args.length > 1 ? args : args[0]));
  return all;
}

/** Sequences of the stored events must be exactly 1..n: nothing missing, nothing twice. */
export function assertNoGapNoDouble(events, from = 1) {
  const sequences = events.filter((e) => e.sequence != null).map((e) => e.sequence);
  assert.ok(sequences.length > 0, 'no stored events');
  assert.deepEqual(sequences, Array.from({ length: sequences.length }, (_, i) => from + i));
  const ids = events.map((e) => e.id);
  assert.equal(new Set(ids).size, ids.length, 'an event id was delivered twice');
}

/** The whole stored history of a session, as a fresh resume from cursor 0 replays it. */
export async function history(client, sessionId) {
  const replay = client.resume(sessionId, 0);
  const events = collect(replay, 'event');
  await next(replay, 'state', (s) => s === 'connected');
  replay.close();
  return events.filter((e) => e.sequence != null);
}
