"""Write server/paperls/lsp/initialize-answer.json: the server's own ``initialize`` answer, which
``lsp/prestart.py`` sends before the protocol library has loaded. Run it after changing what the
server registers, or the protocol libraries; tests/unit/test_prestart_answer.py fails until then.
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))

from paperls.lsp.prestart import server_answer  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "server" / "paperls" / "lsp" / "initialize-answer.json"


def main() -> None:
    result = server_answer({"processId": None, "capabilities": {}})
    del result["capabilities"]["positionEncoding"]  # the client's choice, filled in at start
    shipped = {"made with": {"pygls": version("pygls"), "lsprotocol": version("lsprotocol")},
               "result": result}
    OUT.write_text(json.dumps(shipped, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
