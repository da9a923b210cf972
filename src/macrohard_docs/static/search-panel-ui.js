/* Search as you type, in furo's search box, on every page: the panel.
 *
 * The box stays a plain form that opens search.html?q=… (that is what Enter
 * does with nothing selected, and all a reader gets without JavaScript).
 * With it, a panel under the box lists, after each keystroke, the glossary
 * entries that match (term, value, one-line definition) and then pages with
 * a snippet, the match highlighted whole. It follows the WAI-ARIA combobox
 * pattern with a listbox popup: the box is the combobox, Up and Down move
 * the active option (aria-activedescendant: focus never leaves the box),
 * Enter opens it, Escape closes the panel and then clears the box; the count
 * is announced in a polite live region. The panel floats over the page, so
 * nothing moves.
 *
 * This file is loaded, with the index, on the box's first focus by
 * search-panel.js, which is all a page loads before that.
 */
"use strict";

(() => {
  // Translated words: MACROHARD_UI (every page) and MACROHARD_SEARCH_UI (glossary-data.js).
  const UI = { ...window.MACROHARD_UI, ...window.MACROHARD_SEARCH_UI };
  const PAGE_LIMIT = 8;
  const ENTRY_LIMIT = 6;
  const SNIPPET_WIDTH = 120;

  const root = document.documentElement.dataset.content_root || "";
  const OPTIONS = typeof DOCUMENTATION_OPTIONS === "undefined" ? {} : DOCUMENTATION_OPTIONS;
  const suffix = OPTIONS.LINK_SUFFIX || OPTIONS.FILE_SUFFIX || ".html";

  // search-panel.js started loading the index on first focus, this file included.
  const load = () => window.MacrohardSearchLoading || Promise.reject(new Error("no loader"));

  /* ---- One combobox ------------------------------------------------------- */

  let serial = 0;

  const attach = (input) => {
    const form = input.form;
    if (!form || input.dataset.searchPanel === "on") return;
    input.dataset.searchPanel = "on";
    const id = `search-panel-${++serial}`;
    form.classList.add("search-panel-form");

    const panel = document.createElement("div");
    panel.className = "search-panel";
    panel.hidden = true;
    // "Did you mean …?": the corrected query, whose results the list shows after
    // those of the query as typed. A link to its search page; a click searches here.
    const suggestion = panel.appendChild(document.createElement("p"));
    suggestion.className = "search-panel-suggestion";
    suggestion.hidden = true;
    const list = panel.appendChild(document.createElement("div"));
    list.id = `${id}-list`;
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", UI.panelLabel || "Search suggestions");
    const note = panel.appendChild(document.createElement("p"));
    note.className = "search-panel-note";
    note.hidden = true;
    // The live region is search-panel.js's, there since the page loaded.
    const status = form.querySelector(".search-panel-status");
    form.insertBefore(panel, status);
    input.setAttribute("aria-controls", list.id);

    let options = [];
    let active = -1;
    let lastValue = input.dataset.typed ?? input.value;
    let shownFor = null;

    const open = (yes) => {
      panel.hidden = !yes;
      input.setAttribute("aria-expanded", String(yes));
      if (!yes) setActive(-1);
    };

    const setActive = (index) => {
      if (options[active]) options[active].setAttribute("aria-selected", "false");
      active = index;
      const option = options[active];
      if (option) {
        option.setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    };

    const say = (text) => {
      if (status.textContent !== text) status.textContent = text;
    };

    const option = (href, group, index) => {
      const element = group.appendChild(document.createElement("div"));
      element.id = `${id}-option-${index}`;
      element.className = "search-panel-option";
      element.setAttribute("role", "option");
      element.setAttribute("aria-selected", "false");
      element.dataset.href = href;
      options.push(element);
      return element;
    };

    const group = (label, index) => {
      const element = list.appendChild(document.createElement("div"));
      element.setAttribute("role", "group");
      const heading = element.appendChild(document.createElement("div"));
      heading.id = `${id}-group-${index}`;
      heading.className = "search-panel-group";
      heading.setAttribute("role", "presentation");
      heading.textContent = label;
      element.setAttribute("aria-labelledby", heading.id);
      return element;
    };

    const render = () => {
      const engine = window.MacrohardSearch;
      const value = input.value;
      if (!engine) return;
      const text = engine.cap(value).trim();
      shownFor = value;
      list.textContent = "";
      options = [];
      active = -1;
      input.removeAttribute("aria-activedescendant");
      note.hidden = true;
      suggestion.hidden = true;
      if (!text) {
        open(false);
        say("");
        return;
      }
      const found = engine.query(text, { pageLimit: PAGE_LIMIT });
      if (found.suggestion) {
        const href = `${form.getAttribute("action")}?q=${encodeURIComponent(found.suggestion)}`;
        engine.suggestInto(suggestion, UI.didYouMean || "Did you mean {query}?", found.suggestion, href);
        suggestion.hidden = false;
      }
      const entries = found.entries.slice(0, ENTRY_LIMIT);
      if (entries.length) {
        const entriesGroup = group(UI.panelGlossary || "Glossary", 0);
        for (const [, entry] of entries) {
          const element = option(`${root}${entry.doc}${suffix}#${entry.anchor}`, entriesGroup, options.length);
          element.classList.add("search-panel-entry");
          const term = element.appendChild(document.createElement("span"));
          term.className = "search-panel-term";
          engine.highlightInto(term, entry.label, engine.rangesIn(entry.label, found.marks));
          const definition = element.appendChild(document.createElement("span"));
          definition.className = "search-panel-definition";
          definition.textContent = entry.text;
        }
      }
      if (found.pages.length) {
        const pagesGroup = group(UI.panelPages || "Pages", 1);
        for (const page of found.pages) {
          const element = option(`${root}${page.doc}${suffix}${page.anchor || ""}`, pagesGroup, options.length);
          const title = element.appendChild(document.createElement("span"));
          title.className = "search-panel-title";
          title.textContent = page.title;
          const source = engine.pageText(page.doc, page.kind === "mention" ? page.section : page.anchor,
            page.title);
          if (source) {
            const marks = page.phrase
              ? { ...found.marks, phrases: [page.phrase, ...found.marks.phrases] } : found.marks;
            const quoted = engine.snippet(source, marks, SNIPPET_WIDTH);
            const snippet = element.appendChild(document.createElement("span"));
            snippet.className = "search-panel-snippet";
            engine.highlightInto(snippet, quoted.text, quoted.ranges);
          }
        }
      }
      const count = options.length;
      // The last option: every result, on the search page (what Enter does with none chosen).
      const all = list.appendChild(document.createElement("div"));
      all.setAttribute("role", "group");
      all.setAttribute("aria-label", UI.panelAll || "All results on the search page");
      const allOption = option(`${form.getAttribute("action")}?q=${encodeURIComponent(text)}`, all, options.length);
      allOption.classList.add("search-panel-all");
      allOption.textContent = UI.panelAll || "All results on the search page";
      open(true);
      if (count === 0) {
        // Seen as well as heard: a reader who sees only the link below might think the list failed.
        note.hidden = false;
        note.textContent = UI.panelNone || "No results. Enter searches the whole site.";
      }
      const suggested = found.suggestion ? `${suggestion.textContent} ` : "";
      if (count === 0) say(suggested + note.textContent);
      else if (count === 1) say(suggested + (UI.panelOne || "1 result. Enter opens it."));
      else say(suggested + (UI.panelCount || "{count} results").replace("{count}", count));
    };

    const showLoading = () => {
      list.textContent = "";
      options = [];
      note.hidden = false;
      note.textContent = UI.panelLoading || "Loading the search index…";
      open(true);
    };

    const update = () => {
      lastValue = input.value;
      if (window.MacrohardSearch && typeof Search !== "undefined" && Search.hasIndex()) {
        render();
        return;
      }
      if (input.value.trim()) showLoading();
      load().then(() => {
        // searchtools.js empties every search box when it starts (Search.init).
        if (input.value !== lastValue) input.value = lastValue;
        if (document.activeElement === input && shownFor !== input.value) render();
      }).catch(() => open(false));
    };

    input.addEventListener("input", update);
    // What was typed while this file loaded is answered once the index is there.
    load().then(() => {
      if (input.value !== lastValue) input.value = lastValue;
      if (document.activeElement === input && input.value.trim()) render();
    }).catch(() => {});
    input.addEventListener("blur", () => open(false));

    input.addEventListener("keydown", (event) => {
      if (event.isComposing) return;
      const count = options.length;
      switch (event.key) {
        case "ArrowDown":
        case "ArrowUp": {
          event.preventDefault();
          if (panel.hidden) {
            if (input.value.trim()) { open(true); render(); }
            if (!options.length) return;
          }
          if (!options.length) return;
          const step = event.key === "ArrowDown" ? 1 : -1;
          const next = active < 0 ? (step > 0 ? 0 : count - 1) : (active + step + count) % count;
          setActive(next);
          break;
        }
        case "Enter":
          if (!panel.hidden && options[active]) {
            event.preventDefault();
            window.location.href = options[active].dataset.href;
          }
          break; // nothing chosen: the form opens the search page
        case "Escape":
          if (!panel.hidden) {
            event.preventDefault();
            open(false);
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
            lastValue = "";
            render();
          }
          break;
        case "Tab":
          open(false);
          break;
        default:
      }
    });

    // The pointer: choosing an option keeps the focus in the box until the page changes.
    panel.addEventListener("mousedown", (event) => event.preventDefault());
    suggestion.addEventListener("click", (event) => {
      const link = event.target.closest("a");
      if (!link) return;
      event.preventDefault();
      input.value = link.dataset.query;
      update();
    });
    panel.addEventListener("click", (event) => {
      const chosen = event.target.closest('[role="option"]');
      if (chosen) window.location.href = chosen.dataset.href;
    });
    panel.addEventListener("mousemove", (event) => {
      const over = event.target.closest('[role="option"]');
      if (over && options.indexOf(over) !== active) setActive(options.indexOf(over));
    });
  };

  for (const input of document.querySelectorAll('input[data-search-panel="ready"]')) attach(input);
})();
