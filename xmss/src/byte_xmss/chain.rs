//! Hash chains and leaves: the one-time key of an epoch.
//!
//! Chain `i` of an epoch starts at `PRF(key, 0x00 ‖ epoch ‖ i)`; step `k` maps `x` to
//! `H(parameter ‖ tweak(epoch, i, k) ‖ x)`. The leaf is `H(parameter ‖ tweak(level 0, epoch) ‖ ends)`.
//! Chains of one epoch are independent, so they advance in lockstep rounds and each round is hashed in
//! batches of eight (one lane-parallel permutation for SHA-3).

use core::ops::Range;

use rayon::prelude::*;

use crate::byte_xmss::hash::{
    BATCH, ByteHash, Digest, PRF_KEY_LEN, Parameter, Tweak, prf, prf_x8, tweak_hash, tweak_hash_x8,
};

const TAG_CHAIN_START: u8 = 0x00;

/// Smallest partial batch that is still hashed lane-parallel (padded with copies) rather than one by one.
const MIN_LANES_WORTH_PADDING: usize = 3;

/// The PRF input of chain `chain` at `epoch`.
fn start_input(epoch: u32, chain: u8) -> [u8; 6] {
    let e = epoch.to_be_bytes();
    [TAG_CHAIN_START, e[0], e[1], e[2], e[3], chain]
}

/// The secret chain starts of `epoch` for chains `0..count`.
pub(crate) fn chain_starts<H: ByteHash>(key: &[u8; PRF_KEY_LEN], epoch: u32, count: usize) -> Vec<Digest> {
    let mut out = Vec::with_capacity(count);
    let mut next = 0usize;
    while next < count {
        let n = (count - next).min(BATCH);
        if n == BATCH || (H::LANE_PARALLEL && n >= MIN_LANES_WORTH_PADDING) {
            let inputs: [[u8; 6]; BATCH] =
                core::array::from_fn(|l| start_input(epoch, (next + l.min(n - 1)) as u8));
            let outs = prf_x8::<H>(key, core::array::from_fn(|l| &inputs[l][..]), n);
            out.extend_from_slice(&outs[..n]);
        } else {
            out.extend((next..next + n).map(|i| prf::<H>(key, &start_input(epoch, i as u8))));
        }
        next += n;
    }
    out
}

/// Walks every chain `i` from position `from[i]` to `to[i]`, in place, in lockstep rounds.
pub(crate) fn walk_all<H: ByteHash>(
    parameter: &Parameter,
    epoch: u32,
    values: &mut [Digest],
    from: &[u8],
    to: &[u8],
) {
    crate::backend::lockstep(&from[..values.len()], to, BATCH, |group, at| {
        let n = group.len();
        let tweak = |k: usize| Tweak::Chain { epoch, chain: group[k] as u8, position: at[k] + 1 };
        if n == BATCH || (H::LANE_PARALLEL && n >= MIN_LANES_WORTH_PADDING) {
            let lane = |l: usize| l.min(n - 1);
            let inputs: [Digest; BATCH] = core::array::from_fn(|l| values[group[lane(l)]]);
            let tweaks = core::array::from_fn(|l| tweak(lane(l)));
            let data = core::array::from_fn(|l| [&inputs[l][..], &[][..]]);
            let outs = tweak_hash_x8::<H>(parameter, tweaks, data, n);
            for (l, &i) in group.iter().enumerate() {
                values[i] = outs[l];
            }
        } else {
            for (k, &i) in group.iter().enumerate() {
                values[i] = tweak_hash::<H>(parameter, tweak(k), &[&values[i]]);
            }
        }
    });
}

/// The leaf of `epoch`: the hash of its chain ends.
pub(crate) fn leaf<H: ByteHash>(parameter: &Parameter, epoch: u32, ends: &[Digest]) -> Digest {
    tweak_hash::<H>(parameter, Tweak::Tree { level: 0, position: epoch }, &[ends.as_flattened()])
}

/// The chain ends (the one-time public key) of `epoch` from the PRF key.
fn chain_ends<H: ByteHash>(
    key: &[u8; PRF_KEY_LEN],
    parameter: &Parameter,
    epoch: u32,
    dimension: usize,
    base: usize,
) -> Vec<Digest> {
    let mut values = chain_starts::<H>(key, epoch, dimension);
    let from = [0u8; 256];
    let to = [(base - 1) as u8; 256];
    walk_all::<H>(parameter, epoch, &mut values, &from[..dimension], &to[..dimension]);
    values
}

/// The leaves of `epochs` from the PRF key, across threads. Each leaf is one long single call (hashing
/// eight SHA-3 leaves in lanes was tried and made the build slower overall; see docs/BENCHMARKS.md).
pub(crate) fn leaves<H: ByteHash>(
    key: &[u8; PRF_KEY_LEN],
    parameter: &Parameter,
    epochs: Range<u64>,
    dimension: usize,
    base: usize,
) -> Vec<Digest> {
    epochs
        .into_par_iter()
        .map(|e| {
            let epoch = e as u32; // epochs are below the lifetime, at most 2^32
            leaf::<H>(parameter, epoch, &chain_ends::<H>(key, parameter, epoch, dimension, base))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::byte_xmss::{Blake3, Sha3};

    fn walk_one<H: ByteHash>(
        parameter: &Parameter,
        epoch: u32,
        chain: u8,
        from: u8,
        to: u8,
        x: Digest,
    ) -> Digest {
        (from + 1..=to)
            .fold(x, |v, k| tweak_hash::<H>(parameter, Tweak::Chain { epoch, chain, position: k }, &[&v]))
    }

    fn lockstep_matches_chain_by_chain<H: ByteHash>() {
        let parameter = [0x17; 18];
        let starts = chain_starts::<H>(&[9; 32], 77, 21);
        for (i, s) in starts.iter().enumerate() {
            assert_eq!(*s, prf::<H>(&[9; 32], &start_input(77, i as u8)));
        }
        let from: Vec<u8> = (0..21).map(|i| (i % 4) as u8).collect();
        let to: Vec<u8> = (0..21).map(|i| 3 + (i % 5) as u8).collect();
        let mut values = starts.clone();
        walk_all::<H>(&parameter, 77, &mut values, &from, &to);
        for i in 0..21 {
            assert_eq!(
                values[i],
                walk_one::<H>(&parameter, 77, i as u8, from[i], to[i], starts[i]),
                "chain {i}"
            );
        }
    }

    #[test]
    fn parallel_leaves_match_single_leaves() {
        fn check<H: ByteHash>() {
            let (key, parameter) = ([4u8; 32], [6u8; 18]);
            let got = leaves::<H>(&key, &parameter, 5..24, 48, 8);
            for (epoch, leaf_value) in (5u32..).zip(&got) {
                let ends = chain_ends::<H>(&key, &parameter, epoch, 48, 8);
                assert_eq!(*leaf_value, leaf::<H>(&parameter, epoch, &ends), "epoch {epoch}");
            }
        }
        check::<Sha3>();
        check::<Blake3>();
    }

    #[test]
    fn sha3_lockstep_matches_chain_by_chain() {
        lockstep_matches_chain_by_chain::<Sha3>();
    }

    #[test]
    fn blake3_lockstep_matches_chain_by_chain() {
        lockstep_matches_chain_by_chain::<Blake3>();
    }
}
