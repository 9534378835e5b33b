// Parley desk: who the customer is (panel header) and transcript downloads (panel and History view).
// Hooks into desk.js through window.ParleyDesk; data reaches the page as text only, never as HTML.
'use strict';
(() => {
  const D = window.ParleyDesk;
  if (!D) return;
  const el = D.el;
  const panels = new Map(); // session_id -> panel
  const languages = new Map(); // session_id -> language seen in a LANGUAGE_CHANGED event
  const PLATFORMS = { web: 'Web', ios: 'iOS', android: 'Android' };
  const FORMATS = [['json', 'JSON'], ['text', 'Text'], ['html', 'Printable HTML']];

  const when = ts => {
    const d = ts ? new Date(ts) : null;
    return d && !isNaN(d) ? d : null;
  };
  function timeOf(ts) {
    const t = D.timeEl(ts, 'when');
    if (t) t.textContent = when(ts).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
    return t;
  }
  function waited(c) {
    if (typeof c.waited_seconds === 'number') return D.fmtWait(c.waited_seconds);
    const a = when(c.assigned_at), e = when(c.enqueued_at);
    return a && e ? D.fmtWait((a - e) / 1000) : null;
  }

  /** The customer line of a panel header: platform, language, wait, start, verified context, session id. */
  function renderCustomer(id) {
    const p = panels.get(id), c = D.conversation(id);
    if (!p || !p.isConnected || !c) return;
    const box = p.querySelector('.customer');
    const cu = c.customer || {};
    const dl = el('dl', 'facts');
    const add = (term, value) => {
      if (value == null || value === '') return;
      const wrap = el('div');
      wrap.append(el('dt', null, term));
      const dd = el('dd');
      dd.append(value instanceof Node ? value : document.createTextNode(String(value)));
      wrap.append(dd);
      dl.append(wrap);
    };
    add('Platform', cu.platform ? PLATFORMS[cu.platform] || cu.platform : null);
    add('Language', languages.get(id) || cu.language || 'not set');
    add('Waited', waited(c));
    add('Started', timeOf(c.created_at));
    const ctx = cu.verified_context;
    if (ctx && typeof ctx === 'object') {
      for (const [k, v] of Object.entries(ctx)) {
        // The name is the panel's title already.
        if (v != null && typeof v !== 'object' && String(v).trim() !== cu.name) add(k.replace(/_/g, ' '), String(v));
      }
    }
    const sid = el('code', 'sid', id);
    const copy = el('button', 'copy', 'Copy id');
    copy.type = 'button';
    copy.setAttribute('aria-label', 'Copy session id ' + id);
    copy.onclick = () => {
      const done = () => { copy.textContent = 'Copied'; setTimeout(() => { copy.textContent = 'Copy id'; }, 1500); };
      if (navigator.clipboard) navigator.clipboard.writeText(id).then(done, () => D.showAlert('Session id: ' + id));
      else D.showAlert('Session id: ' + id);
    };
    const idLine = el('span', 'idline');
    idLine.append(sid, ' ', copy);
    add('Session', idLine);
    if (ctx && typeof ctx === 'object') dl.classList.add('verified');
    box.replaceChildren(dl);
    box.setAttribute('aria-label', 'Customer details');
    box.setAttribute('role', 'group');
    box.hidden = false;
  }

  /** Downloads with the desk token: fetched here and saved through a Blob URL (a plain link carries no token). */
  async function download(path, fallbackName, btn) {
    if (btn) btn.disabled = true;
    try {
      const res = await D.fetchRaw(path);
      if (!res.ok) throw new Error(res.status === 404 ? 'not found' : 'HTTP ' + res.status);
      const m = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '');
      const url = URL.createObjectURL(await res.blob());
      const a = el('a');
      a.href = url;
      a.download = m ? m[1] : fallbackName;
      a.hidden = true;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
    } catch (x) {
      D.showAlert('Could not download the transcript: ' + x.message);
    } finally { if (btn) btn.disabled = false; }
  }

  /** A "Transcript: JSON · Text · Printable HTML" group for {@code base} (…/transcript). */
  function exportGroup(base, id) {
    const g = el('div', 'exports');
    g.setAttribute('role', 'group');
    g.setAttribute('aria-label', 'Download the transcript');
    g.append(el('span', 'muted', 'Transcript:'));
    for (const [fmt, name] of FORMATS) {
      const b = el('button', 'export', name);
      b.type = 'button';
      b.dataset.format = fmt;
      b.setAttribute('aria-label', `Download the transcript as ${name}`);
      b.onclick = () => download(`${base()}?format=${fmt}`, `conversation-${id()}.${fmt === 'text' ? 'txt' : fmt}`, b);
      g.append(b);
    }
    return g;
  }

  D.on('panel', ({ session_id, panel }) => {
    panels.set(session_id, panel);
    const base = () => `conversations/${encodeURIComponent(session_id)}/transcript`;
    panel.querySelector('.panel-head').append(exportGroup(base, () => session_id));
    renderCustomer(session_id);
  });
  D.on('assigned', c => renderCustomer(c.session_id));
  D.on('snapshot', s => { for (const c of s.mine || []) renderCustomer(c.session_id); });
  D.on('event', ({ session_id, event }) => {
    const all = event && event.type === 'EVENT_TYPE_EVENT_BATCH' ? (event.payload && event.payload.events) || [] : [event];
    for (const e of all) {
      if (e && e.type === 'EVENT_TYPE_LANGUAGE_CHANGED' && e.payload && e.payload.language_code) {
        languages.set(session_id, String(e.payload.language_code));
        renderCustomer(session_id);
      }
    }
  });
  D.on('logout', () => { panels.clear(); languages.clear(); });

  // History view: the open conversation's downloads, next to its meta line.
  let historyId = null;
  D.on('history', ({ session_id, conversation }) => {
    historyId = session_id;
    const meta = document.getElementById('history-view-meta');
    let g = document.getElementById('history-exports');
    if (!g) {
      g = exportGroup(() => `history/${encodeURIComponent(historyId)}/transcript`, () => historyId);
      g.id = 'history-exports';
      meta.after(g);
    }
    const cu = (conversation && conversation.customer) || {};
    const extra = [cu.platform && (PLATFORMS[cu.platform] || cu.platform), cu.language].filter(Boolean).join(' · ');
    if (extra && !meta.textContent.includes(extra)) meta.textContent += ' · ' + extra;
  });
})();
