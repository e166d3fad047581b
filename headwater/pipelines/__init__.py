"""pipelines layer (see ../shared/DESIGN.md)."""
