// Parley desk, supervisors: the Team view (queues and agents of the connector, live from desk.overview),
// watching a conversation read-only, taking it over, reassigning it. Loaded for everyone; does nothing
// unless the logged-in account has role SUPERVISOR. Data reaches the page through textContent only.
'use strict';
(() => {
  const D = window.ParleyDesk;
  if (!D) return;
  const $ = id => document.getElementById(id);
  const el = D.el;

  let on = false, overview = null, focusAfter = null;
  const watching = new Set();   // session ids watched read-only
  const choice = new Map();     // session id -> agent picked in its Reassign select (kept across re-renders)
  let button = null, view = null;

  D.on('login', ({ agent }) => { if (agent && agent.role === 'SUPERVISOR') enable(); });
  D.on('logout', disable);
  D.on('message', m => { if (on && m.type === 'desk.overview') { overview = m; render(); } });

  function enable() {
    if (on) return;
    on = true;
    button = el('button', null, 'Team');
    button.type = 'button';
    button.id = 'team-toggle';
    button.setAttribute('aria-pressed', 'false');
    button.setAttribute('aria-controls', 'team');
    button.onclick = () => show(view.hidden);
    $('history-toggle').before(button);
    view = el('section', 'team');
    view.id = 'team';
    view.hidden = true;
    view.setAttribute('aria-labelledby', 'team-title');
    const h = el('h2', null, 'Team');
    h.id = 'team-title';
    h.tabIndex = -1;
    const status = el('p', 'muted', 'Loading…');
    status.id = 'team-status';
    status.setAttribute('role', 'status');
    const body = el('div');
    body.id = 'team-body';
    view.append(h, status, body);
    $('history').after(view);
    D.api('GET', 'supervisor/overview').then(o => { if (on && o && !overview) { overview = o; render(); } }).catch(() => {});
  }

  function disable() {
    on = false;
    overview = null;
    watching.clear();
    choice.clear();
    if (button) button.remove();
    if (view) view.remove();
    button = view = null;
  }

  /** Team view on or off; the desk columns and the History view give way to it. */
  function show(yes) {
    view.hidden = !yes;
    button.setAttribute('aria-pressed', String(yes));
    if (yes) {
      if (!$('history').hidden) $('history-toggle').click();
      $('desk-cols').hidden = true;
      render();
      $('team-title').focus();
    } else {
      $('desk-cols').hidden = !$('history').hidden;
    }
  }

  // History: a supervisor searches every queue of the connector (HistoryAccess on the server).
  $('history-toggle').addEventListener('click', () => {
    if (!on) return;
    if (!$('history').hidden && !view.hidden) { view.hidden = true; button.setAttribute('aria-pressed', 'false'); }
    const sel = $('history-queue'), keep = sel.value;
    sel.firstChild.textContent = 'All queues';
    const have = new Set([...sel.options].map(o => o.value));
    for (const q of (overview && overview.queues) || []) {
      if (!have.has(q.name)) { const o = el('option', null, q.name); o.value = q.name; sel.append(o); }
    }
    sel.value = keep;
  });

  // ---------- rendering (every overview; focus and Reassign choices survive it)
  function render() {
    if (!on || !view || !overview) return;
    const focused = document.activeElement && view.contains(document.activeElement)
      ? document.activeElement.dataset.key : null;
    const frag = document.createDocumentFragment();
    frag.append(queuesTable(), agentsTable());
    $('team-body').replaceChildren(frag);
    const waiting = overview.queues.reduce((n, q) => n + q.waiting, 0);
    const free = overview.agents.filter(a => a.presence === 'AVAILABLE').length;
    $('team-status').textContent = `${waiting} waiting · ${free} ${free === 1 ? 'agent' : 'agents'} available`;
    if (focused) {
      const again = view.querySelector(`[data-key="${CSS.escape(focused)}"]`);
      if (again) again.focus();
    }
  }

  function table(caption, heads) {
    const t = el('table');
    t.append(el('caption', null, caption));
    const tr = el('tr');
    for (const h of heads) { const th = el('th', null, h); th.scope = 'col'; tr.append(th); }
    t.append(el('thead'), el('tbody'));
    t.tHead.append(tr);
    return t;
  }

  function cell(tr, text, cls) { const td = el('td', cls, text); tr.append(td); return td; }

  function queuesTable() {
    const t = table('Queues', ['Queue', 'Waiting', 'Longest wait', 'Available agents', 'Average wait', 'First response', 'CSAT', 'Waiting conversations']);
    for (const q of overview.queues) {
      const tr = el('tr');
      const th = el('th', null, q.name);
      th.scope = 'row';
      tr.append(th);
      cell(tr, String(q.waiting), 'num');
      cell(tr, q.waiting ? D.fmtWait(q.longest_wait_seconds) : '—', 'num');
      cell(tr, String(q.available_agents), 'num');
      // Of the queue's recent assignments; on /metrics as parley_desk_wait_seconds.
      cell(tr, q.average_wait_seconds == null ? '—' : D.fmtWait(q.average_wait_seconds), 'num');
      cell(tr, q.average_first_response_seconds == null ? '—' : D.fmtWait(q.average_first_response_seconds), 'num');
      cell(tr, rating(q.average_rating), 'num');
      const list = el('ul', 'convlist');
      for (const w of q.waiting_conversations || []) {
        list.append(convItem(w.session_id, `#${w.position} · waited ${D.fmtWait(w.waited_seconds)}`, null, w.label));
      }
      cell(tr, q.waiting ? null : 'Nobody waiting.', q.waiting ? null : 'muted').append(list);
      t.tBodies[0].append(tr);
    }
    return t;
  }

  function agentsTable() {
    const t = table('Agents', ['Agent', 'Presence', 'Load', 'Average handling', 'First response', 'CSAT', 'Conversations']);
    for (const a of overview.agents) {
      const tr = el('tr');
      const th = el('th', null, a.name + (a.role === 'SUPERVISOR' ? ' (supervisor)' : ''));
      th.scope = 'row';
      tr.append(th);
      cell(tr, a.presence.charAt(0) + a.presence.slice(1).toLowerCase(), 'presence-' + a.presence);
      cell(tr, `${a.load} / ${a.capacity}`, 'num' + (a.load > a.capacity ? ' over' : ''));
      cell(tr, a.average_handling_seconds == null ? '—' : D.fmtWait(a.average_handling_seconds), 'num');
      cell(tr, a.average_first_response_seconds == null ? '—' : D.fmtWait(a.average_first_response_seconds), 'num');
      cell(tr, rating(a.average_rating), 'num');
      const list = el('ul', 'convlist');
      for (const c of a.conversations || []) list.append(convItem(c.session_id, c.queue, a.id, (c.customer && c.customer.name) || c.label));
      cell(tr, a.conversations.length ? null : 'None', a.conversations.length ? null : 'muted').append(list);
      t.tBodies[0].append(tr);
    }
    return t;
  }

  /** A recent average CSAT as "4.3 / 5", or a dash before the first rating. */
  function rating(value) {
    return value == null ? '—' : `${value.toFixed(1)} / 5`;
  }

  /** One conversation with Watch, Take over and Reassign-to; {@code holder}: the agent who has it, if any. */
  function convItem(sid, what, holder, label) {
    const li = el('li');
    li.title = sid;
    li.append(el('span', 'sid', label || D.shortId(sid)), el('span', 'muted', what || ''));
    const me = D.agent().id;
    if (holder !== me) {
      li.append(act(watching.has(sid) ? 'Watching' : 'Watch', `Watch conversation ${sid}`, 'watch:' + sid, b => {
        b.disabled = watching.has(sid);
      }, () => watch(sid)));
      li.append(act('Take over', `Take over conversation ${sid}`, 'take:' + sid, null, () => takeOver(sid)));
    }
    const targets = overview.agents.filter(a => a.presence === 'AVAILABLE' && a.id !== holder);
    const sel = el('select');
    sel.dataset.key = 'to:' + sid;
    sel.setAttribute('aria-label', `Reassign conversation ${sid} to`);
    for (const a of targets) { const o = el('option', null, a.name); o.value = a.id; sel.append(o); }
    if (!targets.length) sel.append(el('option', null, 'Nobody available'));
    if (targets.some(a => a.id === choice.get(sid))) sel.value = choice.get(sid);
    sel.disabled = !targets.length;
    sel.onchange = () => choice.set(sid, sel.value);
    li.append(sel, act('Reassign', `Reassign conversation ${sid}`, 'move:' + sid, b => { b.disabled = !targets.length; },
      () => D.send({ type: 'desk.reassign', session_id: sid, agent_id: sel.value }, 'reassign the conversation')));
    return li;
  }

  function act(text, label, key, setup, run) {
    const b = el('button', null, text);
    b.type = 'button';
    b.dataset.key = key;
    b.setAttribute('aria-label', label);
    if (setup) setup(b);
    b.onclick = run;
    return b;
  }

  // ---------- watching and taking over
  function watch(sid) {
    D.undismiss(sid);
    watching.add(sid);
    focusAfter = sid;
    if (!D.send({ type: 'desk.watch', session_id: sid }, 'watch the conversation')) watching.delete(sid);
    const p = D.panel(sid);
    if (p) { markWatched(sid, p); open(sid); }
    render();
  }

  function takeOver(sid) {
    focusAfter = sid;
    D.send({ type: 'desk.take_over', session_id: sid }, 'take over the conversation');
  }

  /** Shows the conversation's tab in the desk columns. */
  function open(sid) {
    focusAfter = null;
    if (view && !view.hidden) show(false);
    const p = D.panel(sid);
    const tab = p && document.getElementById(p.getAttribute('aria-labelledby'));
    if (tab) { tab.click(); tab.focus(); }
  }

  D.on('panel', ({ session_id: sid, panel }) => {
    if (watching.has(sid)) markWatched(sid, panel);
    if (focusAfter === sid && watching.has(sid)) open(sid);
  });

  D.on('assigned', c => {
    const p = D.panel(c.session_id);
    if (watching.delete(c.session_id) && p) unmarkWatched(p);
    if (focusAfter === c.session_id) open(c.session_id);
    render();
  });

  D.on('unassigned', ({ session_id: sid, reason, by }) => {
    const p = D.panel(sid);
    const who = by && by.name ? by.name : 'a supervisor';
    const text = { taken_over: `Taken over by ${who}`, reassigned: `Reassigned by ${who}` }[reason];
    if (p && text) p.querySelector('.state').textContent = text;
  });

  D.on('event', ({ session_id: sid, event }) => {
    const p = D.panel(sid);
    if (p && watching.has(sid) && event && event.type === 'EVENT_TYPE_SESSION_END') {
      p.querySelector('.state').textContent = 'Watching · the conversation ended';
    }
  });

  /** Read-only: no composer, no leave/end/transfer; Take over and Stop watching instead. */
  function markWatched(sid, p) {
    if (p.classList.contains('watching')) return;
    p.classList.add('watching');
    const tab = document.getElementById(p.getAttribute('aria-labelledby'));
    if (tab) tab.classList.add('watching');
    p.querySelector('.state').textContent = 'Watching';
    p.querySelector('.composer').hidden = true;
    p.querySelector('.actions').hidden = true;
    const bar = el('div', 'watch-bar');
    bar.append(
      act('Take over', `Take over conversation ${sid}`, 'ptake:' + sid, null, () => takeOver(sid)),
      act('Stop watching', `Stop watching conversation ${sid}`, 'pstop:' + sid, null, () => {
        watching.delete(sid);
        D.send({ type: 'desk.unwatch', session_id: sid });
        const close = p.querySelector('[data-act=close]');
        close.hidden = false;
        close.disabled = false;
        close.click(); // the desk drops the tab
        render();
      }));
    p.querySelector('.panel-head').after(bar);
  }

  function unmarkWatched(p) {
    p.classList.remove('watching');
    const tab = document.getElementById(p.getAttribute('aria-labelledby'));
    if (tab) tab.classList.remove('watching');
    p.querySelector('.state').textContent = '';
    p.querySelector('.composer').hidden = false;
    p.querySelector('.actions').hidden = false;
    const bar = p.querySelector('.watch-bar');
    if (bar) bar.remove();
  }
})();
