//! Closing a slot at the aggregator (tallies, rewards, aggregates, justification) and the end-of-run
//! report, with the slashing detector's findings (`detector.rs`).

use std::collections::{BTreeMap, BTreeSet};

use ndvt_aggregation::{ConcatAggregate, Scheme};
use tree_hash::Hash256;

use super::detector::{ConflictKey, component_name, offence_name};
use super::engine::{INTERVAL_MS, SLOT_MS, Sch, Simulation};
use super::error::SimError;
use super::report::{EntryReport, Report, SlashableEvent, SlotPoint, percentiles};
use crate::accounting::{Component, MemberVote, RewardModel, tally};
use crate::containers::{AttestationData, Checkpoint};
use crate::node::aggregate::{add_entry, supermajority};

/// Running overhead sums.
#[derive(Default)]
pub(super) struct OverheadSums {
    pub signatures: u64,
    pub bytes: u64,
    pub single_key_signatures: u64,
    pub single_key_bytes: u64,
}

impl Simulation {
    /// Interval 2 of `slot`: tally every entry's votes received so far and aggregate them.
    pub(super) fn aggregate(&mut self, slot: u64) -> Result<(), SimError> {
        self.closed.insert(slot);
        let attest_time = slot * SLOT_MS + INTERVAL_MS;
        let previous = self.canonical.last().copied().unwrap_or(self.genesis);
        let head = self
            .certified
            .get(&slot)
            .and_then(|c| c.first())
            .map_or(previous, |(root, _)| Checkpoint { root: Hash256::from(*root), slot });
        self.canonical.push(head);
        let canon = AttestationData { slot, head, target: previous, source: self.justified };
        let votes = self.inbox.remove(&slot).unwrap_or_default();
        let model = RewardModel::default();
        let registry_len = self.entries.len();
        let mut aggregates: BTreeMap<AttestationData, ConcatAggregate<Sch>> = BTreeMap::new();
        let (mut total, mut for_target, mut proposer_reward) = (0u64, 0u64, 0i64);
        let mut point = SlotPoint { slot, ..SlotPoint::default() };
        let groups = self.entries.iter().filter(|e| !e.single).count().max(1) as f64;
        for (e, meta) in self.entries.iter().enumerate() {
            let mut received = votes.get(&e).cloned().unwrap_or_default();
            received.sort_by_key(|(t, _)| *t);
            let list: Vec<MemberVote<Sch>> = received.iter().map(|(_, v)| v.clone()).collect();
            let t = tally(&meta.attestation, slot, &list);
            let m = u32::from(meta.attestation.threshold());
            let mut masks: BTreeMap<AttestationData, u16> = BTreeMap::new();
            let ttq = received.iter().filter(|(_, v)| t.voters >> v.member & 1 == 1).find_map(|(time, v)| {
                let mask = masks.entry(v.data).or_default();
                *mask |= 1 << v.member;
                (mask.count_ones() >= m).then(|| time.saturating_sub(attest_time))
            });
            let stats = &mut self.stats[e];
            stats.duties += 1;
            stats.ttq.extend(ttq);
            let quorum = !t.full.is_empty();
            stats.quorum += u64::from(quorum);
            let (source, target, head) = (
                t.counts_canonical(Component::Source, &canon),
                t.counts_canonical(Component::Target, &canon),
                t.counts_canonical(Component::Head, &canon),
            );
            if !meta.single {
                self.credited[e].extend(t.credits.iter().map(|(c, _)| (slot, *c)));
            }
            stats.correct.source += u64::from(source);
            stats.correct.target += u64::from(target);
            stats.correct.head += u64::from(head);
            let r = model.rewards(&t, &canon, meta.balance);
            stats.rewards += r.total();
            proposer_reward += r.proposer_share();
            total += meta.balance;
            for_target += if target { meta.balance } else { 0 };
            if !meta.single {
                point.quorum += f64::from(u8::from(quorum)) / groups;
                point.target += f64::from(u8::from(target)) / groups;
                point.head += f64::from(u8::from(head)) / groups;
            }
            let k =
                add_entry(&mut aggregates, e, &meta.attestation, meta.single, &list, &t.full, registry_len)
                    .map_err(|error| SimError::Aggregate { slot, error })?;
            let datas = t.full.len() as u64;
            self.overhead.signatures += k;
            self.overhead.single_key_signatures += datas;
            self.overhead.single_key_bytes += datas * (2 + Sch::SIGNATURE_BYTES as u64);
        }
        for (data, agg) in &aggregates {
            let bytes = agg.to_bytes().len() as u64;
            self.overhead.bytes += bytes;
            // The shared header and bitlist are the same for single keys; the parts were summed above.
            let parts: u64 = self.entries.len().div_ceil(8) as u64 + 1 + 4 + 8 + 32;
            self.overhead.single_key_bytes += parts;
            if self.verify_aggregates {
                let participants = self.registry.attestation_participants(slot);
                agg.verify(&participants, slot, &data.signing_root())
                    .map_err(|error| SimError::Aggregate { slot, error })?;
            }
        }
        if let Some(&p) = self.proposer_of.get(&slot)
            && self.certified.get(&slot).is_some_and(|c| !c.is_empty())
        {
            self.stats[p].rewards += proposer_reward;
        }
        if supermajority(for_target, total) && canon.target.slot > self.justified.slot {
            self.justified = canon.target;
        }
        self.report.timeline.push(point);
        Ok(())
    }

    /// True if a block of `slot` was certified before the slot ended.
    fn block_made(&self, slot: u64) -> bool {
        let end = (slot + 1) * SLOT_MS;
        self.certified.get(&slot).is_some_and(|c| c.iter().any(|(_, t)| *t < end))
    }

    /// The report.
    pub(super) fn finish(mut self) -> Report {
        let mut r = std::mem::take(&mut self.report);
        let slots = self.sc.slots.max(1) as f64;
        for slot in self.proposer_of.keys() {
            r.proposals += 1;
            if !self.block_made(*slot) {
                r.proposals_missed += 1;
            }
        }
        r.conflicting_blocks = self.certified.values().filter(|c| c.len() > 1).count() as u64;
        let slashings = self.detect_slashings();
        r.slashable_events = slashings.len() as u64;
        let honest = |e: usize| self.entries[e].byzantine < self.entries[e].attestation.threshold();
        let proven: BTreeSet<&ConflictKey> = slashings.iter().map(|s| &s.key).collect();
        let credited = self.conflicting_credits();
        r.conflicting_credits = credited.len() as u64;
        r.unprovable_conflicting_credits = credited.iter().filter(|k| !proven.contains(k)).count() as u64;
        // Honest members pay for a verified evidence, or for a conflicting credit (the same event when the
        // credit is proven, so each is counted once), against a group with fewer than m Byzantine members.
        let honest_slashed = proven
            .iter()
            .copied()
            .chain(&credited)
            .filter(|k| honest(k.entry))
            .collect::<BTreeSet<_>>()
            .len() as u64;
        for s in &slashings {
            let meta = &self.entries[s.key.entry];
            r.slashings.push(SlashableEvent {
                group: meta.name.clone(),
                offence: offence_name(s.offence).into(),
                component: component_name(s.key.a.1.component()).into(),
                slots: (s.key.a.0, s.key.b.0),
                byzantine: meta.byzantine,
                m: meta.attestation.threshold(),
            });
        }
        // Two certified blocks of one slot need 2m − n members signing both; if fewer than m of the group
        // are Byzantine, honest members end up slashable for it, which is a safety failure. A Byzantine
        // quorum (≥ m) is the group's own misbehaviour: reported, not counted as a violation.
        let honest_forks =
            self.certified
                .iter()
                .filter(|(slot, c)| {
                    c.len() > 1
                        && self.proposer_of.get(slot).is_some_and(|&p| {
                            self.entries[p].byzantine < self.entries[p].attestation.threshold()
                        })
                })
                .count() as u64;
        r.safety_violations = honest_slashed + honest_forks + r.unprovable_conflicting_credits;
        let (mut gd, mut gq, mut gs, mut gt, mut gh, mut sd, mut sq) = (0, 0, 0, 0, 0, 0, 0);
        for (e, meta) in self.entries.iter().enumerate() {
            let assigned = self.proposer_of.values().filter(|p| **p == e).count() as u64;
            let missed =
                self.proposer_of.iter().filter(|(s, p)| **p == e && !self.block_made(**s)).count() as u64;
            let st = &mut self.stats[e];
            let (p50, p95) = percentiles(&mut st.ttq);
            if meta.single {
                sd += st.duties;
                sq += st.quorum;
            } else {
                gd += st.duties;
                gq += st.quorum;
                gs += st.correct.source;
                gt += st.correct.target;
                gh += st.correct.head;
            }
            r.entries.push(EntryReport {
                name: meta.name.clone(),
                m: meta.attestation.threshold(),
                n: meta.attestation.size(),
                crashed: meta.crashed,
                byzantine: meta.byzantine,
                duties: st.duties,
                quorum: st.quorum,
                correct: st.correct,
                participation: ratio(st.quorum, st.duties),
                missed_attestations: st.duties - st.quorum,
                time_to_quorum_median_ms: p50,
                time_to_quorum_p95_ms: p95,
                proposals_assigned: assigned,
                proposals_missed: missed,
                rewards: st.rewards,
                slashable_events: slashings.iter().filter(|s| s.key.entry == e).count() as u64,
            });
        }
        r.participation = ratio(gq, gd);
        r.participation_source = ratio(gs, gd);
        r.participation_target = ratio(gt, gd);
        r.participation_head = ratio(gh, gd);
        r.singles_participation = ratio(sq, sd);
        r.messages_dropped = self.net.dropped;
        let o = &self.overhead;
        r.overhead.signatures_per_slot = o.signatures as f64 / slots;
        r.overhead.aggregate_bytes_per_slot = o.bytes as f64 / slots;
        r.overhead.single_key_signatures_per_slot = o.single_key_signatures as f64 / slots;
        r.overhead.single_key_aggregate_bytes_per_slot = o.single_key_bytes as f64 / slots;
        r.overhead.messages_per_slot = self.net.sent as f64 / slots;
        r.overhead.sign_off_messages_per_slot = self.sign_off_messages as f64 / slots;
        r
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}
