#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ndvt_aggregation::{Ed25519, GroupKey, GroupSigner, Participant, ThresholdPolicy};
use tree_hash::Hash256;

use super::*;
use crate::testkit::{TestMember, members, signed};

fn cp(b: u8, slot: u64) -> Checkpoint {
    Checkpoint { root: Hash256::from([b; 32]), slot }
}

fn data(slot: u64, head: u8) -> AttestationData {
    AttestationData { slot, head: cp(head, slot), target: cp(7, slot - 1), source: cp(0, 0) }
}

/// A registry of a 2-of-3 group (entry 0) and one single validator (entry 1).
fn registry() -> (Vec<TestMember>, TestMember, Vec<Voter<Ed25519>>) {
    let group = members(1, 3);
    let mut single = members(2, 1);
    let keys = group.iter().map(|m| m.attestation.public_key()).collect();
    let key = GroupKey::new(2, keys, ThresholdPolicy::Strict).unwrap().0;
    let single_key =
        GroupKey::new(1, vec![single[0].attestation.public_key()], ThresholdPolicy::Strict).unwrap().0;
    let voters = vec![Voter { key, single: false }, Voter { key: single_key, single: true }];
    (group, single.remove(0), voters)
}

fn participants(voters: &[Voter<Ed25519>]) -> Vec<Participant<Ed25519>> {
    voters
        .iter()
        .map(|v| {
            if v.single { Participant::Single(v.key.members()[0]) } else { Participant::Group(v.key.clone()) }
        })
        .collect()
}

#[test]
fn a_slot_closes_into_one_verifying_aggregate_per_data_with_every_quorum() {
    let (mut group, mut single, voters) = registry();
    let mut agg = Aggregator::new(voters.clone());
    let d = data(3, 1);
    agg.add(0, signed(&mut group[0], d));
    agg.add(0, signed(&mut group[2], d));
    agg.add(1, signed(&mut single, d));
    // One member of the group on another head: no quorum for it, so no second aggregate.
    agg.add(0, signed(&mut group[1], data(3, 2)));
    let out = agg.close(3).unwrap();
    assert_eq!(out.len(), 1);
    let (data, aggregate) = &out[0];
    assert_eq!(*data, d);
    assert_eq!(aggregate.participation().ones().collect::<Vec<_>>(), vec![0, 1]);
    aggregate.verify(&participants(&voters), 3, &d.signing_root()).unwrap();
}

/// An identity aggregates every N/2 slots (the duty rotates): the votes of its next slot, far past the last
/// one it closed, are kept (a 32-identity devnet stopped aggregating at slot 17 when they were not).
#[test]
fn votes_for_the_next_duty_far_past_the_last_closed_slot_are_kept() {
    let (mut group, mut single, voters) = registry();
    let mut agg = Aggregator::new(voters.clone());
    assert!(agg.close(1).unwrap().is_empty());
    let d = data(17, 1);
    agg.add(0, signed(&mut group[0], d));
    agg.add(0, signed(&mut group[2], d));
    agg.add(1, signed(&mut single, d));
    let out = agg.close(17).unwrap();
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].1.participation().ones().collect::<Vec<_>>(), vec![0, 1]);
}

/// Open slots stay bounded: a slot left unclosed far behind newer votes is dropped, and no more than
/// `KEPT_SLOTS` slots are held at once.
#[test]
fn open_slots_are_bounded() {
    let (mut group, _, voters) = registry();
    let mut agg = Aggregator::new(voters);
    for slot in [10, 11, 12, 13] {
        agg.add(0, signed(&mut group[0], data(slot, 1)));
    }
    agg.add(0, signed(&mut group[1], data(14, 1)));
    assert_eq!(
        agg.votes.keys().copied().collect::<Vec<_>>(),
        vec![10, 11, 12, 13],
        "a fifth slot is refused"
    );
    agg.add(0, signed(&mut group[1], data(20, 1)));
    assert_eq!(agg.votes.keys().copied().collect::<Vec<_>>(), vec![20], "slots 10-13 fell behind and went");
}

#[test]
fn below_the_threshold_or_for_an_unknown_entry_nothing_is_aggregated() {
    let (mut group, _, voters) = registry();
    let mut agg = Aggregator::new(voters);
    let d = data(3, 1);
    agg.add(0, signed(&mut group[0], d));
    agg.add(5, signed(&mut group[1], d));
    assert!(agg.close(3).unwrap().is_empty());
    // A vote for a slot older than the last closed one is not kept.
    agg.add(0, signed(&mut group[1], data(2, 1)));
    agg.add(0, signed(&mut group[2], data(2, 1)));
    assert!(agg.close(2).unwrap().is_empty());
}

#[test]
fn the_aggregators_of_a_slot_are_two_distinct_identities_and_the_duty_rotates() {
    for n in 1..20usize {
        for slot in 0..40u64 {
            let holders: Vec<usize> = (0..n).filter(|&i| is_aggregator(i, slot, n)).collect();
            assert_eq!(holders.len(), AGGREGATORS_PER_SLOT.min(n), "n {n} slot {slot}");
        }
        for i in 0..n {
            assert!((0..n as u64).any(|s| is_aggregator(i, s, n)), "identity {i} of {n} never aggregates");
        }
    }
}

#[test]
fn two_thirds_of_the_balance_from_the_justified_source_justifies_the_target() {
    let mut j = Justifier::new(vec![30, 20, 10], cp(0, 0));
    let d = data(3, 1);
    let bits = |ones: &[usize]| {
        let mut b = BitList::zeros(3);
        for &i in ones {
            b.set(i, true);
        }
        b
    };
    // 30 of 60: not yet; another aggregate adds entry 2 (40 of 60 = two thirds exactly).
    assert_eq!(j.observe(&d, &bits(&[0])), None);
    assert_eq!(j.observe(&d, &bits(&[0])), None, "an entry counts once");
    assert_eq!(j.observe(&d, &bits(&[2])), Some(d.target));
    assert_eq!(j.justified(), d.target);
    // The same target again, a target not after the justified one, or another source: nothing.
    assert_eq!(j.observe(&d, &bits(&[0, 1, 2])), None);
    let stale = AttestationData { source: cp(9, 1), target: cp(8, 4), ..d };
    assert_eq!(j.observe(&stale, &bits(&[0, 1, 2])), None);
    let next = AttestationData { slot: 4, source: d.target, target: cp(8, 3), ..d };
    assert_eq!(j.observe(&next, &bits(&[0, 1])), Some(cp(8, 3)));
}

#[test]
fn the_supermajority_rule_is_two_thirds_inclusive_and_does_not_overflow() {
    assert!(supermajority(2, 3));
    assert!(!supermajority(1, 2));
    assert!(supermajority(u64::MAX, u64::MAX));
    assert!(!supermajority(0, 1));
}

#[test]
fn a_node_that_missed_the_justifying_aggregates_catches_up_from_the_sources_more_than_a_third_names() {
    let mut j = Justifier::new(vec![30, 20, 10], cp(0, 0));
    let one = |e: usize| {
        let mut bits = BitList::zeros(3);
        bits.set(e, true);
        bits
    };
    // The network justified (5, slot 4) while this node was down: its votes of slot 6 name it as source.
    let d = AttestationData { slot: 6, head: cp(1, 6), target: cp(2, 5), source: cp(5, 4) };
    assert_eq!(j.observe(&d, &one(1)), None, "20 of 60 is a third, not more");
    assert_eq!(j.observe(&d, &one(2)), Some(cp(5, 4)), "30 of 60 holds an honest entry: caught up");
    // From the caught-up source, the same slot's link needs two thirds as always.
    assert_eq!(
        j.observe(&d, &one(0)),
        Some(cp(2, 5)),
        "40 of 60 from the new source (entries 2 and 0) justifies the target"
    );
}

#[test]
fn the_witness_rule_is_more_than_a_third_and_does_not_overflow() {
    assert!(!honest_witness(1, 3));
    assert!(honest_witness(2, 5));
    assert!(honest_witness(u64::MAX, u64::MAX));
    assert!(!honest_witness(0, 1));
}
