"""City Data Cockpit."""
import os

# The cockpit's matrices are small (ETS forecasts, STL): BLAS threads only add contention, and
# with several processes on 2 cores OpenBLAS's spinning threads made a forecast 10x slower.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
try:
    from threadpoolctl import threadpool_limits
except ImportError:  # pragma: no cover - a requirement; the variable above still applies
    pass
else:
    threadpool_limits(limits=1, user_api="blas")
