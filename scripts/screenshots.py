"""Take full-page screenshots of a running Sightline (default http://127.0.0.1:5000) for review.

usage: .venv/bin/python scripts/screenshots.py [BASE_URL] [OUT_DIR] [--width PIXELS]
Signs in as each demo account and saves PNGs of its main pages to OUT_DIR (test-artifacts/screens).
--width 390 shows the pages as a phone does (the default is a laptop's 1100).
"""
from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

PAGES = {
    None: ["/", "/sign-in", "/forgotten-password", "/register", "/accessibility", "/cookies", "/no-such-page"],
    "learner@example.org": ["/my-training", "/my-training/courses/cse-level-1", "/my-training/record",
                            "/my-training/reflections", "/account", "/account/password", "/admin",
                            "/my-training/courses/cse-level-1/modules/practice-handbook/sections/8"],
    "trainer@example.org": [
        "/trainer", "/content/courses/cse-level-1", "/content/modules/practice-handbook",
        "/authoring/", "/authoring/courses/cse-level-1",
        "/authoring/files/cse-level-1/09-case-study-missing-episodes.md",
        "/authoring/files/cse-level-1/09-case-study-missing-episodes.md/preview",
        "/authoring/files/cse-level-1/course.md/history", "/authoring/courses/new",
        "/authoring/courses/cse-level-1/gift", "/authoring/courses/cse-level-1/images", "/authoring/import",
    ],
    "manager@example.org": ["/manager", "/reports", "/reports/people?status=overdue", "/reports/completions",
                            "/admin/training-matrix"],
    "manager2@example.org": ["/manager", "/reports"],
    "admin@example.org": ["/admin", "/admin/settings", "/admin/audit", "/admin/training-matrix", "/admin/training-matrix/new",
                          "/admin/import", "/admin/mail", "/admin/agencies/new"],
}

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("base", nargs="?", default="http://127.0.0.1:5000")
parser.add_argument("out", nargs="?", default="test-artifacts/screens", type=Path)
parser.add_argument("--width", type=int, default=1100)
args = parser.parse_args()

args.out.mkdir(parents=True, exist_ok=True)
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-background-networking"])
    for account, paths in PAGES.items():
        page = browser.new_context(viewport={"width": args.width, "height": 800}).new_page()
        if account:
            page.goto(args.base + "/sign-in")
            page.fill("#email", account)
            page.fill("#password", "sightline-demo")
            page.click("button:has-text('Sign in')")
        for path in paths:
            page.goto(args.base + path)
            name = f"{(account or 'visitor').split('@')[0]}_{path.strip('/').replace('/', '_') or 'home'}-{args.width}.png"
            page.screenshot(path=str(args.out / name), full_page=True)
            print(args.out / name)
    browser.close()
