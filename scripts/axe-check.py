#!/usr/bin/env python3
"""Runs axe-core over portal pages in Debian's chromium and reports every violation.

Usage: .build/axe-venv/bin/python scripts/axe-check.py BASE_URL PATH [PATH ...]

axe-core comes from PyPI's axe-selenium-python (scripts/install-deps installs it into .build/axe-venv);
chromium is driven by Debian's chromium-driver (/usr/bin/chromedriver), never a downloaded driver.
Prints one JSON line a page: {"path", "violations": [{"id", "impact", "targets"}], "passes"}; exits 1
when any page has a violation, 2 when a page could not be checked.
"""
import json
import sys

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    base, paths = sys.argv[1].rstrip("/"), sys.argv[2:]
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--window-size=1280,1400"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_script_timeout(60)
    failed = False
    try:
        # First a page that must fail (an image without alt text): a checker that finds nothing there is broken.
        driver.get("data:text/html,<!doctype html><html lang=en><title>t</title><main><img src=x.png></main></html>")
        probe = Axe(driver)
        probe.inject()
        if not any(v["id"] == "image-alt" for v in probe.run()["violations"]):
            print("axe found no violation on a page built to have one", file=sys.stderr)
            return 2
        for path in paths:
            driver.get(base + path)
            axe = Axe(driver)
            axe.inject()
            results = axe.run()
            version = driver.execute_script("return window.axe && axe.version")
            violations = [
                {"id": v["id"], "impact": v.get("impact"), "help": v.get("help"),
                 "targets": [t for n in v["nodes"] for t in n["target"]][:10]}
                for v in results["violations"]
            ]
            failed = failed or bool(violations)
            print(json.dumps({"path": path, "violations": violations, "passes": len(results["passes"]),
                              "axe": version}), flush=True)
    finally:
        driver.quit()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
