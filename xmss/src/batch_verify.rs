//! Batch verification: many (public key, epoch, message, signature) items at once, one result per item.
//!
//! The results are exactly those of [`PublicKey::verify`], item by item; a bad item never affects another
//! item's answer. How a batch is spread over lanes and threads is the back-end's
//! ([`crate::backend::TweakableHash::verify_batch`]): Poseidon1 carries one signature per SIMD lane
//! (`poseidon_batch`), the byte back-ends one signature per thread.

use rayon::prelude::*;

use crate::backend::TweakableHash;
use crate::error::VerifyError;
use crate::instance::{Instance, check};
use crate::public_key::PublicKey;
use crate::signature::Signature;

/// One item of a batch.
#[derive(Clone, Copy, Debug)]
pub struct BatchItem<'a, I: Instance> {
    /// The signer's public key.
    pub public_key: &'a PublicKey<I>,
    /// The epoch the signature is for.
    pub epoch: u64,
    /// The signed message.
    pub message: &'a [u8; 32],
    /// The signature.
    pub signature: &'a Signature<I>,
}

/// Verifies every item; `result[i]` is what `items[i].public_key.verify(..)` returns.
///
/// Work is spread over rayon's pool.
///
/// ```
/// use ndvt_xmss::hazmat::RawSign;
/// use ndvt_xmss::{BatchItem, SecretKey, TestInstance, verify_batch};
///
/// let (sk, pk) = SecretKey::<TestInstance>::from_seed(&[7; 32], 0, 256)?;
/// // The first prepared window of the test instance is epochs 0..32.
/// let messages: Vec<[u8; 32]> = (0..20u8).map(|i| [i; 32]).collect();
/// let signatures = (0..20).map(|e| sk.sign_raw(e, &messages[e as usize])).collect::<Result<Vec<_>, _>>()?;
/// let items: Vec<_> = (0..20)
///     .map(|e| BatchItem { public_key: &pk, epoch: e, message: &messages[e as usize], signature: &signatures[e as usize] })
///     .collect();
/// assert!(verify_batch(&items).iter().all(Result::is_ok));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn verify_batch<I: Instance>(items: &[BatchItem<'_, I>]) -> Vec<Result<(), VerifyError>> {
    const { check::<I>() };
    I::Hash::verify_batch(items)
}

/// The batch verification of a back-end without a lane-per-signature path: one signature per task.
pub(crate) fn verify_each<I: Instance>(items: &[BatchItem<'_, I>]) -> Vec<Result<(), VerifyError>> {
    items.par_iter().map(|item| item.public_key.verify(item.epoch, item.message, item.signature)).collect()
}

impl<I: Instance> PublicKey<I> {
    /// Verifies many signatures under this one key; `result[i]` is `self.verify(epochs[i], ..)`.
    pub fn verify_many(&self, items: &[(u64, &[u8; 32], &Signature<I>)]) -> Vec<Result<(), VerifyError>> {
        let batch: Vec<BatchItem<'_, I>> = items
            .iter()
            .map(|&(epoch, message, signature)| BatchItem { public_key: self, epoch, message, signature })
            .collect();
        verify_batch(&batch)
    }
}
