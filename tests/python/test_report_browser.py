"""The HTML report as a person sees it: rendered by headless Chromium (Debian's `chromium`) to
a screenshot. The page must load, hold its sections, and the screenshot must not be blank."""
import os
import shutil
import subprocess
import sys

import matplotlib.image
import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "analysis"))
from mlcycle_analysis.report import write_report  # noqa: E402

MLCYCLE = os.environ.get("MLCYCLE", os.path.join(ROOT, "build", "release", "mlcycle"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# No sandbox as root; no GPU, first-run UI or background networking on a closed machine.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report")
    run = tmp / "two-sites.h5"
    subprocess.run([MLCYCLE, "run", os.path.join(ROOT, "scenarios", "two-sites.toml"), "-o",
                    str(run), "--quiet"], check=True)
    html = tmp / "report.html"
    write_report(str(run), str(html))
    return tmp, html


def chromium(tmp, *args):
    profile = tmp / "profile"
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make test installs it)")
def test_report_renders_in_chromium(report):
    tmp, html = report
    dom = chromium(tmp, "--dump-dom", html.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    for section in ("summary", "key-numbers", "equivalents", "plots", "campaigns"):
        assert f'id="{section}"' in dom.stdout, f"section {section} missing from the loaded page"
    assert dom.stdout.count("<img") >= 4  # the embedded figures survived loading

    shot = tmp / "report.png"
    result = chromium(tmp, "--window-size=1280,2400", f"--screenshot={shot}", html.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    image = matplotlib.image.imread(str(shot))
    assert image.shape[0] >= 2000 and image.shape[1] >= 1200
    gray = image[..., :3].mean(axis=2)
    # Not blank: text and plots make many distinct shades and a real share of non-white pixels.
    assert gray.std() > 0.05
    assert (gray < 0.9).mean() > 0.02
    assert len(np.unique((gray * 255).astype(np.uint8))) > 50
