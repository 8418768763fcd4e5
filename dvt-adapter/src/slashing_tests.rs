use ndvt_aggregation::{Ed25519, GroupKey, GroupSigner, Share, ThresholdPolicy};
use tree_hash::Hash256;

use super::*;
use crate::containers::Checkpoint;
use crate::registry::RegistryConfig;
use crate::testkit::{TestMember, key_pairs, members};

fn cp(b: u8, slot: u64) -> Checkpoint {
    Checkpoint { root: Hash256::from([b; 32]), slot }
}

fn vote(slot: u64, head: u8, source: u64, target: u64) -> AttestationData {
    AttestationData { slot, head: cp(head, slot), target: cp(head, target), source: cp(0, source) }
}

fn shares(ms: &mut [TestMember], which: &[usize], d: &AttestationData) -> Vec<Share<Ed25519>> {
    which.iter().map(|&i| ms[i].attestation.sign(d.slot, &d.signing_root()).unwrap()).collect()
}

fn group(m: u8, n: u8, policy: ThresholdPolicy) -> (GroupKey<Ed25519>, Vec<TestMember>) {
    let ms = members(4, n);
    let keys = ms.iter().map(|x| x.attestation.public_key()).collect();
    (GroupKey::new(m, keys, policy).unwrap().0, ms)
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
fn m_on_each_side_is_slashable() {
    // 3 of 4 with two equivocating members: 3 sign A (members 0, 1, 2) and 3 sign B (members 1, 2, 3).
    let (g, mut ms) = group(3, 4, ThresholdPolicy::Strict);
    let (a, b) = (vote(9, 1, 1, 8), vote(7, 2, 3, 6));
    let sa = shares(&mut ms, &[0, 1, 2], &a);
    let sb = shares(&mut ms, &[1, 2, 3], &b);
    let ev = SlashingEvidence::build(0, &g, (a, &sa), (b, &sb)).unwrap();
    assert_eq!(ev.verify(&g, &g).unwrap(), Offence::SurroundVote);
}

#[test]
fn evidence_short_of_m_is_refused() {
    let (g, mut ms) = group(3, 4, ThresholdPolicy::Strict);
    let (a, b) = (vote(9, 1, 1, 8), vote(7, 2, 3, 6));
    let sa = shares(&mut ms, &[0, 1, 2], &a);
    let sb = shares(&mut ms, &[2, 3], &b);
    assert_eq!(
        SlashingEvidence::build(0, &g, (a, &sa), (b, &sb)).unwrap_err(),
        SlashingError::Short { side: Side::B, have: 2, need: 3 }
    );
}

#[test]
fn non_conflicting_and_identical_votes_are_refused() {
    let (g, mut ms) = group(3, 4, ThresholdPolicy::Strict);
    let (a, b) = (vote(9, 1, 3, 8), vote(7, 1, 1, 6));
    let sa = shares(&mut ms, &[0, 1, 2], &a);
    let sb = shares(&mut ms, &[0, 1, 2], &b);
    assert_eq!(
        SlashingEvidence::build(0, &g, (a, &sa), (b, &sb)).unwrap_err(),
        SlashingError::NotConflicting
    );
    assert_eq!(SlashingEvidence::build(0, &g, (a, &sa), (a, &sa)).unwrap_err(), SlashingError::SameData);
}

#[test]
fn a_forged_side_is_invalid() {
    let (g, mut ms) = group(3, 4, ThresholdPolicy::Strict);
    let (a, b) = (vote(9, 1, 1, 8), vote(9, 2, 1, 8));
    let sa = shares(&mut ms, &[0, 1, 2], &a);
    let mut sb = shares(&mut ms, &[1, 2, 3], &b);
    sb[0].signature = sa[1].signature; // member 1's signature over A, presented as over B
    assert!(matches!(
        SlashingEvidence::build(0, &g, (a, &sa), (b, &sb)).unwrap_err(),
        SlashingError::Invalid { side: Side::B, .. }
    ));
}

#[test]
fn disjoint_quorums_make_honest_members_slashable() {
    // The seed's warning: with 2 of 4, two honest halves that saw different heads each reach m.
    let (g, mut ms) = group(2, 4, ThresholdPolicy::AllowDisjointQuorums);
    let (a, b) = (vote(9, 1, 1, 8), vote(9, 2, 1, 8));
    let sa = shares(&mut ms, &[0, 1], &a);
    let sb = shares(&mut ms, &[2, 3], &b);
    let ev = SlashingEvidence::build(0, &g, (a, &sa), (b, &sb)).unwrap();
    assert_eq!(ev.verify(&g, &g).unwrap(), Offence::DoubleVote);
}

#[test]
fn registry_checks_the_accused_keys() {
    let mut r = Registry::<Ed25519>::new(RegistryConfig::default());
    let mut ms = members(4, 4);
    r.add_group(3, key_pairs(&ms), 4 * 32_000_000_000, ThresholdPolicy::Strict).unwrap();
    let g = r.group(0).unwrap().current().attestation.clone();
    let (a, b) = (vote(9, 1, 1, 8), vote(9, 2, 1, 8));
    let sa = shares(&mut ms, &[0, 1, 2], &a);
    let sb = shares(&mut ms, &[1, 2, 3], &b);
    let mut ev = SlashingEvidence::build(0, &g, (a, &sa), (b, &sb)).unwrap();
    assert_eq!(r.verify_evidence(&ev, 10).unwrap(), Offence::DoubleVote);
    ev.validator_index = 3;
    assert_eq!(
        r.verify_evidence(&ev, 10).unwrap_err(),
        SlashingError::Registry(RegistryError::UnknownValidator(3))
    );
}
