//! The concatenation aggregate over singles and groups, for both schemes: verify, encode/decode, merge,
//! and each way it can be wrong.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Fixture, TestXmss, members, shares};
use ndvt_aggregation::{
    AggregateError as A, BitListError, Collector, ConcatAggregate, Ed25519, GroupKey, GroupSignature,
    GroupSignatureError, GroupSigner, Participant, ThresholdPolicy,
};

const MSG: [u8; 32] = [0x33; 32];
const EPOCH: u64 = 6;

struct World<S: Fixture> {
    registry: Vec<Participant<S>>,
    singles: Vec<S::Member>,
    groups: Vec<(GroupKey<S>, Vec<S::Member>)>,
}

/// Registry: [single, group 3-of-4, single, group 5-of-7].
fn world<S: Fixture>() -> World<S> {
    let singles = vec![S::member(0, 1), S::member(0, 2)];
    let g1 = members::<S>(4, 10);
    let g2 = members::<S>(7, 20);
    let k1 = GroupKey::<S>::new(3, g1.iter().map(|m| m.public_key()).collect(), ThresholdPolicy::Strict)
        .unwrap()
        .0;
    let k2 = GroupKey::<S>::new(5, g2.iter().map(|m| m.public_key()).collect(), ThresholdPolicy::Strict)
        .unwrap()
        .0;
    let registry = vec![
        Participant::Single(singles[0].public_key()),
        Participant::Group(k1.clone()),
        Participant::Single(singles[1].public_key()),
        Participant::Group(k2.clone()),
    ];
    World { registry, singles, groups: vec![(k1, g1), (k2, g2)] }
}

fn group_part<S: Fixture>(
    w: &mut World<S>,
    g: usize,
    which: &[usize],
) -> ndvt_aggregation::GroupSignature<S> {
    let (key, ms) = &mut w.groups[g];
    let s = shares::<S>(ms, which, EPOCH, &MSG);
    let mut c = Collector::new(key, EPOCH, MSG);
    for share in &s {
        c.offer(share).unwrap();
    }
    c.signature().unwrap()
}

fn suite<S: Fixture>() {
    let mut w = world::<S>();
    let single0 = w.singles[0].sign(EPOCH, &MSG).map_err(|e| e.to_string()).unwrap().signature;
    let g1 = group_part(&mut w, 0, &[0, 2, 3]);
    let g2 = group_part(&mut w, 1, &[1, 2, 4, 5, 6]);

    let mut a = ConcatAggregate::<S>::new(EPOCH, MSG, w.registry.len());
    a.add_single(0, single0.clone()).unwrap();
    a.add_group(3, &g2).unwrap();
    a.verify(&w.registry, EPOCH, &MSG).unwrap();
    assert_eq!(a.participation().ones().collect::<Vec<_>>(), vec![0, 3]);
    let bytes = a.to_bytes();
    assert_eq!(ConcatAggregate::<S>::from_bytes(&bytes).unwrap(), a);

    // Merge with an aggregate holding group 1 and two more signers of group 3 (below threshold alone).
    let extra = {
        let (key, ms) = &mut w.groups[1];
        GroupSignature::combine(key, &shares::<S>(ms, &[0, 3], EPOCH, &MSG)).unwrap()
    };
    let mut b = ConcatAggregate::<S>::new(EPOCH, MSG, w.registry.len());
    b.add_group(1, &g1).unwrap();
    b.add_group(3, &extra).unwrap();
    assert!(matches!(b.verify(&w.registry, EPOCH, &MSG), Err(A::Group { participant: 3, .. })));
    let merged = a.merge(&b).unwrap();
    merged.verify(&w.registry, EPOCH, &MSG).unwrap();
    assert_eq!(merged.participation().ones().collect::<Vec<_>>(), vec![0, 1, 3]);
    assert_eq!(ConcatAggregate::<S>::from_bytes(&merged.to_bytes()).unwrap(), merged);
    assert_eq!(b.merge(&a).unwrap(), merged, "merge is symmetric");

    // Each way to be wrong.
    assert_eq!(a.verify(&w.registry, EPOCH + 1, &MSG), Err(A::Mismatch));
    assert_eq!(a.verify(&w.registry[..3], EPOCH, &MSG), Err(A::ParticipantCount { expected: 3, got: 4 }));
    let mut shape = ConcatAggregate::<S>::new(EPOCH, MSG, 4);
    shape.add_group(0, &g1).unwrap();
    assert_eq!(shape.verify(&w.registry, EPOCH, &MSG), Err(A::Shape(0, "single validator")));
    let mut wrong_single = ConcatAggregate::<S>::new(EPOCH, MSG, 4);
    wrong_single.add_single(2, single0).unwrap();
    assert!(matches!(
        wrong_single.verify(&w.registry, EPOCH, &MSG),
        Err(A::InvalidSignature { participant: 2, .. })
    ));
    let mut wrong_group = ConcatAggregate::<S>::new(EPOCH, MSG, 4);
    wrong_group.add_group(1, &g2).unwrap(); // group 3's signature at group 1
    assert!(matches!(wrong_group.verify(&w.registry, EPOCH, &MSG), Err(A::Group { participant: 1, .. })));
    let thin = {
        let (key, ms) = &mut w.groups[0];
        GroupSignature::combine(key, &shares::<S>(ms, &[1, 2], EPOCH, &MSG)).unwrap()
    };
    let mut below = ConcatAggregate::<S>::new(EPOCH, MSG, 4);
    below.add_group(1, &thin).unwrap();
    assert_eq!(
        below.verify(&w.registry, EPOCH, &MSG),
        Err(A::Group { participant: 1, error: GroupSignatureError::BelowThreshold { have: 2, need: 3 } })
    );
    assert_eq!(a.add_single(4, S::foreign(EPOCH, &MSG).1), Err(A::UnknownParticipant(4)));
    let other = ConcatAggregate::<S>::new(EPOCH, [0; 32], 4);
    assert_eq!(a.merge(&other), Err(A::Mismatch));

    // Strict decoding.
    assert!(matches!(ConcatAggregate::<S>::from_bytes(&bytes[..bytes.len() - 1]), Err(A::Truncated(_))));
    let mut trailing = bytes.clone();
    trailing.push(0);
    assert!(matches!(ConcatAggregate::<S>::from_bytes(&trailing), Err(A::TrailingBytes(1))));
    let mut no_delimiter = bytes.clone();
    no_delimiter[44] = 0;
    assert_eq!(ConcatAggregate::<S>::from_bytes(&no_delimiter), Err(A::BitList(BitListError::NoDelimiter)));
    for cut in 0..bytes.len() {
        assert!(ConcatAggregate::<S>::from_bytes(&bytes[..cut]).is_err());
    }
}

#[test]
fn concatenation_aggregate_xmss() {
    suite::<TestXmss>();
}

#[test]
fn concatenation_aggregate_ed25519() {
    suite::<Ed25519>();
}
