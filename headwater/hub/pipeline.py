"""A fitted pipeline as one object: ``predict(frame)`` / ``predict_proba(frame)``.

The frame goes through exactly what ``headwater predict`` applies
(:func:`headwater.pipelines.predict.predict_frame`): the fitted steps (nothing is
refitted), the input layout, the model, the target decoding.
"""

from __future__ import annotations

from typing import Any

__all__ = ["HubPipeline"]


class HubPipeline:
    """A pipeline loaded through the hub, from a shipped entry, an artifact or a run directory.

    Attributes
    ----------
    name, task : str
        From the artifact's ``meta.json`` (or the run's config).
    classes : list or None
        The class labels, in the order of ``predict_proba``'s columns (None for regression).
    metrics : dict
        ``{split: {metric: value}}`` recorded when the pipeline was trained.
    inputs : list of dict or None
        ``{"name", "dtype"}`` of each column the pipeline read (after its joins).
    model : hw.nn.Module
        The fitted network, in eval mode.
    meta : dict
        The whole manifest.

    Examples
    --------
    >>> import headwater as hw
    >>> model = hw.hub.load("penguins")
    >>> frame = hw.DataFrame({"island": ["Biscoe"], "bill_length_mm": [47.5], "bill_depth_mm": [15.0],
    ...                       "flipper_length_mm": [218.0], "body_mass_g": [4950.0], "sex": ["male"],
    ...                       "year": [2008]})
    >>> model.predict(frame).tolist()
    ['Gentoo']
    """

    def __init__(self, config: Any, steps: list[Any], encoder: Any, layout: Any, model: Any,
                 meta: dict[str, Any]) -> None:
        self.config, self.steps, self.encoder, self.layout, self.model = config, steps, encoder, layout, model
        self.meta = meta
        self.name: str = meta.get("name", config.name)
        self.task: str = config.target.task
        self.target: str = config.target.column
        self.classes: list[Any] | None = None if self.task == "regression" else list(encoder.classes)
        self.metrics: dict[str, Any] = meta.get("metrics") or {}
        self.inputs: list[dict[str, str]] | None = meta.get("inputs")

    def __repr__(self) -> str:
        version = f" {self.meta['version']}" if "version" in self.meta else ""
        return f"HubPipeline({self.name!r}{version}, task={self.task!r}, target={self.target!r})"

    def _frame(self, frame: Any) -> Any:
        from headwater.dataframe.frame import DataFrame
        from headwater.pipelines.errors import DataError

        df = frame if isinstance(frame, DataFrame) else DataFrame(frame)
        if self.inputs is not None:
            missing = [c["name"] for c in self.inputs if c["name"] != self.target and c["name"] not in df.columns]
            if missing:
                raise DataError(f"{self.name}: the frame lacks input column(s) {missing}; the pipeline reads "
                                f"{[c['name'] for c in self.inputs if c['name'] != self.target]}")
        return df

    def predict_table(self, frame: Any) -> Any:
        """What ``headwater predict`` writes, as a DataFrame: ``row`` (the row's position in
        ``frame``), the target when ``frame`` has it, ``prediction``, and ``prob_<class>``
        for classification. Rows that the pipeline's filter steps drop have no row here.

        Parameters
        ----------
        frame : DataFrame, pandas.DataFrame, pyarrow.Table or dict
            The columns the pipeline read, as its data section read them (after its joins).

        Raises
        ------
        DataError
            ``frame`` lacks a column the pipeline reads, or a fitted step cannot apply.
        """
        from headwater.dataframe.frame import DataFrame
        from headwater.pipelines.predict import predict_frame

        table = predict_frame(self.config, self.steps, self.encoder, self.layout, self.model, self._frame(frame))
        return DataFrame(table)

    def _aligned(self, frame: Any) -> Any:
        df = self._frame(frame)
        table = self.predict_table(df)
        if len(table) != len(df):
            raise ValueError(f"{self.name}: the pipeline's steps keep {len(table)} of {len(df)} rows, so predictions "
                             f"do not line up with the frame; use predict_table(frame), whose 'row' column says "
                             f"which input row each prediction is for")
        return table

    def predict(self, frame: Any) -> Any:
        """The prediction for each row of ``frame``: a class label, or a value (regression).

        Returns a Series named ``prediction``, in the order of ``frame``'s rows.

        Raises
        ------
        ValueError
            The pipeline's filter steps drop rows (use :meth:`predict_table`).
        """
        return self._aligned(frame)["prediction"]

    def predict_proba(self, frame: Any) -> Any:
        """Class probabilities for each row: a DataFrame with one ``prob_<class>`` column per class.

        Raises
        ------
        AttributeError
            The pipeline is a regression (as scikit-learn's regressors have no ``predict_proba``).
        """
        if self.classes is None:
            raise AttributeError(f"{self.name} is a regression pipeline: predict_proba exists for classification; "
                                 f"use predict")
        table = self._aligned(frame)
        return table[[f"prob_{label}" for label in self.classes]]
