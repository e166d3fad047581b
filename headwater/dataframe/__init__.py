"""dataframe layer (see ../shared/DESIGN.md)."""
