//! Hash chains: `v` chains of length `w` per epoch, walked with the width-16 compression.
//!
//! A chain step at position `k` compresses `[value(8) ‖ parameter(5) ‖ chain_tweak(epoch, i, k)(2) ‖ 0]`.
//! Chains of one epoch are independent, so they are walked side by side in SIMD lanes.

use p3_field::{Algebra, PackedValue};
use p3_symmetric::Permutation;

use crate::field::{Digest, F, PackedF, Parameter};
use crate::poseidon::{Poseidon16, compress, poseidon16};
use crate::tweak::chain_tweak;

/// One chain step over any ring (scalar or packed lanes).
#[inline]
pub(crate) fn step<R>(value: &[R; 8], parameter: &[R; 5], tweak: &[R; 2]) -> [R; 8]
where
    R: Algebra<F> + Copy,
    Poseidon16: Permutation<[R; 16]>,
{
    let mut input = [R::ZERO; 16];
    input[..8].copy_from_slice(value);
    input[8..13].copy_from_slice(parameter);
    input[13..15].copy_from_slice(tweak);
    compress(poseidon16(), input)
}

/// Walks chain `chain_index` of `epoch` from position `start_pos` for `steps` steps.
pub fn walk(
    parameter: &Parameter,
    epoch: u32,
    chain_index: u8,
    start_pos: u8,
    steps: u8,
    start: &Digest,
) -> Digest {
    let mut value = *start;
    for j in 1..=steps {
        value = step(&value, parameter, &chain_tweak(epoch, chain_index, start_pos.wrapping_add(j)));
    }
    value
}

/// Walks every chain `i` of one epoch from position `from[i]` to position `to[i]`, in place.
///
/// Chains are sorted by their number of steps and packed into SIMD lanes, so a batch costs as many packed
/// permutations as its longest walk.
pub fn walk_all(parameter: &Parameter, epoch: u32, values: &mut [Digest], from: &[u8], to: &[u8]) {
    let lanes = PackedF::WIDTH;
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_unstable_by_key(|&i| core::cmp::Reverse(to[i].saturating_sub(from[i])));
    let packed_parameter: [PackedF; 5] = parameter.map(PackedF::from);
    for batch in order.chunks(lanes) {
        let longest = batch.first().map_or(0, |&i| to[i].saturating_sub(from[i]));
        if longest == 0 {
            break;
        }
        if batch.len() == 1 || lanes == 1 {
            for &i in batch {
                let steps = to[i].saturating_sub(from[i]);
                values[i] = walk(parameter, epoch, i as u8, from[i], steps, &values[i]);
            }
            continue;
        }
        let lane_chain = |l: usize| batch[l.min(batch.len() - 1)];
        let mut state: [PackedF; 8] =
            core::array::from_fn(|e| PackedF::from_fn(|l| values[lane_chain(l)][e]));
        for s in 1..=longest {
            let tweaks: Vec<[F; 2]> = (0..lanes)
                .map(|l| {
                    let i = lane_chain(l);
                    chain_tweak(epoch, i as u8, from[i].wrapping_add(s))
                })
                .collect();
            let packed_tweak: [PackedF; 2] = core::array::from_fn(|t| PackedF::from_fn(|l| tweaks[l][t]));
            let next = step(&state, &packed_parameter, &packed_tweak);
            // Lanes whose walk is over keep their value: select per lane.
            state = core::array::from_fn(|e| {
                PackedF::from_fn(|l| {
                    let i = lane_chain(l);
                    if s <= to[i].saturating_sub(from[i]) {
                        next[e].as_slice()[l]
                    } else {
                        state[e].as_slice()[l]
                    }
                })
            });
        }
        for (l, &i) in batch.iter().enumerate() {
            values[i] = core::array::from_fn(|e| state[e].as_slice()[l]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use p3_field::PrimeCharacteristicRing;

    #[test]
    fn walking_in_two_parts_equals_walking_once() {
        let parameter: Parameter = core::array::from_fn(|i| F::from_u32(i as u32 + 11));
        let start: Digest = core::array::from_fn(|i| F::from_u32(i as u32 * 3));
        let whole = walk(&parameter, 9, 3, 0, 7, &start);
        for split in 0..=7u8 {
            let mid = walk(&parameter, 9, 3, 0, split, &start);
            assert_eq!(walk(&parameter, 9, 3, split, 7 - split, &mid), whole);
        }
    }

    #[test]
    fn packed_walk_matches_scalar_walks() {
        let parameter: Parameter = core::array::from_fn(|i| F::from_u32(i as u32 + 1));
        let n = 46;
        let starts: Vec<Digest> =
            (0..n).map(|c| core::array::from_fn(|i| F::from_u32((c * 31 + i) as u32))).collect();
        let from: Vec<u8> = (0..n).map(|c| (c % 8) as u8).collect();
        let to: Vec<u8> = vec![7; n];
        let mut values = starts.clone();
        walk_all(&parameter, 1234, &mut values, &from, &to);
        for c in 0..n {
            assert_eq!(values[c], walk(&parameter, 1234, c as u8, from[c], 7 - from[c], &starts[c]));
        }
    }
}
