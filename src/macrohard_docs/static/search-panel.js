/* Search as you type, on every page: the little that loads with the page.
 * Marks furo's search box up as a combobox (still a plain form to
 * search.html) and, on its first focus, adds the index and the panel as
 * <script> elements (file:// refuses fetch(); the policy allows 'self').
 * The panel itself: search-panel-ui.js. Also the Ctrl+K shortcut. */
"use strict";
(() => {
  const root = document.documentElement.dataset.content_root || "";
  const add = (path) => new Promise((resolve, reject) => {
    const css = path.endsWith(".css");
    const element = document.createElement(css ? "link" : "script");
    if (css) { element.rel = "stylesheet"; element.href = root + path; }
    else { element.src = root + path; element.async = false; } // in order
    element.onload = resolve;
    element.onerror = () => reject(new Error(path));
    document.head.appendChild(element);
  });
  const hasIndex = () => typeof Search !== "undefined" && Search.hasIndex();
  const load = () => {
    const wanted = ["_static/search-panel.css"];
    if (typeof Stemmer === "undefined") wanted.push("_static/language_data.js");
    if (typeof Search === "undefined") wanted.push("_static/searchtools.js");
    if (!window.MACROHARD_GLOSSARY) wanted.push("_static/glossary-data.js");
    if (!window.MACROHARD_SNIPPETS) wanted.push("_static/snippets.js");
    if (!window.MacrohardSearch) wanted.push("_static/macrohard-search.js");
    wanted.push("_static/search-panel-ui.js");
    if (!hasIndex() && !document.querySelector('script[src$="searchindex.js"]')) wanted.push("searchindex.js");
    // The search page may still be reading its own searchindex.js: wait for it.
    window.MacrohardSearchLoading = Promise.all(wanted.map(add)).then(() => new Promise((resolve) => {
      const poll = () => (hasIndex() ? resolve() : setTimeout(poll, 5));
      poll();
    }));
  };
  // Ctrl+K (Cmd+K on a Mac) goes to the search box, as on most documentation
  // sites; Sphinx's doctools.js already gives "/" (ENABLE_SEARCH_SHORTCUTS).
  document.addEventListener("keydown", (event) => {
    if (event.key.toLowerCase() !== "k" || !(event.ctrlKey || event.metaKey)
        || event.altKey || event.shiftKey || event.isComposing) return;
    const boxes = [...document.querySelectorAll('input[name="q"]')];
    const box = boxes.find((b) => b.checkVisibility()) || boxes[0];
    if (!box) return;
    event.preventDefault(); // the browser's own Ctrl+K goes to its address bar
    box.focus();
    box.select();
  });
  const boxes = "form.sidebar-search-container input.sidebar-search:not([data-search-panel])";
  for (const input of document.querySelectorAll(boxes)) {
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.autocomplete = "off";
    input.maxLength = 200; // MacrohardSearch.MAX_QUERY
    input.dataset.searchPanel = "ready";
    // The live region is there from the start, so that the count is read out.
    const status = input.form.appendChild(document.createElement("div"));
    status.className = "search-panel-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    // searchtools.js empties every search box when it starts: keep what was typed.
    input.addEventListener("input", () => { input.dataset.typed = input.value; });
    // And if it emptied the box between two keys of a fast typist (it loads on
    // first focus), put the text back before the next key lands, so that key
    // adds to it instead of starting the query afresh.
    input.addEventListener("beforeinput", () => {
      if (input.value === "" && input.dataset.typed) input.value = input.dataset.typed;
    });
    input.addEventListener("focus", () => window.MacrohardSearchLoading || load(), { once: true });
  }
})();
