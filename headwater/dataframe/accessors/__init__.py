"""``.str``, ``.dt`` and ``.cat`` accessors of a Series."""
