"""Keys and the durable signer through Python: generation, signing, preparing ahead, info, the context
manager, threads sharing one signer, and a fork that must not inherit a usable signer."""

import os
import pickle
import threading

import pytest

import ndvt
from conftest import seed

MESSAGE = bytes(range(32))


def test_instances_are_constants():
    assert ndvt.LEANVM.name == "leanvm" and str(ndvt.DEVNET4) == "devnet4"
    assert ndvt.LEANVM.public_key_len == 32 and ndvt.LEANVM.signature_len == 1208
    assert ndvt.instance("leanvm-test") == ndvt.LEANVM_TEST
    assert len(set(ndvt.INSTANCES)) == len(ndvt.INSTANCES) >= 18
    assert repr(ndvt.TEST) == "ndvt.Instance('test')"


def test_sign_verify_round_trip(test_signer):
    signature = test_signer.sign(3, MESSAGE)
    assert len(signature) == ndvt.TEST.signature_len
    assert ndvt.verify(ndvt.TEST, test_signer.public_key, 3, MESSAGE, signature)
    assert not ndvt.verify(ndvt.TEST, test_signer.public_key, 4, MESSAGE, signature)
    assert not ndvt.verify("test", test_signer.public_key, 3, bytes(32), signature)
    # The last (epoch, message) again gives the same bytes; another message at a used epoch is refused.
    assert test_signer.sign(3, MESSAGE) == signature
    with pytest.raises(ndvt.RefusedError):
        test_signer.sign(3, bytes(32))
    with pytest.raises(ndvt.RefusedError):
        test_signer.sign(2, MESSAGE)


def test_seed_is_deterministic(tmp_path):
    a = ndvt.generate("test", tmp_path / "a", seed=seed(1), first_epoch=0)
    b = ndvt.generate("test", tmp_path / "b", seed=seed(1), first_epoch=5)
    c = ndvt.generate("test", tmp_path / "c", seed=seed(2), first_epoch=0)
    assert a.public_key == b.public_key != c.public_key
    assert b.info.next_epoch == 5
    with pytest.raises(ndvt.RefusedError):
        b.sign(4, MESSAGE)
    for s in (a, b, c):
        s.close()


def test_os_randomness_keys_differ(tmp_path):
    with ndvt.generate("test", tmp_path / "a") as a, ndvt.generate("test", tmp_path / "b") as b:
        assert a.public_key != b.public_key
        assert a.info.next_epoch == a.info.activation_start == 0


def test_seed_needs_first_epoch(key_dir):
    with pytest.raises(TypeError):
        ndvt.generate("test", key_dir, seed=seed(1))
    assert not key_dir.exists()


def test_info_and_prepare(test_signer, key_dir):
    info = test_signer.info
    assert (info.instance, info.activation_start, info.activation_end) == (ndvt.TEST, 0, 256)
    assert info.watermark is None and info.next_epoch == 0 and info.remaining == 256
    outside = info.prepared_end + 1
    with pytest.raises(ndvt.NotSignableError):
        test_signer.sign(outside, MESSAGE)
    test_signer.prepare(outside)
    signature = test_signer.sign(outside, MESSAGE)
    assert ndvt.verify("test", test_signer.public_key, outside, MESSAGE, signature)
    after = test_signer.info
    assert after.watermark == outside and after.next_epoch == outside + 1
    # Read without the lock, while the signer holds it.
    assert ndvt.key_info(key_dir).watermark == outside
    assert ndvt.key_public_key(key_dir) == test_signer.public_key
    assert f"watermark={outside}," in repr(after) and "watermark=None," in repr(info)


def test_context_manager_releases_the_lock(key_dir):
    with ndvt.generate("test", key_dir, seed=seed(3), first_epoch=0) as signer:
        signer.sign(0, MESSAGE)
        with pytest.raises(ndvt.LockedError):
            ndvt.Signer.open(key_dir)
    assert signer.closed
    with pytest.raises(ndvt.InvalidArgumentError):
        signer.sign(1, MESSAGE)
    signer.close()  # idempotent
    with ndvt.Signer.open(key_dir) as again:
        assert again.info.watermark == 0
        assert repr(again) == "<ndvt.Signer test open>"
    assert repr(again) == "<ndvt.Signer test closed>"


def test_signer_is_not_picklable(test_signer):
    with pytest.raises(TypeError):
        pickle.dumps(test_signer)


def test_threads_share_one_signer(test_signer):
    """Four threads try every epoch 0..15 with their own message: each epoch is released exactly once."""
    epochs = range(16)
    results = {}
    lock = threading.Lock()

    def work(worker: int):
        message = bytes([worker]) * 32
        for epoch in epochs:
            try:
                signature = test_signer.sign(epoch, message)
            except ndvt.RefusedError:
                continue
            with lock:
                results.setdefault(epoch, []).append((message, signature))

    threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert sorted(results) == list(epochs)
    for epoch, released in results.items():
        assert len(released) == 1, (epoch, len(released))
        message, signature = released[0]
        assert ndvt.verify("test", test_signer.public_key, epoch, message, signature)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_forked_child_cannot_sign(test_signer):
    test_signer.sign(0, MESSAGE)
    pid = os.fork()
    if pid == 0:  # the child: the inherited signer must refuse, whatever happens
        code = 1
        try:
            test_signer.sign(1, bytes(32))
        except ndvt.LockedError:
            code = 0
        except BaseException:
            code = 2
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    # The parent's signer still works and epoch 1 is still free.
    assert ndvt.verify("test", test_signer.public_key, 1, MESSAGE, test_signer.sign(1, MESSAGE))
