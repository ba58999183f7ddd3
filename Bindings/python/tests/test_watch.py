"""Issue #8's "done when": a promoted, signed artifact exported with `modelc registry export` while
the example bot streams candles is picked up without a restart and without a warm-up gap."""
import csv
import hashlib
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import modelc
from test_stream import CANDLES, MODELC, ROOT, unix

BOT = ROOT / "Bindings" / "python" / "examples" / "stream_bot.py"


def modelc_cli(*args):
    r = subprocess.run([MODELC, *map(str, args)], capture_output=True, text=True)
    assert r.returncode == 0, f"modelc {' '.join(map(str, args))}: {r.stderr}"
    return r.stdout


def score_fields(line: str) -> dict:
    """`TIMESTAMP ready R signal S size X ...` as printed by the bot's --every."""
    parts = line.split()
    return {"timestamp": parts[0], **{parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}}


def expected_fields(timestamp: str, s: modelc.Score) -> dict:
    return {"timestamp": timestamp, "ready": str(s.ready), "signal": str(s.signal), "size": repr(s.size),
            "confidence": repr(s.confidence), "p_up": repr(s.p_up), "p_long": repr(s.p_long), "p_short": repr(s.p_short)}


class Bot:
    """The example bot reading candles from a pipe, its output collected line by line."""

    def __init__(self, *args):
        self.process = subprocess.Popen([sys.executable, str(BOT), *map(str, args)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        env={**os.environ, "PYTHONPATH": str(ROOT / "Bindings" / "python")})
        self.lines = queue.Queue()
        self.reader = threading.Thread(target=lambda: [self.lines.put(l.rstrip("\n")) for l in self.process.stdout],
                                       daemon=True)
        self.reader.start()
        self.seen = []

    def send(self, rows):
        self.process.stdin.write("".join(r + "\n" for r in rows))
        self.process.stdin.flush()

    def wait_for(self, prefix: str):
        while not (self.seen and self.seen[-1].startswith(prefix)):
            self.seen.append(self.lines.get(timeout=60))

    def finish(self):
        self.process.stdin.close()
        assert self.process.wait(timeout=60) == 0
        self.reader.join(timeout=10)
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return self.seen


def test_bot_picks_up_an_exported_promotion_without_a_gap(tmp_path):
    rows = CANDLES.read_text().splitlines()
    header, candles = rows[0], rows[-400:]
    registry = ["--registry", tmp_path / "registry"]
    modelc_cli("keys", "generate", "--out", tmp_path / "keys")
    for seed in (1, 2):
        modelc_cli("demo", "--seed", seed, "-o", tmp_path / f"v{seed}.modelc")
        modelc_cli("sign", tmp_path / f"v{seed}.modelc", "--key", tmp_path / "keys" / "modelc.key")
    modelc_cli("registry", "trust", "add", tmp_path / "keys" / "modelc.pub", *registry)
    modelc_cli("registry", "push", tmp_path / "v1.modelc", tmp_path / "v2.modelc", "--name", "bot", *registry)
    modelc_cli("registry", "promote", "bot", "1", "--to", "production", *registry)
    live = tmp_path / "live.modelc"
    modelc_cli("registry", "export", "bot@production", live, *registry)

    bot = Bot(live, "-", "--watch", "--every")
    bot.send([header] + candles[:200])
    bot.wait_for(candles[199].split(",")[0])  # the bot has scored 200 candles with version 1
    modelc_cli("registry", "promote", "bot", "2", "--to", "production", *registry)
    modelc_cli("registry", "export", "bot@production", live, *registry)
    bot.send(candles[200:])
    lines = bot.finish()

    v2 = (tmp_path / "v2.modelc").read_bytes()
    reload_at = next(i for i, l in enumerate(lines) if "reloaded" in l)
    assert lines[reload_at].startswith(candles[200].split(",")[0] + ": reloaded demo-dual 0.1.0 (sha256 "
                                       + hashlib.sha256(v2).hexdigest()[:16]), lines[reload_at]
    scores = [score_fields(l) for l in lines if " ready " in l]
    assert len(scores) == 400

    # The reference: version 1 from the start; then a fresh stream of version 2 fed the last
    # warm-up's worth of candles before the swap, as Spec.md §4.7 says, and every candle after.
    parsed = [(r.split(",")[0], (unix(r.split(",")[0]), *r.split(",")[1:6])) for r in candles]
    old = modelc.Model(tmp_path / "v1.modelc").stream()
    want = [expected_fields(t, old.push(c)) for t, c in parsed[:200]]
    new_model = modelc.Model(v2)
    fresh = new_model.stream()
    for _, c in parsed[200 - new_model.warmup_candles:200]:
        fresh.push(c)
    want += [expected_fields(t, fresh.push(c)) for t, c in parsed[200:]]
    assert scores == want
    assert all(s["ready"] == "1" for s in scores[200:]), "no warm-up gap after the swap"
    assert lines[-1] == f"{400 - modelc.Model(tmp_path / 'v1.modelc').warmup_candles + 1} candles scored, " \
                        f"{sum(s['signal'] != '0' for s in scores)} signals"


def test_watcher_reloads_only_a_replaced_file_and_survives_a_bad_one(tmp_path):
    modelc_cli("demo", "--seed", 1, "-o", tmp_path / "a.modelc")
    modelc_cli("demo", "--seed", 2, "-o", tmp_path / "b.modelc")
    live = tmp_path / "live.modelc"
    os.link(tmp_path / "a.modelc", live)
    watcher = modelc.ModelWatcher(live)
    first = watcher.model
    assert watcher.poll() is None
    os.replace(tmp_path / "b.modelc", live)  # what an atomic export does
    assert watcher.poll() is not None and watcher.model is not first
    assert watcher.sha256 == hashlib.sha256(live.read_bytes()).hexdigest()
    bad = tmp_path / "bad.modelc"
    bad.write_bytes(b"not an artifact")
    kept = watcher.model
    os.replace(bad, live)
    with pytest.raises(modelc.ModelcError) as e:
        watcher.poll()
    assert str(live) in str(e.value)
    assert watcher.model is kept and watcher.poll() is None, "the same bad file is not retried"
