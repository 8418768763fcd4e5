//! Batch verification on the Poseidon1 back-end: one SIMD lane per signature.
//!
//! A single verification is a sequence of dependent permutations (chain steps, then the leaf sponge, then
//! the Merkle path), so its SIMD lanes mostly idle. Across signatures those sequences are independent:
//! here one SIMD lane carries one signature's leaf sponge and Merkle path, and the chain walks of the whole
//! batch are sorted by length and packed lane-wise.

use p3_field::{PackedValue, PrimeCharacteristicRing};
use rayon::prelude::*;

use crate::batch_verify::{BatchItem, Pending, prechecked, walks_longest_first};
use crate::chain::step;
use crate::error::VerifyError;
use crate::field::{Digest, F, HASH_LEN, PackedF};
use crate::instance::Instance;
use crate::leaf::{hash_leaf, sponge_capacity};
use crate::poseidon_backend::{Poseidon1, node};
use crate::tweak::{chain_tweak, tree_tweak};

/// Verifies `items`, chunks of one SIMD width of signatures spread over rayon's pool.
pub(crate) fn verify_batch<I: Instance<Hash = Poseidon1>>(
    items: &[BatchItem<'_, I>],
) -> Vec<Result<(), VerifyError>> {
    items.par_chunks(PackedF::WIDTH).flat_map_iter(verify_chunk).collect()
}

/// At most one SIMD width of items.
fn verify_chunk<I: Instance<Hash = Poseidon1>>(chunk: &[BatchItem<'_, I>]) -> Vec<Result<(), VerifyError>> {
    let (pending, mut results) = prechecked(chunk);
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
    let mut ends: Vec<Vec<Digest>> = pending.iter().map(|(_, p)| p.item.signature.hashes.clone()).collect();
    for batch in walks_longest_first(pending).chunks(PackedF::WIDTH) {
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
