// Phone simulator: keeps the page current without a reload and without losing the keyboard user's place.
// Progressive enhancement only: without this file the page is plain forms and a Refresh link's worth of HTML.
(() => {
  'use strict';

  const main = document.getElementById('main');
  const announcer = document.getElementById('announcer');
  if (!main || !announcer || !window.fetch || !window.DOMParser) {
    return;
  }

  const interval = Number(main.dataset.refreshMs) || 2000;
  let timer = 0;

  const announce = (text) => {
    if (!text) {
      return;
    }
    // Clearing first makes screen readers repeat an identical message.
    announcer.textContent = '';
    window.setTimeout(() => { announcer.textContent = text; }, 50);
  };

  // Times come in UTC; show them in the browser's zone, UTC stays in the title (shown on hover).
  const localTimes = (root) => {
    for (const time of root.querySelectorAll('time[datetime]')) {
      const instant = new Date(time.getAttribute('datetime'));
      if (!Number.isNaN(instant.getTime())) {
        time.textContent = instant.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short' });
      }
    }
  };

  // Swaps in the regions whose version changed; keeps focus on the same control when it still exists.
  const apply = (html) => {
    const fresh = new DOMParser().parseFromString(html, 'text/html');
    const news = [];
    for (const region of fresh.querySelectorAll('[data-region]')) {
      const current = document.getElementById(region.id);
      if (!current || current.dataset.version === region.dataset.version) {
        continue;
      }
      const active = document.activeElement;
      const focusedId = active && current.contains(active) ? active.id : null;
      if (region.dataset.announce && region.dataset.announce !== current.dataset.announce) {
        news.push(region.dataset.announce);
      }
      const replacement = document.importNode(region, true);
      localTimes(replacement);
      current.replaceWith(replacement);
      if (focusedId) {
        const again = document.getElementById(focusedId);
        if (again) {
          again.focus();
        }
      }
    }
    return { fresh, news };
  };

  const refresh = async () => {
    try {
      const response = await fetch(window.location.pathname, { cache: 'no-store', credentials: 'same-origin' });
      if (response.ok) {
        announce(apply(await response.text()).news.join(' '));
      }
    } catch {
      // The sandbox stopped or restarts; try again on the next tick.
    } finally {
      timer = window.setTimeout(refresh, interval);
    }
  };

  // Forms post as usual, but in the background: the answer is the page itself (post, redirect, get).
  // Each press posts once: a form already on its way ignores further presses, and a failure never re-posts.
  document.addEventListener('submit', async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-enhance')) {
      return;
    }
    event.preventDefault();
    if (form.dataset.sending) {
      return;
    }
    form.dataset.sending = 'true';
    const section = form.closest('section[id]');
    window.clearTimeout(timer);
    try {
      const response = await fetch(form.action, {
        method: 'POST',
        body: new URLSearchParams(new FormData(form, event.submitter)),
        credentials: 'same-origin',
      });
      const { fresh } = apply(await response.text());
      const said = section ? fresh.querySelector(`#${CSS.escape(section.id)} .notice`) : null;
      announce(said ? said.textContent : 'Done.');
      // The pressed button may be gone (an answered push, a reset): continue from the notice or the section's heading.
      if (!document.activeElement || document.activeElement === document.body) {
        const notice = section ? section.querySelector('.notice[tabindex]') : null;
        const landing = notice || (section && (section.querySelector('h3[tabindex]') || section));
        if (landing) {
          landing.focus({ preventScroll: landing === notice });
        }
      }
    } catch {
      announce('The sandbox did not answer. Refresh the page and try again.');
    } finally {
      delete form.dataset.sending;
    }
    timer = window.setTimeout(refresh, interval);
  });

  localTimes(document);
  timer = window.setTimeout(refresh, interval);
})();
