"""Draw the web app's PNG icons from static/app-icon.svg: `.nox/tests/bin/python scripts/make_app_icons.py`.

Committed, not drawn by each build: SVG text needs Chromium or Cairo, which a fresh machine
building with --pdf off may lack, and its glyphs would follow that machine's fonts.
"""

import base64
from pathlib import Path

from playwright.sync_api import sync_playwright

STATIC = Path(__file__).resolve().parents[1] / "src" / "macrohard_docs" / "static"

with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
    svg = base64.b64encode((STATIC / "app-icon.svg").read_bytes()).decode()
    for size in (192, 512):
        page = browser.new_page(viewport={"width": size, "height": size})
        page.set_content('<style>html,body{margin:0}img{display:block}</style>'
                         f'<img src="data:image/svg+xml;base64,{svg}" width="{size}" height="{size}">')
        page.wait_for_function("document.images[0].complete")
        page.screenshot(path=str(STATIC / f"app-icon-{size}.png"), omit_background=False)
        page.close()
    browser.close()
