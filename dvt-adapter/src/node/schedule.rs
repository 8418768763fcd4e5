//! A networked driver's slot schedule, sans IO: which core events fire when in a slot (the same schedule the
//! simulator's engine uses: proposal attempts at `k × fallback_timeout_ms`, attestation at interval 1,
//! aggregation at interval 2).

use super::{INTERVAL_MS, NodeConfig, SLOT_MS};
use crate::sim::{FaultKind, ProposalMode};
use ndvt_aggregation::Scheme;

/// One duty of a slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Duty {
    /// The slot began.
    SlotStart,
    /// Proposal attempt `k` is valid.
    Proposal(u32),
    /// Attest (interval 1, plus a `late` member's delay).
    Attestation,
    /// Close the slot's votes into aggregates (interval 2), if the node is one of its aggregators.
    Aggregation,
}

/// The duties of `slot` for a node with `cfg`, as (milliseconds since genesis, duty), in time order.
/// `proposer` is the slot's proposer entry and `race_offset_ms` this node's moment in race mode.
pub fn duties<S: Scheme>(
    cfg: &NodeConfig<S>,
    slot: u64,
    proposer: Option<usize>,
    race_offset_ms: u64,
) -> Vec<(u64, Duty)> {
    let t0 = slot * SLOT_MS;
    let late = cfg.faults.iter().filter(|f| f.kind == FaultKind::Late && f.active(slot));
    let late_ms: u64 = late.map(|f| f.delay_ms).sum();
    let mut out = vec![
        (t0, Duty::SlotStart),
        (t0 + INTERVAL_MS + late_ms, Duty::Attestation),
        (t0 + 2 * INTERVAL_MS, Duty::Aggregation),
    ];
    if proposer == Some(cfg.entry) {
        if cfg.single {
            out.push((t0, Duty::Proposal(0)));
        } else {
            match cfg.mode {
                ProposalMode::Primary => {
                    let timeout = cfg.fallback_timeout_ms.max(1);
                    let n = u64::from(cfg.proposal_keys.size());
                    out.extend(
                        (0..n)
                            .map(|k| (t0 + k * timeout, k))
                            .take_while(|(t, _)| *t < t0 + SLOT_MS)
                            .map(|(t, k)| (t, Duty::Proposal(k as u32))),
                    );
                }
                ProposalMode::Race => out.push((t0 + race_offset_ms, Duty::Proposal(0))),
            }
        }
    }
    out.sort();
    out
}
