"""The Dask engine: a scheduler at an address, or a local cluster of worker processes.

Imported only for `--engine dask`; Dask is an optional extra (`pip install 'mtdetect[dask]'`).
The model travels to the workers inside a worker plugin (its weights and card as
bytes), so workers on other machines need mtdetect installed but not the model file;
each worker loads it once, when it starts or joins. A local cluster's workers are forked
from the scan on Linux and have the model already.
"""

from __future__ import annotations

import logging
from pathlib import Path

import dask
from distributed import Client, LocalCluster, WorkerPlugin

from ..model import bundled_model_path, card_path, load
from .engines import _DETECTORS, SINGLE_THREADED, EngineError, Job, ModelRef, _can_fork, remember, score_chunk
from .readers import Chunk

CONNECT_TIMEOUT = "20s"


class ModelPlugin(WorkerPlugin):
    """Writes the model into the worker's local folder and loads it there, once."""

    idempotent = True

    def __init__(self, ref: ModelRef, weights: bytes, card: bytes) -> None:
        self.ref = ref
        self.weights = weights
        self.card = card
        self.name = f"mtdetect-model-{ref.sha256[:16]}"

    def setup(self, worker) -> None:
        if self.ref.sha256 in _DETECTORS:
            return  # a local worker forked from the scan: the model came with it
        folder = Path(worker.local_directory) / "mtdetect-models"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.ref.sha256[:16]}.joblib"
        path.write_bytes(self.weights)
        card_path(path).write_bytes(self.card)
        # The scan's user already chose to trust this model; these are its exact bytes.
        remember(self.ref, load(path, trust=True))


class DaskEngine:
    name = "dask"

    def __init__(self, job: Job, workers: int, scheduler: str | None = None) -> None:
        self.job = job
        self.cluster = None
        try:
            if scheduler:
                self.client = Client(scheduler, timeout=CONNECT_TIMEOUT)
            else:
                # Forked local workers start with the model and word tables this process loaded
                # (as the local engine's do); spawned ones would spend ~3 s each loading them.
                method = "fork" if _can_fork() else dask.config.get("distributed.worker.multiprocessing-method")
                with dask.config.set({"distributed.worker.multiprocessing-method": method}):
                    self.cluster = LocalCluster(
                        n_workers=max(1, workers),
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=None,
                        silence_logs=logging.ERROR,
                        env=SINGLE_THREADED,
                    )
                self.client = Client(self.cluster)
        except (OSError, TimeoutError) as error:
            where = f"the Dask scheduler at {scheduler}" if scheduler else "a local Dask cluster"
            raise EngineError(f"cannot start or reach {where} ({error}); check the address and that the scheduler runs") from None
        model_file = Path(job.model.path) if job.model.path else bundled_model_path()
        self.client.register_plugin(ModelPlugin(job.model, model_file.read_bytes(), card_path(model_file).read_bytes()))
        self.workers = max(1, sum(self.client.nthreads().values()))
        self.window = 2 * self.workers + 1

    def submit(self, chunk: Chunk):
        return self.client.submit(score_chunk, self.job, chunk, pure=False)

    def run(self, function, *args):
        return self.client.submit(function, *args, pure=False)

    def close(self, abort: bool = False) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
