// Parley live-agent desk: plain JavaScript, no build step. Talks only to the desk API (docs/desk-api.md).
// Every piece of server or user data reaches the page through textContent or setAttribute, never as HTML.
'use strict';
(() => {
  const $ = id => document.getElementById(id);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  };
  const KEY = 'parley.desk'; // sessionStorage only: the token dies with the tab
  const TYPING_IDLE_MS = 2000;

  let token = null, agent = {}, ws = null, wsTimer = 0, expTimer = 0, alertTimer = 0;
  let attempts = 0, reqN = 0, tabN = 0, firstSnapshot = true, snapAt = 0, current = null;
  let snapshot = { presence: 'AWAY', mine: [], queues: [] };
  const convs = new Map();       // session_id -> conversation state
  const dismissed = new Set();   // tabs the agent closed; their stray events are ignored
  const pending = new Map();     // request_id -> what the command was, for desk.error

  // ---------- extensions: desk features in files of their own (desk-*.js) hook in through window.ParleyDesk
  const hooks = new Map();       // hook name -> listeners
  function emit(name, detail) {
    for (const fn of hooks.get(name) || []) {
      try { fn(detail); } catch (x) { console.error('desk extension failed on ' + name, x); }
    }
  }

  // ---------- small helpers
  const pad = n => String(n).padStart(2, '0');
  function fmtWait(s) {
    s = Math.max(0, Math.floor(s));
    const h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60;
    return h ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
  }
  const shortId = id => (id.length > 12 ? '…' + id.slice(-8) : id);
  /** What agents call a conversation: the customer's verified name, else the server's label ("Amber Fox 27"). */
  const nameOf = info => (info && ((info.customer && info.customer.name) || info.label)) || shortId((info && info.session_id) || '');
  /** "Jane Doe · Amber Fox 27", or just the label. */
  const fullName = info => [info && info.customer && info.customer.name, info && info.label].filter(Boolean).join(' · ')
    || shortId((info && info.session_id) || '');
  /** <time datetime=…> with the local time of day shown and the full local date in its title. */
  function timeEl(ts, cls) {
    const d = ts ? new Date(ts) : null;
    if (!d || isNaN(d)) return null;
    const t = el('time', cls || 'ts', d.toLocaleTimeString([], { timeStyle: 'short' }));
    t.dateTime = d.toISOString();
    t.title = d.toLocaleString([], { dateStyle: 'full', timeStyle: 'medium' });
    return t;
  }
  function showAlert(text) {
    $('alert-text').textContent = text;
    $('alert').hidden = false;
    clearTimeout(alertTimer);
    alertTimer = setTimeout(() => { $('alert').hidden = true; }, 10000);
  }
  $('alert-close').onclick = () => { $('alert').hidden = true; };
  function safeUrl(u) {
    try {
      const x = new URL(u, location.href);
      return x.protocol === 'https:' || x.protocol === 'http:' ? x.href : null;
    } catch { return null; }
  }

  async function api(method, path, body) {
    const headers = { 'Content-Type': 'application/json' };
    if (token) headers.Authorization = 'Bearer ' + token;
    const res = await fetch('/desk/api/' + path,
      { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (res.status === 401 && token) {
      logout('Your desk session has expired. Please log in again.');
      throw new Error('unauthorised');
    }
    const data = res.status === 204 ? null : await res.json().catch(() => null);
    if (!res.ok) throw new Error((data && data.error) || 'HTTP ' + res.status);
    return data;
  }

  // ---------- login / logout
  $('login-form').addEventListener('submit', async e => {
    e.preventDefault();
    const err = $('login-error'), btn = e.target.querySelector('button');
    err.textContent = '';
    btn.disabled = true;
    try {
      const r = await api('POST', 'login', { name: $('login-name').value.trim(), password: $('login-password').value });
      start(r.token, r.agent, Date.now() + (r.expires_in || 43200) * 1000);
    } catch (x) {
      err.textContent = x.message === 'invalid credentials' ? 'Wrong name or password.' : 'Could not log in: ' + x.message;
    } finally { btn.disabled = false; }
  });

  function start(t, a, exp) {
    token = t;
    agent = a || {};
    sessionStorage.setItem(KEY, JSON.stringify({ token, agent, exp }));
    clearTimeout(expTimer);
    expTimer = setTimeout(() => logout('Your desk session has expired. Please log in again.'), Math.max(0, exp - Date.now()));
    $('login-password').value = '';
    $('login').hidden = true;
    $('desk').hidden = false;
    $('agent-name').textContent = agent.name ? 'Signed in as ' + agent.name : '';
    $('desk-title').focus();
    connect();
    emit('login', { agent });
  }

  function logout(msg) {
    token = null;
    agent = {};
    sessionStorage.removeItem(KEY);
    clearTimeout(wsTimer);
    clearTimeout(expTimer);
    if (ws) { ws.onclose = null; ws.close(1000); ws = null; }
    convs.forEach(c => { clearTimeout(c.idle); clearTimeout(c.utTimer); });
    convs.clear();
    dismissed.clear();
    current = null;
    $('tabs').replaceChildren();
    $('panels').replaceChildren();
    $('queues').replaceChildren();
    $('no-convs').hidden = false;
    resetHistory();
    $('desk').hidden = true;
    $('login').hidden = false;
    $('login-error').textContent = msg || '';
    $('login-name').focus();
    emit('logout', {});
  }
  $('logout').onclick = () => logout();

  // ---------- WebSocket with back-off
  const setConn = t => { $('conn').textContent = t; };
  function connect() {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const s = new WebSocket(`${proto}//${location.host}/desk/ws?token=${encodeURIComponent(token)}`);
    ws = s;
    firstSnapshot = true;
    emit('connect', {}); // a new socket: the desk.assigned and desk.snapshot that follow replay what is, they are not news
    setConn('Connecting…');
    s.onopen = () => { attempts = 0; setConn('Connected'); };
    s.onmessage = e => {
      let m;
      try { m = JSON.parse(e.data); } catch { return; }
      if (m && typeof m === 'object') handle(m);
    };
    s.onclose = () => {
      if (ws !== s) return;
      ws = null;
      const delay = Math.min(30000, 1000 * 2 ** attempts) * (0.5 + Math.random() / 2);
      attempts++;
      setConn(`Disconnected, retrying in ${Math.ceil(delay / 1000)} s`);
      if (attempts >= 3) api('GET', 'me').catch(() => {}); // a 401 there means the token is dead: back to login
      wsTimer = setTimeout(() => { if (token) connect(); }, delay);
    };
  }

  /** Sends a desk command; `what` (for errors) is shown to the agent if it fails. */
  function send(cmd, what) {
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      if (what) showAlert(`Not connected: could not ${what}.`);
      return false;
    }
    cmd.request_id = 'r' + ++reqN;
    if (what) {
      pending.set(cmd.request_id, what);
      if (pending.size > 100) pending.delete(pending.keys().next().value);
    }
    ws.send(JSON.stringify(cmd));
    return true;
  }

  function handle(m) {
    switch (m.type) {
      case 'desk.snapshot': onSnapshot(m); break;
      case 'desk.assigned': if (m.conversation) { conv(m.conversation, true); emit('assigned', m.conversation); } break;
      case 'desk.unassigned': {
        const c = convs.get(m.session_id);
        if (c) { closeConv(c, ownWords(c)); c.own = null; }
        emit('unassigned', { session_id: m.session_id, reason: m.reason, by: m.by });
        break;
      }
      case 'desk.event': {
        if (!m.session_id || dismissed.has(m.session_id)) break;
        addEvent(convs.get(m.session_id) || conv({ session_id: m.session_id }, false), m.event);
        emit('event', { session_id: m.session_id, event: m.event });
        break;
      }
      case 'desk.error': {
        const what = pending.get(m.request_id);
        convs.forEach(c => { if (c.own && c.own.request === m.request_id) c.own = null; });
        showAlert((what ? `Could not ${what}: ` : 'Error: ') + (m.message || 'refused'));
        break;
      }
      default: emit('message', m); // desk messages an extension handles
    }
  }

  // ---------- presence and waiting list
  $('presence').addEventListener('change', async e => {
    const on = e.target.checked;
    $('presence-state').textContent = on ? 'Available' : 'Away';
    try { await api('PUT', 'presence', { presence: on ? 'AVAILABLE' : 'AWAY' }); } catch (x) {
      e.target.checked = !on;
      $('presence-state').textContent = on ? 'Away' : 'Available';
      if (x.message !== 'unauthorised') showAlert('Could not change presence: ' + x.message);
    }
  });

  function onSnapshot(m) {
    snapshot = { presence: m.presence, mine: m.mine || [], queues: m.queues || [] };
    snapAt = Date.now();
    $('presence').checked = m.presence === 'AVAILABLE';
    $('presence-state').textContent = $('presence').checked ? 'Available' : 'Away';
    const mine = new Set();
    for (const c of snapshot.mine) { mine.add(c.session_id); conv(c, true); }
    if (firstSnapshot) { // after a (re)connect, drop what we missed losing while offline
      firstSnapshot = false;
      convs.forEach(c => { if (!c.closed && !mine.has(c.id)) closeConv(c, ownWords(c)); });
    }
    renderQueues();
    convs.forEach(transferOptions);
    emit('snapshot', snapshot);
  }

  function renderQueues() {
    const focused = document.activeElement && document.activeElement.dataset.sid;
    const frag = document.createDocumentFragment();
    let any = false;
    for (const q of snapshot.queues) {
      const box = el('div', 'queue');
      const h = el('h3', null, q.name);
      if (q.assignment === 'AUTO') h.append(el('span', 'muted', ' · auto'));
      box.append(h);
      const waiting = [...(q.waiting || [])].sort((a, b) => a.position - b.position);
      if (!waiting.length) box.append(el('p', 'muted', 'Nobody waiting.'));
      const ol = el('ol', 'wlist');
      for (const w of waiting) {
        any = true;
        const li = el('li');
        const t = el('span', 'waited');
        t.dataset.base = w.waited_seconds || 0;
        const b = el('button', null, 'Take');
        b.type = 'button';
        b.dataset.sid = w.session_id;
        b.setAttribute('aria-label', `Take conversation ${nameOf(w)} (number ${w.position} in ${q.name})`);
        b.onclick = () => claim(w.session_id, b);
        li.append(el('span', 'pos', '#' + w.position), el('span', 'sid', nameOf(w)), t, b);
        li.title = w.session_id;
        ol.append(li);
      }
      if (waiting.length) box.append(ol);
      frag.append(box);
    }
    if (!snapshot.queues.length) frag.append(el('p', 'muted', 'You are in no queue.'));
    $('queues').replaceChildren(frag);
    $('take-next').disabled = !any;
    if (focused) {
      const again = [...$('queues').querySelectorAll('button')].find(b => b.dataset.sid === focused);
      (again || $('take-next')).focus();
    }
    tick();
  }

  function tick() {
    const d = (Date.now() - snapAt) / 1000;
    for (const t of $('queues').querySelectorAll('.waited')) t.textContent = 'waited ' + fmtWait(+t.dataset.base + d);
  }
  setInterval(tick, 1000);

  async function claim(sessionId, btn) {
    btn.disabled = true;
    try {
      const r = await api('POST', 'claim', sessionId ? { session_id: sessionId } : {});
      if (r && r.conversation) select(conv(r.conversation, true), true);
    } catch (x) {
      if (x.message !== 'unauthorised') {
        showAlert(x.message === 'conversation not available'
          ? 'That conversation is no longer available.' : 'Could not take the conversation: ' + x.message);
      }
    } finally { if (btn.isConnected) btn.disabled = btn === $('take-next') && !$('queues').querySelector('li'); }
  }
  $('take-next').onclick = e => claim(null, e.currentTarget);

  // ---------- conversations
  function conv(info, assigned) {
    const id = info.session_id;
    let c = convs.get(id);
    if (c) {
      if (info.label || info.customer) { c.info = Object.assign({}, c.info, info); label(c); }
      if (info.queue && info.queue !== c.queue) { c.queue = info.queue; label(c); transferOptions(c); }
      if (assigned && c.closed) reopen(c);
      return c;
    }
    dismissed.delete(id);
    const n = ++tabN;
    const tab = el('button', 'tab');
    tab.type = 'button';
    tab.id = 'tab-' + n;
    tab.tabIndex = -1;
    tab.setAttribute('role', 'tab');
    tab.setAttribute('aria-controls', 'panel-' + n);
    tab.setAttribute('aria-selected', 'false');
    tab.append(el('span', 'tab-name'), el('span', 'badge'));
    const p = $('panel-tpl').content.firstElementChild.cloneNode(true);
    p.id = 'panel-' + n;
    p.hidden = true;
    p.setAttribute('aria-labelledby', tab.id);
    c = {
      id, queue: info.queue || '', tab, panel: p, closed: false, unread: 0, maxSeq: 0, names: {}, info: Object.assign({}, info),
      own: null, joinSeq: null,
      log: p.querySelector('.log'), typing: p.querySelector('.typing'), input: p.querySelector('textarea'),
      select: p.querySelector('select'), state: p.querySelector('.state'),
      seen: new Set(), nodes: new Map(), chunks: new Map(), agentTyping: false, idle: 0, utTimer: 0,
    };
    c.log.setAttribute('aria-label', 'Messages');
    p.querySelector('.panel-title').title = id;
    for (const act of ['leave', 'end']) { // each button says what it does, visibly and to screen readers
      const hint = p.querySelector('.hint-' + act);
      hint.id = `hint-${act}-${n}`;
      const b = p.querySelector(`[data-act=${act}]`);
      b.setAttribute('aria-describedby', hint.id);
      b.title = hint.textContent;
    }
    label(c);
    tab.onclick = () => select(c, false);
    p.querySelector('form').onsubmit = e => { e.preventDefault(); sendText(c); };
    c.input.addEventListener('keydown', e => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); sendText(c); }
    });
    c.input.addEventListener('input', () => typing(c));
    p.querySelector('.actions').onclick = e => {
      const act = e.target.dataset && e.target.dataset.act;
      if (!act || c.closed && act !== 'close') return;
      if (act === 'close') return dismiss(c);
      if (act === 'end') return confirmEnd(c, true);
      if (act === 'end-no') return confirmEnd(c, false);
      stopTyping(c);
      if (act === 'transfer') {
        if (c.select.value) ownAction(c, { type: 'desk.transfer', session_id: id, queue: c.select.value }, 'transfer the conversation');
      } else if (act === 'end-yes') {
        confirmEnd(c, false);
        ownAction(c, { type: 'desk.end', session_id: id }, 'end the conversation');
      } else if (act === 'leave') {
        ownAction(c, { type: 'desk.leave', session_id: id }, 'leave the conversation');
      }
    };
    const confirm = p.querySelector('.confirm-end');
    confirm.onclick = p.querySelector('.actions').onclick;
    confirm.addEventListener('keydown', e => { if (e.key === 'Escape') confirmEnd(c, false); });
    convs.set(id, c);
    $('tabs').append(tab);
    $('panels').append(p);
    $('no-convs').hidden = true;
    transferOptions(c);
    if (!current) select(c, false);
    if (assigned) history(c);
    emit('panel', { session_id: id, panel: p, tab });
    return c;
  }

  /** End asks first, in the page: the customer's chat is over once confirmed. */
  function confirmEnd(c, open) {
    const box = c.panel.querySelector('.confirm-end');
    box.hidden = !open;
    if (open) box.querySelector('[data-act=end-yes]').focus();
    else if (c.panel.contains(document.activeElement) && !c.closed) c.panel.querySelector('[data-act=end]').focus();
  }

  /**
   * The agent's own Leave, End or Transfer: remembered per conversation until the desk answers, so
   * the desk.unassigned that follows is worded as what they did, not as something done to them.
   */
  function ownAction(c, cmd, what) {
    if (!send(cmd, what)) return;
    c.own = { kind: cmd.type.slice(5), queue: cmd.queue || c.queue, request: cmd.request_id };
  }
  function ownWords(c) {
    const o = c.own;
    if (!o) return 'No longer assigned to you';
    return o.kind === 'leave' ? `You left — back in ${o.queue || 'the queue'}`
      : o.kind === 'transfer' ? `Transferred to ${o.queue}` : 'You ended the conversation';
  }

  /** The full stored history, in case the desk.event batch was missed; duplicates are dropped by id. */
  function history(c) {
    api('GET', `conversations/${encodeURIComponent(c.id)}/transcript`)
      .then(r => { for (const e of (r && r.events) || []) addEvent(c, e); })
      .catch(() => {});
  }

  function label(c) {
    c.tab.firstChild.textContent = (c.queue ? c.queue + ' · ' : '') + nameOf(c.info);
    c.tab.title = c.id;
    c.panel.querySelector('.panel-title').textContent = fullName(c.info);
    const name = nameOf(c.info);
    if (c.named !== name) { // named late (an event before desk.assigned): rename what is shown, once
      c.named = name;
      for (const w of c.log.querySelectorAll('.msg.user .who')) w.textContent = name;
    }
  }

  function transferOptions(c) {
    const others = snapshot.queues.map(q => q.name).filter(n => n !== c.queue);
    const keep = c.select.value;
    c.select.replaceChildren(...others.map(n => { const o = el('option', null, n); o.value = n; return o; }));
    if (others.includes(keep)) c.select.value = keep;
    const off = c.closed || !others.length;
    c.select.disabled = off;
    c.panel.querySelector('[data-act=transfer]').disabled = off;
  }

  function select(c, focus) {
    current = c;
    convs.forEach(x => {
      const on = x === c;
      x.tab.setAttribute('aria-selected', String(on));
      x.tab.tabIndex = on ? 0 : -1;
      x.panel.hidden = !on;
    });
    c.unread = 0;
    c.tab.lastChild.textContent = '';
    c.log.scrollTop = c.log.scrollHeight;
    if (focus) (c.closed ? c.tab : c.input).focus();
    emit('select', { session_id: c.id });
  }

  $('tabs').addEventListener('keydown', e => {
    const list = [...convs.values()];
    const i = list.indexOf(current);
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: list.length - 1 }[e.key];
    if (to === undefined || !list.length) return;
    e.preventDefault();
    const c = list[(to + list.length) % list.length];
    select(c, false);
    c.tab.focus();
  });

  function setControls(c, off) {
    for (const x of c.panel.querySelectorAll('textarea, form button, [data-act]')) x.disabled = off;
    c.panel.querySelector('[data-act=close]').hidden = !off;
    if (off) c.panel.querySelector('.confirm-end').hidden = true;
    c.panel.querySelector('[data-act=close]').disabled = false;
    transferOptions(c);
  }

  function closeConv(c, why) {
    if (c.closed) return;
    c.closed = true;
    clearTimeout(c.idle);
    c.agentTyping = false;
    userTyping(c, false);
    c.state.textContent = why;
    c.tab.classList.add('closed');
    setControls(c, true);
  }

  function reopen(c) {
    c.closed = false;
    c.own = null;
    c.state.textContent = '';
    c.tab.classList.remove('closed');
    setControls(c, false);
    history(c);
  }

  function dismiss(c) {
    convs.delete(c.id);
    dismissed.add(c.id);
    clearTimeout(c.utTimer);
    c.tab.remove();
    c.panel.remove();
    const next = convs.values().next().value;
    current = null;
    if (next) {
      select(next, false);
      next.tab.focus();
    } else {
      $('no-convs').hidden = false;
      $('take-next').focus();
    }
  }

  // ---------- composer and typing
  function typing(c) {
    if (c.closed) return;
    if (!c.input.value) { stopTyping(c); return; }
    if (!c.agentTyping) c.agentTyping = send({ type: 'desk.typing', session_id: c.id, state: 'TYPING_STATE_STARTED' });
    clearTimeout(c.idle);
    c.idle = setTimeout(() => stopTyping(c), TYPING_IDLE_MS);
  }

  function stopTyping(c) {
    clearTimeout(c.idle);
    if (!c.agentTyping) return;
    c.agentTyping = false;
    send({ type: 'desk.typing', session_id: c.id, state: 'TYPING_STATE_STOPPED' });
  }

  function sendText(c) {
    const text = c.input.value.trim();
    if (!text || c.closed) return;
    stopTyping(c);
    if (send({ type: 'desk.send', session_id: c.id, text }, 'send the message')) c.input.value = '';
  }

  function userTyping(c, on) {
    clearTimeout(c.utTimer);
    c.typing.textContent = on ? nameOf(c.info) + ' is typing…' : '';
    c.tab.classList.toggle('typing-on', on);
    if (on) c.utTimer = setTimeout(() => userTyping(c, false), 15000); // a lost STOPPED must not stick
  }

  // ---------- history rendering
  const REASONS = { REASON_USER_END: 'by the user', REASON_USER_ABANDONED: 'the user went away', REASON_NATURAL_END: '' };
  function notice(type, p, c) {
    switch (type) {
      case 'EVENT_TYPE_POLY_AGENT_JOINED': return 'AI agent ' + (p.agent_name || '') + ' joined';
      case 'EVENT_TYPE_POLY_AGENT_LEFT': return 'AI agent left';
      case 'EVENT_TYPE_POLY_AGENT_TRIGGERED_HANDOFF': return 'AI agent handed off to a person';
      case 'EVENT_TYPE_HANDOFF_ACCEPTED': return 'Handoff accepted';
      case 'EVENT_TYPE_HANDOFF_QUEUE_STATUS':
        return ['Queued', p.queue_name && 'in ' + p.queue_name, p.position_in_queue && 'at #' + p.position_in_queue]
          .filter(Boolean).join(' ');
      case 'EVENT_TYPE_CLIENT_HANDOFF_REQUIRED': return 'Handoff sent back to the client' + (p.reason ? ` (${p.reason})` : '');
      case 'EVENT_TYPE_HANDOFF_FAILED': return 'Handoff failed';
      case 'EVENT_TYPE_HANDOFF_TIMEOUT': return 'Handoff timed out';
      case 'EVENT_TYPE_LIVE_AGENT_JOINED': {
        const a = p.agent || {};
        if (a.id) c.names[a.id] = a.name;
        return (a.name || 'A live agent') + ' joined';
      }
      case 'EVENT_TYPE_LIVE_AGENT_LEFT': return 'Live agent left';
      case 'EVENT_TYPE_USER_END_SESSION': return 'User ended the conversation';
      case 'EVENT_TYPE_SESSION_END': {
        const r = REASONS[p.reason];
        return 'Conversation ended' + (r ? ' (' + r + ')' : '');
      }
      case 'EVENT_TYPE_SYSTEM_MESSAGE':
        return (p.level === 'SYSTEM_MESSAGE_LEVEL_ERROR' ? 'Error: ' : p.level === 'SYSTEM_MESSAGE_LEVEL_WARNING' ? 'Warning: ' : '')
          + (p.message || '');
      case 'EVENT_TYPE_LANGUAGE_CHANGED': return 'Language is now ' + (p.language_code || '?');
    }
    return null; // session start, heartbeats, join requests, thinking and typing are not shown in the log
  }

  function addEvent(c, ev) {
    if (!ev || typeof ev !== 'object') return;
    const p = ev.payload && typeof ev.payload === 'object' ? ev.payload : {};
    if (ev.type === 'EVENT_TYPE_EVENT_BATCH') {
      for (const e of Array.isArray(p.events) ? p.events : []) addEvent(c, e);
      return;
    }
    if (ev.type === 'EVENT_TYPE_USER_TYPING') { if (!c.closed) userTyping(c, p.state === 'TYPING_STATE_STARTED'); return; }
    if (ev.id != null) {
      if (c.seen.has(ev.id)) return;
      c.seen.add(ev.id);
    }
    const seq = typeof ev.sequence === 'number' ? ev.sequence : c.maxSeq;
    c.maxSeq = Math.max(c.maxSeq, seq);
    let node = null;
    switch (ev.type) {
      case 'EVENT_TYPE_USER_MESSAGE':
        userTyping(c, false);
        node = message('user', nameOf(c.info), p.text);
        break;
      case 'EVENT_TYPE_POLY_AGENT_MESSAGE':
        node = message('ai', 'AI agent', p.text, p.attachments);
        break;
      case 'EVENT_TYPE_LIVE_AGENT_MESSAGE': {
        const who = p.agent_id && p.agent_id === agent.id ? (agent.name || 'You') + ' (you)'
          : c.names[p.agent_id] || 'Live agent';
        node = message('live', who, p.text, p.attachments);
        break;
      }
      case 'EVENT_TYPE_POLY_AGENT_MESSAGE_CHUNK': chunk(c, p, seq, ev.timestamp); return;
      default: {
        const t = notice(ev.type, p, c);
        if (t) node = el('p', 'notice', t);
        if (ev.type === 'EVENT_TYPE_LIVE_AGENT_JOINED') node = joined(c, p, seq, ev.timestamp) || node;
        if (ev.type === 'EVENT_TYPE_SESSION_END') closeConv(c, c.own && c.own.kind === 'end' ? ownWords(c) : 'Ended');
      }
    }
    if (node && !node.classList.contains('handover')) stamp(node, ev.timestamp);
    if (node) place(c, ev.id != null ? 'e:' + ev.id : 'n:' + c.nodes.size, seq, node, ev.type !== 'EVENT_TYPE_SYSTEM_MESSAGE' && !node.classList.contains('notice'));
  }

  /** The time of an event on its message or notice. */
  function stamp(node, ts) {
    const t = timeEl(ts);
    if (!t) return;
    const who = node.querySelector('.who');
    if (who) who.after(t);
    else node.append(' ', t);
  }

  /**
   * A live agent joined: what came before was the AI's part of the conversation (marked, so it looks
   * unlike the live part). When it is this agent, the notice is the divider "Handed over to you at 10:42".
   */
  function joined(c, p, seq, ts) {
    if (c.joinSeq == null || seq < c.joinSeq) {
      c.joinSeq = seq;
      for (const n of c.log.children) n.classList.toggle('ai-phase', +n.dataset.seq < seq);
    }
    const a = p.agent || {};
    if (!a.id || a.id !== agent.id) return null;
    const div = el('p', 'notice handover', 'Handed over to you');
    const t = timeEl(ts, 'at');
    if (t) div.append(' at ', t);
    div.setAttribute('role', 'separator');
    return div;
  }

  function message(kind, who, text, atts) {
    const d = el('div', 'msg ' + kind);
    d.append(el('span', 'who', who), el('p', 'text', typeof text === 'string' ? text : ''));
    attach(d, atts);
    return d;
  }

  function attach(d, atts) {
    for (const old of d.querySelectorAll('.att')) old.remove();
    for (const a of Array.isArray(atts) ? atts : []) {
      if (!a || typeof a !== 'object') continue;
      const url = safeUrl(a.content_url);
      const x = el(url ? 'a' : 'span', 'att', a.title || a.call_to_action_text || url || 'Attachment');
      if (url) { x.href = url; x.target = '_blank'; x.rel = 'noopener noreferrer'; }
      d.append(x);
    }
  }

  /** Streamed AI replies: chunks of one message_id become one message, text in chunk_index order. */
  function chunk(c, p, seq, ts) {
    const mid = String(p.message_id || '');
    let g = c.chunks.get(mid);
    if (!g) {
      g = { texts: [], atts: [], node: message('ai', 'AI agent', '') };
      stamp(g.node, ts);
      c.chunks.set(mid, g);
      place(c, 'm:' + mid, seq, g.node, true);
    }
    const i = Number.isInteger(p.chunk_index) ? p.chunk_index : g.texts.length + 1;
    g.texts[i] = typeof p.text === 'string' ? p.text : '';
    g.atts[i] = Array.isArray(p.attachments) ? p.attachments : [];
    if (p.is_complete) g.done = true;
    g.node.querySelector('.text').textContent = g.texts.join('');
    attach(g.node, g.atts.flat());
    g.node.classList.toggle('streaming', !g.done);
  }

  function place(c, key, seq, node, counts) {
    c.nodes.set(key, node);
    node.dataset.seq = seq;
    node.classList.toggle('ai-phase', c.joinSeq == null || seq < c.joinSeq);
    const log = c.log, kids = log.children;
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    let i = kids.length;
    while (i > 0 && +kids[i - 1].dataset.seq > seq) i--;
    log.insertBefore(node, kids[i] || null);
    if (atBottom) log.scrollTop = log.scrollHeight;
    if (counts && c !== current) {
      c.unread++;
      c.tab.lastChild.textContent = ` ${c.unread} new`;
    }
  }

  // ---------- history: ended conversations, searched and opened read-only (GET history, history/{id})
  let hCursor = null, hOpener = null;
  const fmtDate = s => (s ? new Date(s).toLocaleString() : '');
  function showHistory(on) {
    $('history').hidden = !on;
    $('desk-cols').hidden = on;
    $('history-toggle').setAttribute('aria-pressed', String(on));
    if (!on) { $('desk-title').focus(); return; }
    const sel = $('history-queue'), keep = sel.value;
    sel.replaceChildren(el('option', null, 'All my queues'));
    sel.firstChild.value = '';
    for (const q of agent.queues || []) { const o = el('option', null, q); o.value = q; sel.append(o); }
    sel.value = keep;
    $('history-q').focus();
  }
  $('history-toggle').onclick = () => showHistory($('history').hidden);
  function resetHistory() {
    hCursor = null; hOpener = null;
    $('history-results').replaceChildren();
    $('history-status').textContent = '';
    $('history-more').hidden = true;
    closeHistoryView(false);
    showHistory(false);
  }
  async function searchHistory(more) {
    const f = new URLSearchParams();
    const add = (k, v) => { if (v) f.set(k, v); };
    add('q', $('history-q').value.trim());
    add('queue', $('history-queue').value);
    add('agent', $('history-agent').value === 'me' ? agent.id : '');
    add('from', $('history-from').value);
    add('to', $('history-to').value);
    if (more) add('cursor', hCursor);
    $('history-status').textContent = 'Searching…';
    try {
      const r = await api('GET', 'history?' + f);
      const list = $('history-results');
      if (!more) list.replaceChildren();
      const first = list.children.length;
      for (const c of r.conversations || []) list.append(resultItem(c));
      hCursor = r.next_cursor || null;
      $('history-more').hidden = !hCursor;
      const n = list.children.length;
      $('history-status').textContent = n ? `${n} conversation${n > 1 ? 's' : ''}${hCursor ? ', more available' : ''}`
        : 'No ended conversation matches.';
      if (more && list.children[first]) list.children[first].firstChild.focus();
    } catch (x) { $('history-status').textContent = 'Search failed: ' + x.message; }
  }
  function resultItem(c) {
    const li = el('li'), b = el('button', 'hresult');
    b.type = 'button';
    const who = c.live_agent ? c.live_agent.name || c.live_agent.id : 'no agent';
    b.append(el('span', 'hname', nameOf(c)),
      el('span', 'hmeta', `${fmtDate(c.ended_at)} · ${c.queue || '—'} · ${who}`));
    b.title = c.session_id;
    const snip = el('span', 'snippet');
    for (const part of Array.isArray(c.snippet) ? c.snippet : []) {
      snip.append(part.match ? el('mark', null, part.text) : document.createTextNode(part.text));
    }
    if (snip.childNodes.length) b.append(snip);
    b.onclick = () => openHistory(c.session_id, b);
    li.append(b);
    return li;
  }
  $('history-form').addEventListener('submit', e => { e.preventDefault(); searchHistory(false); });
  $('history-more').onclick = () => searchHistory(true);
  // Arrow keys move between results (each is a button, so Tab and Enter work as well).
  $('history-results').addEventListener('keydown', e => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const all = [...$('history-results').querySelectorAll('.hresult')];
    const i = all.indexOf(document.activeElement);
    const next = all[i + (e.key === 'ArrowDown' ? 1 : -1)];
    if (i >= 0 && next) { e.preventDefault(); next.focus(); }
  });
  async function openHistory(id, opener) {
    let r;
    try { r = await api('GET', 'history/' + encodeURIComponent(id)); } catch (x) { showAlert('Cannot open the conversation: ' + x.message); return; }
    hOpener = opener;
    const c = r.conversation || {};
    $('history-view-title').textContent = fullName(c.session_id ? c : { session_id: id });
    $('history-view-title').title = c.session_id || id;
    const who = c.live_agent ? c.live_agent.name || c.live_agent.id : 'no agent';
    $('history-view-meta').textContent = `Queue ${c.queue || '—'} · ${who} · started ${fmtDate(c.created_at)} · ended ${fmtDate(c.ended_at)}`;
    const lines = $('history-lines');
    lines.replaceChildren();
    for (const l of r.lines || []) {
      if (l.speaker === 'event' || l.speaker === 'system') {
        const n = el('li', 'notice', (l.name ? l.name + ': ' : '') + l.text);
        stamp(n, l.timestamp);
        lines.append(n);
        continue;
      }
      const kind = l.speaker === 'ai_agent' ? 'ai' : l.speaker === 'live_agent' ? 'live' : 'user';
      const li = el('li', 'msg ' + kind);
      li.append(el('span', 'who', l.name || (kind === 'user' ? nameOf(c) : kind === 'ai' ? 'AI agent' : 'Agent')), el('p', 'text', l.text));
      stamp(li, l.timestamp);
      lines.append(li);
    }
    const notes = Array.isArray(r.notes) ? r.notes : [];
    $('history-notes-list').replaceChildren(...notes.map(n => el('li', null,
      n && typeof n === 'object' ? [(n.author && n.author.name) || n.author_name, n.text].filter(Boolean).join(': ') : String(n))));
    $('history-notes').hidden = notes.length === 0;
    $('history-search').hidden = true;
    $('history-view').hidden = false;
    $('history-view-title').focus();
    emit('history', { id, session_id: c.session_id || id, conversation: c, view: r });
  }
  function closeHistoryView(refocus) {
    $('history-view').hidden = true;
    $('history-search').hidden = false;
    if (refocus && hOpener && hOpener.isConnected) hOpener.focus();
  }
  $('history-back').onclick = () => closeHistoryView(true);
  $('history-view').addEventListener('keydown', e => { if (e.key === 'Escape') closeHistoryView(true); });

  window.ParleyDesk = Object.freeze({
    /** Calls fn(detail) on login, logout, connect (a new socket), snapshot, assigned, unassigned, event, panel, select, message, history ({id, session_id, conversation, view}). */
    on(name, fn) { hooks.set(name, [...(hooks.get(name) || []), fn]); },
    api, send, el, showAlert, fmtWait, shortId, nameOf, fullName, timeEl,
    /** A raw authorised GET of the desk API (for downloads): the Response, whatever its status. */
    fetchRaw: path => fetch('/desk/api/' + path, { headers: token ? { Authorization: 'Bearer ' + token } : {} }),
    /** The conversation as the desk last heard of it (label, customer, queue, times), or null. */
    conversation: id => (convs.has(id) ? Object.assign({ session_id: id, queue: convs.get(id).queue }, convs.get(id).info) : null),
    agent: () => agent,
    snapshot: () => snapshot,
    current: () => (current ? current.id : null),
    panel: id => (convs.has(id) ? convs.get(id).panel : null),
    /** Events of a conversation whose tab was closed are dropped; this takes them again (watching it anew). */
    undismiss: id => { dismissed.delete(id); },
  });

  // ---------- start (after the deferred extension scripts registered): resume a login kept for this tab only
  document.addEventListener('DOMContentLoaded', () => {
    try {
      const saved = JSON.parse(sessionStorage.getItem(KEY) || 'null');
      if (saved && saved.token && saved.exp > Date.now()) {
        start(saved.token, saved.agent, saved.exp);
        api('GET', 'me').catch(() => {}); // a 401 sends the agent back to the login form
      }
    } catch { sessionStorage.removeItem(KEY); }
  });
})();
