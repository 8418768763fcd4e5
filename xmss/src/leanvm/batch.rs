//! Batch verification on the leanVM back-end: one lane per signature.
//!
//! A single verification is mostly dependent compressions (the chain walks' rounds, then eleven for the
//! leaf and one per path level), so its lanes idle. Across signatures those sequences are independent:
//! here the chain walks of a chunk of signatures are sorted by length and packed one walk per lane, then one
//! lane carries one signature's leaf and Merkle path. Every signature costs the same compressions (the
//! digits of a valid codeword sum to the target, so every signature walks 99 steps), so the lanes stay full.

use rayon::prelude::*;

use crate::batch_verify::{BatchItem, Pending, prechecked, walks_longest_first};
use crate::error::VerifyError;
use crate::instance::Instance;
use crate::leanvm::backend::Blake2sLeanVm;
use crate::leanvm::calls::{Steps, hash_nodes, hash_pair, per_lane, tweaks};
use crate::leanvm::lanes::{LANES, NodeWords, lane, node, words};
use crate::leanvm::layout::{LeanVmLayout, TweakKind};

/// Signatures per chunk: the leaf and path stages carry one per lane; the walks of a chunk fill its lanes.
const CHUNK: usize = LANES;

/// Verifies `items`, chunks of [`CHUNK`] signatures spread over rayon's pool.
pub(crate) fn verify_batch<L: LeanVmLayout, I: Instance<Hash = Blake2sLeanVm<L>>>(
    items: &[BatchItem<'_, I>],
) -> Vec<Result<(), VerifyError>> {
    items.par_chunks(CHUNK).flat_map_iter(verify_chunk::<L, I>).collect()
}

fn verify_chunk<L: LeanVmLayout, I: Instance<Hash = Blake2sLeanVm<L>>>(
    chunk: &[BatchItem<'_, I>],
) -> Vec<Result<(), VerifyError>> {
    let (pending, mut results) = prechecked(chunk);
    if pending.is_empty() {
        return results;
    }
    let ends = chain_ends::<L, I>(&pending);
    let roots = roots::<L, I>(&pending, &ends);
    for ((k, p), root) in pending.iter().zip(roots) {
        if root != p.item.public_key.root {
            results[*k] = Err(VerifyError::RootMismatch);
        }
    }
    results
}

/// Every chain end of every pending signature, in word form: walks longest first, one walk per lane.
fn chain_ends<L: LeanVmLayout, I: Instance<Hash = Blake2sLeanVm<L>>>(
    pending: &[(usize, Pending<'_, I>)],
) -> Vec<Vec<[u32; 4]>> {
    let mut ends: Vec<Vec<[u32; 4]>> =
        pending.iter().map(|(_, p)| p.item.signature.hashes.iter().map(words).collect()).collect();
    for batch in walks_longest_first(pending).chunks(LANES) {
        let walk = |l: usize| batch[l.min(batch.len() - 1)];
        let parameter: NodeWords<LANES> =
            per_lane(|l| words(&pending[walk(l).0].1.item.public_key.parameter));
        let mut x: NodeWords<LANES> = per_lane(|l| ends[walk(l).0][walk(l).1]);
        let mut steps = Steps::<L, LANES>::new(&parameter);
        for s in 0..batch[0].3 {
            steps.step(|l| walk(l).1, |l| walk(l).2 + s, |l| pending[walk(l).0].1.epoch, &mut x);
            for (l, &(sig, c, _, len)) in batch.iter().enumerate() {
                if len == s + 1 {
                    ends[sig][c] = lane(&x, l);
                }
            }
        }
    }
    ends
}

/// The root each pending signature's leaf and Merkle path lead to, one signature per lane.
fn roots<L: LeanVmLayout, I: Instance<Hash = Blake2sLeanVm<L>>>(
    pending: &[(usize, Pending<'_, I>)],
    ends: &[Vec<[u32; 4]>],
) -> Vec<[u8; 16]> {
    let n = pending.len();
    let sig = |l: usize| &pending[l.min(n - 1)].1;
    let parameter: NodeWords<LANES> = per_lane(|l| words(&sig(l).item.public_key.parameter));
    let leaf_tweak = tweaks::<L, LANES>(TweakKind::Leaf, |_| 0, |l| sig(l).epoch);
    let ends: Vec<NodeWords<LANES>> =
        (0..I::DIMENSION).map(|c| per_lane(|l| ends[l.min(n - 1)][c])).collect();
    let nodes: Vec<&NodeWords<LANES>> = [&leaf_tweak, &parameter].into_iter().chain(&ends).collect();
    let mut current = hash_nodes(&nodes);
    for level in 0..I::LOG_LIFETIME as usize {
        let position = |l: usize| sig(l).epoch >> level;
        let tweak = tweaks::<L, LANES>(TweakKind::Node, |_| (level + 1) as u32, |l| position(l) >> 1);
        let sibling: NodeWords<LANES> = per_lane(|l| words(&sig(l).item.signature.path[level]));
        // A lane whose node is a right child hashes its sibling first.
        let right_child: [bool; LANES] = core::array::from_fn(|l| position(l) & 1 == 1);
        let pick = |a: &NodeWords<LANES>, b: &NodeWords<LANES>| -> NodeWords<LANES> {
            core::array::from_fn(|i| core::array::from_fn(|l| if right_child[l] { b[i][l] } else { a[i][l] }))
        };
        let (left, right) = (pick(&current, &sibling), pick(&sibling, &current));
        current = hash_pair(&tweak, &parameter, &left, &right);
    }
    (0..n).map(|l| node(&lane(&current, l))).collect()
}
