"""Inference of an exported MLP: onnxruntime against Headwater's own forward (and PyTorch's).

The MLP of ``train_mlp.py`` (64 -> 256 -> 256 -> 10, ReLU) is exported once with
``hw.onnx.export`` (dynamic batch) and its outputs checked against Headwater's to 1e-5;
then each engine predicts the same batches, runs alternating, and the report gives the
median samples/s per batch size and the ratio of each engine to Headwater's forward
(under ``hw.no_grad()``). onnxruntime runs with ``intra_op_num_threads = --threads``.

    python benchmarks/onnx_infer.py --threads 1
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import time


def _parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--batches", type=int, nargs="+", default=[1, 32, 256, 4096])
    p.add_argument("--rows", type=int, default=65536, help="rows predicted per timed run")
    p.add_argument("--runs", type=int, default=7, help="timed runs per engine")
    p.add_argument("--no-torch", action="store_true")
    return p.parse_args()


ARGS = _parse()
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "HEADWATER_NUM_THREADS"):
    os.environ[var] = str(ARGS.threads)

import numpy as np  # noqa: E402
import onnxruntime as ort  # noqa: E402

import headwater as hw  # noqa: E402

IN, HIDDEN, OUT = 64, 256, 10


def build() -> object:
    hw.manual_seed(0)
    nn = hw.nn
    model = nn.Sequential(nn.Linear(IN, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, OUT))
    return model.eval()


def timed(fn, batches) -> float:
    start = time.perf_counter()
    for b in batches:
        fn(b)
    return time.perf_counter() - start


def main() -> None:
    model = build()
    buffer = io.BytesIO()
    hw.onnx.export(model, (hw.randn(2, IN),), buffer, input_names=["x"], output_names=["logits"])
    options = ort.SessionOptions()
    options.intra_op_num_threads = ARGS.threads
    options.inter_op_num_threads = 1
    sess = ort.InferenceSession(buffer.getvalue(), options, providers=["CPUExecutionProvider"])
    engines = {}

    def headwater_forward(x):
        with hw.no_grad():
            return model(x).numpy()

    engines["headwater"] = (headwater_forward, lambda a: hw.as_tensor(a))
    engines["onnxruntime"] = (lambda x: sess.run(None, {"x": x})[0], lambda a: a)
    if not ARGS.no_torch:
        try:
            import torch
        except ImportError:
            torch = None
        if torch is not None:
            torch.set_num_threads(ARGS.threads)
            tmodel = torch.nn.Sequential(torch.nn.Linear(IN, HIDDEN), torch.nn.ReLU(), torch.nn.Linear(HIDDEN, HIDDEN),
                                         torch.nn.ReLU(), torch.nn.Linear(HIDDEN, OUT)).eval()
            with torch.no_grad():
                for (_, p), (_, q) in zip(model.named_parameters(), tmodel.named_parameters()):
                    q.copy_(torch.from_numpy(p.detach().numpy()))

            def torch_forward(x):
                with torch.inference_mode():
                    return tmodel(x).numpy()

            engines["torch"] = (torch_forward, lambda a: torch.from_numpy(a))

    rng = np.random.default_rng(0)
    check = rng.standard_normal((100, IN)).astype(np.float32)
    want = headwater_forward(hw.as_tensor(check))
    for name, (fn, wrap) in engines.items():
        np.testing.assert_allclose(fn(wrap(check)), want, atol=1e-5, err_msg=name)
    print(f"MLP {IN}-{HIDDEN}-{HIDDEN}-{OUT} inference, {ARGS.threads} thread(s), {ARGS.rows} rows per run, "
          f"median of {ARGS.runs} runs; onnxruntime {ort.__version__}")
    print(f"{'batch':>6} " + " ".join(f"{n + ' rows/s':>18}" for n in engines) + "  " +
          " ".join(f"{n + '/headwater':>22}" for n in engines if n != "headwater"))
    for batch in ARGS.batches:
        n = max(1, ARGS.rows // batch)
        data = rng.standard_normal((n, batch, IN)).astype(np.float32)
        inputs = {name: [wrap(d) for d in data] for name, (_, wrap) in engines.items()}
        times = {name: [] for name in engines}
        for name, (fn, _) in engines.items():
            timed(fn, inputs[name][:3])  # warm up
        for _ in range(ARGS.runs):
            for name, (fn, _) in engines.items():
                times[name].append(timed(fn, inputs[name]))
        rate = {name: n * batch / statistics.median(t) for name, t in times.items()}
        print(f"{batch:>6} " + " ".join(f"{rate[name]:>18,.0f}" for name in engines) + "  " +
              " ".join(f"{rate[name] / rate['headwater']:>21.2f}x" for name in engines if name != "headwater"))


if __name__ == "__main__":
    main()
