/* Glossary look-ups for the Macrohard dossier, on top of Sphinx's search.
 *
 * On search.html: glossary entries that match the query (names, units and
 * figures, typed as people type numbers: "550 000", "1,55 GW", "$7 billion")
 * come first, and every result gets a snippet from _static/snippets.js
 * instead of a fetch() of the page (blocked on file://).
 * On a glossary page: a filter box narrows the entries as one types.
 *
 * Data: window.MACROHARD_GLOSSARY (glossary-data.js), MACROHARD_SNIPPETS
 * (snippets.js), MACROHARD_UI (translated words), all written at build time.
 */
"use strict";

(() => {
  const ENTRIES = window.MACROHARD_GLOSSARY || [];
  const UI = window.MACROHARD_UI || {};

  // The same rule as macrohard_docs.search.tokenize: fold case and accents,
  // then runs of digits and runs of letters.
  const fold = (text) =>
    text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  const tokenize = (text) => fold(text).match(/\p{Nd}+|\p{L}+/gu) || [];
  const isNumber = (token) => /^\p{Nd}/u.test(token);

  const entries = ENTRIES.map((entry) => ({
    ...entry,
    tokens: entry.keys.map((key) => key.split(" ")),
  }));

  /* How well query tokens match one key: 4 the whole key, 3 its start,
   * 2 its start with the last word unfinished, 1 further in, 0 not at all.
   * A number never matches from inside another ("55" is not in "1 55"),
   * and numbers match whole unless `numberPrefix` (typing in the filter). */
  const matchKey = (query, key, numberPrefix) => {
    const last = query.length - 1;
    let best = 0;
    for (let start = 0; start + last < key.length; start++) {
      if (start > 0 && isNumber(query[0]) && isNumber(key[start - 1])) continue;
      let exact = true;
      let ok = true;
      for (let i = 0; i <= last && ok; i++) {
        const want = query[i];
        const have = key[start + i];
        if (have === want) continue;
        const prefixOk =
          i === last && have.startsWith(want) && (numberPrefix || !isNumber(want));
        if (prefixOk) exact = false;
        else ok = false;
      }
      if (!ok) continue;
      let tier = 1;
      if (start === 0) tier = exact ? (query.length === key.length ? 4 : 3) : 2;
      best = Math.max(best, tier);
      if (best === 4) break;
    }
    return best;
  };

  const matchEntries = (queryText, numberPrefix) => {
    const query = tokenize(queryText);
    if (!query.length) return [];
    const found = [];
    for (const entry of entries) {
      let tier = 0;
      for (const key of entry.tokens) {
        tier = Math.max(tier, matchKey(query, key, numberPrefix));
        if (tier === 4) break;
      }
      if (tier) found.push([tier, entry]);
    }
    return found;
  };

  /* ---- The search page -------------------------------------------------- */

  const KIND_RANK = { name: 3, unit: 2, figure: 1, derived: 0 };
  const GLOSSARY_SCORE = 1000; // above any score Sphinx gives (index entries reach 100)

  // Sphinx declares these with `const`: visible by name, not on window.
  const OPTIONS = typeof DOCUMENTATION_OPTIONS === "undefined" ? {} : DOCUMENTATION_OPTIONS;
  const pageFor = (docname) => docname + (OPTIONS.FILE_SUFFIX || ".html");

  let lastTerms = [];
  const entryKeys = new Set(entries.map((e) => `${e.doc}#${e.anchor}`));

  const extendSearch = () => {
    // No fetch() of result pages: their snippets come from snippets.js.
    OPTIONS.SHOW_SEARCH_SUMMARY = false;

    const sphinxPerform = Search._performSearch;
    Search._performSearch = (query, searchTerms, excluded, highlight, objectTerms) => {
      const results = sphinxPerform(query, searchTerms, excluded, highlight, objectTerms);
      lastTerms = [...new Set([...highlight, ...searchTerms, ...tokenize(query)])];
      const glossary = matchEntries(query, false);
      const anchors = new Set(glossary.map(([, e]) => `${e.doc}#${e.anchor}`));
      // Sphinx matches entries as objects by substring of their labels ("55" in
      // "550,000"): ours replace those, and its index-entry hits on our matches.
      const rest = results.filter((r) => {
        const target = `${r[0]}${r[2]}`;
        if (r[6] === "object" && entryKeys.has(target)) return false;
        return !(r[2] && anchors.has(target));
      });
      if (!glossary.length) return rest;
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
      return [...rest, ...ours];
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
    entries.map((e) => [`${pageFor(e.doc)}#${e.anchor}`, e]),
  );

  const snippetText = (link) => {
    const href = link.getAttribute("href") || "";
    const entry = entryByHref.get(href);
    if (entry) return entry.text;
    const pages = window.MACROHARD_SNIPPETS || {};
    const [file, anchor] = href.split("#");
    const suffix = OPTIONS.LINK_SUFFIX || ".html";
    const page = pages[file.endsWith(suffix) ? file.slice(0, -suffix.length) : file];
    if (!page) return "";
    const span = anchor && page.s[anchor];
    const text = span ? page.t.slice(span[0], span[1]) : page.t;
    return around(text, lastTerms);
  };

  // Like Sphinx's makeSearchSummary: some 240 characters around the first hit.
  const around = (text, terms) => {
    const lower = text.toLowerCase();
    const hits = terms
      .map((t) => lower.indexOf(t.toLowerCase()))
      .filter((i) => i > -1);
    const at = hits.length ? Math.min(...hits) : 0;
    const start = Math.max(at - 120, 0);
    const head = start ? "…" : "";
    const tail = start + 240 < text.length ? "…" : "";
    return head + text.substr(start, 240).trim() + tail;
  };

  const addSnippet = (item) => {
    const link = item.querySelector("a");
    if (!link || item.querySelector("p.context")) return;
    const text = snippetText(link);
    if (!text) return;
    const summary = item.appendChild(document.createElement("p"));
    summary.classList.add("context");
    summary.textContent = text;
    if (typeof _highlightText === "function" && typeof SPHINX_HIGHLIGHT_ENABLED !== "undefined"
        && SPHINX_HIGHLIGHT_ENABLED)
      for (const term of lastTerms)
        if (term.length > 1) _highlightText(summary, term, "highlighted");
  };

  /* ---- The glossary filter ---------------------------------------------- */

  const initFilter = () => {
    const lists = [...document.querySelectorAll("dl.figures-glossary")];
    if (!lists.length) return;
    const byAnchor = new Map(entries.map((e) => [e.anchor, e]));
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

    const box = document.createElement("div");
    box.className = "glossary-filter";
    const label = box.appendChild(document.createElement("label"));
    label.htmlFor = "glossary-filter-input";
    label.textContent = UI.filterLabel || "Filter the glossary";
    const input = box.appendChild(document.createElement("input"));
    input.type = "search";
    input.id = "glossary-filter-input";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.setAttribute("aria-describedby", "glossary-filter-hint glossary-filter-count");
    const hint = box.appendChild(document.createElement("p"));
    hint.id = "glossary-filter-hint";
    hint.className = "glossary-filter-hint";
    hint.textContent = UI.filterHint || "";
    const count = box.appendChild(document.createElement("p"));
    count.id = "glossary-filter-count";
    count.className = "glossary-filter-count";
    count.setAttribute("role", "status");
    count.setAttribute("aria-live", "polite");
    const first = sections[0].element;
    first.parentNode.insertBefore(box, first);

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
