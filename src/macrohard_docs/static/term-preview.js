/* Term previews: a glossary link shows its entry's definition in place.
 *
 * Links to glossary entries (#fig-, #name-, #unit- anchors) carry the
 * definition in their title attribute, which is all a reader gets without
 * JavaScript. With it, hovering or focusing such a link shows the definition
 * in a popover (role="tooltip", tied to the link by aria-describedby);
 * Escape closes it; the pointer may move onto it. On a touch screen the first
 * tap shows the definition with a link to the entry, a second tap follows
 * the link. No network, no library.
 */
"use strict";

(() => {
  const UI = window.MACROHARD_UI || {};
  const ENTRY = /#(?:fig|name|unit)-[A-Za-z0-9-]+$/;
  const ID = "term-preview";
  const HOVER_DELAY = 80;
  const HIDE_DELAY = 250;

  let tip = null;
  let label = null;
  let text = null;
  let go = null;
  let current = null; // the link whose definition is shown
  let armed = null; // touch: the link whose definition a first tap showed
  let dismissed = null; // Escape: not shown again until the pointer or focus leaves
  let lastTouch = -Infinity; // time of the last touch or pen press
  let showTimer = 0;
  let hideTimer = 0;

  const termLink = (target) => {
    const link = target instanceof Element ? target.closest("a.reference.internal") : null;
    if (!link || !ENTRY.test(link.getAttribute("href") || "")) return null;
    if (link.title) {
      // The popover replaces the browser's own tooltip, which would double it.
      link.dataset.definition = link.title;
      link.removeAttribute("title");
    }
    return link.dataset.definition ? link : null;
  };

  const build = () => {
    tip = document.createElement("div");
    tip.id = ID;
    tip.className = "term-preview";
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    label = tip.appendChild(document.createElement("strong"));
    label.className = "term-preview-label";
    text = tip.appendChild(document.createElement("span"));
    text.className = "term-preview-text";
    go = tip.appendChild(document.createElement("a"));
    go.className = "term-preview-go";
    go.textContent = UI.previewGo || "Go to the entry";
    tip.addEventListener("mouseenter", () => clearTimeout(hideTimer));
    tip.addEventListener("mouseleave", () => hideSoon());
    // Inside the main landmark, where the links it explains are.
    (document.querySelector("[role=main], main") || document.body).appendChild(tip);
  };

  const place = (link) => {
    const box = link.getBoundingClientRect();
    const width = tip.offsetWidth;
    const height = tip.offsetHeight;
    const gap = 6;
    const room = document.documentElement.clientWidth;
    const left = Math.max(8, Math.min(box.left, room - width - 8));
    const below = box.bottom + gap + height <= window.innerHeight || box.top < height + gap;
    const top = below ? box.bottom + gap : box.top - gap - height;
    // Coordinates are relative to the popover's containing block.
    const origin = tip.offsetParent
      ? tip.offsetParent.getBoundingClientRect()
      : { left: -window.scrollX, top: -window.scrollY };
    const parent = tip.offsetParent || document.documentElement;
    tip.style.left = `${left - origin.left - parent.clientLeft}px`;
    tip.style.top = `${top - origin.top - parent.clientTop}px`;
  };

  const show = (link, byTouch) => {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (!tip) build();
    if (current && current !== link) current.removeAttribute("aria-describedby");
    current = link;
    label.textContent = link.textContent.trim();
    text.textContent = link.dataset.definition;
    go.href = link.href;
    go.hidden = !byTouch;
    tip.classList.toggle("term-preview-touch", byTouch);
    tip.hidden = false;
    link.setAttribute("aria-describedby", ID);
    place(link);
  };

  const hide = () => {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (tip) tip.hidden = true;
    if (current) current.removeAttribute("aria-describedby");
    current = null;
    armed = null;
  };

  const hideSoon = () => {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, HIDE_DELAY);
  };

  const inside = (node, element) => element && node instanceof Node && element.contains(node);

  const byTouch = (type) => type === "touch" || type === "pen";

  document.addEventListener("pointerdown", (event) => {
    lastTouch = byTouch(event.pointerType) ? event.timeStamp : lastTouch;
    if (current && !inside(event.target, tip) && !inside(event.target, current)) hide();
  });

  document.addEventListener("pointerover", (event) => {
    if (byTouch(event.pointerType)) return;
    const link = termLink(event.target);
    if (inside(event.target, tip) || link === current) return clearTimeout(hideTimer);
    if (!link || link === dismissed) return;
    clearTimeout(showTimer);
    showTimer = setTimeout(() => show(link, false), HOVER_DELAY);
  });

  document.addEventListener("pointerout", (event) => {
    if (byTouch(event.pointerType)) return;
    const link = termLink(event.target);
    if (!link || inside(event.relatedTarget, link)) return;
    if (link === dismissed) dismissed = null;
    clearTimeout(showTimer);
    if (link === current && !inside(event.relatedTarget, tip)) hideSoon();
  });

  document.addEventListener("focusin", (event) => {
    if (inside(event.target, tip)) return clearTimeout(hideTimer);
    const link = termLink(event.target);
    // A tap focuses the link too; the click that follows decides what to show.
    const tapped = event.timeStamp - lastTouch < 1000;
    if (link && link !== dismissed && !tapped) show(link, false);
    else if (current && !link && !tapped) hide();
  });

  document.addEventListener("focusout", (event) => {
    const link = termLink(event.target);
    if (link === dismissed) dismissed = null;
    if (!current || inside(event.relatedTarget, tip) || inside(event.relatedTarget, current)) return;
    if (armed) return;
    if (link === current || inside(event.target, tip)) hide();
  });

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || !current) return;
    const link = current;
    dismissed = link;
    hide();
    if (inside(document.activeElement, tip)) link.focus();
  });

  // Touch and pen: the first tap shows the definition, a second one follows the link.
  document.addEventListener("click", (event) => {
    if (event.timeStamp - lastTouch > 1000) return;
    const link = termLink(event.target);
    if (!link) return;
    if (armed === link) return;
    event.preventDefault();
    show(link, true);
    armed = link;
  });

  window.addEventListener("resize", () => current && place(current));
})();
