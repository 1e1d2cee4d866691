"""Takes screenshots of pages of a running server in Debian's Chromium, for a person to look at.

Usage: .venv/bin/python scripts/screenshots.py http://127.0.0.1:8000 /tmp/shots / /cycles/2027/ ...
Each path is shot at desktop and phone sizes, in English and in Japanese.
"""

import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def main() -> None:
    base, out, *paths = sys.argv[1:]
    Path(out).mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
        for language in ("en", "ja"):
            for label, size in (("desktop", (1280, 900)), ("phone", (390, 844))):
                context = browser.new_context(viewport={"width": size[0], "height": size[1]})
                context.add_cookies([{"name": "django_language", "value": language, "url": base}])
                page = context.new_page()
                for path in paths:
                    page.goto(base + path)
                    name = path.strip("/").replace("/", "_") or "home"
                    page.screenshot(path=f"{out}/{name}-{language}-{label}.png", full_page=True)
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
