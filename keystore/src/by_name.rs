//! Keystores and signing history for a key directory of any instance, chosen at run time from the
//! directory or the keystore: the glue the CLI (`ndvt key export|import`, `ndvt key history`) and the Python
//! package share, so neither dispatches on instances or classifies errors itself.
//!
//! Errors come as [`Error`], one variant per class, so a binding maps each to one exception without looking
//! inside. The rules that keep an epoch from being signed twice are [`crate::import`]'s.

use std::path::Path;

use ndvt_xmss::by_name as keys;
use ndvt_xmss::durable::key_instance;
use ndvt_xmss::registry::InstanceId;
use ndvt_xmss::{DurableError, DurableSigner, Instance, with_instance};
use rand_chacha::rand_core::SeedableRng as _;
use zeroize::Zeroizing;

use crate::error::{InterchangeError, KeystoreError};
use crate::import::{ImportError, ImportOutcome};
use crate::interchange::Interchange;
use crate::kdf::Kdf;
use crate::keystore::Keystore;
use crate::password::Password;

/// Why a keystore or history call failed. Each variant is one class of error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The key directory cannot be used (missing, corrupt, locked by a signer, of an unknown instance): the
    /// key API's own class says which.
    #[error(transparent)]
    Key(keys::Error),
    /// The keystore's bytes are not a keystore this reader accepts: malformed, another version or scheme,
    /// unsupported parameters, KDF costs above the reader's limits, a secret that does not match its clear
    /// fields; or the key's instance has no keystore scheme.
    #[error(transparent)]
    Keystore(KeystoreError),
    /// The password does not open the keystore.
    #[error("wrong password")]
    WrongPassword,
    /// The password is right but the ciphertext or a field bound to it was changed.
    #[error("the keystore was tampered with: authentication failed although the password is right")]
    Tampered,
    /// An empty password (after EIP-2335 normalisation) protects nothing: export refuses it.
    #[error("refusing to export under an empty password")]
    EmptyPassword,
    /// Importing into a new directory needs an explicit first epoch (the snapshot is not authoritative).
    #[error(transparent)]
    FirstEpochRequired(ImportError),
    /// The existing directory's record is behind the keystore's snapshot: refused, to protect the watermark.
    #[error(transparent)]
    WatermarkBehind(ImportError),
    /// The existing directory holds another key than the keystore.
    #[error(transparent)]
    KeyMismatch(ImportError),
    /// An EIP-3076 interchange file was refused (malformed, another chain, no entry for the key).
    #[error(transparent)]
    History(InterchangeError),
    /// The operating system gave no randomness for the keystore's salt, nonce and uuid.
    #[error("no randomness from the operating system: {0}")]
    Randomness(String),
}

impl From<DurableError> for Error {
    fn from(e: DurableError) -> Self {
        Error::Key(e.into())
    }
}

impl From<KeystoreError> for Error {
    fn from(e: KeystoreError) -> Self {
        match e {
            KeystoreError::WrongPassword => Error::WrongPassword,
            KeystoreError::Tampered => Error::Tampered,
            KeystoreError::Randomness => Error::Randomness("no randomness for the keystore".into()),
            other => Error::Keystore(other),
        }
    }
}

impl From<ImportError> for Error {
    fn from(e: ImportError) -> Self {
        match e {
            ImportError::Keystore(k) => k.into(),
            ImportError::Interchange(h) => Error::History(h),
            ImportError::Durable(d) => d.into(),
            e @ ImportError::FirstEpochRequired { .. } => Error::FirstEpochRequired(e),
            e @ ImportError::WatermarkBehind { .. } => Error::WatermarkBehind(e),
            e @ ImportError::KeyMismatch => Error::KeyMismatch(e),
        }
    }
}

/// The instance of the key in `dir`.
fn instance_of(dir: &Path) -> Result<InstanceId, Error> {
    keys::instance(&key_instance(dir)?).map_err(Error::Key)
}

/// A CSPRNG seeded from the operating system, for the keystore's salt, nonce and uuid.
fn os_rng() -> Result<rand_chacha::ChaCha20Rng, Error> {
    let mut seed = Zeroizing::new([0u8; 32]);
    getrandom::fill(seed.as_mut()).map_err(|e| Error::Randomness(e.to_string()))?;
    Ok(rand_chacha::ChaCha20Rng::from_seed(*seed))
}

/// Exports the key in `dir` (its instance read from the directory) to a keystore under `password`, taking
/// the key's lock while reading ([`crate::export_key_dir`]). Refuses an empty password.
pub fn export(dir: &Path, password: &Password, kdf: Kdf) -> Result<Keystore, Error> {
    if password.is_empty() {
        return Err(Error::EmptyPassword);
    }
    let mut rng = os_rng()?;
    with_instance!(instance_of(dir)?, I => Ok(crate::export_key_dir::<I, _>(dir, password, kdf, &mut rng)?))
}

/// Reads a keystore's bytes (JSON), with the default KDF limits.
pub fn parse(bytes: &[u8]) -> Result<Keystore, Error> {
    Ok(Keystore::from_json(bytes)?)
}

/// The registry entry of the instance `keystore` holds.
pub fn keystore_instance(keystore: &Keystore) -> Result<InstanceId, Error> {
    keys::instance(keystore.instance()).map_err(Error::Key)
}

/// Imports `keystore` into `dir` under the rules of [`crate::import_keystore`]: a new directory needs
/// `first_epoch`; an existing one must hold the same key with a record at or above the snapshot.
pub fn import(
    keystore: &Keystore,
    password: &Password,
    dir: &Path,
    first_epoch: Option<u64>,
) -> Result<ImportOutcome, Error> {
    with_instance!(keystore_instance(keystore)?, I =>
        Ok(crate::import_keystore::<I>(keystore, password, dir, first_epoch)?))
}

/// The signing history of the key in `dir` as an EIP-3076 interchange (its minimal form: every epoch below
/// the record's next signable epoch is used), for the chain `genesis_validators_root`, and that next
/// signable epoch. Takes the key's lock.
pub fn export_history(dir: &Path, genesis_validators_root: [u8; 32]) -> Result<(Interchange, u64), Error> {
    fn typed<I: Instance>(dir: &Path, root: [u8; 32]) -> Result<(Interchange, u64), Error> {
        let signer = DurableSigner::<I>::open(dir)?;
        let next = signer.record().next_epoch;
        let public = signer.public_key().to_bytes();
        Ok((Interchange::for_key(&public, root, signer.activation().start, next), next))
    }
    with_instance!(instance_of(dir)?, I => typed::<I>(dir, genesis_validators_root))
}

/// Parses an EIP-3076 interchange file's bytes and checks it is for the chain `genesis_validators_root`.
pub fn parse_history(bytes: &[u8], genesis_validators_root: &[u8; 32]) -> Result<Interchange, Error> {
    let history = Interchange::from_json(bytes).map_err(Error::History)?;
    history.check_genesis(genesis_validators_root).map_err(Error::History)?;
    Ok(history)
}

/// Raises the watermark of the key in `dir` above every epoch `history` names for it
/// ([`crate::import_history`]); the next signable epoch before and after, which never decreases.
pub fn import_history(dir: &Path, history: &Interchange) -> Result<(u64, u64), Error> {
    with_instance!(instance_of(dir)?, I => Ok(crate::import_history::<I>(dir, history)?))
}
