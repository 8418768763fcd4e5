"""The no-reuse guarantee through Python with two processes on one key directory: they race for every epoch
with different messages, and each epoch is released exactly once, for one process's message only."""

import json
import pathlib
import subprocess
import sys

import ndvt
from conftest import seed

WORKER = pathlib.Path(__file__).with_name("no_reuse_worker.py")
EPOCHS = 24
DEADLINE = 90.0


def test_two_processes_never_sign_one_epoch_twice(tmp_path):
    key_dir = tmp_path / "key"
    with ndvt.generate(ndvt.TEST, key_dir, seed=seed(9), first_epoch=0) as signer:
        public_key = signer.public_key
        assert signer.info.prepared_end >= EPOCHS
    go = tmp_path / "go"
    workers = [
        subprocess.Popen(
            [sys.executable, str(WORKER), str(key_dir), str(w), str(EPOCHS), str(go), str(DEADLINE)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(2)
    ]
    outputs = []
    try:
        go.touch()
        for w in workers:
            out, err = w.communicate(timeout=DEADLINE + 30)
            assert w.returncode == 0, err
            outputs.append([json.loads(line) for line in out.splitlines()])
    finally:
        for w in workers:  # no child outlives the test, whatever failed above
            if w.poll() is None:
                w.kill()
                w.wait()
    for lines in outputs:
        assert [line["epoch"] for line in lines] == list(range(EPOCHS))
    for epoch in range(EPOCHS):
        signed = [(w, lines[epoch]) for w, lines in enumerate(outputs) if lines[epoch]["signed"]]
        assert len(signed) == 1, f"epoch {epoch} released {len(signed)} times"
        worker, line = signed[0]
        message = bytes([worker + 1]) * 32
        assert ndvt.verify(ndvt.TEST, public_key, epoch, message, bytes.fromhex(line["signature"]))
    assert ndvt.key_info(key_dir).watermark == EPOCHS - 1
