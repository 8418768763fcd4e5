//! Batch verification: many (public key, epoch, message, signature) items at once, one result per item.
//!
//! The results are exactly those of [`PublicKey::verify`], item by item; a bad item never affects another
//! item's answer. How a batch is spread over lanes and threads is the back-end's
//! ([`crate::backend::TweakableHash::verify_batch`]): Poseidon1 carries one signature per SIMD lane
//! (`poseidon_batch`), the byte back-ends one signature per thread.

use rayon::prelude::*;

use crate::backend::TweakableHash;
use crate::error::{DecodeError, VerifyError};
use crate::instance::{Instance, check};
use crate::public_key::PublicKey;
use crate::secret_key::codeword_from_digest;
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

/// A signature that passed the shape checks and whose message digest encodes: its epoch and codeword.
pub(crate) struct Pending<'a, I: Instance> {
    /// The item.
    pub(crate) item: &'a BatchItem<'a, I>,
    /// The epoch, below the lifetime.
    pub(crate) epoch: u32,
    /// The codeword's digits (the first `I::DIMENSION`).
    pub(crate) codeword: [u8; 256],
}

/// What every verification checks before its chain walks: the epoch, the signature's shape and the
/// message digest's encoding.
pub(crate) fn precheck<'a, I: Instance>(item: &'a BatchItem<'a, I>) -> Result<Pending<'a, I>, VerifyError> {
    check_shape(item)?;
    let epoch = item.epoch as u32;
    let mut codeword = [0u8; 256];
    let digest =
        I::Hash::message_digest(&item.public_key.parameter, epoch, &item.signature.rho, item.message);
    codeword_from_digest::<I>(&digest, &mut codeword)?;
    Ok(Pending { item, epoch, codeword })
}

/// The checks before any hash, in this order (a lane-batched precheck keeps it, so every item gets the same
/// error as a single verification): epoch in range, path length, chain count.
pub(crate) fn check_shape<I: Instance>(item: &BatchItem<'_, I>) -> Result<(), VerifyError> {
    if item.epoch >= I::LIFETIME {
        return Err(VerifyError::EpochOutOfRange { epoch: item.epoch, log_lifetime: I::LOG_LIFETIME });
    }
    // Decoding guarantees these lengths; a hand-built signature gets the same typed answer.
    let (depth, dimension) = (I::LOG_LIFETIME as usize, I::DIMENSION);
    if item.signature.path.len() != depth {
        return Err(DecodeError::PathLength { expected: depth, got: item.signature.path.len() }.into());
    }
    if item.signature.hashes.len() != dimension {
        return Err(DecodeError::HashCount { expected: dimension, got: item.signature.hashes.len() }.into());
    }
    Ok(())
}

/// One chain walk of a batch: (pending signature, chain, start value, steps).
pub(crate) type Walk = (usize, usize, u8, u8);

/// Every chain walk of the pending signatures, longest first, so that a lane batch of walks (one per lane)
/// wastes few steps on lanes that finished early.
pub(crate) fn walks_longest_first<I: Instance>(pending: &[(usize, Pending<'_, I>)]) -> Vec<Walk> {
    let top = (I::BASE - 1) as u8;
    let mut walks: Vec<Walk> = pending
        .iter()
        .enumerate()
        .flat_map(|(s, (_, p))| (0..I::DIMENSION).map(move |c| (s, c, p.codeword[c], top - p.codeword[c])))
        .filter(|w| w.3 > 0)
        .collect();
    walks.sort_unstable_by_key(|w| core::cmp::Reverse(w.3));
    walks
}

/// Splits a chunk of items into those that passed [`precheck`] (with their index) and the results, which
/// start as `Ok` for the pending ones.
#[allow(clippy::type_complexity)]
pub(crate) fn prechecked<'a, I: Instance>(
    chunk: &'a [BatchItem<'a, I>],
) -> (Vec<(usize, Pending<'a, I>)>, Vec<Result<(), VerifyError>>) {
    let mut results = Vec::with_capacity(chunk.len());
    let mut pending = Vec::with_capacity(chunk.len());
    for (k, item) in chunk.iter().enumerate() {
        match precheck(item) {
            Ok(p) => {
                pending.push((k, p));
                results.push(Ok(()));
            }
            Err(e) => results.push(Err(e)),
        }
    }
    (pending, results)
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
