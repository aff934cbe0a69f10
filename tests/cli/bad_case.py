"""One bad-input case of test_bad_inputs.py and the helpers the case tables use."""
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
from cli_support import SCENARIOS_DIR  # noqa: E402

SINGLE = SCENARIOS_DIR / "single-trial.toml"


@dataclass
class Case:
    name: str
    stderr: str                     # regex for the one stderr line (after token replacement)
    scenario: Optional[str] = None  # fixture in bad/, default command `run {f} -o {out}`
    xml: Optional[str] = None       # platform fixture in bad/ the scenario uses ({x})
    command: Optional[list] = None  # explicit arguments (tokens replaced), instead of the default
    setup: Optional[Callable] = None  # setup(tmp: Path) -> dict of extra tokens
    outputs: list = field(default_factory=lambda: ["{out}"])  # paths that must not exist


def setup_read_only_dir(tmp):
    """A directory the test user cannot create files in. Root ignores mode bits, so as root
    (where a 0555 directory is still writable) use /proc, where nobody can create files."""
    ro = tmp / "read-only"
    ro.mkdir()
    ro.chmod(0o555)
    probe = ro / "probe"
    try:
        probe.touch()
        probe.unlink()
        ro.chmod(0o755)
        ro = Path("/proc")
    except PermissionError:
        pass
    return {"rodir": str(ro)}


def setup_existing_dir(tmp):
    (tmp / "existing-dir").mkdir()
    return {}


def on_platform(xml):
    """`run bad/platform-case.toml` on the platform fixture bad/XML."""
    return ["run", "{f}", "--set", "simulation.platform=" + xml, "-o", "{out}"]


def run_single(*options):
    """`run scenarios/single-trial.toml OPTIONS -o OUT`: a good scenario, bad options."""
    return ["run", "{single}", *options, "-o", "{out}"]
