// Sphinx's search page fetches each result page to show a summary under it.
// A page opened from the file system (file://) may not fetch other files, so
// each of those fetches fails with a console error and an uncaught promise
// rejection. Offline, list the results without summaries; served over
// http(s), nothing changes. Loaded by docs/_templates/search.html after
// documentation_options.js and before the search runs (on DOMContentLoaded).
if (window.location.protocol === "file:" && typeof DOCUMENTATION_OPTIONS !== "undefined") {
  DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
}
