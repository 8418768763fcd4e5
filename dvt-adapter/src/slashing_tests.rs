use ndvt_aggregation::{Ed25519, GroupKey, GroupSigner, ThresholdPolicy};
use tree_hash::Hash256;

use super::*;
use crate::accounting::tally;
use crate::registry::RegistryConfig;
use crate::testkit::{TestMember, key_pairs, members, signed, surround};

fn cp(b: u8, slot: u64) -> Checkpoint {
    Checkpoint { root: Hash256::from([b; 32]), slot }
}

fn vote(slot: u64, head: u8, source: u64, target: u64) -> AttestationData {
    AttestationData { slot, head: cp(head, slot), target: cp(head, target), source: cp(0, source) }
}

fn group(m: u8, n: u8, policy: ThresholdPolicy) -> (GroupKey<Ed25519>, Vec<TestMember>) {
    let ms = members(4, n);
    let keys = ms.iter().map(|x| x.attestation.public_key()).collect();
    (GroupKey::new(m, keys, policy).unwrap().0, ms)
}

fn target(d: &AttestationData) -> Credit {
    Credit::of(Component::Target, d)
}

#[test]
fn conflicts_are_classified() {
    assert_eq!(conflict(&vote(5, 1, 2, 4), &vote(5, 2, 2, 4)), Some(Offence::DoubleVote));
    assert_eq!(conflict(&vote(6, 1, 2, 4), &vote(7, 2, 3, 4)), Some(Offence::DoubleVote));
    // Consecutive slots with the same target are ordinary lean votes.
    assert_eq!(conflict(&vote(6, 1, 2, 4), &vote(7, 1, 2, 4)), None);
    assert_eq!(conflict(&vote(9, 1, 1, 8), &vote(7, 1, 3, 6)), Some(Offence::SurroundVote));
    assert_eq!(conflict(&vote(9, 1, 3, 8), &vote(7, 1, 1, 6)), None);
    assert_eq!(conflict(&vote(9, 1, 3, 8), &vote(9, 1, 3, 8)), None);
}

#[test]
fn units_conflict_by_component() {
    let link = |s: u64, t: u8, ts: u64| Credit::Target { source: cp(0, s), target: cp(t, ts) };
    // Same target slot, different target: a double vote, in any slots.
    assert_eq!(credits_conflict(&link(2, 1, 8), Some(9), &link(2, 2, 8), None), Some(Offence::DoubleVote));
    assert_eq!(credits_conflict(&link(1, 1, 8), None, &link(3, 1, 6), None), Some(Offence::SurroundVote));
    // The same target from two sources, in different slots: ordinary (justification moved on).
    assert_eq!(credits_conflict(&link(2, 1, 8), Some(9), &link(3, 1, 8), Some(10)), None);
    // Any two units voted in one slot: everyone behind both signed twice at that epoch.
    assert_eq!(credits_conflict(&link(2, 1, 8), Some(9), &link(3, 1, 8), Some(9)), Some(Offence::DoubleVote));
    let (h1, h2) = (Credit::Head(cp(1, 9)), Credit::Head(cp(2, 9)));
    assert_eq!(credits_conflict(&h1, Some(9), &h2, Some(9)), Some(Offence::DoubleVote));
    assert_eq!(credits_conflict(&h1, Some(9), &h2, None), None);
    assert_eq!(credits_conflict(&h1, Some(9), &h1, Some(9)), None);
    assert_eq!(credits_conflict(&h1, Some(9), &Credit::Source(cp(1, 9)), Some(9)), None);
}

/// The review's example (issue 13, finding 2): in 3 of 4, honest member 0 votes target T1, honest member 1
/// votes T2, Byzantine members 2 and 3 vote both, each time with a head nobody else uses. The group is
/// credited for T1 and for T2, so the evidence must build from exactly those votes and convict 2 and 3.
#[test]
fn conflicting_targets_credited_are_slashable() {
    let (g, mut ms) = group(3, 4, ThresholdPolicy::Strict);
    let (t1, t2) = (cp(0xa1, 8), cp(0xa2, 8));
    let data = |head: u8, target: Checkpoint| AttestationData {
        slot: 9,
        head: cp(head, 9),
        target,
        source: cp(0, 4),
    };
    let votes = vec![
        signed(&mut ms[0], data(0x10, t1)),
        signed(&mut ms[1], data(0x10, t2)),
        signed(&mut ms[2], data(0x21, t1)),
        signed(&mut ms[2], data(0x22, t2)),
        signed(&mut ms[3], data(0x31, t1)),
        signed(&mut ms[3], data(0x32, t2)),
    ];
    let t = tally(&g, 9, &votes);
    let (c1, c2) = (target(&data(0, t1)), target(&data(0, t2)));
    assert!(t.counts(&c1) && t.counts(&c2), "the group is credited for both targets");
    assert!(t.full.is_empty(), "no whole AttestationData reaches m: the old evidence could not be built");
    let ev = SlashingEvidence::build(0, (&t, c1), (&t, c2)).unwrap();
    assert_eq!(ev.verify(&g).unwrap(), Offence::DoubleVote);
    let members = |s: &EvidenceSide<Ed25519>| s.votes.iter().map(|v| v.member).collect::<Vec<_>>();
    assert_eq!((members(&ev.a), members(&ev.b)), (vec![0, 2, 3], vec![1, 2, 3]));
    let bytes = ev.to_ssz_bytes().unwrap();
    assert_eq!(SlashingEvidence::<Ed25519>::from_ssz_bytes(&bytes).unwrap(), ev);
}

#[test]
fn a_surround_across_slots_is_slashable() {
    let (g, ev) = surround();
    assert_eq!(ev.verify(&g).unwrap(), Offence::SurroundVote);
}

#[test]
fn two_heads_in_one_slot_are_slashable() {
    let (g, mut ms) = group(3, 4, ThresholdPolicy::Strict);
    let (a, b) = (vote(9, 1, 1, 8), AttestationData { head: cp(7, 9), ..vote(9, 1, 1, 8) });
    let votes: Vec<_> = [(0, a), (1, a), (2, a), (1, b), (2, b), (3, b)]
        .into_iter()
        .map(|(i, d)| signed(&mut ms[i], d))
        .collect();
    let t = tally(&g, 9, &votes);
    let ev = SlashingEvidence::build(
        0,
        (&t, Credit::of(Component::Head, &a)),
        (&t, Credit::of(Component::Head, &b)),
    )
    .unwrap();
    assert_eq!(ev.verify(&g).unwrap(), Offence::DoubleVote);
    // The same members credited for one target in one slot: no conflict in that component.
    assert!(matches!(
        SlashingEvidence::build(0, (&t, Credit::of(Component::Source, &a)), (&t, Credit::Source(cp(9, 2)))),
        Err(SlashingError::Short { side: Side::B, have: 0, need: 3 })
    ));
}

#[test]
fn evidence_short_of_m_is_refused() {
    let (g, mut ms) = group(3, 4, ThresholdPolicy::Strict);
    let (a, b) = (vote(9, 1, 1, 8), vote(7, 2, 3, 6));
    let ta = tally(&g, 9, &[0, 1, 2].map(|i| signed(&mut ms[i], a)));
    let tb = tally(&g, 7, &[2, 3].map(|i| signed(&mut ms[i], b)));
    assert!(matches!(
        SlashingEvidence::build(0, (&ta, target(&a)), (&tb, target(&b))),
        Err(SlashingError::Short { side: Side::B, have: 2, need: 3 })
    ));
    // A hand-made short side is refused by verification as well.
    let (g, mut ev) = surround();
    ev.b.votes.pop();
    assert!(matches!(ev.verify(&g), Err(SlashingError::Short { side: Side::B, have: 2, need: 3 })));
}

#[test]
fn non_conflicting_and_identical_units_are_refused() {
    let (g, mut ms) = group(3, 4, ThresholdPolicy::Strict);
    let (a, b) = (vote(9, 1, 3, 8), vote(7, 1, 1, 6));
    let ta = tally(&g, 9, &[0, 1, 2].map(|i| signed(&mut ms[i], a)));
    let tb = tally(&g, 7, &[0, 1, 2].map(|i| signed(&mut ms[i], b)));
    assert!(matches!(
        SlashingEvidence::build(0, (&ta, target(&a)), (&tb, target(&b))),
        Err(SlashingError::NotConflicting)
    ));
    assert!(matches!(
        SlashingEvidence::build(0, (&ta, target(&a)), (&ta, target(&a))),
        Err(SlashingError::SameCredit)
    ));
    let (g2, mut ev) = surround();
    ev.b.credit = Credit::Head(ev.b.votes[0].data.head);
    assert!(matches!(
        ev.verify(&g2),
        Err(SlashingError::MixedComponents { a: Component::Target, b: Component::Head })
    ));
    let _ = g;
}

#[test]
fn malformed_sides_have_their_own_errors() {
    let (g, ev) = surround();
    let with = |f: &dyn Fn(&mut SlashingEvidence<Ed25519>)| {
        let mut e = ev.clone();
        f(&mut e);
        e.verify(&g)
    };
    assert!(matches!(with(&|e| e.a.votes.clear()), Err(SlashingError::EmptySide(Side::A))));
    assert!(matches!(
        with(&|e| e.a.votes = vec![e.a.votes[0].clone(); 17]),
        Err(SlashingError::TooManyVotes { side: Side::A, count: 17 })
    ));
    assert!(matches!(
        with(&|e| e.a.votes[1] = e.a.votes[0].clone()),
        Err(SlashingError::DuplicateMember { side: Side::A, member: 0 })
    ));
    assert!(matches!(
        with(&|e| e.b.votes.swap(0, 1)),
        Err(SlashingError::UnorderedMembers { side: Side::B, previous: 2, member: 1 })
    ));
    assert!(matches!(
        with(&|e| e.a.votes[2].data.target.root = Hash256::from([9; 32])),
        Err(SlashingError::CreditMismatch { side: Side::A, member: 2 })
    ));
    assert!(matches!(
        with(&|e| e.b.votes[2].member = 4),
        Err(SlashingError::UnknownMember { side: Side::B, member: 4, n: 4 })
    ));
}

#[test]
fn a_forged_signature_is_invalid() {
    let (g, ev) = surround();
    // Member 1's signature over A, presented as over B.
    let mut forged = ev.clone();
    forged.b.votes[0].signature = ev.a.votes[1].signature;
    assert!(matches!(forged.verify(&g), Err(SlashingError::BadSignature { side: Side::B, member: 1, .. })));
    // The same data claimed at another slot (epoch = slot): the signature no longer verifies.
    let (g, mut ms) = group(3, 4, ThresholdPolicy::Strict);
    let d = vote(9, 1, 1, 8);
    let mut moved = signed(&mut ms[0], d);
    moved.data.slot = 10;
    let mut e = ev.clone();
    e.a.votes[0] = moved;
    assert!(matches!(e.verify(&g), Err(SlashingError::BadSignature { side: Side::A, member: 0, .. })));
}

#[test]
fn disjoint_quorums_make_honest_members_slashable() {
    // The seed's warning: with 2 of 4, two honest halves that saw different heads each reach m.
    let (g, mut ms) = group(2, 4, ThresholdPolicy::AllowDisjointQuorums);
    let (a, b) = (vote(9, 1, 1, 8), vote(9, 2, 1, 8));
    let votes: Vec<_> =
        [(0, a), (1, a), (2, b), (3, b)].into_iter().map(|(i, d)| signed(&mut ms[i], d)).collect();
    let t = tally(&g, 9, &votes);
    let ev = SlashingEvidence::build(0, (&t, target(&a)), (&t, target(&b))).unwrap();
    assert_eq!(ev.verify(&g).unwrap(), Offence::DoubleVote);
}

#[test]
fn registry_checks_the_accused_keys() {
    let mut r = Registry::<Ed25519>::new(RegistryConfig::default());
    let ms = members(4, 4);
    r.add_group(3, key_pairs(&ms), 4 * 32_000_000_000, ThresholdPolicy::Strict).unwrap();
    let (_, mut ev) = surround();
    assert_eq!(r.verify_evidence(&ev, 10).unwrap(), Offence::SurroundVote);
    ev.validator_index = 3;
    assert!(matches!(
        r.verify_evidence(&ev, 10),
        Err(SlashingError::Registry(RegistryError::UnknownValidator(3)))
    ));
}
