"""Take full-page screenshots of a running Sightline (default http://127.0.0.1:5000) for review.

usage: .venv/bin/python scripts/screenshots.py [BASE_URL] [OUT_DIR]
Signs in as each demo account and saves PNGs of its main pages to OUT_DIR (test-artifacts/screens).
"""
from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5000"
OUT = Path(sys.argv[2] if len(sys.argv) > 2 else "test-artifacts/screens")
PAGES = {
    None: ["/", "/sign-in", "/forgotten-password", "/accessibility", "/cookies", "/no-such-page"],
    "learner@example.org": ["/my-training", "/my-training/courses/cse-level-1", "/my-training/record",
                            "/account", "/account/password", "/admin"],
    "trainer@example.org": ["/trainer"],
    "manager@example.org": ["/manager"],
    "admin@example.org": ["/admin", "/admin/audit"],
}

OUT.mkdir(parents=True, exist_ok=True)
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-background-networking"])
    for account, paths in PAGES.items():
        page = browser.new_context(viewport={"width": 1100, "height": 800}).new_page()
        if account:
            page.goto(BASE + "/sign-in")
            page.fill("#email", account)
            page.fill("#password", "sightline-demo")
            page.click("button:has-text('Sign in')")
        for path in paths:
            page.goto(BASE + path)
            name = f"{(account or 'visitor').split('@')[0]}{path.replace('/', '_') or '_home'}.png"
            page.screenshot(path=str(OUT / name), full_page=True)
            print(OUT / name)
    browser.close()
