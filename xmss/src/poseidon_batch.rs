//! Batch verification on the Poseidon1 back-end: one SIMD lane per signature.
//!
//! A single verification is a sequence of dependent permutations (chain steps, then the leaf sponge, then
//! the Merkle path), so its SIMD lanes mostly idle. Across signatures those sequences are independent:
//! here one SIMD lane carries one signature's leaf sponge and Merkle path, and the chain walks of the whole
//! batch are sorted by length and packed lane-wise.

use p3_field::{PackedValue, PrimeCharacteristicRing};
use rayon::prelude::*;

use crate::backend::TweakableHash;
use crate::batch_verify::BatchItem;
use crate::chain::step;
use crate::error::{DecodeError, VerifyError};
use crate::field::{Digest, F, HASH_LEN, PackedF};
use crate::instance::Instance;
use crate::leaf::{hash_leaf, sponge_capacity};
use crate::poseidon_backend::{Poseidon1, node};
use crate::secret_key::codeword_from_digest;
use crate::tweak::{chain_tweak, tree_tweak};

/// Verifies `items`, chunks of one SIMD width of signatures spread over rayon's pool.
pub(crate) fn verify_batch<I: Instance<Hash = Poseidon1>>(
    items: &[BatchItem<'_, I>],
) -> Vec<Result<(), VerifyError>> {
    items.par_chunks(PackedF::WIDTH).flat_map_iter(verify_chunk).collect()
}

/// A signature that passed the shape checks and the message hash: its codeword and epoch.
struct Pending<'a, I: Instance<Hash = Poseidon1>> {
    item: &'a BatchItem<'a, I>,
    epoch: u32,
    codeword: [u8; 256],
}

fn precheck<'a, I: Instance<Hash = Poseidon1>>(
    item: &'a BatchItem<'a, I>,
) -> Result<Pending<'a, I>, VerifyError> {
    if item.epoch >= I::LIFETIME {
        return Err(VerifyError::EpochOutOfRange { epoch: item.epoch, log_lifetime: I::LOG_LIFETIME });
    }
    let (depth, dimension) = (I::LOG_LIFETIME as usize, I::DIMENSION);
    if item.signature.path.len() != depth {
        return Err(DecodeError::PathLength { expected: depth, got: item.signature.path.len() }.into());
    }
    if item.signature.hashes.len() != dimension {
        return Err(DecodeError::HashCount { expected: dimension, got: item.signature.hashes.len() }.into());
    }
    let epoch = item.epoch as u32;
    let mut x = [0u8; 256];
    let digest =
        Poseidon1::message_digest(&item.public_key.parameter, epoch, &item.signature.rho, item.message);
    codeword_from_digest::<I>(&digest, &mut x)?;
    Ok(Pending { item, epoch, codeword: x })
}

/// At most one SIMD width of items.
fn verify_chunk<I: Instance<Hash = Poseidon1>>(chunk: &[BatchItem<'_, I>]) -> Vec<Result<(), VerifyError>> {
    let mut results: Vec<Result<(), VerifyError>> = Vec::with_capacity(chunk.len());
    let mut pending: Vec<(usize, Pending<'_, I>)> = Vec::with_capacity(chunk.len());
    for (k, item) in chunk.iter().enumerate() {
        match precheck(item) {
            Ok(p) => {
                pending.push((k, p));
                results.push(Ok(()));
            }
            Err(e) => results.push(Err(e)),
        }
    }
    if pending.is_empty() {
        return results;
    }
    let ends = chain_ends(&pending);
    let leaves = packed_leaves(&pending, &ends);
    let roots = packed_roots(&pending, &leaves);
    for ((k, p), root) in pending.iter().zip(roots) {
        if root != p.item.public_key.root {
            results[*k] = Err(VerifyError::RootMismatch);
        }
    }
    results
}

/// Lane `l`'s value of a packed array.
fn lane<const N: usize>(packed: &[PackedF; N], l: usize) -> [F; N] {
    core::array::from_fn(|e| packed[e].as_slice()[l])
}

/// Packs one value per lane; lanes past `n` repeat the last value (their results are discarded).
fn pack<const N: usize>(n: usize, value: impl Fn(usize) -> [F; N]) -> [PackedF; N] {
    let values: Vec<[F; N]> = (0..PackedF::WIDTH).map(|l| value(l.min(n - 1))).collect();
    core::array::from_fn(|e| PackedF::from_fn(|l| values[l][e]))
}

/// Every chain end of every pending signature: walks sorted by length, one walk per lane.
fn chain_ends<I: Instance<Hash = Poseidon1>>(pending: &[(usize, Pending<'_, I>)]) -> Vec<Vec<Digest>> {
    let top = (I::BASE - 1) as u8;
    let mut ends: Vec<Vec<Digest>> = pending.iter().map(|(_, p)| p.item.signature.hashes.clone()).collect();
    // (signature, chain, start position, steps), longest first.
    let mut walks: Vec<(usize, usize, u8, u8)> = pending
        .iter()
        .enumerate()
        .flat_map(|(s, (_, p))| (0..I::DIMENSION).map(move |c| (s, c, p.codeword[c], top - p.codeword[c])))
        .filter(|w| w.3 > 0)
        .collect();
    walks.sort_unstable_by_key(|w| core::cmp::Reverse(w.3));
    for batch in walks.chunks(PackedF::WIDTH) {
        let n = batch.len();
        let parameter = pack(n, |l| pending[batch[l].0].1.item.public_key.parameter);
        let mut value = pack(n, |l| ends[batch[l].0][batch[l].1]);
        for s in 1..=batch[0].3 {
            let tweak = pack(n, |l| {
                let (sig, c, from, _) = batch[l];
                chain_tweak(pending[sig].1.epoch, c as u8, from + s)
            });
            value = step(&value, &parameter, &tweak);
            for (l, &(sig, c, _, steps)) in batch.iter().enumerate() {
                if steps == s {
                    ends[sig][c] = lane(&value, l);
                }
            }
        }
    }
    ends
}

/// The leaf of each pending signature, one signature per lane.
fn packed_leaves<I: Instance<Hash = Poseidon1>>(
    pending: &[(usize, Pending<'_, I>)],
    ends: &[Vec<Digest>],
) -> Vec<Digest> {
    let n = pending.len();
    let capacity = sponge_capacity(I::DIMENSION).map(PackedF::from);
    let parameter = pack(n, |l| pending[l].1.item.public_key.parameter);
    let tweak = pack(n, |l| tree_tweak(0, pending[l].1.epoch));
    let packed_ends: Vec<[PackedF; HASH_LEN]> = (0..I::DIMENSION).map(|c| pack(n, |l| ends[l][c])).collect();
    let leaf: [PackedF; HASH_LEN] = hash_leaf(&capacity, &parameter, &tweak, &packed_ends);
    (0..n).map(|l| lane(&leaf, l)).collect()
}

/// The root each pending signature's Merkle path leads to, one signature per lane.
fn packed_roots<I: Instance<Hash = Poseidon1>>(
    pending: &[(usize, Pending<'_, I>)],
    leaves: &[Digest],
) -> Vec<Digest> {
    let n = pending.len();
    let parameter: [PackedF; 5] = pack(n, |l| pending[l].1.item.public_key.parameter);
    let path = |l: usize, level: usize| pending[l].1.item.signature.path[level];
    let mut current = pack(n, |l| leaves[l]);
    for level in 0..I::LOG_LIFETIME as usize {
        let position = |l: usize| pending[l.min(n - 1)].1.epoch >> level;
        let (mut left, mut right) = ([PackedF::ZERO; HASH_LEN], [PackedF::ZERO; HASH_LEN]);
        for l in 0..PackedF::WIDTH {
            let (mine, sibling) = (lane(&current, l), path(l.min(n - 1), level));
            let (a, b) = if position(l) & 1 == 0 { (mine, sibling) } else { (sibling, mine) };
            for e in 0..HASH_LEN {
                left[e].as_slice_mut()[l] = a[e];
                right[e].as_slice_mut()[l] = b[e];
            }
        }
        let tweak = pack(n, |l| tree_tweak((level + 1) as u8, position(l) >> 1));
        current = node(&parameter, &tweak, &left, &right);
    }
    (0..n).map(|l| lane(&current, l)).collect()
}
