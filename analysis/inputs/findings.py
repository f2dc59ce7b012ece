"""Findings about input data: what is wrong (errors) and what is worth a look (warnings).

Every finding names the file, the spreadsheet row (the header is row 1) and the column,
so an analyst can go straight to the cell in Excel.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.inputs.cells import visible

ERROR = "fejl"
WARNING = "advarsel"


@dataclass(frozen=True)
class Finding:
    """One problem or remark about one place in an input file."""

    severity: str  # ERROR or WARNING
    file: str  # file name as the analyst knows it, e.g. "behovsregister.csv"
    message: str
    row: int | None = None  # spreadsheet row number; the header is row 1
    column: str | None = None
    place: str = "kolonne"  # what ``column`` names: a file's column, or a scenario file's "nøgle"

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def location(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"række {self.row}")
        where = " ".join(parts)
        if self.column is not None:
            where += f", {self.place} {visible(self.column)}"
        return where

    def __str__(self) -> str:
        prefix = "" if self.is_error else "advarsel: "
        return f"{prefix}{self.location()}: {self.message}"


class InputError(Exception):
    """Raised when input files hold errors; carries every finding, not just the first."""

    def __init__(self, findings: list[Finding]):
        self.findings = list(findings)
        errors = [f for f in self.findings if f.is_error]
        super().__init__("\n".join(str(f) for f in errors) or "ugyldige inddata")


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.is_error]


class BadArgument(ValueError):
    """A command-line or notebook parameter that cannot be used (exit code 2)."""


_OS_ERRORS = {
    "ENOENT": "stien findes ikke",
    "EACCES": "ingen adgang",
    "EPERM": "ingen adgang",
    "EROFS": "filsystemet er skrivebeskyttet",
    "ENOSPC": "disken er fuld",
    "EISDIR": "det er en mappe",
    "ENOTDIR": "en del af stien er en fil, ikke en mappe",
    "EEXIST": "findes allerede",
    "ENAMETOOLONG": "navnet er for langt",
    "ELOOP": "stien går i ring (symbolske links, der peger på hinanden)",
}


def os_error_text(exc: OSError) -> str:
    """An operating-system error in Danish, for a one-line message."""
    import errno

    code = errno.errorcode.get(exc.errno or 0, "")
    return _OS_ERRORS.get(code, f"systemfejl {code or exc.errno}")
