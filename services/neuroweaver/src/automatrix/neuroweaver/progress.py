"""Live progress of one training run, published on ``ai.v1.training.<run_id>.<event>``.

Training runs in a worker thread; ``from_thread`` hands its reports to the event loop, so a
trial finishing inside Optuna is on the bus (and the dashboard, and the CLI's progress bar)
at once, without the trainer knowing about asyncio.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

from automatrix.shared.bus import Bus
from automatrix.shared.contracts import TrainingEventKind, TrainingProgress

log = logging.getLogger(__name__)


class Progress:
    """Publishes the events of one run; counts the work done so far."""

    def __init__(self, bus: Bus, run_id: str, model_name: str) -> None:
        self.bus = bus
        self.run_id = run_id
        self.model_name = model_name
        self.total: int | None = None
        self.step = 0
        self._loop = asyncio.get_running_loop()

    async def publish(
        self,
        event: TrainingEventKind,
        *,
        metrics: Mapping[str, float] | None = None,
        message: str = "",
        epoch: int | None = None,
        trial: int | None = None,
    ) -> None:
        total = self.total if self.total is None or self.step <= self.total else self.step
        await self.bus.publish(
            TrainingProgress(
                run_id=self.run_id,
                model_name=self.model_name,
                event=event,
                epoch=epoch,
                trial=trial,
                step=self.step,
                total=total,
                metrics={k: float(v) for k, v in (metrics or {}).items()},
                message=message[:4096],
            )
        )

    async def started(self, total: int, message: str) -> None:
        self.total = total
        await self.publish(TrainingEventKind.STARTED, message=message)

    async def advance(
        self,
        event: TrainingEventKind,
        metrics: Mapping[str, float],
        *,
        epoch: int | None = None,
        trial: int | None = None,
        message: str = "",
    ) -> None:
        self.step += 1
        await self.publish(event, metrics=metrics, epoch=epoch, trial=trial, message=message)

    def from_thread(
        self,
        event: TrainingEventKind,
        metrics: Mapping[str, float],
        *,
        epoch: int | None = None,
        trial: int | None = None,
        message: str = "",
    ) -> None:
        """``advance`` from the training thread; waits until published, so events keep order."""
        future = asyncio.run_coroutine_threadsafe(
            self.advance(event, metrics, epoch=epoch, trial=trial, message=message), self._loop
        )
        try:
            future.result(timeout=30)
        except Exception:  # progress is best effort; the run itself goes on
            log.warning("progress event of %s not published", self.run_id, exc_info=True)
