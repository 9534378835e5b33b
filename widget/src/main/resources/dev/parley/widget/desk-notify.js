// Parley desk notices: a system notification and an optional chime when a conversation starts waiting in one of the
// agent's queues, is assigned to them, or a customer writes where the agent is not looking; the tab title counts what
// they have not seen yet. Hooks into desk.js only through window.ParleyDesk; all state lives on the page's main thread.
'use strict';
(() => {
  const D = window.ParleyDesk;
  if (!D) return;
  const $ = id => document.getElementById(id);
  const PREF_NOTIFY = 'parley.desk.notify'; // 'off' once the agent muted system notifications in this browser
  const PREF_SOUND = 'parley.desk.sound';   // 'on' once the agent wants the chime (off by default)
  const PREVIEW_CHARS = 80;                 // a notification shows at most this much of a customer's text
  const OWN_ACTION_MS = 10000;              // an assignment or a new waiting entry this soon after Take/Transfer is the agent's own doing
  const BURST = 3;                          // more conversations than this starting to wait at once: one notification
  const BASE_TITLE = document.title || 'Parley desk';
  const supported = typeof window.Notification === 'function';

  let synced = false;              // false from (re)connect to the first snapshot: what arrives meanwhile is a replay
  let waiting = new Set();         // session ids waiting in my queues as of the last snapshot
  const unseenWaiting = new Set(); // newly waiting while the agent was not looking at the desk
  const unread = new Map();        // session id -> customer messages not seen yet
  const info = new Map();          // session id -> { label, queue } from snapshots and assignments
  const counted = new Map();       // session id -> ids of the customer messages already counted
  const shown = new Map();         // notification tag -> the Notification showing it
  const own = new Map();           // session id (or '*' for Take next) -> when the agent pressed Take or Transfer
  let audio = null, lastChime = -Infinity;

  const pref = k => { try { return localStorage.getItem(k); } catch { return null; } };
  const store = (k, v) => { try { localStorage.setItem(k, v); } catch { /* private mode: the choice lasts this page */ } };
  const soundOn = () => pref(PREF_SOUND) === 'on';
  const permission = () => (supported ? Notification.permission : 'unsupported');
  const notifyOn = () => permission() === 'granted' && pref(PREF_NOTIFY) !== 'off';
  /** The agent sees the desk: its tab is the visible one and its window has the focus. */
  const looking = () => document.visibilityState === 'visible' && document.hasFocus();
  const clip = (s, n) => { const a = Array.from(String(s).replace(/\s+/g, ' ').trim()); return a.length > n ? a.slice(0, n).join('') + '…' : a.join(''); };
  const name = id => { const i = info.get(id); return i && i.label ? clip(i.label, 60) : D.shortId(id); };
  const queueOf = id => { const i = info.get(id); return i && i.queue ? i.queue : ''; };

  // ---------- header controls: two toggle buttons and a status region announcing their changes
  function toggle(id, label) {
    const b = D.el('button', 'ntoggle');
    b.type = 'button';
    b.id = id;
    const state = D.el('span', 'nstate');
    state.setAttribute('aria-hidden', 'true'); // the state is aria-pressed; the name stays "Notifications" / "Sound"
    b.append(D.el('span', null, label), state);
    return b;
  }
  const nBtn = toggle('notify-toggle', 'Notifications'), sBtn = toggle('sound-toggle', 'Sound');
  const status = D.el('span', 'sr');
  status.id = 'notices-status';
  status.setAttribute('role', 'status');
  const box = D.el('span', 'notices');
  box.append(nBtn, sBtn, status);
  $('conn').after(box);
  const announce = t => { status.textContent = t; };

  function renderNotify() {
    const p = permission();
    const state = p === 'denied' ? 'blocked' : notifyOn() ? 'on' : 'off';
    nBtn.hidden = p === 'unsupported';
    nBtn.lastChild.textContent = state;
    nBtn.dataset.state = state;
    nBtn.setAttribute('aria-pressed', String(state === 'on'));
    if (p === 'denied') nBtn.setAttribute('aria-disabled', 'true'); else nBtn.removeAttribute('aria-disabled');
    nBtn.title = p === 'denied' ? 'Blocked by the browser: allow notifications for this site in its settings'
      : p === 'default' ? 'Ask the browser to show desk notifications' : '';
    return state;
  }
  function renderSound() {
    sBtn.lastChild.textContent = soundOn() ? 'on' : 'off';
    sBtn.setAttribute('aria-pressed', String(soundOn()));
  }

  nBtn.onclick = async () => {
    const p = permission();
    if (p === 'denied') {
      D.showAlert('Notifications are blocked for this page: allow them in the browser\'s site settings.');
      return;
    }
    if (p === 'granted') {
      store(PREF_NOTIFY, notifyOn() ? 'off' : 'on');
    } else { // asked only here, on the agent's click, never on load
      try { await Notification.requestPermission(); } catch { /* old callback-only API: the permission is read below */ }
      store(PREF_NOTIFY, 'on');
    }
    const state = renderNotify();
    announce(state === 'blocked' ? 'Notifications blocked by the browser' : 'Notifications ' + state);
  };
  if (navigator.permissions && supported) { // the agent may change the permission in the browser's settings
    navigator.permissions.query({ name: 'notifications' }).then(s => { s.onchange = renderNotify; }).catch(() => {});
  }

  sBtn.onclick = () => {
    const on = !soundOn();
    store(PREF_SOUND, on ? 'on' : 'off');
    renderSound();
    announce('Sound ' + (on ? 'on' : 'off'));
    const ctx = on && unlockAudio();
    if (ctx) ctx.resume().then(() => chime(true), () => {}); // a sample, so the agent hears what is coming
  };

  // ---------- sound: a two-tone chime made with Web Audio. Browsers start audio only from a user gesture, so the
  // context is created on the Sound click, or (sound remembered on, page reloaded) on the first key or pointer press.
  function unlockAudio() {
    const AC = window.AudioContext || window.webkitAudioContext;
    if (!AC) return null;
    if (!audio) { try { audio = new AC(); } catch { return null; } }
    if (audio.state === 'suspended') audio.resume().catch(() => {});
    return audio;
  }
  const unlock = () => { if (soundOn() && (!audio || audio.state === 'suspended')) unlockAudio(); };
  document.addEventListener('pointerdown', unlock, true);
  document.addEventListener('keydown', unlock, true);

  /** `sample`: the toggle's preview, which neither waits for nor delays the chime of a notice. */
  function chime(sample) {
    if (!soundOn() || !audio || audio.state !== 'running') return; // never queue sound on a suspended context
    const t = audio.currentTime;
    if (!sample) {
      if (t - lastChime < 1.5) return; // a burst of events chimes once
      lastChime = t;
    }
    tone(880, t, 0.16);
    tone(1318.5, t + 0.14, 0.26);
  }
  function tone(freq, at, len) {
    const o = audio.createOscillator(), g = audio.createGain();
    o.type = 'sine';
    o.frequency.value = freq;
    g.gain.setValueAtTime(0.0001, at);
    g.gain.exponentialRampToValueAtTime(0.25, at + 0.02);
    g.gain.exponentialRampToValueAtTime(0.0001, at + len);
    o.connect(g).connect(audio.destination);
    o.start(at);
    o.stop(at + len + 0.05);
  }

  // ---------- notifications: one tag per conversation, so a newer notice about it replaces the older one
  function notify(tagId, title, body, open) {
    chime();
    if (!notifyOn()) return;
    const tag = 'parley-' + tagId;
    let n;
    try {
      n = new Notification(title, { body, tag, renotify: true, lang: document.documentElement.lang || '' });
    } catch { return; } // browsers that notify only from a service worker (Android)
    shown.set(tag, n);
    n.onclick = () => { window.focus(); n.close(); open(); };
    n.onclose = () => { if (shown.get(tag) === n) shown.delete(tag); };
  }
  function dismissNotice(id) {
    const n = shown.get('parley-' + id);
    if (n) n.close();
  }

  /** Clicked notification: back to the desk with the conversation's tab selected (the History view closed). */
  function openConversation(id) {
    const panel = D.panel(id);
    const tab = panel && $(panel.getAttribute('aria-labelledby'));
    if (!tab) return;
    if ($('history-toggle') && $('history-toggle').getAttribute('aria-pressed') === 'true') $('history-toggle').click();
    tab.click();
    tab.focus();
  }
  function openWaiting(id) {
    if ($('history-toggle') && $('history-toggle').getAttribute('aria-pressed') === 'true') $('history-toggle').click();
    const take = [...document.querySelectorAll('#queues button')].find(b => b.dataset.sid === id);
    (take || $('take-next')).focus(); // the agent decides whether to take it
  }

  // ---------- what counts as the agent's own doing (no notice for a conversation they just took or moved)
  document.addEventListener('click', e => {
    const b = e.target instanceof Element && e.target.closest('#queues button, #take-next, [data-act=transfer]');
    if (!b) return;
    const id = b.id === 'take-next' ? '*' : b.dataset.act === 'transfer' ? D.current() : b.dataset.sid;
    if (id) own.set(id, performance.now());
  }, true);
  /** True once for a conversation the agent just took or transferred; `orNext`: a Take next counts as well. */
  function ownDoing(id, orNext) {
    const now = performance.now();
    for (const [k, at] of own) if (now - at > OWN_ACTION_MS) own.delete(k);
    return own.delete(id) || (orNext && own.delete('*'));
  }

  // ---------- tab title: "(N) Parley desk", N = unread customer messages + newly waiting conversations not seen
  function renderTitle() {
    let n = unseenWaiting.size;
    unread.forEach(v => { n += v; });
    const t = n ? `(${n}) ${BASE_TITLE}` : BASE_TITLE;
    if (document.title !== t) document.title = t;
  }
  function seen(id) {
    dismissNotice(id);
    if (unread.delete(id)) renderTitle();
  }
  function looked() {
    renderNotify();
    if (!looking()) return;
    const id = D.current();
    if (id) seen(id);
    unseenWaiting.clear();
    renderTitle();
  }
  document.addEventListener('visibilitychange', looked);
  window.addEventListener('focus', looked);

  function remember(c, queue) {
    if (!c || typeof c.session_id !== 'string') return;
    const i = info.get(c.session_id) || {};
    if (typeof c.label === 'string' && c.label.trim()) i.label = c.label;
    if (queue || c.queue) i.queue = queue || c.queue;
    info.set(c.session_id, i);
  }

  function reset() {
    synced = false;
    waiting = new Set();
    unseenWaiting.clear();
    unread.clear();
    info.clear();
    counted.clear();
    own.clear();
    shown.forEach(n => n.close());
    shown.clear();
    renderTitle();
  }

  // ---------- desk hooks
  D.on('connect', () => { synced = false; });
  D.on('login', () => { reset(); renderNotify(); renderSound(); });
  D.on('logout', () => { reset(); document.title = BASE_TITLE; announce(''); });

  D.on('snapshot', s => {
    const now = new Map(); // session id -> queue
    for (const q of s.queues || []) {
      for (const w of q.waiting || []) {
        if (!w || typeof w.session_id !== 'string') continue;
        now.set(w.session_id, q.name);
        remember(w, q.name);
      }
    }
    for (const c of s.mine || []) remember(c);
    const fresh = synced ? [...now.keys()].filter(id => !waiting.has(id) && !ownDoing(id, false)) : [];
    for (const id of unseenWaiting) if (!now.has(id)) unseenWaiting.delete(id);
    if (!looking()) fresh.forEach(id => unseenWaiting.add(id));
    waiting = new Set(now.keys());
    synced = true;
    renderTitle();
    // Away means "give me no work": no notification, no chime, no announcement; the title still counts them.
    if (!fresh.length || s.presence === 'AWAY') return;
    if (fresh.length > BURST) {
      notify('waiting', `${fresh.length} conversations started waiting`, 'In your queues', () => openWaiting(fresh[0]));
    } else {
      for (const id of fresh) {
        notify(id, 'New conversation waiting', `${name(id)} in ${now.get(id)}`, () => openWaiting(id));
      }
    }
    announce(fresh.length === 1 ? `A conversation started waiting in ${now.get(fresh[0])}`
      : `${fresh.length} conversations started waiting`);
  });

  D.on('assigned', c => {
    remember(c);
    const id = c.session_id;
    unseenWaiting.delete(id);
    renderTitle();
    if (!synced || ownDoing(id, true)) return; // replayed at (re)connect, or the agent's own Take
    notify(id, 'Conversation assigned to you', name(id) + (queueOf(id) ? ' from ' + queueOf(id) : ''),
      () => openConversation(id));
  });

  D.on('unassigned', ({ session_id: id }) => {
    unread.delete(id);
    renderTitle();
  });

  D.on('select', ({ session_id: id }) => { if (looking()) seen(id); });

  D.on('event', ({ session_id: id, event: ev }) => {
    // Only a live customer message is news: the EVENT_TYPE_EVENT_BATCH of history is never looked into.
    if (!ev || ev.type !== 'EVENT_TYPE_USER_MESSAGE') return;
    if (ev.id != null) {
      let ids = counted.get(id);
      if (!ids) counted.set(id, ids = new Set());
      if (ids.has(ev.id)) return;
      ids.add(ev.id);
    }
    if (looking() && D.current() === id) return;
    unread.set(id, (unread.get(id) || 0) + 1);
    renderTitle();
    const p = ev.payload && typeof ev.payload === 'object' ? ev.payload : {};
    notify(id, 'New message: ' + name(id), clip(typeof p.text === 'string' ? p.text : '', PREVIEW_CHARS),
      () => openConversation(id));
  });

  renderNotify();
  renderSound();
})();
