/* Parley web chat widget. One script tag, no build step; the protocol is parley-client.js, imported from the same server. MIT licence. */
(() => {
  'use strict';
  const script = document.currentScript;
  if (!script || window.Parley) return;

  // ---- configuration (data-* attributes of the script tag) ----
  const ds = script.dataset;
  const SERVER = (ds.server || new URL(script.src, location.href).origin).replace(/\/+$/, '');
  const TOKEN = ds.connectorToken || '';
  const HOST = ds.host || location.hostname;
  const STREAMING = ds.streaming !== 'false';
  const PLATFORM = ds.platform || 'web';
  const title = () => ds.title || tr('Chat with us');
  const KEY = 'parley:' + SERVER + ':' + TOKEN;
  const P = 'plw-';
  // Presentation (the options of PolyAI's web chat). A present attribute without a value, or any value
  // but "false", switches an option on.
  const flag = (v, dflt) => (v == null ? dflt : v !== 'false');
  // "floating": a launcher button and a panel over the page (default). "inline": the panel alone,
  // always shown, filling the element named by data-target (a CSS selector), or else placed right
  // after the script tag.
  const INLINE_MODE = ds.renderMode === 'inline';
  if (ds.renderMode && !INLINE_MODE && ds.renderMode !== 'floating') {
    console.warn('Parley: data-render-mode "' + ds.renderMode + '" is not floating or inline; floating is used');
  }
  const AUTO_OPEN = flag(ds.autoOpen, false);
  const SHOW_ICON = flag(ds.showIcon, true) && !INLINE_MODE; // the launcher button
  const SHOW_HEADER = flag(ds.showHeader, true);
  const THEME = theme(ds.primaryColor);

  // ---- the widget's own texts: English keys, translated for fr and de (EVENT_TYPE_LANGUAGE_CHANGED) ----
  const TEXTS = {
    fr: {
      'Chat with us': 'Discutez avec nous', 'Open chat: {title}': 'Ouvrir le chat : {title}',
      'Close chat: {title}': 'Fermer le chat : {title}', 'End chat': 'Terminer', 'New chat': 'Nouveau chat',
      'Close chat': 'Fermer le chat', 'Conversation': 'Conversation', 'Type your message': 'Saisissez votre message',
      'Type a message…': 'Écrivez un message…', 'Send': 'Envoyer', 'Connecting…': 'Connexion…',
      'Sorry, the chat is not available right now.': "Désolé, le chat n'est pas disponible pour le moment.",
      'Try again': 'Réessayer', "We couldn't reconnect to the chat.": "Impossible de se reconnecter au chat.",
      'Connection lost. Reconnecting…': 'Connexion perdue. Reconnexion…', 'Sending…': 'Envoi…', 'Sent': 'Envoyé',
      'Not delivered': 'Non remis', 'Retry': 'Réessayer', 'Retry sending: {text}': "Renvoyer : {text}",
      '{name} is typing…': '{name} écrit…', 'Open image': "Ouvrir l'image", 'Open link': 'Ouvrir le lien',
      'Suggested replies': 'Réponses suggérées', 'This chat has ended': 'Ce chat est terminé',
      'You ended the chat.': 'Vous avez terminé le chat.',
      'This chat ended after a period of inactivity.': "Ce chat s'est terminé après une période d'inactivité.",
      'The chat has ended. Thank you!': 'Le chat est terminé. Merci !', 'The chat has ended.': 'Le chat est terminé.',
      'How did {name} do?': 'Comment {name} s\u2019en est-il sorti ?', '{n} of 5': '{n} sur 5', 'Poor': 'Mauvais',
      'Excellent': 'Excellent', 'Comment (optional)': 'Commentaire (facultatif)',
      'Add a comment (optional)': 'Ajoutez un commentaire (facultatif)', 'No thanks': 'Non merci',
      'Thank you for your feedback!': 'Merci pour votre avis !',
      'No problem. Thanks for chatting with us.': 'Pas de souci. Merci d\u2019avoir discuté avec nous.',
      'Sorry, your rating could not be sent. Please try again.': 'Désolé, votre note n\u2019a pas pu être envoyée. Veuillez réessayer.',
      'Your question needs a specialist.': "Votre question nécessite un spécialiste.",
      'The assistant thinks a person should help you.': "L'assistant pense qu'une personne devrait vous aider.",
      'This request has to be handled by our team.': 'Cette demande doit être traitée par notre équipe.',
      'The assistant': "L'assistant", 'The agent': "L'agent", 'An agent': 'Un agent',
      'Connecting you to a person…': 'Nous vous mettons en relation avec une personne…',
      '{name} has left the chat.': '{name} a quitté le chat.', '{name} has joined the chat.': '{name} a rejoint le chat.',
      'You are waiting for a person to take the chat.': "Vous attendez qu'une personne prenne le chat.",
      'You are next in the queue': 'Vous êtes le prochain dans la file', 'You are being connected to a human agent.': 'Nous vous mettons en relation avec un agent.',
      'Estimated wait: under a minute.': "Attente estimée : moins d'une minute.", 'Estimated wait: about {min} min.': 'Attente estimée : environ {min} min.',
      'How would you like to continue?': 'Comment souhaitez-vous continuer ?', 'Continue with {name}': 'Continuer avec {name}',
      'Continue with the assistant': "Continuer avec l'assistant", 'Start a new chat': 'Commencer un nouveau chat',
      'Choose how to continue': 'Choisissez comment continuer',
      'End this chat?': 'Terminer ce chat ?', 'Keep chatting': 'Continuer',
      'AI': 'IA', 'Automated assistant': 'Assistant automatique', 'Call us': 'Appelez-nous', 'Call {number}': 'Appeler le {number}',
      'Waiting for an agent': "En attente d'un agent", 'You are number {n} in the queue': "Vous êtes numéro {n} dans la file",
      'You are in the queue': "Vous êtes dans la file d'attente", ' for {queue}': ' pour {queue}',
      'Live agent': 'Agent',
      'Online': 'En ligne', 'Away': 'Absent', '1 unread message': '1 message non lu', '{n} unread messages': '{n} messages non lus',
      'A person needs to help you with this.': 'Une personne doit vous aider pour cela.',
      ' Please contact us through another channel': ' Merci de nous contacter par un autre canal',
      "Sorry, we couldn't connect you to an agent.": "Désolé, aucun agent n'a pu être joint.",
      'No agent became available in time.': "Aucun agent ne s'est libéré à temps.",
      'Are you still there? This chat will close soon due to inactivity.': 'Êtes-vous toujours là ? Ce chat va bientôt se fermer pour inactivité.'
    },
    de: {
      'Chat with us': 'Chatten Sie mit uns', 'Open chat: {title}': 'Chat öffnen: {title}',
      'Close chat: {title}': 'Chat schließen: {title}', 'End chat': 'Chat beenden', 'New chat': 'Neuer Chat',
      'Close chat': 'Chat schließen', 'Conversation': 'Unterhaltung', 'Type your message': 'Ihre Nachricht',
      'Type a message…': 'Nachricht schreiben…', 'Send': 'Senden', 'Connecting…': 'Verbinden…',
      'Sorry, the chat is not available right now.': 'Der Chat ist gerade leider nicht verfügbar.',
      'Try again': 'Erneut versuchen', "We couldn't reconnect to the chat.": 'Die Verbindung zum Chat konnte nicht wiederhergestellt werden.',
      'Connection lost. Reconnecting…': 'Verbindung verloren. Neu verbinden…', 'Sending…': 'Wird gesendet…', 'Sent': 'Gesendet',
      'Not delivered': 'Nicht zugestellt', 'Retry': 'Erneut senden', 'Retry sending: {text}': 'Erneut senden: {text}',
      '{name} is typing…': '{name} schreibt…', 'Open image': 'Bild öffnen', 'Open link': 'Link öffnen',
      'Suggested replies': 'Antwortvorschläge', 'This chat has ended': 'Dieser Chat ist beendet',
      'You ended the chat.': 'Sie haben den Chat beendet.',
      'This chat ended after a period of inactivity.': 'Dieser Chat wurde wegen Inaktivität beendet.',
      'The chat has ended. Thank you!': 'Der Chat ist beendet. Vielen Dank!', 'The chat has ended.': 'Der Chat ist beendet.',
      'How did {name} do?': 'Wie hat {name} Ihnen geholfen?', '{n} of 5': '{n} von 5', 'Poor': 'Schlecht',
      'Excellent': 'Ausgezeichnet', 'Comment (optional)': 'Kommentar (optional)',
      'Add a comment (optional)': 'Kommentar hinzufügen (optional)', 'No thanks': 'Nein danke',
      'Thank you for your feedback!': 'Vielen Dank für Ihr Feedback!',
      'No problem. Thanks for chatting with us.': 'Kein Problem. Danke für das Gespräch.',
      'Sorry, your rating could not be sent. Please try again.': 'Ihre Bewertung konnte leider nicht gesendet werden. Bitte versuchen Sie es erneut.',
      'Your question needs a specialist.': 'Ihre Frage braucht eine Fachkraft.',
      'The assistant thinks a person should help you.': 'Der Assistent meint, dass Ihnen ein Mensch helfen sollte.',
      'This request has to be handled by our team.': 'Diese Anfrage muss unser Team bearbeiten.',
      'The assistant': 'Der Assistent', 'The agent': 'Der Mitarbeiter', 'An agent': 'Ein Mitarbeiter',
      'Connecting you to a person…': 'Wir verbinden Sie mit einem Menschen…',
      '{name} has left the chat.': '{name} hat den Chat verlassen.', '{name} has joined the chat.': '{name} ist dem Chat beigetreten.',
      'You are waiting for a person to take the chat.': 'Sie warten darauf, dass ein Mensch den Chat übernimmt.',
      'You are next in the queue': 'Sie sind als Nächste(r) an der Reihe', 'You are being connected to a human agent.': 'Sie werden mit einem Mitarbeiter verbunden.',
      'Estimated wait: under a minute.': 'Geschätzte Wartezeit: unter einer Minute.', 'Estimated wait: about {min} min.': 'Geschätzte Wartezeit: etwa {min} Min.',
      'How would you like to continue?': 'Wie möchten Sie fortfahren?', 'Continue with {name}': 'Weiter mit {name}',
      'Continue with the assistant': 'Weiter mit dem Assistenten', 'Start a new chat': 'Neuen Chat beginnen',
      'Choose how to continue': 'Wählen Sie, wie es weitergeht',
      'End this chat?': 'Diesen Chat beenden?', 'Keep chatting': 'Weiter chatten',
      'AI': 'KI', 'Automated assistant': 'Automatischer Assistent', 'Call us': 'Rufen Sie uns an', 'Call {number}': '{number} anrufen',
      'Waiting for an agent': 'Warten auf einen Mitarbeiter', 'You are number {n} in the queue': 'Sie sind Nummer {n} in der Warteschlange',
      'You are in the queue': 'Sie sind in der Warteschlange', ' for {queue}': ' für {queue}',
      'Live agent': 'Mitarbeiter',
      'Online': 'Online', 'Away': 'Abwesend', '1 unread message': '1 ungelesene Nachricht', '{n} unread messages': '{n} ungelesene Nachrichten',
      'A person needs to help you with this.': 'Dabei muss Ihnen ein Mensch helfen.',
      ' Please contact us through another channel': ' Bitte kontaktieren Sie uns über einen anderen Kanal',
      "Sorry, we couldn't connect you to an agent.": 'Leider konnten wir Sie mit niemandem verbinden.',
      'No agent became available in time.': 'Es wurde rechtzeitig niemand frei.',
      'Are you still there? This chat will close soon due to inactivity.': 'Sind Sie noch da? Dieser Chat wird wegen Inaktivität bald geschlossen.'
    }
  };
  const START_LANG = ds.language || 'en';
  let lang = START_LANG;
  // The text for the current language (exact tag, then its language alone), English when none; {x} filled from vars.
  const tr = (en, vars) => {
    const table = TEXTS[lang] || TEXTS[String(lang).split('-')[0].toLowerCase()] || {};
    const text = table[en] || en;
    return vars ? text.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m)) : text;
  };

  // data-primary-color: any CSS colour (checked by the browser's own parser); the text drawn on it is
  // white or near-black, whichever contrasts more, and the accent used for text on white is the
  // primary colour only when it is dark enough to read (WCAG AA, 4.5:1).
  function theme(value) {
    if (value == null || value === '') return null;
    const v = String(value).trim();
    const ok = window.CSS && window.CSS.supports && window.CSS.supports('color', v) && !/var\(|env\(|attr\(/i.test(v);
    const rgb = ok ? toRgb(v) : null;
    if (!rgb) {
      console.warn('Parley: data-primary-color "' + v + '" is not a CSS colour; the default colour is used');
      return null;
    }
    const l = luminance(rgb);
    const onWhite = 1.05 / (l + 0.05);
    const onDark = (l + 0.05) / (luminance([17, 17, 17]) + 0.05);
    return { primary: v, onPrimary: onWhite >= onDark ? '#fff' : '#111', accent: onWhite >= 4.5 ? v : '#1b1f24' };
  }
  function toRgb(v) {
    try {
      const c = document.createElement('canvas').getContext('2d');
      c.fillStyle = '#010203';
      c.fillStyle = v;
      const f = c.fillStyle; // #rrggbb, or rgba(r, g, b, a) when it has transparency
      const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(f) || /^rgba?\((\d+), (\d+), (\d+)/.exec(f);
      if (!m) return null;
      return f[0] === '#' ? [1, 2, 3].map((i) => parseInt(m[i], 16)) : [1, 2, 3].map((i) => +m[i]);
    } catch (e) { return null; }
  }
  function luminance(rgb) {
    const [r, g, b] = rgb.map((x) => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }

  // ---- small helpers ----
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls.split(' ').map((c) => P + c).join(' ');
    if (text != null) e.textContent = String(text);
    return e;
  };
  const attr = (e, a) => { for (const k in a) e.setAttribute(k, a[k]); return e; };
  // Images and cards: an absolute http(s) URL, or a path on the chat server itself ("/widget/assets/…",
  // as the demo flow's are), resolved against the server, never against the embedding page.
  const safeUrl = (u) => {
    if (typeof u !== 'string' || !u) return null;
    try {
      const url = /^\/(?![\/\\])/.test(u) ? new URL(u, SERVER + '/') : new URL(u);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch (e) { return null; }
  };
  // Links in agent text: only schemes that navigate or dial, never javascript:, data: or relative URLs.
  const LINK_SCHEMES = ['http:', 'https:', 'mailto:', 'tel:'];
  const safeLink = (u) => {
    try {
      const url = new URL(u);
      return LINK_SCHEMES.includes(url.protocol) ? url.href : null;
    } catch (e) { return null; }
  };
  const link = (href, label) => {
    const a = attr(el('a', 'link', label), { href });
    if (/^https?:/.test(href)) attr(a, { target: '_blank', rel: 'noopener noreferrer nofollow' });
    return a;
  };
  // A small Markdown subset for agent text — **bold**, *italics* / _italics_, [label](url), bare
  // http(s) links, "- " and "1. " lists — built with DOM nodes and textContent only, so agent text can
  // never become markup. A link with an unsafe scheme stays its label, as plain text.
  const INLINE = /\[([^\]\n]+)\]\(((?:[^()\s]|\([^()\s]*\))+)\)|\*\*(?=\S)([^*\n]+?)\*\*|(?<![\w*])\*(?=\S)([^*\n]+?)\*(?![\w*])|(?<!\w)_(?=\S)([^_\n]+?)_(?!\w)|(https?:\/\/[^\s<>]*[^\s<>.,;:!?'")\]])/g;
  function inline(text, into) {
    let last = 0;
    INLINE.lastIndex = 0;
    for (let m; (m = INLINE.exec(text));) {
      if (m.index > last) into.appendChild(document.createTextNode(text.slice(last, m.index)));
      last = INLINE.lastIndex;
      if (m[1] != null) {
        const href = safeLink(m[2]);
        into.appendChild(href ? link(href, m[1]) : document.createTextNode(m[1]));
      } else if (m[3] != null) {
        inline(m[3], into.appendChild(document.createElement('strong')));
      } else if (m[4] != null || m[5] != null) {
        inline(m[4] != null ? m[4] : m[5], into.appendChild(document.createElement('em')));
      } else {
        const href = safeLink(m[6]);
        into.appendChild(href ? link(href, m[6]) : document.createTextNode(m[6]));
      }
      INLINE.lastIndex = last; // the recursive calls share the expression
    }
    if (last < text.length) into.appendChild(document.createTextNode(text.slice(last)));
    return into;
  }
  const ITEM = /^\s*(?:([-*•])|(\d{1,3})[.)])\s+(.*)$/;
  function rich(text) {
    const box = el('span', 'txt');
    let list = null;
    let para = [];
    const flush = () => { if (para.length) { inline(para.join('\n'), box.appendChild(el('span', 'p'))); para = []; } };
    String(text).split('\n').forEach((line) => {
      const m = ITEM.exec(line);
      if (m) {
        flush();
        const tag = m[1] ? 'ul' : 'ol';
        if (!list || list.tagName.toLowerCase() !== tag) list = box.appendChild(document.createElement(tag));
        inline(m[3], list.appendChild(document.createElement('li')));
      } else {
        list = null;
        para.push(line);
      }
    });
    flush();
    return box;
  }
  const uid = () => (crypto.randomUUID ? crypto.randomUUID()
    : Date.now().toString(36) + Math.random().toString(36).slice(2));
  const store = {
    get() { try { return JSON.parse(sessionStorage.getItem(KEY)) || {}; } catch (e) { return {}; } },
    set(v) { try { sessionStorage.setItem(KEY, JSON.stringify(Object.assign(store.get(), v))); } catch (e) { /* private mode */ } },
    clear() { try { sessionStorage.removeItem(KEY); } catch (e) { /* ignore */ } }
  };

  // ---- styles, injected once and scoped under .plw-root ----
  const CSS = `.plw-root,.plw-root *{box-sizing:border-box;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;letter-spacing:normal}
.plw-root{position:fixed;right:20px;bottom:20px;z-index:2147483000;color:var(--plw-text)}
.plw-root{--plw-primary:var(--parley-primary,#2454d6);--plw-on-primary:var(--parley-on-primary,#fff);--plw-accent:var(--parley-accent,var(--plw-primary));--plw-bg:var(--parley-background,#fff);--plw-surface:var(--parley-surface,#f5f6f8);--plw-text:var(--parley-text,#1b1f24);--plw-radius:var(--parley-radius,14px)}
.plw-root [hidden]{display:none!important}
.plw-root button{cursor:pointer;border:0;margin:0}
.plw-root :focus-visible{outline:3px solid #f0a500;outline-offset:2px}
.plw-launch{position:relative;width:56px;height:56px;border-radius:50%;background:var(--plw-primary);color:var(--plw-on-primary);box-shadow:0 4px 14px rgba(0,0,0,.25);display:grid;place-items:center}
.plw-root img[hidden]{display:none}
.plw-panel{position:absolute;right:0;bottom:70px;width:min(370px,calc(100vw - 40px));height:min(560px,calc(100vh - 110px));background:var(--plw-bg);border-radius:var(--plw-radius);box-shadow:0 8px 30px rgba(0,0,0,.25);display:flex;flex-direction:column;overflow:hidden}
.plw-panel[hidden]{display:none}
.plw-head{display:flex;align-items:center;gap:10px;padding:10px 12px;background:var(--plw-primary);color:var(--plw-on-primary)}
.plw-head img{width:34px;height:34px;border-radius:50%;object-fit:cover;background:#fff}
.plw-who{flex:1;min-width:0}.plw-name{font-weight:600}.plw-sub{font-size:12px;opacity:.85}
.plw-hbtn{background:transparent;color:var(--plw-on-primary);border-radius:6px;padding:4px 8px;font-size:13px}
.plw-hbtn:hover{background:rgba(255,255,255,.15)}
.plw-status{padding:6px 12px;background:#fff6d6;font-size:13px}.plw-status:empty{display:none}
.plw-log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px;background:var(--plw-surface)}
.plw-msg{max-width:85%;padding:8px 11px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere}
.plw-agent{align-self:flex-start;background:var(--plw-bg);border:1px solid #e1e4e8}
.plw-user{align-self:flex-end;background:var(--plw-primary);color:var(--plw-on-primary)}
.plw-st{display:block;font-size:11px;opacity:.9;text-align:right;margin-top:2px}.plw-user .plw-time{opacity:1}
.plw-user[data-status=failed]{background:#a33}
.plw-retry{background:#fff;color:#a33;border-radius:6px;padding:1px 8px;margin-left:6px;font-size:12px}
.plw-choices{display:flex;flex-wrap:wrap;gap:6px;justify-content:center;margin-top:6px}
.plw-choose{background:var(--plw-primary);color:var(--plw-on-primary);border-radius:14px;padding:5px 12px}
.plw-by{display:flex;align-items:center;gap:6px;margin-bottom:3px;font-size:12px;font-weight:600;color:#333}
.plw-av{position:relative;flex:none;width:22px;height:22px;border-radius:50%;background:#d8def0;color:#1b1f24;display:grid;place-items:center;font-size:11px;overflow:hidden}
.plw-av img{position:absolute;inset:0;width:100%;height:100%;object-fit:cover}
.plw-tag{font-size:10px;font-weight:700;color:var(--plw-accent);border:1px solid var(--plw-accent);border-radius:4px;padding:0 3px}
.plw-human{background:#eefaf1;border-color:#b9dfc3}.plw-human .plw-av{background:#c9ecd3;color:#1d6b33}
.plw-cont{margin-top:-5px}.plw-cont>.plw-by{display:none}
.plw-time{font-size:11px;opacity:.75}.plw-agent>.plw-time{display:block;margin-top:2px}
.plw-txt ul,.plw-txt ol{margin:2px 0;padding-left:20px;white-space:normal}.plw-p{display:block}
.plw-link{color:#1a44b8;text-decoration:underline}.plw-user .plw-link{color:var(--plw-on-primary)}
.plw-calls{display:flex;flex-wrap:wrap;gap:6px;margin-top:8px}
.plw-call{display:inline-block;background:#1d6b33;color:#fff;border-radius:14px;padding:4px 12px;text-decoration:none;white-space:nowrap}
.plw-txt strong{font-weight:700}.plw-txt em{font-style:italic}
.plw-ds,.plw-when,.plw-when time{font-size:11px}.plw-who-name{font-size:12px;font-weight:600}.plw-choice>span{font-size:12px}
.plw-note{align-self:center;font-size:12px;color:#555;text-align:center;max-width:90%}
.plw-err{color:#a00;background:#fdecec;border-radius:8px;padding:4px 10px}
.plw-att{display:block;margin-top:8px;border:1px solid #e1e4e8;border-radius:10px;overflow:hidden;color:inherit;text-decoration:none;background:#fff}
.plw-att img{display:block;width:100%;max-height:160px;object-fit:cover}
.plw-att span{display:block;padding:6px 10px}.plw-cta{color:var(--plw-accent);font-weight:600}
.plw-sugg{display:flex;flex-wrap:wrap;gap:6px;margin-top:8px}
.plw-sugg button{background:var(--plw-bg);color:var(--plw-accent);border:1px solid var(--plw-accent);border-radius:14px;padding:4px 10px}
.plw-typing{padding:0 12px 6px;font-size:12px;color:#4b5058;background:var(--plw-surface);min-height:18px}
.plw-form{display:flex;gap:6px;padding:8px;border-top:1px solid #e1e4e8}
.plw-form{align-items:flex-end}
.plw-form textarea{flex:1;min-width:0;border:1px solid #c9ced6;border-radius:8px;padding:8px;resize:none;max-height:120px;overflow-y:auto}
.plw-send{align-self:stretch;max-height:44px}
.plw-confirm{display:flex;align-items:center;gap:8px;flex-wrap:wrap;padding:8px 12px;background:#fdecec;font-size:13px}
.plw-confirm[hidden]{display:none}.plw-confirm>span{flex:1;font-size:13px}
.plw-confirm button{border-radius:6px;padding:4px 10px;background:#fff;color:#1b1f24;border:1px solid #c9ced6}
.plw-confirm .plw-danger{background:#a33;color:#fff;border-color:#a33}
@media (max-width:480px){
.plw-root.plw-open .plw-launch{display:none}
.plw-panel{position:fixed;inset:0;width:100vw;height:100vh;height:100dvh;border-radius:0;padding:env(safe-area-inset-top) env(safe-area-inset-right) env(safe-area-inset-bottom) env(safe-area-inset-left)}
.plw-root .plw-form textarea{font-size:16px}
}
.plw-send{background:var(--plw-primary);color:var(--plw-on-primary);border-radius:8px;padding:0 14px}
.plw-root button:disabled,.plw-form textarea:disabled{opacity:.5;cursor:not-allowed}
.plw-badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#c21f1f;color:#fff;font-size:12px;font-weight:700;line-height:22px;text-align:center;box-shadow:0 0 0 2px #fff}
.plw-line{display:flex;align-items:center;gap:6px;min-width:0}.plw-line .plw-sub{min-width:0}
.plw-presence{display:inline-flex;align-items:center;gap:4px;font-size:12px;white-space:nowrap}
.plw-presence::before{content:"";width:8px;height:8px;border-radius:50%;background:#9aa1ab;box-shadow:0 0 0 2px rgba(255,255,255,.8)}
.plw-presence[data-state=online]::before{background:#2ecc71}.plw-presence[data-state=away]::before{background:#f5b301}
.plw-presence:empty{display:none}.plw-line .plw-sub:not(:empty)::before{content:"· "}
.plw-presence:empty+.plw-sub::before{content:none}
.plw-dots{display:inline-flex;gap:3px;margin-right:6px;vertical-align:middle}
.plw-dots span{width:6px;height:6px;border-radius:50%;background:#4b5058;animation:plw-bounce 1.2s infinite ease-in-out}
.plw-dots span:nth-child(2){animation-delay:.15s}.plw-dots span:nth-child(3){animation-delay:.3s}
@keyframes plw-bounce{0%,60%,100%{opacity:.35;transform:translateY(0)}30%{opacity:1;transform:translateY(-3px)}}
@media (prefers-reduced-motion:reduce){.plw-dots span{animation:none;opacity:.7}}
.plw-root.plw-inline{position:relative;right:auto;bottom:auto;z-index:auto;width:100%;height:100%}
.plw-root.plw-inline .plw-panel{position:relative;inset:auto;width:100%;height:100%;min-height:360px;border-radius:var(--plw-radius);box-shadow:none;border:1px solid #d5d9df;padding:0}
.plw-csat{align-self:stretch;background:var(--plw-bg);border:1px solid #d5d9df;border-radius:12px;padding:10px 12px;display:flex;flex-direction:column;gap:8px}
.plw-csat-q{font-weight:600;margin:0}.plw-csat-scale{display:flex;gap:6px}
.plw-csat-scale button{flex:1;min-height:36px;border-radius:8px;background:var(--plw-surface);color:var(--plw-text);border:1px solid #c9ced6;font-weight:600}
.plw-csat-scale button[aria-checked=true]{background:var(--plw-primary);color:var(--plw-on-primary);border-color:var(--plw-primary)}
.plw-csat-ends{display:flex;justify-content:space-between;font-size:11px;color:#4b5058}
.plw-csat textarea{border:1px solid #c9ced6;border-radius:8px;padding:6px 8px;resize:vertical;min-height:54px}
.plw-csat-acts{display:flex;gap:8px;justify-content:flex-end}
.plw-csat-acts button{border-radius:8px;padding:6px 12px;background:#fff;color:#1b1f24;border:1px solid #c9ced6}
.plw-csat-acts .plw-csat-send{background:var(--plw-primary);color:var(--plw-on-primary);border-color:var(--plw-primary)}
.plw-csat-err{color:#a00;font-size:12px}.plw-csat-err:empty{display:none}
.plw-sr{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}`;
  if (!document.getElementById('plw-style')) {
    const st = attr(document.createElement('style'), { id: 'plw-style' });
    st.textContent = CSS;
    document.head.appendChild(st);
  }

  // ---- DOM ----
  const n = uid().slice(0, 8);
  const root = el('div', INLINE_MODE ? 'root inline' : 'root');
  if (THEME) {
    root.style.setProperty('--parley-primary', THEME.primary);
    root.style.setProperty('--parley-on-primary', THEME.onPrimary);
    root.style.setProperty('--parley-accent', THEME.accent);
  }
  const launcher = attr(el('button', 'launch'), {
    type: 'button', 'aria-label': tr('Open chat: {title}', { title: title() }), 'aria-expanded': 'false', 'aria-controls': P + 'panel-' + n
  });
  const SVG = 'http://www.w3.org/2000/svg';
  const icon = attr(document.createElementNS(SVG, 'svg'), { viewBox: '0 0 24 24', width: '28', height: '28', 'aria-hidden': 'true', focusable: 'false' });
  icon.appendChild(attr(document.createElementNS(SVG, 'path'), {
    fill: 'currentColor', d: 'M6 3h12a3 3 0 0 1 3 3v8a3 3 0 0 1-3 3h-7l-5 4v-4H6a3 3 0 0 1-3-3V6a3 3 0 0 1 3-3z'
  }));
  launcher.appendChild(icon);
  // Agent messages that arrived while the panel was closed; the number is in the launcher's label too.
  const badge = attr(el('span', 'badge'), { 'aria-hidden': 'true' });
  badge.hidden = true;
  launcher.appendChild(badge);
  launcher.hidden = !SHOW_ICON;
  // Images that cannot be loaded are hidden rather than shown broken.
  const hideOnError = (img) => { img.addEventListener('error', () => { img.hidden = true; }); return img; };
  // Inline, the chat is a part of the page (a region), not a dialog over it.
  const panel = attr(el('div', 'panel'), { id: P + 'panel-' + n, role: INLINE_MODE ? 'region' : 'dialog', 'aria-label': title() });
  panel.hidden = true;
  const head = el('div', 'head');
  head.hidden = !SHOW_HEADER;
  const avatar = hideOnError(attr(el('img'), { alt: '' }));
  avatar.hidden = true;
  const who = el('div', 'who');
  const nameEl = el('div', 'name', title());
  const subEl = el('span', 'sub', '');
  // Who can answer now: online (the AI agent, or a person who joined), away (nobody yet, or they left).
  const presence = el('span', 'presence');
  const line = el('div', 'line');
  line.append(presence, subEl);
  who.append(nameEl, line);
  const endBtn = attr(el('button', 'hbtn', tr('End chat')), { type: 'button' });
  const newBtn = attr(el('button', 'hbtn', tr('New chat')), { type: 'button' });
  newBtn.hidden = true;
  const closeBtn = attr(el('button', 'hbtn', '\u2715'), { type: 'button', 'aria-label': tr('Close chat') });
  closeBtn.hidden = INLINE_MODE; // inline, nothing could bring it back
  head.append(avatar, who, endBtn, newBtn, closeBtn);
  const status = attr(el('div', 'status'), { role: 'status' });
  const log = attr(el('div', 'log'), { role: 'log', 'aria-live': 'polite', 'aria-label': tr('Conversation'), tabindex: '0' });
  const typing = attr(el('div', 'typing'), { 'aria-live': 'polite' });
  const form = el('form', 'form');
  const label = attr(el('label', 'sr', tr('Type your message')), { for: P + 'in-' + n });
  // A textarea: Shift+Enter starts a new line, Enter sends (see the keydown handler).
  const input = attr(el('textarea'), { id: P + 'in-' + n, rows: '1', autocomplete: 'off', maxlength: '16000', placeholder: tr('Type a message…') });
  const sendBtn = attr(el('button', 'send', tr('Send')), { type: 'submit' });
  form.append(label, input, sendBtn);
  // "End chat" asks first: ending cannot be undone and the button sits beside "close".
  const confirmBar = attr(el('div', 'confirm'), { role: 'group', 'aria-label': tr('End this chat?') });
  confirmBar.hidden = true;
  const confirmText = el('span', '', tr('End this chat?'));
  const confirmYes = attr(el('button', 'danger', tr('End chat')), { type: 'button', 'data-confirm': 'end' });
  const confirmNo = attr(el('button', '', tr('Keep chatting')), { type: 'button', 'data-confirm': 'keep' });
  confirmBar.append(confirmText, confirmYes, confirmNo);
  panel.append(head, confirmBar, status, log, typing, form);
  root.append(panel);
  if (!INLINE_MODE) root.appendChild(launcher);
  // Inline: into data-target when it names an element, else right after the script tag (in the body).
  function mountPoint() {
    if (!INLINE_MODE) return [document.body, null];
    if (ds.target) {
      let t = null;
      try { t = document.querySelector(ds.target); } catch (e) { /* not a selector */ }
      if (t) return [t, null];
      console.warn('Parley: data-target "' + ds.target + '" names no element; the chat is placed after its script tag');
    }
    const parent = script.parentNode;
    return parent && document.body && document.body.contains(parent) ? [parent, script.nextSibling] : [document.body, null];
  }
  let mounted = false;
  function mount() {
    if (destroyed || mounted) return;
    mounted = true;
    const [parent, before] = mountPoint();
    parent.insertBefore(root, before && before.parentNode === parent ? before : null);
    if (INLINE_MODE || (store.get().sid ? store.get().open : AUTO_OPEN)) open(false);
    isReady = true;
    emit('ready', api);
    document.dispatchEvent(new CustomEvent('parley:ready', { detail: api }));
  }

  // ---- state ----
  // The protocol — access token, session, WebSocket, receipts and resends by client_event_id,
  // reconnection from the cursor with back-off, ordering and dedupe, streams, heartbeats, the join —
  // is the headless client parley-client.js, loaded as an ES module from the server that served
  // this script. The widget is its UI.
  const CLIENT_URL = new URL('/parley-client.js', script.src).href;
  let clientModule = null;    // the ParleyClient, once the module is loaded (a promise)
  let client = null;
  let conv = null;            // the current Conversation
  let startGen = 0;           // start() calls; an older one still loading gives way to a newer one
  let sid = null;             // session id: sessionStorage
  let lastSeq = 0;
  let cur = null;             // the server event being delivered: its sequence places notes in the log
  let ended = false;
  let starting = false;
  let agentName = '';         // who speaks now, named in the header; '' = the neutral title
  let aiName = '';            // the AI agent's name (POLY_AGENT_JOINED), for "Continue with Ada"
  let aiAvatar = '';
  let agentAvatar = '';       // the current speaker's avatar
  let closingNow = false;     // a message with end_conversation arrived; SESSION_END is on its way
  let liveAgent = false;
  let ratedAgent = '';        // the live agent of this conversation (LIVE_AGENT_JOINED): who a rating is about
  let csatCard = null;        // the rating card, while shown
  let stranded = false;       // the AI left and no person will come: only the choice box can help (§9.3)
  let choice = null;          // that choice box, while shown
  let typingTimer = 0;
  let typingSent = false;
  const messages = new Map(); // message_id -> { el, seq, from, ts, told }
  const outgoing = new Map(); // client_event_id -> bubble { el, text, out, status }
  const queued = [];          // bubbles typed before there is a conversation to send them
  let destroyed = false;
  let isReady = false;        // mounted: the page API's onReady callbacks have run
  let unread = 0;             // agent messages since the panel was last open
  let unreadFrom = 0;         // only events after this sequence count (a reload's replay is not news)
  let returnFocus = null;     // where the keyboard was before the panel opened without a launcher
  let contextHandler = null;  // the page's onContextRequired callback
  const replayed = () => !!(conv && conv.replaying); // handling the history, for the page's callbacks
  const ready = () => !!conv && conv.state === 'connected';
  const LAST = Number.MAX_SAFE_INTEGER;
  const at = () => (cur && typeof cur.sequence === 'number' ? cur.sequence : LAST);

  // ---- open / close ----
  const isOpen = () => !panel.hidden;
  // focus: false when the page opens it by itself (auto-open, inline, a reload): the keyboard stays put.
  function open(focus) {
    if (destroyed || isOpen()) return;
    const from = document.activeElement;
    returnFocus = from && from !== document.body && !root.contains(from) ? from : null;
    panel.hidden = false;
    root.classList.add(P + 'open');
    launcher.setAttribute('aria-expanded', 'true');
    store.set({ open: true });
    setUnread(0);
    if (focus !== false) (input.disabled ? firstButton() : input).focus();
    log.scrollTop = log.scrollHeight;
    if (!sid && !conv && !starting && !ended) start();
    emit('open', {});
  }
  function close() {
    if (destroyed || !isOpen()) return;
    const had = root.contains(document.activeElement);
    panel.hidden = true;
    root.classList.remove(P + 'open');
    askEnd(false);
    launcher.setAttribute('aria-expanded', 'false');
    store.set({ open: false });
    labelLauncher();
    // Back to the launcher, or (without one) to where the keyboard was before the chat opened.
    if (!launcher.hidden && root.contains(launcher)) launcher.focus();
    else if (had && returnFocus && document.contains(returnFocus)) returnFocus.focus();
    emit('close', {});
  }
  const firstButton = () => [...panel.querySelectorAll('button')].find((b) => !b.disabled && b.offsetParent) || log;
  function labelLauncher() {
    const base = tr(isOpen() ? 'Close chat: {title}' : 'Open chat: {title}', { title: title() });
    launcher.setAttribute('aria-label', unread && !isOpen()
      ? base + ', ' + tr(unread === 1 ? '1 unread message' : '{n} unread messages', { n: unread }) : base);
  }
  function setUnread(count) {
    if (count === unread) { labelLauncher(); return; }
    unread = count;
    badge.textContent = count > 99 ? '99+' : String(count);
    badge.hidden = !count;
    store.set({ unread: count });
    labelLauncher();
    emit('unread', { count });
  }
  // Presence in the header: 'online', 'away' or '' (not shown: before anyone joined, after the end).
  function setPresence(state) {
    presence.dataset.state = state;
    presence.textContent = state ? tr(state === 'online' ? 'Online' : 'Away') : '';
    panel.dataset.presence = state;
  }
  launcher.addEventListener('click', () => (isOpen() ? close() : open()));
  closeBtn.addEventListener('click', close);
  root.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || !isOpen()) return;
    if (!confirmBar.hidden) { e.preventDefault(); askEnd(false); endBtn.focus(); } else if (!INLINE_MODE) { e.preventDefault(); close(); }
  });

  // ---- the conversation (parley-client.js) ----
  function loadClient() {
    if (!clientModule) {
      clientModule = import(CLIENT_URL).then((m) => new m.ParleyClient({
        baseUrl: SERVER, connectorToken: TOKEN, host: HOST, platform: PLATFORM, streaming: STREAMING,
        beforeJoin: contextBeforeJoin, beforeJoinTimeoutMs: 5000,
        // A socket is presumed dead only after a whole heartbeat interval without an echo: a busy or
        // throttled page (a background tab) may handle a live socket's frames late.
        heartbeatTimeoutMs: 30000
      }));
      clientModule.catch(() => { clientModule = null; }); // a later "Try again" loads it again
    }
    return clientModule;
  }
  // A new conversation, or (resumeSid) the one kept in sessionStorage from `cursor`: 0 after a
  // reload replays the whole history, which redraws it.
  async function start(resumeSid, cursor) {
    const gen = ++startGen;
    starting = true;
    setStatus(tr('Connecting…'));
    let c;
    try {
      c = await loadClient();
    } catch (e) {
      if (gen !== startGen || destroyed) return;
      starting = false;
      console.warn('Parley: could not load ' + CLIENT_URL, e);
      unavailable(() => start(resumeSid, cursor));
      return;
    }
    if (gen !== startGen || destroyed) return;
    starting = false;
    client = c;
    attach(resumeSid ? client.resume(resumeSid, cursor || 0) : client.start());
  }
  function unavailable(retry) {
    setStatus('');
    note(tr('Sorry, the chat is not available right now.'), true, null, tr('Try again'), retry);
  }
  // Listens to conversation `c` for as long as it is the widget's current one.
  function attach(c) {
    conv = c;
    const on = (name, fn) => c.on(name, (...args) => { if (conv === c && !destroyed) fn(...args); });
    on('event', (ev) => {
      cur = ev;
      if (!sid && c.sessionId) { sid = c.sessionId; store.set({ sid, seq: 0 }); }
      if (typeof ev.sequence === 'number' && ev.sequence > lastSeq) { lastSeq = ev.sequence; store.set({ seq: lastSeq }); }
    });
    on('state', (st) => {
      if (st === 'connecting') setStatus(tr('Connecting…'));
      else if (st === 'reconnecting') setStatus(tr('Connection lost. Reconnecting…'));
      else if (st === 'connected') { setStatus(''); if (!ended) newBtn.hidden = true; }
    });
    on('failure', lost);
    on('delivery', (out, st) => { const b = outgoing.get(out.clientEventId); if (b) setDelivery(b, st); });
    on('userMessage', userMessage);
    on('partial', (m) => {
      showTyping('');
      renderAgentMessage(m.messageId, m.sequence != null ? m.sequence : LAST, { text: m.text }, false, fromAi({ timestamp: cur && cur.timestamp }));
    });
    on('message', agentMessage);
    on('agentJoined', (a) => {
      aiName = a.name || aiName;
      aiAvatar = a.avatarUrl || aiAvatar;
      setAgent(a.name, a.avatarUrl);
      setPresence('online');
      unstrand();
    });
    on('agentThinking', () => showTyping(agentName || tr('The assistant')));
    on('liveAgentTyping', (t) => showTyping(t.typing ? agentName || tr('The agent') : ''));
    on('handoffTriggered', (h) => {
      note(tr('Connecting you to a person…'), false, at());
      handoff('requested', { reason: h.reason || null, queue: h.queueName || null });
    });
    on('agentLeft', () => {
      note(tr('{name} has left the chat.', { name: aiName || tr('The assistant') }), false, at());
      showTyping('');
      if (!liveAgent) { setAgent('', '', subEl.textContent); setPresence('away'); }
    });
    on('handoffAccepted', () => {
      // Accepted by a queue is not answered by a person: no promise of "shortly" (nobody may be on duty).
      note(tr('You are waiting for a person to take the chat.'), false, at());
      setAgent('', '', tr('Waiting for an agent'));
      setPresence('away');
      handoff('accepted', {});
    });
    on('queueStatus', (q) => {
      // Also how a transfer or requeue ends the live phase (no LIVE_AGENT_LEFT): nobody speaks now.
      liveAgent = false;
      showTyping('');
      setAgent('', '', queueText(q));
      setPresence('away');
      handoff('queued', { position: q.position == null ? null : q.position, queue: q.queueName || null,
        estimatedWaitSeconds: q.estimatedWaitSeconds == null ? null : q.estimatedWaitSeconds });
    });
    on('liveAgentJoined', (a) => {
      liveAgent = true;
      ratedAgent = a.name || tr('An agent');
      unstrand();
      setAgent(a.name || tr('An agent'), a.avatarUrl, tr('Live agent'));
      setPresence('online');
      note(tr('{name} has joined the chat.', { name: a.name || tr('An agent') }), false, at());
      handoff('agent_joined', { agent: { name: a.name || '' } });
    });
    on('liveAgentLeft', (l) => {
      liveAgent = false;
      showTyping('');
      note(tr('{name} has left the chat.', { name: l.agentName || agentName || tr('The agent') }), false, at());
      setAgent('', '', '');
      setPresence('away');
      handoff('agent_left', { agent: { name: l.agentName || '' } });
    });
    on('clientHandoffRequired', (h) => {
      note(tr(HANDOFF_REASONS[h.reason] || 'A person needs to help you with this.')
        + tr(' Please contact us through another channel') + (h.queueName ? ' (' + h.queueName + ')' : '') + '.', true, at());
      strand(at());
      handoff('client_required', { reason: h.reason || null, queue: h.queueName || null });
    });
    on('handoffFailed', () => {
      note(tr("Sorry, we couldn't connect you to an agent."), true, at());
      strand(at());
      handoff('failed', {});
    });
    on('handoffTimeout', () => {
      note(tr('No agent became available in time.'), true, at());
      strand(at());
      handoff('timeout', {});
    });
    // An error about one of our messages also fails it (or resends it): the client's delivery events say which.
    on('systemMessage', (m) => {
      const err = m.level === 'SYSTEM_MESSAGE_LEVEL_ERROR';
      if (err) showTyping('');
      note(m.message, err || m.level === 'SYSTEM_MESSAGE_LEVEL_WARNING', at());
    });
    on('languageChanged', (code) => { lang = code; applyTexts(); });
    // Live only (never replayed): the session ends as abandoned unless the user acts.
    on('idleWarning', () => note(tr('Are you still there? This chat will close soon due to inactivity.'), false, at()));
    on('sessionEnded', (reason) => {
      const seq = at();
      const rep = replayed();
      // Without the header, "New chat" comes with the closing note.
      const d = SHOW_HEADER ? note(finish(reason), false, seq) : note(finish(reason), false, seq, tr('New chat'), () => newBtn.click());
      const at0 = document.activeElement;
      if (!SHOW_HEADER && isOpen() && (!at0 || at0 === document.body || at0 === input)) d.querySelector('button').focus();
      emit('ended', { reason: reason || null, replayed: rep });
      if (ratedAgent && c.sessionId) offerRating(c.sessionId, ratedAgent, (x) => c.rate(x), () => c.rating());
    });
    queued.splice(0).forEach(sendOut);
  }
  // The client gave up on the conversation.
  function lost(err) {
    conv = null;
    if (err.code === 'session-unavailable') {
      // The session kept in sessionStorage is gone (it expired): forget it, start afresh, and send
      // there what was typed meanwhile.
      outgoing.forEach((b) => { if (b.status === 'sending') { b.out = null; queued.push(b); } });
      outgoing.clear();
      store.clear();
      sid = null;
      lastSeq = 0;
      start();
      return;
    }
    outgoing.forEach((b) => { if (b.status === 'sending') setDelivery(b, 'failed'); });
    if (err.code === 'refused') {
      // Refused (unknown connector, host mismatch…): retrying will not help. Tell the integrator, not the user.
      console.warn('Parley: the chat server refused the widget: ' + err.message);
      unavailable(() => start(sid, lastSeq));
      return;
    }
    setStatus('');
    newBtn.hidden = false;
    note(tr("We couldn't reconnect to the chat."), true, null, tr('Try again'), () => start(sid, lastSeq));
  }
  // The client's beforeJoin hook: with an onContextRequired callback the join of a new session (and so
  // the greeting, the agent's first turn) waits for the page's signed context, at most 5 s (the
  // client's limit): verified context fails open, it never holds the chat up.
  function contextBeforeJoin(c) {
    if (c !== conv || !contextHandler || !c.contextId || store.get().ctx === c.sessionId) return null;
    return submitContext(c);
  }
  // Asks the page for a token naming this conversation's context_id; the client submits it over REST.
  async function submitContext(c) {
    const forSid = c.sessionId;
    let jwt;
    try {
      jwt = await contextHandler({ contextId: c.contextId, sessionId: forSid });
    } catch (e) {
      console.warn('Parley: the onContextRequired callback failed', e);
      emit('context', { verified: false, error: String((e && e.message) || e) });
      return false;
    }
    if (!jwt || destroyed || conv !== c) return false;
    try {
      const res = await c.submitContext(jwt);
      store.set({ ctx: forSid });
      emit('context', { verified: res.verified === true, contextId: res.context_id, keys: res.keys || [] });
      return true;
    } catch (e) {
      console.warn('Parley: the verified context was refused: ' + e.message);
      emit('context', { verified: false, error: e.message, status: e.status });
      return false;
    }
  }

  // ---- user messages and delivery receipts ----
  function sendText(text) {
    text = String(text || '').trim();
    if (!text || ended) return;
    stopTyping();
    const b = { el: userBubble(text), text, out: null, status: 'sending' };
    log.appendChild(b.el);
    regroup();
    setDelivery(b, 'sending');
    pruneSuggestions();
    scroll();
    sendOut(b);
  }
  // Into the conversation (which sends it as soon as it is connected), or held until there is one.
  function sendOut(b) {
    if (!conv) { queued.push(b); return; }
    b.out = conv.send(b.text);
    b.el.dataset.cid = b.out.clientEventId;
    outgoing.set(b.out.clientEventId, b);
    if (b.out.status !== b.status) setDelivery(b, b.out.status); // failed at once (too long)
  }
  function retry(b) {
    if (conv && b.out && conv.retry(b.out)) return;
    // The conversation it was sent in is over: into the current one, as a new message.
    if (b.out) outgoing.delete(b.out.clientEventId);
    b.out = null;
    setDelivery(b, 'sending');
    sendOut(b);
  }
  // A stored user message: the echo of one of ours, or one from another tab or the replayed history.
  function userMessage(m) {
    const seq = m.sequence != null ? m.sequence : LAST;
    const mine = m.clientEventId && outgoing.get(m.clientEventId);
    if (mine) {
      if (mine.el.dataset.mid) return; // a resend answered twice
      mine.el.dataset.mid = m.messageId;
      setDelivery(mine, 'sent');
      setTime(mine.el, m.timestamp);
      place(mine.el, seq);
    } else {
      const b = userBubble(m.text, m.timestamp);
      b.dataset.mid = m.messageId;
      b.dataset.status = 'sent';
      b.querySelector('.' + P + 'ds').textContent = tr('Sent');
      place(b, seq);
    }
    regroup();
    pruneSuggestions();
    scroll();
  }
  // The user's own text stays plain text: no Markdown, no links.
  function userBubble(text, ts) {
    const b = el('div', 'msg user');
    b.dataset.sender = 'user';
    const st = el('span', 'st');
    st.append(el('span', 'when'), el('span', 'ds'));
    b.append(el('span', 'txt', text), st);
    if (ts) setTime(b, ts);
    return b;
  }
  function setTime(b, ts) {
    const t = stamp(ts);
    if (t) { t.append(' \u00B7 '); b.querySelector('.' + P + 'when').replaceChildren(t); }
  }
  function setDelivery(b, st) {
    if (b.status === st && b.el.dataset.status === st) return;
    b.status = st;
    b.el.dataset.status = st;
    const s = b.el.querySelector('.' + P + 'ds');
    s.textContent = tr({ sending: 'Sending…', sent: 'Sent', failed: 'Not delivered' }[st]);
    if (st === 'failed') {
      const r = attr(el('button', 'retry', tr('Retry')), { type: 'button', 'aria-label': tr('Retry sending: {text}', { text: b.text }) });
      r.addEventListener('click', () => retry(b));
      s.appendChild(r);
    }
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const t = input.value;
    input.value = '';
    fit();
    sendText(t);
  });
  input.addEventListener('keydown', (e) => {
    // Enter sends, Shift+Enter is a new line; never while an IME is composing a character.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      if (!input.disabled) form.requestSubmit();
    }
  });
  // The textarea grows with its text up to five lines or so (max-height), then scrolls.
  function fit() {
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight + 2, 120) + 'px';
  }
  input.addEventListener('input', fit);
  input.addEventListener('input', () => {
    if (!liveAgent || !ready()) return;
    if (!typingSent) { typingSent = true; conv.typing(true); }
    clearTimeout(typingTimer);
    typingTimer = setTimeout(stopTyping, 3000);
  });
  function stopTyping() {
    clearTimeout(typingTimer);
    if (typingSent) { typingSent = false; if (conv) conv.typing(false); }
  }
  // Connected: the server ends the session and says so (SESSION_END). Otherwise it ends here and now.
  const endNow = () => {
    askEnd(false);
    if (ready()) { conv.end(); return; }
    drop();
    finish('REASON_USER_END');
  };
  // Lets go of the current conversation (its socket and timers); the session itself is not ended.
  function drop() {
    startGen++; // a start() still loading the client is abandoned
    starting = false;
    const c = conv;
    conv = null;
    if (c) c.close();
  }
  function askEnd(show) {
    confirmBar.hidden = !show;
    endBtn.setAttribute('aria-expanded', String(show));
    if (show) confirmNo.focus();
  }
  endBtn.addEventListener('click', () => askEnd(confirmBar.hidden));
  confirmYes.addEventListener('click', endNow);
  confirmNo.addEventListener('click', () => { askEnd(false); input.disabled ? endBtn.focus() : input.focus(); });
  newBtn.addEventListener('click', () => {
    // A fresh conversation in place: forget everything about the old one.
    // The old conversation is ended rather than left to time out (it may still hold a queue place).
    if (conv && !ended) conv.end();
    drop();
    store.clear();
    log.replaceChildren();
    messages.clear();
    outgoing.clear();
    queued.length = 0;
    sid = null;
    lastSeq = 0;
    cur = null;
    ended = liveAgent = stranded = closingNow = false;
    choice = null;
    if (csatCard) { csatState.set(Object.assign(csatState.get(), { done: true })); csatCard = null; }
    ratedAgent = '';
    endBtn.hidden = false;
    updateInput();
    newBtn.hidden = true;
    lang = START_LANG; // a new session starts in the page's language
    applyTexts();
    setAgent('', '');
    setPresence('');
    unreadFrom = 0;
    aiName = aiAvatar = '';
    input.focus();
    start();
  });

  // ---- rendering ----
  const scroll = () => { log.scrollTop = log.scrollHeight; };
  const setStatus = (t) => { status.textContent = t; };
  // Three bouncing dots (still under prefers-reduced-motion) and the sentence, which screen readers get.
  const showTyping = (who) => {
    if (!who) { typing.replaceChildren(); delete typing.dataset.who; return; }
    if (typing.dataset.who === who) return; // restarting would make the dots jump
    typing.dataset.who = who;
    const dots = attr(el('span', 'dots'), { 'aria-hidden': 'true' });
    dots.append(el('span'), el('span'), el('span'));
    typing.replaceChildren(dots, el('span', 'tw', tr('{name} is typing…', { name: who })));
  };
  // Re-labels the fixed parts of the widget; notes already in the log keep the language they came in.
  function applyTexts() {
    root.lang = lang;
    labelLauncher();
    if (presence.dataset.state) setPresence(presence.dataset.state);
    panel.setAttribute('aria-label', title());
    if (!agentName) nameEl.textContent = title();
    endBtn.textContent = tr('End chat');
    confirmText.textContent = tr('End this chat?');
    confirmBar.setAttribute('aria-label', tr('End this chat?'));
    confirmYes.textContent = tr('End chat');
    confirmNo.textContent = tr('Keep chatting');
    newBtn.textContent = tr('New chat');
    closeBtn.setAttribute('aria-label', tr('Close chat'));
    log.setAttribute('aria-label', tr('Conversation'));
    label.textContent = tr('Type your message');
    updateInput();
    sendBtn.textContent = tr('Send');
  }
  // Place a node so that the log stays ordered by sequence (nodes without one stay last).
  function place(node, seq) {
    node.dataset.seq = seq;
    let ref = null;
    for (let c = log.lastElementChild; c; c = c.previousElementSibling) {
      if (c === node) continue;
      if (c.dataset.seq !== undefined && +c.dataset.seq <= seq) break;
      ref = c;
    }
    if (node.nextElementSibling !== ref || node.parentNode !== log) log.insertBefore(node, ref);
  }
  function note(text, error, seq, action, onAction) {
    const d = el('div', error ? 'note err' : 'note', text);
    if (action) {
      const b = attr(el('button', 'retry', action), { type: 'button' });
      b.addEventListener('click', () => { d.remove(); onAction(); });
      d.appendChild(b);
    }
    if (seq != null) place(d, seq); else log.appendChild(d);
    scroll();
    return d;
  }
  function attachmentCard(a) {
    const href = safeUrl(a && a.content_url);
    if (!href) return null;
    const link = attr(el('a', 'att'), { href, target: '_blank', rel: 'noopener noreferrer' });
    const image = a.content_type === 'ATTACHMENT_CONTENT_TYPE_IMAGE';
    const src = safeUrl(a.preview_image_url) || (image ? href : null);
    if (src) link.appendChild(hideOnError(attr(el('img'), { src, alt: '', loading: 'lazy' })));
    if (a.title) link.appendChild(el('span', '', a.title));
    link.appendChild(el('span', 'cta', a.call_to_action_text || tr(image ? 'Open image' : 'Open link')));
    return link;
  }
  // Local time of a server timestamp, e.g. 14:05; nothing when there is none.
  function stamp(ts) {
    const d = ts ? new Date(ts) : null;
    if (!d || isNaN(d)) return null;
    let t;
    try { t = d.toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' }); } catch (e) { t = d.toISOString().slice(11, 16); }
    return attr(el('time', 'time', t), { datetime: d.toISOString(), title: d.toLocaleString() });
  }
  // Name and avatar above the first bubble of a run: a picture when there is a safe one, else the
  // initial; AI bubbles carry an "AI" tag so the assistant and a person differ at a glance.
  function byline(from) {
    const b = el('span', 'by');
    const av = attr(el('span', 'av', (from.name || '?').trim().charAt(0).toUpperCase()), { 'aria-hidden': 'true' });
    const src = safeUrl(from.avatar);
    if (src) av.appendChild(hideOnError(attr(el('img'), { src, alt: '' })));
    b.append(av, el('span', 'who-name', from.name || tr(from.kind === 'ai' ? 'The assistant' : 'The agent')));
    if (from.kind === 'ai') b.appendChild(attr(el('span', 'tag', tr('AI')), { title: tr('Automated assistant') }));
    return b;
  }
  // chat_call_actions: a tel: link per number (only digits, +, * and # are kept).
  function callButtons(actions) {
    const box = attr(el('div', 'calls'), { role: 'group', 'aria-label': tr('Call us') });
    actions.forEach((c) => {
      const number = String((c && c.contact_number) || '').replace(/[^0-9+*#]/g, '');
      if (!number) return;
      const a = attr(el('a', 'call', (c.title || number)), { href: 'tel:' + number, 'aria-label': tr('Call {number}', { number: c.contact_number }) });
      a.prepend(el('span', 'ph', '\u260E '));
      box.appendChild(a);
    });
    return box.childElementCount ? box : null;
  }
  // Consecutive bubbles of one sender form a group: only the first shows the byline.
  function regroup() {
    let prev = null;
    for (let c = log.firstElementChild; c; c = c.nextElementSibling) {
      const s = c.dataset.sender;
      c.classList.toggle(P + 'cont', !!s && !!prev && prev === s);
      prev = s || null;
    }
  }
  // content: the client's message (or a stream's partial text so far): text, attachments, suggestions, chatCallActions.
  function renderAgentMessage(id, seq, content, done, from) {
    let m = messages.get(id);
    if (!m) {
      m = { el: el('div', 'msg agent ' + (from.kind === 'ai' ? 'ai' : 'human')), seq, from };
      m.el.dataset.mid = id;
      messages.set(id, m);
    }
    if (from.name) m.from = from; // the final chunk names the agent; earlier ones do not
    m.el.dataset.sender = m.from.kind + ':' + (m.from.name || '');
    m.seq = Math.min(m.seq, seq);
    const text = content.text || '';
    const atts = content.attachments || [];
    const sugg = content.suggestions || [];
    const calls = content.chatCallActions || [];
    m.ts = m.ts || from.ts;
    m.el.replaceChildren(byline(m.from), done ? rich(text) : el('span', 'txt', text));
    const cb = calls.length ? callButtons(calls) : null;
    if (cb) m.el.appendChild(cb);
    m.el.dataset.complete = done ? 'true' : 'false';
    if (done) m.el.removeAttribute('aria-busy'); else m.el.setAttribute('aria-busy', 'true');
    atts.forEach((a) => { const c = attachmentCard(a); if (c) m.el.appendChild(c); });
    if (sugg.length && !ended) {
      const box = attr(el('div', 'sugg'), { role: 'group', 'aria-label': tr('Suggested replies') });
      sugg.forEach((s) => {
        if (!s || !s.message_text) return;
        const b = attr(el('button', '', s.message_text), { type: 'button' });
        b.addEventListener('click', () => sendText(s.message_text));
        box.appendChild(b);
      });
      m.el.appendChild(box);
    }
    const t = stamp(m.ts);
    if (t) m.el.appendChild(t);
    if (done && !m.told) {
      m.told = true;
      if (!isOpen() && m.seq > unreadFrom) setUnread(unread + 1);
      emit('message', { id, text, from: { kind: m.from.kind, name: m.from.name || '' }, timestamp: m.ts || null, replayed: replayed() });
    }
    place(m.el, m.seq);
    regroup();
    pruneSuggestions();
    scroll();
  }
  // Only the newest message keeps its suggestion buttons.
  function pruneSuggestions() {
    const all = log.querySelectorAll('.' + P + 'msg');
    const last = all[all.length - 1];
    log.querySelectorAll('.' + P + 'sugg').forEach((s) => { if (!last || !last.contains(s) || ended || closingNow) s.remove(); });
  }
  // The header names the current speaker only: after a LEFT it falls back to the neutral title.
  function setAgent(name, avatarUrl, sub) {
    agentName = name || '';
    agentAvatar = avatarUrl || '';
    nameEl.textContent = agentName || title();
    subEl.textContent = sub || '';
    const src = safeUrl(avatarUrl);
    avatar.hidden = !src;
    if (src) { avatar.src = src; } else avatar.removeAttribute('src');
  }
  // The input works only while someone can answer: never after the end, never while stranded.
  function updateInput() {
    input.disabled = sendBtn.disabled = ended || stranded || closingNow;
    input.placeholder = tr(ended ? 'This chat has ended' : stranded ? 'Choose how to continue' : 'Type a message…');
  }
  // After HANDOFF_TIMEOUT / HANDOFF_FAILED / CLIENT_HANDOFF_REQUIRED nobody listens (the AI left, no
  // person came), so a typed message could only fail. Offer what can work instead (PROTOCOL.md §9.3).
  function strand(seq) {
    stranded = true;
    liveAgent = false;
    showTyping('');
    setAgent('', '', '');
    setPresence('away');
    updateInput();
    if (choice) choice.remove();
    if (ended) { choice = null; return; }
    const box = attr(el('div', 'note choice'), { role: 'group', 'aria-label': tr('How would you like to continue?') });
    box.appendChild(el('span', '', tr('How would you like to continue?')));
    const row = el('div', 'choices');
    const ai = attr(el('button', 'choose', aiName ? tr('Continue with {name}', { name: aiName }) : tr('Continue with the assistant')),
      { type: 'button', 'data-choice': 'ai' });
    const fresh = attr(el('button', 'choose', tr('Start a new chat')), { type: 'button', 'data-choice': 'new' });
    ai.addEventListener('click', () => { if (conv && conv.requestAgent()) ai.disabled = fresh.disabled = true; });
    fresh.addEventListener('click', () => newBtn.click());
    row.append(ai, fresh);
    box.appendChild(row);
    choice = box;
    place(box, seq);
    scroll();
    if (isOpen() && (document.activeElement === input || document.activeElement === document.body)) ai.focus();
  }
  // Someone answers again (the AI rejoined, or a person joined): the choice is over.
  function unstrand() {
    if (choice) { choice.remove(); choice = null; }
    if (!stranded) return;
    stranded = false;
    updateInput();
    if (isOpen() && (!document.activeElement || document.activeElement === document.body)) input.focus();
  }
  function finish(reason) {
    ended = true;
    showTyping('');
    setStatus('');
    setPresence('');
    endBtn.hidden = true;
    askEnd(false);
    newBtn.hidden = false;
    updateInput();
    if (choice) { choice.remove(); choice = null; }
    outgoing.forEach((b) => { if (b.status === 'sending') setDelivery(b, 'failed'); });
    pruneSuggestions();
    store.clear();
    // Focus that would be lost (in the disabled input, or on the confirmation that just closed) goes to "New chat".
    const a = document.activeElement;
    if (!a || a === document.body || a === input || confirmBar.contains(a)) {
      if (isOpen() && SHOW_HEADER) newBtn.focus();
    }
    return tr({
      REASON_USER_END: 'You ended the chat.',
      REASON_USER_ABANDONED: 'This chat ended after a period of inactivity.',
      REASON_NATURAL_END: 'The chat has ended. Thank you!'
    }[reason] || 'The chat has ended.');
  }

  // The server's display_message is English (it is what `parley chat` prints); other languages get
  // the same sentence built here from the same fields and rounding (session/HandoffTexts).
  function queueText(q) {
    const base = String(lang).split('-')[0].toLowerCase();
    if (q.displayMessage && (base === 'en' || !TEXTS[base])) return q.displayMessage;
    const pos = q.position;
    if (pos != null && pos <= 0) return tr('You are being connected to a human agent.');
    let t = pos == null ? tr('You are in the queue') : pos === 1 ? tr('You are next in the queue') : tr('You are number {n} in the queue', { n: pos });
    if (q.queueName) t += tr(' for {queue}', { queue: q.queueName });
    t += '.';
    const s = q.estimatedWaitSeconds;
    if (s > 0) t += ' ' + (s < 60 ? tr('Estimated wait: under a minute.') : tr('Estimated wait: about {min} min.', { min: Math.round(s / 60) }));
    return t;
  }

  // The AI's name and avatar: the message's own (extension fields), else the ones it joined with.
  const fromAi = (m) => ({ kind: 'ai', name: m.agentName || aiName, avatar: m.avatarUrl || aiAvatar, ts: m.timestamp });
  // A whole AI message (sent whole, or the client's reassembly of a stream) or a person's message.
  function agentMessage(m) {
    showTyping('');
    const seq = m.sequence != null ? m.sequence : LAST;
    if (m.from === 'ai') {
      renderAgentMessage(m.messageId, seq, m, true, fromAi(m));
      if (m.endConversation) closing();
      return;
    }
    renderAgentMessage(m.messageId, seq, m, true, { kind: 'human', name: m.agentName || (liveAgent ? agentName : ''),
      avatar: m.avatarUrl || (liveAgent ? agentAvatar : ''), ts: m.timestamp });
  }
  // ---- CSAT: after a conversation a live agent had, the user may rate it 1-5 (POST …/csat) ----
  // Remembered per tab as { sid, name, done }: a reload shows a card not yet answered again (unless the
  // server says it was rated, e.g. in another tab); once sent or dismissed it is never shown again.
  const CSAT_KEY = KEY + ':csat';
  const csatState = {
    get() { try { return JSON.parse(sessionStorage.getItem(CSAT_KEY)) || {}; } catch (e) { return {}; } },
    set(v) { try { sessionStorage.setItem(CSAT_KEY, JSON.stringify(v)); } catch (e) { /* private mode */ } }
  };
  async function offerRating(sessionId, name, rate, read) {
    const known = csatState.get();
    if (known.sid === sessionId && known.done) return;
    csatState.set({ sid: sessionId, name, done: false });
    let given = null;
    try { given = await read(); } catch (e) { /* unknown: ask; the server refuses a second rating anyway */ }
    if (destroyed || csatCard) return;
    if (given) { csatState.set({ sid: sessionId, name, done: true }); return; }
    showRating(sessionId, name, rate);
  }
  function showRating(sessionId, name, rate) {
    const q = P + 'csat-q-' + n;
    const card = attr(el('div', 'csat'), { role: 'group', 'aria-labelledby': q });
    csatCard = card;
    const question = attr(el('p', 'csat-q', tr('How did {name} do?', { name })), { id: q });
    const scale = attr(el('div', 'csat-scale'), { role: 'radiogroup', 'aria-labelledby': q });
    let chosen = 0;
    const buttons = [1, 2, 3, 4, 5].map((v) => {
      const b = attr(el('button', '', String(v)), { type: 'button', role: 'radio', 'aria-checked': 'false',
        'aria-label': tr('{n} of 5', { n: v }), 'data-rating': String(v), tabindex: v === 1 ? '0' : '-1' });
      b.addEventListener('click', () => choose(v));
      return b;
    });
    function choose(v) {
      chosen = v;
      buttons.forEach((b, i) => { b.setAttribute('aria-checked', String(i + 1 === v)); b.tabIndex = i + 1 === v ? 0 : -1; });
      sendB.disabled = false;
    }
    // A radio group: arrow keys move the choice, as screen-reader users expect.
    scale.addEventListener('keydown', (e) => {
      const d = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0;
      if (!d) return;
      e.preventDefault();
      const v = Math.min(5, Math.max(1, (chosen || (d > 0 ? 0 : 6)) + d));
      choose(v);
      buttons[v - 1].focus();
    });
    scale.append(...buttons);
    const ends = attr(el('div', 'csat-ends'), { 'aria-hidden': 'true' });
    ends.append(el('span', '', tr('Poor')), el('span', '', tr('Excellent')));
    const cid = P + 'csat-c-' + n;
    const label = attr(el('label', 'sr', tr('Comment (optional)')), { for: cid });
    const comment = attr(el('textarea'), { id: cid, rows: '2', maxlength: '1000', placeholder: tr('Add a comment (optional)') });
    const error = attr(el('div', 'csat-err'), { role: 'alert' });
    const acts = el('div', 'csat-acts');
    const skip = attr(el('button', '', tr('No thanks')), { type: 'button', 'data-csat': 'dismiss' });
    const sendB = attr(el('button', 'csat-send', tr('Send')), { type: 'button', 'data-csat': 'send' });
    sendB.disabled = true;
    acts.append(skip, sendB);
    card.append(question, scale, ends, label, comment, error, acts);
    place(card, LAST);
    scroll();
    emit('csat', { stage: 'shown', sessionId, agent: { name } });
    const done = (text) => {
      csatState.set({ sid: sessionId, name, done: true });
      const thanks = attr(el('div', 'note', text), { role: 'status' });
      card.replaceWith(thanks);
      place(thanks, LAST);
      csatCard = null;
    };
    skip.addEventListener('click', () => {
      done(tr('No problem. Thanks for chatting with us.'));
      emit('csat', { stage: 'dismissed', sessionId, agent: { name } });
    });
    sendB.addEventListener('click', async () => {
      if (!chosen) return;
      sendB.disabled = skip.disabled = true;
      error.textContent = '';
      try {
        const r = await rate({ rating: chosen, comment: comment.value });
        done(tr('Thank you for your feedback!'));
        emit('csat', { stage: 'given', sessionId, agent: { name }, rating: r.rating, comment: r.comment });
      } catch (e) {
        if (e && e.status === 409 && e.error === 'rating already given') { done(tr('Thank you for your feedback!')); return; }
        sendB.disabled = skip.disabled = false;
        error.textContent = tr('Sorry, your rating could not be sent. Please try again.');
      }
    });
  }

  // end_conversation: SESSION_END follows; the input closes now so nothing is typed into the gap.
  function closing() { closingNow = true; updateInput(); pruneSuggestions(); }

  const handoff = (stage, detail) => emit('handoff', Object.assign({ stage, replayed: replayed() }, detail));

  const HANDOFF_REASONS = {
    COMPLEX_QUERY: 'Your question needs a specialist.',
    AGENT_DECISION: 'The assistant thinks a person should help you.',
    POLICY: 'This request has to be handled by our team.'
  };

  // ---- page API ----
  // window.Parley: open(), close(), send(text), end(), destroy({ end }), onReady(cb),
  // onContextRequired(cb), on(name, cb) / off(name, cb) for 'message', 'handoff', 'ended', 'open',
  // 'close', 'unread', 'context', 'csat' ({stage: 'shown'|'given'|'dismissed', sessionId, agent,
  // rating, comment}) and 'ready'. A failing callback is logged and never breaks the chat.
  const listeners = {};
  function on(name, cb) {
    if (typeof cb !== 'function') return api;
    (listeners[name] = listeners[name] || []).push(cb);
    if (name === 'ready' && isReady) queueMicrotask(() => call(cb, api, name));
    return api;
  }
  function off(name, cb) {
    const l = listeners[name];
    if (l && l.indexOf(cb) >= 0) l.splice(l.indexOf(cb), 1);
    return api;
  }
  function call(cb, detail, name) {
    try { cb(detail); } catch (e) { console.error('Parley: a "' + name + '" callback failed', e); }
  }
  function emit(name, detail) {
    if (destroyed && name !== 'close') return;
    (listeners[name] || []).slice().forEach((cb) => call(cb, detail, name));
  }
  // The hook for verified context: cb({ contextId, sessionId }) returns (or resolves to) the site's
  // signed token for that context_id, or nothing to skip. Asked once per conversation, before the
  // join of a new one; registered later, it is asked at once.
  function onContextRequired(cb) {
    contextHandler = typeof cb === 'function' ? cb : null;
    if (contextHandler && conv && conv.contextId && sid && conv.agentJoined && !ended && store.get().ctx !== sid) submitContext(conv);
    return api;
  }
  // Takes the chat out of the page: socket closed, timers stopped, DOM and styles removed, window.Parley
  // gone, so the script can be embedded again. The conversation itself goes on (a new embed in this tab
  // resumes it) unless { end: true } ends it.
  function destroy(opts) {
    if (destroyed) return;
    if (opts && opts.end && !ended && conv) conv.end();
    if (opts && opts.end) store.clear();
    drop();
    if (client) client.close();
    destroyed = true;
    ended = true; // nothing reconnects or resends from now on
    clearTimeout(typingTimer);
    document.removeEventListener('DOMContentLoaded', mount);
    root.remove();
    const st = document.getElementById('plw-style');
    if (st) st.remove();
    for (const k in listeners) delete listeners[k];
    if (window.Parley === api) delete window.Parley;
  }
  // end() is the page's own decision, so it does not ask the user to confirm.
  const api = Object.freeze({
    open: () => open(), close, send: sendText, end: () => { if (!ended) endNow(); }, destroy,
    isOpen, onReady: (cb) => on('ready', cb), onContextRequired, on, off
  });
  window.Parley = api;

  // ---- resume after reload, then into the page ----
  const saved = store.get();
  if (saved.sid) {
    // Resume: a fresh token (memory only) and a full replay from cursor 0 redraws the conversation.
    sid = saved.sid;
    unreadFrom = saved.seq || 0;
    unread = saved.unread || 0;
    badge.textContent = String(unread);
    badge.hidden = !unread;
    start(sid, 0);
  }
  const pendingCsat = csatState.get();
  if (pendingCsat.sid && !pendingCsat.done && pendingCsat.sid !== saved.sid) {
    // The conversation ended before the reload (its session is no longer kept): only the card comes back.
    loadClient().then((c) => offerRating(pendingCsat.sid, pendingCsat.name || tr('An agent'),
      (x) => c.rate(pendingCsat.sid, x), () => c.rating(pendingCsat.sid)), () => { /* no client: no card */ });
  }
  labelLauncher();
  if (document.body) mount(); else document.addEventListener('DOMContentLoaded', mount);
})();
