/**
 * Parley headless client: the Messaging protocol (PROTOCOL.md) for web pages and Node 20+, with no
 * dependencies and no UI. It does what the Java SDK does for Java applications: access token and
 * session over REST (and token renewal), the WebSocket with heartbeats, delivery receipts matched by
 * `client_event_id` with resends, reconnection from the last sequence with exponential back-off and
 * jitter, events deduplicated and in sequence order, and streamed replies reassembled.
 *
 * ```js
 * import { ParleyClient } from 'https://chat.example.com/parley-client.js';
 * const client = new ParleyClient({ baseUrl: 'https://chat.example.com', connectorToken, host: 'shop.example.com', streaming: true });
 * const chat = client.start();
 * chat.on('message', (m) => show(m.text));
 * chat.on('delivery', (out, status) => mark(out.clientEventId, status));
 * chat.send('What are your opening hours?');
 * ```
 *
 * Listeners registered in the same task as `start()` see everything: nothing happens before the
 * first network answer. A listener that throws is reported to `console.error` and otherwise ignored.
 *
 * @module parley-client
 * @license MIT
 */

// ---- typed events (JSDoc) ------------------------------------------------------------------------

/**
 * @typedef {'connecting'|'connected'|'reconnecting'|'closed'} ConnectionState
 * `connecting`: token, session or first socket; `connected`: the socket is open and its history
 * replay arrived (sends go out at once); `reconnecting`: the socket dropped, waiting out the
 * back-off; `closed`: final (session ended, gave up, or `close()`).
 */

/** @typedef {'sending'|'sent'|'failed'} DeliveryStatus  `sent` = echoed by the server, stored exactly once. */

/**
 * A server event envelope (PROTOCOL.md §4.2).
 * @typedef {Object} ServerEvent
 * @property {string} id            unique event id
 * @property {number|null} sequence  per-session order, `null` for transient events (typing, heartbeat echoes)
 * @property {string} timestamp     ISO 8601
 * @property {string} type          `EVENT_TYPE_*`
 * @property {Object} payload
 * @property {{custom?: Object<string, *>}} [metadata]  echoed client metadata
 */

/**
 * @typedef {Object} Capabilities  from `EVENT_TYPE_SESSION_START` (§6.4)
 * @property {boolean} streaming
 * @property {number} max_message_size_bytes
 * @property {number} max_reconnect_attempts
 * @property {number} heartbeat_interval_seconds
 */

/**
 * @typedef {Object} Attachment  (§8)
 * @property {string} [title]
 * @property {string} [preview_image_url]
 * @property {string} [content_url]
 * @property {'ATTACHMENT_CONTENT_TYPE_URL'|'ATTACHMENT_CONTENT_TYPE_IMAGE'} [content_type]
 * @property {string} [call_to_action_text]
 */

/** @typedef {{message_text: string}} Suggestion  a quick reply: send `message_text` back with `send()` */

/** @typedef {{title?: string, contact_number?: string}} ChatCallAction  a "call us" button (extension) */

/**
 * A whole agent message: an AI reply in one piece, an AI reply reassembled from its chunks (§7), or a
 * live agent's message.
 * @typedef {Object} AgentMessage
 * @property {string} messageId
 * @property {'ai'|'live'} from
 * @property {string|null} agentId       the live agent's id, `null` for the AI
 * @property {string} text
 * @property {Attachment[]} attachments
 * @property {Suggestion[]} suggestions
 * @property {ChatCallAction[]} chatCallActions
 * @property {string|null} agentName      when the server names the sender on the message (extension)
 * @property {string|null} avatarUrl
 * @property {boolean} endConversation    the closing message: `SESSION_END` follows (extension)
 * @property {number|null} sequence       of the message (the first chunk's when streamed)
 * @property {string} timestamp
 */

/**
 * Streaming progress for one message.
 * @typedef {Object} PartialMessage
 * @property {string} messageId
 * @property {string} text          everything received so far
 * @property {number} chunkIndex    the last chunk applied (1-based)
 * @property {number|null} sequence  of the first chunk
 */

/**
 * A user message as stored by the server: one of ours once echoed, or one sent by another socket of
 * the session (another tab, or the history replayed after a reload).
 * @typedef {Object} UserMessage
 * @property {string} messageId
 * @property {string} text
 * @property {string|null} clientEventId
 * @property {boolean} mine          sent by this conversation object
 * @property {number|null} sequence
 * @property {string} timestamp
 */

/** @typedef {{name: string, avatarUrl: string}} AgentJoined */
/** @typedef {{id?: string, name?: string, avatarUrl?: string}} LiveAgent */
/** @typedef {{agentId: string|null, typing: boolean}} LiveAgentTyping */
/** @typedef {{agentId?: string, agentName?: string, reason?: string}} LiveAgentLeft */
/** @typedef {{queueName?: string, position?: number, estimatedWaitSeconds?: number, displayMessage?: string}} QueueStatus */
/** @typedef {{reason: 'COMPLEX_QUERY'|'AGENT_DECISION'|'POLICY', queueName?: string}} ClientHandoffRequired */
/**
 * @typedef {Object} SystemNotice
 * @property {'SYSTEM_MESSAGE_LEVEL_INFO'|'SYSTEM_MESSAGE_LEVEL_WARNING'|'SYSTEM_MESSAGE_LEVEL_ERROR'} level
 * @property {string} message
 * @property {string|null} clientEventId  the message of ours that caused it, if any
 */
/** @typedef {{secondsRemaining?: number, endsAt?: string}} IdleWarning */
/** @typedef {'REASON_USER_END'|'REASON_USER_ABANDONED'|'REASON_NATURAL_END'|string} EndReason */

/**
 * The listener signature of each event name of {@link Conversation#on}.
 * @typedef {Object} ConversationEvents
 * @property {(event: ServerEvent) => void} event            every server event, batches flattened, each once, stored ones in sequence order
 * @property {(state: ConnectionState) => void} state
 * @property {(agent: AgentJoined) => void} agentJoined
 * @property {() => void} agentThinking                     show a typing indicator until the next message
 * @property {(message: AgentMessage) => void} message      AI (whole or reassembled) and live-agent messages
 * @property {(partial: PartialMessage) => void} partial    streaming progress
 * @property {(message: UserMessage) => void} userMessage
 * @property {() => void} agentLeft
 * @property {(handoff: {reason?: string, queueName?: string}) => void} handoffTriggered
 * @property {() => void} handoffAccepted
 * @property {(status: QueueStatus) => void} queueStatus
 * @property {(handoff: ClientHandoffRequired) => void} clientHandoffRequired
 * @property {() => void} handoffFailed
 * @property {() => void} handoffTimeout
 * @property {(agent: LiveAgent) => void} liveAgentJoined
 * @property {(typing: LiveAgentTyping) => void} liveAgentTyping
 * @property {(left: LiveAgentLeft) => void} liveAgentLeft
 * @property {(notice: SystemNotice) => void} systemMessage
 * @property {(languageCode: string) => void} languageChanged
 * @property {(warning: IdleWarning) => void} idleWarning
 * @property {(reason: EndReason) => void} sessionEnded     the conversation closes right after
 * @property {(message: OutgoingMessage, status: DeliveryStatus) => void} delivery
 * @property {(error: ConversationLostError) => void} failure  gave up; `state('closed')` follows
 */

/**
 * Access token as the REST endpoint returns it (§2.1).
 * @typedef {{access_token: string, expires_in?: number}} AccessTokenResponse
 */

/**
 * @typedef {Object} ClientOptions
 * @property {string} baseUrl                    server root, `http(s)://host[:port]`; the socket uses `ws(s)://`
 * @property {string} [connectorToken]           exchanged for access tokens (§2.1); prefer `getAccessToken` in public pages
 * @property {string} [host]                     `X-Host`; default `location.hostname` in browsers, else `localhost`
 * @property {() => Promise<AccessTokenResponse>} [getAccessToken]  mints a token (e.g. through your backend) instead of `connectorToken`
 * @property {string} [platform='web']           reported at session creation
 * @property {boolean} [streaming=false]         ask for streamed AI replies
 * @property {number} [reconnectInitialDelayMs=1000]
 * @property {number} [reconnectMaxDelayMs=30000]
 * @property {number} [reconnectJitter=0.2]      each delay is spread by up to this fraction either way
 * @property {number} [maxReconnectAttempts]     failed attempts in a row before giving up; default: the session's
 *                                               `capabilities.max_reconnect_attempts` (5 before it is known); `Infinity`: never
 * @property {number} [receiptTimeoutMs=5000]    wait for an echo; attempt n waits n times this
 * @property {number} [maxResends=3]
 * @property {number} [tokenRenewalMarginMs=300000]  renew the access token this long before it expires
 * @property {(conversation: Conversation) => (Promise<*>|*)} [beforeJoin]  awaited before the automatic join of a
 *                                               session whose history has none (e.g. to submit a verified context with
 *                                               `submitContext`, so the greeting already sees it); fails open
 * @property {number} [beforeJoinTimeoutMs=5000]  the join waits for `beforeJoin` at most this long
 * @property {number} [gapTimeoutMs=3000]        a gap in the sequence not filled this long (a frame lost on the way, e.g.
 *                                               by a proxy): the socket is replaced from the cursor, whose replay fills it
 * @property {number} [heartbeatTimeoutMs=10000]  no frame at all this long after a heartbeat (whose echo is due):
 *                                               the socket is presumed dead (a silent network loss), closed and reconnected
 * @property {typeof WebSocket} [WebSocket]      a WebSocket class (default the global one; Node 20 needs `--experimental-websocket` or an injected one)
 * @property {typeof fetch} [fetch]              default the global `fetch`
 * @property {{setTimeout: Function, clearTimeout: Function, now: () => number}} [timers]  for tests; default the globals and `Date.now`
 * @property {() => number} [random]             jitter source, default `Math.random`
 */

/**
 * A conversation's CSAT rating as the server stored it.
 * @typedef {{rating: number, comment: string|null, createdAt: string}} Csat
 */

// ---- constants (PROTOCOL.md §0) --------------------------------------------------------------------

const T = 'EVENT_TYPE_';
const DEFAULT_HEARTBEAT_SECONDS = 30;
const DEFAULT_MAX_RECONNECT_ATTEMPTS = 5;
const MAX_HELD_EVENTS = 1000;
const ID_WINDOW = 1024;
const MAX_OPEN_STREAMS = 32;
const MAX_TIMER_MS = 2147483647;

/** @type {Readonly<Record<'SENDING'|'SENT'|'FAILED', DeliveryStatus>>} */
export const DeliveryStatus = Object.freeze({ SENDING: 'sending', SENT: 'sent', FAILED: 'failed' });
/** @type {Readonly<Record<'CONNECTING'|'CONNECTED'|'RECONNECTING'|'CLOSED', ConnectionState>>} */
export const ConnectionState = Object.freeze({
  CONNECTING: 'connecting', CONNECTED: 'connected', RECONNECTING: 'reconnecting', CLOSED: 'closed'
});

/**
 * The client stopped trying: a REST call was refused (4xx other than 429), the reconnect budget ran
 * out, or a resumed session could not be reached although the server answers (it expired).
 * Start a new conversation to carry on (§3.6).
 */
export class ConversationLostError extends Error {
  /**
   * @param {string} message
   * @param {number} status  the refusing HTTP status, or -1
   * @param {'refused'|'unreachable'|'session-unavailable'} code
   */
  constructor(message, status, code) {
    super(message);
    this.name = 'ConversationLostError';
    /** @type {number} */
    this.status = status;
    /** @type {'refused'|'unreachable'|'session-unavailable'} */
    this.code = code;
  }
}

/** @param {{rating: number, comment?: string|null, created_at: string}} answer @returns {Csat} */
function csat(answer) {
  return { rating: answer.rating, comment: answer.comment == null ? null : answer.comment, createdAt: answer.created_at };
}

const csatPath = (sessionId) => '/api/v1/sessions/' + encodeURIComponent(sessionId) + '/csat';

async function rateSession(client, sessionId, { rating, comment } = {}, headers) {
  const body = { rating };
  if (comment != null && String(comment).trim() !== '') body.comment = String(comment);
  return csat(await client.request('POST', csatPath(sessionId), headers, body));
}

async function sessionRating(client, sessionId, headers) {
  try {
    return csat(await client.request('GET', csatPath(sessionId), headers));
  } catch (e) {
    if (e.status === 404 && e.error === 'no rating given') return null;
    throw e;
  }
}

// ---- building blocks, exported for tests and for UIs that keep their own state ---------------------

/**
 * The wait before reconnect attempt `attempt` (1-based): `initial` doubled per attempt up to `max`,
 * spread by ±`jitter` so that clients dropped together do not come back together (§3.6).
 * @param {number} attempt @param {number} initial @param {number} max @param {number} jitter
 * @param {() => number} [random]
 * @returns {number} milliseconds
 */
export function backoffDelay(attempt, initial, max, jitter, random = Math.random) {
  const doublings = Math.min(Math.max(0, attempt - 1), 30);
  const capped = Math.min(max, initial * 2 ** doublings);
  return Math.max(1, Math.round(capped * (1 + jitter * (2 * random() - 1))));
}

/**
 * Each event once, stored events in `sequence` order (§4.5). A stored event at or below the
 * delivered sequence is a duplicate by its number alone, so only a window of ids is kept (for
 * transient events). Events after a gap wait, at most `maxHeld`; past that the gap is given up on.
 */
export class EventSequencer {
  /** @param {number} [cursor=0] @param {number} [maxHeld] @param {number} [idWindow] */
  constructor(cursor = 0, maxHeld = MAX_HELD_EVENTS, idWindow = ID_WINDOW) {
    this.delivered = cursor;
    this.maxHeld = maxHeld;
    this.idWindow = idWindow;
    /** @type {Map<number, ServerEvent>} */
    this.held = new Map();
    /** @type {Set<string>} */
    this.recentIds = new Set();
  }

  /** @param {ServerEvent} event @returns {ServerEvent[]} what may be delivered now, in order */
  accept(event) {
    if (event.id != null && this.recentIds.has(event.id)) return [];
    if (typeof event.sequence !== 'number') {
      this.remember(event.id);
      return [event];
    }
    const seq = event.sequence;
    if (seq <= this.delivered || this.held.has(seq)) return [];
    this.held.set(seq, event);
    const ready = [];
    this.drain(ready);
    if (this.held.size > this.maxHeld) {
      this.delivered = Math.min(...this.held.keys()) - 1; // give the gap up
      this.drain(ready);
    }
    return ready;
  }

  /** @private */
  drain(ready) {
    for (let next = this.held.get(this.delivered + 1); next; next = this.held.get(this.delivered + 1)) {
      this.held.delete(this.delivered + 1);
      this.delivered++;
      this.remember(next.id);
      ready.push(next);
    }
  }

  /** @private */
  remember(id) {
    if (id == null) return;
    this.recentIds.add(id);
    if (this.recentIds.size > this.idWindow) this.recentIds.delete(this.recentIds.values().next().value);
  }
}

/**
 * Reassembles streamed AI replies (§7): grouped by `message_id`, applied in `chunk_index` order,
 * text concatenated, attachments and suggestions appended, complete at `is_complete`. At most
 * `maxOpen` unfinished messages are kept (the oldest is dropped).
 */
export class StreamAssembler {
  /** @param {number} [maxOpen] */
  constructor(maxOpen = MAX_OPEN_STREAMS) {
    this.maxOpen = maxOpen;
    /** @type {Map<string, any>} */
    this.open = new Map();
  }

  /**
   * @param {Object} chunk  a chunk payload
   * @param {ServerEvent} [event]  its envelope (sequence, timestamp)
   * @returns {{partial: PartialMessage, completed: AgentMessage|null}|null}  null when nothing changed
   */
  accept(chunk, event) {
    const id = chunk.message_id;
    let a = this.open.get(id);
    if (!a) {
      a = { waiting: new Map(), next: 1, text: '', attachments: [], suggestions: [], calls: [], last: {}, complete: false,
        sequence: event && typeof event.sequence === 'number' ? event.sequence : null, timestamp: event ? event.timestamp : '' };
      this.open.set(id, a);
    }
    const index = Number.isInteger(chunk.chunk_index) ? chunk.chunk_index : a.next;
    if (index < a.next || a.waiting.has(index)) return null;
    a.waiting.set(index, chunk);
    let progressed = false;
    for (let c = a.waiting.get(a.next); c; c = a.waiting.get(a.next)) {
      a.waiting.delete(a.next);
      a.next++;
      progressed = true;
      a.text += c.text || '';
      a.attachments.push(...list(c.attachments));
      a.suggestions.push(...list(c.response_suggestions));
      a.calls.push(...list(c.chat_call_actions));
      a.last = c;
      a.complete = a.complete || c.is_complete === true;
    }
    while (this.open.size > this.maxOpen) this.open.delete(this.open.keys().next().value);
    if (!progressed) return null;
    const partial = { messageId: id, text: a.text, chunkIndex: a.next - 1, sequence: a.sequence };
    if (!a.complete) return { partial, completed: null };
    this.open.delete(id);
    return {
      partial,
      completed: agentMessage('ai', id, a.last, a.text, a.attachments, a.suggestions, a.calls, a.sequence, a.timestamp)
    };
  }
}

const list = (v) => (Array.isArray(v) ? v : []);

function agentMessage(from, id, p, text, attachments, suggestions, calls, sequence, timestamp) {
  return {
    messageId: id, from, agentId: from === 'live' ? p.agent_id || null : null, text: text || '',
    attachments, suggestions, chatCallActions: calls, agentName: p.agent_name || null, avatarUrl: p.avatar_url || null,
    endConversation: p.end_conversation === true, sequence, timestamp: timestamp || ''
  };
}

const uuid = () => (globalThis.crypto && globalThis.crypto.randomUUID
  ? globalThis.crypto.randomUUID()
  : 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
    const r = Math.floor(Math.random() * 16);
    return (c === 'x' ? r : (r & 3) | 8).toString(16);
  }));

const byteLength = (s) => (typeof TextEncoder === 'function' ? new TextEncoder().encode(s).length : s.length * 3);

// ---- the emitter -------------------------------------------------------------------------------------

/** A minimal event emitter; the same in browsers and Node. */
class Emitter {
  constructor() {
    /** @type {Map<string, Set<Function>>} */
    this.listeners = new Map();
  }

  /**
   * Adds a listener; returns a function that removes it.
   * @template {keyof ConversationEvents} K
   * @param {K} name @param {ConversationEvents[K]} listener @returns {() => void}
   */
  on(name, listener) {
    if (!this.listeners.has(name)) this.listeners.set(name, new Set());
    this.listeners.get(name).add(listener);
    return () => this.off(name, listener);
  }

  /**
   * @template {keyof ConversationEvents} K
   * @param {K} name @param {ConversationEvents[K]} listener @returns {() => void}
   */
  once(name, listener) {
    const off = this.on(name, /** @type {any} */ ((...args) => { off(); listener(...args); }));
    return off;
  }

  /**
   * @template {keyof ConversationEvents} K
   * @param {K} name @param {ConversationEvents[K]} listener
   */
  off(name, listener) {
    const set = this.listeners.get(name);
    if (set) set.delete(listener);
  }

  /** @protected */
  emit(name, ...args) {
    const set = this.listeners.get(name);
    if (!set) return;
    for (const l of [...set]) {
      try { l(...args); } catch (e) { console.error('parley-client: a "' + name + '" listener threw', e); }
    }
  }
}

// ---- outgoing messages -----------------------------------------------------------------------------

/**
 * A user message handed to {@link Conversation#send}, with its delivery receipt. Every transmission
 * carries the same `client_event_id`, so the server stores it once however often it is resent
 * (§4.4, §13.5).
 */
export class OutgoingMessage {
  /** @param {string} text @param {Object<string, *>} custom */
  constructor(text, custom) {
    /** @type {string} sent as `metadata.custom.client_event_id` */
    this.clientEventId = uuid();
    /** @type {string} */
    this.text = text;
    /** @type {DeliveryStatus} */
    this.status = DeliveryStatus.SENDING;
    /** @type {string|null} the server's message id once sent */
    this.messageId = null;
    /** @type {number|null} the sequence of its echo once sent */
    this.sequence = null;
    /** @type {number} resends so far */
    this.resends = 0;
    /** @private */
    this.frame = JSON.stringify({
      type: T + 'USER_MESSAGE', payload: { text },
      metadata: { custom: Object.assign({}, custom, { client_event_id: this.clientEventId }) }
    });
    /** @private */
    this.timer = null;
    /** @private */
    this.resolve = null;
    /** @type {Promise<DeliveryStatus>} settles with `sent` or `failed` (never rejects); a retry makes a new one */
    this.settled = null;
    this.renew();
  }

  /** @private */
  renew() {
    this.settled = new Promise((r) => { this.resolve = r; });
  }
}

// ---- the client ------------------------------------------------------------------------------------

/**
 * Entry point: holds the options shared by its conversations. One per page or application.
 */
export class ParleyClient {
  /** @param {ClientOptions} options */
  constructor(options) {
    if (!options || !options.baseUrl) throw new TypeError('parley-client: baseUrl is required');
    const g = globalThis;
    const host = options.host || (g.location && g.location.hostname) || 'localhost';
    this.options = Object.freeze(Object.assign({
      platform: 'web', streaming: false, reconnectInitialDelayMs: 1000, reconnectMaxDelayMs: 30000,
      reconnectJitter: 0.2, maxReconnectAttempts: undefined, receiptTimeoutMs: 5000, maxResends: 3,
      tokenRenewalMarginMs: 300000, heartbeatTimeoutMs: 10000, gapTimeoutMs: 3000, beforeJoinTimeoutMs: 5000, random: Math.random
    }, options, {
      baseUrl: String(options.baseUrl).replace(/\/+$/, ''),
      host,
      WebSocket: options.WebSocket || g.WebSocket,
      fetch: options.fetch || (g.fetch && g.fetch.bind(g)),
      timers: options.timers || {
        setTimeout: (f, ms) => g.setTimeout(f, ms), clearTimeout: (t) => g.clearTimeout(t), now: () => Date.now()
      }
    }));
    if (typeof this.options.WebSocket !== 'function') {
      throw new TypeError('parley-client: no WebSocket: pass options.WebSocket (Node 20: run with --experimental-websocket)');
    }
    if (typeof this.options.fetch !== 'function') throw new TypeError('parley-client: no fetch: pass options.fetch');
    /** @type {Set<Conversation>} */
    this.conversations = new Set();
    this.closed = false;
  }

  /** Starts a new conversation: token, session, socket, then the agent join (§1.3). @returns {Conversation} */
  start() {
    return this.begin(null, 0);
  }

  /**
   * Reconnects to an existing session, replaying the events after `cursor` (0: the whole history),
   * e.g. after a page reload with a saved `sessionId` (keep it in `sessionStorage`; never store the
   * access token). With a cursor above 0 the client cannot see whether the agent joined and does
   * not ask it to; should the server answer "conversation not found", it joins then.
   * @param {string} sessionId @param {number} [cursor=0] @returns {Conversation}
   */
  resume(sessionId, cursor = 0) {
    if (!sessionId) throw new TypeError('parley-client: sessionId is required');
    if (!(cursor >= 0)) throw new RangeError('parley-client: negative cursor');
    return this.begin(String(sessionId), Math.floor(cursor));
  }

  /** @private */
  begin(sessionId, cursor) {
    if (this.closed) throw new Error('parley-client: client closed');
    const c = new Conversation(this, sessionId, cursor);
    this.conversations.add(c);
    c.begin();
    return c;
  }

  /** Closes every conversation (their sessions stay resumable). */
  close() {
    this.closed = true;
    for (const c of [...this.conversations]) c.close();
  }

  /**
   * Rates a session by id, as {@link Conversation#rate} does: for a page that kept only the id of a
   * conversation that ended (e.g. across a reload). Uses a fresh access token.
   * @param {string} sessionId @param {{rating: number, comment?: string}} csat @returns {Promise<Csat>}
   */
  async rate(sessionId, csat) {
    return rateSession(this, String(sessionId), csat, { Authorization: 'Bearer ' + (await this.accessToken()).value });
  }

  /** The rating of a session by id, or `null` when none was given. @param {string} sessionId @returns {Promise<Csat|null>} */
  async rating(sessionId) {
    return sessionRating(this, String(sessionId), { Authorization: 'Bearer ' + (await this.accessToken()).value });
  }

  /** @private POST a JSON body; resolves the JSON answer, rejects with `.status` / `.retryAfterMs` set. */
  async post(path, headers, body) {
    return this.request('POST', path, headers, body);
  }

  /** @private one REST call (`body` undefined: none); rejects with `.status`, `.error` (the server's text), `.retryAfterMs`. */
  async request(method, path, headers, body) {
    const init = { method, headers: Object.assign(body === undefined ? {} : { 'Content-Type': 'application/json' }, headers) };
    if (body !== undefined) init.body = JSON.stringify(body);
    const res = await this.options.fetch(this.options.baseUrl + path, init);
    if (!res.ok) {
      let message = 'HTTP ' + res.status;
      try { message = (await res.json()).error || message; } catch (e) { /* not JSON */ }
      const err = new Error(path + ' refused with ' + res.status + ': ' + message);
      err.status = res.status;
      err.error = message;
      const retryAfter = res.headers && typeof res.headers.get === 'function' ? res.headers.get('Retry-After') : null;
      if (retryAfter != null && /^\s*\d+\s*$/.test(retryAfter)) err.retryAfterMs = Number(retryAfter) * 1000;
      throw err;
    }
    return res.json();
  }

  /** @private */
  async accessToken() {
    const o = this.options;
    const answer = o.getAccessToken
      ? await o.getAccessToken()
      : await this.post('/api/v1/access-token', { 'X-Token': o.connectorToken || '', 'X-Host': o.host }, {});
    if (!answer || typeof answer.access_token !== 'string') throw new Error('parley-client: no access_token in the answer');
    const lifetimeMs = (answer.expires_in > 0 ? answer.expires_in : 86400) * 1000;
    return { value: answer.access_token, expiresAt: o.timers.now() + lifetimeMs, lifetimeMs };
  }
}

/**
 * One session, kept alive across dropped sockets. Get one from {@link ParleyClient#start} or
 * {@link ParleyClient#resume}. Methods never throw; listen with `on(name, listener)`
 * (names and signatures: {@link ConversationEvents}).
 */
export class Conversation extends Emitter {
  /** @param {ParleyClient} client @param {string|null} sessionId @param {number} cursor */
  constructor(client, sessionId, cursor) {
    super();
    /** @private */ this.client = client;
    /** @private */ this.o = client.options;
    /** @type {string|null} the session id once created */
    this.sessionId = sessionId;
    /** @type {ConnectionState} */
    this.state = ConnectionState.CONNECTING;
    /** @type {Capabilities|null} */
    this.capabilities = null;
    /** @type {boolean} the AI agent's join (or its request) is in the history */
    this.agentJoined = false;
    /** @type {string|null} the latest `LANGUAGE_CHANGED` */
    this.languageCode = null;
    /** @type {string|null} `SESSION_START`'s `context_id`: the subject of a site's signed context token */
    this.contextId = null;
    /** @type {boolean} true while the events of a replayed batch (history) are delivered */
    this.replaying = false;
    /** @private the beforeJoin hook has run (or timed out) */ this.beforeJoinDone = false;
    /** @private */ this.joinTimer = null;
    /** @private */ this.joinWaiting = false;
    /** @private */ this.gapTimer = null;
    /** @private */ this.resumed = sessionId != null;
    /** @private */ this.joinStatusUnknown = sessionId != null && cursor > 0;
    /** @private */ this.sequencer = new EventSequencer(cursor);
    /** @private */ this.assembler = new StreamAssembler();
    /** @private @type {Map<string, OutgoingMessage>} unconfirmed, in send order */ this.pending = new Map();
    /** @private */ this.token = null;
    /** @private */ this.tokenTimer = null;
    /** @private */ this.ws = null;
    /** @private socket attempts; callbacks of older ones are ignored */ this.generation = 0;
    /** @private */ this.live = false;
    /** @private */ this.everConnected = false;
    /** @private the current attempt got a token from the server (so the server answers) */ this.tokenFetchedOk = false;
    /** @private */ this.sentIds = new Set();
    /** @private */ this.failedAttempts = 0;
    /** @private */ this.reconnectTimer = null;
    /** @private */ this.heartbeatTimer = null;
    /** @private */ this.livenessTimer = null;
    /** @private ends the current socket */ this.socketLost = null;
    /** @private */ this.endRequested = false;
    /** @private */ this.finished = false;
    /** @private */ this.resolveClosed = null;
    /** @type {Promise<void>} resolves once the conversation is closed */
    this.closed = new Promise((r) => { this.resolveClosed = r; });
  }

  /** @type {number} the highest stored sequence delivered: the cursor for `resume` */
  get lastSequence() {
    return this.sequencer.delivered;
  }

  // ---- public API ----------------------------------------------------------------------------------

  /**
   * Sends a user message with a delivery receipt: `delivery(message, 'sending')` now, then `sent` or
   * `failed`. Without a connection it waits and goes out after the next (re)connect; without an echo
   * it is resent after `receiptTimeoutMs × attempt`, at most `maxResends` times.
   * @param {string} text
   * @param {{custom?: Object<string, *>}} [metadata]  extra `metadata.custom` keys, echoed back
   * @returns {OutgoingMessage}
   */
  send(text, metadata) {
    const m = new OutgoingMessage(String(text == null ? '' : text), metadata && metadata.custom);
    if (this.finished) {
      this.settle(m, DeliveryStatus.FAILED, false);
      return m;
    }
    this.pending.set(m.clientEventId, m);
    this.emit('delivery', m, DeliveryStatus.SENDING);
    const max = this.capabilities && this.capabilities.max_message_size_bytes;
    if (max > 0 && byteLength(m.frame) > max) {
      this.fail(m); // the server would refuse it (§3.3): fail now rather than after the resends
    } else if (this.live) {
      this.transmit(m);
    }
    return m;
  }

  /**
   * Sends a failed message again, with the same `client_event_id` and a fresh resend budget.
   * @param {OutgoingMessage} message @returns {boolean} false if it is not failed or the conversation is closed
   */
  retry(message) {
    if (this.finished || !message || message.status !== DeliveryStatus.FAILED) return false;
    message.status = DeliveryStatus.SENDING;
    message.resends = 0;
    message.renew();
    this.pending.set(message.clientEventId, message);
    this.emit('delivery', message, DeliveryStatus.SENDING);
    if (this.live) this.transmit(message);
    return true;
  }

  /**
   * Submits a verified context token for this session (`POST /api/v1/sessions/{id}/context`, see
   * security.md): call it from `beforeJoin` for a new session so that the greeting sees the context.
   * @param {string} contextToken  signed by the site's backend for {@link Conversation#contextId}
   * @returns {Promise<{verified: boolean, context_id?: string, keys?: string[]}>} rejects with `.status` when refused
   */
  async submitContext(contextToken) {
    if (this.finished || this.sessionId == null) throw new Error('parley-client: no open session');
    if (!this.tokenFresh()) this.useToken(await this.client.accessToken());
    return this.client.post('/api/v1/sessions/' + encodeURIComponent(this.sessionId) + '/context',
      { Authorization: 'Bearer ' + this.token.value }, { token: String(contextToken) });
  }

  /**
   * Rates the conversation, 1 to 5 with an optional comment (`POST /api/v1/sessions/{id}/csat`): once
   * per session, after `sessionEnded` of a conversation a live agent had. Works on a closed
   * conversation (the socket is gone by then), fetching an access token if it has none left.
   * @param {{rating: number, comment?: string}} csat  `comment` at most 1000 characters; blank is none
   * @returns {Promise<Csat>} rejects with `.status` and `.error`: 409 `rating already given`,
   *   `conversation has not ended` or `no rating for this conversation`; 404; 400 for bad values
   */
  async rate(csat) {
    if (this.sessionId == null) throw new Error('parley-client: no session');
    return rateSession(this.client, this.sessionId, csat, await this.restAuthorization());
  }

  /**
   * The rating given for this session, or `null` when none was (`GET /api/v1/sessions/{id}/csat`):
   * how a reloaded page knows not to ask again.
   * @returns {Promise<Csat|null>} rejects with `.status` when the session is not found or on other failures
   */
  async rating() {
    if (this.sessionId == null) throw new Error('parley-client: no session');
    return sessionRating(this.client, this.sessionId, await this.restAuthorization());
  }

  /** @private the session's token while fresh; else a new one (kept only while the conversation is open). */
  async restAuthorization() {
    if (this.token && this.tokenFresh()) return { Authorization: 'Bearer ' + this.token.value };
    const token = await this.client.accessToken();
    if (!this.finished) this.useToken(token);
    return { Authorization: 'Bearer ' + token.value };
  }

  /** Tells a live agent whether the user is typing (§5.3); dropped when not connected. @param {boolean} typing */
  typing(typing) {
    this.write({ type: T + 'USER_TYPING', payload: { state: typing ? 'TYPING_STATE_STARTED' : 'TYPING_STATE_STOPPED' } });
  }

  /** Asks the AI agent to join (again), e.g. after a failed handoff. @returns {boolean} false when not connected */
  requestAgent() {
    return this.write({ type: T + 'REQUEST_POLY_AGENT_JOIN', payload: {} });
  }

  /**
   * Ends the session (§5.4): `sessionEnded('REASON_USER_END')` follows. Without a connection the
   * request goes out on the next one. @returns {Promise<void>} when closed
   */
  end() {
    if (!this.finished && !this.write({ type: T + 'USER_END_SESSION', payload: {} })) this.endRequested = true;
    return this.closed;
  }

  /**
   * Closes the socket and stops every timer without ending the session, which stays resumable
   * with `client.resume(sessionId, lastSequence)`. Messages still sending fail.
   */
  close() {
    this.finish();
  }

  // ---- connecting ----------------------------------------------------------------------------------

  /** @private deferred, so that listeners added right after `start()` hear the first state too */
  begin() {
    Promise.resolve().then(() => {
      if (this.finished) return;
      this.emit('state', this.state);
      this.connect();
    });
  }

  /** @private token (when stale) → session (when none) → socket. */
  async connect() {
    if (this.finished) return;
    const gen = ++this.generation;
    this.tokenFetchedOk = false;
    try {
      if (!this.tokenFresh()) {
        this.useToken(await this.client.accessToken());
        this.tokenFetchedOk = true;
      }
      if (this.finished || gen !== this.generation) return;
      if (this.sessionId == null) {
        const answer = await this.client.post('/api/v1/sessions', { Authorization: 'Bearer ' + this.token.value },
          { platform: this.o.platform, streaming_enabled: !!this.o.streaming });
        if (this.finished || gen !== this.generation) return;
        this.sessionId = answer.session_id;
      }
    } catch (e) {
      if (!this.finished && gen === this.generation) this.stepFailed(e);
      return;
    }
    this.openSocket(gen);
  }

  /** @private */
  tokenFresh() {
    return this.token != null && this.o.timers.now() < this.token.expiresAt - Math.min(this.o.tokenRenewalMarginMs, this.token.lifetimeMs / 2);
  }

  /** @private keeps the token and renews it ahead of expiry, so a reconnect need not wait for one. */
  useToken(token) {
    this.token = token;
    this.clearTimer('tokenTimer');
    const margin = Math.min(this.o.tokenRenewalMarginMs, token.lifetimeMs / 2);
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, token.expiresAt - margin - this.o.timers.now()));
    this.tokenTimer = this.o.timers.setTimeout(() => {
      this.tokenTimer = null;
      if (this.finished) return;
      this.client.accessToken().then((t) => { if (!this.finished) this.useToken(t); },
        () => { /* the next connection attempt finds the token stale and fetches one */ });
    }, delay);
  }

  /** @private */
  socketUrl() {
    return this.o.baseUrl.replace(/^http/, 'ws') + '/ws?session_id=' + encodeURIComponent(this.sessionId)
      + '&access_token=' + encodeURIComponent(this.token.value) + '&cursor=' + this.sequencer.delivered;
  }

  /** @private */
  openSocket(gen) {
    let ws;
    try {
      ws = new this.o.WebSocket(this.socketUrl());
    } catch (e) {
      this.stepFailed(e);
      return;
    }
    this.ws = ws;
    let opened = false;
    let gotBatch = false;
    ws.onopen = () => { opened = true; };
    ws.onmessage = (m) => {
      if (gen !== this.generation || this.finished) return;
      this.clearTimer('livenessTimer'); // the socket is alive
      if (typeof m.data !== 'string') return;
      let ev;
      try { ev = JSON.parse(m.data); } catch (e) { return; }
      if (!ev || typeof ev.type !== 'string') return;
      if (ev.type === T + 'EVENT_BATCH') {
        const events = list(ev.payload && ev.payload.events).slice()
          .sort((a, b) => (a.sequence == null ? 0 : a.sequence) - (b.sequence == null ? 0 : b.sequence));
        this.replaying = true;
        try {
          for (const inner of events) {
            this.accept(inner);
            if (this.finished) return;
          }
        } finally {
          this.replaying = false;
        }
        if (!gotBatch) {
          gotBatch = true;
          this.connected(gen);
        }
      } else {
        this.accept(ev);
      }
    };
    let gone = false;
    const lost = () => {
      if (gone || gen !== this.generation || this.finished) return;
      gone = true;
      this.ws = null;
      this.dropped(opened);
    };
    // Node 20's WebSocket reports a refused handshake with an error and no close event: treat an
    // error before the open as the end of this socket. After the open, close always follows.
    ws.onerror = () => { if (!opened) lost(); };
    ws.onclose = lost;
    this.socketLost = lost;
  }

  /** @private the first replay batch of socket `gen` is in: the conversation is live again (§3.4). */
  connected(gen) {
    this.live = true;
    this.everConnected = true;
    this.failedAttempts = 0;
    this.setState(ConnectionState.CONNECTED);
    if (this.finished || gen !== this.generation) return;
    if (!this.agentJoined && !this.joinStatusUnknown) this.join();
    if (this.endRequested) this.write({ type: T + 'USER_END_SESSION', payload: {} });
    for (const m of [...this.pending.values()]) this.transmit(m);
    this.beat(gen);
  }

  /**
   * @private The automatic join of a new session, after the `beforeJoin` hook (awaited at most
   * `beforeJoinTimeoutMs`: a slow or failing hook never holds the conversation up).
   */
  join() {
    const hook = this.o.beforeJoin;
    if (typeof hook !== 'function' || this.beforeJoinDone) {
      this.requestAgent();
      return;
    }
    if (this.joinWaiting) return; // already waiting for the hook
    this.joinWaiting = true;
    let done = false;
    const go = () => {
      if (done) return;
      done = true;
      this.joinWaiting = false;
      this.clearTimer('joinTimer');
      this.beforeJoinDone = true;
      // Not live now: the next connect joins (the history still has no join).
      if (!this.finished && !this.agentJoined) this.requestAgent();
    };
    let result;
    try {
      result = hook(this);
    } catch (e) {
      console.error('parley-client: beforeJoin threw', e);
    }
    if (!result || typeof result.then !== 'function') {
      go(); // nothing to wait for: the join goes out at once, before the unconfirmed messages
      return;
    }
    this.joinTimer = this.o.timers.setTimeout(go, Math.min(MAX_TIMER_MS, this.o.beforeJoinTimeoutMs));
    result.then(go, (e) => { console.error('parley-client: beforeJoin failed', e); go(); });
  }

  /** @private heartbeats every `heartbeat_interval_seconds` while socket `gen` is current (§3.5). */
  beat(gen) {
    this.clearTimer('heartbeatTimer');
    const seconds = this.capabilities && this.capabilities.heartbeat_interval_seconds > 0
      ? this.capabilities.heartbeat_interval_seconds : DEFAULT_HEARTBEAT_SECONDS;
    this.heartbeatTimer = this.o.timers.setTimeout(() => {
      this.heartbeatTimer = null;
      if (this.finished || gen !== this.generation) return;
      if (this.write({ type: T + 'HEARTBEAT', payload: {} })) this.awaitEcho(gen);
      this.beat(gen);
    }, seconds * 1000);
  }

  /**
   * @private A socket can die without a close event (a laptop asleep, a mobile network gone): when
   * nothing comes back after a heartbeat, whose echo is due, it is closed and the conversation
   * reconnects from the cursor.
   */
  awaitEcho(gen) {
    this.clearTimer('livenessTimer');
    this.livenessTimer = this.o.timers.setTimeout(() => {
      this.livenessTimer = null;
      if (this.finished || gen !== this.generation) return;
      const ws = this.ws;
      const lost = this.socketLost;
      try { ws.close(); } catch (e) { /* already closing */ }
      lost();
    }, this.o.heartbeatTimeoutMs);
  }

  /** @private the socket closed (or never opened): pause receipts, reconnect after a back-off. */
  dropped(opened) {
    this.live = false;
    this.clearTimer('heartbeatTimer');
    this.clearTimer('livenessTimer');
    this.clearTimer('gapTimer');
    for (const m of this.pending.values()) this.clearMessageTimer(m);
    if (!opened) {
      // A refused handshake looks the same as a network failure to a WebSocket: the token may have
      // expired, so the next attempt fetches a fresh one (any valid token of the connector will do).
      this.token = null;
      if (this.resumed && !this.everConnected && this.tokenFetchedOk) {
        // The server minted a token yet refused the socket of a session we never reached: it is gone.
        this.lose(new ConversationLostError('session ' + this.sessionId + ' cannot be resumed', -1, 'session-unavailable'));
        return;
      }
    }
    this.scheduleReconnect(null);
  }

  /** @private a REST call failed: final for 4xx except 429, else try again later. */
  stepFailed(e) {
    const s = e && e.status;
    if (s >= 400 && s < 500 && s !== 429) {
      this.lose(new ConversationLostError(e.message, s, 'refused'));
      return;
    }
    this.scheduleReconnect(e && e.retryAfterMs != null ? e.retryAfterMs : null);
  }

  /** @private */
  scheduleReconnect(retryAfterMs) {
    this.failedAttempts++;
    const configured = this.o.maxReconnectAttempts;
    const budget = configured != null ? configured
      : this.capabilities && this.capabilities.max_reconnect_attempts > 0
        ? this.capabilities.max_reconnect_attempts : DEFAULT_MAX_RECONNECT_ATTEMPTS;
    if (this.failedAttempts > budget) {
      this.lose(new ConversationLostError('gave up after ' + budget + ' reconnect attempts', -1, 'unreachable'));
      return;
    }
    this.setState(this.everConnected ? ConnectionState.RECONNECTING : ConnectionState.CONNECTING);
    const delay = retryAfterMs != null ? retryAfterMs
      : backoffDelay(this.failedAttempts, this.o.reconnectInitialDelayMs, this.o.reconnectMaxDelayMs, this.o.reconnectJitter, this.o.random);
    this.clearTimer('reconnectTimer');
    this.reconnectTimer = this.o.timers.setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, Math.min(MAX_TIMER_MS, delay));
  }

  // ---- inbound -------------------------------------------------------------------------------------

  /** @private */
  accept(event) {
    if (!event || typeof event.type !== 'string') return;
    // Capabilities are read even from a replayed SESSION_START at or below the cursor (resume).
    if (event.type === T + 'SESSION_START' && !this.capabilities) this.readCapabilities(event);
    if (event.type === T + 'SESSION_START' && event.payload && typeof event.payload.context_id === 'string') {
      this.contextId = event.payload.context_id;
    }
    for (const ready of this.sequencer.accept(event)) {
      this.deliver(ready);
      if (this.finished) return;
    }
    this.watchGap();
  }

  /**
   * @private Events held after a gap wait for the missing one; on one socket it should come at once,
   * so a gap still open after `gapTimeoutMs` means a frame was lost on the way: the socket is
   * replaced and the replay from the cursor (the last event before the gap) fills it.
   */
  watchGap() {
    if (this.sequencer.held.size === 0) {
      this.clearTimer('gapTimer');
      return;
    }
    if (this.gapTimer != null) return;
    const gen = this.generation;
    this.gapTimer = this.o.timers.setTimeout(() => {
      this.gapTimer = null;
      if (this.finished || gen !== this.generation || this.sequencer.held.size === 0 || !this.ws) return;
      const ws = this.ws;
      const lost = this.socketLost;
      try { ws.close(); } catch (e) { /* already closing */ }
      lost();
    }, Math.min(MAX_TIMER_MS, this.o.gapTimeoutMs));
  }

  /** @private */
  readCapabilities(event) {
    const c = event.payload && event.payload.capabilities;
    if (c && typeof c === 'object') this.capabilities = c;
  }

  /** @private */
  deliver(ev) {
    const p = ev.payload && typeof ev.payload === 'object' ? ev.payload : {};
    const cid = ev.metadata && ev.metadata.custom && typeof ev.metadata.custom.client_event_id === 'string'
      ? ev.metadata.custom.client_event_id : null;
    const seq = typeof ev.sequence === 'number' ? ev.sequence : null;
    this.emit('event', ev);
    switch (ev.type.slice(T.length)) {
      case 'SESSION_START':
        this.readCapabilities(ev);
        break;
      case 'REQUEST_POLY_AGENT_JOIN': this.agentJoined = true; break;
      case 'POLY_AGENT_JOINED':
        this.agentJoined = true;
        this.emit('agentJoined', { name: p.agent_name || '', avatarUrl: p.agent_avatar_url || '' });
        break;
      case 'POLY_AGENT_THINKING': this.emit('agentThinking'); break;
      case 'POLY_AGENT_MESSAGE':
        this.emit('message', agentMessage('ai', p.message_id || ev.id, p, p.text, list(p.attachments),
          list(p.response_suggestions), list(p.chat_call_actions), seq, ev.timestamp));
        break;
      case 'POLY_AGENT_MESSAGE_CHUNK': {
        const progress = p.message_id ? this.assembler.accept(p, ev) : null;
        if (progress) {
          this.emit('partial', progress.partial);
          if (progress.completed) this.emit('message', progress.completed);
        }
        break;
      }
      case 'LIVE_AGENT_MESSAGE':
        this.emit('message', agentMessage('live', p.message_id || ev.id, p, p.text, list(p.attachments),
          list(p.response_suggestions), list(p.chat_call_actions), seq, ev.timestamp));
        break;
      case 'USER_MESSAGE': {
        const mine = cid != null && this.pending.get(cid);
        if (mine) {
          this.pending.delete(cid);
          mine.messageId = p.message_id || null;
          mine.sequence = seq;
          this.settle(mine, DeliveryStatus.SENT, true);
        }
        this.emit('userMessage', { messageId: p.message_id || ev.id, text: p.text || '', clientEventId: cid,
          mine: !!mine || (cid != null && this.sentIds.has(cid)), sequence: seq, timestamp: ev.timestamp || '' });
        break;
      }
      case 'POLY_AGENT_LEFT': this.emit('agentLeft'); break;
      case 'POLY_AGENT_TRIGGERED_HANDOFF': this.emit('handoffTriggered', { reason: p.reason, queueName: p.queue_name }); break;
      case 'HANDOFF_ACCEPTED': this.emit('handoffAccepted'); break;
      case 'HANDOFF_QUEUE_STATUS':
        this.emit('queueStatus', { queueName: p.queue_name, position: p.position_in_queue,
          estimatedWaitSeconds: p.estimated_wait_seconds, displayMessage: p.display_message });
        break;
      case 'CLIENT_HANDOFF_REQUIRED': this.emit('clientHandoffRequired', { reason: p.reason, queueName: p.queue_name }); break;
      case 'HANDOFF_FAILED': this.emit('handoffFailed'); break;
      case 'HANDOFF_TIMEOUT': this.emit('handoffTimeout'); break;
      case 'LIVE_AGENT_JOINED': {
        const a = p.agent || {};
        this.emit('liveAgentJoined', { id: a.id, name: a.name, avatarUrl: a.avatar_url });
        break;
      }
      case 'LIVE_AGENT_TYPING':
        this.emit('liveAgentTyping', { agentId: p.agent_id || null, typing: p.state === 'TYPING_STATE_STARTED' });
        break;
      case 'LIVE_AGENT_LEFT': this.emit('liveAgentLeft', { agentId: p.agent_id, agentName: p.agent_name, reason: p.reason }); break;
      case 'SYSTEM_MESSAGE':
        this.emit('systemMessage', { level: p.level, message: p.message || '', clientEventId: cid });
        if (p.level === 'SYSTEM_MESSAGE_LEVEL_ERROR') this.answerError(p.message, cid);
        break;
      case 'LANGUAGE_CHANGED':
        if (p.language_code) {
          this.languageCode = p.language_code;
          this.emit('languageChanged', p.language_code);
        }
        break;
      case 'SESSION_IDLE_WARNING':
        this.emit('idleWarning', { secondsRemaining: p.seconds_remaining, endsAt: p.ends_at });
        break;
      case 'SESSION_END':
        this.emit('sessionEnded', p.reason || '');
        this.finish(); // §3.7: nothing follows; close the socket
        break;
      default: break; // heartbeat and end-session echoes, unknown types: only 'event'
    }
  }

  /** @private an error about one of our messages: §11.3's remedy when there is one, else it fails. */
  answerError(message, cid) {
    const m = cid != null && this.pending.get(cid);
    if (!m) return;
    if (message === 'Error: Conversation not found') {
      this.requestAgent();
      this.resendOrFail(m);
    } else {
      this.fail(m);
    }
  }

  // ---- receipts (§4.4) -----------------------------------------------------------------------------

  /** @private */
  transmit(m) {
    this.clearMessageTimer(m);
    try {
      this.ws.send(m.frame);
    } catch (e) {
      return; // closing: onclose follows, and the reconnect retransmits it
    }
    m.timer = this.o.timers.setTimeout(() => {
      m.timer = null;
      if (this.pending.get(m.clientEventId) === m && this.live) this.resendOrFail(m);
      // not live: paused; the reconnect retransmits it without spending a resend
    }, this.o.receiptTimeoutMs * (m.resends + 1));
  }

  /** @private */
  resendOrFail(m) {
    if (m.resends >= this.o.maxResends) {
      this.fail(m);
      return;
    }
    m.resends++;
    if (this.live) this.transmit(m);
  }

  /** @private */
  fail(m) {
    this.pending.delete(m.clientEventId);
    this.settle(m, DeliveryStatus.FAILED, true);
  }

  /** @private */
  settle(m, status, tell) {
    this.clearMessageTimer(m);
    m.status = status;
    if (status === DeliveryStatus.SENT) {
      this.sentIds.add(m.clientEventId); // to tell our own replayed echoes from other sockets', bounded
      if (this.sentIds.size > ID_WINDOW) this.sentIds.delete(this.sentIds.values().next().value);
    }
    if (tell) this.emit('delivery', m, status);
    m.resolve(status);
  }

  /** @private */
  clearMessageTimer(m) {
    if (m.timer != null) {
      this.o.timers.clearTimeout(m.timer);
      m.timer = null;
    }
  }

  // ---- plumbing ------------------------------------------------------------------------------------

  /** @private sends a frame when live; false otherwise. */
  write(frame) {
    if (!this.live || !this.ws || this.finished) return false;
    try {
      this.ws.send(JSON.stringify(frame));
      return true;
    } catch (e) {
      return false; // closing: onclose follows
    }
  }

  /** @private */
  clearTimer(name) {
    if (this[name] != null) {
      this.o.timers.clearTimeout(this[name]);
      this[name] = null;
    }
  }

  /** @private */
  setState(next) {
    if (this.state !== next) {
      this.state = next;
      this.emit('state', next);
    }
  }

  /** @private */
  lose(error) {
    if (this.finished) return;
    this.emit('failure', error);
    this.finish();
  }

  /** @private the one way out: timers off, socket closed, pending messages failed, state closed. */
  finish() {
    if (this.finished) return;
    this.finished = true;
    this.live = false;
    this.generation++;
    this.clearTimer('reconnectTimer');
    this.clearTimer('heartbeatTimer');
    this.clearTimer('livenessTimer');
    this.clearTimer('tokenTimer');
    this.clearTimer('joinTimer');
    this.clearTimer('gapTimer');
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      try { ws.close(1000); } catch (e) { /* already closed */ }
    }
    for (const m of [...this.pending.values()]) this.fail(m);
    this.token = null;
    this.client.conversations.delete(this);
    this.setState(ConnectionState.CLOSED);
    this.resolveClosed();
  }
}
