// The reader's place, kept and shown: CONTRIBUTING.md, "Reading".
(() => {
  const keep = () => document.querySelectorAll(".edition-switcher a").forEach((a) => {
    const url = new URL(a.dataset.page ||= a.getAttribute("href"), location.href);
    url.search = location.search;
    url.hash = location.hash;
    a.href = url.href;
  });
  const land = () => {
    keep();
    document.querySelector(".pinned")?.classList.remove("pinned");
    const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    const section = target?.closest("article section"), go = { behavior: "instant" };
    const heading = !target?.matches("dt,section,h1,h2,h3,h4") && section?.querySelector(":scope>h1,:scope>h2,:scope>h3");
    if (!heading) return target?.scrollIntoView(go);
    const top = heading.getBoundingClientRect().top + scrollY - parseFloat(getComputedStyle(target).scrollMarginTop);
    if (target.getBoundingClientRect().bottom + scrollY - top < innerHeight * 0.9) return scrollTo({ top, ...go });
    heading.classList.add("pinned"); // too far apart: the heading stays in view (macrohard.css)
    target.scrollIntoView({ block: "center", ...go });
  };
  document.readyState === "complete" ? land() : addEventListener("load", land);
  addEventListener("hashchange", land);
})();
