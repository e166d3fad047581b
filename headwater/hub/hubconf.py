"""The pretrained entries shipped inside the package, one function each (as a ``hubconf.py``).

Each is rebuilt by ``python scripts/build_hub.py`` from data that ships with the
repository (or with scikit-learn), and ``hw.hub.help(name)`` adds the metrics its
artifact recorded to the docstring below.
"""

from __future__ import annotations

from typing import Any

from headwater.hub.registry import artifact_path, entrypoint

__all__ = ["penguins", "diabetes", "digits_cnn", "char_lstm"]


def _load(name: str, **kwargs: Any) -> Any:
    from headwater.hub.artifact import load_artifact

    return load_artifact(artifact_path(name), **kwargs)


@entrypoint(artifact="penguins")
def penguins() -> Any:
    """Palmer penguins species classifier (Adelie, Chinstrap, Gentoo): a pipeline.

    Trained by ``examples/penguins.yaml`` on ``examples/data/penguins.csv`` (CC0; Horst,
    Hill and Gorman, palmerpenguins): median fill, categorical codes for island and sex,
    standardised measurements, an MLP [32, 16]. The frame needs the CSV's columns
    (``island``, ``bill_length_mm``, ``bill_depth_mm``, ``flipper_length_mm``,
    ``body_mass_g``, ``sex``, ``year``); missing measurements are filled as in training.

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"island": ["Torgersen", "Biscoe"], "bill_length_mm": [39.1, 47.5],
    ...                    "bill_depth_mm": [18.7, 15.0], "flipper_length_mm": [181, 218],
    ...                    "body_mass_g": [3750, 4950], "sex": ["male", None], "year": [2007, 2008]})
    >>> hw.hub.load("penguins").predict(df).tolist()
    ['Adelie', 'Gentoo']
    """
    return _load("penguins")


@entrypoint(artifact="diabetes")
def diabetes() -> Any:
    """Diabetes progression regressor (a score one year after baseline): a pipeline.

    Trained by ``examples/diabetes.yaml`` on ``examples/data/diabetes.csv`` (442 rows,
    from scikit-learn's bundled copy of Efron et al. 2004): one-hot sex, standardised
    age, bmi, bp and six serum measurements s1..s6, an MLP [32] with weight decay.

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"age": [59], "sex": [2], "bmi": [32.1], "bp": [101.0], "s1": [157], "s2": [93.2],
    ...                    "s3": [38.0], "s4": [4.0], "s5": [4.8598], "s6": [87.0]})
    >>> progression = hw.hub.load("diabetes").predict(df)
    >>> progression.dtype, 25 < progression.tolist()[0] < 350
    (dtype('float64'), True)
    """
    return _load("diabetes")


@entrypoint(artifact="digits_cnn")
def digits_cnn(pretrained: bool = True, device: Any = None) -> Any:
    """A CNN for 8x8 handwritten digits (scikit-learn's bundled digits): an ``hw.nn.Module``.

    Built by :func:`headwater.hub.architectures.digits_cnn` and trained by
    ``examples/digits_cnn.py`` (15 epochs of Adam on 80% of the 1,797 images, the
    split of ``numpy.random.default_rng(0).permutation``). Input: ``(N, 1, 8, 8)``
    float32 pixels scaled to [0, 1] (``images / 16``); output: 10 logits.

    Parameters
    ----------
    pretrained : bool
        False gives the untrained architecture.
    device : str or hw.device, optional
        Where the weights go.

    Examples
    --------
    >>> import headwater as hw
    >>> model = hw.hub.load("digits_cnn")
    >>> model(hw.zeros(1, 1, 8, 8)).shape
    (1, 10)
    """
    if not pretrained:
        from headwater.hub.architectures import digits_cnn as build

        model = build()
        return model if device is None else model.to(device)
    return _load("digits_cnn", device=device)


@entrypoint(artifact="char_lstm")
def char_lstm(pretrained: bool = True, device: Any = None) -> Any:
    """A character language model (embedding, LSTM, linear head): an ``hw.nn.Module``.

    Built by :class:`headwater.hub.architectures.CharLSTM` and trained by
    ``examples/char_lstm.py`` on the first 90% of Headwater's README; the loss is
    next-character cross-entropy in nats on windows of the last 10% (a model that
    knew nothing would score log(vocabulary size)). ``model.vocabulary`` lists the
    characters; ``model(codes)`` takes ``(N, T)`` int64 codes into it and returns
    ``(logits, state)``.

    Parameters
    ----------
    pretrained : bool
        False gives the untrained architecture (with the same vocabulary).
    device : str or hw.device, optional
        Where the weights go.

    Examples
    --------
    >>> import headwater as hw
    >>> model = hw.hub.load("char_lstm")
    >>> codes = hw.as_tensor([[model.vocabulary.index(c) for c in "Headwater"]])
    >>> logits, state = model(codes)
    >>> logits.shape[-1] == len(model.vocabulary)
    True
    """
    from headwater.hub.architectures import build_architecture
    from headwater.hub.artifact import read_meta

    meta = read_meta(artifact_path("char_lstm"))
    if pretrained:
        model = _load("char_lstm", device=device)
    else:
        model = build_architecture(meta["architecture"], "char_lstm")
        model = model if device is None else model.to(device)
    model.vocabulary = list(meta["vocabulary"])
    return model
