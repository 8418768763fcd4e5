"""Bad input per error class: each raises exactly its own ndvt.Error subclass, never a panic or a crash.
Keystore classes are in test_keystore.py."""

import pytest

import ndvt
from conftest import seed

MESSAGE = bytes(32)


def raises_exactly(cls, fn, *args, **kwargs):
    with pytest.raises(ndvt.Error) as info:
        fn(*args, **kwargs)
    assert type(info.value) is cls, f"{type(info.value).__name__}: {info.value}"
    return info.value


def test_hierarchy():
    assert issubclass(ndvt.Error, Exception)
    for cls in (ndvt.LengthError, ndvt.MessageLengthError, ndvt.EmptyPasswordError):
        assert issubclass(cls, ndvt.InvalidArgumentError)
    for cls in (ndvt.ShareError, ndvt.BelowThresholdError, ndvt.SignatureError, ndvt.ContributionError):
        assert issubclass(cls, ndvt.GroupSignatureError)
    for cls in (ndvt.WrongPasswordError, ndvt.TamperedError):
        assert issubclass(cls, ndvt.KeystoreError)
    # By-name classes no bad input reaches from Python (kept so a future path maps to its own class).
    for cls in (ndvt.PublicKeyError, ndvt.RandomnessError):
        assert issubclass(cls, ndvt.Error)
    assert ndvt.LockedError.__module__ == "ndvt" and ndvt.LockedError.__doc__


def test_unknown_instance(key_dir):
    raises_exactly(ndvt.UnknownInstanceError, ndvt.instance, "devnet5")
    raises_exactly(ndvt.UnknownInstanceError, ndvt.verify, "nope", b"", 0, MESSAGE, b"")
    raises_exactly(ndvt.UnknownInstanceError, ndvt.verify_batch, "nope", [])
    raises_exactly(ndvt.UnknownInstanceError, ndvt.generate, "nope", key_dir)
    raises_exactly(ndvt.UnknownInstanceError, ndvt.create_group, "nope", 1, [])
    assert not key_dir.exists()


def test_usage_errors_are_python_errors():
    with pytest.raises(TypeError):
        ndvt.verify("test", "not bytes", 0, MESSAGE, b"")
    with pytest.raises(OverflowError):
        ndvt.verify("test", b"", -1, MESSAGE, b"")
    with pytest.raises(TypeError):
        ndvt.verify(42, b"", 0, MESSAGE, b"")


def test_malformed_bytes_are_invalid_not_errors(test_signer):
    signature = test_signer.sign(0, MESSAGE)
    pk = test_signer.public_key
    for args in [(b"", 0, MESSAGE, signature), (pk[:-1], 0, MESSAGE, signature), (pk, 0, MESSAGE[:31], signature),
                 (pk, 0, MESSAGE, signature[:-1]), (pk, 0, MESSAGE, signature + b"\0"), (pk, 2**64 - 1, MESSAGE, signature)]:
        assert ndvt.verify("test", *args) is False
    assert ndvt.verify_batch("test", [(b"", 0, MESSAGE, b""), (pk, 0, MESSAGE, signature)]) == [False, True]


def test_length(test_signer, tmp_path):
    raises_exactly(ndvt.LengthError, test_signer.sign, 1, bytes(31))
    raises_exactly(ndvt.LengthError, ndvt.generate, "test", tmp_path / "k", seed=bytes(31), first_epoch=0)
    assert test_signer.info.watermark is None  # nothing was signed


def test_key_range(key_dir):
    raises_exactly(ndvt.KeyRangeError, ndvt.generate, "test", key_dir, seed=seed(1), first_epoch=0,
                   activation_start=250, activation_epochs=40)
    raises_exactly(ndvt.KeyRangeError, ndvt.generate, "test", key_dir, activation_epochs=0)


def test_refused(test_signer):
    test_signer.sign(5, MESSAGE)
    raises_exactly(ndvt.RefusedError, test_signer.sign, 5, bytes([1]) * 32)
    raises_exactly(ndvt.RefusedError, test_signer.sign, 4, MESSAGE)


def test_not_signable(test_signer):
    raises_exactly(ndvt.NotSignableError, test_signer.sign, 256, MESSAGE)  # past the lifetime
    raises_exactly(ndvt.NotSignableError, test_signer.prepare, 1000)


def test_locked(test_signer, key_dir):
    raises_exactly(ndvt.LockedError, ndvt.Signer.open, key_dir)


def test_key_directory(test_signer, key_dir, tmp_path):
    raises_exactly(ndvt.KeyDirectoryError, ndvt.Signer.open, tmp_path / "missing")
    raises_exactly(ndvt.KeyDirectoryError, ndvt.key_info, tmp_path / "missing")
    raises_exactly(ndvt.KeyDirectoryError, ndvt.key_public_key, tmp_path / "missing")
    test_signer.close()
    raises_exactly(ndvt.KeyDirectoryError, ndvt.generate, "test", key_dir, seed=seed(2), first_epoch=0)
    (key_dir / "record").write_bytes(b"garbage")
    raises_exactly(ndvt.KeyDirectoryError, ndvt.Signer.open, key_dir)


def test_closed_signer(test_signer):
    test_signer.close()
    raises_exactly(ndvt.InvalidArgumentError, test_signer.sign, 0, MESSAGE)
    raises_exactly(ndvt.InvalidArgumentError, test_signer.prepare, 0)
    raises_exactly(ndvt.InvalidArgumentError, lambda: test_signer.info)


def test_group_classes(test_signer, tmp_path):
    pk = test_signer.public_key
    signature = test_signer.sign(1, MESSAGE)
    with ndvt.generate("test", tmp_path / "b", seed=seed(40), first_epoch=0) as other:
        group = ndvt.create_group("test", 2, [pk, other.public_key])
        raises_exactly(ndvt.GroupKeyError, ndvt.create_group, "test", 1, [pk, b"short"])
        raises_exactly(ndvt.GroupKeyError, ndvt.combine, "test", b"not a group", [])
        raises_exactly(ndvt.ShareError, ndvt.combine, "test", group.key, [b"not a share"])
        share = ndvt.group_share("test", pk, 1, MESSAGE, signature)
        raises_exactly(ndvt.BelowThresholdError, ndvt.combine, "test", group.key, [share])
        raises_exactly(ndvt.BelowThresholdError, ndvt.combine, "test", group.key, [share, share])
        raises_exactly(ndvt.BelowThresholdError, ndvt.combine, "test", group.key, [])
    raises_exactly(ndvt.SignatureError, ndvt.group_share, "test", pk, 1, MESSAGE, signature[:-1])
    raises_exactly(ndvt.MessageLengthError, ndvt.group_share, "test", pk, 1, MESSAGE[:5], signature)
    raises_exactly(ndvt.ContributionError, ndvt.aggregate, "test", 1, 1, MESSAGE, [(3, "single", signature)])
    raises_exactly(ndvt.SignatureError, ndvt.aggregate, "test", 1, 1, MESSAGE, [(0, "single", b"bad")])
    raises_exactly(ndvt.ContributionError, ndvt.aggregate, "test", 1, 1, MESSAGE, [(0, "group", b"bad")])
    raises_exactly(ndvt.MessageLengthError, ndvt.aggregate, "test", 1, 1, MESSAGE[:1], [])
    raises_exactly(ndvt.InvalidArgumentError, ndvt.aggregate, "test", 1, 1, MESSAGE, [(0, "both", signature)])
    raises_exactly(ndvt.InvalidArgumentError, ndvt.verify_aggregate, "test", [("x", pk)], 1, MESSAGE, b"")
