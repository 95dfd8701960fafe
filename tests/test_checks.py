"""descent.checks: the exercise checker says ✓ for a right answer and explains a wrong one, without raising."""

import numpy as np
import pytest

from descent.checks import check_against_reference, check_sgd_epoch


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


def test_numbers_are_printed_plainly(capsys):
    def off(x, scale):
        return reference(x, scale) + np.float64(0.25)

    assert not check_against_reference(off, reference, [dict(x=[1.0, 2.0], scale=np.float64(2.0))])
    out = capsys.readouterr().out
    assert "np.float64" not in out and "array(" not in out
    assert "scale=2.0" in out and "yours 2.25, reference 2.0." in out


def _descent_path(theta0, lr, steps):
    theta = np.array(theta0, dtype=float)
    path = [theta]
    for _ in range(steps):
        theta = theta - lr * theta
        path.append(theta)
    return np.array(path)


def test_appending_theta_and_updating_it_in_place_gets_a_hint(capsys):
    def aliased(theta0, lr, steps):
        theta = np.array(theta0, dtype=float)
        path = [theta]
        for _ in range(steps):
            theta -= lr * theta  # updates the array already in the list
            path.append(theta)
        return np.array(path)

    case = [dict(theta0=[1.0, -2.0], lr=0.5, steps=3)]
    assert not check_against_reference(aliased, _descent_path, case)
    out = capsys.readouterr().out
    assert "every row of your answer equals the last one" in out and "theta.copy()" in out


def test_the_aliasing_hint_is_not_given_for_other_mistakes(capsys):
    def wrong_rate(theta0, lr, steps):
        return _descent_path(theta0, 2 * lr, steps)

    assert not check_against_reference(wrong_rate, _descent_path, [dict(theta0=[1.0], lr=0.1, steps=3)])
    out = capsys.readouterr().out
    assert "differs from the reference" in out and "Hint" not in out


def test_the_exercise_check_accepts_a_right_epoch_and_explains_wrong_ones(capsys):
    def right(model, theta, lr, batch_size, rng):
        order = rng.permutation(model.n)
        for i in range(0, model.n, batch_size):
            theta = theta - lr * model.grad(theta, order[i : i + batch_size])
        return theta

    def unshuffled(model, theta, lr, batch_size, rng):
        for i in range(0, model.n, batch_size):
            theta = theta - lr * model.grad(theta, np.arange(i, min(i + batch_size, model.n)))
        return theta

    def summed(model, theta, lr, batch_size, rng):
        order = rng.permutation(model.n)
        for i in range(0, model.n, batch_size):
            batch = order[i : i + batch_size]
            theta = theta - lr * len(batch) * model.grad(theta, batch)
        return theta

    def broken(model, theta, lr, batch_size, rng):
        raise RuntimeError("not written yet")

    assert check_sgd_epoch(right) is True
    assert "✓" in capsys.readouterr().out
    assert check_sgd_epoch(unshuffled) is False
    assert "rng.permutation" in capsys.readouterr().out
    assert check_sgd_epoch(summed) is False
    assert "mean, not the sum" in capsys.readouterr().out
    assert check_sgd_epoch(broken) is False
    assert "RuntimeError: not written yet" in capsys.readouterr().out
    def stub(model, theta, lr, batch_size, rng):
        raise NotImplementedError

    assert check_sgd_epoch(stub) is False
    assert "not implemented yet" in capsys.readouterr().out
    assert check_sgd_epoch(lambda *args: None) is False
    assert "should return the parameters" in capsys.readouterr().out
