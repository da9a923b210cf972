// Sphinx's "Hide Search Matches" link is a javascript: URL, which the site's
// policy refuses: a click would do nothing but log the refusal. This does what
// the link says (see macrohard_docs.site.csp).
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element && event.target.closest(
    'a[href="javascript:SphinxHighlight.hideSearchWords()"]');
  if (!link || typeof SphinxHighlight === "undefined") return;
  event.preventDefault();
  SphinxHighlight.hideSearchWords();
});
