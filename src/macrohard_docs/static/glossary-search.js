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

  const GLOSSARY_SCORE = 1000; // above any score Sphinx gives (index entries reach 100)

  // Sphinx declares these with `const`: visible by name, not on window.
  const OPTIONS = typeof DOCUMENTATION_OPTIONS === "undefined" ? {} : DOCUMENTATION_OPTIONS;
  const pageFor = (docname) => docname + (OPTIONS.FILE_SUFFIX || ".html");

  let lastMarks = { phrases: [], numbers: [], words: [] };
  let lastCount = { pages: 0, entries: 0 };
  const phraseOf = new Map(); // result href -> the figure it was found for
  const entryKeys = new Set(engine.entries.map((e) => `${e.doc}#${e.anchor}`));

  /** One query's results in Sphinx's order (best last), given Sphinx's own. */
  const ranked = (query, results) => {
    const glossary = engine.matchEntries(query, false);
    const marks = engine.marksFor(query, glossary);
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
    const pages = mentioned.map((m, position) => {
      phraseOf.set(`${pageFor(m.doc)}${m.anchor}`, m);
      return [m.doc, m.title, m.anchor, null, GLOSSARY_SCORE - 1 - position, pageFor(m.doc), "text"];
    });
    const ours = glossary.map(([tier, entry]) => [
      entry.doc,
      entry.label,
      "#" + entry.anchor,
      UI.glossaryEntry || "glossary entry",
      // A better tier first, then a lower kind rank (KIND_RANK: names first).
      GLOSSARY_SCORE + tier * 10 - engine.KIND_RANK[entry.kind],
      pageFor(entry.doc),
      "object",
    ]);
    // Sphinx shows results from the end of the list: best last.
    ours.sort((a, b) => a[4] - b[4] || (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0));
    pages.reverse();
    return { pages: [...rest, ...pages], entries: ours, marks };
  };

  /** "Did you mean …?" above the results, or nothing. */
  const suggest = (suggestion) => {
    const output = document.getElementById("search-results");
    output?.querySelector("p.search-suggestion")?.remove();
    if (!suggestion || !output) return;
    const line = document.createElement("p");
    line.className = "search-suggestion";
    engine.suggestInto(line, UI.didYouMean || "Did you mean {query}?", suggestion,
      `?q=${encodeURIComponent(suggestion)}`);
    output.insertBefore(line, output.querySelector("ul.search"));
  };

  /** "3 pages, 2 glossary entries", in the page's language. */
  const countText = ({ pages, entries }) => {
    const rules = new Intl.PluralRules(document.documentElement.lang || "en");
    const say = (count, one, other) =>
      (rules.select(count) === "one" ? one : other).replace("{count}", count);
    const parts = [];
    if (pages) parts.push(say(pages, UI.countPagesOne || "{count} page", UI.countPagesOther || "{count} pages"));
    if (entries) parts.push(say(entries, UI.countEntriesOne || "{count} glossary entry",
      UI.countEntriesOther || "{count} glossary entries"));
    if (parts.length === 2)
      return (UI.countBoth || "{pages}, {entries}").replace("{pages}", parts[0]).replace("{entries}", parts[1]);
    return parts[0] || UI.searchNone || "No results.";
  };

  const extendSearch = () => {
    // No fetch() of result pages: their snippets come from snippets.js.
    OPTIONS.SHOW_SEARCH_SUMMARY = false;

    // Every query is capped (see MAX_QUERY in macrohard-search.js), the one
    // read from the address included; so is what can be typed in the boxes.
    const sphinxSearch = Search.performSearch;
    Search.performSearch = (query) => {
      sphinxSearch(engine.cap(query));
      // One heading on the page (its <h1>, "Search"): Sphinx's "Search Results"
      // <h2> becomes a line of text, which Sphinx still fills in.
      const title = Search.title;
      if (title && title.tagName === "H2") {
        const line = document.createElement("p");
        line.className = "search-title";
        line.append(...title.childNodes);
        title.replaceWith(line);
        Search.title = line;
      }
    };
    for (const input of document.querySelectorAll('input[name="q"]')) input.maxLength = engine.MAX_QUERY;

    const sphinxPerform = Search._performSearch;
    const sphinxFor = (query) => {
      const [parsed, terms, excluded, highlight, objects] = Search._parseQuery(query);
      return sphinxPerform(parsed, terms, excluded, highlight, objects);
    };
    Search._performSearch = (query, searchTerms, excluded, highlight, objectTerms) => {
      phraseOf.clear();
      const typed = ranked(query, sphinxPerform(query, searchTerms, excluded, highlight, objectTerms));
      let { entries, pages } = typed;
      lastMarks = typed.marks;
      // A misspelt word: what its correction finds comes after what the query
      // finds as typed, entries still before pages (and in Sphinx's order, best last).
      const suggestion = engine.correct(query);
      if (suggestion) {
        const corrected = ranked(suggestion, sphinxFor(suggestion));
        const shown = new Set([...entries, ...pages].map((r) => `${r[0]}${r[2]}`));
        const more = (list) => list.filter((r) => !shown.has(`${r[0]}${r[2]}`));
        entries = [...more(corrected.entries), ...entries];
        pages = [...more(corrected.pages), ...pages];
        for (const key of Object.keys(lastMarks))
          lastMarks[key] = [...new Set([...lastMarks[key], ...corrected.marks[key]])];
      }
      suggest(suggestion);
      lastCount = { entries: entries.length, pages: new Set(pages.map((r) => r[0])).size };
      return [...pages, ...entries];
    };

    const results = document.getElementById("search-results");
    if (!results) return;
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes)
          if (node.nodeName === "LI" && node.parentElement?.matches("ul.search"))
            addSnippet(node);
        // Sphinx's summary line, once it has written it: pages and entries counted apart.
        const status = record.target;
        if (status.matches?.("p.search-summary") && status.textContent) {
          const text = countText(lastCount);
          if (status.textContent !== text) status.textContent = text;
        }
      }
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
      const source = engine.pageText(doc, mention ? mention.section : anchor, link.textContent);
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
    const sections = lists.map((list, position) => ({
      element: list.closest("section") || list, list, position, items: [],
    }));
    for (const section of sections)
      for (const term of section.list.querySelectorAll(":scope > dt")) {
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
        const item = { term, definition, haystack, anchor: term.id, hidden: false, position: items.length };
        items.push(item);
        section.items.push(item);
      }
    for (const section of sections) section.shown = section.items;
    // The sections move too, when they are siblings.
    const parent = sections[0].element.parentNode;
    const movable = sections.every((s) => s.element.parentNode === parent && s.element !== s.list);
    let sectionOrder = sections;

    // The box is in the page as built (site/search.py, add_filter_box): made here
    // once the page was shown, it pushed the entries down.
    const input = document.getElementById("glossary-filter-input");
    const count = document.getElementById("glossary-filter-count");
    if (!input || !count) return;
    const suggestion = count.parentNode.appendChild(document.createElement("p"));
    suggestion.className = "glossary-filter-suggestion";
    suggestion.hidden = true;
    const searchPage = (document.documentElement.dataset.content_root || "") + pageFor("search");

    const total = items.length;
    const say = (shown) => {
      const text = (UI.filterCount || "{shown} of {total} entries")
        .replace("{shown}", shown)
        .replace("{total}", total);
      count.textContent = shown ? text : `${text}. ${UI.filterNone || ""}`.trim();
    };

    /**
     * anchor -> score of every entry a query finds. Its figures, names and units
     * as the search reads them (macrohard-search.js: a number only whole and
     * only as the entry's own value, however grouped or spelt, "200 k"); and for
     * words alone, any entry whose text holds them (a formula's "200,000" is no
     * figure of 200,000).
     */
    const scores = (text) => {
      const found = new Map();
      const tokens = tokenize(text);
      if (!tokens.length) return found;
      for (const [tier, entry] of engine.matchEntries(text, false)) found.set(entry.anchor, 10 + tier);
      if (!tokens.some(isNumber))
        for (const item of items)
          if (!found.has(item.anchor) && tokens.every((t) => item.haystack.includes(" " + t)))
            found.set(item.anchor, 1);
      return found;
    };

    /** Best first: the entries of each list, and the lists' sections by their best. */
    const order = (score) => {
      const rank = (item) => score.get(item.anchor) || 0;
      for (const section of sections) {
        const sorted = [...section.items].sort((a, b) => rank(b) - rank(a) || a.position - b.position);
        section.best = rank(sorted[0]);
        // Only the order of the entries shown is seen: moving nodes costs a
        // layout of the whole glossary, so move them only when that order changes.
        const seen = (list) => list.filter((item) => !item.hidden);
        const before = seen(section.shown);
        if (seen(sorted).every((item, i) => before[i] === item)) continue;
        // Walking the new order, an entry moves only when it does not follow the one before it.
        let last = null;
        for (const item of sorted) {
          const end = item.definition || item.term;
          if (item.term.previousElementSibling !== last) {
            const at = last ? last.nextSibling : section.list.firstChild;
            section.list.insertBefore(item.term, at);
            if (item.definition) section.list.insertBefore(item.definition, item.term.nextSibling);
          }
          last = end;
        }
        section.shown = sorted;
      }
      if (!movable) return;
      const sorted = [...sections].sort((a, b) => b.best - a.best || a.position - b.position);
      if (sorted.every((section, i) => sectionOrder[i] === section)) return;
      // A section holds many entries: move only those out of place (as above).
      let last = sectionOrder[0].element.previousElementSibling;
      for (const section of sorted) {
        if (section.element.previousElementSibling !== last)
          parent.insertBefore(section.element, last ? last.nextSibling : parent.firstChild);
        last = section.element;
      }
      sectionOrder = sorted;
    };

    const apply = () => {
      const text = engine.cap(input.value);
      // What the query finds as typed ranks first; a misspelt word's correction adds the rest.
      const score = new Map([...scores(text)].map(([anchor, value]) => [anchor, value + 100]));
      const corrected = engine.correct(text);
      if (corrected)
        for (const [anchor, value] of scores(corrected)) if (!score.has(anchor)) score.set(anchor, value);
      const filtering = tokenize(text).length > 0;
      let shown = 0;
      for (const item of items) {
        const hide = filtering && !score.has(item.anchor);
        if (hide !== item.hidden) {
          item.hidden = hide;
          item.term.hidden = hide;
          if (item.definition) item.definition.hidden = hide;
        }
        if (!hide) shown++;
      }
      // One letter matches too much to rank: the glossary keeps its order (and is not
      // rearranged, for a layout of the whole page, at every first key).
      order(text.trim().length > 1 ? score : new Map());
      for (const { element, list } of sections)
        element.hidden = !list.querySelector(":scope > dt:not([hidden])");
      suggestion.hidden = !corrected;
      if (corrected)
        engine.suggestInto(suggestion, UI.didYouMean || "Did you mean {query}?", corrected,
          `${searchPage}?q=${encodeURIComponent(corrected)}`);
      say(shown);
    };

    input.addEventListener("input", apply);
    input.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && input.value) {
        input.value = "";
        apply();
      }
    });
    suggestion.addEventListener("click", (event) => {
      const link = event.target.closest("a");
      if (!link) return;
      event.preventDefault();
      input.value = link.dataset.query;
      input.focus();
      apply();
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
