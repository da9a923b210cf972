// Milliseconds per key in the page, for scripts/bench/browser.py (each function is
// called as `(this file).name(argument)` through Playwright's page.evaluate).
({
  // Each key into the glossary filter: its input handler, then the style and layout it causes.
  filterKeys: (text) => {
    const input = document.getElementById("glossary-filter-input");
    const times = [];
    input.value = "";
    input.dispatchEvent(new Event("input"));
    for (const ch of text) {
      const t0 = performance.now();
      input.value += ch;
      input.dispatchEvent(new Event("input"));
      void document.body.offsetHeight;
      times.push(performance.now() - t0);
    }
    return times;
  },
  // In the search panel: from each keydown (or text input, for "é") to the frame that paints
  // its answer (a message posted from the next animation frame arrives after the paint).
  watchPanel: () => {
    window.__keys = [];
    let pending = null;
    addEventListener("keydown", () => { pending = performance.now(); }, true);
    addEventListener("beforeinput", () => { if (pending === null) pending = performance.now(); }, true);
    new MutationObserver(() => {
      if (pending === null || !document.querySelector(".search-panel [role=option]")) return;
      const t0 = pending;
      const channel = new MessageChannel();
      pending = null;
      channel.port1.onmessage = () => { window.__keys.push(performance.now() - t0); };
      requestAnimationFrame(() => channel.port2.postMessage(null));
    }).observe(document.querySelector("form.sidebar-search-container"), { childList: true, subtree: true });
  },
  clearPanel: () => {
    const box = document.querySelector("input.sidebar-search");
    box.value = "";
    box.dispatchEvent(new Event("input"));
    window.__keys = [];
  },
})
