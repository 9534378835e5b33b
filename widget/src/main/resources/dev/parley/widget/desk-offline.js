// Parley desk: messages left out of business hours. Lists the offline conversations of the agent's queues
// (GET /desk/api/offline) under the waiting lines, with what the user wrote, and marks them handled. The list
// is read again when the desk connects, after queue changes (at most every 5 s) and every 30 s. Text only.
'use strict';
(() => {
  const D = window.ParleyDesk;
  if (!D) return;
  const el = D.el;
  const REFRESH_MS = 30000, AFTER_SNAPSHOT_MS = 5000;
  const at = ts => D.timeEl(ts) || document.createTextNode('');

  let section = null, timer = null, lastRead = 0, reading = false, items = [];

  D.on('login', start);
  D.on('logout', stop);
  D.on('connect', () => read());
  D.on('snapshot', () => { if (Date.now() - lastRead > AFTER_SNAPSHOT_MS) read(); });

  function start() {
    if (section) return;
    section = el('section', 'offline');
    section.id = 'offline';
    section.setAttribute('aria-labelledby', 'offline-title');
    const h = el('h2', null, 'Messages (0)');
    h.id = 'offline-title';
    const hint = el('p', 'muted', 'Left out of hours, for the team to answer.');
    hint.id = 'offline-hint';
    const list = el('ul', 'offline-list');
    list.id = 'offline-list';
    section.append(h, hint, list);
    document.getElementById('waiting-title').closest('section').append(section);
    timer = setInterval(read, REFRESH_MS);
    read();
  }

  function stop() {
    if (timer) clearInterval(timer);
    if (section) section.remove();
    section = null; timer = null; items = [];
  }

  async function read() {
    if (!section || reading) return;
    reading = true;
    lastRead = Date.now();
    try {
      const r = await D.api('GET', 'offline');
      items = (r && r.offline) || [];
      render();
    } catch (e) { /* the next refresh tries again */ } finally { reading = false; }
  }

  function render() {
    if (!section) return;
    document.getElementById('offline-title').textContent = `Messages (${items.length})`;
    const list = document.getElementById('offline-list');
    list.replaceChildren(...items.map(item));
    document.getElementById('offline-hint').textContent = items.length
      ? 'Left out of hours, for the team to answer.' : 'No messages left out of hours.';
  }

  function item(o) {
    const name = o.label || D.shortId(o.session_id);
    const li = el('li', 'offline-item');
    const head = el('div', 'offline-head');
    head.append(el('strong', null, name), el('span', 'muted', ` · ${o.queue} · `), at(o.created_at));
    const said = (o.messages || []).filter(m => m.left);
    const texts = el('ul', 'offline-texts');
    for (const m of said.length ? said : (o.messages || []).filter(m => m.from === 'user').slice(-1)) {
      const t = el('li');
      t.append(at(m.timestamp), document.createTextNode(' '), el('span', 'offline-text', m.text));
      texts.append(t);
    }
    if (!texts.children.length) texts.append(el('li', 'muted', 'Nothing written yet.'));
    const done = el('button', null, 'Mark handled');
    done.type = 'button';
    done.setAttribute('aria-label', `Mark the message of ${name} handled`);
    done.onclick = async () => {
      done.disabled = true;
      try {
        await D.api('POST', 'offline/' + encodeURIComponent(o.session_id) + '/handled');
        items = items.filter(x => x.session_id !== o.session_id);
        render();
      } catch (e) {
        done.disabled = false;
        D.showAlert('Could not mark it handled: ' + e.message);
      }
    };
    li.append(head, texts, done);
    return li;
  }
})();
