//! The leanVM BLAKE2s back-end: [`Blake2sLeanVm<L>`] is the [`TweakableHash`] of the leanVM sets under
//! the byte rules of revision `L`.

use core::marker::PhantomData;
use core::ops::Range;

use rayon::prelude::*;
use zeroize::{Zeroize, Zeroizing};

use crate::backend::{Derived, TweakableHash};
use crate::leanvm::hash::{Node, prf, prf_input, th};
use crate::leanvm::lanes::{LANES, Lanes, block, compress, digest16, hash16, keyed};
use crate::leanvm::layout::{LeanVmLayout, TweakKind};

/// leanVM's tweakable hash and PRF under the byte rules of revision `L`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Blake2sLeanVm<L: LeanVmLayout>(PhantomData<L>);

/// Attempts per [`TweakableHash::grind`] call: a few lane batches, so the caller's cap is checked often
/// while the per-call set-up (the midstate) is shared.
const GRIND_BATCH: u64 = 4 * LANES as u64;

impl<L: LeanVmLayout> Blake2sLeanVm<L> {
    /// One chain step per lane: lane `l` steps `x[l]` out of value `value[l]` of chain `chain[l]` at
    /// `epoch[l]` (48 bytes, one compression).
    fn steps(
        parameter: &Node,
        epoch: &[u32; LANES],
        chain: &[usize; LANES],
        value: &[u8; LANES],
        x: &mut [Node; LANES],
    ) {
        let out = hash16(48, |l, _, b| {
            b[..16].copy_from_slice(&L::tweak(
                TweakKind::Chain,
                L::chain_position(chain[l], value[l]),
                epoch[l],
            ));
            b[16..32].copy_from_slice(parameter);
            b[32..48].copy_from_slice(&x[l]);
        });
        *x = out;
    }

    /// PRF outputs per lane from the keyed chaining value `key` (one compression each).
    fn prf_lanes(key: &Lanes, inputs: &[[u8; 20]; LANES]) -> [Node; LANES] {
        let mut h = *key;
        let m = block(|l, b| b[..20].copy_from_slice(&inputs[l]));
        compress(&mut h, &m, 64 + 20, true);
        let out = digest16(&h);
        crate::field::wipe(h.as_flattened_mut(), 0);
        out
    }

    /// The leaves of up to [`LANES`] consecutive epochs from `first` (lanes past `count` repeat the last).
    fn leaf_lanes(
        key: &Lanes,
        parameter: &Node,
        first: u64,
        count: usize,
        dimension: usize,
        base: usize,
    ) -> [Node; LANES] {
        let epoch: [u32; LANES] = core::array::from_fn(|l| (first + l.min(count - 1) as u64) as u32);
        let mut ends = vec![[[0u8; 16]; LANES]; dimension];
        for (c, end) in ends.iter_mut().enumerate() {
            let inputs = core::array::from_fn(|l| prf_input(L::PRF_CHAIN, u64::from(epoch[l]), c as u64));
            *end = Self::prf_lanes(key, &inputs);
            for s in 0..(base - 1) as u8 {
                Self::steps(parameter, &epoch, &[c; LANES], &[s; LANES], end);
            }
        }
        let leaf = hash16(32 + 16 * dimension, |l, offset, b| {
            for (k, byte) in b.iter_mut().enumerate() {
                let at = offset + k;
                *byte = match at {
                    0..16 => L::tweak(TweakKind::Leaf, 0, epoch[l])[at],
                    16..32 => parameter[at - 16],
                    _ if at < 32 + 16 * dimension => ends[(at - 32) / 16][l][(at - 32) % 16],
                    _ => 0,
                };
            }
        });
        // Chain ends are public, but the buffer held the secret starts first.
        crate::field::wipe(ends.as_flattened_mut(), [0; 16]);
        leaf
    }
}

impl<L: LeanVmLayout> TweakableHash for Blake2sLeanVm<L> {
    const FAMILY: &'static str = "blake2s";
    const PAD_KEY_IS_PRF_KEY: bool = true;
    type Digest = Node;
    type Parameter = Node;
    type Rho = [u8; 24];
    type MessageDigest = [u8; 16];

    /// leanVM derives nothing from the set's name: the seed itself is the PRF key and the filler key, so a
    /// seed and a range give leanVM's public key.
    fn derive(_instance: &str, seed: &[u8; 32]) -> Derived<Self> {
        let parameter = prf(seed, L::PRF_PARAMETER, 0, 0);
        Derived { prf_key: Zeroizing::new(*seed), parameter, pad_key: Zeroizing::new(*seed) }
    }

    fn filler(seed: &[u8; 32], level: u32, position: u64) -> Node {
        prf(seed, L::PRF_FILLER, u64::from(level), position)
    }

    fn chain_starts(seed: &[u8; 32], epoch: u32, count: usize) -> Vec<Node> {
        let mut key = keyed(seed);
        let mut out = Vec::with_capacity(count);
        for first in (0..count).step_by(LANES) {
            let n = (count - first).min(LANES);
            let inputs = core::array::from_fn(|l| {
                prf_input(L::PRF_CHAIN, u64::from(epoch), (first + l.min(n - 1)) as u64)
            });
            out.extend_from_slice(&Self::prf_lanes(&key, &inputs)[..n]);
        }
        key.zeroize();
        out
    }

    /// Chains advance in lockstep rounds, one lane per chain that still has steps to go.
    fn walk_all(parameter: &Node, epoch: u32, values: &mut [Node], from: &[u8], to: &[u8]) {
        crate::backend::lockstep(&from[..values.len()], to, LANES, |group, at| {
            let lane = |l: usize| l.min(group.len() - 1);
            let chain: [usize; LANES] = core::array::from_fn(|l| group[lane(l)]);
            let value = core::array::from_fn(|l| at[lane(l)]);
            let mut x = core::array::from_fn(|l| values[chain[l]]);
            Self::steps(parameter, &[epoch; LANES], &chain, &value, &mut x);
            for (l, &i) in group.iter().enumerate() {
                values[i] = x[l];
            }
        });
    }

    fn leaf(parameter: &Node, epoch: u32, ends: &[Node]) -> Node {
        th(parameter, &L::tweak(TweakKind::Leaf, 0, epoch), &[ends.as_flattened()])
    }

    fn leaves(
        seed: &[u8; 32],
        parameter: &Node,
        epochs: Range<u64>,
        dimension: usize,
        base: usize,
    ) -> Vec<Node> {
        let mut key = keyed(seed);
        let mut out = vec![[0u8; 16]; (epochs.end - epochs.start) as usize];
        out.par_chunks_mut(LANES).enumerate().for_each(|(b, chunk)| {
            let first = epochs.start + (b * LANES) as u64;
            let leaves = Self::leaf_lanes(&key, parameter, first, chunk.len(), dimension, base);
            chunk.copy_from_slice(&leaves[..chunk.len()]);
        });
        key.zeroize();
        out
    }

    fn parent(parameter: &Node, level: u8, position: u32, left: &Node, right: &Node) -> Node {
        th(parameter, &L::tweak(TweakKind::Node, u32::from(level), position), &[left, right])
    }

    /// One parent per lane (64 bytes, one compression), wide layers across threads.
    fn hash_layer(parameter: &Node, level: u8, parent_start: u64, children: &[Node]) -> Vec<Node> {
        let mut parents = vec![[0u8; 16]; children.len() / 2];
        let batch = |b: usize, out: &mut [Node]| {
            let n = out.len();
            let first = b * LANES;
            let digests = hash16(64, |l, _, block| {
                let k = first + l.min(n - 1);
                let position = (parent_start + k as u64) as u32;
                block[..16].copy_from_slice(&L::tweak(TweakKind::Node, u32::from(level), position));
                block[16..32].copy_from_slice(parameter);
                block[32..48].copy_from_slice(&children[2 * k]);
                block[48..].copy_from_slice(&children[2 * k + 1]);
            });
            out.copy_from_slice(&digests[..n]);
        };
        // Below a few thousand parents the thread hand-off costs more than it saves.
        if parents.len() >= 4096 {
            parents.par_chunks_mut(LANES).enumerate().for_each(|(b, out)| batch(b, out));
        } else {
            parents.chunks_mut(LANES).enumerate().for_each(|(b, out)| batch(b, out));
        }
        parents
    }

    fn message_digest(parameter: &Node, epoch: u32, rho: &[u8; 24], message: &[u8; 32]) -> [u8; 16] {
        th(parameter, &L::tweak(TweakKind::Message, 0, epoch), &[message, rho, &[0u8; 8]])
    }

    fn grind(
        seed: &[u8; 32],
        parameter: &Node,
        epoch: u32,
        message: &[u8; 32],
        first: u64,
        accept: &mut dyn FnMut(&[u8; 16]) -> bool,
    ) -> (u64, Option<[u8; 24]>) {
        // The encoding hashes tweak ‖ pp ‖ message (one block, the same for every attempt) ‖ rho ‖ 0^8:
        // from the midstate after the first block, an attempt costs one compression.
        let mut midstate = crate::leanvm::lanes::initial(0);
        let tweak = L::tweak(TweakKind::Message, 0, epoch);
        let first_block = block(|_, b| {
            b[..16].copy_from_slice(&tweak);
            b[16..32].copy_from_slice(parameter);
            b[32..].copy_from_slice(message);
        });
        compress(&mut midstate, &first_block, 64, false);
        let base = L::rho_base(seed, epoch, message);
        for batch in (0..GRIND_BATCH).step_by(LANES) {
            let rhos: [[u8; 24]; LANES] = core::array::from_fn(|l| L::rho(&base, first + batch + l as u64));
            let mut h = midstate;
            compress(&mut h, &block(|l, b| b[..24].copy_from_slice(&rhos[l])), 96, true);
            for (l, digest) in digest16(&h).iter().enumerate() {
                if accept(digest) {
                    return (batch + l as u64 + 1, Some(rhos[l]));
                }
            }
        }
        (GRIND_BATCH, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::leanvm::Rev5df6c37;
    use crate::tree::hash_layer_scalar;

    type B = Blake2sLeanVm<Rev5df6c37>;

    fn node(seed: u64) -> Node {
        core::array::from_fn(|i| (seed as u8).wrapping_mul(7).wrapping_add(i as u8))
    }

    /// The one-call-at-a-time reference of a chain step.
    fn step(parameter: &Node, epoch: u32, chain: usize, value: u8, x: &Node) -> Node {
        th(
            parameter,
            &Rev5df6c37::tweak(TweakKind::Chain, Rev5df6c37::chain_position(chain, value), epoch),
            &[x],
        )
    }

    #[test]
    fn lane_paths_equal_one_call_at_a_time() {
        let (seed, parameter) = ([3u8; 32], node(9));
        // Tree layers, ragged.
        let children: Vec<Node> = (0..38).map(node).collect();
        assert_eq!(
            B::hash_layer(&parameter, 4, 10, &children),
            hash_layer_scalar::<B>(&parameter, 4, 10, &children)
        );
        // Chain starts and lockstep walks of uneven length.
        let starts = B::chain_starts(&seed, 77, 42);
        for (i, s) in starts.iter().enumerate() {
            assert_eq!(*s, prf(&seed, Rev5df6c37::PRF_CHAIN, 77, i as u64));
        }
        let from: Vec<u8> = (0..42).map(|i| (i % 5) as u8).collect();
        let to: Vec<u8> = (0..42).map(|i| 3 + (i % 5) as u8).collect();
        let mut walked = starts.clone();
        B::walk_all(&parameter, 77, &mut walked, &from, &to);
        for i in 0..42 {
            let expected = (from[i]..to[i]).fold(starts[i], |x, s| step(&parameter, 77, i, s, &x));
            assert_eq!(walked[i], expected, "chain {i}");
        }
        // Leaves of a ragged batch of epochs.
        for (k, leaf) in B::leaves(&seed, &parameter, 5..16, 42, 8).iter().enumerate() {
            let epoch = 5 + k as u32;
            let mut ends = B::chain_starts(&seed, epoch, 42);
            for (i, end) in ends.iter_mut().enumerate() {
                *end = (0..7).fold(*end, |x, s| step(&parameter, epoch, i, s, &x));
            }
            assert_eq!(*leaf, B::leaf(&parameter, epoch, &ends), "epoch {epoch}");
        }
    }

    /// Grinding takes the first attempt in order whose digest is accepted, and its digest is the encoding's.
    #[test]
    fn grinding_is_in_order_and_matches_the_digest() {
        let (seed, parameter, message) = ([4u8; 32], node(2), [5u8; 32]);
        let mut seen = Vec::new();
        let (tried, rho) = B::grind(&seed, &parameter, 9, &message, 100, &mut |d| {
            seen.push(*d);
            seen.len() == 11
        });
        assert_eq!(tried, 11);
        let rho = rho.unwrap();
        let base = Rev5df6c37::rho_base(&seed, 9, &message);
        assert_eq!(rho, Rev5df6c37::rho(&base, 110));
        for (k, digest) in seen.iter().enumerate() {
            let rho = Rev5df6c37::rho(&base, 100 + k as u64);
            assert_eq!(*digest, B::message_digest(&parameter, 9, &rho, &message));
        }
    }
}
