// The automatic join of a new session and what may come before it: the beforeJoin hook (the
// widget's verified context waits there), its time limit, submitContext, and the replaying flag.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { newClient, closeClients, recordingSockets, next, collect, assertNoGapNoDouble } from './support.mjs';

const T = { timeout: 30_000 };
const JOIN = 'EVENT_TYPE_REQUEST_POLY_AGENT_JOIN';
afterEach(closeClients);

test('beforeJoin is awaited before the join and sees the session and its context id', T, async () => {
  const ws = recordingSockets();
  let release;
  const seen = [];
  const hookCalled = new Promise((called) => {
    const client = newClient({
      WebSocket: ws.Class,
      beforeJoin: (conversation) => {
        seen.push({ sessionId: conversation.sessionId, contextId: conversation.contextId, state: conversation.state });
        called(conversation);
        return new Promise((r) => { release = r; });
      }
    });
    client.start();
  });
  const chat = await hookCalled;
  const greeting = next(chat, 'message');
  assert.equal(seen.length, 1);
  assert.match(seen[0].sessionId, /^[0-9a-f-]{36}$/);
  assert.match(seen[0].contextId, /^ctx_[0-9a-f]{32}$/);
  assert.equal(seen[0].state, 'connected');
  await new Promise((r) => setImmediate(r));
  assert.equal(ws.sentOfType(JOIN).length, 0, 'the socket is live, yet the join waits for beforeJoin');
  release();
  assert.match((await greeting).text, /Harbour Kitchen/);
  assert.equal(ws.sentOfType(JOIN).length, 1);
  assert.equal(seen.length, 1, 'asked once');
});

test('a beforeJoin that never settles delays the join only up to beforeJoinTimeoutMs', T, async () => {
  const ws = recordingSockets();
  let calls = 0;
  let joinsWhenAsked = -1;
  const client = newClient({
    WebSocket: ws.Class, beforeJoinTimeoutMs: 300,
    beforeJoin: () => { calls++; joinsWhenAsked = ws.sentOfType(JOIN).length; return new Promise(() => {}); }
  });
  const chat = client.start();
  assert.match((await next(chat, 'message')).text, /Harbour Kitchen/);
  assert.equal(joinsWhenAsked, 0);
  assert.equal(calls, 1);
  assert.equal(ws.sentOfType(JOIN).length, 1);
});

test('a beforeJoin that throws or rejects does not hold the join up', T, async () => {
  for (const hook of [() => { throw new Error('boom'); }, () => Promise.reject(new Error('no'))]) {
    const client = newClient({ beforeJoin: hook });
    const chat = client.start();
    assert.match((await next(chat, 'message')).text, /Harbour Kitchen/);
    client.close();
  }
});

test('submitContext posts the token for the session; a bad one is refused with its status', T, async () => {
  let chat;
  const result = new Promise((resolve) => {
    const client = newClient({
      beforeJoin: (c) => c.submitContext('not-a-jwt').then(() => resolve('accepted'), (e) => resolve(e.status))
    });
    chat = client.start();
  });
  assert.equal(await result, 422);
  assert.match((await next(chat, 'message')).text, /Harbour Kitchen/, 'the chat goes on without the context');
});

test('a resumed session is not joined again and does not call beforeJoin; replayed events are marked', T, async () => {
  const first = newClient().start();
  await next(first, 'message');
  const sessionId = first.sessionId;
  first.close();

  let calls = 0;
  const ws = recordingSockets();
  const replay = newClient({ WebSocket: ws.Class, beforeJoin: () => { calls++; } }).resume(sessionId, 0);
  const marks = [];
  replay.on('event', (e) => marks.push([e.type, replay.replaying]));
  const connected = next(replay, 'state', (s) => s === 'connected');
  const replayedGreeting = collect(replay, 'message');
  await connected;
  assert.ok(marks.length > 0 && marks.every(([, r]) => r === true), 'the history arrives as a replay');
  assert.equal(replayedGreeting.length, 1);
  const answer = next(replay, 'message', (m) => m.text.includes('Tuesday to Sunday'));
  replay.send('What are your opening hours?');
  await answer;
  assert.equal(marks[marks.length - 1][1], false, 'live events are not replayed');
  assert.equal(replay.replaying, false);
  assert.equal(calls, 0);
  assert.equal(ws.sentOfType(JOIN).length, 0);
});

test('a frame lost on a live socket: the gap is noticed and the replay from the cursor fills it, no gap, no double', T, async () => {
  const ws = recordingSockets();
  let drop = false;
  let dropped = 0;
  let onDrop;
  const droppedOne = new Promise((r) => { onDrop = r; });
  // Drops one live agent message on its way in, as a faulty proxy might; the socket stays up.
  class Lossy extends ws.Class {
    set onmessage(handler) {
      super.onmessage = handler ? (m) => {
        if (drop && String(m.data).startsWith('{') && JSON.parse(m.data).type === 'EVENT_TYPE_POLY_AGENT_MESSAGE') {
          drop = false;
          dropped++;
          onDrop();
          return;
        }
        handler(m);
      } : handler;
    }

    get onmessage() {
      return super.onmessage;
    }
  }
  const client = newClient({ WebSocket: Lossy, gapTimeoutMs: 200 });
  const chat = client.start();
  const events = collect(chat, 'event');
  await next(chat, 'message');
  drop = true;
  const first = next(chat, 'message', (m) => m.text.includes('Tuesday to Sunday'));
  assert.equal(await chat.send('What are your opening hours?').settled, 'sent');
  await droppedOne;
  // The next stored event reveals the gap.
  const second = next(chat, 'message', (m) => m.text.includes('Starters cost'));
  chat.send('How much does it cost?');
  await first;
  await second;
  assert.equal(dropped, 1);
  assert.equal(ws.sockets.length, 2, 'the socket was replaced once');
  assertNoGapNoDouble(events);
});
