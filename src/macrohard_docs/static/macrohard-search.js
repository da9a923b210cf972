/* The search engine shared by the search page and the search-as-you-type
 * panel: glossary entries first, then the pages that mention a typed figure,
 * then Sphinx's own full-text results, each with a snippet and the match
 * highlighted whole ("1.55 GW", never "1.55 GW" half-marked).
 *
 * Data, all written at build time and loaded as plain <script>s (file://
 * forbids fetch()): MACROHARD_GLOSSARY and MACROHARD_SEARCH_RULES (the kinds'
 * rank and the folding rule, from the build's own tables; glossary-data.js),
 * MACROHARD_SNIPPETS (snippets.js), and Sphinx's searchindex.js through
 * searchtools.js's Search.
 * Exposes window.MacrohardSearch.
 */
"use strict";

(() => {
  if (window.MacrohardSearch) return;

  // A query longer than this is cut: Sphinx's full-text search builds a regular
  // expression from each word, and a word of some 32,000 characters makes that
  // throw ("Regular expression too large"), leaving the page on "Searching".
  // No figure, name or phrase of the site is anywhere near this long.
  const MAX_QUERY = 200;
  const cap = (query) => String(query || "").slice(0, MAX_QUERY);

  const RULES = window.MACROHARD_SEARCH_RULES;
  // The same rule as macrohard_docs.site.search.tokenize: fold case and accents
  // (macrohard_docs.figures.folding: its normalization, every mark dropped,
  // ligatures spelled out, lower case), then runs of digits and runs of letters.
  const { form, ligatures } = RULES.fold;
  const ligature = Object.keys(ligatures).length ? new RegExp(Object.keys(ligatures).join("|"), "g") : null;
  const fold = (text) => {
    const bare = text.normalize(form).replace(/\p{M}/gu, "");
    return (ligature ? bare.replace(ligature, (letter) => ligatures[letter]) : bare).toLowerCase();
  };
  const tokenize = (text) => fold(text).match(/\p{Nd}+|\p{L}+/gu) || [];
  const isNumber = (token) => /^\p{Nd}/u.test(token);
  // Folds each UTF-16 unit to one unit, so that positions in the folded text
  // are positions in the original (for highlighting).
  const foldOne = (char) => {
    const folded = char.normalize("NFD")[0].toLowerCase();
    return folded.length === 1 ? folded : char;
  };
  // Only capitals and non-ASCII characters need work: one pass of a regular expression.
  const foldSameLength = (text) => text.replace(/[A-Z]|[^\x00-\x7f]/g, foldOne);
  const escapeRegExp = (text) => text.replace(/[.*+\-?^${}()|[\]\\]/g, "\\$&");

  const OPTIONS = typeof DOCUMENTATION_OPTIONS === "undefined" ? {} : DOCUMENTATION_OPTIONS;
  // Among equally good matches, lower ranks first (names, then units...).
  const KIND_RANK = RULES.kindRank;

  const entries = (window.MACROHARD_GLOSSARY || []).map((entry) => ({
    ...entry,
    tokens: entry.keys.map((key) => key.split(" ")),
  }));
  const pages = window.MACROHARD_SNIPPETS || {};
  const entryTargets = new Set(entries.map((e) => `${e.doc}#${e.anchor}`));
  const labelsOn = new Map(); // glossary page -> its entries' labels
  for (const { doc, label } of entries) {
    if (!labelsOn.has(doc)) labelsOn.set(doc, []);
    labelsOn.get(doc).push(label);
  }
  const glossaryDocs = new Set(labelsOn.keys());

  /* How well query tokens match one key: 4 the whole key, 3 its start,
   * 2 its start with the last word unfinished, 1 further in, 0 not at all.
   * A number matches only whole: never from inside another number ("55" is
   * not in "1 55"), never as the start of a longer one ("200 000" is not
   * "200 000 000"), and unfinished only when `numberPrefix` (the filter). */
  const matchKey = (query, key, numberPrefix) => {
    const last = query.length - 1;
    let best = 0;
    for (let start = 0; start + last < key.length; start++) {
      if (start > 0 && isNumber(query[0]) && isNumber(key[start - 1])) continue;
      const after = key[start + last + 1];
      if (!numberPrefix && isNumber(query[last]) && after !== undefined && isNumber(after)) continue;
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

  // Every token of every key, sorted, with the positions of the entries holding it: a
  // matching key holds the query's first token (or, alone and unfinished, a token it
  // starts), so only those entries are tried (a few of thousands, at scale). Made on first use.
  let tokenIndex = null;
  const holding = (first, prefix) => {
    if (!tokenIndex) {
      const holders = new Map();
      entries.forEach((entry, position) => {
        for (const key of entry.tokens)
          for (const token of key) {
            const list = holders.get(token);
            if (!list) holders.set(token, [position]);
            else if (list[list.length - 1] !== position) list.push(position);
          }
      });
      tokenIndex = { holders, tokens: [...holders.keys()].sort() };
    }
    const { holders, tokens } = tokenIndex;
    if (!prefix) return (holders.get(first) || []).map((position) => entries[position]);
    let low = 0;
    let high = tokens.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (tokens[mid] < first) low = mid + 1; else high = mid;
    }
    const positions = new Set();
    for (let i = low; i < tokens.length && tokens[i].startsWith(first); i++)
      for (const position of holders.get(tokens[i])) positions.add(position);
    return [...positions].sort((a, b) => a - b).map((position) => entries[position]); // the entries' order
  };

  /* A query that no entry holds whole may name several side by side ("nvidia h100",
   * "elon musk tesla", "the supercomputer in memphis"): each run of typed words that is
   * the whole of a key, longest run first, finds that entry. Found so, an entry ranks as
   * a match further in (tier 1): no page is listed as mentioning it, and no word that
   * merely starts a key ("a" of "a year") brings one. Eight words are tried at most. */
  let longestKey = 0; // in tokens, made on first use
  const namedApart = (queryText) => {
    const words = queryText.split(/[\s\u00a0\u202f]+/).map(tokenize).filter((w) => w.length).slice(0, 8);
    if (words.length < 2) return [];
    if (!longestKey)
      for (const entry of entries) for (const key of entry.tokens) longestKey = Math.max(longestKey, key.length);
    const named = new Set();
    for (let i = 0; i < words.length;) {
      let next = i + 1;
      const holders = holding(words[i][0], false); // every run from here starts with this token
      for (let j = Math.min(words.length, i + longestKey); j > i; j--) {
        const run = words.slice(i, j).flat();
        const whole = holders.filter((entry) => entry.tokens.some((key) => matchKey(run, key, false) === 4));
        if (whole.length) {
          whole.forEach((entry) => named.add(entry));
          next = j;
          break;
        }
      }
      i = next;
    }
    return [...named].map((entry) => [1, entry]);
  };

  /** [tier, entry] of every entry matching the query, best first. */
  const matchEntries = (queryText, numberPrefix = false) => {
    const text = cap(queryText);
    const query = tokenize(text);
    if (!query.length) return [];
    const found = [];
    for (const entry of holding(query[0], query.length === 1 && (numberPrefix || !isNumber(query[0])))) {
      let tier = 0;
      for (const key of entry.tokens) {
        tier = Math.max(tier, matchKey(query, key, numberPrefix));
        if (tier === 4) break;
      }
      if (tier) found.push([tier, entry]);
    }
    if (!found.length) found.push(...namedApart(text));
    found.sort(([ta, a], [tb, b]) => tb - ta || KIND_RANK[a.kind] - KIND_RANK[b.kind]
      || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
    return found;
  };

  /* ---- Typo tolerance --------------------------------------------------- */

  // MACROHARD_VOCABULARY (glossary-data.js): every word of the pages and the
  // glossary, folded, with its count, and the spelling to show when folding
  // changed it ({"colossus": 41, "energie": [5, "énergie"]}).
  const vocabulary = window.MACROHARD_VOCABULARY || {};
  const words = Object.keys(vocabulary).sort();
  const countOf = (word) => { const v = vocabulary[word]; return Array.isArray(v) ? v[0] : v; };
  const spellingOf = (word) => { const v = vocabulary[word]; return Array.isArray(v) ? v[1] : word; };
  const MIN_FUZZY = 5; // shorter words are taken as typed
  // One edit from five letters, two from eight (either word's length: "tenesee"
  // is two letters short of "tennessee").
  const editsAllowed = (a, b) => (Math.max(a.length, b.length) >= 8 ? 2 : 1);

  /** A word the site holds, or the start of one (a word still being typed). */
  const isKnown = (word) => {
    let low = 0;
    let high = words.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (words[mid] < word) low = mid + 1; else high = mid;
    }
    return low < words.length && words[low].startsWith(word);
  };

  /** Damerau-Levenshtein distance (adjacent transpositions), or limit + 1 once above limit. */
  const distance = (a, b, limit) => {
    let before = null;
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const row = [i];
      let least = i;
      for (let j = 1; j <= b.length; j++) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        let d = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
        if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
          d = Math.min(d, before[j - 2] + 1);
        row.push(d);
        if (d < least) least = d;
      }
      if (least > limit) return limit + 1;
      before = previous;
      previous = row;
    }
    return previous[b.length];
  };

  const corrections = new Map();
  /** The site's word closest to a folded word the site lacks (fewest edits, then
   * most frequent), or null: numbers, short words and known words stay as typed. */
  const correctWord = (word) => {
    if (word.length < MIN_FUZZY || !/^\p{L}+$/u.test(word) || isKnown(word)) return null;
    if (corrections.has(word)) return corrections.get(word);
    let best = null;
    let bestEdits = 3;
    for (const candidate of words) {
      const limit = Math.min(editsAllowed(word, candidate), bestEdits);
      if (Math.abs(candidate.length - word.length) > limit) continue;
      const edits = distance(word, candidate, limit);
      if (edits > limit) continue;
      if (edits < bestEdits || countOf(candidate) > countOf(best)) {
        best = candidate;
        bestEdits = edits;
      }
    }
    corrections.set(word, best);
    return best;
  };

  /** The query with each misspelt word corrected ("colosus 2" -> "colossus 2"), or null. */
  const correct = (queryText) => {
    let changed = false;
    const corrected = cap(queryText).replace(/\p{L}[\p{L}\p{M}]*/gu, (typed) => {
      const word = correctWord(fold(typed));
      if (!word) return typed;
      changed = true;
      return spellingOf(word);
    });
    return changed ? corrected.trim() : null;
  };

  /** Fill `element` with a "Did you mean {query}?" line, the query a link to `href`. */
  const suggestInto = (element, template, suggested, href) => {
    const [before, after = ""] = template.split("{query}");
    element.textContent = before;
    const link = element.appendChild(document.createElement("a"));
    link.href = href;
    link.dataset.query = suggested;
    link.textContent = suggested;
    element.append(after);
  };

  /* ---- Highlighting ----------------------------------------------------- */

  const SEPARATOR = "[\\s\\u00a0\\u202f]+";
  const phraseRegExp = (phrase) => new RegExp(
    foldSameLength(phrase).trim().split(/[\s\u00a0\u202f]+/).map(escapeRegExp).join(SEPARATOR), "g");
  // Digits typed as one run ("550000") match however the page groups them
  // ("550,000", "550 000"), and never inside a longer number.
  const numberRegExp = (digits) => new RegExp(
    `(?<![\\d.,])${digits.split("").map(escapeRegExp).join("[,.\\s\\u00a0\\u202f]?")}(?![\\d]|[.,]\\d)`, "g");

  /** What to mark in texts for a query: whole figures first, then typed numbers, then words. */
  const marksFor = (queryText, matched) => {
    const tokens = tokenize(cap(queryText));
    // Each label once: at scale, many entries share one ("550,000"), and each is a search of every snippet.
    const phrases = [...new Set(matched.filter(([tier, e]) => tier >= 3 && (e.kind === "figure" || e.kind === "derived"))
      .map(([, e]) => e.label))];
    const numbers = [];
    let run = "";
    for (const token of tokens) {
      if (isNumber(token)) run += token;
      else { if (run) numbers.push(run); run = ""; }
    }
    if (run) numbers.push(run);
    const words = tokens.filter((t) => !isNumber(t) && t.length > 1);
    return { phrases, numbers, words };
  };

  /** Non-overlapping [start, end] ranges of the marks in text, in order. */
  const rangesIn = (text, marks, folded = foldSameLength(text)) => {
    const ranges = [];
    const free = (start, end) => ranges.every(([s, e]) => end <= s || start >= e);
    const add = (regexp, source) => {
      for (const match of source.matchAll(regexp)) {
        const start = match.index;
        const end = start + match[0].length;
        if (end > start && free(start, end)) ranges.push([start, end]);
      }
    };
    for (const phrase of marks.phrases) add(phraseRegExp(phrase), folded);
    for (const digits of marks.numbers) add(numberRegExp(digits), text);
    for (const word of marks.words) {
      let at = folded.indexOf(word);
      while (at > -1) {
        if (free(at, at + word.length)) ranges.push([at, at + word.length]);
        at = folded.indexOf(word, at + word.length);
      }
    }
    return ranges.sort((a, b) => a[0] - b[0]);
  };

  /** Fill `element` with text, the ranges wrapped in <span class="highlighted">. */
  const highlightInto = (element, text, ranges) => {
    element.textContent = "";
    let at = 0;
    for (const [start, end] of ranges) {
      if (start < at) continue;
      if (start > at) element.append(text.slice(at, start));
      const mark = element.appendChild(document.createElement("span"));
      mark.className = "highlighted";
      mark.textContent = text.slice(start, end);
      at = end;
    }
    if (at < text.length) element.append(text.slice(at));
  };

  /** Some `width` characters of text around the first mark, with the marks' ranges. */
  const snippet = (source, marks, width = 240) => {
    // A page text from pageText() comes with its folded twin; any other text is folded here.
    const text = typeof source === "string" ? source : source.text;
    const all = rangesIn(text, marks, typeof source === "string" ? undefined : source.folded);
    const first = marks.phrases.length ? all.find(([s, e]) =>
      marks.phrases.some((p) => foldSameLength(text.slice(s, e)).replace(/[\s\u00a0\u202f]+/g, " ")
        === foldSameLength(p).replace(/[\s\u00a0\u202f]+/g, " "))) || all[0] : all[0];
    const at = first ? first[0] : 0;
    let start = Math.max(at - Math.floor(width / 2), 0);
    // Start at a word.
    if (start > 0) {
      const space = text.indexOf(" ", start);
      if (space > -1 && space < at) start = space + 1;
    }
    const end = Math.min(start + width, text.length);
    const head = start ? "…" : "";
    const tail = end < text.length ? "…" : "";
    const body = text.slice(start, end);
    const ranges = all.filter(([s, e]) => s >= start && e <= end)
      .map(([s, e]) => [s - start + head.length, e - start + head.length]);
    return { text: head + body + tail, ranges };
  };

  // Each page's text folded once, the first time a result quotes it.
  const foldedPages = new Map();
  const foldedPage = (doc) => {
    let folded = foldedPages.get(doc);
    if (folded === undefined) foldedPages.set(doc, (folded = foldSameLength(pages[doc].t)));
    return folded;
  };

  /**
   * What a page result quotes, {text, folded}: the section an anchor names, else
   * the whole page; without the heading `shown` (the result's title, "Page ›
   * Section"), which the result's link already says.
   */
  const pageText = (doc, anchor, shown = "") => {
    const page = pages[doc];
    if (!page) return null;
    const span = anchor && page.s[anchor.replace(/^#/, "")];
    let [start, end] = span || [0, page.t.length];
    // The page text has every space as a plain one (no-break ones too).
    for (const heading of [page.h, ...shown.split(" › ")].map((h) => h.replace(/\s+/g, " "))) {
      if (heading && page.t.startsWith(heading, start)) {
        start += heading.length;
        while (page.t[start] === " ") start++;
      }
    }
    return { text: page.t.slice(start, end), folded: foldedPage(doc).slice(start, end) };
  };

  /* ---- Results ---------------------------------------------------------- */

  // Sphinx's own search, before the search page wraps it (glossary-search.js).
  const sphinxPerform = typeof Search !== "undefined" ? Search._performSearch : null;

  /** Sphinx's full-text, title and index results: [docname, title, anchor, kind], best first. */
  const sphinxResults = (queryText) => {
    if (!sphinxPerform || !Search.hasIndex()) return [];
    const [query, terms, excluded, highlight, objects] = Search._parseQuery(queryText);
    const results = sphinxPerform(query, terms, excluded, highlight, objects);
    return results.reverse().filter((r) => {
      // Our glossary entries come first on their own; Sphinx's object and
      // index hits on them would only repeat them.
      const target = `${r[0]}${r[2]}`;
      return !(r[2] && entryTargets.has(target));
    }).map((r) => ({ doc: r[0], title: r[1], anchor: r[2], kind: r[6] }));
  };

  /** Pages that mention the figures a query names, in reading order: one per section. */
  const mentionPages = (matched) => {
    const found = [];
    const seen = new Set();
    for (const [tier, entry] of matched) {
      if (tier < 3 || !entry.pages) continue;
      for (const [doc, mention, section, sectionId] of entry.pages) {
        const key = `${doc}|${section}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const page = pages[doc];
        const pageTitle = page ? page.h : doc;
        found.push({
          doc, anchor: "#" + mention, kind: "mention", phrase: entry.label, section: sectionId,
          title: section === pageTitle ? pageTitle : `${pageTitle} › ${section}`,
        });
      }
    }
    return found;
  };

  /**
   * For a query of several words, doc -> whether that page holds them together,
   * as typed ("122 days"): such pages rank above pages that only have the words
   * apart (Sphinx scores words one by one). The glossary page holds what its
   * entries' labels say. Null for a single word.
   */
  const phraseHolder = (queryText) => {
    const text = cap(queryText).trim();
    if (!/[\s\u00a0\u202f]/.test(text)) return null;
    const whole = phraseRegExp(text);
    const test = (folded) => { whole.lastIndex = 0; return whole.test(folded); };
    const held = new Map();
    return (doc) => {
      if (!held.has(doc)) {
        held.set(doc, (pages[doc] ? test(foldedPage(doc)) : false)
          || (labelsOn.get(doc) || []).some((label) => test(foldSameLength(label))));
      }
      return held.get(doc);
    };
  };

  /**
   * Everything a query finds: {entries, pages, marks, suggestion}. A query with
   * a misspelt word also finds what its correction (the suggestion) finds,
   * ranked after what the query as typed finds.
   */
  const query = (queryText, options = {}) => {
    const found = queryAsTyped(queryText, options);
    const suggestion = correct(queryText);
    if (!suggestion) return { ...found, suggestion: null };
    const fuzzy = queryAsTyped(suggestion, options);
    const anchors = new Set(found.entries.map(([, e]) => e.anchor));
    const places = new Set(found.pages.map((p) => `${p.doc}${p.anchor || ""}`));
    const limit = options.pageLimit ?? Infinity;
    const pagesFound = [...found.pages, ...fuzzy.pages.filter((p) => !places.has(`${p.doc}${p.anchor || ""}`))];
    const marks = {};
    for (const key of ["phrases", "numbers", "words"])
      marks[key] = [...new Set([...found.marks[key], ...fuzzy.marks[key]])];
    return {
      entries: [...found.entries, ...fuzzy.entries.filter(([, e]) => !anchors.has(e.anchor))],
      pages: pagesFound.slice(0, Math.max(limit, found.pages.length)),
      marks, suggestion,
    };
  };

  const queryAsTyped = (queryText, { pageLimit = Infinity } = {}) => {
    const text = cap(queryText).trim();
    if (!text) return { entries: [], pages: [], marks: { phrases: [], numbers: [], words: [] } };
    const matched = matchEntries(text);
    const marks = marksFor(text, matched);
    const mentioned = mentionPages(matched);
    const listed = new Set(mentioned.map((p) => p.doc));
    let rest = [];
    if (mentioned.length < pageLimit) {
      const seen = new Set();
      for (const result of sphinxResults(text)) {
        if (listed.has(result.doc) || glossaryDocs.has(result.doc) && result.kind === "object") continue;
        const key = `${result.doc}${result.anchor}`;
        if (seen.has(key)) continue;
        seen.add(key);
        rest.push(result);
      }
      const room = Math.max(0, pageLimit - mentioned.length);
      const holds = phraseHolder(text);
      if (holds) {
        // The pages holding the words together first, each part in Sphinx's order; pages
        // are tried only until they fill the room (a phrase test reads a whole page).
        const first = new Set();
        for (const result of rest) {
          if (first.size >= room) break;
          if (holds(result.doc)) first.add(result);
        }
        rest = [...first, ...rest.filter((result) => !first.has(result))];
      }
      rest.splice(room);
    }
    // Every section that mentions a typed figure is listed; Sphinx's results fill up to the limit.
    return { entries: matched, pages: [...mentioned, ...rest], marks };
  };

  const pageFor = (doc) => doc + (OPTIONS.LINK_SUFFIX || OPTIONS.FILE_SUFFIX || ".html");

  window.MacrohardSearch = {
    MAX_QUERY, KIND_RANK, cap, fold, tokenize, isNumber, matchEntries, marksFor, rangesIn,
    highlightInto, snippet, pageText, query, mentionPages, phraseHolder, pageFor, entries, pages,
    correct, correctWord, suggestInto,
  };
})();
