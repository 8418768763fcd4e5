"""Type stubs of ndvt's extension module (the Rust crate python/, `ndvt-python`)."""

import os
from types import TracebackType
from typing import Optional, Sequence, Tuple, Type, Union

__version__: str

_Bytes = Union[bytes, bytearray]
_Path = Union[str, "os.PathLike[str]"]

class Instance:
    """One of ndvt's XMSS parameter sets. Compares and hashes by name; str(instance) is the name."""

    @property
    def name(self) -> str:
        """The set's name, as `ndvt verify --instance` and key directories spell it."""
    @property
    def public_key_len(self) -> int:
        """Bytes of an encoded public key."""
    @property
    def signature_len(self) -> int:
        """Bytes of an encoded signature."""
    @property
    def log_lifetime(self) -> int:
        """log2 of the number of epochs a key of this set has."""

_InstanceArg = Union[Instance, str]

DEVNET4: Instance
TEST: Instance
LEANVM: Instance
LEANVM_TEST: Instance
SHA3_L18_W4: Instance
SHA3_L18_W8: Instance
SHA3_L20_W4: Instance
SHA3_L20_W8: Instance
SHA3_L32_W4: Instance
SHA3_L32_W8: Instance
BLAKE3_L18_W4: Instance
BLAKE3_L18_W8: Instance
BLAKE3_L20_W4: Instance
BLAKE3_L20_W8: Instance
BLAKE3_L32_W4: Instance
BLAKE3_L32_W8: Instance
SHA3_TEST: Instance
BLAKE3_TEST: Instance
INSTANCES: Tuple[Instance, ...]

def instance(name: _InstanceArg) -> Instance:
    """The set called `name`; ndvt.UnknownInstanceError when there is none."""

# Verification: False for anything that is not a valid signature (malformed bytes included).
def verify(
    instance: _InstanceArg, public_key: _Bytes, epoch: int, message: _Bytes, signature: _Bytes
) -> bool:
    """Whether `signature` is valid on the 32-byte `message` at `epoch` under `public_key`."""

def verify_batch(
    instance: _InstanceArg, items: Sequence[Tuple[_Bytes, int, _Bytes, _Bytes]]
) -> list[bool]:
    """One bool per (public_key, epoch, message, signature) item, each what verify answers for it."""

# Keys and the durable signer.
class KeyInfo:
    """What a key says about itself. Ranges are half-open: [start, end)."""

    @property
    def instance(self) -> Instance: ...
    @property
    def activation_start(self) -> int: ...
    @property
    def activation_end(self) -> int: ...
    @property
    def prepared_start(self) -> int: ...
    @property
    def prepared_end(self) -> int: ...
    @property
    def next_epoch(self) -> int:
        """The lowest epoch that may still be signed."""
    @property
    def watermark(self) -> Optional[int]:
        """The last epoch signed, or None if the key never signed."""
    @property
    def remaining(self) -> int: ...

class Signer:
    """A durable signer holding its key directory's exclusive lock until close()."""

    @staticmethod
    def open(key_dir: _Path) -> "Signer":
        """Opens the key in `key_dir`; ndvt.LockedError when another signer holds it."""
    @property
    def instance(self) -> Instance: ...
    @property
    def public_key(self) -> bytes: ...
    @property
    def info(self) -> KeyInfo: ...
    @property
    def closed(self) -> bool: ...
    def sign(self, epoch: int, message: _Bytes) -> bytes:
        """Signs the 32-byte `message` at `epoch` (in the prepared window); durable before released."""
    def prepare(self, epoch: int) -> None:
        """Advances the prepared window until it holds `epoch`."""
    def close(self) -> None:
        """Releases the key directory's lock. Idempotent."""
    def __enter__(self) -> "Signer": ...
    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> bool: ...

def generate(
    instance: _InstanceArg,
    key_dir: _Path,
    *,
    seed: Optional[_Bytes] = None,
    first_epoch: Optional[int] = None,
    activation_start: int = 0,
    activation_epochs: Optional[int] = None,
) -> Signer:
    """Generates a key into the new directory `key_dir`; with a seed, first_epoch is required."""

def key_info(key_dir: _Path) -> KeyInfo:
    """The key directory's state, read without its lock and without writing."""

def key_public_key(key_dir: _Path) -> bytes:
    """The encoded public key stored in `key_dir`, read without its lock."""

# Groups and aggregates.
class Group:
    """A group key the threshold linter accepted, with its findings."""

    @property
    def key(self) -> bytes: ...
    @property
    def group_id(self) -> bytes: ...
    @property
    def liveness_margin(self) -> int: ...
    @property
    def safety_margin(self) -> int: ...
    @property
    def warnings(self) -> list[str]: ...

def create_group(
    instance: _InstanceArg,
    threshold: int,
    members: Sequence[_Bytes],
    *,
    allow_disjoint_quorums: bool = False,
) -> Group: ...
def group_share(
    instance: _InstanceArg, public_key: _Bytes, epoch: int, message: _Bytes, signature: _Bytes
) -> bytes: ...
def combine(instance: _InstanceArg, group_key: _Bytes, shares: Sequence[_Bytes]) -> bytes: ...
def verify_group(
    instance: _InstanceArg, group_key: _Bytes, epoch: int, message: _Bytes, signature: _Bytes
) -> bool: ...
def aggregate(
    instance: _InstanceArg,
    registry_len: int,
    epoch: int,
    message: _Bytes,
    contributions: Sequence[Tuple[int, str, _Bytes]],
) -> bytes:
    """Contributions are (registry_index, "single" | "group", signature)."""

def verify_aggregate(
    instance: _InstanceArg,
    registry: Sequence[Tuple[str, _Bytes]],
    epoch: int,
    message: _Bytes,
    aggregate: _Bytes,
) -> bool:
    """Registry entries are ("single", public_key) or ("group", group_key), in registry order."""

# Keystores (EIP-8310) and signing history (EIP-3076).
class Argon2id:
    def __init__(self, memory_kib: int = 65536, iterations: int = 3, lanes: int = 4) -> None: ...
    @property
    def memory_kib(self) -> int: ...
    @property
    def iterations(self) -> int: ...
    @property
    def lanes(self) -> int: ...

class Scrypt:
    def __init__(self, log_n: int = 18, r: int = 8, p: int = 1) -> None: ...
    @property
    def log_n(self) -> int: ...
    @property
    def r(self) -> int: ...
    @property
    def p(self) -> int: ...

class ImportResult:
    @property
    def created(self) -> bool: ...
    @property
    def next_epoch(self) -> int: ...
    @property
    def instance(self) -> Instance: ...
    @property
    def public_key(self) -> bytes: ...

def export_keystore(
    key_dir: _Path, password: str, *, kdf: Union[Argon2id, Scrypt, None] = None
) -> bytes: ...
def import_keystore(
    keystore: _Bytes, password: str, key_dir: _Path, *, first_epoch: Optional[int] = None
) -> ImportResult: ...
def export_history(key_dir: _Path, *, genesis_validators_root: Optional[_Bytes] = None) -> bytes: ...
def import_history(
    key_dir: _Path, interchange: _Bytes, *, genesis_validators_root: Optional[_Bytes] = None
) -> Tuple[int, int]: ...

# Exceptions: ndvt.Error and one subclass per error class.
class Error(Exception): ...
class UnknownInstanceError(Error): ...
class InvalidArgumentError(Error): ...
class LengthError(InvalidArgumentError): ...
class MessageLengthError(InvalidArgumentError): ...
class EmptyPasswordError(InvalidArgumentError): ...
class PublicKeyError(Error): ...
class KeyRangeError(Error): ...
class RefusedError(Error): ...
class NotSignableError(Error): ...
class LockedError(Error): ...
class KeyDirectoryError(Error): ...
class RandomnessError(Error): ...
class LinterError(Error): ...
class GroupKeyError(Error): ...
class GroupSignatureError(Error): ...
class ShareError(GroupSignatureError): ...
class BelowThresholdError(GroupSignatureError): ...
class SignatureError(GroupSignatureError): ...
class ContributionError(GroupSignatureError): ...
class KeystoreError(Error): ...
class WrongPasswordError(KeystoreError): ...
class TamperedError(KeystoreError): ...
class FirstEpochRequiredError(Error): ...
class WatermarkBehindError(Error): ...
class KeyMismatchError(Error): ...
class HistoryError(Error): ...
