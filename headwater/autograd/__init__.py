"""autograd layer (see ../shared/DESIGN.md)."""
