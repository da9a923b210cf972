"""The site works offline: no script, style, font or image comes from the
network (http:, https: or protocol-relative "//" URLs), in the pages or in
the stylesheets they load."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

# Scheme with an authority ("https://", "ftp://") or protocol-relative ("//").
REMOTE = re.compile(r"^\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//")
# Attributes that make the browser fetch something (not plain <a href> links).
FETCHING = {
    "link": ("href",), "script": ("src",), "img": ("src", "srcset"),
    "source": ("src", "srcset"), "video": ("src", "poster"), "audio": ("src",),
    "track": ("src",), "iframe": ("src",), "embed": ("src",), "object": ("data",),
    "input": ("src",), "image": ("href", "xlink:href"), "use": ("href", "xlink:href"),
}
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"]*?))\s*\)""", re.IGNORECASE)
CSS_IMPORT = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def srcset_urls(value: str) -> list[str]:
    """The URLs of a srcset: comma-separated "url [descriptor]" candidates."""
    return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]


def css_references(css: str) -> list[str]:
    """Every url(...) and @import target in a stylesheet (comments ignored)."""
    css = CSS_COMMENT.sub("", css)
    found = [next(group for group in match.groups() if group is not None) for match in CSS_URL.finditer(css)]
    found += [match.group(1) or match.group(2) for match in CSS_IMPORT.finditer(css)]
    return found


def remote_in_css(css: str) -> list[str]:
    return [url for url in css_references(css) if REMOTE.match(url)]


def remote_in_page(soup: BeautifulSoup) -> list[str]:
    found = []
    for name, attributes in FETCHING.items():
        for tag in soup.find_all(name):
            for attribute in attributes:
                value = tag.get(attribute)
                if value is None:
                    continue
                urls = srcset_urls(value) if attribute == "srcset" else [value]
                found += [f"<{name} {attribute}={url!r}>" for url in urls if REMOTE.match(url)]
    for style in soup.find_all("style"):
        found += [f"<style> url {url!r}" for url in remote_in_css(style.get_text())]
    for tag in soup.find_all(style=True):
        found += [f"<{tag.name} style> url {url!r}" for url in remote_in_css(tag["style"])]
    return found


def test_checkers_catch_remote_references() -> None:
    """The checkers themselves see what they must (so the tests below can fail)."""
    page = BeautifulSoup(
        '<link rel="stylesheet" href="https://cdn.example/x.css">'
        '<script src="//cdn.example/x.js"></script>'
        '<img src="a.png" srcset="a.png 1x, http://cdn.example/b.png 2x">'
        '<picture><source srcset="https://cdn.example/c.webp"></picture>'
        '<div style="background: url(http://cdn.example/d.png)"></div>'
        '<a href="https://example.org/">a plain link is not a fetch</a>'
        '<img src="data:image/png;base64,AAAA">', "html.parser")
    assert len(remote_in_page(page)) == 5
    css = ("@import url('https://fonts.example/f.css'); @import \"//fonts.example/g.css\";"
           "@font-face { src: url(https://fonts.example/f.woff2) format('woff2'); }"
           "a { background: url(\"data:image/svg+xml;charset=utf-8,<svg xmlns='http://www.w3.org/2000/svg'/>\"); }"
           "/* url(https://in.a/comment) */ b { background: url(../img/local.png) }")
    assert sorted(remote_in_css(css)) == ["//fonts.example/g.css", "https://fonts.example/f.css",
                                          "https://fonts.example/f.woff2"]


def test_pages_fetch_nothing_remote(soups: dict[str, BeautifulSoup]) -> None:
    remote = [f"{page}: {ref}" for page, soup in soups.items() for ref in remote_in_page(soup)]
    assert not remote, "pages load from the network:\n  " + "\n  ".join(remote)
    # Not vacuous: the pages do load local scripts and styles.
    for page, soup in soups.items():
        assert soup.select("link[rel=stylesheet][href]") and soup.select("script[src]"), page


def test_stylesheets_fetch_nothing_remote(html_dir: Path) -> None:
    sheets = sorted((html_dir / "_static").rglob("*.css"))
    assert any(sheet.name == "furo.css" for sheet in sheets), "furo.css not found below _static/"
    remote, references = [], 0
    for sheet in sheets:
        css = sheet.read_text(encoding="utf-8")
        references += len(css_references(css))
        remote += [f"{sheet.relative_to(html_dir).as_posix()}: {url}" for url in remote_in_css(css)]
    assert not remote, "stylesheets load from the network:\n  " + "\n  ".join(remote)
    assert references > 0, "no url(...) found in any stylesheet: is the parser broken?"
