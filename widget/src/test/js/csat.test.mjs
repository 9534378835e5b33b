// parley-client.js rating a conversation (CSAT) against a real Parley server: the demo live agent
// Sarah (desk on, JsClientNodeTest's server) takes the conversation over a desk socket and ends it;
// then rate() stores the rating once and rating() reads it back.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { newClient, closeClients, next, BASE_URL } from './support.mjs';

const T = { timeout: 30_000 };
afterEach(closeClients);

/** Sarah's desk socket, opened and past its first snapshot. */
async function sarah() {
  const res = await fetch(BASE_URL + '/desk/api/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'Sarah', password: 'parley-demo' })
  });
  assert.equal(res.status, 200, 'the demo agent logs in');
  const { token } = await res.json();
  const ws = new WebSocket(BASE_URL.replace(/^http/, 'ws') + '/desk/ws?token=' + encodeURIComponent(token));
  await new Promise((resolve, reject) => {
    ws.addEventListener('message', function first(m) {
      if (JSON.parse(String(m.data)).type === 'desk.snapshot') { ws.removeEventListener('message', first); resolve(); }
    });
    ws.addEventListener('error', reject);
  });
  return ws;
}

/** A conversation handed to Sarah, who ends it; resolves once the client saw the end. */
async function endedLiveAgentConversation(desk) {
  const chat = newClient().start();
  await next(chat, 'message');
  const joined = next(chat, 'liveAgentJoined');
  chat.send('I want to talk to a person');
  assert.equal((await joined).name, 'Sarah');
  const ended = next(chat, 'sessionEnded');
  desk.send(JSON.stringify({ type: 'desk.end', session_id: chat.sessionId }));
  assert.equal(await ended, 'REASON_NATURAL_END');
  await chat.closed;
  return chat;
}

test('rate() after a live agent ended the conversation stores it once; rating() reads it back', T, async () => {
  const desk = await sarah();
  try {
    const chat = await endedLiveAgentConversation(desk);
    assert.equal(chat.state, 'closed');
    assert.equal(await chat.rating(), null, 'not rated yet');

    const given = await chat.rate({ rating: 4, comment: 'Quick and kind' });

    assert.equal(given.rating, 4);
    assert.equal(given.comment, 'Quick and kind');
    assert.ok(!Number.isNaN(Date.parse(given.createdAt)));
    assert.deepEqual(await chat.rating(), given);
    const again = await chat.rate({ rating: 1 }).then(() => null, (e) => e);
    assert.equal(again.status, 409);
    assert.equal(again.error, 'rating already given');

    // A reload: a new client resuming the ended session knows it was rated.
    const reloaded = newClient().resume(chat.sessionId, 0);
    await reloaded.closed;
    assert.deepEqual(await reloaded.rating(), given);
    assert.deepEqual(await newClient().rating(chat.sessionId), given, 'by session id, as a reloaded widget asks');
    const byId = await newClient().rate(chat.sessionId, { rating: 2 }).then(() => null, (e) => e);
    assert.equal(byId.status, 409);
  } finally {
    desk.close();
  }
});

test('rate() is refused for a conversation no live agent had, and for values out of range', T, async () => {
  const chat = newClient().start();
  await next(chat, 'message');
  const early = await chat.rate({ rating: 5 }).then(() => null, (e) => e);
  assert.equal(early.status, 409);
  assert.equal(early.error, 'conversation has not ended');
  const bad = await chat.rate({ rating: 9 }).then(() => null, (e) => e);
  assert.equal(bad.status, 400);
  await chat.end();
  const refused = await chat.rate({ rating: 5, comment: '   ' }).then(() => null, (e) => e);
  assert.equal(refused.status, 409);
  assert.equal(refused.error, 'no rating for this conversation');
  assert.equal(await chat.rating(), null);
});
