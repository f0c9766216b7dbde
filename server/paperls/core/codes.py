"""The stable codes of every finding and their default severities: what a setting, a
``paperls.toml``, the command line and the editor all name findings by."""

from __future__ import annotations

from .parse import ProblemCode

DUPLICATE_IN_LIST = "duplicate-in-list"
NEAR_DUPLICATE_IN_LIST = "near-duplicate-in-list"
DUPLICATE_ACROSS_LISTS = "duplicate-across-lists"
NEAR_DUPLICATE_ACROSS_LISTS = "near-duplicate-across-lists"
# Probably the same paper (a revised version, a short opening): a lower confidence.
POSSIBLE_DUPLICATE_IN_LIST = "possible-duplicate-in-list"
POSSIBLE_DUPLICATE_ACROSS_LISTS = "possible-duplicate-across-lists"
DUPLICATE_CODES = (DUPLICATE_IN_LIST, NEAR_DUPLICATE_IN_LIST, DUPLICATE_ACROSS_LISTS,
                   NEAR_DUPLICATE_ACROSS_LISTS, POSSIBLE_DUPLICATE_IN_LIST,
                   POSSIBLE_DUPLICATE_ACROSS_LISTS)
# A reference file (BibTeX, RIS, CSL JSON) with an entry, or as a whole, that cannot be read.
REFERENCE_ENTRY = "reference-entry"
REFERENCE_FILE = "reference-file"
FORMAT_CODES = (*(c.value for c in ProblemCode), REFERENCE_ENTRY, REFERENCE_FILE)

SEVERITIES = ("error", "warning", "information", "hint", "off")
# A copy inside one list is a curator's mistake; the same paper in two lists is worth knowing.
DEFAULT_SEVERITY: dict[str, str] = {
    DUPLICATE_IN_LIST: "warning",
    NEAR_DUPLICATE_IN_LIST: "warning",
    DUPLICATE_ACROSS_LISTS: "information",
    NEAR_DUPLICATE_ACROSS_LISTS: "information",
    POSSIBLE_DUPLICATE_IN_LIST: "information",
    POSSIBLE_DUPLICATE_ACROSS_LISTS: "hint",
    "format": "warning",
}
