"""Graph mode: ``hw.jit.trace`` records a call's ops as a static :class:`Graph` and
replays it; ``hw.compile`` traces per input signature and replays, training steps
included. The ONNX exporter reads the same graph.
"""

from headwater.jit.compile import CompiledFunction, compile
from headwater.jit.errors import CompileWarning, TraceError, TracerWarning
from headwater.jit.graph import Graph, Node, Value
from headwater.jit.trace import TracedFunction, trace

__all__ = ["trace", "compile", "CompiledFunction", "TracedFunction", "Graph", "Node", "Value", "TraceError", "TracerWarning",
           "CompileWarning"]
