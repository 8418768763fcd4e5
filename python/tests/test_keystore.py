"""EIP-8310 keystores and EIP-3076 history through Python: export → import round trips (argon2id and scrypt,
with small KDF costs), and each refusal with its own class. No import ever lowers a watermark."""

import json

import pytest

import ndvt
from conftest import seed

PASSWORD = "correct horse battery staple"
# Cheap KDF costs: the round trip is what is tested, not the cost (the reader accepts these bounds).
FAST_ARGON2 = ndvt.Argon2id(memory_kib=64, iterations=1, lanes=1)
FAST_SCRYPT = ndvt.Scrypt(log_n=4, r=8, p=1)
MESSAGE = bytes([5]) * 32


@pytest.fixture
def signed_key(tmp_path):
    """A closed key directory of the test set whose epochs 0..4 are signed."""
    key_dir = tmp_path / "source"
    with ndvt.generate(ndvt.TEST, key_dir, seed=seed(50), first_epoch=0) as signer:
        for epoch in range(5):
            signer.sign(epoch, MESSAGE)
    return key_dir


@pytest.mark.parametrize("kdf", [FAST_ARGON2, FAST_SCRYPT], ids=["argon2id", "scrypt"])
def test_round_trip(signed_key, tmp_path, kdf):
    keystore = ndvt.export_keystore(signed_key, PASSWORD, kdf=kdf)
    document = json.loads(keystore)
    assert document["version"] == 5
    assert document["crypto"]["kdf"]["function"] == ("argon2id" if isinstance(kdf, ndvt.Argon2id) else "scrypt")
    assert document["pubkey"] == ndvt.key_public_key(signed_key).hex()
    assert PASSWORD not in keystore.decode()

    target = tmp_path / "target"
    result = ndvt.import_keystore(keystore, PASSWORD, target, first_epoch=0)
    assert result.created and result.instance == ndvt.TEST
    assert result.public_key == ndvt.key_public_key(signed_key)
    # The snapshot's floor wins over a lower first epoch: epochs 0..4 stay used.
    assert result.next_epoch == 5
    with ndvt.Signer.open(target) as signer:
        with pytest.raises(ndvt.RefusedError):
            signer.sign(4, bytes(32))
        signature = signer.sign(5, bytes(32))
    assert ndvt.verify(ndvt.TEST, result.public_key, 5, bytes(32), signature)

    # Importing again into the directory that holds the key changes nothing.
    again = ndvt.import_keystore(keystore, PASSWORD, target)
    assert (again.created, again.next_epoch) == (False, 6)
    assert "created=False" in repr(again)


def test_first_epoch_above_the_snapshot(signed_key, tmp_path):
    keystore = ndvt.export_keystore(signed_key, PASSWORD, kdf=FAST_ARGON2)
    result = ndvt.import_keystore(keystore, PASSWORD, tmp_path / "t", first_epoch=40)
    assert result.next_epoch == 40


def test_refusals(signed_key, tmp_path):
    keystore = ndvt.export_keystore(signed_key, PASSWORD, kdf=FAST_ARGON2)
    target = tmp_path / "t"

    with pytest.raises(ndvt.WrongPasswordError) as wrong:
        ndvt.import_keystore(keystore, "hunter2-not-it", target, first_epoch=0)
    assert type(wrong.value) is ndvt.WrongPasswordError
    assert "hunter2" not in str(wrong.value) and "hunter2" not in repr(wrong.value)

    document = json.loads(keystore)
    message = document["crypto"]["cipher"]["message"]
    document["crypto"]["cipher"]["message"] = ("1" if message[0] != "1" else "2") + message[1:]
    with pytest.raises(ndvt.TamperedError):
        ndvt.import_keystore(json.dumps(document).encode(), PASSWORD, target, first_epoch=0)

    for garbage in (b"", b"not json", b"{}", json.dumps({**json.loads(keystore), "version": 4}).encode()):
        with pytest.raises(ndvt.KeystoreError) as info:
            ndvt.import_keystore(garbage, PASSWORD, target, first_epoch=0)
        assert type(info.value) is ndvt.KeystoreError

    with pytest.raises(ndvt.FirstEpochRequiredError):
        ndvt.import_keystore(keystore, PASSWORD, target)
    assert not target.exists()

    with pytest.raises(ndvt.EmptyPasswordError):
        ndvt.export_keystore(signed_key, "\n", kdf=FAST_ARGON2)
    with pytest.raises(ndvt.InvalidArgumentError):
        ndvt.export_keystore(signed_key, PASSWORD, kdf="argon2id")
    with pytest.raises(ndvt.KeystoreError):  # costs above the reader's limits are refused on export too
        ndvt.export_keystore(signed_key, PASSWORD, kdf=ndvt.Argon2id(iterations=1000))

    with ndvt.Signer.open(signed_key):
        with pytest.raises(ndvt.LockedError):
            ndvt.export_keystore(signed_key, PASSWORD, kdf=FAST_ARGON2)

    other = tmp_path / "other"
    ndvt.generate(ndvt.TEST, other, seed=seed(51), first_epoch=0).close()
    with pytest.raises(ndvt.KeyMismatchError):
        ndvt.import_keystore(keystore, PASSWORD, other)

    with ndvt.generate(ndvt.SHA3_TEST, tmp_path / "sha3", seed=seed(52), first_epoch=0):
        pass
    with pytest.raises(ndvt.KeystoreError):  # SHA-3 sets have no EIP-8310 scheme block
        ndvt.export_keystore(tmp_path / "sha3", PASSWORD, kdf=FAST_ARGON2)


def test_import_never_lowers_a_watermark(signed_key, tmp_path):
    early = ndvt.export_keystore(signed_key, PASSWORD, kdf=FAST_ARGON2)  # snapshot: next epoch 5
    copy = tmp_path / "copy"
    ndvt.import_keystore(early, PASSWORD, copy, first_epoch=0)
    with ndvt.Signer.open(signed_key) as signer:
        for epoch in range(5, 10):
            signer.sign(epoch, MESSAGE)
    late = ndvt.export_keystore(signed_key, PASSWORD, kdf=FAST_ARGON2)  # snapshot: next epoch 10
    # The copy's record (next epoch 5) is behind the later snapshot: refused, and left as it was.
    with pytest.raises(ndvt.WatermarkBehindError):
        ndvt.import_keystore(late, PASSWORD, copy)
    assert ndvt.key_info(copy).next_epoch == 5

    # The history of the source raises the copy's watermark (and a second import changes nothing).
    history = ndvt.export_history(signed_key)
    assert json.loads(history)["metadata"]["interchange_format_version"] == "5"
    assert ndvt.import_history(copy, history) == (5, 10)
    assert ndvt.import_history(copy, history) == (10, 10)
    assert ndvt.import_keystore(late, PASSWORD, copy).next_epoch == 10


def test_history_refusals(signed_key, tmp_path):
    history = ndvt.export_history(signed_key)
    with pytest.raises(ndvt.HistoryError):
        ndvt.import_history(signed_key, b"not json")
    with pytest.raises(ndvt.HistoryError):  # another chain
        ndvt.import_history(signed_key, history, genesis_validators_root=bytes([1]) * 32)
    with pytest.raises(ndvt.LengthError):
        ndvt.export_history(signed_key, genesis_validators_root=bytes(31))
    other = tmp_path / "other"
    ndvt.generate(ndvt.TEST, other, seed=seed(53), first_epoch=0).close()
    with pytest.raises(ndvt.HistoryError):  # no entry for this key
        ndvt.import_history(other, history)
