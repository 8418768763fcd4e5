#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ndvt_aggregation::{ConcatAggregate, Ed25519, GroupKey, GroupSigner, ThresholdPolicy};
use ssz::Encode;
use tree_hash::Hash256;

use super::*;
use crate::containers::Checkpoint;
use crate::testkit::{members, signed};

type M = Msg<Ed25519>;

fn header() -> BlockHeader {
    BlockHeader {
        slot: 5,
        proposer_index: 2,
        parent_root: Hash256::from([1; 32]),
        state_root: Hash256::from([2; 32]),
        body_root: Hash256::from([3; 32]),
    }
}

fn data() -> AttestationData {
    let cp = |b: u8, slot| Checkpoint { root: Hash256::from([b; 32]), slot };
    AttestationData { slot: 5, head: cp(9, 5), target: cp(8, 4), source: cp(0, 0) }
}

/// The 2-of-2 group of `members(3, 2)`'s proposal keys, and its certificate of `header()`.
fn certified() -> (GroupKey<Ed25519>, GroupSignature<Ed25519>) {
    let mut ms = members(3, 2);
    let keys = ms.iter().map(|x| x.proposal.public_key()).collect();
    let (group, _) = GroupKey::new(2, keys, ThresholdPolicy::Strict).unwrap();
    let root = header().root();
    let shares: Vec<_> = ms.iter_mut().map(|x| x.proposal.sign(5, &root).unwrap()).collect();
    let certificate = GroupSignature::combine(&group, &shares).unwrap();
    (group, certificate)
}

fn block() -> M {
    Msg::Block(BlockCertificate { header: header(), signature: certified().1 })
}

/// One message of every kind, with real signatures.
fn samples() -> Vec<M> {
    let mut ms = members(3, 2);
    let root = header().root();
    let share = ms[1].proposal.sign(5, &root).unwrap();
    let vote = signed(&mut ms[0], data());
    let mut aggregate = ConcatAggregate::new(5, data().signing_root(), 3);
    aggregate.add_single(1, vote.signature).unwrap();
    vec![
        block(),
        Msg::Proposal(Proposal { header: header(), proposer_member: 1, attempt: 2 }),
        Msg::SignOff { entry: 2, root, share },
        Msg::Vote { entry: 2, vote },
        Msg::Aggregate { data: data(), aggregate },
    ]
}

fn same(a: &M, b: &M) -> bool {
    match (a, b) {
        (Msg::Block(x), Msg::Block(y)) => x.header == y.header && x.signature == y.signature,
        (Msg::Proposal(x), Msg::Proposal(y)) => x == y,
        (Msg::SignOff { entry: e, root: r, share: s }, Msg::SignOff { entry: f, root: q, share: t }) => {
            e == f && r == q && s == t
        }
        (Msg::Vote { entry: e, vote: v }, Msg::Vote { entry: f, vote: w }) => e == f && v == w,
        (Msg::Aggregate { data: d, aggregate: a }, Msg::Aggregate { data: e, aggregate: b }) => {
            d == e && a == b
        }
        _ => false,
    }
}

#[test]
fn every_kind_round_trips() {
    for msg in samples() {
        let (kind, bytes) = encode_msg(&msg);
        let back = decode_msg::<Ed25519>(kind, &bytes).unwrap();
        assert!(same(&msg, &back), "{kind:?}");
        assert_eq!(msg_slot(&back), 5);
    }
}

#[test]
fn truncated_and_trailing_bytes_are_refused_for_every_kind() {
    for msg in samples() {
        let (kind, mut bytes) = encode_msg(&msg);
        for len in 0..bytes.len() {
            assert!(decode_msg::<Ed25519>(kind, &bytes[..len]).is_err(), "{kind:?} {len}");
        }
        bytes.push(0);
        assert!(decode_msg::<Ed25519>(kind, &bytes).is_err(), "{kind:?} trailing");
    }
}

#[test]
fn a_fixed_size_container_with_a_trailing_byte_is_a_decode_error() {
    let (_, mut bytes) =
        encode_msg(&Msg::<Ed25519>::Proposal(Proposal { header: header(), proposer_member: 1, attempt: 0 }));
    bytes.push(0);
    let err = decode_msg::<Ed25519>(Kind::Proposal, &bytes).unwrap_err();
    assert!(matches!(err, WireError::Container(ContainerError::Decode { container: "Proposal", .. })));
}

#[test]
fn a_block_certificate_over_another_slot_or_block_or_undecodable_is_a_certificate_error() {
    let (group, certificate) = certified();
    certificate.verify(&group, 5, &header().root()).unwrap();
    let bytes = |header: BlockHeader, certificate: Vec<u8>| {
        BlockSsz { header, certificate: VariableList::new(certificate).unwrap() }.as_ssz_bytes()
    };
    let later = BlockHeader { slot: 6, ..header() };
    let err = decode_msg::<Ed25519>(Kind::Block, &bytes(later, certificate.to_bytes())).unwrap_err();
    assert!(
        matches!(err, WireError::Certificate(GroupSignatureError::MixedEpoch { expected: 6, got: 5 })),
        "{err:?}"
    );
    let other = BlockHeader { body_root: Hash256::from([9; 32]), ..header() };
    let err = decode_msg::<Ed25519>(Kind::Block, &bytes(other, certificate.to_bytes())).unwrap_err();
    assert!(matches!(err, WireError::Certificate(GroupSignatureError::MixedMessage)), "{err:?}");
    let err = decode_msg::<Ed25519>(Kind::Block, &bytes(header(), vec![1, 2, 3])).unwrap_err();
    assert!(matches!(err, WireError::Certificate(GroupSignatureError::Truncated(3))), "{err:?}");
}

#[test]
fn a_signature_of_the_wrong_length_is_a_signature_error() {
    let bad = VoteSsz {
        validator_index: 1,
        member: 0,
        data: data(),
        signature: VariableList::new(vec![7; 10]).unwrap(),
    };
    let err = decode_msg::<Ed25519>(Kind::Vote, &bad.as_ssz_bytes()).unwrap_err();
    assert!(matches!(err, WireError::Signature { container: "Vote" }));
    let bad = SignOffSsz {
        validator_index: 1,
        member: 0,
        slot: 5,
        root: Hash256::from([4; 32]),
        signature: VariableList::new(vec![7; 65]).unwrap(),
    };
    let err = decode_msg::<Ed25519>(Kind::SignOff, &bad.as_ssz_bytes()).unwrap_err();
    assert!(matches!(err, WireError::Signature { container: "SignOff" }));
}

#[test]
fn a_kind_decodes_only_its_own_container() {
    let (_, block) = encode_msg(&block());
    assert!(decode_msg::<Ed25519>(Kind::Proposal, &block).is_err());
    assert!(decode_msg::<Ed25519>(Kind::Vote, &block).is_err());
}

#[test]
fn an_aggregate_over_another_slot_or_message_is_an_aggregate_error() {
    let other = AttestationData { slot: 6, ..data() };
    for agg in [
        ConcatAggregate::<Ed25519>::new(6, data().signing_root(), 3),
        ConcatAggregate::new(5, other.signing_root(), 3),
    ] {
        let bytes = AggregateSsz { data: data(), aggregate: VariableList::new(agg.to_bytes()).unwrap() }
            .as_ssz_bytes();
        let err = decode_msg::<Ed25519>(Kind::Aggregate, &bytes).unwrap_err();
        assert!(matches!(err, WireError::Aggregate(ndvt_aggregation::AggregateError::Mismatch)), "{err:?}");
    }
    let bytes =
        AggregateSsz { data: data(), aggregate: VariableList::new(vec![1, 2, 3]).unwrap() }.as_ssz_bytes();
    let err = decode_msg::<Ed25519>(Kind::Aggregate, &bytes).unwrap_err();
    assert!(matches!(err, WireError::Aggregate(ndvt_aggregation::AggregateError::Truncated(_))), "{err:?}");
}
