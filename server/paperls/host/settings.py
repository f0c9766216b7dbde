"""Settings: one typed class that mirrors ``client-vscode/package.json`` key for key.

Values come from ``initializationOptions`` and ``workspace/configuration`` (section
``paperls``), as nested objects or dotted keys. A bad value is logged and replaced by its default,
never a crash.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, fields
from typing import Any

from ..core.codes import DEFAULT_SEVERITY, SEVERITIES
from ..core.similarity import DEFAULT_THRESHOLD, POSSIBLE_THRESHOLD

log = logging.getLogger(__name__)

DEFAULT_INCLUDE = ["**/*.txt", "**/*.abstracts"]
DEFAULT_EXCLUDE = ["**/.git/**", "**/node_modules/**", "**/.venv/**", "**/venv/**",
                   "**/__pycache__/**", "**/.tox/**"]


@dataclass(slots=True)
class Settings:
    """paperls settings; field docs are the settings' descriptions."""

    near_threshold: float = DEFAULT_THRESHOLD
    """paperls.nearDuplicate.threshold: word-level similarity (0.5 to 1) from which two
    abstracts count as versions of one paper."""
    severity_duplicate_in_list: str = DEFAULT_SEVERITY["duplicate-in-list"]
    """paperls.severity.duplicateInList"""
    severity_near_duplicate_in_list: str = DEFAULT_SEVERITY["near-duplicate-in-list"]
    """paperls.severity.nearDuplicateInList"""
    severity_duplicate_across_lists: str = DEFAULT_SEVERITY["duplicate-across-lists"]
    """paperls.severity.duplicateAcrossLists"""
    severity_near_duplicate_across_lists: str = DEFAULT_SEVERITY["near-duplicate-across-lists"]
    """paperls.severity.nearDuplicateAcrossLists"""
    possible_threshold: float = POSSIBLE_THRESHOLD
    """paperls.possibleDuplicate.threshold: word-level similarity from which a pair below the
    near-duplicate threshold is reported as probably the same paper, a revised version (default
    0.58; 1 = never; short openings are reported either way)."""
    severity_possible_duplicate_in_list: str = DEFAULT_SEVERITY["possible-duplicate-in-list"]
    """paperls.severity.possibleDuplicateInList"""
    severity_possible_duplicate_across_lists: str = DEFAULT_SEVERITY[
        "possible-duplicate-across-lists"]
    """paperls.severity.possibleDuplicateAcrossLists"""
    severity_format: str = DEFAULT_SEVERITY["format"]
    """paperls.severity.format: malformed lines (prefix missing or miscased, empty, wrapped)."""
    include: list[str] = field(default_factory=lambda: list(DEFAULT_INCLUDE))
    """paperls.index.include: globs of files that may be abstract lists."""
    exclude: list[str] = field(default_factory=lambda: list(DEFAULT_EXCLUDE))
    """paperls.index.exclude: globs never indexed (on top of .gitignore)."""
    max_file_size_mb: float = 50.0
    """paperls.index.maxFileSizeMB: larger files are skipped with a logged reason."""
    completion_max_items: int = 50
    """paperls.completion.maxItems"""
    quick_fix_other_lists: bool = False
    """paperls.quickFix.otherLists: offer quick fixes that edit other lists (another curator's)
    on information-level findings too; they are always offered on warnings and errors."""
    code_lens: bool = True
    """paperls.codeLens.enabled: lenses on abstracts with copies and on the header."""
    inlay_hints: bool = False
    """paperls.inlayHints.enabled: topic tags at the end of each abstract."""
    inlay_max_length: int = 60
    """paperls.inlayHints.maxLength: longest tag text shown."""
    references_mode: str = "copies"
    """paperls.references.mode: "copies" (every copy of the paper) or "related" (papers on the
    same topics)."""
    reference_files: bool = True
    """paperls.referenceFiles.enabled: read BibTeX (.bib), RIS (.ris) and CSL JSON files of the
    workspace, and name each abstract an entry has by the entry's real title."""
    cache_enabled: bool = True
    """paperls.cache.enabled: keep an on-disk index cache so that restarts are fast."""
    cache_directory: str = ""
    """paperls.cache.directory: where the cache lives ("" = $XDG_CACHE_HOME/paperls)."""

    def severities(self) -> dict[str, str]:
        return {
            "duplicate-in-list": self.severity_duplicate_in_list,
            "near-duplicate-in-list": self.severity_near_duplicate_in_list,
            "duplicate-across-lists": self.severity_duplicate_across_lists,
            "near-duplicate-across-lists": self.severity_near_duplicate_across_lists,
            "possible-duplicate-in-list": self.severity_possible_duplicate_in_list,
            "possible-duplicate-across-lists": self.severity_possible_duplicate_across_lists,
            "format": self.severity_format,
        }


# Client key (under "paperls.") -> field name.
KEYS: dict[str, str] = {
    "nearDuplicate.threshold": "near_threshold",
    "severity.duplicateInList": "severity_duplicate_in_list",
    "severity.nearDuplicateInList": "severity_near_duplicate_in_list",
    "severity.duplicateAcrossLists": "severity_duplicate_across_lists",
    "severity.nearDuplicateAcrossLists": "severity_near_duplicate_across_lists",
    "possibleDuplicate.threshold": "possible_threshold",
    "severity.possibleDuplicateInList": "severity_possible_duplicate_in_list",
    "severity.possibleDuplicateAcrossLists": "severity_possible_duplicate_across_lists",
    "severity.format": "severity_format",
    "index.include": "include",
    "index.exclude": "exclude",
    "index.maxFileSizeMB": "max_file_size_mb",
    "completion.maxItems": "completion_max_items",
    "quickFix.otherLists": "quick_fix_other_lists",
    "codeLens.enabled": "code_lens",
    "inlayHints.enabled": "inlay_hints",
    "inlayHints.maxLength": "inlay_max_length",
    "references.mode": "references_mode",
    "referenceFiles.enabled": "reference_files",
    "cache.enabled": "cache_enabled",
    "cache.directory": "cache_directory",
}


# Every on/off setting, from the class itself: a switch added there is read like the others.
_SWITCHES = frozenset(f.name for f in fields(Settings) if f.type in ("bool", bool))


def _flatten(obj: Any, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(obj, dict):
        for k, v in obj.items():
            key = f"{prefix}{k}"
            if isinstance(v, dict):
                out.update(_flatten(v, key + "."))
            else:
                out[key] = v
    return out


def _valid(name: str, value: Any) -> Any:
    """The value if it fits the field, else raise ValueError with a reason."""
    if name in ("near_threshold", "possible_threshold"):
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0.5 <= value <= 1:
            raise ValueError("a number from 0.5 to 1")
        return float(value)
    if name.startswith("severity_"):
        if value not in SEVERITIES:
            raise ValueError(f"one of {', '.join(SEVERITIES)}")
        return value
    if name in ("include", "exclude"):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError("a list of glob strings")
        return list(value)
    if name == "max_file_size_mb":
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ValueError("a positive number")
        return float(value)
    if name == "completion_max_items":
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1000:
            raise ValueError("a whole number from 1 to 1000")
        return value
    if name == "inlay_max_length":
        if isinstance(value, bool) or not isinstance(value, int) or not 10 <= value <= 500:
            raise ValueError("a whole number from 10 to 500")
        return value
    if name == "references_mode":
        if value not in ("copies", "related"):
            raise ValueError('"copies" or "related"')
        return value
    if name in _SWITCHES:
        if not isinstance(value, bool):
            raise ValueError("true or false")
        return value
    if name == "cache_directory":
        if not isinstance(value, str):
            raise ValueError("a folder path, or an empty string for the default")
        return value
    raise ValueError("unknown")


def from_client(raw: Any) -> tuple[Settings, list[str]]:
    """Settings from a client's object; returns them with one message per value replaced."""
    s = Settings()
    problems: list[str] = []
    if raw is None:
        return s, problems
    if not isinstance(raw, dict):
        return s, [f"paperls settings should be an object, got {type(raw).__name__}: defaults used"]
    flat = _flatten(raw.get("paperls", raw) if isinstance(raw.get("paperls"), dict) else raw)
    for key, value in flat.items():
        key = key.removeprefix("paperls.")
        name = KEYS.get(key)
        if name is None:
            continue
        if value is None:
            continue
        try:
            setattr(s, name, _valid(name, value))
        except ValueError as err:
            default = getattr(Settings(), name)
            problems.append(f"paperls.{key} = {value!r} is not valid (expected {err}); "
                            f"using the default {default!r}")
    for p in problems:
        log.warning(p)
    return s, problems


PROJECT_FILE = "paperls.toml"


def read_project(roots) -> tuple[dict, list[str]]:
    """Settings from ``paperls.toml`` at the top of each root (the first root's value wins on
    a conflict), as a ``{"paperls": {...}}`` object, and messages about unreadable files."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    merged: dict = {}
    problems: list[str] = []
    for root in reversed(list(roots)):
        path = root / PROJECT_FILE
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
            problems.append(f"{path}: not read ({err}); its settings are ignored")
            continue
        merged.update(_flatten(data.get("paperls", data)))
    return {"paperls": merged}, problems


def with_project(client_raw, project: dict) -> dict:
    """The client's settings with the project file's on top: the lists' own settings (the
    threshold, severities, what to index) travel with the lists, whoever opens them."""
    base = _flatten(client_raw.get("paperls", client_raw)) if isinstance(client_raw, dict) else {}
    base = {k.removeprefix("paperls."): v for k, v in base.items()}
    base.update(project.get("paperls", {}))
    return {"paperls": base}


assert {f.name for f in fields(Settings)} == set(KEYS.values())
