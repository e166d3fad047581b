"""The expression language: what is refused (with why), and values against pandas."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import headwater as hw
from headwater.pipelines.expressions import ExpressionError, compile_expression


# -- refused before any data is touched ----------------------------------------------------
@pytest.mark.parametrize("text, reason", [
    ("import os", "statements (import, def, for...) are not allowed"),
    ("from os import path", "statements (import, def, for...) are not allowed"),
    ("__import__('os')", "function '__import__' is not in the table"),
    ("x.__class__", "attribute access ('.') is not allowed"),
    ("price.values", "attribute access ('.') is not allowed"),
    ("(1).real", "attribute access ('.') is not allowed"),
    ("x[0]", "subscripts ('[...]') are not allowed"),
    ("x['a']", "subscripts ('[...]') are not allowed"),
    ("lambda: 1", "lambda is not allowed"),
    ("[v for v in x]", "comprehensions are not allowed"),
    ("{v for v in x}", "comprehensions are not allowed"),
    ("{v: 1 for v in x}", "comprehensions are not allowed"),
    ("isin(x, (v for v in y))", "comprehensions are not allowed"),
    ("open('/etc/passwd')", "function 'open' is not in the table"),
    ("eval('1')", "function 'eval' is not in the table"),
    ("exec('1')", "function 'exec' is not in the table"),
    ("getattr(x, 'y')", "function 'getattr' is not in the table"),
    ("loog(x)", "function 'loog' is not in the table; did you mean 'log'?"),
    ("log(x).real", "attribute access ('.') is not allowed"),
    ("(lambda: 1)()", "only functions of the table can be called"),
    ("x.lower()", "only functions of the table can be called"),
    ("log(x, base=2)", "log() takes positional arguments only"),
    ("(y := 1)", "assignment (':=') is not allowed"),
    ("f'{x}'", "f-strings are not allowed"),
    ("{'a': 1}", "dict literals are not allowed"),
    ("[1, 2]", "a list is allowed only after 'in' or as a function argument"),
    ("x in [y, 1]", "lists may hold only literal values"),
    ("x is None", "comparison Is is not allowed"),
    ("x @ y", "operator MatMult is not allowed"),
    ("__builtins__", "name '__builtins__' is not allowed"),
    ("log", "'log' is a function; call it"),
    ("*x", "not a valid expression"),
    ("", "the expression is empty"),
    ("x +", "not a valid expression"),
])
def test_refused_constructs(text, reason):
    with pytest.raises(ExpressionError) as err:
        compile_expression(text)
    assert reason in str(err.value)
    assert repr(text) in str(err.value)


def test_nothing_is_ever_evaluated_by_python(monkeypatch):
    import builtins

    def forbidden(*args, **kwargs):
        raise AssertionError("eval/exec must never be called")

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    df = hw.DataFrame({"a": [1.0, 2.0]})
    assert compile_expression("a * 2 + 1").evaluate(df).tolist() == [3.0, 5.0]


def test_columns_are_collected_in_order():
    expr = compile_expression("log(price) > 2 and not isnull(qty) or `unit price` < price")
    assert expr.columns == ("price", "qty", "unit price")


def test_unknown_column_suggests_the_closest():
    with pytest.raises(ExpressionError, match=r"unknown column 'prise' \(did you mean 'price'\?\)"):
        compile_expression("prise > 1").evaluate(hw.DataFrame({"price": [1.0]}))


# -- values, against pandas ----------------------------------------------------------------
@pytest.fixture
def frames():
    pdf = pd.DataFrame({
        "a": [1.0, -2.0, None, 4.0, 0.0],
        "b": [2.0, 2.0, 3.0, None, 5.0],
        "n": [1, 2, 3, 4, 5],
        "s": ["x", "y", None, "x", "z"],
        "f": [True, False, True, None, False],
    })
    pdf["f"] = pdf["f"].astype("boolean")
    return hw.DataFrame(pdf), pdf


def _same(got, expected):
    got = got.to_pandas()
    expected = pd.Series(expected)
    assert len(got) == len(expected)
    for g, e in zip(got.tolist(), expected.tolist()):
        if (e is None or e is pd.NA) and isinstance(g, (bool, np.bool_)):
            assert g is False or g == False, (got, expected)  # noqa: E712  a missing value compares False, as pandas' default dtypes
        elif e is None or e is pd.NA or (isinstance(e, float) and np.isnan(e)):
            assert g is None or g is pd.NA or (isinstance(g, float) and np.isnan(g)), (got, expected)
        else:
            assert g == pytest.approx(e), (got.tolist(), expected.tolist())


@pytest.mark.parametrize("text, expected", [
    ("a + b", lambda d: d.a + d.b),
    ("a * 2 - n", lambda d: d.a * 2 - d.n),
    ("b / n", lambda d: d.b / d.n),
    ("n // 2", lambda d: d.n // 2),
    ("n % 2", lambda d: d.n % 2),
    ("n ** 2", lambda d: d.n ** 2),
    ("-a", lambda d: -d.a),
    ("a > 0", lambda d: (d.a > 0).astype("boolean").where(d.a.notna())),
    ("1 < n <= 4", lambda d: (d.n > 1) & (d.n <= 4)),
    ("n == 3 or n == 5", lambda d: (d.n == 3) | (d.n == 5)),
    ("not (n > 2)", lambda d: ~(d.n > 2)),
    ("s == 'x'", lambda d: (d.s == "x").astype("boolean").where(d.s.notna())),
    ("s in ['x', 'z']", lambda d: d.s.isin(["x", "z"])),
    ("n not in [1, 2]", lambda d: ~d.n.isin([1, 2])),
    ("isnull(a)", lambda d: d.a.isna()),
    ("notnull(s)", lambda d: d.s.notna()),
    ("abs(a)", lambda d: d.a.abs()),
    ("sqrt(b)", lambda d: np.sqrt(d.b)),
    ("log(n)", lambda d: np.log(d.n)),
    ("log1p(b)", lambda d: np.log1p(d.b)),
    ("exp(a)", lambda d: np.exp(d.a)),
    ("clip(a, -1, 2)", lambda d: d.a.clip(-1, 2)),
    ("fillna(a, 0)", lambda d: d.a.fillna(0)),
    ("fillna(a, b)", lambda d: d.a.fillna(d.b)),
    ("where(n > 2, a, b)", lambda d: d.a.where(d.n > 2, d.b)),
    ("a if n > 2 else 0.0", lambda d: d.a.where(d.n > 2, 0.0)),
    ("maximum(a, b)", lambda d: pd.Series([2.0, 2.0, None, None, 5.0])),
    ("floor(b / 2)", lambda d: np.floor(d.b / 2)),
    ("isin(n, [2, 4])", lambda d: d.n.isin([2, 4])),
    ("`a` * 2", lambda d: d.a * 2),
])
def test_values_match_pandas(frames, text, expected):
    df, pdf = frames
    _same(compile_expression(text).evaluate(df), expected(pdf))


def test_log_and_sqrt_out_of_domain_follow_numpy():
    df = hw.DataFrame({"v": [0.0, -1.0, 4.0]})
    got = compile_expression("log(v)").evaluate(df).to_numpy()
    assert got[0] == -np.inf and np.isnan(got[1]) and got[2] == pytest.approx(np.log(4.0))
    got = compile_expression("sqrt(v)").evaluate(df).to_numpy()
    assert np.isnan(got[1]) and got[2] == 2.0


def test_kleene_logic_with_nulls(frames):
    df, _ = frames
    # null and False is False; null or True is True; otherwise null
    got = compile_expression("f and n > 10").evaluate(df).tolist()
    assert got == [False, False, False, False, False]
    got = compile_expression("f or n > 3").evaluate(df).tolist()
    assert got == [True, False, True, True, True]


def test_function_given_a_string_column_says_so():
    df = hw.DataFrame({"s": ["a", "b"]})
    with pytest.raises(ExpressionError, match="log\\(\\) failed: needs a numeric column, got a string column"):
        compile_expression("log(s)").evaluate(df)


def test_constants():
    df = hw.DataFrame({"a": [1.0, 2.0]})
    assert compile_expression("a * 2 + inf > 0").evaluate(df).tolist() == [True, True]
    assert compile_expression("3 > 2").evaluate(df) is True


def test_string_functions_match_pandas():
    pdf = pd.DataFrame({"s": ["Apple ", "banana", None, "APPLE pie"]})
    df = hw.DataFrame(pdf)
    assert compile_expression("lower(s)").evaluate(df).tolist() == ["apple ", "banana", None, "apple pie"]
    assert compile_expression("strip(upper(s))").evaluate(df).tolist() == ["APPLE", "BANANA", None, "APPLE PIE"]
    assert compile_expression("strlen(s)").evaluate(df).tolist() == [6, 6, None, 9]
    got = compile_expression("contains(lower(s), 'apple')").evaluate(df).tolist()
    assert got == [True, False, False, True]  # missing: False, as pandas
    assert compile_expression("startswith(s, 'b')").evaluate(df).tolist() == [False, True, False, False]


def test_datetime_functions_match_pandas():
    pdf = pd.DataFrame({"t": pd.to_datetime(["2024-03-09 13:45", "2023-12-31 23:00", None])})
    df = hw.DataFrame(pdf)
    assert compile_expression("year(t)").evaluate(df).tolist() == [2024, 2023, None]
    assert compile_expression("month(t) * 100 + day(t)").evaluate(df).tolist() == [309, 1231, None]
    assert compile_expression("day_of_week(t)").evaluate(df).tolist() == [5, 6, None]
    assert compile_expression("hour(t) >= 20").evaluate(df).tolist() == [False, True, False]


# -- constants are folded within limits -----------------------------------------------------------
@pytest.mark.parametrize("text, folded", [
    ("x * 2 ** 10", "x * 1024"),
    ("x > -(3 - 1)", "x > -2"),
    ("lower(s) == 'ab' * 3", "lower(s) == 'ababab'"),
    ("x in [-1, 2]", "x in [-1, 2]"),
    ("x ** -2", "x ** -2"),
])
def test_constant_subexpressions_are_computed_once_at_compile_time(text, folded):
    import ast

    assert ast.unparse(compile_expression(text).tree) == folded


@pytest.mark.parametrize("text, reason", [
    ("9 ** 9 ** 9 ** 9", "more than 1024 bits"),
    ("x + 10 ** 400", "more than 1024 bits"),
    ("'ab' * 100000000", "past the limit of 10000 characters"),
    ("x == 'a' * 6000 + 'b' * 6000", "past the limit of 10000 characters"),
    ("'%99999999s' % 1", "'%' formatting of a string is not allowed"),
    ("2.0 ** 5000", "overflows a float"),
    ("1e308 * 10", "overflows a float"),
    ("x / (1 / (1 - 1))", "division by zero"),
    ("(-8) ** 0.5", "complex number"),
])
def test_constants_past_the_limits_are_refused_before_any_data(text, reason):
    with pytest.raises(ExpressionError, match=re.escape(reason)) as info:
        compile_expression(text)
    assert info.value.expression == text


def test_inf_and_large_but_bounded_constants_still_work():
    df = hw.DataFrame({"x": [1.0, 2.0]})
    assert compile_expression("x * 2 ** 62").evaluate(df).tolist() == [2.0 ** 62, 2.0 ** 63]
    assert compile_expression("x < inf").evaluate(df).tolist() == [True, True]
