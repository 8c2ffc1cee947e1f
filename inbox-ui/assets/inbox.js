// The inbox's and the task page's progressive enhancement: every page works without it. On the inbox, one box ticks
// the whole page, the page learns of new tasks without a reload, and keys move through the rows; on a task page, keys
// bring its claim and approve buttons into focus. Every word shown comes from the page (the server's catalogues).
(() => {
  'use strict';

  // ---- Ticking every row at once ----

  const bindSelectAll = () => {
    const all = document.getElementById('select-all');
    const boxes = [...document.querySelectorAll("#bulk input[name='tasks']")];
    if (!all || boxes.length === 0) return;
    const reflect = () => {
      const ticked = boxes.filter((box) => box.checked).length;
      all.checked = ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    };
    all.hidden = false;
    all.addEventListener('change', () => boxes.forEach((box) => (box.checked = all.checked)));
    boxes.forEach((box) => box.addEventListener('change', reflect));
    reflect();
  };

  // ---- New tasks without a reload ----

  /**
   * Asks the page's data-changes link (GET /api/tasks/changes) whether the view gained or lost tasks, every
   * data-poll-seconds while the tab is visible, backing off after errors, and at once when the tab comes back or the
   * page receives an `inbox:poll` event. News goes into a polite status line with a button; the list is replaced only
   * when the reader presses it.
   */
  const followChanges = (live) => {
    const text = live.querySelector('.news-text');
    const show = live.querySelector('.news button');
    const every = Math.max(5, Number(live.dataset.pollSeconds) || 25) * 1000;
    let timer;
    let failures = 0;
    let asking = false;
    let stopped = false;

    const say = (message) => {
      // Setting the same words again could make a screen reader repeat them.
      if (text.textContent !== message) text.textContent = message;
    };
    const schedule = (delay) => {
      clearTimeout(timer);
      if (!stopped && !document.hidden) timer = setTimeout(ask, delay);
    };

    async function ask() {
      if (asking || stopped) return;
      asking = true;
      clearTimeout(timer);
      try {
        const response = await fetch(live.dataset.changes, {
          credentials: 'same-origin',
          cache: 'no-store',
          headers: { accept: 'application/json' },
        });
        // Signed out (or the session ended): the next page the reader opens asks them to sign in.
        if (response.status === 401) {
          stopped = true;
          return;
        }
        if (!response.ok) throw new Error(`GET ${live.dataset.changes}: ${response.status}`);
        const news = await response.json();
        setMenuCount(news.counts.all);
        if (news.changed) {
          say(news.message);
          show.hidden = false;
        }
        failures = 0;
      } catch {
        failures++;
      } finally {
        asking = false;
        // Twice as long after each failure in a row, up to ten minutes.
        schedule(Math.min(every * 2 ** failures, 600_000));
      }
    }

    show.addEventListener('click', async () => {
      show.disabled = true;
      try {
        await showNewList(live, say);
        show.hidden = true;
      } catch {
        // The page as the server has it now, whatever the script could not do.
        window.location.reload();
      } finally {
        show.disabled = false;
      }
    });
    document.addEventListener('visibilitychange', () => (document.hidden ? clearTimeout(timer) : ask()));
    document.addEventListener('inbox:poll', () => ask());
    schedule(every);
  };

  /** The number beside "Inbox" in the menu. */
  const setMenuCount = (count) => {
    const link = document.querySelector("header nav a[href='/inbox']");
    if (!link) return;
    let badge = link.querySelector('.count');
    if (!count) {
      badge?.remove();
      return;
    }
    if (!badge) {
      badge = document.createElement('span');
      badge.className = 'count';
      link.append(' ', badge);
    }
    badge.textContent = String(count);
  };

  /**
   * Reads this page afresh and puts its views and its list in place of the old ones, keeping the boxes ticked that
   * are still on the page (and saying so when some are not), then gives the list the focus.
   */
  const showNewList = async (live, say) => {
    const ticked = new Set([...document.querySelectorAll("#bulk input[name='tasks']:checked")].map((box) => box.value));
    const response = await fetch(window.location.href, { credentials: 'same-origin', cache: 'no-store' });
    if (!response.ok || response.redirected) throw new Error(`GET ${window.location.href}: ${response.status}`);
    const fresh = new DOMParser().parseFromString(await response.text(), 'text/html');
    const parts = ['inbox-list', 'inbox-live'].map((id) => [document.getElementById(id), fresh.getElementById(id)]);
    const views = [document.querySelector('nav.views'), fresh.querySelector('nav.views')];
    if (parts.some(([now, then]) => !now || !then) || !views[0] || !views[1]) throw new Error('not an inbox page');
    views[0].replaceWith(document.adoptNode(views[1]));
    const [list, freshList] = parts[0];
    list.replaceWith(document.adoptNode(freshList));
    live.dataset.changes = parts[1][1].dataset.changes;
    setMenuCount(Number(fresh.querySelector("header nav a[href='/inbox'] .count")?.textContent ?? 0));

    let kept = 0;
    for (const box of document.querySelectorAll("#bulk input[name='tasks']")) {
      if (ticked.has(box.value)) {
        box.checked = true;
        kept++;
      }
    }
    bindSelectAll();
    say(kept < ticked.size ? live.dataset.lostTicks : '');
    const table = document.querySelector('#inbox-list table') ?? document.getElementById('inbox-list');
    table.tabIndex = -1;
    table.focus();
  };

  // ---- Keyboard shortcuts ----

  const STORAGE_KEY = 'qualiflow.shortcuts';

  /** Fields where a letter is text: shortcuts leave them alone. A checkbox or a button is not one. */
  const typingIn = (element) => {
    if (!(element instanceof Element)) return false;
    if (element.closest('textarea, select, [contenteditable]:not([contenteditable="false"])')) return true;
    if (element instanceof HTMLInputElement) {
      return !['checkbox', 'radio', 'button', 'submit', 'reset', 'image', 'file', 'color', 'range'].includes(
        element.type,
      );
    }
    return false;
  };

  const rows = () => [...document.querySelectorAll('#inbox-list tbody tr[data-task]')];
  const linkOf = (row) => row?.querySelector('td a[href]');
  const rowOf = (element) => (element instanceof Element ? element.closest('#inbox-list tbody tr[data-task]') : null);

  /** The row the reader is on: the one holding the focus, else the one last moved to. */
  let lastRow = null;
  const currentRow = () => rowOf(document.activeElement) ?? (lastRow?.isConnected ? lastRow : null);

  const moveBy = (step) => {
    const all = rows();
    if (all.length === 0) return false;
    const at = all.indexOf(currentRow());
    const next = all[at < 0 ? (step > 0 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, at + step))];
    lastRow = next;
    linkOf(next)?.focus();
    return true;
  };

  /** c and a on the inbox: tick the row and bring the bulk button into focus. Enter then claims or approves. */
  const tickAndGoTo = (button) => {
    const row = currentRow();
    const box = row?.querySelector("input[name='tasks']");
    if (!box || !button) return false;
    if (!box.checked) box.click();
    button.focus();
    return true;
  };

  const inboxKeys = {
    j: () => moveBy(1),
    k: () => moveBy(-1),
    o: () => {
      const link = linkOf(currentRow());
      if (link) link.click();
      return !!link;
    },
    c: () => tickAndGoTo(document.querySelector("#bulk button[formaction='/inbox/bulk-claim']")),
    a: () => tickAndGoTo(document.querySelector('#bulk button[type=submit]:not([formaction])')),
  };

  const taskKeys = {
    c: () => focus(document.querySelector("form[action$='/claim'] button[type=submit]")),
    a: () => focus(document.querySelector("form[action$='/approve'] button[type=submit]")),
  };

  const focus = (element) => {
    if (!element) return false;
    element.scrollIntoView({ block: 'center' });
    element.focus();
    return true;
  };

  const bindShortcuts = (list) => {
    const toggle = document.getElementById('shortcuts-on');
    // The choice is kept in this browser; where storage is refused, the switch still works for the page.
    try {
      toggle.checked = localStorage.getItem(STORAGE_KEY) !== 'off';
    } catch {
      toggle.checked = true;
    }
    toggle.addEventListener('change', () => {
      try {
        localStorage.setItem(STORAGE_KEY, toggle.checked ? 'on' : 'off');
      } catch {
        // Kept for this page only.
      }
    });
    list.hidden = false;
    const keys = list.dataset.page === 'inbox' ? inboxKeys : taskKeys;

    document.addEventListener('keydown', (event) => {
      // Modifiers belong to the browser and to screen readers; a key composing Chinese text belongs to the IME.
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
      if (!toggle.checked || typingIn(event.target)) return;
      let done = false;
      if (event.key === '?') {
        list.open = true;
        done = focus(list.querySelector('summary'));
      } else if (Object.hasOwn(keys, event.key)) {
        done = keys[event.key]();
      } else if (list.dataset.page === 'inbox' && rowOf(event.target) && /^Arrow(Down|Up)$/.test(event.key)) {
        // The arrows move between rows only from a row: elsewhere they scroll the page, as always.
        done = moveBy(event.key === 'ArrowDown' ? 1 : -1);
      }
      if (done) event.preventDefault();
    });
  };

  bindSelectAll();
  const live = document.getElementById('inbox-live');
  if (live) followChanges(live);
  const list = document.getElementById('shortcuts');
  if (list) bindShortcuts(list);
})();
