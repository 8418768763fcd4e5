//! The simulator's report: participation per component per group and overall, time to quorum, missed
//! duties, rewards, slashable events, safety violations and overhead against the same stake held by
//! single-key validators. Rendered as a human table or one JSON object.

use serde::Serialize;

/// Per-component counts of duties that reached quorum on the canonical value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Components {
    /// Source.
    pub source: u64,
    /// Target.
    pub target: u64,
    /// Head.
    pub head: u64,
}

/// One registry entry's results.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct EntryReport {
    /// Name.
    pub name: String,
    /// Threshold (1 for a single validator).
    pub m: u8,
    /// Members (1 for a single validator).
    pub n: u8,
    /// Crashed members (at the start).
    pub crashed: u8,
    /// Equivocating members.
    pub byzantine: u8,
    /// Attestation duties (slots).
    pub duties: u64,
    /// Duties where at least m members signed the same data.
    pub quorum: u64,
    /// Duties where at least m members agreed on the canonical value, per component.
    pub correct: Components,
    /// Participation: `quorum / duties`.
    pub participation: f64,
    /// Duties without a quorum.
    pub missed_attestations: u64,
    /// Median time from the attestation deadline start (interval 1) to the m-th matching vote, ms.
    pub time_to_quorum_median_ms: Option<u64>,
    /// 95th percentile of the same, ms.
    pub time_to_quorum_p95_ms: Option<u64>,
    /// Slots this entry was the proposer.
    pub proposals_assigned: u64,
    /// Of those, slots without a certified block.
    pub proposals_missed: u64,
    /// Rewards in reward units (see `accounting`).
    pub rewards: i64,
    /// Verified slashing evidences against it.
    pub slashable_events: u64,
}

/// Signatures and bytes per slot, against the same stake as single-key validators.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Overhead {
    /// Attestation signatures in the slot's concatenation aggregates, per slot.
    pub signatures_per_slot: f64,
    /// Encoded concatenation aggregates, bytes per slot.
    pub aggregate_bytes_per_slot: f64,
    /// The same participants if every group were one key: signatures per slot.
    pub single_key_signatures_per_slot: f64,
    /// The same, bytes per slot.
    pub single_key_aggregate_bytes_per_slot: f64,
    /// Point-to-point messages per slot (votes, proposals, sign-offs, blocks).
    pub messages_per_slot: f64,
    /// Block sign-off messages per slot.
    pub sign_off_messages_per_slot: f64,
}

/// One slot of the participation picture.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct SlotPoint {
    /// The slot.
    pub slot: u64,
    /// Fraction of group duties with a quorum.
    pub quorum: f64,
    /// Fraction of group duties with a canonical target quorum.
    pub target: f64,
    /// Fraction of group duties with a canonical head quorum.
    pub head: f64,
}

/// A verified slashing evidence found in the run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SlashableEvent {
    /// The group's name.
    pub group: String,
    /// `double-vote` or `surround-vote`.
    pub offence: String,
    /// The component whose units conflict: `source`, `target` or `head`.
    pub component: String,
    /// Slots of the two votes.
    pub slots: (u64, u64),
    /// Equivocating members of the group (below m means honest members pay).
    pub byzantine: u8,
    /// The group's threshold.
    pub m: u8,
}

/// The whole run.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Report {
    /// Scenario name.
    pub scenario: String,
    /// Seed used.
    pub seed: u64,
    /// Slots run.
    pub slots: u64,
    /// Native-DVT groups.
    pub groups: usize,
    /// Single validators.
    pub singles: usize,
    /// Overall fraction of group attestation duties that reached quorum (0..1).
    pub participation: f64,
    /// Overall fractions of group duties with a canonical quorum per component.
    pub participation_source: f64,
    /// Target.
    pub participation_target: f64,
    /// Head.
    pub participation_head: f64,
    /// Single validators' participation.
    pub singles_participation: f64,
    /// Slots whose proposer produced no certified block.
    pub proposals_missed: u64,
    /// Slots with a proposer.
    pub proposals: u64,
    /// Sign-offs or votes a member's durable signer refused (a second message for a used epoch).
    pub signer_refusals: u64,
    /// Votes an honest member's slashing protection declined to sign (they would conflict with its own
    /// earlier votes, or have a target before the source).
    pub protection_refusals: u64,
    /// Slashable events (any).
    pub slashable_events: u64,
    /// Events that break safety: a verified slashing evidence or a conflicting credit (counted once when both),
    /// or a slot with two certified blocks, against a group with fewer than m Byzantine members (so honest
    /// members pay); plus every unprovable conflicting credit.
    pub safety_violations: u64,
    /// Slots with two or more certified blocks.
    pub conflicting_blocks: u64,
    /// Pairs of conflicting units (two targets of one slot, a surround, two units in one slot) the aggregator
    /// credited one group for; a safety violation unless the group has m Byzantine members.
    pub conflicting_credits: u64,
    /// Of those, pairs no verified evidence proves (accounting and slashing disagree): always a safety
    /// violation, and zero by construction.
    pub unprovable_conflicting_credits: u64,
    /// Messages lost or cut by partitions.
    pub messages_dropped: u64,
    /// Per entry (groups first, then singles).
    pub entries: Vec<EntryReport>,
    /// The evidences.
    pub slashings: Vec<SlashableEvent>,
    /// Overhead.
    pub overhead: Overhead,
    /// Participation over time.
    pub timeline: Vec<SlotPoint>,
}

impl Report {
    /// One line of JSON (the CLI prints it last with `--json`).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// A human-readable table.
    pub fn to_table(&self) -> String {
        let mut out = format!(
            "scenario: {} (seed {}, {} slots, {} groups, {} single validators)\n\n",
            self.scenario, self.seed, self.slots, self.groups, self.singles
        );
        out.push_str(&format!(
            "{:<24} {:>6} {:>6} {:>7} {:>7} {:>7} {:>7} {:>8} {:>9} {:>9} {:>9}\n",
            "entry",
            "m/n",
            "faults",
            "quorum",
            "source",
            "target",
            "head",
            "ttq p50",
            "proposals",
            "rewards",
            "slashable"
        ));
        let pct = |x: u64, d: u64| if d == 0 { 0.0 } else { 100.0 * x as f64 / d as f64 };
        for e in &self.entries {
            out.push_str(&format!(
                "{:<24} {:>6} {:>6} {:>6.1}% {:>6.1}% {:>6.1}% {:>6.1}% {:>8} {:>9} {:>9} {:>9}\n",
                truncate(&e.name, 24),
                format!("{}/{}", e.m, e.n),
                format!("{}c{}b", e.crashed, e.byzantine),
                100.0 * e.participation,
                pct(e.correct.source, e.duties),
                pct(e.correct.target, e.duties),
                pct(e.correct.head, e.duties),
                e.time_to_quorum_median_ms.map_or("-".into(), |t| format!("{t} ms")),
                format!("{}/{}", e.proposals_assigned - e.proposals_missed, e.proposals_assigned),
                e.rewards,
                e.slashable_events,
            ));
        }
        out.push_str(&format!(
            "\ngroups: quorum {:.1}%, source {:.1}%, target {:.1}%, head {:.1}%; singles {:.1}%\n",
            100.0 * self.participation,
            100.0 * self.participation_source,
            100.0 * self.participation_target,
            100.0 * self.participation_head,
            100.0 * self.singles_participation,
        ));
        out.push_str(&format!(
            "proposals missed {}/{}; signer refusals {}; protection refusals {}; messages dropped {}\n",
            self.proposals_missed,
            self.proposals,
            self.signer_refusals,
            self.protection_refusals,
            self.messages_dropped
        ));
        out.push_str(&format!(
            "slashable events {}; safety violations {} (conflicting blocks {}, conflicting credits {}, \
             unprovable {})\n",
            self.slashable_events,
            self.safety_violations,
            self.conflicting_blocks,
            self.conflicting_credits,
            self.unprovable_conflicting_credits
        ));
        let o = &self.overhead;
        out.push_str(&format!(
            "overhead per slot: {:.1} signatures / {:.0} bytes aggregated (same stake as single keys: {:.1} / {:.0}); \
             {:.0} messages, {:.1} sign-offs\n",
            o.signatures_per_slot,
            o.aggregate_bytes_per_slot,
            o.single_key_signatures_per_slot,
            o.single_key_aggregate_bytes_per_slot,
            o.messages_per_slot,
            o.sign_off_messages_per_slot,
        ));
        out
    }
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// The median and 95th percentile of `v` (sorted in place).
pub fn percentiles(v: &mut [u64]) -> (Option<u64>, Option<u64>) {
    if v.is_empty() {
        return (None, None);
    }
    v.sort_unstable();
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    (Some(at(0.5)), Some(at(0.95)))
}
