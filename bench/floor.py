"""paperls against the physical floor on the real corpora (../shared/corpora, 98.8k abstracts),
all in one run (#14):

- floor: read every list, lower-case and collapse whitespace, hash each abstract into a dict
  (stdlib Python, one process): what any tool that finds exact copies must pay;
- ``paperls check --no-cache`` (cold), and ``paperls check`` with its cache written (warm:
  nothing changed since the last check, so its report is printed again), from the command line
  as a user runs them, each with its peak RSS and its ratio to the floor;
- ``paperls check`` with the index cache but not the last report (what a check after an edit
  pays: every list read and parsed, the index from the cache);
- ``import paperls.lsp.server``: what a client waits for before ``initialize`` is answered.

Each figure is the best of ``--repeat`` runs (the machine is shared), with the package's
bytecode compiled first, as an install leaves it. Prints JSON.

    python3 bench/floor.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import compileall
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from corpus import CORPORA

FLOOR = r"""
import sys, time, resource
from pathlib import Path
t = time.perf_counter()
seen = {}
n = 0
for p in sorted(Path(sys.argv[1]).glob("*/*.txt")):
    lines = p.read_text(encoding="utf-8", errors="replace").split("\n")
    for i, line in enumerate(lines[1:], 2):
        if line.startswith("Abstract:"):
            seen.setdefault(hash(" ".join(line[9:].lower().split())), (p, i))
            n += 1
print(n, time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


# ``paperls check`` of the corpora as the benches time it (``latency`` too): its report written
# whole, whatever it finds
CHECK = [sys.executable, "-m", "paperls", "check", str(CORPORA), "--fail-on", "never",
         "--format", "json"]


def timed(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (MB) of a command, with its interpreter start-up."""
    wrapper = ("import resource,subprocess,sys,time;t=time.perf_counter();"
               "subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL);"
               "print(time.perf_counter()-t,"
               "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss//1024)")
    out = subprocess.run([sys.executable, "-c", wrapper, *cmd], check=True, capture_output=True,
                         text=True).stdout.split()
    return float(out[0]), int(out[1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    check = CHECK
    best: dict[str, tuple[float, int]] = {}

    def keep(name: str, got: tuple[float, int]) -> None:
        if name not in best or got[0] < best[name][0]:
            best[name] = got

    # The package's bytecode, as an install writes it: where PYTHONDONTWRITEBYTECODE is set
    # (this workplace's machines), every run would otherwise compile it in each process.
    package = subprocess.run([sys.executable, "-c", "import paperls; print(paperls.__file__)"],
                             check=True, capture_output=True, text=True).stdout.strip()
    compileall.compile_dir(str(Path(package).parent), quiet=1)
    abstracts = 0
    with tempfile.TemporaryDirectory(prefix="paperls-floor-") as tmp:
        cache = Path(tmp) / "cache"
        for _ in range(args.repeat):
            r = subprocess.run([sys.executable, "-c", FLOOR, str(CORPORA)], check=True,
                               capture_output=True, text=True).stdout.split()
            abstracts = int(r[0])
            keep("floor", (float(r[1]), int(r[2])))
            keep("cold", timed([*check, "--no-cache"]))
            subprocess.run([*check, "--cache-dir", str(cache)], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            keep("warm", timed([*check, "--cache-dir", str(cache)]))
            for report in cache.glob("check-*.json"):
                report.unlink()  # the index cache alone
            keep("warm_index", timed([*check, "--cache-dir", str(cache)]))
            keep("import_server", timed([sys.executable, "-c", "import paperls.lsp.server"]))
            keep("python", timed([sys.executable, "-c", "pass"]))
    floor = best["floor"][0]
    report = {"abstracts": abstracts, "repeat": args.repeat,
              "floor_s": round(floor, 3), "floor_rss_mb": best["floor"][1]}
    for name in ("cold", "warm", "warm_index"):
        s, mb = best[name]
        report[f"check_{name}_s"] = round(s, 3)
        report[f"check_{name}_x_floor"] = round(s / floor, 2)
        report[f"check_{name}_peak_rss_mb"] = mb
    report["import_server_ms"] = round(best["import_server"][0] * 1000)
    report["python_startup_ms"] = round(best["python"][0] * 1000)
    report["targets"] = {"check_cold_x_floor": 2.5, "check_warm_x_floor": 0.5,
                         "check_cold_peak_rss_mb": 500}
    json.dump(report, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
