"""Bad input to descent.optim gets a clear error naming what is wrong, never a numpy crash."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import descent.optim as optim

ALL = [getattr(optim, name) for name in optim.__all__ if name != "Optimizer"]
WITH_EPS = [c for c in ALL if "eps" in c._hyperparameters]
WITH_BETAS = [c for c in ALL if "betas" in c._hyperparameters]


def params_and_grads():
    return {"w": np.ones((2, 3)), "b": np.zeros(3)}, {"w": np.full((2, 3), 0.5), "b": np.ones(3)}


# --- hyperparameters ----------------------------------------------------------------

BAD = [
    *[(c, {"lr": -0.1}, r"lr must be >= 0, got -0\.1") for c in ALL],
    *[(c, {"lr": float("nan")}, "lr must be finite") for c in ALL],
    *[(c, {"lr": float("inf")}, "lr must be finite") for c in ALL],
    *[(c, {"weight_decay": -1e-4}, "weight_decay must be >= 0") for c in ALL],
    *[(c, {"eps": -1e-8}, "eps must be >= 0") for c in WITH_EPS],
    *[(c, {"betas": (1.0, 0.999)}, r"betas\[0\] \(beta1\) must be in \[0, 1\), got 1\.0") for c in WITH_BETAS],
    *[(c, {"betas": (0.9, -0.1)}, r"betas\[1\] \(beta2\) must be in \[0, 1\)") for c in WITH_BETAS],
    *[(c, {"betas": 0.9}, r"betas must be a pair \(beta1, beta2\)") for c in WITH_BETAS],
    *[(c, {"betas": (0.9, 0.99, 0.999)}, r"betas must be a pair") for c in WITH_BETAS],
    (optim.Momentum, {"momentum": 1.0}, r"momentum must be in \[0, 1\), got 1\.0"),
    (optim.Momentum, {"momentum": -0.5}, r"momentum must be in \[0, 1\)"),
    (optim.Momentum, {"dampening": 1.5}, r"dampening must be in \[0, 1\]"),
    (optim.Nesterov, {"momentum": 1.2}, r"momentum must be in \[0, 1\)"),
    (optim.Nesterov, {"momentum": 0.0}, r"Nesterov needs momentum in \(0, 1\)"),
    (optim.Nesterov, {"dampening": 0.1}, r"Nesterov needs dampening=0"),
    (optim.AdaGrad, {"lr_decay": -0.1}, "lr_decay must be >= 0"),
    (optim.AdaGrad, {"initial_accumulator_value": -1.0}, "initial_accumulator_value must be >= 0"),
    (optim.RMSProp, {"alpha": 1.5}, r"alpha must be in \[0, 1\]"),
    (optim.RMSProp, {"alpha": -0.1}, r"alpha must be in \[0, 1\]"),
    (optim.RMSProp, {"momentum": 1.0}, r"momentum must be in \[0, 1\)"),
    (optim.Adadelta, {"rho": 1.1}, r"rho must be in \[0, 1\]"),
    (optim.NAdam, {"momentum_decay": -4e-3}, "momentum_decay must be >= 0"),
]


@pytest.mark.parametrize("cls, kwargs, message", BAD, ids=[f"{c.__name__}-{next(iter(k))}-{i}" for i, (c, k, _) in enumerate(BAD)])
def test_invalid_hyperparameter_raises_value_error_naming_it(cls, kwargs, message):
    with pytest.raises(ValueError, match=message):
        cls(**kwargs)


@pytest.mark.parametrize(
    "cls, kwargs",
    [
        (optim.SGD, {"lr": "0.1"}),
        (optim.SGD, {"lr": None}),
        (optim.SGD, {"lr": True}),
        (optim.Adam, {"amsgrad": "yes"}),
        (optim.RMSProp, {"centered": 1}),
        (optim.SGD, {"maximize": None}),
        (optim.Adam, {"betas": ("0.9", 0.999)}),
    ],
)
def test_wrong_type_of_hyperparameter_raises_type_error(cls, kwargs):
    (name,) = kwargs
    with pytest.raises(TypeError, match=name.split("[")[0]):
        cls(**kwargs)


def test_nesterov_refuses_dampening_like_torch():
    with pytest.raises(ValueError, match="dampening"):
        optim.Nesterov(lr=0.1, momentum=0.9, dampening=0.5)


@pytest.mark.parametrize("cls", ALL)
def test_setting_a_bad_lr_later_is_refused_and_keeps_the_old_one(cls):
    opt = cls(lr=0.5)
    opt.lr = 0.25  # a schedule changing the rate is fine
    assert opt.lr == 0.25
    with pytest.raises(ValueError, match="lr must be >= 0"):
        opt.lr = -1.0
    assert opt.lr == 0.25


def test_combination_is_checked_when_a_hyperparameter_changes():
    opt = optim.Nesterov(momentum=0.9)
    with pytest.raises(ValueError, match="Nesterov needs momentum"):
        opt.momentum = 0.0
    assert opt.momentum == 0.9


def test_numpy_scalars_are_accepted_and_stored_as_plain_numbers():
    opt = optim.Adam(lr=np.float32(0.5), betas=(np.float64(0.9), 0.99), amsgrad=np.bool_(True))
    assert type(opt.lr) is float and opt.betas == (0.9, 0.99) and opt.amsgrad is True


# --- parameters and gradients ---------------------------------------------------------


@pytest.mark.parametrize("cls", ALL)
def test_integer_parameters_raise_type_error_naming_the_key(cls):
    with pytest.raises(TypeError, match=r"parameter 'w' has dtype int64; it must be float32 or float64"):
        cls().step({"w": np.arange(3)}, {"w": np.ones(3)})


@pytest.mark.parametrize(
    "param, message",
    [
        ([1.0, 2.0], "parameter 'w' must be a numpy array"),
        (1.5, "parameter 'w' must be a numpy array"),
        (np.ones(2, dtype=complex), "parameter 'w' has dtype complex128"),
        (np.ones(2, dtype=np.float16), "parameter 'w' has dtype float16"),
    ],
)
def test_non_float_arrays_are_refused(param, message):
    with pytest.raises(TypeError, match=message):
        optim.SGD().step({"w": param}, {"w": np.ones(2)})


@pytest.mark.parametrize("cls", ALL)
def test_missing_grad_key_is_named(cls):
    params, grads = params_and_grads()
    del grads["b"]
    with pytest.raises(ValueError, match=r"grads has no entry for parameter key\(s\) \['b'\]"):
        cls().step(params, grads)


@pytest.mark.parametrize("cls", ALL)
def test_extra_grad_key_is_named(cls):
    params, grads = params_and_grads()
    grads["bias2"] = np.ones(3)
    with pytest.raises(ValueError, match=r"grads has key\(s\) \['bias2'\] that are not in params"):
        cls().step(params, grads)


@pytest.mark.parametrize("cls", ALL)
def test_shape_mismatch_is_named_and_nothing_is_updated(cls):
    params, grads = params_and_grads()
    grads["b"] = np.ones(4)
    before = {k: v.copy() for k, v in params.items()}
    opt = cls(lr=0.1)
    with pytest.raises(ValueError, match=r"gradient 'b' has shape \(4,\), but the parameter has shape \(3,\)"):
        opt.step(params, grads)
    for k in params:  # checked before anything is touched
        np.testing.assert_array_equal(params[k], before[k])
    assert opt.state == {}


def test_read_only_parameter_is_refused():
    w = np.ones(3)
    w.flags.writeable = False
    with pytest.raises(ValueError, match="parameter 'w' is read-only"):
        optim.SGD().step({"w": w}, {"w": np.ones(3)})


def test_params_and_grads_must_be_dicts():
    with pytest.raises(TypeError, match="params must be a dict"):
        optim.SGD().step([np.ones(2)], {"w": np.ones(2)})
    with pytest.raises(TypeError, match="grads must be a dict"):
        optim.SGD().step({"w": np.ones(2)}, np.ones(2))


def test_non_numeric_gradient_is_refused():
    with pytest.raises(TypeError, match="gradient 'w' has dtype"):
        optim.SGD().step({"w": np.ones(2)}, {"w": np.array(["a", "b"])})


@pytest.mark.parametrize("cls", ALL)
def test_gradient_of_another_dtype_is_converted_to_the_parameter_dtype(cls):
    """A float64 gradient for a float32 parameter: the arithmetic stays float32."""
    grad64 = np.array([0.3, -1.7, 2.2])
    a = {"w": np.ones(3, dtype=np.float32)}
    b = {"w": np.ones(3, dtype=np.float32)}
    opt_a, opt_b = cls(lr=0.1), cls(lr=0.1)
    for _ in range(3):
        opt_a.step(a, {"w": grad64})
        opt_b.step(b, {"w": grad64.astype(np.float32)})
    assert a["w"].dtype == np.float32
    np.testing.assert_array_equal(a["w"], b["w"])
    c = {"w": np.ones(3)}
    cls(lr=0.1).step(c, {"w": [1.0, -2.0, 3.0]})  # a list of floats is a valid gradient
    assert c["w"].dtype == np.float64


@pytest.mark.parametrize("cls", ALL)
@pytest.mark.parametrize(
    "grad, dtype",
    [(np.array([1, -2, 3]), "int64"), (np.array([1, 0, 1], dtype=np.uint8), "uint8"), ([1, -2, 3], "int64"),
     (np.array([True, False, True]), "bool"), (np.ones(3, dtype=complex), "complex128")],
    ids=["int64", "uint8", "list of ints", "bool", "complex"],
)
def test_non_floating_gradients_raise_type_error_and_change_nothing(cls, grad, dtype):
    params = {"w": np.ones(3)}
    opt = cls(lr=0.1)
    with pytest.raises(TypeError, match=rf"gradient 'w' has dtype {dtype}; it must be floating point"):
        opt.step(params, {"w": grad})
    np.testing.assert_array_equal(params["w"], np.ones(3))
    assert opt.state == {}


@pytest.mark.parametrize("cls", ALL)
def test_a_gradient_that_is_the_parameter_array_itself_is_safe(cls):
    """For f = |theta|^2 / 2 the gradient is theta: passing the same array twice must work."""
    kwargs = {"lr": 0.1, "weight_decay": 0.1}
    if "decoupled_weight_decay" in cls._hyperparameters:
        kwargs["decoupled_weight_decay"] = True
    aliased, separate = {"w": np.linspace(-1, 1, 5)}, {"w": np.linspace(-1, 1, 5)}
    opt_a, opt_b = cls(**kwargs), cls(**kwargs)
    for _ in range(3):
        opt_a.step(aliased, aliased)
        opt_b.step(separate, {"w": separate["w"].copy()})
    np.testing.assert_array_equal(aliased["w"], separate["w"])


def test_parameter_keys_cannot_change_once_there_is_state():
    opt = optim.Adam()
    params, grads = params_and_grads()
    opt.step(params, grads)
    with pytest.raises(ValueError, match=r"holds state for keys \['b', 'w'\], but params has keys \['w'\]"):
        opt.step({"w": params["w"]}, {"w": grads["w"]})


def test_parameter_shape_cannot_change_once_there_is_state():
    opt = optim.Momentum()
    opt.step({"w": np.ones(3)}, {"w": np.ones(3)})
    with pytest.raises(ValueError, match=r"state 'momentum_buffer' of parameter 'w' has shape \(3,\)"):
        opt.step({"w": np.ones(4)}, {"w": np.ones(4)})


# --- non-finite gradients ---------------------------------------------------------------


@pytest.mark.parametrize("cls", ALL)
def test_non_finite_gradients_propagate_silently(cls):
    """As in torch: nan/inf are not caught and no warning is emitted (tests/test_optim_parity.py
    checks the exact values against torch's)."""
    params = {"w": np.ones(3)}
    opt = cls(lr=0.1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        opt.step(params, {"w": np.array([np.nan, np.inf, 1.0])})
        opt.step(params, {"w": np.array([1.0, 1.0, 1.0])})
    assert np.isnan(params["w"][0])
    assert not np.isfinite(params["w"][1])


# --- state dicts ----------------------------------------------------------------------------


def trained(cls, **kwargs):
    opt = cls(**kwargs)
    params, grads = params_and_grads()
    opt.step(params, grads)
    return opt


def test_state_from_another_optimizer_is_refused():
    state = trained(optim.Adam).state_dict()
    with pytest.raises(ValueError, match="state_dict is for optimizer 'Adam', not 'AdamW'"):
        optim.AdamW().load_state_dict(state)


@pytest.mark.parametrize(
    "shapes, message",
    [
        ({"w": (2, 3), "c": (3,)}, r"state for keys \['b', 'w'\], but this optimizer's parameters have keys \['c', 'w'\]"),
        ({"w": (3, 2), "b": (3,)}, r"state 'exp_avg' of parameter 'w' has shape \(2, 3\) in state_dict, but the parameter has \(3, 2\)"),
    ],
    ids=["other keys", "other shapes"],
)
def test_state_for_other_keys_or_shapes_is_refused(shapes, message):
    """The state of a trained optimizer (keys 'w' (2, 3) and 'b' (3,)) into one trained on other parameters."""
    state = trained(optim.Adam).state_dict()
    other = optim.Adam()
    other.step({k: np.ones(s) for k, s in shapes.items()}, {k: np.ones(s) for k, s in shapes.items()})
    with pytest.raises(ValueError, match=message):
        other.load_state_dict(state)


def test_state_loaded_into_a_fresh_optimizer_is_checked_at_the_first_step():
    fresh = optim.Adam()
    fresh.load_state_dict(trained(optim.Adam).state_dict())
    with pytest.raises(ValueError, match="holds state for keys"):
        fresh.step({"x": np.ones(2)}, {"x": np.ones(2)})


def test_state_with_an_invalid_hyperparameter_is_refused_and_nothing_changes():
    opt = trained(optim.Adam, lr=0.1)
    state = opt.state_dict()
    state["hyper/lr"] = -1.0
    target = optim.Adam(lr=0.5)
    with pytest.raises(ValueError, match="lr must be >= 0"):
        target.load_state_dict(state)
    assert target.lr == 0.5 and target.state == {}


def test_state_with_missing_entries_or_other_version_is_refused():
    state = trained(optim.SGD).state_dict()
    del state["hyper/weight_decay"]
    with pytest.raises(ValueError, match="hyperparameters"):
        optim.SGD().load_state_dict(state)
    state = trained(optim.SGD).state_dict()
    state["format_version"] = 99
    with pytest.raises(ValueError, match="format_version"):
        optim.SGD().load_state_dict(state)
    with pytest.raises(ValueError, match="optimizer None"):
        optim.SGD().load_state_dict({})
    with pytest.raises(TypeError, match="state_dict must be a mapping"):
        optim.SGD().load_state_dict([1, 2])


# --- per-parameter state fields -------------------------------------------------------------

# One optimizer per class, plus the hyperparameters that change which fields a state has.
FIELD_CASES = [(c, {}) for c in ALL] + [(optim.Adam, {"amsgrad": True}), (optim.AdamW, {"amsgrad": True})]
FIELD_IDS = [f"{c.__name__}{'-amsgrad' if kw else ''}" for c, kw in FIELD_CASES]


@pytest.mark.parametrize("cls, kwargs", FIELD_CASES, ids=FIELD_IDS)
def test_declared_state_fields_are_the_fields_a_step_creates(cls, kwargs):
    opt = trained(cls, **kwargs)
    for key, state in opt.state.items():
        assert tuple(state) == opt._state_fields(), key
    assert ("max_exp_avg_sq" in opt._state_fields()) == kwargs.get("amsgrad", False)


def saved_and_loaded(state, tmp_path):
    """``state`` after the np.savez / np.load round trip a resume goes through."""
    np.savez(tmp_path / "state.npz", **state)
    with np.load(tmp_path / "state.npz", allow_pickle=False) as saved:
        return dict(saved)


def refused_and_unchanged(cls, kwargs, state, message):
    """Loading ``state`` into a trained optimizer raises ValueError(message) and changes nothing."""
    target = trained(cls, **{**kwargs, "lr": 0.25})
    before = target.state_dict()
    with pytest.raises(ValueError, match=message):
        target.load_state_dict(state)
    after = target.state_dict()
    assert after.keys() == before.keys()
    for name in before:
        np.testing.assert_array_equal(np.asarray(after[name]), np.asarray(before[name]), err_msg=name)


@pytest.mark.parametrize("cls, kwargs", FIELD_CASES, ids=FIELD_IDS)
@pytest.mark.parametrize("round_trip", [False, True], ids=["dict", "npz"])
def test_state_missing_a_field_is_refused(cls, kwargs, round_trip, tmp_path):
    for field in trained(cls, **kwargs)._state_fields():
        state = trained(cls, **kwargs).state_dict()
        del state[f"state/w/{field}"]
        if round_trip:
            state = saved_and_loaded(state, tmp_path)
        message = rf"parameter 'w' lacks field\(s\) \['{field}'\]"
        if cls is optim.SGD:  # 'step' was w's only entry, so the key itself is missing
            message = r"state_dict has state for keys \['b'\], but this optimizer's parameters have keys \['b', 'w'\]"
        refused_and_unchanged(cls, kwargs, state, message)


def test_amsgrad_state_without_its_running_maximum_is_refused():
    state = trained(optim.Adam, amsgrad=True).state_dict()
    del state["state/w/max_exp_avg_sq"]
    message = r"lacks field\(s\) \['max_exp_avg_sq'\]; Adam with amsgrad=True keeps"
    refused_and_unchanged(optim.Adam, {"amsgrad": True}, state, message)
    with pytest.raises(ValueError, match=message):
        optim.Adam().load_state_dict(state)  # the file's amsgrad=True decides, not the target's


@pytest.mark.parametrize("cls, kwargs", FIELD_CASES, ids=FIELD_IDS)
def test_state_with_an_extra_field_is_refused(cls, kwargs):
    state = trained(cls, **kwargs).state_dict()
    state["state/w/bogus"] = np.zeros((2, 3))
    refused_and_unchanged(cls, kwargs, state, r"parameter 'w' has unexpected field\(s\) \['bogus'\]")


def test_non_amsgrad_state_with_a_running_maximum_is_refused():
    state = trained(optim.Adam).state_dict()
    state["state/b/max_exp_avg_sq"] = np.zeros(3)
    refused_and_unchanged(
        optim.Adam, {}, state, r"parameter 'b' has unexpected field\(s\) \['max_exp_avg_sq'\]; Adam with amsgrad=False"
    )


@pytest.mark.parametrize(
    "step, shown",
    [(2.5, "2.5"), (-1, "-1"), (np.int64(-3), "-3"), (1.0, "1.0"), (np.float64(2.0), r"np\.float64\(2\.0\)"), (True, "True"),
     (np.array([1, 2]), r"array\(\[1, 2\]\)"), ("1", "'1'")],
    ids=["fraction", "negative", "negative numpy", "float", "numpy float", "bool", "array", "string"],
)
@pytest.mark.parametrize("cls", [optim.SGD, optim.Adam], ids=["SGD", "Adam"])
def test_state_step_must_be_an_integer_at_least_zero(cls, step, shown):
    state = trained(cls).state_dict()
    state["state/w/step"] = step
    refused_and_unchanged(cls, {}, state, rf"state 'step' of parameter 'w' must be an integer >= 0, got {shown}")


@pytest.mark.parametrize("step", [0, 7, np.int64(7), np.array(7), np.array(7, dtype=np.int32)])
def test_state_step_accepts_integers_as_numpy_returns_them(step):
    state = trained(optim.Adam).state_dict()
    state["state/w/step"] = step
    opt = optim.Adam()
    opt.load_state_dict(state)
    assert opt.state["w"]["step"] == int(step) and type(opt.state["w"]["step"]) is int


@pytest.mark.parametrize(
    "value, message",
    [
        (np.zeros((2, 3), dtype=np.int64), r"state 'exp_avg' of parameter 'w' must be a float32 or float64 array, got dtype int64"),
        (np.zeros((2, 3), dtype=complex), "must be a float32 or float64 array, got dtype complex128"),
        (np.zeros((3, 2)), r"state 'exp_avg' of parameter 'w' has shape \(3, 2\) in state_dict, but the parameter has \(2, 3\)"),
        (np.zeros(()), r"state 'exp_avg' of parameter 'w' has shape \(\) in state_dict"),
    ],
    ids=["integer", "complex", "other shape", "scalar"],
)
def test_state_arrays_must_be_floating_with_the_parameters_shape(value, message):
    state = trained(optim.Adam).state_dict()
    state["state/w/exp_avg"] = value
    refused_and_unchanged(optim.Adam, {}, state, message)


def test_state_arrays_of_one_parameter_must_agree_when_loaded_into_a_fresh_optimizer():
    state = trained(optim.Adam).state_dict()
    state["state/w/exp_avg_sq"] = np.zeros((3, 2))
    fresh = optim.Adam(lr=0.5)
    with pytest.raises(ValueError, match=r"'exp_avg_sq' of parameter 'w' has shape \(3, 2\) in state_dict, but the other state arrays have \(2, 3\)"):
        fresh.load_state_dict(state)
    assert fresh.lr == 0.5 and fresh.state == {}


def test_nadam_momentum_product_must_be_a_real_number():
    state = trained(optim.NAdam).state_dict()
    state["state/w/mu_product"] = np.ones(2)
    refused_and_unchanged(optim.NAdam, {}, state, "state 'mu_product' of parameter 'w' must be a real number")


def test_a_refused_state_leaves_hyperparameters_alone_even_when_they_were_valid():
    state = trained(optim.Adam, amsgrad=True, lr=0.01).state_dict()
    del state["state/b/exp_avg"]
    target = optim.Adam(lr=0.5)
    with pytest.raises(ValueError, match="lacks field"):
        target.load_state_dict(state)
    assert target.hyperparameters == optim.Adam(lr=0.5).hyperparameters and target.state == {}


@pytest.mark.parametrize("switch", [True, False])
def test_switching_amsgrad_between_steps_keeps_the_state_loadable(switch, tmp_path):
    opt = trained(optim.Adam, amsgrad=not switch)
    opt.amsgrad = switch
    assert all(tuple(s) == opt._state_fields() for s in opt.state.values())
    if switch:  # the running maximum starts from zero, as in a fresh state
        assert not opt.state["w"]["max_exp_avg_sq"].any()
    params, grads = params_and_grads()
    opt.step(params, grads)
    again = optim.Adam()
    again.load_state_dict(saved_and_loaded(opt.state_dict(), tmp_path))
    assert again.amsgrad is switch


# --- attributes ------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", ALL, ids=[c.__name__ for c in ALL])
@pytest.mark.parametrize("name", ["learning_rate", "momentum_typo", "nesterov"])
def test_setting_an_unknown_attribute_is_refused_with_the_valid_names(cls, name):
    opt = cls()
    if name in cls._hyperparameters:
        pytest.skip(f"{name} is a hyperparameter of {cls.__name__}")
    listed = ", ".join(cls._hyperparameters)
    with pytest.raises(AttributeError, match=rf"{cls.__name__} has no hyperparameter '{name}'; its hyperparameters are {listed}"):
        setattr(opt, name, 0.5)
    assert not hasattr(opt, name)


def test_sgd_has_no_momentum_to_set():
    opt = optim.SGD(lr=0.1)
    with pytest.raises(AttributeError, match=r"SGD has no hyperparameter 'momentum'; its hyperparameters are lr, weight_decay, maximize"):
        opt.momentum = 0.9


@pytest.mark.parametrize("cls", ALL, ids=[c.__name__ for c in ALL])
def test_hyperparameters_stay_settable_and_checked(cls):
    opt = cls()
    opt.lr = 0.5
    assert opt.lr == 0.5
    with pytest.raises(ValueError, match="lr must be >= 0"):
        opt.lr = -1.0
    assert opt.lr == 0.5


# --- keyword-only arguments ------------------------------------------------------------------


@pytest.mark.parametrize("cls", ALL, ids=[c.__name__ for c in ALL])
def test_only_lr_may_be_positional(cls):
    assert cls(0.5).lr == 0.5
    with pytest.raises(TypeError, match="positional argument"):
        cls(0.5, 0.9)


def test_adamw_fixes_decoupled_weight_decay_instead_of_taking_it():
    opt = optim.AdamW()
    assert opt.decoupled_weight_decay is True and "decoupled_weight_decay" not in opt.hyperparameters
    with pytest.raises(AttributeError, match="no hyperparameter 'decoupled_weight_decay'"):
        opt.decoupled_weight_decay = False
    with pytest.raises(TypeError):
        optim.AdamW(decoupled_weight_decay=False)  # not in AdamW's signature, as in torch
    # AdamW.__init__ goes through Adam.__init__, which refuses any other value for a fixed keyword
    with pytest.raises(TypeError, match="AdamW takes no decoupled_weight_decay=False"):
        optim.Adam.__init__(object.__new__(optim.AdamW), decoupled_weight_decay=False)
