use ndvt_aggregation::{
    Collector, Ed25519, GroupKey, GroupSignature, GroupSignatureError, GroupSigner, Offer, ThresholdPolicy,
    Xmss, XmssMember,
};
use ndvt_xmss::{DurableSigner, SecretKey, TestInstance};
use tree_hash::Hash256;

use super::*;
use crate::testkit::members;

fn header(slot: u64, body: u8) -> BlockHeader {
    BlockHeader {
        slot,
        proposer_index: 3,
        parent_root: Hash256::from([7; 32]),
        state_root: Hash256::from([8; 32]),
        body_root: Hash256::from([body; 32]),
    }
}

fn view(elapsed_ms: u64) -> MemberView {
    MemberView { slot: 12, elapsed_ms, proposer_index: 3, head_root: [7; 32] }
}

#[test]
fn primary_order_is_a_deterministic_permutation() {
    let id = [9u8; 32];
    let order = primary_order(12, &id, 7);
    let mut sorted = order.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, (0..7).collect::<Vec<u8>>());
    assert_eq!(order, primary_order(12, &id, 7));
    let firsts: std::collections::BTreeSet<u8> = (0..64).map(|s| primary(s, &id, 7, 0).unwrap()).collect();
    assert!(firsts.len() >= 5, "the first primary rotates across slots: {firsts:?}");
    assert_eq!(primary(12, &id, 7, 7), primary(12, &id, 7, 0));
    assert_eq!(primary(12, &id, 0, 0), None);
    assert_eq!(attempt_at(0, 400), 0);
    assert_eq!(attempt_at(799, 400), 1);
    assert_eq!(attempt_at(5, 0), 0);
}

#[test]
fn sign_off_rule_refuses_each_bad_class() {
    let id = [9u8; 32];
    let p0 = primary(12, &id, 4, 0).unwrap();
    let p1 = primary(12, &id, 4, 1).unwrap();
    let ok = Proposal { header: header(12, 1), proposer_member: p0, attempt: 0 };
    assert_eq!(check_proposal(&view(10), &id, 4, 400, &ok), Ok(()));
    let fallback = Proposal { header: header(12, 2), proposer_member: p1, attempt: 1 };
    assert_eq!(
        check_proposal(&view(10), &id, 4, 400, &fallback),
        Err(BlockError::TooEarly { attempt: 1, current: 0 })
    );
    assert_eq!(check_proposal(&view(450), &id, 4, 400, &fallback), Ok(()));
    let impostor = Proposal { proposer_member: p1, ..ok };
    assert_eq!(
        check_proposal(&view(10), &id, 4, 400, &impostor),
        Err(BlockError::NotPrimary { expected: p0, got: p1, attempt: 0 })
    );
    let wrong_slot = Proposal { header: header(13, 1), ..ok };
    assert_eq!(
        check_proposal(&view(10), &id, 4, 400, &wrong_slot),
        Err(BlockError::WrongSlot { expected: 12, got: 13 })
    );
    let mut h = header(12, 1);
    h.proposer_index = 4;
    assert_eq!(
        check_proposal(&view(10), &id, 4, 400, &Proposal { header: h, ..ok }),
        Err(BlockError::WrongProposer { expected: 3, got: 4 })
    );
    let mut h = header(12, 1);
    h.parent_root = Hash256::from([1; 32]);
    assert_eq!(
        check_proposal(&view(10), &id, 4, 400, &Proposal { header: h, ..ok }),
        Err(BlockError::WrongParent)
    );
    assert_eq!(RaceRule::check(&view(0), &header(12, 5)), Ok(()));
    assert_eq!(RaceRule::check(&view(0), &h), Err(BlockError::WrongParent));
}

#[test]
fn a_block_counts_with_m_sign_offs() {
    let mut ms = members(8, 4);
    let keys = ms.iter().map(|m| m.proposal.public_key()).collect();
    let (g, _) = GroupKey::<Ed25519>::new(3, keys, ThresholdPolicy::Strict).unwrap();
    let h = header(12, 1);
    let shares: Vec<_> = ms.iter_mut().map(|m| sign_off(&mut m.proposal, &h).unwrap()).collect();
    let cert = BlockCertificate { header: h, signature: GroupSignature::combine(&g, &shares[..3]).unwrap() };
    assert_eq!(cert.verify(&g).unwrap(), 0b0111);
    let short = BlockCertificate { header: h, signature: GroupSignature::combine(&g, &shares[..2]).unwrap() };
    assert_eq!(
        short.verify(&g).unwrap_err(),
        BlockError::Certificate(GroupSignatureError::BelowThreshold { have: 2, need: 3 })
    );
}

type T = TestInstance;

/// A member behind a durable signer in `dir`; `clone_dir` gives a second signer over the same key (a
/// restored backup run elsewhere: the broken setup the durable signer cannot see).
fn xmss_member(index: u8, dir: &std::path::Path) -> XmssMember<T> {
    let (sk, _) = SecretKey::<T>::from_seed(&[index + 40; 32], 0, 32).unwrap();
    XmssMember::new(index, DurableSigner::create(dir, sk, 0).unwrap())
}

#[test]
fn race_variant_is_safe_because_each_signer_signs_off_once() {
    let tmp = tempfile::tempdir().unwrap();
    let mut ms: Vec<XmssMember<T>> =
        (0..4).map(|i| xmss_member(i, &tmp.path().join(format!("m{i}")))).collect();
    let keys = ms.iter().map(|m| m.public_key()).collect();
    let (g, _) = GroupKey::<Xmss<T>>::new(3, keys, ThresholdPolicy::Strict).unwrap();
    // Every member races its own block; members 0, 1, 2 see member 0's first, member 3 its own.
    let blocks: Vec<BlockHeader> = (0..4).map(|i| header(5, i)).collect();
    let mut c0 = Collector::new(&g, 5, blocks[0].root());
    let mut c3 = Collector::new(&g, 5, blocks[3].root());
    let mut certified = None;
    for m in ms.iter_mut().take(3) {
        if let Offer::Complete(sig) = c0.offer(&sign_off(m, &blocks[0]).unwrap()).unwrap() {
            certified = Some(sig);
        }
    }
    c3.offer(&sign_off(&mut ms[3], &blocks[3]).unwrap()).unwrap();
    assert!(certified.is_some(), "member 0's block has 3 of 4 sign-offs");
    // The others later see block 3: their durable signers refuse a second sign-off in slot 5.
    for m in ms.iter_mut().take(3) {
        let refused = sign_off(m, &blocks[3]);
        assert!(matches!(refused, Err(ndvt_xmss::DurableError::DifferentMessage { .. })), "{refused:?}");
    }
    assert_eq!(c3.count(), 1);
}

#[test]
fn race_safety_breaks_only_when_2m_minus_n_signers_are_bypassed() {
    // 3 of 4: two blocks both certified need 2m − n = 2 members signing both. Members 1 and 2 run a second
    // signer over the same key (a backup restored elsewhere): that is what the durable signer exists to stop.
    let tmp = tempfile::tempdir().unwrap();
    let mut ms: Vec<XmssMember<T>> =
        (0..4).map(|i| xmss_member(i, &tmp.path().join(format!("m{i}")))).collect();
    let mut clones: Vec<XmssMember<T>> =
        [1u8, 2].iter().map(|&i| xmss_member(i, &tmp.path().join(format!("clone{i}")))).collect();
    let keys = ms.iter().map(|m| m.public_key()).collect();
    let (g, _) = GroupKey::<Xmss<T>>::new(3, keys, ThresholdPolicy::Strict).unwrap();
    let (a, b) = (header(6, 1), header(6, 2));
    let sa: Vec<_> = (0..3).map(|i| sign_off(&mut ms[i], &a).unwrap()).collect();
    let mut sb: Vec<_> = clones.iter_mut().map(|m| sign_off(m, &b).unwrap()).collect();
    sb.push(sign_off(&mut ms[3], &b).unwrap());
    let ca = BlockCertificate { header: a, signature: GroupSignature::combine(&g, &sa).unwrap() };
    let cb = BlockCertificate { header: b, signature: GroupSignature::combine(&g, &sb).unwrap() };
    assert!(ca.verify(&g).is_ok() && cb.verify(&g).is_ok(), "two conflicting blocks, both certified");
    // With one bypassed signer only, block b stalls at 2 sign-offs.
    let short = BlockCertificate { header: b, signature: GroupSignature::combine(&g, &sb[1..]).unwrap() };
    assert!(matches!(
        short.verify(&g),
        Err(BlockError::Certificate(GroupSignatureError::BelowThreshold { .. }))
    ));
}
