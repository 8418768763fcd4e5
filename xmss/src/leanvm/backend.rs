//! The leanVM BLAKE2s back-end: [`Blake2sLeanVm<L>`] is the [`TweakableHash`] of the leanVM sets under
//! the byte rules of revision `L`.

use core::marker::PhantomData;
use core::ops::Range;

use rayon::prelude::*;
use zeroize::Zeroizing;

use crate::backend::{Derived, TweakableHash};
use crate::leanvm::hash::{Node, prf, th};
use crate::leanvm::layout::{LeanVmLayout, TweakKind};

/// leanVM's tweakable hash and PRF under the byte rules of revision `L`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Blake2sLeanVm<L: LeanVmLayout>(PhantomData<L>);

/// Attempts per [`TweakableHash::grind`] call.
const GRIND_BATCH: u64 = 16;

impl<L: LeanVmLayout> Blake2sLeanVm<L> {
    fn chain_step(parameter: &Node, epoch: u32, chain: usize, value: u8, x: &Node) -> Node {
        th(parameter, &L::tweak(TweakKind::Chain, L::chain_position(chain, value), epoch), &[x])
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
        (0..count as u64).map(|i| prf(seed, L::PRF_CHAIN, u64::from(epoch), i)).collect()
    }

    fn walk_all(parameter: &Node, epoch: u32, values: &mut [Node], from: &[u8], to: &[u8]) {
        for (chain, value) in values.iter_mut().enumerate() {
            for s in from[chain]..to[chain] {
                *value = Self::chain_step(parameter, epoch, chain, s, value);
            }
        }
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
        let top = [(base - 1) as u8; 256];
        let zero = [0u8; 256];
        epochs
            .into_par_iter()
            .map(|e| {
                let epoch = e as u32; // epochs are below the lifetime, at most 2^32
                let mut ends = Self::chain_starts(seed, epoch, dimension);
                Self::walk_all(parameter, epoch, &mut ends, &zero[..dimension], &top[..dimension]);
                Self::leaf(parameter, epoch, &ends)
            })
            .collect()
    }

    fn parent(parameter: &Node, level: u8, position: u32, left: &Node, right: &Node) -> Node {
        th(parameter, &L::tweak(TweakKind::Node, u32::from(level), position), &[left, right])
    }

    fn hash_layer(parameter: &Node, level: u8, parent_start: u64, children: &[Node]) -> Vec<Node> {
        children
            .par_chunks_exact(2)
            .enumerate()
            .map(|(k, pair)| {
                Self::parent(parameter, level, (parent_start + k as u64) as u32, &pair[0], &pair[1])
            })
            .collect()
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
        for k in 0..GRIND_BATCH {
            let rho = L::rho(seed, epoch, message, first + k);
            if accept(&Self::message_digest(parameter, epoch, &rho, message)) {
                return (k + 1, Some(rho));
            }
        }
        (GRIND_BATCH, None)
    }
}
