"""Groups and aggregates through Python: a 2-of-3 group signs through its members' durable signers, the
shares combine into a group signature, and a concatenation aggregate over a single key and the group
verifies."""

import pytest

import ndvt
from conftest import seed

EPOCH = 4
MESSAGE = bytes(range(100, 132))


@pytest.fixture
def members(tmp_path):
    signers = [ndvt.generate("test", tmp_path / f"m{i}", seed=seed(20 + i), first_epoch=0) for i in range(3)]
    yield signers
    for s in signers:
        s.close()


def shares_of(signers, epoch=EPOCH, message=MESSAGE):
    return [
        ndvt.group_share("test", s.public_key, epoch, message, s.sign(epoch, message)) for s in signers
    ]


def test_group_create_sign_combine_verify(members):
    group = ndvt.create_group("test", 2, [m.public_key for m in members])
    assert len(group.group_id) == 32
    assert (group.liveness_margin, group.safety_margin) == (1, 0)
    assert isinstance(group.warnings, list)
    assert "ndvt.Group(group_id=" in repr(group)
    signature = ndvt.combine("test", group.key, shares_of(members[:2]))
    assert ndvt.verify_group("test", group.key, EPOCH, MESSAGE, signature)
    assert not ndvt.verify_group("test", group.key, EPOCH + 1, MESSAGE, signature)
    assert not ndvt.verify_group("test", group.key, EPOCH, bytes(32), signature)
    assert not ndvt.verify_group("test", group.key, EPOCH, MESSAGE, signature[:-1])
    assert not ndvt.verify_group("test", group.key, EPOCH, MESSAGE[:31], signature)


def test_linter_findings_and_backup_policy(members):
    keys = [m.public_key for m in members]
    with pytest.raises(ndvt.LinterError):
        ndvt.create_group("test", 1, keys)  # 2m <= n: two disjoint quorums
    backup = ndvt.create_group("test", 1, keys, allow_disjoint_quorums=True)
    assert backup.safety_margin < 0 and backup.warnings
    with pytest.raises(ndvt.LinterError):
        ndvt.create_group("test", 0, keys)
    with pytest.raises(ndvt.LinterError):
        ndvt.create_group("test", 4, keys)


def test_concatenation_aggregate(members, tmp_path):
    group = ndvt.create_group("test", 2, [m.public_key for m in members[:3]])
    group_signature = ndvt.combine("test", group.key, shares_of(members[1:3]))
    with ndvt.generate("test", tmp_path / "single", seed=seed(30), first_epoch=0) as single:
        single_signature = single.sign(EPOCH, MESSAGE)
        registry = [("single", single.public_key), ("group", group.key)]
    contributions = [(0, "single", single_signature), (1, "group", group_signature)]
    aggregate = ndvt.aggregate("test", len(registry), EPOCH, MESSAGE, contributions)
    assert ndvt.verify_aggregate("test", registry, EPOCH, MESSAGE, aggregate)
    assert not ndvt.verify_aggregate("test", registry, EPOCH, bytes(32), aggregate)
    assert not ndvt.verify_aggregate("test", registry[::-1], EPOCH, MESSAGE, aggregate)
    assert not ndvt.verify_aggregate("test", registry, EPOCH, MESSAGE, aggregate[:-1])
    # Only the single key: the aggregate still verifies, over what it claims.
    partial = ndvt.aggregate("test", len(registry), EPOCH, MESSAGE, contributions[:1])
    assert ndvt.verify_aggregate("test", registry, EPOCH, MESSAGE, partial)
