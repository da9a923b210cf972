// The reader's place (macrohard_docs.site.editions).
//
// Switching language keeps it: the switcher's links take this page's query
// (?q=… on the search page) and fragment (#…) along. Both editions give a section the same id (Sphinx
// keeps the original's ids for translated titles; tests/site checks it), so
// the fragment needs no map.
//
// Landing shows it: the target of a link (a mention, a glossary entry, a
// section) is highlighted by macrohard.css (:target) and scrolled to with the
// heading of its section in view, not at the window's top edge with the
// heading scrolled away.
(() => {
  "use strict";

  const article = () => document.querySelector("article[role=main]") || document.body;
  const HEADINGS = "h1, h2, h3, h4, h5, h6";

  const keepPlace = (link) => {
    link.dataset.page ||= link.getAttribute("href");
    const target = new URL(link.dataset.page, window.location.href);
    target.search = window.location.search;
    target.hash = window.location.hash;
    link.href = target.href;
  };

  const switcherLinks = () => document.querySelectorAll(".edition-switcher a[href]");
  const updateSwitcher = () => switcherLinks().forEach(keepPlace);
  // Pressed (mouse, touch or Enter): the place as it is at that moment.
  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element && event.target.closest(".edition-switcher a[href]");
    if (link) keepPlace(link);
  }, true);

  /** The element a fragment names, if any. */
  const targetOf = (hash) => {
    if (!hash || hash.length < 2) return null;
    let id = hash.slice(1);
    try { id = decodeURIComponent(id); } catch { /* keep it as written */ }
    return document.getElementById(id);
  };

  /** Scroll so that *target* is on screen together with its section's heading when both fit. */
  const land = (target) => {
    if (!target || !article().contains(target)) return;
    target.classList.add("landed");
    const section = target.closest("section");
    const heading = target.matches(`${HEADINGS}, dt, section`) ? null
      : section && section.querySelector(`:scope > :is(${HEADINGS})`);
    if (!heading) {
      // A heading or a glossary term: at the top, below furo's header (its scroll-margin).
      target.scrollIntoView({ block: "start", behavior: "instant" });
      return;
    }
    const margin = parseFloat(getComputedStyle(target).scrollMarginTop) || 0;
    const top = heading.getBoundingClientRect().top + window.scrollY - margin;
    const bottom = target.getBoundingClientRect().bottom + window.scrollY;
    if (bottom - top <= window.innerHeight * 0.9) {
      window.scrollTo({ top, behavior: "instant" });
    } else {
      // Too far apart for one screen: the heading stays pinned (macrohard.css) above the target.
      section.classList.add("landing-section");
      target.scrollIntoView({ block: "center", behavior: "instant" });
    }
  };

  let landedOn = null;
  const landOnHash = () => {
    if (landedOn) landedOn.classList.remove("landed");
    document.querySelectorAll(".landing-section").forEach((s) => s.classList.remove("landing-section"));
    landedOn = targetOf(window.location.hash);
    land(landedOn);
    updateSwitcher();
  };

  // After the browser's own jump to the fragment, which comes with the load.
  if (document.readyState === "complete") landOnHash();
  else window.addEventListener("load", landOnHash, { once: true });
  window.addEventListener("hashchange", landOnHash);
  // A link to the fragment already in the address changes no hash: land again.
  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element && event.target.closest("a[href*='#']");
    if (!link || link.hash !== window.location.hash || link.pathname !== window.location.pathname) return;
    window.requestAnimationFrame(landOnHash);
  });
  updateSwitcher();
})();
