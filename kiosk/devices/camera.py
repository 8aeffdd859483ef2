"""Camera scanning: frames from OpenCV (or a simulator) decoded on a worker thread.

`CameraWorker` owns one thread. It opens a `FrameSource`, decodes frames through a
`Decoder` (normally `decode.Pipeline`), suppresses repeats, and calls back:
`on_code(Code)` for each new read, `on_error(DeviceError)` once per outage (camera
missing, unplugged, unreadable), and optionally `on_frame(frame)` for a preview,
every `preview_every`-th frame. Callbacks run on the worker thread: a Qt screen
connects them to signals (kiosk.screens), never touches widgets from them.

After an outage the worker reopens the source with a growing back-off until
`stop()`; a finite source (a video file, a simulator without loop) ends the worker.

`CameraSimulator` plays image files or a video at a given frame rate with the same
interface as `OpenCvCamera`, for tests and `kiosk demo`.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol

import cv2
import numpy as np

from kiosk.devices.decode import Code, Confirmer, Decoder, Frame, RepeatFilter
from kiosk.devices.errors import DeviceError
from kiosk.text import Text

log = logging.getLogger(__name__)

VIDEO_SUFFIXES = frozenset({".mp4", ".avi", ".mkv", ".mov", ".webm", ".m4v"})


class FrameSource(Protocol):
    """Where frames come from: a camera, a video file, a simulator."""

    name: str

    def read(self) -> Frame | None:
        """The next frame; None when a finite source has ended.

        Raises DeviceError when the camera is gone or a picture cannot be read.
        """
        ...

    def close(self) -> None: ...


def _u8(mat: Any) -> Frame:
    return np.asarray(mat, dtype=np.uint8)


class OpenCvCamera:
    """A camera by index (0 = first) or device path, or a video file, via cv2.VideoCapture."""

    def __init__(
        self,
        source: int | str,
        *,
        width: int | None = None,
        height: int | None = None,
        max_failures: int = 15,
    ) -> None:
        self.name = f"camera {source}"
        self._is_file = isinstance(source, str) and Path(source).is_file()
        self._max_failures = max_failures
        self._cap = cv2.VideoCapture(source)
        if not self._cap.isOpened():
            self._cap.release()
            if isinstance(source, str) and not source.startswith("/dev/") and "://" not in source:
                raise DeviceError(
                    Text("cannot open {source}: no such video file", source=source), "config"
                )
            raise DeviceError(
                Text(
                    "{name} is not connected or is used by another program — check its cable",
                    name=self.name,
                ),
                "unplugged",
            )
        if not self._is_file:
            self._cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # decode the newest frame, not a queue
            if width and height:
                self._cap.set(cv2.CAP_PROP_FRAME_WIDTH, width)
                self._cap.set(cv2.CAP_PROP_FRAME_HEIGHT, height)

    def read(self) -> Frame | None:
        for _ in range(self._max_failures):
            ok, frame = self._cap.read()
            if ok and frame is not None:
                return _u8(frame)
            if self._is_file:
                return None
            time.sleep(0.02)
        raise DeviceError(
            Text("{name} stopped sending pictures — check its cable", name=self.name), "unplugged"
        )

    def close(self) -> None:
        self._cap.release()


class CameraSimulator:
    """Plays image files, or one video file, at `fps` frames per second; loops if asked.

    Same interface as `OpenCvCamera`. An image that cannot be read raises
    DeviceError(kind="garbled") when its turn comes, like a camera gone bad.
    """

    def __init__(
        self,
        paths: Sequence[str | Path] | str | Path,
        *,
        fps: float = 10.0,
        loop: bool = False,
        hold: int = 1,
        gap: int = 0,
        canvas: tuple[int, int] | None = None,
    ) -> None:
        items = [Path(paths)] if isinstance(paths, str | Path) else [Path(p) for p in paths]
        self._hold = max(1, hold)
        self._gap = max(0, gap)
        self._canvas = canvas
        self._shown = 0  # frames of the current picture (and the gap after it) sent so far
        self._picture: Frame | None = None
        if not items:
            raise DeviceError(Text("camera simulator needs at least one picture"), "config")
        self.name = f"simulated camera ({items[0].name}{', …' if len(items) > 1 else ''})"
        self._period = 1.0 / fps if fps > 0 else 0.0
        self._loop = loop
        self._items = items
        self._index = 0
        self._video: cv2.VideoCapture | None = None
        if len(items) == 1 and items[0].suffix.lower() in VIDEO_SUFFIXES:
            self._video = cv2.VideoCapture(str(items[0]))
            if not self._video.isOpened():
                self._video.release()
                raise DeviceError(
                    Text("cannot open {video}: not a readable video", video=items[0]), "config"
                )
        self._next = time.monotonic()

    def _pace(self) -> None:
        delay = self._next - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        self._next = max(self._next + self._period, time.monotonic())

    def read(self) -> Frame | None:
        self._pace()
        if self._video is not None:
            ok, frame = self._video.read()
            if not ok and self._loop:
                self._video.set(cv2.CAP_PROP_POS_FRAMES, 0)
                ok, frame = self._video.read()
            return _u8(frame) if ok and frame is not None else None
        if self._picture is not None and self._shown < self._hold + self._gap:
            self._shown += 1
            if self._shown > self._hold:  # the bench with nothing on it, between labels
                return self._bench()
            return self._picture.copy()
        if self._index >= len(self._items):
            if not self._loop:
                return None
            self._index = 0
        path = self._items[self._index]
        self._index += 1
        picture = cv2.imread(str(path), cv2.IMREAD_COLOR)
        if picture is None:
            raise DeviceError(
                Text(
                    "{name}: cannot read the picture {picture}", name=self.name, picture=path.name
                ),
                "garbled",
            )
        self._picture = self._on_bench(_u8(picture)) if self._canvas else _u8(picture)
        self._shown = 1
        return self._picture.copy()

    def _bench(self) -> Frame:
        width, height = self._canvas or (640, 480)
        bench = np.full((height, width, 3), 96, np.uint8)
        bench[:, :, 1] = 104  # a grey-green bench top
        return bench

    def _on_bench(self, picture: Frame) -> Frame:
        """The label picture as a camera over the bench sees it: centred, enlarged."""
        bench = self._bench()
        height, width = bench.shape[:2]
        zoom = max(1, min((width // 2) // picture.shape[1], (height // 2) // picture.shape[0]))
        big = _u8(cv2.resize(picture, None, fx=zoom, fy=zoom, interpolation=cv2.INTER_NEAREST))
        big = _u8(cv2.copyMakeBorder(big, 24, 24, 24, 24, cv2.BORDER_CONSTANT, value=(245,) * 3))
        h, w = big.shape[:2]
        if h > height or w > width:
            return picture
        y, x = (height - h) // 2, (width - w) // 2
        bench[y : y + h, x : x + w] = big
        return bench

    def close(self) -> None:
        if self._video is not None:
            self._video.release()


class CameraWorker:
    """Decode frames from a source on one worker thread; results through callbacks.

    `open_source` is called on the worker thread (again after an outage); it returns
    a FrameSource or raises DeviceError. `repeat_window_s` (0 = report every read)
    sets how long the same text stays suppressed.
    """

    def __init__(
        self,
        open_source: Callable[[], FrameSource],
        decoder: Decoder,
        *,
        on_code: Callable[[Code], None],
        on_error: Callable[[DeviceError], None],
        on_frame: Callable[[Frame], None] | None = None,
        preview_every: int = 3,
        repeat_window_s: float = 2.0,
        reconnect: bool = True,
        backoff_s: tuple[float, float] = (0.5, 8.0),
        name: str = "camera",
        more_decoders: Sequence[Decoder] = (),
        confirm: tuple[int, int] = (1, 1),
    ) -> None:
        self._open_source = open_source
        self._decoder = decoder
        self._decoders = [decoder, *more_decoders]  # one decoding thread each
        self._confirm = confirm
        self._forget: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._on_code = on_code
        self._on_error = on_error
        self._on_frame = on_frame
        self._preview_every = max(1, preview_every)
        self._repeats = RepeatFilter(repeat_window_s) if repeat_window_s > 0 else None
        self._reconnect = reconnect
        self._backoff_s = backoff_s
        self.name = name
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._outage = False
        self._delay = backoff_s[0]
        self.frames = 0  # frames read since start (for health display and tests)

    # -- lifecycle

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"kiosk-{self.name}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> bool:
        """Ask the worker to end and wait for it; False if it did not end in time."""
        self._stop.set()
        if self._thread is threading.current_thread():  # stop() from a callback: it ends soon
            return True
        thread, self._thread = self._thread, None
        if thread is None:
            return True
        thread.join(timeout)
        if thread.is_alive():
            log.warning(
                "%s: worker still busy after %.1f s (a blocked camera read)", self.name, timeout
            )
            self._thread = thread
            return False
        return True

    def join(self, timeout: float | None = None) -> None:
        """Wait for a finite source to end (the worker ends on its own)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def forget(self, text: str | None = None) -> None:
        """Report `text` (None: every code) again when next seen; any thread.

        The screen calls this for a read nobody listened to (no scan step open), so a
        label lying under the camera is read as soon as a scan step wants it.
        """
        self._forget.put(text)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def __enter__(self) -> CameraWorker:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- the worker thread

    def _report(self, error: DeviceError) -> None:
        try:
            self._on_error(error)
        except Exception:  # a failing callback must not end the worker
            log.exception("%s: on_error callback failed", self.name)

    def _run(self) -> None:
        self._outage, self._delay = False, self._backoff_s[0]
        while not self._stop.is_set():
            source: FrameSource | None = None
            try:
                source = self._open_source()
                ended = self._stream(source)
            except DeviceError as exc:
                if not self._outage:  # once per outage, not once per retry
                    log.warning("%s: %s", self.name, exc)
                    self._report(exc)
                self._outage = True
                ended = not self._reconnect
            finally:
                if source is not None:
                    source.close()
            if ended:
                return
            if self._outage:
                if self._stop.wait(self._delay):
                    return
                self._delay = min(self._delay * 2, self._backoff_s[1])

    def _stream(self, source: FrameSource) -> bool:
        """Read and decode until stopped (False) or the source ends (True).

        With several decoders, frames are decoded on that many threads at once (the
        decoders release the GIL): the camera keeps its frame rate on a slow
        machine. Results are handled in frame order.
        """
        confirmer = Confirmer(*self._confirm)
        free: deque[Decoder] = deque(self._decoders)
        pending: deque[tuple[Future[list[Code]], Decoder]] = deque()
        pool = (
            ThreadPoolExecutor(len(self._decoders), thread_name_prefix=f"kiosk-{self.name}")
            if len(self._decoders) > 1
            else None  # one decoder: decode on this thread
        )
        try:
            while not self._stop.is_set():
                if not free:
                    self._settle(pending.popleft(), free, confirmer)
                frame = source.read()
                if frame is None:
                    log.info("%s: %s ended", self.name, source.name)
                    while pending:
                        self._settle(pending.popleft(), free, confirmer)
                    return True
                if self._outage:
                    log.info("%s: pictures again from %s", self.name, source.name)
                    self._outage, self._delay = False, self._backoff_s[0]
                self.frames += 1
                if self._on_frame is not None and (self.frames - 1) % self._preview_every == 0:
                    try:
                        self._on_frame(frame)
                    except Exception:  # the preview must not stop decoding
                        log.exception("%s: on_frame callback failed", self.name)
                decoder = free.popleft()
                pending.append((_submit(pool, decoder, frame), decoder))
            return False
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)

    def _settle(
        self,
        job: tuple[Future[list[Code]], Decoder],
        free: deque[Decoder],
        confirmer: Confirmer,
    ) -> None:
        """Wait for one decoded frame and report its new, confirmed codes."""
        future, decoder = job
        try:
            codes = future.result()
        except DeviceError as exc:
            log.warning("%s: frame skipped: %s", self.name, exc)
            codes = []
        except Exception:  # a decoder bug on one frame must not end the camera
            log.exception("%s: frame skipped: the decoder failed", self.name)
            codes = []
        finally:
            free.append(decoder)
        codes = confirmer.feed(codes)
        while not self._forget.empty():
            text = self._forget.get()
            if self._repeats is not None:
                self._repeats.forget(text)
        if self._repeats is not None:
            codes = self._repeats.filter(codes)
        for code in codes:
            log.info("%s: read %s %s", self.name, code.symbology, code.shown)
            try:
                self._on_code(code)
            except Exception:  # a failing consumer must not stop the camera
                log.exception("%s: on_code callback failed", self.name)


def _submit(pool: ThreadPoolExecutor | None, decoder: Decoder, frame: Frame) -> Future[list[Code]]:
    """Decode `frame` on the pool, or at once on this thread without one."""
    if pool is not None:
        return pool.submit(decoder.decode, frame)
    done: Future[list[Code]] = Future()
    try:
        done.set_result(decoder.decode(frame))
    except Exception as exc:  # reported by the caller, as from the pool
        done.set_exception(exc)
    return done
