"""hw.ml.metrics against sklearn.metrics, on random labels and scores (hypothesis) and fixed cases."""

import warnings

import numpy as np
import pytest

pytest.importorskip("sklearn")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from sklearn import metrics as skm  # noqa: E402

import headwater as hw  # noqa: E402

m = hw.ml.metrics

labels = st.lists(st.integers(0, 3), min_size=2, max_size=40)


@settings(max_examples=12, deadline=None)
@given(labels, st.randoms(use_true_random=False))
def test_classification_metrics(y_true, rnd):
    y_pred = [rnd.randint(0, 3) for _ in y_true]
    t, p = np.array(y_true), np.array(y_pred)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert m.accuracy_score(t, p) == pytest.approx(skm.accuracy_score(t, p))
        np.testing.assert_array_equal(m.confusion_matrix(t, p), skm.confusion_matrix(t, p))
        for avg in ("macro", "micro", "weighted"):
            for ours, theirs in ((m.precision_score, skm.precision_score), (m.recall_score, skm.recall_score),
                                 (m.f1_score, skm.f1_score)):
                assert ours(t, p, average=avg) == pytest.approx(theirs(t, p, average=avg))
        for a, b in zip(m.precision_recall_fscore_support(t, p, zero_division=0),
                        skm.precision_recall_fscore_support(t, p, zero_division=0)):
            np.testing.assert_allclose(a, b)
        assert m.adjusted_rand_score(t, p) == pytest.approx(skm.adjusted_rand_score(t, p))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 5)), min_size=2, max_size=40))
def test_roc(pairs):
    t = np.array([int(a) for a, _ in pairs])
    s = np.array([b / 5 for _, b in pairs])
    if len(set(t.tolist())) < 2:
        return
    for ours, theirs in zip(m.roc_curve(t, s), skm.roc_curve(t, s)):
        np.testing.assert_allclose(ours, theirs)
    assert m.roc_auc_score(t, s) == pytest.approx(skm.roc_auc_score(t, s))
    proba = np.clip(s, 0.05, 0.95)
    assert m.log_loss(t, proba) == pytest.approx(skm.log_loss(t, proba))


def test_binary_text_labels_and_report():
    t = np.array(["cat", "dog", "dog", "cat", "dog"])
    p = np.array(["cat", "dog", "cat", "cat", "dog"])
    assert m.f1_score(t, p, pos_label="dog") == pytest.approx(skm.f1_score(t, p, pos_label="dog"))
    ours, theirs = m.classification_report(t, p, output_dict=True), skm.classification_report(t, p, output_dict=True)
    assert ours.keys() == theirs.keys()
    for key in ("cat", "dog", "macro avg", "weighted avg"):
        assert ours[key] == pytest.approx(theirs[key])
    assert ours["accuracy"] == pytest.approx(theirs["accuracy"])
    assert "weighted avg" in m.classification_report(t, p)


def test_multiclass_probability_metrics():
    rng = np.random.default_rng(0)
    t = rng.integers(0, 3, 60)
    proba = rng.random((60, 3))
    proba /= proba.sum(axis=1, keepdims=True)
    assert m.log_loss(t, proba) == pytest.approx(skm.log_loss(t, proba))
    for avg in ("macro", "weighted"):
        assert m.roc_auc_score(t, proba, multi_class="ovr", average=avg) == pytest.approx(
            skm.roc_auc_score(t, proba, multi_class="ovr", average=avg))


def test_regression_and_silhouette():
    rng = np.random.default_rng(1)
    t, p = rng.normal(size=50), rng.normal(size=50)
    w = rng.random(50)
    for ours, theirs in ((m.mean_squared_error, skm.mean_squared_error), (m.mean_absolute_error,
                         skm.mean_absolute_error), (m.r2_score, skm.r2_score)):
        assert ours(t, p) == pytest.approx(theirs(t, p))
        assert ours(t, p, sample_weight=w) == pytest.approx(theirs(t, p, sample_weight=w))
    T, P = rng.normal(size=(50, 2)), rng.normal(size=(50, 2))
    np.testing.assert_allclose(m.r2_score(T, P, multioutput="raw_values"), skm.r2_score(T, P, multioutput="raw_values"))
    X = rng.normal(size=(80, 3))
    lab = rng.integers(0, 4, 80)
    assert m.silhouette_score(X, lab) == pytest.approx(skm.silhouette_score(X, lab))
    assert m.r2_score(hw.Series(t), hw.Tensor(p)) == pytest.approx(skm.r2_score(t, p))
