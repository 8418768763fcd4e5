//! The succinct aggregate as it travels (participation bits + proof bytes) against the concatenation
//! aggregate, its reference: same registry, same shares, same verdicts.
#![cfg(feature = "succinct")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use ndvt_aggregation::succinct::aggregate::Lean;
use ndvt_aggregation::succinct::fixture::single_epoch_signature;
use ndvt_aggregation::succinct::{SuccinctAggregate, SuccinctError};
use ndvt_aggregation::{
    BitList, BitListError, ConcatAggregate, GroupKey, GroupSignature, Participant, Share, ThresholdPolicy,
};
use ndvt_xmss::{Devnet4, PublicKey, Signature};

const EPOCH: u64 = 77;
const MESSAGE: [u8; 32] = [0x3c; 32];

type Pair = (PublicKey<Devnet4>, Signature<Devnet4>);

/// Registry: a 2-of-3 group, a single validator, a 3-of-4 group that will not sign.
fn registry() -> (Vec<Participant<Lean>>, Vec<Vec<Pair>>) {
    let keys = |first: u64, n: u64| -> Vec<Pair> {
        (first..first + n).map(|s| single_epoch_signature(s, EPOCH as u32, &MESSAGE)).collect()
    };
    let rosters = vec![keys(0, 3), keys(10, 1), keys(20, 4)];
    let group = |m: u8, roster: &[Pair]| {
        let members = roster.iter().map(|(pk, _)| *pk).collect();
        Participant::Group(GroupKey::new(m, members, ThresholdPolicy::Strict).unwrap().0)
    };
    let registry = vec![group(2, &rosters[0]), Participant::Single(rosters[1][0].0), group(3, &rosters[2])];
    (registry, rosters)
}

fn concat(
    registry: &[Participant<Lean>],
    rosters: &[Vec<Pair>],
    group_signers: &[u8],
) -> ConcatAggregate<Lean> {
    let Participant::Group(group) = &registry[0] else { unreachable!("entry 0 is a group") };
    let shares: Vec<Share<Lean>> = group_signers
        .iter()
        .map(|&j| Share {
            member: j,
            epoch: EPOCH,
            message: MESSAGE,
            signature: rosters[0][usize::from(j)].1.clone(),
        })
        .collect();
    let mut agg = ConcatAggregate::new(EPOCH, MESSAGE, 3);
    agg.add_group(0, &GroupSignature::combine(group, &shares).unwrap()).unwrap();
    agg.add_single(1, rosters[1][0].1.clone()).unwrap();
    agg
}

#[test]
fn the_succinct_aggregate_agrees_with_the_concatenation() {
    let (registry, rosters) = registry();
    let reference = concat(&registry, &rosters, &[0, 2]);
    reference.verify(&registry, EPOCH, &MESSAGE).unwrap();
    let succinct = SuccinctAggregate::prove(&reference, &registry).unwrap();
    assert_eq!(succinct.participation(), &reference.participation());
    succinct.verify(&registry, EPOCH, &MESSAGE).unwrap();

    let bytes = succinct.to_ssz_bytes();
    let decoded = SuccinctAggregate::from_ssz_bytes(&bytes, 4096).unwrap();
    assert_eq!(decoded, succinct);
    decoded.verify(&registry, EPOCH, &MESSAGE).unwrap();
}

#[test]
fn a_group_below_threshold_is_refused_by_both() {
    let (registry, rosters) = registry();
    let reference = concat(&registry, &rosters, &[1]);
    assert!(reference.verify(&registry, EPOCH, &MESSAGE).is_err());
    let err = SuccinctAggregate::prove(&reference, &registry).unwrap_err();
    assert!(matches!(err, SuccinctError::BelowThreshold { participant: 0, got: 1, need: 2 }), "{err}");
}

#[test]
fn every_bit_epoch_and_message_is_bound() {
    let (registry, rosters) = registry();
    let succinct = SuccinctAggregate::prove(&concat(&registry, &rosters, &[0, 1]), &registry).unwrap();
    let proof = succinct.proof_bytes().to_vec();
    for flip in 0..3 {
        let mut bits = succinct.participation().clone();
        let was = bits.get(flip);
        bits.set(flip, !was);
        let forged = SuccinctAggregate::from_parts(bits, proof.clone()).unwrap();
        assert!(forged.verify(&registry, EPOCH, &MESSAGE).is_err(), "bit {flip} flipped");
    }
    assert!(succinct.verify(&registry, EPOCH + 1, &MESSAGE).is_err());
    assert!(succinct.verify(&registry, EPOCH, &[0x3d; 32]).is_err());
    let mut other = registry.clone();
    other.swap(0, 2);
    assert!(succinct.verify(&other, EPOCH, &MESSAGE).is_err());
    assert!(matches!(
        succinct.verify(&registry[..2], EPOCH, &MESSAGE),
        Err(SuccinctError::Participation { bits: 3, registry: 2 })
    ));
    assert!(matches!(
        succinct.verify(&registry, 1 << 32, &MESSAGE),
        Err(SuccinctError::EpochRange(e)) if e == 1 << 32
    ));
}

/// A single validator proven as bit 0 of the registry `[it, other]`, with `other` and `third` two more
/// validators' keys.
fn proven_as_bit_zero() -> (SuccinctAggregate, PublicKey<Devnet4>, [Participant<Lean>; 2]) {
    let (pk, sig) = single_epoch_signature(40, EPOCH as u32, &MESSAGE);
    let [other, third] =
        [41, 42].map(|seed| Participant::Single(single_epoch_signature(seed, 1, &MESSAGE).0));
    let registry = vec![Participant::Single(pk), other.clone()];
    let mut reference = ConcatAggregate::new(EPOCH, MESSAGE, 2);
    reference.add_single(0, sig).unwrap();
    let succinct = SuccinctAggregate::prove(&reference, &registry).unwrap();
    succinct.verify(&registry, EPOCH, &MESSAGE).unwrap();
    (succinct, pk, [other, third])
}

/// The review's case: the proof of bit 0 of a 2-entry registry is not a proof of bit 2 of a 3-entry
/// registry that holds the same validator there (same participant list, other registry and bits).
#[test]
fn the_set_bits_and_registry_length_are_bound() {
    let (succinct, pk, [other, third]) = proven_as_bit_zero();
    let three = vec![other, third, Participant::Single(pk)];
    let mut bit_two = BitList::zeros(3);
    bit_two.set(2, true);
    let moved = SuccinctAggregate::from_parts(bit_two, succinct.proof_bytes().to_vec()).unwrap();
    let err = moved.verify(&three, EPOCH, &MESSAGE).unwrap_err();
    assert!(matches!(err, SuccinctError::Rejected(_)), "{err}");
}

/// The registry's entries are bound, the non-participating ones included.
#[test]
fn every_registry_entry_is_bound() {
    let (succinct, pk, [_, third]) = proven_as_bit_zero();
    let changed = vec![Participant::Single(pk), third];
    let err = succinct.verify(&changed, EPOCH, &MESSAGE).unwrap_err();
    assert!(matches!(err, SuccinctError::Rejected(_)), "{err}");
}

#[test]
fn container_bytes_are_decoded_strictly() {
    let bits = {
        let mut b = BitList::zeros(3);
        b.set(1, true);
        b
    };
    let agg = SuccinctAggregate::from_parts(bits.clone(), vec![1, 2, 3]).unwrap();
    let bytes = agg.to_ssz_bytes();
    // Byte for byte what ndvt-adapter's `AggregatedSignatureProof` (ssz_types) encodes for the same fields
    // (pinned there too): the succinct aggregate travels in leanSpec's container unchanged.
    assert_eq!(bytes, [8, 0, 0, 0, 9, 0, 0, 0, 0b1010, 1, 2, 3]);
    assert_eq!(SuccinctAggregate::from_ssz_bytes(&bytes, 16).unwrap(), agg);

    let offset_err = |b: &[u8]| match SuccinctAggregate::from_ssz_bytes(b, 16) {
        Err(SuccinctError::ContainerOffset { field, .. }) => field,
        other => panic!("{other:?}"),
    };
    assert_eq!(offset_err(&bytes[..3]), "participants");
    assert_eq!(offset_err(&bytes[..7]), "proof_data");
    let mut wrong_first = bytes.clone();
    wrong_first[0] = 9;
    assert_eq!(offset_err(&wrong_first), "participants");
    let mut past_end = bytes.clone();
    past_end[4] = 200;
    assert_eq!(offset_err(&past_end), "proof_data");
    let mut before_first = bytes.clone();
    before_first[4] = 7;
    assert_eq!(offset_err(&before_first), "proof_data");

    let mut no_delimiter = bytes.clone();
    no_delimiter[8] = 0;
    assert!(matches!(
        SuccinctAggregate::from_ssz_bytes(&no_delimiter, 16),
        Err(SuccinctError::Bits(BitListError::NoDelimiter))
    ));
    assert!(matches!(
        SuccinctAggregate::from_ssz_bytes(&bytes, 2),
        Err(SuccinctError::Bits(BitListError::TooLong { len: 3, max: 2 }))
    ));
    let big = SuccinctAggregate::from_parts(bits, vec![0; (1 << 20) + 1]);
    assert!(matches!(big, Err(SuccinctError::ProofTooLarge { .. })));
    let agg = SuccinctAggregate::from_ssz_bytes(&bytes, 16).unwrap();
    let (registry, _) = registry();
    assert!(matches!(agg.verify(&registry, EPOCH, &MESSAGE), Err(SuccinctError::Decode(_))));
}
