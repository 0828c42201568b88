#!/usr/bin/env python3
"""Certificate performance figures (printed, and merged into benchmarks/results.json).

    .venv/bin/python benchmarks/certificates.py            # every part
    .venv/bin/python benchmarks/certificates.py --part a   # one part

Parts:
  a  one certificate through CertificateRenderer.render against a bare WeasyPrint call on the
     same HTML, in the same process (target: ratio <= 1.3).

To add a part, write a ``bench_...(runs) -> dict`` function that prints its figures and returns
the keys to store, then register it in ``PARTS``.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RESULTS_FILE = ROOT / "benchmarks" / "results.json"
DESIGNS_ROOT = ROOT / "certificates"
TARGET_RATIO = 1.3


def check_harfbuzz_subset() -> bool:
    """WeasyPrint subsets fonts about ten times faster with HarfBuzz's subsetter installed."""
    try:
        result = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", "libharfbuzz-subset0"],
            capture_output=True, text=True,
        )
    except FileNotFoundError:
        print("note: dpkg-query not found; cannot check for libharfbuzz-subset0")
        return False
    installed = "install ok installed" in result.stdout
    if installed:
        print("libharfbuzz-subset0: installed")
    else:
        print("WARNING: libharfbuzz-subset0 is not installed: WeasyPrint falls back to fontTools "
              "and is about 10x slower (scripts/install-system-packages.sh installs it)")
    return installed


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def bench_single_render(runs: int) -> dict:
    """Part (a): our renderer against a bare ``HTML(string=...).write_pdf()``.

    Both produce the same certificate: the bare call gets the identical HTML with the design's
    stylesheet inlined, the design folder as base URL and the same PDF/UA-1 variant, but builds
    everything from scratch each time (new font configuration, CSS parsed again, default
    fetcher). Our side also pays for Jinja, the QR code and the locked-down fetcher.
    """
    from weasyprint import HTML

    from modules.certificates.rendering import PDF_VARIANT, CertificateRenderer
    from modules.certificates.sample import sample_certificate

    renderer = CertificateRenderer(DESIGNS_ROOT)
    data = sample_certificate()
    design_dir = DESIGNS_ROOT / "default"
    css_text = (design_dir / "certificate.css").read_text(encoding="utf-8")
    same_html = renderer.render_html(data).replace(
        "</head>", f"<style>{css_text}</style></head>", 1
    )
    base_url = design_dir.as_uri() + "/"

    def ours() -> bytes:
        return renderer.render(data)

    def bare() -> bytes:
        return HTML(string=same_html, base_url=base_url).write_pdf(pdf_variant=PDF_VARIANT)

    for _ in range(3):  # warm-up: imports, font discovery, first-use caches
        ours()
        bare()
    ours_times: list[float] = []
    bare_times: list[float] = []
    for _ in range(runs):  # interleaved, so drift in machine load hits both sides alike
        start = time.perf_counter()
        ours()
        ours_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        bare()
        bare_times.append(time.perf_counter() - start)

    ours_ms, bare_ms = median_ms(ours_times), median_ms(bare_times)
    ratio = ours_ms / bare_ms
    verdict = "OK" if ratio <= TARGET_RATIO else "OVER TARGET"
    print(f"(a) one certificate, median of {runs} runs")
    print(f"    CertificateRenderer.render          {ours_ms:7.1f} ms")
    print(f"    bare weasyprint HTML().write_pdf()  {bare_ms:7.1f} ms")
    print(f"    ratio                               {ratio:7.2f}  "
          f"(target <= {TARGET_RATIO}: {verdict})")
    return {
        "certificate_vs_weasyprint_ratio": round(ratio, 3),
        "certificate_render_median_ms": round(ours_ms, 2),
        "weasyprint_bare_median_ms": round(bare_ms, 2),
    }


PARTS: dict[str, Callable[[int], dict]] = {
    "a": bench_single_render,
}


def write_results(updates: dict) -> None:
    """Merge ``updates`` into results.json, keeping every other key (other parts write there)."""
    results = {}
    if RESULTS_FILE.exists():
        results = json.loads(RESULTS_FILE.read_text(encoding="utf-8") or "{}")
    results.update(updates)
    RESULTS_FILE.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=sorted(PARTS), action="append",
                        help="run only this part (repeatable); default: all")
    parser.add_argument("--runs", type=int, default=30, help="timed runs per measurement")
    args = parser.parse_args(argv)

    check_harfbuzz_subset()
    updates: dict = {}
    for name in args.part or sorted(PARTS):
        updates.update(PARTS[name](args.runs))
    write_results(updates)
    print(f"wrote {', '.join(sorted(updates))} to {RESULTS_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
