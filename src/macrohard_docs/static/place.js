// Keeps the reader's place across editions and on landing: CONTRIBUTING.md, "Reading".
(() => {
  const keep = () => document.querySelectorAll(".edition-switcher a").forEach((a) => {
    const url = new URL(a.dataset.page ||= a.getAttribute("href"), location.href);
    url.search = location.search;
    url.hash = location.hash;
    a.href = url.href;
  });
  const land = () => {
    keep();
    document.querySelector(".landing-section")?.classList.remove("landing-section");
    const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    const section = target?.closest("article section"), go = { behavior: "instant" };
    const heading = !target?.matches("dt,section,:is(h1,h2,h3,h4)") && section?.querySelector(":scope>:is(h1,h2,h3,h4)");
    if (!heading) return target?.scrollIntoView(go);
    const top = heading.getBoundingClientRect().top + scrollY - parseFloat(getComputedStyle(target).scrollMarginTop);
    if (target.getBoundingClientRect().bottom + scrollY - top < innerHeight * 0.9) return scrollTo({ top, ...go });
    section.classList.add("landing-section");
    target.scrollIntoView({ block: "center", ...go });
  };
  document.readyState === "complete" ? land() : addEventListener("load", land);
  addEventListener("hashchange", land);
})();
