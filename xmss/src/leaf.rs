//! Leaves: the hash of an epoch's `v` chain ends, and the batched computation of many leaves at key
//! generation, which is where nearly all of keygen's time goes.
//!
//! A leaf is the width-24 replacement sponge over `parameter ‖ tree_tweak(0, epoch) ‖ ends`, with a capacity
//! value derived from the lengths `(5, 2, v, 8)` so that instances with different `v` never share a leaf hash.

use std::sync::OnceLock;

use p3_field::{Algebra, PackedValue, PrimeCharacteristicRing};
use p3_symmetric::Permutation;
use rayon::prelude::*;

use crate::chain::step;
use crate::field::{Digest, F, HASH_LEN, PARAMETER_LEN, PackedF, Parameter, TWEAK_LEN, base_p_digits, wipe};
use crate::poseidon::{Poseidon24, compress, poseidon24, sponge24};
use crate::prf::{PRF_KEY_LEN, chain_starts};
use crate::tweak::{chain_tweak, tree_tweak};

/// Capacity of the leaf sponge.
pub(crate) const CAPACITY: usize = 9;

/// The sponge's capacity value for `v` chains: the compression of the lengths `(5, 2, v, 8)`.
pub(crate) fn sponge_capacity(dimension: usize) -> [F; CAPACITY] {
    static CACHE: [OnceLock<[F; CAPACITY]>; 257] = [const { OnceLock::new() }; 257];
    let compute = || {
        let lengths = [PARAMETER_LEN, TWEAK_LEN, dimension, HASH_LEN].map(|x| x as u128);
        let acc = lengths.iter().fold(0u128, |acc, &l| (acc << 32) | l);
        compress(poseidon24(), base_p_digits::<24>(acc))
    };
    match CACHE.get(dimension) {
        Some(slot) => *slot.get_or_init(compute),
        None => compute(),
    }
}

/// Hashes an epoch's chain ends into its leaf, over any ring.
#[inline]
pub(crate) fn hash_leaf<R>(
    capacity: &[R; CAPACITY],
    parameter: &[R; 5],
    tweak: &[R; 2],
    ends: &[[R; 8]],
) -> [R; 8]
where
    R: Algebra<F> + Copy,
    Poseidon24: Permutation<[R; 24]>,
{
    let input = parameter.iter().chain(tweak).chain(ends.iter().flatten()).copied();
    sponge24(poseidon24(), capacity, input)
}

/// The leaf of `epoch` from its chain ends (what a verifier recomputes).
pub fn leaf(parameter: &Parameter, epoch: u32, ends: &[Digest]) -> Digest {
    hash_leaf(&sponge_capacity(ends.len()), parameter, &tree_tweak(0, epoch), ends)
}

/// The leaves of the `count` epochs starting at `first`, computed from the PRF key.
///
/// Work is split into batches of one SIMD width of epochs (one epoch per lane), spread over rayon's pool.
pub fn leaves(
    prf_key: &[u8; PRF_KEY_LEN],
    parameter: &Parameter,
    first: u64,
    count: u64,
    dimension: usize,
    chain_len: usize,
) -> Vec<Digest> {
    let lanes = PackedF::WIDTH as u64;
    let capacity = sponge_capacity(dimension).map(PackedF::from);
    let packed_parameter = parameter.map(PackedF::from);
    let mut out = vec![[F::ZERO; HASH_LEN]; count as usize];
    out.par_chunks_mut(lanes as usize).enumerate().for_each(|(b, chunk)| {
        let b = b as u64;
        let base = first + b * lanes;
        // Lanes past `count` repeat the last epoch; their results are discarded.
        let epochs: Vec<u32> = (0..lanes).map(|l| (base + l.min(chunk.len() as u64 - 1)) as u32).collect();
        let mut ends: Vec<[PackedF; 8]> = Vec::with_capacity(dimension);
        for c in 0..dimension {
            let items: Vec<(u32, u64)> = epochs.iter().map(|&e| (e, c as u64)).collect();
            let mut starts = chain_starts(prf_key, &items);
            let mut value: [PackedF; 8] = core::array::from_fn(|i| PackedF::from_fn(|l| starts[l][i]));
            wipe(&mut starts, [F::ZERO; HASH_LEN]); // secret one-time key material, now held only in `value`
            for pos in 1..chain_len as u8 {
                let tweaks: Vec<[F; 2]> = epochs.iter().map(|&e| chain_tweak(e, c as u8, pos)).collect();
                let tweak: [PackedF; 2] = core::array::from_fn(|t| PackedF::from_fn(|l| tweaks[l][t]));
                value = step(&value, &packed_parameter, &tweak);
            }
            ends.push(value);
        }
        let tweak: [PackedF; 2] = core::array::from_fn(|t| PackedF::from_fn(|l| tree_tweak(0, epochs[l])[t]));
        let packed_leaf = hash_leaf(&capacity, &packed_parameter, &tweak, &ends);
        for (l, slot) in chunk.iter_mut().enumerate() {
            *slot = core::array::from_fn(|i| packed_leaf[i].as_slice()[l]);
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chain::walk;
    use crate::prf::chain_start;

    #[test]
    fn batched_leaves_match_scalar_leaves() {
        let key = [3u8; 32];
        let parameter: Parameter = core::array::from_fn(|i| F::from_u32(100 + i as u32));
        // 21 epochs: one full SIMD batch plus a ragged one on every lane width.
        let batched = leaves(&key, &parameter, 35, 21, 4, 8);
        for (k, got) in batched.iter().enumerate() {
            let epoch = 35 + k as u32;
            let ends: Vec<Digest> = (0..4)
                .map(|c| walk(&parameter, epoch, c as u8, 0, 7, &chain_start(&key, epoch, c as u64)))
                .collect();
            assert_eq!(*got, leaf(&parameter, epoch, &ends), "epoch {epoch}");
        }
    }
}
