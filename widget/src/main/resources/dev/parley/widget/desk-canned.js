// Parley desk: canned replies. Typing "/" at the start of the composer (or after a space) lists the replies
// usable in the conversation's queue, filtered by what follows; picking one puts its text, placeholders filled,
// into the composer for the agent to review: nothing is sent by this file. Supervisors also get a page to
// manage the replies. Hooks into desk.js only through window.ParleyDesk; data reaches the page as text only.
'use strict';
(() => {
  const D = window.ParleyDesk;
  if (!D) return;
  const el = D.el;
  const $ = id => document.getElementById(id);
  const MAX_OPTIONS = 8;
  const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;
  const TOKEN = /(^|\s)\/([^\s/]*)$/; // "/query" right before the caret, at the start or after white space

  let replies = [];       // what GET canned answered: loaded once per login and after every edit
  let loadN = 0;          // answers to an older load are dropped
  let popupN = 0;
  const convs = new Map(); // session_id -> { queue, context (verified values, or null), pending, askedAt }
  const ASK_AGAIN_MS = 10000;

  // ---------- the replies and what fills their placeholders
  function load() {
    const n = ++loadN;
    return D.api('GET', 'canned').then(r => {
      if (n === loadN) replies = (r && r.replies) || [];
    }).catch(() => {});
  }

  function remember(info) {
    if (!info || !info.session_id) return;
    const c = convs.get(info.session_id) || { queue: '', context: null, pending: null };
    if (info.queue) c.queue = info.queue;
    const vc = info.customer && info.customer.verified_context; // when the conversation JSON carries the customer
    if (vc && typeof vc === 'object') c.context = vc.values && typeof vc.values === 'object' ? vc.values : vc;
    convs.set(info.session_id, c);
    return c;
  }

  /**
   * The verified context as the transcript call gives it today: asked when the panel opens, and again when the
   * list opens while still unknown (the user may send one later). Insertion waits for a call under way.
   */
  function askContext(id) {
    const c = convs.get(id);
    if (!c || c.context || c.pending || Date.now() - (c.askedAt || 0) < ASK_AGAIN_MS) return;
    c.askedAt = Date.now();
    c.pending = D.api('GET', `conversations/${encodeURIComponent(id)}/transcript`).then(r => {
      const vc = r && r.verified_context;
      if (vc && vc.values && typeof vc.values === 'object') c.context = vc.values;
    }).catch(() => {}).finally(() => { c.pending = null; });
  }

  /** The reply's text with every placeholder filled; unknown ones stay as "[name]" and are listed in missing. */
  function fill(text, id) {
    const c = convs.get(id) || {};
    const agent = D.agent() || {};
    const missing = [];
    const filled = text.replace(PLACEHOLDER, (all, name) => {
      let v = null;
      if (name === 'agent.name') v = agent.name;
      else if (name === 'queue') v = c.queue;
      else if (name.startsWith('customer.') && c.context) v = c.context[name.slice('customer.'.length)];
      if (typeof v === 'number' || typeof v === 'boolean') v = String(v);
      if (typeof v === 'string' && v.trim()) return v;
      missing.push('[' + name + ']');
      return '[' + name + ']';
    });
    return { text: filled, missing };
  }

  function usable(queue) {
    return replies.filter(r => r.queue == null || !queue || r.queue === queue);
  }

  function matches(list, q) {
    q = q.toLowerCase();
    const score = r => (r.shortcut.startsWith(q) ? 0 : r.shortcut.includes(q) ? 1 : r.title.toLowerCase().includes(q) ? 2 : 9);
    return list.map(r => [score(r), r]).filter(([s]) => s < 9)
      .sort((a, b) => a[0] - b[0] || a[1].shortcut.localeCompare(b[1].shortcut)).map(([, r]) => r).slice(0, MAX_OPTIONS);
  }

  // ---------- the composer's popup: a listbox the textarea controls (aria-activedescendant)
  function attach(id, panel) {
    remember({ session_id: id });
    askContext(id);
    const input = panel.querySelector('textarea');
    const form = input && input.closest('form');
    if (!input || !form) return;
    const n = ++popupN;
    const list = el('ul', 'canned-pop');
    list.id = 'canned-list-' + n;
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', 'Canned replies');
    list.hidden = true;
    const note = el('p', 'canned-note');
    note.setAttribute('role', 'status');
    form.classList.add('canned-host');
    form.append(list);
    form.after(note);
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-haspopup', 'listbox');
    input.setAttribute('aria-controls', list.id);
    input.setAttribute('aria-expanded', 'false');
    const s = { id, input, list, note, shown: [], active: 0, start: -1, dismissed: null, quiet: false };

    input.addEventListener('input', () => { if (!s.quiet) update(s); });
    input.addEventListener('click', () => update(s));
    input.addEventListener('blur', () => close(s));
    // Capture phase on the panel: runs before desk.js's own keydown on the textarea (Enter sends there),
    // and stops the key only when the open list used it.
    panel.addEventListener('keydown', e => {
      if (e.target !== input || list.hidden || e.isComposing) return;
      let used = true;
      if (e.key === 'ArrowDown') move(s, 1);
      else if (e.key === 'ArrowUp') move(s, -1);
      else if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') insert(s, s.shown[s.active]);
      else if (e.key === 'Escape') { s.dismissed = tokenAt(s); close(s); }
      else used = false;
      if (used) { e.preventDefault(); e.stopPropagation(); }
    }, true);
    // mousedown, not click: the textarea keeps the focus (its blur would close the list first).
    list.addEventListener('mousedown', e => {
      const li = e.target.closest('[role=option]');
      if (!li) return;
      e.preventDefault();
      insert(s, s.shown[Number(li.dataset.i)]);
    });
  }

  function tokenAt(s) {
    const before = s.input.value.slice(0, s.input.selectionStart);
    if (s.input.selectionStart !== s.input.selectionEnd) return null;
    const m = TOKEN.exec(before);
    return m ? { start: before.length - m[2].length - 1, query: m[2] } : null;
  }

  function update(s) {
    const t = tokenAt(s);
    if (!t) { s.dismissed = null; return close(s); }
    if (s.dismissed && s.dismissed.start === t.start && s.dismissed.query === t.query) return close(s);
    s.dismissed = null;
    const c = convs.get(s.id) || {};
    const shown = matches(usable(c.queue), t.query);
    if (!shown.length) return close(s);
    askContext(s.id);
    s.start = t.start;
    s.shown = shown;
    s.active = 0;
    s.list.replaceChildren(...shown.map((r, i) => {
      const li = el('li', 'canned-opt');
      li.id = s.list.id + '-' + i;
      li.dataset.i = String(i);
      li.setAttribute('role', 'option');
      li.append(el('span', 'canned-key', '/' + r.shortcut), el('span', 'canned-title', r.title),
        el('span', 'canned-text', r.text.length > 90 ? r.text.slice(0, 89) + '…' : r.text));
      return li;
    }));
    s.list.hidden = false;
    s.input.setAttribute('aria-expanded', 'true');
    mark(s);
  }

  function move(s, by) {
    s.active = (s.active + by + s.shown.length) % s.shown.length;
    mark(s);
  }

  function mark(s) {
    [...s.list.children].forEach((li, i) => li.setAttribute('aria-selected', String(i === s.active)));
    const on = s.list.children[s.active];
    s.input.setAttribute('aria-activedescendant', on.id);
    on.scrollIntoView({ block: 'nearest' });
  }

  function close(s) {
    if (s.list.hidden) return;
    s.list.hidden = true;
    s.input.setAttribute('aria-expanded', 'false');
    s.input.removeAttribute('aria-activedescendant');
  }

  /** Replaces "/query" with the filled text; the caret goes after it, or the first unfilled "[name]" is selected. */
  async function insert(s, reply) {
    if (!reply) return close(s);
    const start = s.start, end = s.input.selectionStart;
    close(s);
    const c = convs.get(s.id);
    if (c && c.pending) await c.pending;
    const { text, missing } = fill(reply.text, s.id);
    const v = s.input.value;
    s.start = start;
    s.input.value = v.slice(0, s.start) + text + v.slice(end);
    const at = s.start + text.length;
    s.quiet = true; // desk.js hears the input (typing indicator); this file must not reopen the list
    s.input.dispatchEvent(new Event('input', { bubbles: true }));
    s.quiet = false;
    if (missing.length) {
      const first = s.input.value.indexOf(missing[0], s.start);
      s.input.setSelectionRange(first, first + missing[0].length);
      s.note.textContent = 'No value for ' + [...new Set(missing)].join(', ') + ': replace it before sending.';
    } else {
      s.input.setSelectionRange(at, at);
      s.note.textContent = '';
    }
    s.input.focus();
  }

  // ---------- supervisors: the management page
  let page = null, button = null, editing = null;

  function header() {
    if (button) return;
    button = el('button', null, 'Canned replies');
    button.type = 'button';
    button.id = 'canned-toggle';
    button.setAttribute('aria-pressed', 'false');
    button.setAttribute('aria-controls', 'canned');
    button.onclick = () => show(page.hidden);
    $('logout').before(button);
    page = el('section', 'history canned-page');
    page.id = 'canned';
    page.hidden = true;
    page.setAttribute('aria-labelledby', 'canned-title');
    const h = el('h2', null, 'Canned replies');
    h.id = 'canned-title';
    h.tabIndex = -1;
    const help = el('p', 'muted', 'Agents insert a reply by typing / and its shortcut in the composer. Placeholders:'
      + ' {{customer.name}} or any other {{customer.field}} of the verified context, {{agent.name}}, {{queue}}.');
    const add = el('button', null, 'Add a reply');
    add.type = 'button';
    add.id = 'canned-add';
    add.onclick = () => openForm(null);
    const status = el('p', 'muted');
    status.id = 'canned-status';
    status.setAttribute('role', 'status');
    const groups = el('div');
    groups.id = 'canned-groups';
    page.append(h, help, add, form(), status, groups);
    $('desk').append(page);
    $('history-toggle').addEventListener('click', () => { if (!page.hidden) show(false, true); });
  }

  function show(on, quietly) {
    if (on && $('history-toggle').getAttribute('aria-pressed') === 'true') $('history-toggle').click();
    page.hidden = !on;
    if (!quietly) $('desk-cols').hidden = on; // quietly: the history view is taking the place over
    button.setAttribute('aria-pressed', String(on));
    if (on) { render(); $('canned-title').focus(); load().then(render); } else if (!quietly) button.focus();
  }

  function field(label, control, id) {
    control.id = id;
    const l = el('label', null, label);
    l.htmlFor = id;
    return [l, control];
  }

  function form() {
    const f = el('form', 'canned-form');
    f.id = 'canned-form';
    f.hidden = true;
    f.setAttribute('aria-labelledby', 'canned-form-title');
    const t = el('h3', null, 'Add a reply');
    t.id = 'canned-form-title';
    const queue = el('select');
    const shortcut = el('input');
    shortcut.required = true;
    shortcut.maxLength = 32;
    shortcut.pattern = '[a-z0-9][a-z0-9_\\-]*';
    shortcut.title = 'Lower-case letters, digits, - and _';
    const title = el('input');
    title.required = true;
    title.maxLength = 200;
    const text = el('textarea');
    text.required = true;
    text.maxLength = 4000;
    text.rows = 4;
    const save = el('button', null, 'Save');
    save.type = 'submit';
    const cancel = el('button', null, 'Cancel');
    cancel.type = 'button';
    cancel.onclick = () => { f.hidden = true; $('canned-add').focus(); };
    const err = el('p', 'error');
    err.id = 'canned-error';
    err.setAttribute('role', 'alert');
    f.append(t, ...field('Queue', queue, 'canned-queue'), ...field('Shortcut', shortcut, 'canned-shortcut'),
      ...field('Title', title, 'canned-title-input'), ...field('Text', text, 'canned-text'), save, cancel, err);
    f.addEventListener('submit', async e => {
      e.preventDefault();
      err.textContent = '';
      const body = { queue: queue.value || null, shortcut: shortcut.value.trim(), title: title.value.trim(), text: text.value };
      save.disabled = true;
      try {
        if (editing) await D.api('PUT', 'canned/' + encodeURIComponent(editing.id), body);
        else await D.api('POST', 'canned', body);
        f.hidden = true;
        $('canned-status').textContent = (editing ? 'Saved /' : 'Added /') + body.shortcut + '.';
        await load();
        render();
        $('canned-add').focus();
      } catch (x) {
        err.textContent = 'Not saved: ' + x.message;
      } finally { save.disabled = false; }
    });
    return f;
  }

  function queues() {
    const names = new Set([...(D.agent().queues || []), ...D.snapshot().queues.map(q => q.name)]);
    replies.forEach(r => { if (r.queue) names.add(r.queue); });
    return [...names].sort();
  }

  function openForm(reply) {
    editing = reply;
    const sel = $('canned-queue');
    sel.replaceChildren(el('option', null, 'Every queue'), ...queues().map(q => el('option', null, q)));
    sel.firstChild.value = '';
    sel.value = reply ? reply.queue || '' : '';
    $('canned-shortcut').value = reply ? reply.shortcut : '';
    $('canned-title-input').value = reply ? reply.title : '';
    $('canned-text').value = reply ? reply.text : '';
    $('canned-form-title').textContent = reply ? 'Edit /' + reply.shortcut : 'Add a reply';
    $('canned-error').textContent = '';
    $('canned-form').hidden = false;
    $('canned-shortcut').focus();
  }

  function render() {
    if (!page || page.hidden) return;
    const groups = $('canned-groups');
    const byQueue = new Map([[null, []]]);
    for (const q of queues()) byQueue.set(q, []);
    replies.forEach(r => byQueue.get(r.queue == null ? null : r.queue).push(r));
    groups.replaceChildren(...[...byQueue].map(([q, list]) => {
      const sec = el('section', 'canned-group');
      const h = el('h3', null, q == null ? 'Every queue' : 'Queue ' + q);
      const ul = el('ul', 'canned-items');
      ul.setAttribute('aria-label', h.textContent);
      if (!list.length) ul.append(el('li', 'muted', 'No replies.'));
      for (const r of list) {
        const li = el('li', 'canned-item');
        const edit = el('button', null, 'Edit');
        edit.type = 'button';
        edit.setAttribute('aria-label', 'Edit /' + r.shortcut);
        edit.onclick = () => openForm(r);
        const del = el('button', null, 'Delete');
        del.type = 'button';
        del.setAttribute('aria-label', 'Delete /' + r.shortcut);
        del.onclick = async () => {
          try {
            await D.api('DELETE', 'canned/' + encodeURIComponent(r.id));
            $('canned-status').textContent = 'Deleted /' + r.shortcut + '.';
          } catch (x) { $('canned-status').textContent = 'Not deleted: ' + x.message; }
          await load();
          render();
          $('canned-add').focus();
        };
        li.append(el('span', 'canned-key', '/' + r.shortcut), el('span', 'canned-title', r.title),
          el('span', 'canned-text', r.text), edit, del);
        ul.append(li);
      }
      sec.append(h, ul);
      return sec;
    }));
  }

  // ---------- hooks
  D.on('login', ({ agent }) => {
    replies = [];
    load();
    if (agent && agent.role === 'SUPERVISOR') header();
  });
  D.on('logout', () => {
    loadN++;
    replies = [];
    convs.clear();
    if (button) { button.remove(); page.remove(); button = null; page = null; $('desk-cols').hidden = false; }
  });
  D.on('assigned', remember);
  D.on('snapshot', snap => (snap.mine || []).forEach(remember));
  D.on('panel', ({ session_id, panel }) => attach(session_id, panel));
})();
