// Internal notes on desk conversations: a "Notes" section in each conversation panel. Notes are for
// agents only — the server never sends them to the customer. Loaded when a panel opens (and again
// when the conversation is assigned anew); live `desk.note` messages append; the form posts through
// the REST API, whose answer and the push are merged by note id.
(() => {
  'use strict';
  const D = window.ParleyDesk;
  if (!D) return;
  const MAX = 4000;
  const boxes = new Map(); // session id -> { root, list, count, form, input, status, ids }

  function fmtTime(iso) {
    const d = new Date(iso);
    return isNaN(d) ? '' : d.toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
  }

  function build(sessionId, panel) {
    const root = D.el('section', 'notes');
    root.setAttribute('aria-label', 'Internal notes');
    const toggle = D.el('button', 'notes-toggle');
    toggle.type = 'button';
    toggle.setAttribute('aria-expanded', 'false');
    const count = D.el('span', 'notes-count', '');
    toggle.append('Notes ', count);
    const body = D.el('div', 'notes-body');
    body.hidden = true;
    body.id = 'notes-' + panel.id;
    toggle.setAttribute('aria-controls', body.id);
    const banner = D.el('p', 'notes-banner', 'Internal note — the customer never sees this');
    const list = D.el('ul', 'notes-list');
    list.setAttribute('aria-live', 'polite');
    const status = D.el('p', 'muted notes-status', '');
    const form = D.el('form', 'notes-form');
    const label = D.el('label', 'grow');
    label.append(D.el('span', 'sr', 'Internal note'));
    const input = D.el('textarea');
    input.rows = 2;
    input.maxLength = MAX;
    input.placeholder = 'Internal note for the team…';
    label.append(input);
    const add = D.el('button', null, 'Add note');
    add.type = 'submit';
    form.append(label, add);
    body.append(banner, list, status, form);
    root.append(toggle, body);
    toggle.onclick = () => {
      const open = body.hidden;
      body.hidden = !open;
      toggle.setAttribute('aria-expanded', String(open));
      if (open) input.focus();
    };
    const box = { root, list, count, form, input, status, ids: new Set(), sessionId };
    form.onsubmit = e => { e.preventDefault(); submit(box); };
    input.addEventListener('keydown', e => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); submit(box); }
    });
    const actions = panel.querySelector('.actions');
    if (actions) actions.after(root); else panel.append(root);
    return box;
  }

  function append(box, note) {
    if (!note || !note.id || box.ids.has(note.id)) return;
    box.ids.add(note.id);
    const li = D.el('li', 'note');
    const who = D.el('span', 'who', ((note.author && note.author.name) || 'Agent') + ' · ' + fmtTime(note.created_at));
    li.append(who, D.el('p', 'text', note.text));
    box.list.append(li);
    box.count.textContent = '(' + box.ids.size + ')';
  }

  async function load(box) {
    box.status.textContent = 'Loading notes…';
    try {
      const r = await D.api('GET', 'conversations/' + encodeURIComponent(box.sessionId) + '/notes');
      (r && Array.isArray(r.notes) ? r.notes : []).forEach(n => append(box, n));
      box.status.textContent = box.ids.size ? '' : 'No notes yet.';
    } catch (x) {
      box.status.textContent = 'Notes are not available for this conversation.';
    }
  }

  async function submit(box) {
    const text = box.input.value;
    if (!text.trim()) return;
    const button = box.form.querySelector('button');
    button.disabled = true;
    try {
      const r = await D.api('POST', 'conversations/' + encodeURIComponent(box.sessionId) + '/notes', { text });
      append(box, r && r.note);
      box.input.value = '';
      box.status.textContent = '';
    } catch (x) {
      D.showAlert('Could not add the note: ' + x.message);
    } finally { button.disabled = false; }
  }

  D.on('panel', ({ session_id: id, panel }) => {
    if (!id || !panel || (boxes.has(id) && boxes.get(id).root.isConnected)) return;
    const box = build(id, panel);
    boxes.set(id, box);
    load(box);
  });
  D.on('assigned', conv => {
    const box = conv && boxes.get(conv.session_id);
    if (box) { box.form.hidden = false; load(box); }
  });
  D.on('unassigned', ({ session_id: id }) => {
    const box = boxes.get(id);
    if (box) {
      box.form.hidden = true;
      box.status.textContent = 'No longer assigned to you: once it ended, its notes are in the history.';
    }
  });
  D.on('message', m => {
    if (!m || m.type !== 'desk.note') return;
    const box = boxes.get(m.session_id);
    if (box) { append(box, m.note); box.status.textContent = ''; }
  });
  D.on('logout', () => boxes.clear());
})();
