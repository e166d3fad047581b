"""Pipeline, ColumnTransformer, splitting, cross-validation and grid search."""

import numpy as np
import pytest

pytest.importorskip("sklearn")
from sklearn import datasets, linear_model, model_selection, pipeline, preprocessing  # noqa: E402

import headwater as hw  # noqa: E402

ml = hw.ml


def test_pipeline_matches_sklearn_and_routes_params():
    X, y = datasets.load_breast_cancer(return_X_y=True)
    ours = ml.make_pipeline(ml.StandardScaler(), ml.LogisticRegression(solver="newton-cholesky"))
    theirs = pipeline.make_pipeline(preprocessing.StandardScaler(), linear_model.LogisticRegression(
        solver="newton-cholesky"))
    ours.fit(X, y)
    theirs.fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-6)
    assert ours.score(X, y) == pytest.approx(theirs.score(X, y))
    ours.set_params(logisticregression__C=0.1)
    assert ours.named_steps["logisticregression"].C == 0.1
    assert ml.clone(ours).steps[1][1].C == 0.1
    w = np.ones(len(y))
    ours.fit(X, y, logisticregression__sample_weight=w)
    with pytest.raises(ValueError, match="stepname__parameter"):
        ours.fit(X, y, sample_weight=w)


def test_column_transformer_on_a_frame():
    df = hw.DataFrame({"x": [1.0, 2.0, None, 4.0], "c": ["a", "b", "a", "b"], "z": [1, 2, 3, 4],
                       "t": [0, 1, 0, 1]})
    ct = ml.ColumnTransformer([
        ("num", ml.make_pipeline(ml.SimpleImputer(), ml.StandardScaler()), ["x"]),
        ("cat", ml.OneHotEncoder(), ["c"]),
    ], remainder="passthrough")
    model = ml.make_pipeline(ct, ml.LogisticRegression())
    model.fit(df, "t")
    assert list(ct.get_feature_names_out()) == ["num__x", "cat__c_a", "cat__c_b", "remainder__z"]
    assert model.score(df, "t") == 1.0
    out = ct.transform(df[["x", "c", "z"]])
    assert isinstance(out, hw.DataFrame) and out.shape == (4, 4)


def test_train_test_split_and_stratify():
    X = np.arange(40).reshape(20, 2)
    y = np.array([0] * 15 + [1] * 5)
    Xtr, Xte, ytr, yte = ml.train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)
    assert len(Xte) == 4 and (yte == 1).sum() == 1
    assert sorted(np.concatenate([Xtr[:, 0], Xte[:, 0]]).tolist()) == X[:, 0].tolist()
    assert ((Xtr[:, 0] // 2) == np.arange(20)[Xtr[:, 0] // 2]).all() and (ytr == y[Xtr[:, 0] // 2]).all()
    df = hw.DataFrame({"a": list(range(10))})
    tr, te = ml.train_test_split(df, train_size=6, shuffle=False)
    assert tr["a"].tolist() == list(range(6)) and te["a"].tolist() == list(range(6, 10))


def test_folds():
    X = np.zeros((10, 1))
    ours = [te.tolist() for _, te in ml.KFold(3).split(X)]
    theirs = [te.tolist() for _, te in model_selection.KFold(3).split(X)]
    assert ours == theirs
    y = np.array([0] * 6 + [1] * 4)
    for train, test in ml.StratifiedKFold(2, shuffle=True, random_state=0).split(X, y):
        assert (y[test] == 0).sum() == 3 and (y[test] == 1).sum() == 2
        assert sorted(train.tolist() + test.tolist()) == list(range(10))


def test_cross_val_score_and_grid_search():
    X, y = datasets.load_iris(return_X_y=True)
    ours = ml.cross_val_score(ml.KNeighborsClassifier(5), X, y, cv=5)
    theirs = model_selection.cross_val_score(__import__("sklearn.neighbors").neighbors.KNeighborsClassifier(5),
                                             X, y, cv=5)
    assert abs(ours.mean() - theirs.mean()) < 0.03
    Xd, yd = datasets.load_diabetes(return_X_y=True)
    cv = ml.KFold(4)
    ours_r2 = ml.cross_val_score(ml.Ridge(alpha=0.1), Xd, yd, cv=cv, scoring="neg_mean_squared_error")
    theirs_r2 = model_selection.cross_val_score(linear_model.Ridge(alpha=0.1), Xd, yd, cv=model_selection.KFold(4),
                                                scoring="neg_mean_squared_error")
    np.testing.assert_allclose(ours_r2, theirs_r2, rtol=1e-6)
    gs = ml.GridSearchCV(ml.Ridge(), {"alpha": [0.001, 0.1, 10.0]}, cv=cv).fit(Xd, yd)
    ref = model_selection.GridSearchCV(linear_model.Ridge(), {"alpha": [0.001, 0.1, 10.0]},
                                       cv=model_selection.KFold(4)).fit(Xd, yd)
    assert gs.best_params_ == ref.best_params_
    np.testing.assert_allclose(gs.cv_results_["mean_test_score"], ref.cv_results_["mean_test_score"], rtol=1e-6)
    assert gs.predict(Xd[:3]).shape == (3,)
