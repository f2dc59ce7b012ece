"""What a command prints: exactly one JSON object with ``--json``, else Danish text."""

from __future__ import annotations

import json


def emit(args, result, as_text, as_json=lambda r: r) -> int:
    # strict JSON: a value that is not finite is a bug here, never "NaN" on stdout
    text = json.dumps(as_json(result), ensure_ascii=False, indent=2, allow_nan=False) if args.json else as_text(result)
    print(text)
    return 0
