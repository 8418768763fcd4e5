//! Batch verification on the leanVM back-end: one lane per signature.
//!
//! A single verification is mostly dependent compressions (the chain walks' rounds, then eleven for the
//! leaf and one per path level), so its lanes idle. Across signatures those sequences are independent:
//! here one lane carries one signature: its chain walks one after another, then its leaf and Merkle path.
//! Every signature costs the same compressions (the digits of a valid codeword sum to the target, so every
//! signature walks 99 steps), so the lanes stay full.

use rayon::prelude::*;

use crate::arx_lanes::Word;
use crate::batch_verify::{BatchItem, Pending, check_shape};
use crate::error::VerifyError;
use crate::instance::Instance;
use crate::leanvm::backend::Blake2sLeanVm;
use crate::leanvm::calls::{hash_nodes, per_lane, rho_words, tweaks};
use crate::leanvm::lanes::{Block, compress, compress_fresh, digest, initial, splat};
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
    // Lanes past the pending signatures repeat the last one; their results are never read.
    let sigs: [&Pending<'_, I>; LANES] = core::array::from_fn(|l| &pending[l.min(pending.len() - 1)].1);
    let ends = chain_ends::<L, I>(&sigs);
    let roots = roots::<L, I>(&sigs, &ends, pending.len());
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

/// Lane `l`'s steps laid out one after another, built before any hash so that the walk itself has no
/// per-lane branch: step `s` of every lane hashes at once, each lane at its own chain and value. Only the
/// first step of each chain is recorded; the walk counts the values up from there.
struct Schedule {
    /// `!0` where step `s` continues the lane's chain from the previous output, `0` where it starts one.
    keep: Vec<Word<LANES>>,
    /// Where a lane starts a chain at step `s`: the chain's tip (read only where `keep` is 0) …
    tip: Vec<NodeWords<LANES>>,
    /// … its index …
    chain: Vec<Word<LANES>>,
    /// … and its digit, the value the first step steps out of.
    digit: Vec<Word<LANES>>,
    /// The step whose output is chain `c`'s end in lane `l`, or `NO_STEP` (the tip is its own end).
    last: Vec<[u16; LANES]>,
    /// Steps of the longest lane (every lane, for valid codewords: their digits sum to the target).
    steps: usize,
}

/// `Schedule::last` of a chain that takes no step.
const NO_STEP: u16 = u16::MAX;

impl Schedule {
    /// The schedule of `sigs`, one per lane. A chain's start is written at the lane's next step and the
    /// index then advances by its step count, so the start of a chain without steps lands where the next
    /// chain's start overwrites it (the last ones in one spare slot): no branch per chain.
    fn new<L: LeanVmLayout, I: Instance<Hash = Blake2sLeanVm<L>>>(sigs: &[&Pending<'_, I>; LANES]) -> Self {
        let (dimension, top) = (I::DIMENSION, (I::BASE - 1) as u8);
        const { assert!(I::DIMENSION * (I::BASE - 1) < NO_STEP as usize) };
        let lane_steps =
            |p: &Pending<'_, I>| p.codeword[..dimension].iter().map(|&d| usize::from(top - d.min(top))).sum();
        let steps = sigs.iter().map(|p| lane_steps(p)).max().unwrap_or(0);
        let mut schedule = Schedule {
            keep: vec![[!0; LANES]; steps + 1],
            tip: vec![[[0; LANES]; 4]; steps + 1],
            chain: vec![[0; LANES]; steps + 1],
            digit: vec![[0; LANES]; steps + 1],
            last: vec![[NO_STEP; LANES]; dimension],
            steps,
        };
        // Slices bound once: the stores below go through `u32`s, which the compiler cannot tell apart from
        // the vectors' and the signatures' own pointers, so it would reload those after every store.
        let (keep, tip, chain) = (&mut schedule.keep[..], &mut schedule.tip[..], &mut schedule.chain[..]);
        let (digit, last) = (&mut schedule.digit[..], &mut schedule.last[..]);
        for (l, p) in sigs.iter().enumerate() {
            let (tips, codeword) = (&p.item.signature.hashes[..dimension], &p.codeword[..dimension]);
            let mut s = 0usize;
            for (c, (t, &d)) in tips.iter().zip(codeword).enumerate() {
                for (i, w) in words(t).into_iter().enumerate() {
                    tip[s][i][l] = w;
                }
                let d = d.min(top);
                (keep[s][l], chain[s][l], digit[s][l]) = (0, c as u32, u32::from(d));
                let n = usize::from(top - d);
                s += n;
                last[c][l] = if n > 0 { (s - 1) as u16 } else { NO_STEP };
            }
        }
        schedule
    }
}

/// Every chain end of every pending signature, lane-major (`ends[c]` is chain `c` of every lane): lane `l`
/// walks signature `l`'s chains one after another along its [`Schedule`], every step's output kept, and
/// the ends are picked out afterwards.
fn chain_ends<L: LeanVmLayout, I: Instance<Hash = Blake2sLeanVm<L>>>(
    sigs: &[&Pending<'_, I>; LANES],
) -> Vec<NodeWords<LANES>> {
    let schedule = Schedule::new::<L, I>(sigs);
    let epoch: Word<LANES> = core::array::from_fn(|l| sigs[l].epoch);
    let parameter: NodeWords<LANES> = per_lane(|l| words(&sigs[l].item.public_key.parameter));
    let mut m: Block<LANES> = [splat(0); 16];
    m[4..8].copy_from_slice(&parameter);
    let mut outputs: Vec<NodeWords<LANES>> = Vec::with_capacity(schedule.steps);
    let mut x: NodeWords<LANES> = [[0; LANES]; 4];
    let (mut chain, mut value): (Word<LANES>, Word<LANES>) = ([0; LANES], [0; LANES]);
    // Whole-word expressions (`from_fn`), which the compiler turns into vector operations; a loop storing
    // lane by lane stays scalar and stalls the compression's vector loads of the block.
    for s in 0..schedule.steps {
        let keep = &schedule.keep[s];
        let pick = |a: &Word<LANES>, b: &Word<LANES>| -> Word<LANES> {
            core::array::from_fn(|l| (a[l] & keep[l]) | (b[l] & !keep[l]))
        };
        for i in 0..4 {
            m[8 + i] = pick(&x[i], &schedule.tip[s][i]);
        }
        chain = pick(&chain, &schedule.chain[s]);
        value = pick(&core::array::from_fn(|l| value[l].wrapping_add(1)), &schedule.digit[s]);
        m[..4].copy_from_slice(&chain_tweaks::<L>(&chain, &value, &epoch));
        // tweak ‖ parameter ‖ x: twelve words, 48 bytes.
        compress_fresh::<LANES, 12>(&m, 48, &mut x);
        outputs.push(x);
    }
    (0..I::DIMENSION)
        .map(|c| {
            let last = &schedule.last[c];
            let mut end: NodeWords<LANES> = [[0; LANES]; 4];
            for l in 0..LANES {
                let w = match last[l] {
                    NO_STEP => words(&sigs[l].item.signature.hashes[c]),
                    s => lane(&outputs[usize::from(s)], l),
                };
                for i in 0..4 {
                    end[i][l] = w[i];
                }
            }
            end
        })
        .collect()
}

/// The chain tweaks at (`chain[l]`, `value[l]`) and `epoch[l]` in every lane, as a loop the compiler
/// vectorizes.
#[inline(always)]
fn chain_tweaks<L: LeanVmLayout>(
    chain: &Word<LANES>,
    value: &Word<LANES>,
    epoch: &Word<LANES>,
) -> NodeWords<LANES> {
    let mut t: NodeWords<LANES> = [[0; LANES]; 4];
    for l in 0..LANES {
        let position = L::chain_position(chain[l] as usize, value[l] as u8);
        let w = L::tweak_words(TweakKind::Chain, position, epoch[l]);
        for i in 0..4 {
            t[i][l] = w[i];
        }
    }
    t
}

/// The root each pending signature's leaf and Merkle path lead to, one signature per lane.
fn roots<L: LeanVmLayout, I: Instance<Hash = Blake2sLeanVm<L>>>(
    sigs: &[&Pending<'_, I>; LANES],
    ends: &[NodeWords<LANES>],
    n: usize,
) -> Vec<[u8; 16]> {
    let depth = I::LOG_LIFETIME as usize;
    let parameter: NodeWords<LANES> = per_lane(|l| words(&sigs[l].item.public_key.parameter));
    let epoch: Word<LANES> = core::array::from_fn(|l| sigs[l].epoch);
    let leaf_tweak = tweaks::<L, LANES>(TweakKind::Leaf, |_| 0, |l| epoch[l]);
    let nodes: Vec<&NodeWords<LANES>> = [&leaf_tweak, &parameter].into_iter().chain(ends).collect();
    let mut current = hash_nodes(&nodes);
    // Every sibling in word form, level-major, written one signature at a time: sixteen scalar stores per
    // level, where a per-level transposition compiles to gathers through sixteen path pointers.
    let mut siblings: Vec<NodeWords<LANES>> = vec![[[0; LANES]; 4]; depth];
    for (l, p) in sigs.iter().enumerate() {
        for (sibling, node) in siblings.iter_mut().zip(&p.item.signature.path[..depth]) {
            for (i, w) in words(node).into_iter().enumerate() {
                sibling[i][l] = w;
            }
        }
    }
    let mut m: Block<LANES> = [splat(0); 16];
    m[4..8].copy_from_slice(&parameter);
    for (level, sibling) in siblings.iter().enumerate() {
        // Positions below 2^32 >> level; `level` is below 32, so no shift overflows.
        let position: Word<LANES> = core::array::from_fn(|l| epoch[l] >> level);
        m[..4].copy_from_slice(&node_tweaks::<L>((level + 1) as u32, &position));
        // All ones where the lane's node is a right child, which hashes its sibling first. Whole-word
        // expressions (`from_fn`), which the compiler turns into vector operations.
        let right: Word<LANES> = core::array::from_fn(|l| 0u32.wrapping_sub(position[l] & 1));
        for i in 0..4 {
            let (a, b) = (current[i], sibling[i]);
            let swap: Word<LANES> = core::array::from_fn(|l| (a[l] ^ b[l]) & right[l]);
            m[8 + i] = core::array::from_fn(|l| a[l] ^ swap[l]);
            m[12 + i] = core::array::from_fn(|l| b[l] ^ swap[l]);
        }
        compress_fresh::<LANES, 16>(&m, 64, &mut current);
    }
    (0..n).map(|l| node(&lane(&current, l))).collect()
}

/// The tweaks of the parents of the nodes at `position[l]` (a level below `level`) in every lane.
#[inline(always)]
fn node_tweaks<L: LeanVmLayout>(level: u32, position: &Word<LANES>) -> NodeWords<LANES> {
    let mut t: NodeWords<LANES> = [[0; LANES]; 4];
    for l in 0..LANES {
        let w = L::tweak_words(TweakKind::Node, level, position[l] >> 1);
        for i in 0..4 {
            t[i][l] = w[i];
        }
    }
    t
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
