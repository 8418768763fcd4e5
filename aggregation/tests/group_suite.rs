//! The group-layer suite, run over XMSS (test instance, durable signers) and Ed25519: every invalid class
//! with its exact variant, every size from 1-of-1 to 16-of-16, the collector and the threshold linter.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Fixture, TestXmss, members, shares};
use ndvt_aggregation::{
    Collector, Ed25519, GroupKey, GroupKeyError, GroupSignature, GroupSignatureError as E, GroupSigner,
    Offer, Share, ThresholdPolicy,
};

const MSG: [u8; 32] = [0x11; 32];

fn group_of<S: Fixture>(m: u8, members: &[S::Member], policy: ThresholdPolicy) -> GroupKey<S> {
    GroupKey::new(m, members.iter().map(|x| x.public_key()).collect(), policy).unwrap().0
}

fn invalid_classes<S: Fixture>() {
    let mut ms = members::<S>(7, 1);
    let group = group_of::<S>(5, &ms, ThresholdPolicy::Strict);
    let epoch = 3;
    let good = shares::<S>(&mut ms, &[0, 2, 3, 5, 6], epoch, &MSG);
    let valid = GroupSignature::combine(&group, &good).unwrap();
    assert_eq!(valid.verify(&group, epoch, &MSG), Ok(0b110_1101));
    let bytes = valid.to_bytes();
    assert_eq!(GroupSignature::<S>::from_bytes(&bytes).unwrap(), valid);

    type Edit<'a, T> = &'a dyn Fn(&mut Vec<(u8, T)>);
    let with = |f: Edit<'_, S::Signature>| {
        let mut entries: Vec<(u8, S::Signature)> = valid.entries().to_vec();
        f(&mut entries);
        let mut b = bytes[..72].to_vec();
        b.push(entries.len() as u8);
        for (i, s) in &entries {
            b.push(*i);
            b.extend_from_slice(&S::signature_to_bytes(s));
        }
        GroupSignature::<S>::from_bytes(&b).unwrap()
    };
    let unknown = with(&|e| e[4].0 = 7);
    assert_eq!(unknown.verify(&group, epoch, &MSG), Err(E::UnknownMember { index: 7, n: 7 }));
    let duplicate = with(&|e| e.insert(1, e[1].clone()));
    assert_eq!(duplicate.verify(&group, epoch, &MSG), Err(E::DuplicateMember(2)));
    let unordered = with(&|e| e.swap(1, 2));
    assert_eq!(unordered.verify(&group, epoch, &MSG), Err(E::UnorderedIndices { previous: 3, index: 2 }));
    let below = with(&|e| {
        e.pop();
    });
    assert_eq!(below.verify(&group, epoch, &MSG), Err(E::BelowThreshold { have: 4, need: 5 }));
    let swapped = with(&|e| {
        let s = e[0].1.clone();
        e[0].1 = e[1].1.clone();
        e[1].1 = s;
    });
    assert!(matches!(swapped.verify(&group, epoch, &MSG), Err(E::InvalidMemberSignature { index: 0, .. })));
    let (_, foreign_sig) = S::foreign(epoch, &MSG);
    let foreign = with(&|e| e[3].1 = foreign_sig.clone());
    assert!(matches!(foreign.verify(&group, epoch, &MSG), Err(E::InvalidMemberSignature { index: 5, .. })));
    assert_eq!(valid.verify(&group, epoch + 1, &MSG), Err(E::MixedEpoch { expected: epoch + 1, got: epoch }));
    assert_eq!(valid.verify(&group, epoch, &[0x22; 32]), Err(E::MixedMessage));

    // Wrong group: same members with another threshold, or another order, is another group.
    let keys: Vec<S::PublicKey> = ms.iter().map(|x| x.public_key()).collect();
    let six = GroupKey::<S>::new(6, keys.clone(), ThresholdPolicy::Strict).unwrap().0;
    assert_eq!(valid.verify(&six, epoch, &MSG), Err(E::WrongGroup));
    let mut reordered = keys;
    reordered.swap(0, 1);
    let other = GroupKey::<S>::new(5, reordered, ThresholdPolicy::Strict).unwrap().0;
    assert_eq!(valid.verify(&other, epoch, &MSG), Err(E::WrongGroup));

    // Mixed shares at combine time.
    let other_msg = shares::<S>(&mut ms, &[1], epoch, &[0x22; 32]);
    assert_eq!(
        GroupSignature::combine(&group, &[good[0].clone(), other_msg[0].clone()]),
        Err(E::MixedMessage)
    );
    let mut later = good[1].clone();
    later.epoch = epoch + 1;
    assert_eq!(
        GroupSignature::combine(&group, &[good[0].clone(), later]),
        Err(E::MixedEpoch { expected: epoch, got: epoch + 1 })
    );
    let mut dup = good[1].clone();
    dup.signature = good[2].signature.clone();
    assert_eq!(GroupSignature::combine(&group, &[good[1].clone(), dup]), Err(E::DuplicateMember(2)));
}

#[test]
fn invalid_classes_xmss() {
    invalid_classes::<TestXmss>();
}

#[test]
fn invalid_classes_ed25519() {
    invalid_classes::<Ed25519>();
}

fn every_size<S: Fixture>() {
    let mut ms = members::<S>(16, 30);
    for n in 1..=16u8 {
        for m in 1..=n {
            let keys: Vec<S::PublicKey> = ms[..usize::from(n)].iter().map(|x| x.public_key()).collect();
            let strict = GroupKey::<S>::new(m, keys.clone(), ThresholdPolicy::Strict);
            if 2 * m <= n {
                assert_eq!(strict.unwrap_err(), GroupKeyError::DisjointQuorums { m, n });
            } else {
                let (_, report) = strict.unwrap();
                assert_eq!(report.liveness_margin, n - m);
                assert_eq!(report.safety_margin, 2 * i16::from(m) - i16::from(n) - 1);
                assert_eq!(report.warnings.is_empty(), 3 * u16::from(m) >= 2 * u16::from(n));
            }
            let (group, _) = GroupKey::<S>::new(m, keys, ThresholdPolicy::AllowDisjointQuorums).unwrap();
            assert_eq!(
                GroupKey::<S>::from_bytes(&group.to_bytes(), ThresholdPolicy::AllowDisjointQuorums)
                    .unwrap()
                    .0,
                group
            );
        }
    }
    // Signing: for a few sizes, m shares verify and m - 1 do not. Each XMSS member signs one epoch per (m, n).
    for (epoch, (m, n)) in [(1u8, 1u8), (2, 3), (5, 7), (11, 16), (16, 16)].into_iter().enumerate() {
        let epoch = epoch as u64;
        let group = group_of::<S>(m, &ms[..usize::from(n)], ThresholdPolicy::Strict);
        let which: Vec<usize> = (0..usize::from(m)).collect();
        let s = shares::<S>(&mut ms, &which, epoch, &MSG);
        GroupSignature::combine(&group, &s).unwrap().verify(&group, epoch, &MSG).unwrap();
        let short = GroupSignature::combine(&group, &s[1..]);
        let err = short.map(|g| g.verify(&group, epoch, &MSG));
        assert!(
            matches!(err, Ok(Err(E::BelowThreshold { .. })) | Err(E::BelowThreshold { .. })),
            "{m}-of-{n}"
        );
    }
}

#[test]
fn every_size_xmss() {
    every_size::<TestXmss>();
}

#[test]
fn every_size_ed25519() {
    every_size::<Ed25519>();
}

fn key_errors<S: Fixture>() {
    let ms = members::<S>(17, 60);
    let keys: Vec<S::PublicKey> = ms.iter().map(|x| x.public_key()).collect();
    let new = |m, k: &[S::PublicKey]| GroupKey::<S>::new(m, k.to_vec(), ThresholdPolicy::Strict).map(|_| ());
    assert_eq!(new(1, &[]), Err(GroupKeyError::Empty));
    assert_eq!(new(9, &keys), Err(GroupKeyError::TooManyMembers(17)));
    assert_eq!(new(0, &keys[..3]), Err(GroupKeyError::ZeroThreshold));
    assert_eq!(new(4, &keys[..3]), Err(GroupKeyError::ThresholdAboveMembers { m: 4, n: 3 }));
    let dup = [keys[0].clone(), keys[1].clone(), keys[0].clone()];
    assert_eq!(new(2, &dup), Err(GroupKeyError::DuplicateMemberKey { first: 0, second: 2 }));
    let (group, _) = GroupKey::<S>::new(2, keys[..3].to_vec(), ThresholdPolicy::Strict).unwrap();
    let mut bytes = group.to_bytes();
    bytes[0] ^= 0x80;
    assert!(matches!(
        GroupKey::<S>::from_bytes(&bytes, ThresholdPolicy::Strict),
        Err(GroupKeyError::WrongScheme { .. })
    ));
    let bytes = group.to_bytes();
    assert!(matches!(
        GroupKey::<S>::from_bytes(&bytes[..bytes.len() - 1], ThresholdPolicy::Strict),
        Err(GroupKeyError::KeyBytes { .. })
    ));
}

#[test]
fn key_errors_xmss() {
    key_errors::<TestXmss>();
}

#[test]
fn key_errors_ed25519() {
    key_errors::<Ed25519>();
}

fn collector<S: Fixture>() {
    let mut ms = members::<S>(7, 90);
    let group = group_of::<S>(5, &ms, ThresholdPolicy::Strict);
    let epoch = 9;
    let good = shares::<S>(&mut ms, &[6, 1, 4, 0, 3, 2], epoch, &MSG);
    let mut c = Collector::new(&group, epoch, MSG);
    assert_eq!(c.offer(&good[0]), Ok(Offer::Accepted { have: 1, need: 5 }));
    assert_eq!(c.offer(&good[0]), Ok(Offer::Duplicate));
    // An invalid share is rejected and not counted; offered again, it is not re-verified.
    let mut bad = good[1].clone();
    bad.signature = good[2].signature.clone();
    let first = c.offer(&bad);
    assert!(matches!(first, Err(E::InvalidMemberSignature { index: 1, .. })));
    // Offered again it is refused with the same typed reason, which the scheme's own error carries.
    assert_eq!(c.offer(&bad), first);
    let Err(E::InvalidMemberSignature { source, .. }) = first else { unreachable!() };
    assert!(
        std::error::Error::source(&E::InvalidMemberSignature { index: 1, source: source.clone() }).is_some()
    );
    assert!(!source.to_string().is_empty());
    let (_, foreign) = S::foreign(epoch, &MSG);
    let stray = Share::<S> { member: 5, epoch, message: MSG, signature: foreign };
    assert!(matches!(c.offer(&stray), Err(E::InvalidMemberSignature { index: 5, .. })));
    let out_of_roster = Share::<S> { member: 7, ..good[0].clone() };
    assert_eq!(c.offer(&out_of_roster), Err(E::UnknownMember { index: 7, n: 7 }));
    let mut other = good[1].clone();
    other.epoch += 1;
    assert!(matches!(c.offer(&other), Err(E::MixedEpoch { .. })));
    for s in &good[1..4] {
        assert!(matches!(c.offer(s), Ok(Offer::Accepted { .. })));
    }
    assert_eq!(c.signature(), None);
    let Ok(Offer::Complete(signature)) = c.offer(&good[4]) else { panic!("threshold reached") };
    assert_eq!(signature.verify(&group, epoch, &MSG), Ok(0b101_1011));
    assert_eq!(c.offer(&good[5]), Ok(Offer::Extra));
    assert_eq!(c.signature().unwrap().entries().len(), 6);
}

#[test]
fn collector_xmss() {
    collector::<TestXmss>();
}

#[test]
fn collector_ed25519() {
    collector::<Ed25519>();
}
