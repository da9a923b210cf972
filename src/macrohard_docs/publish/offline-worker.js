// The edition's service worker: written by macrohard_docs.publish.webapp, which
// puts the edition's file list and its content hash in the line below.
// Hand-written (no Workbox): see that module's docstring.
const EDITION = /* EDITION */ {};
// One cache per edition and build: the scope tells two editions (and two
// deployments on one host) apart, the hash two builds.
const PREFIX = "macrohard-dossier " + self.registration.scope + " ";
const CACHE = PREFIX + EDITION.version;
const SKIPPED = /^_editions\//;  // the books and the zip: from the network, on request only

// Two files at a time: the copy stays in the background of whatever the reader
// loads next (browsers and Lighthouse count two requests in flight as a quiet network).
async function precache() {
  const cache = await caches.open(CACHE);
  const queue = EDITION.files.slice();
  const take = async () => {
    for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
      const response = await fetch(new Request(path, {cache: "no-cache"}));
      if (!response.ok) throw new Error(`${path}: ${response.status}`);
      await cache.put(path, response);
    }
  };
  try {
    await Promise.all([take(), take()]);
  } catch (error) {
    await caches.delete(CACHE);  // all or nothing, as a failed install must leave
    throw error;
  }
}

self.addEventListener("install", (event) => {
  // no skipWaiting(): a new build waits until the reader reloads (nothing changes mid-page)
  event.waitUntil(precache());
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names
      .filter((name) => name.startsWith(PREFIX) && name !== CACHE)
      .map((name) => caches.delete(name))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(self.registration.scope)) return;
  let path = request.url.slice(self.registration.scope.length).split(/[?#]/)[0];
  if (SKIPPED.test(path)) return;
  if (path === "" || path.endsWith("/")) path += "index.html";
  // Cache first: the cache is this build's, whole (install fails if any file is missing).
  event.respondWith(caches.open(CACHE)
    .then((cache) => cache.match(new URL(path, self.registration.scope).href))
    .then((hit) => hit || fetch(request)));
});

self.addEventListener("message", (event) => {
  if (event.data === "version" && event.ports[0]) event.ports[0].postMessage(EDITION.version);
  if (event.data === "update") self.skipWaiting();
});
