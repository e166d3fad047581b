"""Root pytest configuration: what doctest collection must skip."""

# headwater/nn.py and headwater/optim.py replace themselves in sys.modules with
# headwater.autograd.nn / .optim (so `import headwater.nn` works as in PyTorch);
# their doctests are collected from the real modules instead.
collect_ignore = ["headwater/nn.py", "headwater/optim.py"]

# the ONNX exporter's doctests write models: they need the optional onnx package
import importlib.util  # noqa: E402

if importlib.util.find_spec("onnx") is None or importlib.util.find_spec("onnxruntime") is None:
    collect_ignore += ["headwater/onnx"]

# headwater/dask needs the optional Dask: its doctests are collected only where it is installed
if importlib.util.find_spec("dask") is None:
    collect_ignore += ["headwater/dask"]
