//! The key directory on disk: its files, its lock, bounded reads, and loading a key with its record.
//!
//! ```text
//! DIR/instance    the parameter-set name
//! DIR/secret.ssz  the secret key (leanSig layout)
//! DIR/public.ssz  the public key
//! DIR/record      the signing record, bound to the public key (record.rs)
//! DIR/lock        held exclusively by the one signer of this key
//! ```
//! Every read is capped at the largest valid size of its kind, so a file replaced by `/dev/zero` or a huge
//! file fails with [`DurableError::TooLarge`] instead of exhausting memory.

use std::fs::{self, File, OpenOptions};
use std::io::Read;
use std::path::Path;

use super::error::{DurableError, io_err};
use super::record::{Record, key_binding};
use crate::instance::Instance;
use crate::public_key::PublicKey;
use crate::secret_key::SecretKey;

pub(crate) const INSTANCE_FILE: &str = "instance";
pub(crate) const SECRET_FILE: &str = "secret.ssz";
pub(crate) const PUBLIC_FILE: &str = "public.ssz";
pub(crate) const RECORD_FILE: &str = "record";
const LOCK_FILE: &str = "lock";

/// Instance names are short; 255 bytes is what the record format can hold.
const MAX_INSTANCE_NAME: u64 = 255;

/// Reads `path` whole, refusing (without reading further) a file larger than `limit` bytes.
///
/// `what` names the kind of file for the error. Use it for every file whose size an attacker or an accident
/// may choose: it reads at most `limit + 1` bytes.
pub fn read_capped(path: &Path, limit: u64, what: &'static str) -> Result<Vec<u8>, DurableError> {
    let file = File::open(path).map_err(io_err(format!("opening {}", path.display())))?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io_err(format!("reading {}", path.display())))?;
    if bytes.len() as u64 > limit {
        return Err(DurableError::TooLarge { path: path.to_path_buf(), what, limit });
    }
    Ok(bytes)
}

/// Reads the instance name of the key in `dir`.
pub fn key_instance(dir: &Path) -> Result<String, DurableError> {
    let bytes = read_capped(&dir.join(INSTANCE_FILE), MAX_INSTANCE_NAME + 1, "instance name")?;
    Ok(String::from_utf8_lossy(&bytes).trim().to_string())
}

/// Takes the key's exclusive lock (creating the lock file if needed).
pub(crate) fn lock(dir: &Path) -> Result<File, DurableError> {
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(LOCK_FILE))
        .map_err(io_err(format!("opening the lock in {}", dir.display())))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(DurableError::Locked(dir.to_path_buf())),
        Err(fs::TryLockError::Error(e)) => Err(io_err("locking the key")(e)),
    }
}

/// The binding a record of this key must carry.
pub(crate) fn binding_of<I: Instance>(public_key: &PublicKey<I>) -> [u8; 32] {
    key_binding(I::NAME, &public_key.to_bytes())
}

/// A key directory's contents, checked: the instance matches, the record is bound to this key.
pub(crate) struct Loaded<I: Instance> {
    pub(crate) key: SecretKey<I>,
    pub(crate) record: Record,
}

/// Reads and checks the key in `dir` without taking its lock and without writing anything.
pub(crate) fn load<I: Instance>(dir: &Path) -> Result<Loaded<I>, DurableError> {
    let found = key_instance(dir)?;
    if found != I::NAME {
        return Err(DurableError::WrongInstance { expected: I::NAME, found });
    }
    let key_bytes = zeroize::Zeroizing::new(read_capped(
        &dir.join(SECRET_FILE),
        SecretKey::<I>::MAX_ENCODED_LEN as u64,
        "secret key",
    )?);
    let key = SecretKey::<I>::from_bytes(&key_bytes)?;
    let record_bytes = read_capped(&dir.join(RECORD_FILE), Record::MAX_ENCODED_LEN as u64, "signing record")?;
    let record = Record::decode(&record_bytes, I::NAME, &binding_of(&key.public_key()))?;
    Ok(Loaded { key, record })
}

/// Reads the public key stored in `dir` (capped, strictly decoded).
pub fn read_public_key<I: Instance>(dir: &Path) -> Result<PublicKey<I>, DurableError> {
    let bytes = read_capped(&dir.join(PUBLIC_FILE), I::PUBLIC_KEY_BYTES as u64, "public key")?;
    PublicKey::<I>::from_bytes(&bytes).map_err(DurableError::CorruptPublicKey)
}
