"""Settings from clients (bad values fall back), and position conversion per encoding."""

import pytest
from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from paperls.host.settings import Settings, from_client
from paperls.lsp import convert


def test_nested_and_dotted_settings():
    s, problems = from_client({"paperls": {"nearDuplicate": {"threshold": 0.9},
                                           "severity.format": "hint"}})
    assert (s.near_threshold, s.severity_format, problems) == (0.9, "hint", [])


@pytest.mark.parametrize("raw", [
    {"nearDuplicate": {"threshold": 3}},
    {"nearDuplicate": {"threshold": "high"}},
    {"severity": {"duplicateInList": "loud"}},
    {"index": {"include": "*.txt"}},
    {"completion": {"maxItems": 0}},
])
def test_bad_values_are_reported_and_replaced_by_defaults(raw):
    s, problems = from_client(raw)
    assert s == Settings()
    assert len(problems) == 1 and "using the default" in problems[0]


def test_nonsense_is_not_a_crash():
    assert from_client("nonsense")[0] == Settings()
    assert from_client(None) == (Settings(), [])


LINE = "Abstract:𝔼 and 🧬 é↔x"


@pytest.mark.parametrize("encoding, col_after_dna", [
    (types.PositionEncodingKind.Utf16, len("Abstract:") + 2 + 5 + 2),
    (types.PositionEncodingKind.Utf8, len("Abstract:") + 4 + 5 + 4),
    (types.PositionEncodingKind.Utf32, len("Abstract:") + 1 + 5 + 1),
])
def test_columns_convert_both_ways_past_astral_characters(encoding, col_after_dna):
    codec = PositionCodec(encoding)
    cp = LINE.index("🧬") + 1
    assert convert.to_client([LINE], 0, cp, codec).character == col_after_dna
    assert convert.from_client([LINE], types.Position(0, col_after_dna), codec) == (0, cp)


def test_positions_past_the_end_are_clamped():
    codec = PositionCodec()
    lines = ["Tony", "Abstract:x"]
    assert convert.from_client(lines, types.Position(1, 999), codec) == (1, 10)
    assert convert.from_client(lines, types.Position(50, 3), codec) == (1, 10)
    assert convert.from_client([], types.Position(3, 3), codec) == (0, 0)
    assert convert.to_client(lines, 7, 99, codec) == types.Position(1, 10)


def test_settings_mirror_the_vscode_extension_key_for_key():
    import json
    from dataclasses import fields
    from pathlib import Path

    from paperls.host.settings import KEYS

    pkg = json.loads((Path(__file__).parents[2] / "client-vscode" / "package.json").read_text())
    props = pkg["contributes"]["configuration"]["properties"]
    client_only = {"paperls.server.command", "paperls.trace.server"}
    assert {k.removeprefix("paperls.") for k in props if k not in client_only} == set(KEYS)
    defaults = Settings()
    for key, name in KEYS.items():
        assert props[f"paperls.{key}"]["default"] == getattr(defaults, name), key
    assert {f.name for f in fields(Settings)} == set(KEYS.values())


def test_every_value_the_vscode_extension_offers_is_taken():
    """Each setting as VS Code's settings editor can write it: its default, every value of an
    enum, and the other position of a switch, each taken as given, with nothing said."""
    import json
    from pathlib import Path

    from paperls.host.settings import KEYS

    pkg = json.loads((Path(__file__).parents[2] / "client-vscode" / "package.json").read_text())
    props = pkg["contributes"]["configuration"]["properties"]
    for key, name in KEYS.items():
        prop = props[f"paperls.{key}"]
        values = [prop["default"], *prop.get("enum", [])]
        if prop.get("type") == "boolean":
            values.append(not prop["default"])
        for value in values:
            s, problems = from_client({"paperls": {key: value}})
            assert problems == [] and getattr(s, name) == value, (key, value, problems)


@pytest.mark.parametrize("encoding", [types.PositionEncodingKind.Utf16,
                                      types.PositionEncodingKind.Utf8,
                                      types.PositionEncodingKind.Utf32])
def test_unit_counts_match_the_client_codec_on_any_text(encoding):
    """Columns sent to the client count as pygls's codec counts, for ASCII, accents, dashes,
    CJK and characters beyond the BMP."""
    codec = PositionCodec(encoding)
    for text in ("", "plain ascii", "Pérez – naïve", "中文摘要", "𝔽 and 🧬 twice 🧬", "a\u200bb"):
        assert convert.units(text, codec) == codec.client_num_units(text), text
