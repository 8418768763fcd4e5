"""Shared helpers: the public vectors and small deterministic keys."""

import json
import os
import pathlib

import pytest

import ndvt

REPO = pathlib.Path(__file__).resolve().parents[2]

# The leanSig and leanVM vector files and the instance each one's keys belong to (as ffi/ci.sh reads them).
VECTOR_FILES = [
    ("leansig/leansig_prod_lifetime2_32.json", "devnet4"),
    ("leansig/leansig_test_lifetime2_8.json", "test"),
    ("leanvm-blake2s/leanvm_xmss.json", "leanvm"),
]


def vectors_dir() -> pathlib.Path:
    """The vector folder: NDVT_VECTORS when set, else the repository's copy."""
    return pathlib.Path(os.environ.get("NDVT_VECTORS") or REPO / "testdata" / "vectors")


def unhex(text: str) -> bytes:
    return bytes.fromhex(text[2:] if text.startswith("0x") else text)


def vector_cases():
    """Every public vector as (id, instance, public_key, epoch, message, signature, expected_valid)."""
    cases = []
    for name, instance in VECTOR_FILES:
        data = json.loads((vectors_dir() / name).read_text())
        for k, key in enumerate(data["keys"]):
            for s, sig in enumerate(key["signatures"]):
                cases.append((f"{instance}-key{k}-sig{s}", instance, unhex(key["public_key"]), sig["epoch"],
                              unhex(sig["message"]), unhex(sig["signature"]), True))
        for n, neg in enumerate(data["negative"]):
            label = neg.get("id") or neg.get("case") or str(n)
            cases.append((f"{instance}-neg-{label}", instance, unhex(neg["public_key"]), neg["epoch"],
                          unhex(neg["message"]), unhex(neg["signature"]), False))
    return cases


def seed(n: int) -> bytes:
    """A fixed 32-byte seed, distinct per n."""
    return bytes([n]) * 32


@pytest.fixture
def key_dir(tmp_path):
    """A path for a new key directory (not created)."""
    return tmp_path / "key"


@pytest.fixture
def test_signer(key_dir):
    """An open signer of the small Poseidon1 test set (lifetime 2^8), from a fixed seed; closed afterwards."""
    signer = ndvt.generate(ndvt.TEST, key_dir, seed=seed(7), first_epoch=0)
    yield signer
    signer.close()
