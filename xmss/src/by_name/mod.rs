//! The library by instance name, for bindings: key generation into a key directory, the durable signer
//! behind an object-safe trait, verification and batch verification of bytes, and public keys from key
//! directories. The C ABI (`ndvt-ffi`) and the Python package are thin shells over this module, so both
//! behave exactly alike and neither holds a copy of the glue.
//!
//! ```
//! use ndvt_xmss::by_name::{self, Origin};
//! use ndvt_xmss::registry::InstanceId;
//!
//! let dir = std::env::temp_dir().join(format!("ndvt-doc-by-name-{}", std::process::id()));
//! # let _ = std::fs::remove_dir_all(&dir);
//! let seed = zeroize::Zeroizing::new([3u8; 32]);
//! let origin = Origin::Seed { seed: &seed, first_epoch: 0 };
//! let mut signer = by_name::generate(InstanceId::Test, &dir, origin, 0, Some(64))?;
//! let signature = signer.sign(5, &[9; 32])?;
//! assert!(by_name::verify(InstanceId::Test, &signer.public_key(), 5, &[9; 32], &signature).is_ok());
//! // The epoch is used up.
//! assert!(matches!(signer.sign(5, &[8; 32]), Err(by_name::Error::Refused(_))));
//! # drop(signer); std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;

use std::ops::Range;
use std::path::Path;

pub use error::Error;
use zeroize::Zeroizing;

use crate::batch_verify::{BatchItem, verify_batch as verify_batch_typed};
use crate::durable::{DurableSigner, key_instance, read_public_key};
use crate::error::VerifyError;
use crate::instance::Instance;
use crate::public_key::PublicKey;
use crate::registry::InstanceId;
use crate::secret_key::SecretKey;
use crate::signature::Signature;

/// Where a new key's secret comes from.
pub enum Origin<'a> {
    /// Fresh randomness from the operating system: no history, so the key signs from its activation start.
    Os,
    /// A seed: the same seed gives the same key, which may have signed before, so every epoch below
    /// `first_epoch` counts as used (docs/DURABLE-SIGNER.md, "Recovery").
    Seed {
        /// The 32-byte seed.
        seed: &'a Zeroizing<[u8; 32]>,
        /// The first epoch the key may sign.
        first_epoch: u64,
    },
}

/// What a key directory or signer says about its key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignerInfo {
    /// The parameter set.
    pub instance: InstanceId,
    /// The epochs the key may sign: `[start, end)`.
    pub activation: Range<u64>,
    /// The epochs it can sign without advancing its window.
    pub prepared: Range<u64>,
    /// The lowest epoch that may still be signed.
    pub next_epoch: u64,
    /// The last epoch signed, if any.
    pub watermark: Option<u64>,
    /// Epochs left: from the next signable epoch to the activation end.
    pub remaining: u64,
}

/// A durable signer of any instance. Every method keeps [`DurableSigner`]'s order: check, persist, compute,
/// verify, release. `Send`, not `Sync`: callers share one signer behind a lock.
pub trait Signer: Send {
    /// The parameter set.
    fn instance(&self) -> InstanceId;
    /// The encoded public key.
    fn public_key(&self) -> Vec<u8>;
    /// Signs a 32-byte `message` at `epoch` (which must be in the prepared window); the encoded signature.
    fn sign(&mut self, epoch: u64, message: &[u8]) -> Result<Vec<u8>, Error>;
    /// Advances the prepared window until it holds `epoch`, persisting the key after each step.
    fn prepare_until(&mut self, epoch: u64) -> Result<(), Error>;
    /// Activation range, prepared window and record.
    fn info(&self) -> SignerInfo;
}

/// A [`DurableSigner`] with the registry entry it was opened under.
struct Named<I: Instance> {
    id: InstanceId,
    inner: DurableSigner<I>,
}

fn message32(message: &[u8]) -> Result<&[u8; 32], Error> {
    message.try_into().map_err(|_| Error::Length { what: "message", expected: 32, got: message.len() })
}

impl<I: Instance> Signer for Named<I> {
    fn instance(&self) -> InstanceId {
        self.id
    }

    fn public_key(&self) -> Vec<u8> {
        self.inner.public_key().to_bytes()
    }

    fn sign(&mut self, epoch: u64, message: &[u8]) -> Result<Vec<u8>, Error> {
        Ok(self.inner.sign_at(epoch, message32(message)?)?.to_bytes())
    }

    fn prepare_until(&mut self, epoch: u64) -> Result<(), Error> {
        Ok(self.inner.prepare_until(epoch)?)
    }

    fn info(&self) -> SignerInfo {
        SignerInfo {
            instance: self.id,
            activation: self.inner.activation(),
            prepared: self.inner.prepared(),
            next_epoch: self.inner.next_epoch(),
            watermark: self.inner.record().watermark(),
            remaining: self.inner.remaining(),
        }
    }
}

/// The registry's set called `name`.
pub fn instance(name: &str) -> Result<InstanceId, Error> {
    InstanceId::from_name(name).ok_or_else(|| Error::UnknownInstance(name.to_string()))
}

/// The activation length a key gets when none is asked for: the whole lifetime up to 2^16 epochs, else two
/// bottom trees (the smallest key whose window can advance).
pub fn default_activation_epochs<I: Instance>() -> u64 {
    if I::LOG_LIFETIME <= 16 { I::LIFETIME } else { 2 * I::LEAVES_PER_BOTTOM_TREE }
}

/// Generates a key of `instance` into the new directory `dir`, active for `[start, start + epochs)` (leanSig
/// sets round out to whole bottom trees), and returns its signer, holding the directory's lock.
pub fn generate(
    instance: InstanceId,
    dir: &Path,
    origin: Origin<'_>,
    start: u64,
    epochs: Option<u64>,
) -> Result<Box<dyn Signer>, Error> {
    fn typed<I: Instance>(
        id: InstanceId,
        dir: &Path,
        origin: Origin<'_>,
        start: u64,
        epochs: Option<u64>,
    ) -> Result<Box<dyn Signer>, Error> {
        let fresh;
        let (seed, first) = match origin {
            Origin::Os => {
                let mut s = Zeroizing::new([0u8; 32]);
                getrandom::fill(s.as_mut()).map_err(|e| Error::Randomness(e.to_string()))?;
                fresh = s;
                (&fresh, None)
            }
            Origin::Seed { seed, first_epoch } => (seed, Some(first_epoch)),
        };
        let epochs = epochs.unwrap_or_else(default_activation_epochs::<I>);
        let (key, _) = SecretKey::<I>::from_seed(seed, start, epochs)?;
        let first = first.unwrap_or(key.activation().start);
        Ok(Box::new(Named { id, inner: DurableSigner::create(dir, key, first)? }))
    }
    crate::with_instance!(instance, I => typed::<I>(instance, dir, origin, start, epochs))
}

/// The instance recorded in the key directory `dir`.
pub fn key_directory_instance(dir: &Path) -> Result<InstanceId, Error> {
    instance(&key_instance(dir)?)
}

/// Opens the key in `dir` (its instance read from the directory), taking its exclusive lock.
pub fn open(dir: &Path) -> Result<Box<dyn Signer>, Error> {
    fn typed<I: Instance>(id: InstanceId, dir: &Path) -> Result<Box<dyn Signer>, Error> {
        Ok(Box::new(Named { id, inner: DurableSigner::<I>::open(dir)? }))
    }
    let id = key_directory_instance(dir)?;
    crate::with_instance!(id, I => typed::<I>(id, dir))
}

/// Reads `dir`'s key without its lock and without writing (monitoring, `key info`).
pub fn inspect(dir: &Path) -> Result<SignerInfo, Error> {
    fn typed<I: Instance>(id: InstanceId, dir: &Path) -> Result<SignerInfo, Error> {
        let status = DurableSigner::<I>::inspect(dir)?;
        Ok(SignerInfo {
            instance: id,
            activation: status.activation.clone(),
            prepared: status.prepared.clone(),
            next_epoch: status.record.next_epoch,
            watermark: status.record.watermark(),
            remaining: status.remaining(),
        })
    }
    let id = key_directory_instance(dir)?;
    crate::with_instance!(id, I => typed::<I>(id, dir))
}

/// The instance and encoded public key stored in `dir` (read without the lock).
pub fn public_key(dir: &Path) -> Result<(InstanceId, Vec<u8>), Error> {
    let id = key_directory_instance(dir)?;
    let bytes = crate::with_instance!(id, I => read_public_key::<I>(dir)?.to_bytes());
    Ok((id, bytes))
}

/// Verifies `signature` on the 32-byte `message` at `epoch` under `public_key`, all as bytes. Any decoding
/// failure (public key, signature, message length) is a rejection, never a panic.
pub fn verify(
    instance: InstanceId,
    public_key: &[u8],
    epoch: u64,
    message: &[u8],
    signature: &[u8],
) -> Result<(), VerifyError> {
    crate::with_instance!(instance, I => PublicKey::<I>::from_bytes(public_key)?
        .verify_bytes(epoch, message, signature))
}

/// One item of [`verify_batch`], as bytes.
#[derive(Clone, Copy, Debug)]
pub struct BatchBytes<'a> {
    /// The encoded public key.
    pub public_key: &'a [u8],
    /// The epoch.
    pub epoch: u64,
    /// The message (32 bytes).
    pub message: &'a [u8],
    /// The encoded signature.
    pub signature: &'a [u8],
}

/// Verifies every item; `result[i]` is what [`verify`] answers for `items[i]`. Items that decode are checked
/// together ([`crate::verify_batch`]); an item that does not decode gets its decoding error and affects no
/// other item.
pub fn verify_batch(instance: InstanceId, items: &[BatchBytes<'_>]) -> Vec<Result<(), VerifyError>> {
    fn typed<I: Instance>(items: &[BatchBytes<'_>]) -> Vec<Result<(), VerifyError>> {
        type Decoded<I> = (PublicKey<I>, [u8; 32], Signature<I>);
        let decoded: Vec<Result<Decoded<I>, VerifyError>> = items
            .iter()
            .map(|item| {
                let pk = PublicKey::<I>::from_bytes(item.public_key)?;
                let message: [u8; 32] =
                    item.message.try_into().map_err(|_| VerifyError::MessageLength(item.message.len()))?;
                Ok((pk, message, Signature::<I>::from_bytes(item.signature)?))
            })
            .collect();
        let batch: Vec<BatchItem<'_, I>> = decoded
            .iter()
            .zip(items)
            .filter_map(|(d, item)| d.as_ref().ok().map(|(pk, m, s)| (pk, m, s, item.epoch)))
            .map(|(public_key, message, signature, epoch)| BatchItem {
                public_key,
                epoch,
                message,
                signature,
            })
            .collect();
        let mut checked = verify_batch_typed(&batch).into_iter();
        decoded
            .iter()
            .map(|d| match d {
                Ok(_) => checked.next().unwrap_or(Err(VerifyError::RootMismatch)),
                Err(e) => Err(e.clone()),
            })
            .collect()
    }
    crate::with_instance!(instance, I => typed::<I>(items))
}
