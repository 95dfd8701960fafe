"""descent.checks: the exercise checker says ✓ for a right answer and explains a wrong one, without raising."""

import numpy as np
import pytest

from descent.checks import check_against_reference


def reference(x, scale):
    return np.asarray(x, dtype=float) * scale


CASES = [dict(x=[1.0, 2.0], scale=2.0), dict(x=[3.0], scale=-1.0)]


def test_a_correct_answer_gets_a_tick(capsys):
    assert check_against_reference(lambda x, scale: [v * scale for v in x], reference, CASES, name="double")
    assert capsys.readouterr().out.strip() == "✓ double agrees with the reference on all 2 cases."


def test_a_wrong_value_is_located(capsys):
    def wrong(x, scale):
        out = np.asarray(x, dtype=float) * scale
        out[-1] += 0.5
        return out

    assert not check_against_reference(wrong, reference, CASES)
    out = capsys.readouterr().out
    assert out.startswith("✗ wrong differs from the reference at index (1,) in case 1 of 2")
    assert "yours" in out and "reference" in out


def test_a_missing_start_point_gets_a_hint(capsys):
    assert not check_against_reference(lambda x, scale: reference(x, scale)[1:], reference, CASES[:1], name="f")
    assert "Hint: include the starting point" in capsys.readouterr().out


def test_unfinished_and_crashing_answers_are_reported_not_raised(capsys):
    def unfinished(x, scale):
        raise NotImplementedError

    def crashing(x, scale):
        return 1 / 0

    assert not check_against_reference(unfinished, reference, CASES)
    assert "not implemented yet" in capsys.readouterr().out
    assert not check_against_reference(crashing, reference, CASES)
    assert "raised ZeroDivisionError" in capsys.readouterr().out
    assert not check_against_reference(lambda x, scale: "nope", reference, CASES)
    assert "not an array of numbers" in capsys.readouterr().out


def test_each_function_gets_its_own_copy_of_the_inputs():
    def mutating(x, scale):
        x *= 0  # would corrupt the reference's input if shared
        return reference(x, scale)

    cases = [dict(x=np.array([1.0, 2.0]), scale=3.0)]
    assert not check_against_reference(mutating, reference, cases, quiet=True)
    np.testing.assert_array_equal(cases[0]["x"], [1.0, 2.0])


def test_bad_arguments_raise():
    with pytest.raises(TypeError, match="must both be functions"):
        check_against_reference(None, reference, CASES)
    with pytest.raises(ValueError, match="non-empty list of dicts"):
        check_against_reference(reference, reference, [])
