// Parley desk, CSAT: the user's rating of an ended conversation, shown in its read-only history view
// (the `csat` of GET /desk/api/history/{id}). Text only, never HTML: the comment is the user's words.
'use strict';
(() => {
  const desk = window.ParleyDesk;
  if (!desk) return;
  desk.on('history', ({ view }) => {
    const meta = document.getElementById('history-view-meta');
    if (!meta) return;
    let box = document.getElementById('history-csat');
    if (!box) {
      box = desk.el('p', 'csat');
      box.id = 'history-csat';
      meta.after(box);
    }
    const c = view && view.csat;
    box.hidden = !c;
    if (!c) { box.textContent = ''; return; }
    box.textContent = `Customer rating: ${c.rating} of 5` + (c.comment ? ` — “${c.comment}”` : ' (no comment)');
  });
})();
