// In every page, so kept small: the offline app only where a worker may run (https, or http on this machine).
(() => {
  "use strict";
  const script = document.currentScript;
  if (!script || !/^https?:$/.test(location.protocol) || !window.isSecureContext
      || !("serviceWorker" in navigator)) return;
  const app = document.createElement("script");
  app.src = new URL("offline-app-ui.js", script.src).href;
  app.dataset.root = script.dataset.root;
  document.head.append(app);
})();
