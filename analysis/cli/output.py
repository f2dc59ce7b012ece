"""What a command prints: exactly one JSON object with ``--json``, else Danish text; and the
inputs' warnings, which every command that reads a file passes on as ``validate`` does."""

from __future__ import annotations

import json
import sys


def warn(args, findings) -> None:
    """Pass on the warnings among ``findings`` (of the inputs, or of an option): each on
    stderr as ``validate`` writes it, and kept for the ``warnings`` key of the ``--json``
    object (:func:`emit`)."""
    lines = [str(f) for f in findings if not getattr(f, "is_error", False)]
    for line in lines:
        print(line, file=sys.stderr)
    args.warnings = [*getattr(args, "warnings", []), *lines]


def emit(args, result, as_text, as_json=lambda r: r) -> int:
    if args.json:
        payload = as_json(result)
        if isinstance(payload, dict):  # the inputs' warnings, as `validate` words them (a key added, #43)
            payload = {**payload, "warnings": [*payload.get("warnings", []), *getattr(args, "warnings", [])]}
        # strict JSON: a value that is not finite is a bug here, never "NaN" on stdout
        text = json.dumps(payload, ensure_ascii=False, indent=2, allow_nan=False)
    else:
        text = as_text(result)
    print(text)
    return 0
