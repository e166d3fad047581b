"""The network a pipeline trains: an MLP (or a linear model) over tabular features.

Numeric features enter as one float32 matrix. Columns coded by ``categorify`` steps
enter as int64 codes, each looked up in its own embedding table, and the embeddings
are concatenated with the numeric features. The default embedding size is
``min(max_size, (cardinality + 1) // 2)``; ``model.embeddings.sizes`` overrides it.
"""

from __future__ import annotations

from typing import Any

from headwater.pipelines.schema import ModelSection

__all__ = ["TabularModel", "build_model", "embedding_size"]


def embedding_size(cardinality: int, max_size: int = 50) -> int:
    """The default embedding width for a column with ``cardinality`` codes.

    Examples
    --------
    >>> from headwater.pipelines.model import embedding_size
    >>> embedding_size(4), embedding_size(1000)
    (2, 50)
    """
    return max(1, min(max_size, (cardinality + 1) // 2))


def _activation(name: str) -> Any:
    from headwater.autograd import nn

    return {"relu": nn.ReLU, "gelu": nn.GELU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid,
            "silu": nn.SiLU, "leaky_relu": nn.LeakyReLU}[name]()


def _module_base() -> type:
    from headwater.autograd import nn

    return nn.Module


class TabularModel(_module_base()):  # type: ignore[misc]
    """Embeddings for categorical codes, concatenated with numeric features, then an MLP.

    Parameters
    ----------
    n_numeric : int
        Width of the numeric feature matrix.
    cardinalities, embedding_dims : list of int
        One entry per categorical column, in the order of the code matrix.
    hidden : list of int
        Hidden layer widths (empty for a linear model).
    n_outputs : int
        Classes, or 1 for regression.
    activation, dropout, norm
        As in the ``model`` section.

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.pipelines.model import TabularModel
    >>> _ = hw.manual_seed(0)
    >>> m = TabularModel(3, [5], [2], [8], 4)
    >>> m(hw.randn(6, 3), hw.zeros(6, 1, dtype=hw.int64)).shape
    (6, 4)
    """

    def __init__(self, n_numeric: int, cardinalities: list[int], embedding_dims: list[int], hidden: list[int],
                 n_outputs: int, activation: str = "relu", dropout: float = 0.0, norm: str = "none") -> None:
        from headwater.autograd import nn

        super().__init__()
        self.n_numeric = n_numeric
        self.embeddings = nn.ModuleList([nn.Embedding(c, d) for c, d in zip(cardinalities, embedding_dims)])
        width = n_numeric + sum(embedding_dims)
        if width == 0:
            raise ValueError("the model has no input features; keep at least one feature column")
        layers: list[Any] = []
        for size in hidden:
            layers.append(nn.Linear(width, size))
            if norm == "batch":
                layers.append(nn.BatchNorm1d(size))
            elif norm == "layer":
                layers.append(nn.LayerNorm(size))
            layers.append(_activation(activation))
            if dropout > 0:
                layers.append(nn.Dropout(dropout))
            width = size
        layers.append(nn.Linear(width, n_outputs))
        self.net = nn.Sequential(*layers)

    def forward(self, numeric: Any = None, codes: Any = None) -> Any:
        from headwater.autograd.ops import cat

        parts = [] if numeric is None or self.n_numeric == 0 else [numeric]
        for i, table in enumerate(self.embeddings):
            parts.append(table(codes[:, i]))
        x = parts[0] if len(parts) == 1 else cat(parts, dim=1)
        return self.net(x)


def build_model(section: ModelSection, n_numeric: int, categorical: dict[str, int], n_outputs: int) -> TabularModel:
    """The model of a ``model`` section, for the given inputs and outputs.

    Parameters
    ----------
    categorical : dict
        Categorical column -> cardinality, in the order of the code matrix.
        Embedded only when ``model.embeddings.enabled``.
    """
    emb = section.embeddings
    cards = list(categorical.values()) if emb.enabled else []
    dims = [emb.sizes.get(name, embedding_size(card, emb.max_size)) for name, card in categorical.items()] if emb.enabled else []
    hidden = [] if section.type == "linear" else list(section.hidden)
    return TabularModel(n_numeric, cards, dims, hidden, n_outputs, section.activation, section.dropout, section.norm)
