"""Takes screenshots of pages of a running server in Debian's Chromium, for a person to look at.

Usage: .venv/bin/python scripts/screenshots.py http://127.0.0.1:8000 /tmp/shots / /cycles/2027/ ...
Each path is shot at desktop and phone sizes, in English and in Japanese. With JIP_LOGIN=email:password
set, the browser logs in first.
"""

import os
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
                if os.environ.get("JIP_LOGIN"):
                    email, password = os.environ["JIP_LOGIN"].split(":", 1)
                    page.goto(base + "/accounts/login/")
                    page.locator("#id_login").fill(email)
                    page.locator("#id_password").fill(password)
                    page.locator("main form button").last.click()
                    page.wait_for_load_state()
                for path in paths:
                    page.goto(base + path)
                    name = path.strip("/").replace("/", "_") or "home"
                    page.screenshot(path=f"{out}/{name}-{language}-{label}.png", full_page=True)
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
