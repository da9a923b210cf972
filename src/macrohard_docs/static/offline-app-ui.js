/* The offline app, loaded by offline-app.js where it may run: registers the
   edition's service worker (sw.js, written by macrohard_docs.publish.webapp)
   and offers the "Keep for offline reading" control in the menu and on the
   downloads page. */
(() => {
  "use strict";
  const script = document.currentScript;
  if (!script || !/^https?:$/.test(location.protocol) || !window.isSecureContext
      || !("serviceWorker" in navigator) || !("caches" in window)) return;
  const root = new URL(script.dataset.root || "./", location.href).href;
  const text = JSON.parse(script.dataset.strings || "{}");
  const CHOICE = "macrohard-offline " + root;       // "off": the reader removed the copy; "on": asked for it
  const ANNOUNCED = "macrohard-offline-new " + root; // the build the reader was last told about
  const PREFIX = "macrohard-dossier " + root + " "; // the worker's cache names (offline-worker.js)
  const workers = navigator.serviceWorker;
  const stored = (key, value) => {
    try {
      if (value === undefined) return localStorage.getItem(key);
      if (value === null) localStorage.removeItem(key); else localStorage.setItem(key, value);
    } catch (error) { /* storage refused: the choice lasts for this page */ }
    return null;
  };

  for (const [rel, href] of [["manifest", root + "manifest.webmanifest"],
                             ["stylesheet", new URL("offline-app.css", script.src).href]]) {
    const link = document.createElement("link");
    link.rel = rel;
    link.href = href;
    document.head.append(link);
  }

  // --- The control ---------------------------------------------------------------
  const controls = [];
  let state = "off";
  let summary = null;  // offline.json: {version, files, bytes}

  const size = () => summary ? text.size.replace("{n}", new Intl.NumberFormat(
    document.documentElement.lang || undefined, {maximumFractionDigits: 1}).format(summary.bytes / 1e6)) : "";

  function control(where, after) {
    const box = document.createElement("div");
    box.className = "offline-keep";
    const title = document.createElement("p");
    title.className = "offline-keep-title";
    title.textContent = text.title;
    const status = document.createElement("p");
    status.className = "offline-keep-status";
    status.setAttribute("role", "status");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "offline-keep-button";
    button.addEventListener("click", () => (state === "off" || state === "failed" ? keep(true) : remove()));
    box.append(title, status, button);
    if (after) where.after(box); else where.append(box);
    controls.push({status, button});
  }

  function show(next) {
    state = next;
    for (const {status, button} of controls) {
      status.textContent = text[state].replace("{size}", size());
      button.textContent = state === "off" || state === "failed" ? text.keep : text.remove;
    }
    document.documentElement.dataset.offline = state;  // for the tests and the styles
  }

  async function complete() {
    summary = await (await fetch(root + "offline.json", {cache: "no-cache"})).json();
    const name = PREFIX + summary.version;
    return (await caches.has(name)) && (await (await caches.open(name)).keys()).length >= summary.files;
  }

  // --- Keeping, removing ---------------------------------------------------------
  async function keep(asked) {
    if (asked) stored(CHOICE, "on");
    show("saving");
    try {
      const registration = await workers.register(root + "sw.js");
      watch(registration);
      const installing = registration.installing;
      if (installing) {
        await new Promise((resolve, reject) => installing.addEventListener("statechange", () => {
          if (installing.state === "redundant") reject(new Error("install failed"));
          if (installing.state === "activated" || installing.state === "installed") resolve();
        }));
      }
      if (!registration.active) await workers.ready;
      show((await complete()) ? "kept" : "failed");
    } catch (error) {
      show("failed");
    }
  }

  async function remove() {
    stored(CHOICE, "off");
    const registration = await workers.getRegistration(root);
    if (registration && registration.scope === root) await registration.unregister();
    controlled = false;  // keeping it again is a first copy, not a new build
    for (const name of await caches.keys()) if (name.startsWith(PREFIX)) await caches.delete(name);
    show("off");
  }

  // --- A new build online: say so once, switch only when the reader reloads ----------
  let reloading = false;
  let controlled = Boolean(workers.controller);
  workers.addEventListener("controllerchange", () => {
    if (reloading) location.reload();
    // The reader reloaded another page of the edition onto the new build: this
    // page's later requests (the search index, say) would come from it.
    else if (controlled) notify(null);
    controlled = true;
  });

  function version(worker) {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (event) => resolve(event.data);
      worker.postMessage("version", [channel.port2]);
    });
  }

  async function announce(worker) {
    if (!workers.controller) return;  // the first copy: nothing to replace
    const build = await version(worker);
    const told = stored(ANNOUNCED) === build;
    document.documentElement.dataset.offlineUpdate = told ? "told" : "shown";
    if (told) return;
    stored(ANNOUNCED, build);
    notify(worker);
  }

  function notify(worker) {  // worker: the new build's, waiting; null once it is in charge
    if (document.querySelector(".offline-update")) return;
    const notice = document.createElement("div");
    notice.className = "offline-update";
    notice.setAttribute("role", "status");
    const words = document.createElement("span");
    words.textContent = text.update;
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = text.reload;
    button.addEventListener("click", () => {
      if (!worker || worker.state === "activating" || worker.state === "activated") return location.reload();
      reloading = true;
      worker.postMessage("update");
    });
    notice.append(words, " ", button);
    document.body.append(notice);
  }

  function watch(registration) {
    if (registration.waiting) announce(registration.waiting);
    registration.addEventListener("updatefound", () => {
      const worker = registration.installing;
      if (worker) worker.addEventListener("statechange", () => {
        if (worker.state === "installed") announce(worker);
      });
    });
  }

  function start() {
    const menu = document.querySelector(".sidebar-drawer .sidebar-scroll");
    if (menu) control(menu, false);
    const downloads = document.querySelector("table.offline-downloads");
    if (downloads) control(downloads.closest(".table-wrapper") || downloads, true);
    const choice = stored(CHOICE);
    const frugal = navigator.connection && navigator.connection.saveData;
    if (choice === "off" || (frugal && choice !== "on" && !workers.controller)) {
      complete().catch(() => null).finally(() => show("off"));
    } else {
      keep(false);
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
