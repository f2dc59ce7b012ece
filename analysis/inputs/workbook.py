"""What an .xlsx holds before openpyxl reads it, and what openpyxl's fast reader leaves out:
how large its parts unpack to (a workbook whose shared strings expand to a gigabyte is
refused, not read), whether it is a password-protected workbook (an OLE file holding an
``EncryptedPackage``, not the old .xls format), and its merged cells."""

from __future__ import annotations

import io
import re
import zipfile

from analysis.inputs.limits import MAX_UNPACKED_BYTES

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = ("EncryptedPackage".encode("utf-16-le"), b"EncryptedPackage")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')


def is_encrypted(data: bytes) -> bool:
    """A workbook saved with a password: Excel writes it as an OLE compound file whose
    directory names an ``EncryptedPackage`` stream."""
    return data.startswith(OLE_MAGIC) and any(marker in data for marker in _ENCRYPTED)


def unpacked_problem(data: bytes) -> str | None:
    """Why the workbook's parts are too large to unpack (None: they are not), from the
    sizes its zip directory states, before anything is unpacked."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None  # not a readable zip: the reader says so
    if total > MAX_UNPACKED_BYTES:
        return (
            f"projektmappen fylder {total // 1_000_000:,} MB udpakket; højst {MAX_UNPACKED_BYTES // 1_000_000} MB "
            "læses (er der meget tekst eller formatering uden for tabellen?)"
        ).replace(",", ".")
    return None


def merged_ranges(data: bytes, sheet_path: str) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges as (min_col, min_row, max_col, max_row), 1-based."""
    from openpyxl.utils.cell import range_boundaries

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read(sheet_path)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return []
    ranges = []
    for ref in _MERGE.findall(xml):
        ref = ref.decode("ascii")
        bounds = range_boundaries(ref if ":" in ref else f"{ref}:{ref}")
        ranges.append(tuple(int(b) for b in bounds))
    return ranges


def fill_merged(rows: dict[int, list], ranges: list[tuple[int, int, int, int]]) -> None:
    """As a person sees it: a merged cell's value holds for every cell it covers.
    ``rows``: spreadsheet row number → the row's values (0-based columns), changed in place."""
    for min_col, min_row, max_col, max_row in ranges:
        first = rows.get(min_row)
        if first is None or min_col - 1 >= len(first):
            continue
        value = first[min_col - 1]
        for r in range(min_row, max_row + 1):
            values = rows.get(r)
            if values is None:
                continue
            for c in range(min_col - 1, min(max_col, len(values))):
                values[c] = value
