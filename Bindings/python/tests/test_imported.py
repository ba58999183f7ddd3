"""A tree model imported with `modelc import` declares its inputs and scores through the binding
as the library that trained it did (before, its input count was 0 and scoring raised
ZeroDivisionError)."""
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

import modelc

ROOT = Path(__file__).resolve().parents[3]
TREES = ROOT.parent / "shared" / "fixtures" / "trees"
MODELC = os.environ.get("MODELC_BIN", str(ROOT / ".build" / "debug" / "modelc"))


@pytest.mark.parametrize("library,model_file,probabilities,names", [
    ("xgboost", "xgb_model.json", "xgb_prob.npy", [f"f{i}" for i in range(23)]),
    ("lightgbm", "lgb_model.txt", "lgb_prob.npy", [f"Column_{i}" for i in range(23)]),
])
def test_imported_trees_score(tmp_path, library, model_file, probabilities, names):
    artifact = tmp_path / "imported.modelc"
    subprocess.run([MODELC, "import", library, str(TREES / model_file), "-o", str(artifact)], check=True, capture_output=True)
    model = modelc.Model(artifact)
    assert model.feature_count == 0 and model.warmup_candles == 0
    (component,) = model.components
    assert (component.window, component.input_count, component.input_names) == (1, 23, names)
    rows = np.load(TREES / "X_test.npy").astype(np.float64)
    expected = np.load(TREES / probabilities).astype(np.float64)
    scores = np.array(component.score_inputs(rows))
    ulp = np.spacing(expected.astype(np.float32)).astype(np.float64)
    assert np.all(np.abs(scores - expected) <= 2 * ulp)


KINDS = ROOT / "Tests" / "Fixtures" / "trees-kinds"


@pytest.mark.parametrize("library,model_file", [("xgboost", "xgb_regression.json"), ("lightgbm", "lgb_regression.txt")])
def test_imported_regression_scores_the_librarys_value(tmp_path, library, model_file):
    """A regression model's `long` component gives the library's prediction bit for bit, `short` minus it."""
    artifact = tmp_path / "regression.modelc"
    subprocess.run([MODELC, "import", library, str(KINDS / model_file), "--entry", "0.002", "-o", str(artifact)],
                   check=True, capture_output=True)
    model = modelc.Model(artifact)
    long, short = model.components
    assert (long.name, short.name) == ("long", "short")
    rows = np.load(KINDS / "X.npy").astype(np.float64)
    expected = np.load(KINDS / model_file.replace(".json", "_pred.npy").replace(".txt", "_pred.npy")).astype(np.float64)
    assert np.array_equal(np.array(long.score_inputs(rows)), expected)
    assert np.array_equal(np.array(short.score_inputs(rows)), -expected)


@pytest.mark.parametrize("library,model_file", [("xgboost", "xgb_multiclass.json"), ("lightgbm", "lgb_multiclass.txt")])
def test_imported_multiclass_scores_the_class_probabilities(tmp_path, library, model_file):
    """A 3-class model (short, flat, long): `long` and `short` give those classes' probabilities."""
    artifact = tmp_path / "multiclass.modelc"
    subprocess.run([MODELC, "import", library, str(KINDS / model_file), "--classes", "short,flat,long", "-o", str(artifact)],
                   check=True, capture_output=True)
    long, short = modelc.Model(artifact).components
    rows = np.load(KINDS / "X.npy").astype(np.float64)
    expected = np.load(KINDS / (model_file.split(".")[0] + "_pred.npy"))
    ulp = np.spacing(expected).astype(np.float64)
    assert np.all(np.abs(np.array(long.score_inputs(rows)) - expected[:, 2]) <= 4 * ulp[:, 2])
    assert np.all(np.abs(np.array(short.score_inputs(rows)) - expected[:, 0]) <= 4 * ulp[:, 0])


@pytest.mark.parametrize("library,model_file", [("xgboost", "xgb_dart.json"), ("lightgbm", "lgb_rf.txt")])
def test_imported_dart_and_random_forest_score_as_the_library(tmp_path, library, model_file):
    artifact = tmp_path / "weighted.modelc"
    subprocess.run([MODELC, "import", library, str(KINDS / model_file), "-o", str(artifact)], check=True, capture_output=True)
    (component,) = modelc.Model(artifact).components
    expected = np.load(KINDS / (model_file.split(".")[0] + "_pred.npy"))
    scores = np.array(component.score_inputs(np.load(KINDS / "X.npy").astype(np.float64)))
    assert np.all(np.abs(scores - expected) <= 4 * np.spacing(expected).astype(np.float64))


@pytest.mark.parametrize("library,model_file,ulps", [("xgboost", "xgb_categorical.json", "float32"),
                                                     ("lightgbm", "lgb_categorical.txt", "float64")])
def test_imported_categorical_splits_score_as_the_library(tmp_path, library, model_file, ulps):
    artifact = tmp_path / "categorical.modelc"
    subprocess.run([MODELC, "import", library, str(KINDS / model_file), "-o", str(artifact)], check=True, capture_output=True)
    (component,) = modelc.Model(artifact).components
    expected = np.load(KINDS / (model_file.split(".")[0] + "_pred.npy"))
    scores = np.array(component.score_inputs(np.load(KINDS / "X_categorical.npy").astype(np.float64)))
    assert np.all(np.abs(scores - expected) <= 4 * np.spacing(expected.astype(ulps)).astype(np.float64))
