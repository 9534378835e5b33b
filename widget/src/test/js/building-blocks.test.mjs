// The pure parts of parley-client.js: back-off, ordering and dedupe, stream reassembly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, EventSequencer, StreamAssembler } from '../../main/js/parley-client/parley-client.js';

test('back-off doubles from the initial delay up to the cap, spread by the jitter', () => {
  const mid = () => 0.5;
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, 1000, 30000, 0.2, mid)),
    [1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  assert.equal(backoffDelay(1, 1000, 30000, 0.2, () => 0), 800);
  assert.equal(backoffDelay(1, 1000, 30000, 0.2, () => 0.999999), 1200);
  assert.equal(backoffDelay(500, 1000, 30000, 0, mid), 30000);
});

const ev = (id, sequence) => ({ id, sequence, type: 'EVENT_TYPE_X', payload: {} });

test('the sequencer holds events after a gap, delivers in order, drops duplicates', () => {
  const s = new EventSequencer(0);
  assert.deepEqual(s.accept(ev('a', 1)).map((e) => e.id), ['a']);
  assert.deepEqual(s.accept(ev('c', 3)), []);
  assert.deepEqual(s.accept(ev('t', null)).map((e) => e.id), ['t'], 'transient events pass at once');
  assert.deepEqual(s.accept(ev('b', 2)).map((e) => e.id), ['b', 'c']);
  assert.deepEqual(s.accept(ev('b', 2)), []);
  assert.deepEqual(s.accept(ev('t', null)), [], 'a transient duplicate is known by its id');
  assert.equal(s.delivered, 3);
});

test('the sequencer starts after its cursor and gives a gap up beyond its bound', () => {
  const s = new EventSequencer(10, 2);
  assert.deepEqual(s.accept(ev('old', 10)), []);
  assert.deepEqual(s.accept(ev('x', 13)), []);
  assert.deepEqual(s.accept(ev('y', 14)), []);
  assert.deepEqual(s.accept(ev('z', 15)).map((e) => e.id), ['x', 'y', 'z']);
  assert.equal(s.delivered, 15);
});

test('chunks are reassembled in chunk_index order whatever order they come in', () => {
  const a = new StreamAssembler();
  const chunk = (i, text, extra = {}) => Object.assign({ message_id: 'm1', chunk_index: i, text, attachments: [], response_suggestions: [] }, extra);
  assert.equal(a.accept(chunk(2, 'there, ')), null, 'waits for chunk 1');
  const first = a.accept(chunk(1, 'Hello ', { attachments: [{ title: 'A1' }], response_suggestions: [{ message_text: 'S1' }] }));
  assert.equal(first.partial.text, 'Hello there, ');
  assert.equal(first.completed, null);
  assert.equal(a.accept(chunk(1, 'Hello ')), null, 'a duplicate chunk changes nothing');
  const done = a.accept(chunk(3, 'how can I help?', { is_complete: true }));
  assert.equal(done.completed.text, 'Hello there, how can I help?');
  assert.deepEqual(done.completed.attachments, [{ title: 'A1' }]);
  assert.deepEqual(done.completed.suggestions, [{ message_text: 'S1' }]);
  assert.equal(a.open.size, 0);
});

test('at most maxOpen unfinished streams are kept', () => {
  const a = new StreamAssembler(2);
  for (const id of ['a', 'b', 'c']) a.accept({ message_id: id, chunk_index: 1, text: id });
  assert.deepEqual([...a.open.keys()], ['b', 'c']);
});
