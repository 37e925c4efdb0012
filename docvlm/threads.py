"""How many cores a run may use, and the cap on the native thread pools of one worker
process, so that workers x threads fit the cores instead of oversubscribing them.

Three libraries start their own thread pools, each sized to every core by default:

- ONNX Runtime (pymupdf's layout model, behind the table reader; RapidOCR): each
  ``InferenceSession`` takes ``SessionOptions.intra_op_num_threads``, 0 meaning every
  core. pymupdf.layout builds its sessions itself and has no thread option, so the
  worker wraps ``onnxruntime.InferenceSession`` to fill in the cap where a caller left 0.
- OpenCV: ``OPENCV_FOR_THREADS_NUM``, read when cv2 loads, like the OpenMP variables
  (``cv2.setNumThreads`` when it is loaded already).
- OpenMP, under Tesseract (tesserocr) and the BLAS behind numpy and torch:
  ``OMP_NUM_THREADS`` and its kin, read when the library loads, so they are set before
  anything imports it (a worker is a fresh process: see ``docvlm.batch``).
"""

from __future__ import annotations

import os
import sys
from typing import Any

# OpenMP, the BLAS libraries and OpenCV read these once, when they load.
THREAD_VARIABLES = (
    "OPENCV_FOR_THREADS_NUM",
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)


def cores() -> int:
    """The cores this process may run on (its CPU affinity where the system has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def threads_per_worker(workers: int) -> int:
    """Each worker's share of the cores: at least one thread."""
    return max(1, cores() // max(1, workers))


def cap_threads(threads: int) -> None:
    """Cap this process's native thread pools at ``threads``. Call it first thing in a
    fresh worker process, before docvlm imports OpenCV, Tesseract or ONNX Runtime."""
    for name in THREAD_VARIABLES:
        os.environ[name] = str(threads)
    if "cv2" in sys.modules:  # loaded already: too late for its variable
        sys.modules["cv2"].setNumThreads(threads)
    try:
        import onnxruntime
    except ImportError:  # pragma: no cover
        return
    onnxruntime.InferenceSession = _capped_session(onnxruntime, threads)


def _capped_session(onnxruntime: Any, threads: int) -> type:
    """``InferenceSession`` with ``intra_op_num_threads`` set to ``threads`` where the
    caller left it at ONNX Runtime's default (0: every core)."""
    base = onnxruntime.InferenceSession
    if getattr(base, "docvlm_threads", None) is not None:
        base = base.__mro__[1]  # capped already (a second call): wrap the original again

    class CappedSession(base):  # type: ignore[misc, valid-type]
        docvlm_threads = threads

        def __init__(self, path_or_bytes: Any, sess_options: Any = None, *args: Any, **kw: Any):
            sess_options = sess_options or onnxruntime.SessionOptions()
            if not sess_options.intra_op_num_threads:
                sess_options.intra_op_num_threads = threads
            if not sess_options.inter_op_num_threads:
                sess_options.inter_op_num_threads = 1
            super().__init__(path_or_bytes, sess_options, *args, **kw)

    return CappedSession
