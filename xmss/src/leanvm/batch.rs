//! Batch verification on the leanVM back-end: one lane per signature.
//!
//! A single verification is mostly dependent compressions (the chain walks' rounds, then eleven for the
//! leaf and one per path level), so its lanes idle. Across signatures those sequences are independent:
//! here one lane carries one signature: its chain walks one after another, then its leaf and Merkle path.
//! Every signature costs the same compressions (the digits of a valid codeword sum to the target, so every
//! signature walks 99 steps), so the lanes stay full.

use rayon::prelude::*;

use crate::batch_verify::{BatchItem, Pending, check_shape};
use crate::error::VerifyError;
use crate::instance::Instance;
use crate::leanvm::backend::Blake2sLeanVm;
use crate::leanvm::calls::{Steps, hash_nodes, hash_pair, per_lane, rho_words, tweaks};
use crate::leanvm::lanes::{Block, compress, digest, initial, splat};
use crate::leanvm::lanes::{LANES, NodeWords, lane, node, words};
use crate::leanvm::layout::{LeanVmLayout, TweakKind};
use crate::secret_key::codeword_from_digest;

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
    let (pending, mut results) = prechecked_lanes::<L, I>(chunk);
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

/// `batch_verify::prechecked` with the message digests (two compressions each) on lanes, one item per
/// lane: the same checks in the same order, so the same error for every item.
#[allow(clippy::type_complexity)]
fn prechecked_lanes<'a, L: LeanVmLayout, I: Instance<Hash = Blake2sLeanVm<L>>>(
    chunk: &'a [BatchItem<'a, I>],
) -> (Vec<(usize, Pending<'a, I>)>, Vec<Result<(), VerifyError>>) {
    let mut results: Vec<Result<(), VerifyError>> = Vec::with_capacity(chunk.len());
    let mut shaped: Vec<usize> = Vec::with_capacity(chunk.len());
    for (k, item) in chunk.iter().enumerate() {
        let result = check_shape(item);
        if result.is_ok() {
            shaped.push(k);
        }
        results.push(result);
    }
    let mut pending = Vec::with_capacity(shaped.len());
    if shaped.is_empty() {
        return (pending, results);
    }
    // tweak ‖ parameter ‖ message, then rho ‖ 0^8: two blocks per lane.
    let item = |l: usize| &chunk[shaped[l.min(shaped.len() - 1)]];
    let mut m: Block<LANES> = [splat(0); 16];
    m[..4].copy_from_slice(&tweaks::<L, LANES>(TweakKind::Message, |_| 0, |l| item(l).epoch as u32));
    m[4..8].copy_from_slice(&per_lane::<LANES, 4>(|l| words(&item(l).public_key.parameter)));
    m[8..16].copy_from_slice(&per_lane::<LANES, 8>(|l| {
        core::array::from_fn(|i| u32::from_le_bytes(core::array::from_fn(|b| item(l).message[4 * i + b])))
    }));
    let mut h = initial::<LANES>(0);
    compress(&mut h, &m, 64, false);
    let mut m: Block<LANES> = [splat(0); 16];
    m[..6].copy_from_slice(&per_lane::<LANES, 6>(|l| rho_words(&item(l).signature.rho)));
    compress(&mut h, &m, 96, true);
    let digests = digest(&h);
    for (l, &k) in shaped.iter().enumerate() {
        let mut codeword = [0u8; 256];
        match codeword_from_digest::<I>(&node(&lane(&digests, l)), &mut codeword) {
            Ok(()) => pending.push((k, Pending { item: &chunk[k], epoch: chunk[k].epoch as u32, codeword })),
            Err(e) => results[k] = Err(e.into()),
        }
    }
    (pending, results)
}

/// Every chain end of every pending signature, lane-major (`ends[c]` is chain `c` of every lane): lane `l`
/// walks signature `l`'s chains one after another. A valid codeword's digits sum to the target, so every
/// lane walks the same number of steps and no lane idles; no sorting, no per-step transposition.
fn chain_ends<L: LeanVmLayout, I: Instance<Hash = Blake2sLeanVm<L>>>(
    pending: &[(usize, Pending<'_, I>)],
) -> Vec<NodeWords<LANES>> {
    let (n, dimension, top) = (pending.len(), I::DIMENSION, (I::BASE - 1) as u8);
    let sig = |l: usize| &pending[l.min(n - 1)].1;
    // The tips, which each walk overwrites with its end (a chain whose digit is the top is its own end).
    let mut ends: Vec<NodeWords<LANES>> =
        (0..dimension).map(|c| per_lane(|l| words(&sig(l).item.signature.hashes[c]))).collect();
    let epoch: [u32; LANES] = core::array::from_fn(|l| sig(l).epoch);
    // Lane `l` is at value `value[l]` of chain `chain[l]`; `chain[l] == dimension` once it is done.
    let mut chain = [0usize; LANES];
    let mut value = [0u8; LANES];
    let mut total = 0usize;
    let skip_done = |l: usize, chain: &mut [usize; LANES], value: &mut [u8; LANES]| {
        while chain[l] < dimension && sig(l).codeword[chain[l]] >= top {
            chain[l] += 1;
        }
        if chain[l] < dimension {
            value[l] = sig(l).codeword[chain[l]];
        }
    };
    for l in 0..LANES {
        skip_done(l, &mut chain, &mut value);
        let steps: usize = (0..dimension).map(|c| usize::from(top - sig(l).codeword[c])).sum();
        total = total.max(steps);
    }
    let mut x: NodeWords<LANES> = [[0; LANES]; 4];
    for l in 0..LANES {
        if chain[l] < dimension {
            for (i, w) in x.iter_mut().enumerate() {
                w[l] = ends[chain[l]][i][l];
            }
        }
    }
    let parameter: NodeWords<LANES> = per_lane(|l| words(&sig(l).item.public_key.parameter));
    let mut steps = Steps::<L, LANES>::new(&parameter);
    for _ in 0..total {
        // A finished lane hashes past its last chain; its output is never read.
        steps.step(|l| chain[l], |l| value[l], |l| epoch[l], &mut x);
        for l in 0..LANES {
            if chain[l] == dimension {
                continue;
            }
            value[l] += 1;
            if value[l] < top {
                continue;
            }
            let c = chain[l];
            for (i, w) in x.iter_mut().enumerate() {
                ends[c][i][l] = w[l];
            }
            chain[l] += 1;
            skip_done(l, &mut chain, &mut value);
            if chain[l] < dimension {
                for (i, w) in x.iter_mut().enumerate() {
                    w[l] = ends[chain[l]][i][l];
                }
            }
        }
    }
    ends
}

/// The root each pending signature's leaf and Merkle path lead to, one signature per lane.
fn roots<L: LeanVmLayout, I: Instance<Hash = Blake2sLeanVm<L>>>(
    pending: &[(usize, Pending<'_, I>)],
    ends: &[NodeWords<LANES>],
) -> Vec<[u8; 16]> {
    let n = pending.len();
    let sig = |l: usize| &pending[l.min(n - 1)].1;
    let parameter: NodeWords<LANES> = per_lane(|l| words(&sig(l).item.public_key.parameter));
    let leaf_tweak = tweaks::<L, LANES>(TweakKind::Leaf, |_| 0, |l| sig(l).epoch);
    let nodes: Vec<&NodeWords<LANES>> = [&leaf_tweak, &parameter].into_iter().chain(ends).collect();
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

#[cfg(test)]
mod tests {
    use crate::batch_verify::BatchItem;
    use crate::hazmat::RawSign;
    use crate::leanvm::LeanVmTest;
    use crate::{SecretKey, Signature};

    /// An odd-sized batch (two full chunks and a ragged one) mixing valid signatures with corrupted tips,
    /// path nodes and randomness, wrong epochs and an out-of-range epoch answers exactly as one
    /// verification at a time.
    #[test]
    fn mixed_batch_answers_as_single_verification() {
        let (sk, pk) = SecretKey::<LeanVmTest>::from_seed(&[5; 32], 0, 64).unwrap();
        let messages: Vec<[u8; 32]> = (0..37u8).map(|i| [i.wrapping_mul(13); 32]).collect();
        let mut signatures: Vec<Signature<LeanVmTest>> =
            (0..37).map(|e| sk.sign_raw(e % 32, &messages[e as usize]).unwrap()).collect();
        // The first prepared window is epochs 0..32: the last five items sign its first epochs again.
        let mut epochs: Vec<u64> = (0..37).map(|e| e % 32).collect();
        for (k, s) in signatures.iter_mut().enumerate() {
            match k % 7 {
                1 => s.hashes[k % 42][k % 16] ^= 1,
                2 => s.path[k % 8][3] ^= 0x80,
                3 => s.rho[k % 24] ^= 4,
                4 => epochs[k] = (k as u64 + 1) % 32,
                5 if k == 19 => epochs[k] = 1 << 8,
                _ => {}
            }
        }
        let items: Vec<BatchItem<'_, LeanVmTest>> = (0..37)
            .map(|k| BatchItem {
                public_key: &pk,
                epoch: epochs[k],
                message: &messages[k],
                signature: &signatures[k],
            })
            .collect();
        let single: Vec<_> =
            items.iter().map(|i| i.public_key.verify(i.epoch, i.message, i.signature)).collect();
        assert!(single.iter().filter(|r| r.is_ok()).count() >= 10);
        assert!(single.iter().filter(|r| r.is_err()).count() >= 10);
        assert_eq!(crate::verify_batch(&items), single);
    }
}
