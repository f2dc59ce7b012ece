"""Install digiramme into an environment for `make setup` (and the extras for `make test`,
`make lab`, `make docs`), saying in Danish what is happening instead of a minute or two of
silence, and pinned to constraints.txt.

pip's own output (English, and setuptools' warning box about editable installs) goes to a
log file in the environment; the terminal gets a Danish line per step and, while pip works,
a line every ten seconds saying which phase it is in. On failure the log's last lines are shown with its path.

Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONSTRAINTS = ROOT / "constraints.txt"
EVERY_SECONDS = 10  # a progress line at least this often while pip works


def duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def pip(args: list[str], log: Path) -> None:
    """Run pip with its output in ``log``; say in Danish which phase it is in, at least every
    :data:`EVERY_SECONDS` (pip itself is silent for most of a minute while it installs); exit
    on failure with the log's last lines."""
    command = [sys.executable, "-m", "pip", *args, "--progress-bar", "off", "--disable-pip-version-check"]
    started = time.monotonic()
    phase = {"text": "henter og kontrollerer pakkerne", "said": started}
    done = threading.Event()

    def say() -> None:
        print(f"  {phase['text']} … ({duration(time.monotonic() - started)})", flush=True)
        phase["said"] = time.monotonic()

    def ticker() -> None:
        while not done.wait(1):
            if time.monotonic() - phase["said"] >= EVERY_SECONDS:
                say()

    with open(log, "a", encoding="utf-8") as out:
        out.write(f"\n$ {' '.join(command)}\n")
        out.flush()
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        assert process.stdout is not None
        thread = threading.Thread(target=ticker, daemon=True)
        thread.start()
        try:
            for line in process.stdout:
                out.write(line)
                installing = re.match(r"Installing collected packages: (.*)", line)
                if installing:
                    count = len(installing.group(1).split(","))
                    phase["text"] = "installerer 1 pakke" if count == 1 else f"installerer {count} pakker"
                    say()
            code = process.wait()
        finally:
            done.set()
            thread.join()
    if code != 0:
        tail = log.read_text(encoding="utf-8").splitlines()[-25:]
        print("\n".join(tail), file=sys.stderr)
        print(f"Installationen fejlede (pip afsluttede med {code}); hele forløbet står i {log}", file=sys.stderr)
        sys.exit(code)


def main() -> int:
    parser = argparse.ArgumentParser(description="Installerer digiramme i dette miljø (make setup).")
    parser.add_argument("--extras", default="", help="tilvalg fra pyproject.toml, fx test,lab,dask")
    parser.add_argument("--what", default="", help="hvad tilvalgene er, i ord")
    parser.add_argument("--upgrade-pip", action="store_true")
    args = parser.parse_args()
    log = Path(sys.prefix) / "digiramme-installation.log"
    started = time.monotonic()
    target = f".[{args.extras}]" if args.extras else "."
    if args.upgrade_pip:
        print("Opdaterer pip …", flush=True)
        pip(["install", "--upgrade", "pip"], log)
    what = args.what or "pakkerne"
    print(
        f"Installerer {what} i {sys.prefix}, fastlåst til versionerne i constraints.txt "
        "(første gang 1–2 minutter; kræver adgang til PyPI) …",
        flush=True,
    )
    pip(["install", "-c", str(CONSTRAINTS), "-e", target], log)
    print(f"Færdig på {duration(time.monotonic() - started)}; pips eget forløb står i {log}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
