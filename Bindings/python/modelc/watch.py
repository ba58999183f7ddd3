"""Reloads an artifact when the file at its path is replaced, as `modelc registry export` does
(write a temporary file, rename it over the path): the path then names a new inode."""
import hashlib
import os
from pathlib import Path
from typing import Optional, Tuple, Union

from .model import Model


class ModelWatcher:
    """Watches one artifact path. `model` is the artifact last loaded from it; `poll()` loads the
    file again when its identity (device, inode, size, modification time) changed and returns
    the new Model, else None. Use it with Stream.set_model to swap models without a restart::

        watcher = ModelWatcher("live.modelc")
        stream = watcher.model.stream()
        for candle in feed:
            new = watcher.poll()
            if new:
                stream.set_model(new)
            score = stream.push(candle)

    A replacement that does not load (say, a corrupt file) raises ModelcError from poll() once;
    the watcher keeps the previous model and does not retry that same file.
    """

    def __init__(self, path: Union[str, Path]):
        self.path = Path(path)
        self.model, self.sha256, self._identity = self._load()

    def poll(self) -> Optional[Model]:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None  # between an unlink and a rename, or gone: keep the current model
        if _identity(st) == self._identity:
            return None
        try:
            self.model, self.sha256, self._identity = self._load()
        except Exception:
            self._identity = _identity(st)
            raise
        return self.model

    def _load(self) -> Tuple[Model, str, tuple]:
        # Read through one open file, so the identity belongs to exactly the bytes loaded even if
        # the path is replaced again meanwhile.
        with open(self.path, "rb") as f:
            identity = _identity(os.fstat(f.fileno()))
            data = f.read()
        try:
            model = Model(data)
        except Exception as e:
            e.args = (f"{self.path}: {e.args[0]}",)
            raise
        return model, hashlib.sha256(data).hexdigest(), identity


def _identity(st: os.stat_result) -> tuple:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
