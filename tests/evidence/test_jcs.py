"""RFC 8785 canonical JSON: hand-written vectors from the RFC, and the strict canonical-only reader."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcdesk.errors import EvidenceError
from mcdesk.evidence.jcs import canonical, loads_canonical


def test_the_rfc_8785_sample_object_gives_the_rfc_bytes() -> None:
    # RFC 8785 section 3.2.2 (input as written in the RFC, parsed by a JSON reader first).
    source = r'''{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }'''
    expected = ('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
                '"string":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}').encode()
    assert canonical(json.loads(source)) == expected


@pytest.mark.parametrize(("number", "text"), [
    (0.0, "0"), (-0.0, "0"), (1.0, "1"), (-1.5, "-1.5"), (1e20, "100000000000000000000"), (1e21, "1e+21"),
    (1e-6, "0.000001"), (1e-7, "1e-7"), (5e-324, "5e-324"), (9007199254740991, "9007199254740991"),
    (0.1 + 0.2, "0.30000000000000004"), (1.7976931348623157e308, "1.7976931348623157e+308"),
])
def test_numbers_use_the_ecmascript_shortest_form(number: float, text: str) -> None:
    assert canonical(number) == text.encode()


def test_keys_are_sorted_by_utf16_code_units_not_code_points() -> None:
    # RFC 8785 section 3.2.3: the emoji (surrogates D83D DE00) sorts before U+FB33.
    obj = {"\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh",
           "1": "One", "\U0001f600": "Emoji: Grinning Face", "\u0080": "Control",
           "\u00f6": "Latin Small Letter O With Diaeresis"}
    order = [k for k in json.loads(canonical(obj))]
    assert order == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]


def test_strings_escape_only_controls_quote_and_backslash() -> None:
    assert canonical("é\u2028/\x01\t\"\\") == '"é\u2028/\\u0001\\t\\"\\\\"'.encode()


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 2**53, {1: "x"}, "\ud800", b"bytes", {1.5}])
def test_values_json_cannot_carry_exactly_are_refused(value: object) -> None:
    with pytest.raises(EvidenceError) as info:
        canonical(value)
    assert info.value.code == "not_canonical"


def test_canonical_bytes_read_back_to_the_same_value() -> None:
    value = {"b": [1, 2.5, None, True], "a": {"z": "é", "y": ""}}
    assert loads_canonical(canonical(value)) == value


@pytest.mark.parametrize("data", [
    b'{"a": 1}',  # spacing
    b'{"b":1,"a":2}',  # key order
    b'{"a":1.0}',  # number form
    b'{"a":1E2}',
    b'{"a":"\\u0041"}',  # needless escape
    b'{"a":"\\/"}',
    b'{"a":1,"a":1}',  # duplicate key
    b'{"a":NaN}',
    b'\xef\xbb\xbf{"a":1}',  # BOM
    b'{"a":"\xff"}',  # not UTF-8
    b'{"a":1}\n',  # trailing newline
    b'{"a":',  # not JSON
    b'{"a":9007199254740993}',  # not a double: 2**53 + 1 reads back as 2**53
])
def test_anything_but_canonical_bytes_is_refused(data: bytes) -> None:
    with pytest.raises(EvidenceError) as info:
        loads_canonical(data)
    assert info.value.code in ("not_canonical", "malformed")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_the_fast_encoder_gives_exactly_the_rfc8785_package_bytes(value: object) -> None:
    import rfc8785

    try:
        expected = rfc8785.dumps(value)
    except rfc8785.CanonicalizationError:  # lone surrogates
        with pytest.raises(EvidenceError):
            canonical(value)
        return
    assert canonical(value) == expected
    assert canonical(loads_canonical(expected)) == expected


@given(st.text(alphabet=st.characters(min_codepoint=0xE000, max_codepoint=0x1F64F), min_size=1, max_size=3)
       .flatmap(lambda a: st.tuples(st.just(a), st.text(max_size=3))))
def test_keys_beyond_the_bmp_sort_like_the_rfc8785_package(keys: tuple[str, str]) -> None:
    import rfc8785

    value = {keys[0]: 1, keys[1]: 2, "a": 3}
    assert canonical(value) == rfc8785.dumps(value)
