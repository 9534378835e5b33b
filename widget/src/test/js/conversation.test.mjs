// parley-client.js against a real Parley server: the handshake, receipts, resends, reconnection
// from the cursor, streaming, heartbeats, token renewal, ending and refusals.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { ParleyClient, ConversationLostError } from '../../main/js/parley-client/parley-client.js';
import { newClient, closeClients, recordingSockets, next, collect, assertNoGapNoDouble, history, BASE_URL } from './support.mjs';

const OPENING_HOURS = 'What are your opening hours?';
const T = { timeout: 30_000 };
afterEach(closeClients);

test('a conversation: session, join, greeting, a receipt for a message and its answer', T, async () => {
  const ws = recordingSockets();
  const client = newClient({ WebSocket: ws.Class });
  const chat = client.start();
  const states = collect(chat, 'state');
  const joined = next(chat, 'agentJoined');
  const greeting = next(chat, 'message');

  assert.equal((await joined).name, 'Ada');
  assert.match((await greeting).text, /Harbour Kitchen/);
  assert.match(chat.sessionId, /^[0-9a-f-]{36}$/);
  assert.equal(ws.sentOfType('EVENT_TYPE_REQUEST_POLY_AGENT_JOIN').length, 1, 'a new session asks the agent to join once');

  const deliveries = collect(chat, 'delivery');
  const answer = next(chat, 'message', (m) => m.text.includes('Tuesday to Sunday'));
  const out = chat.send(OPENING_HOURS);
  assert.equal(out.status, 'sending');
  assert.equal(await out.settled, 'sent');
  assert.match(out.messageId, /\S/);
  assert.deepEqual(deliveries.map(([m, s]) => [m.clientEventId, s]), [[out.clientEventId, 'sending'], [out.clientEventId, 'sent']]);
  const frame = ws.sentOfType('EVENT_TYPE_USER_MESSAGE')[0];
  assert.equal(frame.metadata.custom.client_event_id, out.clientEventId);
  assert.deepEqual(Object.keys(frame).sort(), ['metadata', 'payload', 'type'], 'no id, sequence or timestamp from the client');
  const reply = await answer;
  assert.equal(reply.from, 'ai');
  assert.ok(reply.suggestions.length > 0);

  chat.close();
  await chat.closed;
  assert.deepEqual(states, ['connecting', 'connected', 'closed']);
  client.close();
});

test('an unechoed message is resent with the same client_event_id, then confirmed', T, async () => {
  const ws = recordingSockets();
  let swallowed = 0;
  ws.onSend = (f) => (f.includes('EVENT_TYPE_USER_MESSAGE') && swallowed++ === 0 ? 'swallow' : 'pass');
  const client = newClient({ WebSocket: ws.Class, receiptTimeoutMs: 200 });
  const chat = client.start();
  await next(chat, 'message');

  const out = chat.send(OPENING_HOURS);
  assert.equal(await out.settled, 'sent');
  assert.equal(out.resends, 1);
  const attempts = ws.sentOfType('EVENT_TYPE_USER_MESSAGE');
  assert.equal(attempts.length, 2);
  assert.deepEqual(new Set(attempts.map((f) => f.metadata.custom.client_event_id)), new Set([out.clientEventId]));
  client.close();
});

test('without any echo a message fails after its resends, and a retry delivers it', T, async () => {
  const ws = recordingSockets();
  let swallow = true;
  ws.onSend = (f) => (swallow && f.includes('EVENT_TYPE_USER_MESSAGE') ? 'swallow' : 'pass');
  const client = newClient({ WebSocket: ws.Class, receiptTimeoutMs: 50, maxResends: 2 });
  const chat = client.start();
  await next(chat, 'message');

  const out = chat.send(OPENING_HOURS);
  assert.equal(await out.settled, 'failed');
  assert.equal(ws.sentOfType('EVENT_TYPE_USER_MESSAGE').length, 3, 'the send and two resends');

  swallow = false;
  assert.equal(chat.retry(out), true);
  assert.equal(await out.settled, 'sent');
  client.close();
});

test('the same client_event_id sent twice is stored once and confirmed once', T, async () => {
  const ws = recordingSockets();
  ws.onSend = (f) => (f.includes(OPENING_HOURS) ? 'twice' : 'pass');
  const client = newClient({ WebSocket: ws.Class });
  const chat = client.start();
  await next(chat, 'message');
  const events = collect(chat, 'event');
  const deliveries = collect(chat, 'delivery');

  const out = chat.send(OPENING_HOURS);
  await next(chat, 'message', (m) => m.text.includes('Tuesday to Sunday'));
  // The socket is read in order: once "thanks" is answered, the duplicate was handled too.
  const thanks = chat.send('thank you');
  await thanks.settled;
  await next(chat, 'message');

  assert.deepEqual(deliveries.filter(([m]) => m === out).map(([, s]) => s), ['sending', 'sent']);
  const echoes = events.filter((e) => e.type === 'EVENT_TYPE_USER_MESSAGE' && e.payload.text === OPENING_HOURS);
  assert.equal(echoes.length, 1, 'the client delivers the echo once');
  const raw = ws.received.filter((f) => f.includes(echoes[0].id));
  assert.equal(raw.length, 2, 'the server answered the duplicate with the original echo');
  assertNoGapNoDouble(events, events.find((e) => e.sequence != null).sequence);

  const stored = await history(client, chat.sessionId);
  assert.equal(stored.filter((e) => e.type === 'EVENT_TYPE_USER_MESSAGE' && e.payload.text === OPENING_HOURS).length, 1);
  assert.equal(stored.filter((e) => e.type === 'EVENT_TYPE_POLY_AGENT_MESSAGE' && e.payload.text.includes('Tuesday')).length, 1);
  client.close();
});

/**
 * The socket drops around a send; the conversation reconnects from the cursor. `verdict` 'close-after':
 * the server got the message but its echo was lost, so the replay confirms it (no resend needed);
 * 'swallow-close': the message never got out, so it is retransmitted after the reconnect.
 */
async function dropAroundASend(verdict, expectedAttempts) {
  const ws = recordingSockets();
  const client = newClient({ WebSocket: ws.Class });
  const chat = client.start();
  const events = collect(chat, 'event');
  const states = collect(chat, 'state');
  await next(chat, 'message');
  let cursorAtDrop = -1;
  chat.on('state', (s) => { if (s === 'reconnecting') cursorAtDrop = chat.lastSequence; });

  let dropped = false;
  ws.onSend = (f) => (!dropped && f.includes('EVENT_TYPE_USER_MESSAGE') && (dropped = true) ? verdict : 'pass');
  const answer = next(chat, 'message', (m) => m.text.includes('Tuesday to Sunday'));
  const out = chat.send(OPENING_HOURS);
  assert.equal(await out.settled, 'sent');
  await answer;

  assert.equal(ws.sockets.length, 2);
  assert.ok(cursorAtDrop > 0);
  assert.equal(ws.urls[1].searchParams.get('cursor'), String(cursorAtDrop));
  assert.equal(ws.urls[1].searchParams.get('session_id'), chat.sessionId);
  assert.deepEqual(states, ['connecting', 'connected', 'reconnecting', 'connected']);
  const attempts = ws.sentOfType('EVENT_TYPE_USER_MESSAGE');
  assert.equal(attempts.length, expectedAttempts);
  assert.equal(new Set(attempts.map((f) => f.metadata.custom.client_event_id)).size, 1);
  assert.equal(ws.sentOfType('EVENT_TYPE_REQUEST_POLY_AGENT_JOIN').length, 1, 'no second join on reconnect');
  assertNoGapNoDouble(events);

  const stored = await history(client, chat.sessionId);
  const seen = events.filter((e) => e.sequence != null).map((e) => e.id);
  assert.deepEqual(seen, stored.map((e) => e.id).slice(0, seen.length), 'the same events as the stored history');
  assert.equal(stored.filter((e) => e.type === 'EVENT_TYPE_USER_MESSAGE').length, 1, 'stored once');
}

test('the echo is lost in a drop: reconnect from the cursor, the replay confirms it, no gap, no double', T,
  () => dropAroundASend('close-after', 1));

test('a drop before the send: reconnect from the cursor, resend by client_event_id, no gap, no double', T,
  () => dropAroundASend('swallow-close', 2));

test('events produced while disconnected arrive in the replay, in order', T, async () => {
  // The reconnect timer (777 ms, no jitter) is held until the test lets it run.
  let release = null;
  const reconnectHeld = new Promise((resolve) => { release = resolve; });
  const held = [];
  const timers = {
    setTimeout: (f, ms) => (ms === 777 ? (held.push(f), release(), -1) : setTimeout(f, ms)),
    clearTimeout: (t) => (t === -1 ? undefined : clearTimeout(t)),
    now: () => Date.now()
  };
  const ws = recordingSockets();
  const client = newClient({ WebSocket: ws.Class, timers, reconnectInitialDelayMs: 777, reconnectMaxDelayMs: 777, reconnectJitter: 0 });
  const chat = client.start();
  const events = collect(chat, 'event');
  await next(chat, 'message');
  // Another socket of the same session (another tab) talks while this one is down.
  const otherClient = newClient();
  const other = otherClient.resume(chat.sessionId, chat.lastSequence);
  await next(other, 'state', (s) => s === 'connected');

  ws.sockets[0].close();
  await reconnectHeld;
  const replyThere = next(other, 'message', (m) => m.text.includes('Tuesday to Sunday'));
  assert.equal(await other.send(OPENING_HOURS).settled, 'sent');
  await replyThere;
  const cursor = chat.lastSequence;

  const answer = next(chat, 'message', (m) => m.text.includes('Tuesday to Sunday'));
  const theirs = next(chat, 'userMessage', (u) => u.text === OPENING_HOURS);
  held[0]();
  assert.equal((await theirs).mine, false);
  await answer;
  assert.equal(ws.urls[1].searchParams.get('cursor'), String(cursor));
  assertNoGapNoDouble(events);
  client.close();
  otherClient.close();
});

test('a streamed reply is reassembled from its chunks', T, async () => {
  const client = newClient({ streaming: true });
  const chat = client.start();
  const events = collect(chat, 'event');
  const partials = collect(chat, 'partial');
  const greeting = await next(chat, 'message');

  const chunks = events.filter((e) => e.type === 'EVENT_TYPE_POLY_AGENT_MESSAGE_CHUNK' && e.payload.message_id === greeting.messageId);
  assert.ok(chunks.length > 1, 'streamed in several chunks');
  assert.equal(events.filter((e) => e.type === 'EVENT_TYPE_POLY_AGENT_MESSAGE').length, 0);
  const byIndex = chunks.map((e) => e.payload).sort((a, b) => a.chunk_index - b.chunk_index);
  assert.equal(byIndex[0].chunk_index, 1);
  assert.equal(greeting.text, byIndex.map((p) => p.text || '').join(''));
  assert.deepEqual(greeting.suggestions, byIndex.flatMap((p) => p.response_suggestions || []));
  assert.match(greeting.text, /Harbour Kitchen/);
  assert.equal(greeting.sequence, chunks[0].sequence);
  const texts = partials.filter((p) => p.messageId === greeting.messageId).map((p) => p.text);
  assert.equal(texts.length, chunks.length);
  texts.forEach((t, i) => assert.ok(i === 0 || t.startsWith(texts[i - 1]), 'each partial extends the previous'));
  assert.equal(texts.at(-1), greeting.text);
  client.close();
});

test('a reload: resume from cursor 0 replays everything and goes on without a second join', T, async () => {
  const client = newClient({ streaming: true });
  const first = client.start();
  await next(first, 'message');
  const sessionId = first.sessionId;
  first.close();

  const ws = recordingSockets();
  const again = newClient({ WebSocket: ws.Class, streaming: true });
  const chat = again.resume(sessionId, 0);
  const messages = collect(chat, 'message');
  await next(chat, 'state', (s) => s === 'connected');
  assert.equal(messages.length, 1, 'the greeting, reassembled from the replayed chunks');
  const answer = next(chat, 'message', (m) => m.text.includes('Tuesday to Sunday'));
  chat.send(OPENING_HOURS);
  await answer;
  assert.equal(ws.sentOfType('EVENT_TYPE_REQUEST_POLY_AGENT_JOIN').length, 0);
  client.close();
  again.close();
});

test('heartbeats go out at the advertised interval and are echoed', T, async () => {
  const held = [];
  const timers = {
    setTimeout: (f, ms) => (ms === 30_000 ? (held.push(f), -held.length) : setTimeout(f, ms)),
    clearTimeout: (t) => (typeof t === 'number' && t < 0 ? undefined : clearTimeout(t)),
    now: () => Date.now()
  };
  const ws = recordingSockets();
  const client = newClient({ WebSocket: ws.Class, timers });
  const chat = client.start();
  await next(chat, 'message');
  assert.equal(chat.capabilities.heartbeat_interval_seconds, 30);
  assert.equal(held.length, 1, 'one heartbeat scheduled, 30 s ahead');

  const echo = next(chat, 'event', (e) => e.type === 'EVENT_TYPE_HEARTBEAT');
  held[0]();
  assert.equal((await echo).sequence, null, 'heartbeat echoes are transient');
  assert.equal(ws.sentOfType('EVENT_TYPE_HEARTBEAT').length, 1);
  assert.equal(held.length, 2, 'and the next one is scheduled');
  client.close();
});

test('a socket that answers no heartbeat is presumed dead and replaced from the cursor', T, async () => {
  const held = [];
  const timers = {
    setTimeout: (f, ms) => (ms === 30_000 ? (held.push(f), -held.length) : setTimeout(f, ms)),
    clearTimeout: (t) => (typeof t === 'number' && t < 0 ? undefined : clearTimeout(t)),
    now: () => Date.now()
  };
  const ws = recordingSockets();
  const client = newClient({ WebSocket: ws.Class, timers, heartbeatTimeoutMs: 100 });
  const chat = client.start();
  const events = collect(chat, 'event');
  await next(chat, 'message');
  const cursor = chat.lastSequence;
  ws.onSend = (f) => (f.includes('EVENT_TYPE_HEARTBEAT') ? 'swallow' : 'pass'); // a silent network

  const back = next(chat, 'state', (s) => s === 'connected');
  held[0]();
  await back;
  assert.equal(ws.sockets.length, 2);
  assert.equal(ws.urls[1].searchParams.get('cursor'), String(cursor));
  ws.onSend = () => 'pass';
  const answer = next(chat, 'message', (m) => m.text.includes('Tuesday to Sunday'));
  assert.equal(await chat.send(OPENING_HOURS).settled, 'sent');
  await answer;
  assertNoGapNoDouble(events);
});

test('the access token is renewed ahead of expiry and a reconnect uses the fresh one', T, async () => {
  const minted = [];
  let thirdMinted = null;
  const renewedTwice = new Promise((resolve) => { thirdMinted = resolve; });
  const getAccessToken = async () => {
    const res = await fetch(BASE_URL + '/api/v1/access-token', {
      method: 'POST', headers: { 'X-Token': 'parley-demo-token', 'X-Host': 'localhost', 'Content-Type': 'application/json' }, body: '{}'
    });
    const body = await res.json();
    minted.push(body.access_token);
    if (minted.length === 3) thirdMinted();
    return { access_token: body.access_token, expires_in: 2 }; // renewed half way, after 1 s
  };
  const ws = recordingSockets();
  const client = newClient({ WebSocket: ws.Class, getAccessToken, connectorToken: undefined });
  const chat = client.start();
  await next(chat, 'message');
  await renewedTwice; // the initial token and two renewals, without any reconnect
  assert.equal(ws.sockets.length, 1);

  ws.sockets[0].close();
  await next(chat, 'state', (s) => s === 'connected');
  const used = ws.urls[1].searchParams.get('access_token');
  assert.notEqual(used, minted[0]);
  assert.ok(minted.indexOf(used) >= 2, 'a renewed token');
  client.close();
});

test('end(): the session ends as REASON_USER_END and the conversation closes', T, async () => {
  const client = newClient();
  const chat = client.start();
  await next(chat, 'message');
  const ended = next(chat, 'sessionEnded');
  await chat.end();
  assert.equal(await ended, 'REASON_USER_END');
  assert.equal(chat.state, 'closed');
  assert.equal(await chat.send('too late').settled, 'failed');
});

test('a refused connector token ends the conversation with a ConversationLostError', T, async () => {
  const client = newClient({ connectorToken: 'not-a-connector' });
  const chat = client.start();
  const out = chat.send('hello?');
  const error = await next(chat, 'failure');
  assert.ok(error instanceof ConversationLostError);
  assert.equal(error.status, 401);
  assert.equal(error.code, 'refused');
  assert.equal(await out.settled, 'failed');
  assert.equal(chat.state, 'closed');
});

test('resuming an unknown session fails as session-unavailable instead of retrying forever', T, async () => {
  const client = newClient();
  const chat = client.resume('00000000-0000-4000-8000-000000000000', 0);
  const error = await next(chat, 'failure');
  assert.equal(error.code, 'session-unavailable');
  assert.equal(chat.state, 'closed');
});
