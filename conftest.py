"""Root pytest configuration: what doctest collection must skip."""

# headwater/nn.py and headwater/optim.py replace themselves in sys.modules with
# headwater.autograd.nn / .optim (so `import headwater.nn` works as in PyTorch);
# their doctests are collected from the real modules instead.
collect_ignore = ["headwater/nn.py", "headwater/optim.py"]
