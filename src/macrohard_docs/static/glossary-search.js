/* Glossary look-ups for the Macrohard dossier, on top of Sphinx's search.
 *
 * On search.html: glossary entries that match the query (names, units and
 * figures, typed as people type numbers: "550 000", "1,55 GW", "$7 billion")
 * come first, then the pages that mention a typed figure, then Sphinx's
 * results; every result gets a snippet from _static/snippets.js instead of a
 * fetch() of the page (blocked on file://), the figure highlighted whole.
 * On a glossary page: a filter box narrows the entries as one types.
 *
 * The matching itself is macrohard-search.js (window.MacrohardSearch), shared
 * with the search-as-you-type panel; MACROHARD_UI holds the translated words.
 */
"use strict";

(() => {
  // Translated words: MACROHARD_UI (every page) and MACROHARD_SEARCH_UI (glossary-data.js).
  const UI = { ...window.MACROHARD_UI, ...window.MACROHARD_SEARCH_UI };
  const engine = window.MacrohardSearch;
  if (!engine) return;
  const { tokenize, isNumber } = engine;

  /* ---- The search page -------------------------------------------------- */

  const KIND_RANK = { name: 3, unit: 2, figure: 1, derived: 0 };
  const GLOSSARY_SCORE = 1000; // above any score Sphinx gives (index entries reach 100)

  // Sphinx declares these with `const`: visible by name, not on window.
  const OPTIONS = typeof DOCUMENTATION_OPTIONS === "undefined" ? {} : DOCUMENTATION_OPTIONS;
  const pageFor = (docname) => docname + (OPTIONS.FILE_SUFFIX || ".html");

  let lastMarks = { phrases: [], numbers: [], words: [] };
  const phraseOf = new Map(); // result href -> the figure it was found for
  const entryKeys = new Set(engine.entries.map((e) => `${e.doc}#${e.anchor}`));

  const extendSearch = () => {
    // No fetch() of result pages: their snippets come from snippets.js.
    OPTIONS.SHOW_SEARCH_SUMMARY = false;

    // Every query is capped (see MAX_QUERY in macrohard-search.js), the one
    // read from the address included; so is what can be typed in the boxes.
    const sphinxSearch = Search.performSearch;
    Search.performSearch = (query) => sphinxSearch(engine.cap(query));
    for (const input of document.querySelectorAll('input[name="q"]')) input.maxLength = engine.MAX_QUERY;

    const sphinxPerform = Search._performSearch;
    Search._performSearch = (query, searchTerms, excluded, highlight, objectTerms) => {
      const results = sphinxPerform(query, searchTerms, excluded, highlight, objectTerms);
      const glossary = engine.matchEntries(query, false);
      lastMarks = engine.marksFor(query, glossary);
      const anchors = new Set(glossary.map(([, e]) => `${e.doc}#${e.anchor}`));
      // Pages that mention a typed figure rank above pages that merely share
      // its words ("122 days" above "days"); Sphinx's own hits on them go.
      const mentioned = engine.mentionPages(glossary);
      const mentionDocs = new Set(mentioned.map((m) => m.doc));
      // Sphinx matches entries as objects by substring of their labels ("55" in
      // "550,000"): ours replace those, and its index-entry hits on our matches.
      const rest = results.filter((r) => {
        const target = `${r[0]}${r[2]}`;
        if (r[6] === "object" && entryKeys.has(target)) return false;
        if (mentionDocs.has(r[0])) return false;
        return !(r[2] && anchors.has(target));
      });
      // Pages holding the typed words together go last: Sphinx shows the end first.
      const holds = engine.phraseHolder(query);
      if (holds) rest.sort((a, b) => holds(a[0]) - holds(b[0]));
      phraseOf.clear();
      const pages = mentioned.map((m, position) => {
        phraseOf.set(`${pageFor(m.doc)}${m.anchor}`, m);
        return [m.doc, m.title, m.anchor, null, GLOSSARY_SCORE - 1 - position, pageFor(m.doc), "text"];
      });
      const ours = glossary.map(([tier, entry]) => [
        entry.doc,
        entry.label,
        "#" + entry.anchor,
        UI.glossaryEntry || "glossary entry",
        GLOSSARY_SCORE + tier * 10 + KIND_RANK[entry.kind],
        pageFor(entry.doc),
        "object",
      ]);
      // Sphinx shows results from the end of the list: best last.
      ours.sort((a, b) => a[4] - b[4] || (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0));
      pages.reverse();
      return [...rest, ...pages, ...ours];
    };

    const results = document.getElementById("search-results");
    if (!results) return;
    new MutationObserver((records) => {
      for (const record of records)
        for (const node of record.addedNodes)
          if (node.nodeName === "LI" && node.parentElement?.matches("ul.search"))
            addSnippet(node);
    }).observe(results, { childList: true, subtree: true });
  };

  const entryByHref = new Map(
    engine.entries.map((e) => [`${pageFor(e.doc)}#${e.anchor}`, e]),
  );

  const addSnippet = (item) => {
    const link = item.querySelector("a");
    if (!link || item.querySelector("p.context")) return;
    const href = link.getAttribute("href") || "";
    const entry = entryByHref.get(href);
    const summary = document.createElement("p");
    summary.classList.add("context");
    if (entry) {
      summary.textContent = entry.text;
    } else {
      const suffix = OPTIONS.LINK_SUFFIX || ".html";
      const [file, anchor] = href.split("#");
      const doc = file.endsWith(suffix) ? file.slice(0, -suffix.length) : file;
      const mention = phraseOf.get(href);
      // A mention's anchor is no section: quote its section around the figure.
      const source = engine.pageText(doc, mention ? mention.section : anchor);
      if (!source) return;
      const marks = mention ? { ...lastMarks, phrases: [mention.phrase, ...lastMarks.phrases] } : lastMarks;
      const { text: quoted, ranges } = engine.snippet(source, marks);
      engine.highlightInto(summary, quoted, ranges);
    }
    if (summary.textContent) item.appendChild(summary);
  };

  /* ---- The glossary filter ---------------------------------------------- */

  const initFilter = () => {
    const lists = [...document.querySelectorAll("dl.figures-glossary")];
    if (!lists.length) return;
    const byAnchor = new Map(engine.entries.map((e) => [e.anchor, e]));
    const items = [];
    for (const list of lists)
      for (const term of list.querySelectorAll(":scope > dt")) {
        const definition = term.nextElementSibling;
        const entry = byAnchor.get(term.id);
        // What the entry says, without its "Mentioned in" list of page titles.
        const said = definition
          ? [...definition.children].filter((p) => !p.matches(".mentioned-in"))
          : [];
        const words = [term.textContent, ...said.map((p) => p.textContent)];
        if (entry) words.push(...entry.keys);
        // Token starts are marked by spaces; fields are kept apart by "|".
        const haystack = ` ${words.map((w) => tokenize(w).join(" ")).join(" | ")} `;
        items.push({ term, definition, haystack, hidden: false });
      }
    const sections = lists.map((list) => ({
      element: list.closest("section") || list,
      list,
    }));

    // The box is in the page as built (site/search.py, filter_box): made here
    // once the page was shown, it pushed the entries down.
    const input = document.getElementById("glossary-filter-input");
    const count = document.getElementById("glossary-filter-count");
    if (!input || !count) return;

    const total = items.length;
    const say = (shown) => {
      const text = (UI.filterCount || "{shown} of {total} entries")
        .replace("{shown}", shown)
        .replace("{total}", total);
      count.textContent = shown ? text : `${text}. ${UI.filterNone || ""}`.trim();
    };

    const apply = () => {
      const tokens = tokenize(input.value);
      // Runs of numbers stay together ("550 000", "1 55"); words stand alone.
      const chunks = [];
      for (const token of tokens) {
        const previous = chunks[chunks.length - 1];
        if (previous && isNumber(token) && previous.number) previous.text += " " + token;
        else chunks.push({ text: token, number: isNumber(token) });
      }
      let shown = 0;
      for (const item of items) {
        const hide = !chunks.every((c) => item.haystack.includes(" " + c.text));
        if (hide !== item.hidden) {
          item.hidden = hide;
          item.term.hidden = hide;
          if (item.definition) item.definition.hidden = hide;
        }
        if (!hide) shown++;
      }
      for (const { element, list } of sections)
        element.hidden = !list.querySelector(":scope > dt:not([hidden])");
      say(shown);
    };

    input.addEventListener("input", apply);
    input.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && input.value) {
        input.value = "";
        apply();
      }
    });
    say(total);
  };

  const start = () => {
    if (typeof Search !== "undefined" && document.getElementById("search-results")) extendSearch();
    initFilter();
  };
  // Deferred: runs after searchtools.js and before Sphinx starts the search.
  start();
})();
