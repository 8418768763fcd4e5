"""Every public vector through the bindings: each positive case valid, each negative case invalid, one by one
and batched."""

import collections

import pytest

import ndvt
from conftest import vector_cases

CASES = vector_cases()


def test_the_vectors_are_all_there():
    # ffi/ci.sh replays the same 101 cases; fewer means a file went missing, not that everything passed.
    assert len(CASES) >= 101
    kinds = collections.Counter((instance, expected) for _, instance, *_, expected in CASES)
    for instance in ("devnet4", "test", "leanvm"):
        assert kinds[(instance, True)] > 0 and kinds[(instance, False)] > 0, instance


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_vector(case):
    _, instance, public_key, epoch, message, signature, expected = case
    assert ndvt.verify(instance, public_key, epoch, message, signature) is expected
    # The same through an Instance constant and bytearray inputs.
    assert ndvt.verify(ndvt.instance(instance), bytearray(public_key), epoch, message, signature) is expected


@pytest.mark.parametrize("instance", ["devnet4", "test", "leanvm"])
def test_vectors_batched(instance):
    cases = [c for c in CASES if c[1] == instance]
    items = [(pk, epoch, msg, sig) for _, _, pk, epoch, msg, sig, _ in cases]
    assert ndvt.verify_batch(instance, items) == [c[-1] for c in cases]


def test_instance_sizes_match_the_vectors():
    for _, instance, public_key, _, _, signature, expected in CASES:
        if expected:
            assert len(public_key) == ndvt.instance(instance).public_key_len
            assert len(signature) == ndvt.instance(instance).signature_len
