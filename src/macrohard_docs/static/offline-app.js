/* Loads the offline app (offline-app-ui.js) only where a service worker may
   run and the site is served: https, or http on this machine. From file://
   it does nothing, and the page loads no more than these few lines. */
(() => {
  "use strict";
  const script = document.currentScript;
  if (!script || !/^https?:$/.test(location.protocol) || !window.isSecureContext
      || !("serviceWorker" in navigator)) return;
  const app = document.createElement("script");
  app.src = new URL("offline-app-ui.js", script.src).href;
  app.dataset.root = script.dataset.root;
  app.dataset.strings = script.dataset.strings;
  document.head.append(app);
})();
