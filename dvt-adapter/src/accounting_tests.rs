use ndvt_aggregation::{Ed25519, GroupKey, GroupSigner, ThresholdPolicy};
use tree_hash::Hash256;

use super::*;
use crate::testkit::{TestMember, members};

fn cp(b: u8, slot: u64) -> Checkpoint {
    Checkpoint { root: Hash256::from([b; 32]), slot }
}

fn data(head: u8) -> AttestationData {
    AttestationData { slot: 10, head: cp(head, 10), target: cp(2, 9), source: cp(3, 4) }
}

fn group(m: u8, n: u8) -> (GroupKey<Ed25519>, Vec<TestMember>) {
    let ms = members(9, n);
    let keys = ms.iter().map(|x| x.attestation.public_key()).collect();
    (GroupKey::new(m, keys, ThresholdPolicy::Strict).unwrap().0, ms)
}

fn vote(m: &mut TestMember, d: AttestationData) -> MemberVote<Ed25519> {
    let share = m.attestation.sign(d.slot, &d.signing_root()).unwrap();
    MemberVote { member: share.member, data: d, signature: share.signature }
}

#[test]
fn m_matching_votes_count_and_m_minus_one_do_not() {
    let (g, mut ms) = group(5, 7);
    let votes: Vec<_> = ms.iter_mut().take(5).map(|m| vote(m, data(1))).collect();
    let t = tally(&g, 10, &votes);
    assert!(t.counts_data(&data(1)));
    let t4 = tally(&g, 10, &votes[..4]);
    assert!(!t4.counts_data(&data(1)));
    assert!(t4.credits.is_empty());
    let model = RewardModel::default();
    let r = model.rewards(&t4, &data(1), 7 * 32_000_000_000);
    assert!(r.source < 0 && r.target < 0 && r.head == 0, "four of seven earn nothing: {r:?}");
}

#[test]
fn head_split_loses_only_the_head_reward() {
    let (g, mut ms) = group(5, 7);
    // Four honest members saw block 1, three did not (head = parent 2): no head quorum, same source and target.
    let votes: Vec<_> =
        ms.iter_mut().enumerate().map(|(i, m)| vote(m, data(if i < 4 { 1 } else { 2 }))).collect();
    let t = tally(&g, 10, &votes);
    assert!(t.full.is_empty());
    assert!(t.counts(&Credit::Source(cp(3, 4))));
    assert!(t.counts(&Credit::Target { source: cp(3, 4), target: cp(2, 9) }));
    assert!(!t.counts(&Credit::Head(cp(1, 10))));
    let model = RewardModel::default();
    let split = model.rewards(&t, &data(1), 7 * 32_000_000_000);
    let base = model.base(7 * 32_000_000_000);
    assert_eq!(split, Rewards { source: base * 14 / 64, target: base * 26 / 64, head: 0 });
}

#[test]
fn bad_votes_are_reported_with_their_class() {
    let (g, mut ms) = group(3, 4);
    let good = vote(&mut ms[0], data(1));
    let mut forged = vote(&mut ms[1], data(1));
    forged.data = data(7);
    let mut wrong_slot = vote(&mut ms[2], data(1));
    wrong_slot.data.slot = 11;
    let mut unknown = good.clone();
    unknown.member = 9;
    let t = tally(&g, 10, &[good, forged, wrong_slot, unknown]);
    assert_eq!(t.voters, 1);
    assert!(matches!(t.rejected[0], VoteRejection::BadSignature { member: 1, .. }));
    assert!(matches!(t.rejected[1], VoteRejection::WrongSlot { expected: 10, got: 11 }));
    assert!(matches!(t.rejected[2], VoteRejection::UnknownMember { index: 9, n: 4 }));
    assert_eq!(t.accepted.len(), 1);
}

/// The target is credited as a link: m members agreeing on the target from different sources do not earn it
/// (they could not be shown to have cast one link), while the source and head quorums stand on their own.
#[test]
fn target_is_credited_with_its_source() {
    let (g, mut ms) = group(3, 4);
    let other_source = AttestationData { source: cp(5, 6), ..data(1) };
    let votes = vec![vote(&mut ms[0], data(1)), vote(&mut ms[1], data(1)), vote(&mut ms[2], other_source)];
    let t = tally(&g, 10, &votes);
    assert!(t.counts(&Credit::Head(cp(1, 10))));
    assert!(!t.counts_canonical(Component::Target, &data(1)));
    assert!(!t.counts_canonical(Component::Source, &data(1)));
    assert_eq!(Credit::of(Component::Target, &other_source).component(), Component::Target);
    assert!(Credit::of(Component::Target, &data(1)).holds_for(&data(7)));
    assert!(!Credit::of(Component::Target, &data(1)).holds_for(&other_source));
}

#[test]
fn proposer_share_is_eight_of_fifty_six() {
    let r = Rewards { source: 14, target: 26, head: 16 };
    assert_eq!(r.proposer_share(), 8);
    assert_eq!(Rewards { source: -14, target: -26, head: 0 }.proposer_share(), 0);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    /// The threshold rule itself: the group has attested iff at least m distinct members signed the data,
    /// whatever the order and however many duplicates arrive.
    #[test]
    fn counts_iff_m_distinct_members(
        m in 1u8..=7,
        signers in proptest::collection::vec(0u8..7, 0..12),
    ) {
        let mut ms = members(9, 7);
        let keys = ms.iter().map(|x| x.attestation.public_key()).collect();
        let (g, _) = GroupKey::<Ed25519>::new(m, keys, ThresholdPolicy::AllowDisjointQuorums).unwrap();
        let votes: Vec<_> = signers.iter().map(|&i| vote(&mut ms[usize::from(i)], data(1))).collect();
        let distinct: std::collections::BTreeSet<u8> = signers.iter().copied().collect();
        let t = tally(&g, 10, &votes);
        proptest::prop_assert_eq!(t.counts_data(&data(1)), distinct.len() >= usize::from(m));
        proptest::prop_assert_eq!(t.voters.count_ones() as usize, distinct.len());
    }
}
