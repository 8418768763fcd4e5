//! The leanVM BLAKE2s back-end: [`Blake2sLeanVm<L>`] is the [`TweakableHash`] of the leanVM sets under
//! the byte rules of revision `L`.
//!
//! Batched calls run on [`LANES`] lanes in word form (`calls`); verification's sequential leaf and path
//! hashes run on one lane of the same compression. Batch verification carries one signature per lane
//! (`batch`).

use core::marker::PhantomData;
use core::ops::Range;

use rayon::prelude::*;
use zeroize::Zeroizing;

use crate::backend::{Derived, TweakableHash};
use crate::batch_verify::BatchItem;
use crate::error::VerifyError;
use crate::instance::Instance;
use crate::leanvm::calls::{
    Steps, hash_nodes, hash_pair, message_digests, message_midstate, per_lane, prf_lanes, rho_words,
    splat_node, tweaks,
};
use crate::leanvm::hash::{Node, prf};
use crate::leanvm::lanes::{LANES, NodeWords, State, keyed, lane, node, words};
use crate::leanvm::layout::{LeanVmLayout, TweakKind};

/// leanVM's tweakable hash and PRF under the byte rules of revision `L`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Blake2sLeanVm<L: LeanVmLayout>(PhantomData<L>);

/// Attempts per [`TweakableHash::grind`] call: enough lane batches that the per-call set-up (the rho base,
/// two compressions of the `blake2` crate, and the midstate, one lane compression) is under one percent.
/// At 16 batches it was 13% of signing on AVX2 (callgrind, x86-64-v3: about 5,000 instructions of set-up
/// against 16 batches of 2,200). A larger call wastes nothing: it returns at the first accepted attempt,
/// and the caller's cap is checked at every attempt (in `accept`), not per call.
const GRIND_BATCH: u64 = 128 * LANES as u64;

/// Below this many chains a lockstep round walks them one lane at a time: a full batch would cost more.
const SCALAR_GROUP: usize = 2;

impl<L: LeanVmLayout> Blake2sLeanVm<L> {
    /// One lockstep round of `walk_all` on `N` lanes: chain `group[l]` steps out of value `at[l]`.
    fn walk_group<const N: usize>(
        pp: &NodeWords<N>,
        epoch: u32,
        xs: &mut [[u32; 4]],
        group: &[usize],
        at: &[u8],
    ) {
        let pick = |l: usize| l.min(group.len() - 1);
        let mut x: NodeWords<N> = per_lane(|l| xs[group[pick(l)]]);
        let mut steps = Steps::<L, N>::new(pp);
        steps.step(|l| group[pick(l)], |l| at[pick(l)], |_| epoch, &mut x);
        for (l, &c) in group.iter().enumerate() {
            xs[c] = lane(&x, l);
        }
        crate::field::wipe(x.as_flattened_mut(), 0);
    }

    /// The leaves of up to `N` consecutive epochs from `first` (lanes past `count` repeat the last): in
    /// lane `l`, every chain of epoch `first + l` from its PRF start to its end, then the leaf hash.
    fn leaf_lanes<const N: usize>(
        key: &State<N>,
        pp: &NodeWords<N>,
        first: u64,
        count: usize,
        dimension: usize,
        base: usize,
    ) -> [Node; N] {
        let epoch = |l: usize| (first + l.min(count - 1) as u64) as u32;
        let mut ends: Vec<NodeWords<N>> = Vec::with_capacity(dimension);
        let mut steps = Steps::<L, N>::new(pp);
        for c in 0..dimension {
            let mut x = prf_lanes(key, L::PRF_CHAIN, |l| u64::from(epoch(l)), |_| c as u64);
            for s in 0..(base - 1) as u8 {
                steps.step(|_| c, |_| s, epoch, &mut x);
            }
            ends.push(x);
        }
        let tweak = tweaks::<L, N>(TweakKind::Leaf, |_| 0, epoch);
        let nodes: Vec<&NodeWords<N>> = [&tweak, pp].into_iter().chain(&ends).collect();
        let leaf = hash_nodes(&nodes);
        // Chain ends are public, but the buffer held the secret starts first.
        crate::field::wipe(ends.as_flattened_mut().as_flattened_mut(), 0);
        core::array::from_fn(|l| node(&lane(&leaf, l)))
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
        let mut key = keyed::<LANES>(seed);
        let mut out = Vec::with_capacity(count);
        for first in (0..count).step_by(LANES) {
            let n = (count - first).min(LANES);
            let mut x =
                prf_lanes(&key, L::PRF_CHAIN, |_| u64::from(epoch), |l| (first + l.min(n - 1)) as u64);
            out.extend((0..n).map(|l| node(&lane(&x, l))));
            crate::field::wipe(x.as_flattened_mut(), 0);
        }
        crate::field::wipe(key.as_flattened_mut(), 0);
        out
    }

    /// Chains advance in lockstep rounds, one lane per chain that still has steps to go; a round of one or
    /// two chains runs on one lane each.
    fn walk_all(parameter: &Node, epoch: u32, values: &mut [Node], from: &[u8], to: &[u8]) {
        let mut xs: Vec<[u32; 4]> = values.iter().map(words).collect();
        let (pp1, pp) = (splat_node::<1>(parameter), splat_node(parameter));
        crate::backend::lockstep(&from[..values.len()], to, LANES, |group, at| {
            if group.len() <= SCALAR_GROUP {
                for (k, &c) in group.iter().enumerate() {
                    Self::walk_group::<1>(&pp1, epoch, &mut xs, &[c], &at[k..=k]);
                }
            } else {
                Self::walk_group::<LANES>(&pp, epoch, &mut xs, group, at);
            }
        });
        for (v, x) in values.iter_mut().zip(&xs) {
            *v = node(x);
        }
        crate::field::wipe(xs.as_flattened_mut(), 0);
    }

    fn leaf(parameter: &Node, epoch: u32, ends: &[Node]) -> Node {
        let (tweak, pp) = (splat_node::<1>(&L::tweak(TweakKind::Leaf, 0, epoch)), splat_node(parameter));
        let ends: Vec<NodeWords<1>> = ends.iter().map(splat_node).collect();
        let nodes: Vec<&NodeWords<1>> = [&tweak, &pp].into_iter().chain(&ends).collect();
        node(&lane(&hash_nodes(&nodes), 0))
    }

    fn leaves(
        seed: &[u8; 32],
        parameter: &Node,
        epochs: Range<u64>,
        dimension: usize,
        base: usize,
    ) -> Vec<Node> {
        let mut key = keyed::<LANES>(seed);
        let pp = splat_node(parameter);
        let mut out = vec![[0u8; 16]; (epochs.end - epochs.start) as usize];
        out.par_chunks_mut(LANES).enumerate().for_each(|(b, chunk)| {
            let first = epochs.start + (b * LANES) as u64;
            let leaves = Self::leaf_lanes::<LANES>(&key, &pp, first, chunk.len(), dimension, base);
            chunk.copy_from_slice(&leaves[..chunk.len()]);
        });
        crate::field::wipe(key.as_flattened_mut(), 0);
        out
    }

    fn parent(parameter: &Node, level: u8, position: u32, left: &Node, right: &Node) -> Node {
        let tweak = splat_node::<1>(&L::tweak(TweakKind::Node, u32::from(level), position));
        let digest = hash_pair(&tweak, &splat_node(parameter), &splat_node(left), &splat_node(right));
        node(&lane(&digest, 0))
    }

    /// One parent per lane (64 bytes, one compression), wide layers across threads.
    fn hash_layer(parameter: &Node, level: u8, parent_start: u64, children: &[Node]) -> Vec<Node> {
        let mut parents = vec![[0u8; 16]; children.len() / 2];
        let pp = splat_node::<LANES>(parameter);
        let batch = |b: usize, out: &mut [Node]| {
            let n = out.len();
            let parent = |l: usize| b * LANES + l.min(n - 1);
            let tweak = tweaks::<L, LANES>(
                TweakKind::Node,
                |_| u32::from(level),
                |l| (parent_start + parent(l) as u64) as u32,
            );
            let left = per_lane(|l| words(&children[2 * parent(l)]));
            let right = per_lane(|l| words(&children[2 * parent(l) + 1]));
            let digests = hash_pair(&tweak, &pp, &left, &right);
            for (l, o) in out.iter_mut().enumerate() {
                *o = node(&lane(&digests, l));
            }
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
        let midstate = message_midstate::<L, 1>(parameter, epoch, message);
        node(&lane(&message_digests(&midstate, |_| rho_words(rho)), 0))
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
        let midstate = message_midstate::<L, LANES>(parameter, epoch, message);
        let base = L::rho_base(seed, epoch, message);
        for batch in (0..GRIND_BATCH).step_by(LANES) {
            let rho = |l: usize| rho_words(&L::rho(&base, first + batch + l as u64));
            let digests = message_digests(&midstate, rho);
            for l in 0..LANES {
                if accept(&node(&lane(&digests, l))) {
                    return (batch + l as u64 + 1, Some(L::rho(&base, first + batch + l as u64)));
                }
            }
        }
        (GRIND_BATCH, None)
    }

    fn verify_batch<I: Instance<Hash = Self>>(items: &[BatchItem<'_, I>]) -> Vec<Result<(), VerifyError>> {
        crate::leanvm::batch::verify_batch(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::leanvm::{Rev5df6c37, th};
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
