use ndvt_aggregation::Scheme as _;
use ndvt_aggregation::{Ed25519, GroupSignature, GroupSigner, Share, ThresholdPolicy};
use tree_hash::Hash256;

use super::*;
use crate::accounting::{Component, Credit, MemberVote, tally};
use crate::containers::{AttestationData, Checkpoint};
use crate::registry::RegistryConfig;
use crate::slashing::{Offence, SlashingError, SlashingEvidence};
use crate::testkit::{TestMember, key_pairs, members};

const MIN: u64 = 32_000_000_000;

fn setup() -> (Registry<Ed25519>, Vec<TestMember>) {
    let mut r = Registry::new(RegistryConfig { min_balance: MIN, slashable_window: 100 });
    let ms = members(5, 4);
    r.add_group(3, key_pairs(&ms), 4 * MIN, ThresholdPolicy::Strict).unwrap();
    (r, ms)
}

fn message(r: &Registry<Ed25519>, replacement: &TestMember) -> RotationMessage {
    RotationMessage {
        validator_index: 0,
        group_id: Hash256::from(r.group(0).unwrap().current().attestation.id()),
        member: 2,
        new_attestation_key: VariableList::new(Ed25519::public_key_to_bytes(
            &replacement.attestation.public_key(),
        ))
        .unwrap(),
        new_proposal_key: VariableList::new(Ed25519::public_key_to_bytes(&replacement.proposal.public_key()))
            .unwrap(),
        signing_slot: 20,
        effective_slot: 30,
    }
}

fn sign(
    r: &Registry<Ed25519>,
    ms: &mut [TestMember],
    who: &[usize],
    msg: &RotationMessage,
) -> GroupSignature<Ed25519> {
    let shares: Vec<Share<Ed25519>> =
        who.iter().map(|&i| ms[i].proposal.sign(msg.signing_slot, &msg.signing_root()).unwrap()).collect();
    GroupSignature::combine(&r.group(0).unwrap().current().proposal, &shares).unwrap()
}

#[test]
fn m_of_n_rotation_replaces_one_member_from_a_slot() {
    let (mut r, mut ms) = setup();
    let new = members(6, 1).remove(0);
    let msg = message(&r, &new);
    let sig = sign(&r, &mut ms, &[0, 1, 3], &msg);
    r.apply_rotation(&msg, &sig).unwrap();
    let g = r.group(0).unwrap();
    assert_eq!(g.key_sets().len(), 2);
    assert_eq!(g.keys_at(29).unwrap().attestation.members()[2], ms[2].attestation.public_key());
    assert_eq!(g.keys_at(30).unwrap().attestation.members()[2], new.attestation.public_key());
}

#[test]
fn short_or_stale_rotations_are_refused() {
    let (mut r, mut ms) = setup();
    let new = members(6, 1).remove(0);
    let msg = message(&r, &new);
    let short = sign(&r, &mut ms, &[0, 1], &msg);
    assert!(matches!(r.apply_rotation(&msg, &short), Err(RotationError::Signature(_))));
    let mut stale = msg.clone();
    stale.group_id = Hash256::from([0; 32]);
    let sig = sign(&r, &mut ms, &[0, 1, 3], &stale);
    assert!(matches!(r.apply_rotation(&stale, &sig), Err(RotationError::WrongGroup)));
    let mut slots = msg.clone();
    slots.effective_slot = 20;
    let sig = sign(&r, &mut ms, &[0, 1, 3], &slots);
    assert!(matches!(r.apply_rotation(&slots, &sig), Err(RotationError::BadSlots { .. })));
    let mut who = msg.clone();
    who.member = 4;
    let sig = sign(&r, &mut ms, &[0, 1, 3], &who);
    assert!(matches!(r.apply_rotation(&who, &sig), Err(RotationError::UnknownMember { member: 4, n: 4 })));
    let mut bad_key = msg.clone();
    bad_key.new_attestation_key = VariableList::new(vec![1, 2, 3]).unwrap();
    let sig = sign(&r, &mut ms, &[0, 1, 3], &bad_key);
    assert!(matches!(
        r.apply_rotation(&bad_key, &sig),
        Err(RotationError::BadKey { which: "attestation", .. })
    ));
    let mut reuse = msg.clone();
    reuse.new_attestation_key =
        VariableList::new(Ed25519::public_key_to_bytes(&ms[0].attestation.public_key())).unwrap();
    let sig = sign(&r, &mut ms, &[0, 1, 3], &reuse);
    assert!(matches!(
        r.apply_rotation(&reuse, &sig),
        Err(RotationError::Registry(RegistryError::KeyInUse(0)))
    ));
}

#[test]
fn old_keys_stay_slashable_for_the_window() {
    let (mut r, mut ms) = setup();
    let cp = |b: u8, slot: u64| Checkpoint { root: Hash256::from([b; 32]), slot };
    let a = AttestationData { slot: 25, head: cp(1, 25), target: cp(1, 24), source: cp(0, 20) };
    let b = AttestationData { head: cp(2, 25), ..a };
    let votes: Vec<_> = [(0usize, a), (1, a), (2, a), (1, b), (2, b), (3, b)]
        .into_iter()
        .map(|(i, d)| {
            let share = ms[i].attestation.sign(25, &d.signing_root()).unwrap();
            MemberVote { member: share.member, data: d, signature: share.signature }
        })
        .collect();
    let old = r.group(0).unwrap().current().attestation.clone();
    let t = tally(&old, 25, &votes);
    let head = |d: &AttestationData| Credit::of(Component::Head, d);
    let ev = SlashingEvidence::build(0, (&t, head(&a)), (&t, head(&b))).unwrap();
    let new = members(6, 1).remove(0);
    let msg = message(&r, &new);
    let sig = sign(&r, &mut ms, &[0, 1, 3], &msg);
    r.apply_rotation(&msg, &sig).unwrap();
    assert_eq!(r.verify_evidence(&ev, 130).unwrap(), Offence::DoubleVote);
    assert!(matches!(
        r.verify_evidence(&ev, 131),
        Err(SlashingError::OutsideWindow { slot: 25, until: 30, deadline: 130 })
    ));
}
