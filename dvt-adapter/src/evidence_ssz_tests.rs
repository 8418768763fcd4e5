use ndvt_aggregation::Ed25519;
use ssz::{Decode, Encode};

use super::*;
use crate::testkit::surround;

type Evidence = SlashingEvidence<Ed25519>;

/// The surround evidence as its raw SSZ container, to be mangled below the typed layer.
fn raw() -> EvidenceBytes {
    let (_, ev) = surround();
    EvidenceBytes {
        validator_index: ev.validator_index,
        component: 1,
        a: side_bytes(&ev.a).unwrap(),
        b: side_bytes(&ev.b).unwrap(),
    }
}

#[test]
fn evidence_round_trips_and_verifies_after_decoding() {
    let (g, ev) = surround();
    let bytes = ev.to_ssz_bytes().unwrap();
    assert_eq!(bytes, raw().as_ssz_bytes());
    let back = Evidence::from_ssz_bytes(&bytes).unwrap();
    assert_eq!(back, ev);
    assert!(back.verify(&g).is_ok());
}

#[test]
fn trailing_and_truncated_bytes_are_refused() {
    let mut bytes = raw().as_ssz_bytes();
    // A cut inside the last signature still parses as SSZ, and is then refused as a signature.
    for len in 0..bytes.len() {
        assert!(Evidence::from_ssz_bytes(&bytes[..len]).is_err(), "{len}");
    }
    // SSZ has no room after the last variable field: a trailing byte lengthens the last signature.
    bytes.push(0);
    assert!(matches!(
        Evidence::from_ssz_bytes(&bytes),
        Err(SlashingError::SignatureBytes { side: Side::B, member: 3, .. })
    ));
}

/// Evidence bytes whose side A repeats its first vote `count` times, offsets written by hand (the typed
/// list cannot hold more than 16).
fn with_repeated_votes(count: u32) -> Vec<u8> {
    let r = raw();
    let vote = r.a.votes[0].as_ssz_bytes();
    let unit = r.a.unit.as_ssz_bytes();
    let mut side_a = Vec::new();
    side_a.extend_from_slice(&8u32.to_le_bytes());
    side_a.extend_from_slice(&(8 + unit.len() as u32).to_le_bytes());
    side_a.extend_from_slice(&unit);
    for i in 0..count {
        side_a.extend_from_slice(&(count * 4 + i * vote.len() as u32).to_le_bytes());
    }
    for _ in 0..count {
        side_a.extend_from_slice(&vote);
    }
    let side_b = r.b.as_ssz_bytes();
    let fixed = 8 + 1 + 4 + 4;
    let mut bytes = r.validator_index.to_le_bytes().to_vec();
    bytes.push(1);
    bytes.extend_from_slice(&(fixed as u32).to_le_bytes());
    bytes.extend_from_slice(&((fixed + side_a.len()) as u32).to_le_bytes());
    bytes.extend_from_slice(&side_a);
    bytes.extend_from_slice(&side_b);
    bytes
}

#[test]
fn more_than_sixteen_votes_do_not_decode() {
    assert!(matches!(
        Evidence::from_ssz_bytes(&with_repeated_votes(17)),
        Err(SlashingError::Decode(ContainerError::Decode { .. }))
    ));
    // Sixteen is a well-formed list; the shape check then refuses the repeated member.
    assert!(matches!(
        Evidence::from_ssz_bytes(&with_repeated_votes(16)),
        Err(SlashingError::DuplicateMember { side: Side::A, member: 0 })
    ));
}

#[test]
fn an_unknown_component_byte_is_refused() {
    let mut r = raw();
    r.component = 3;
    assert!(matches!(Evidence::from_ssz_bytes(&r.as_ssz_bytes()), Err(SlashingError::UnknownComponent(3))));
}

#[test]
fn a_unit_of_the_wrong_shape_is_refused() {
    let mut r = raw();
    r.component = 2;
    assert!(matches!(
        Evidence::from_ssz_bytes(&r.as_ssz_bytes()),
        Err(SlashingError::CreditShape { side: Side::A, component: Component::Head, expected: 1, got: 2 })
    ));
}

#[test]
fn undecodable_signature_bytes_are_refused() {
    let mut r = raw();
    let mut short = r.b.votes[1].signature.to_vec();
    short.pop();
    r.b.votes[1].signature = VariableList::new(short).unwrap();
    assert!(matches!(
        Evidence::from_ssz_bytes(&r.as_ssz_bytes()),
        Err(SlashingError::SignatureBytes { side: Side::B, member: 2, .. })
    ));
}

#[test]
fn the_decoder_checks_the_shape() {
    let mut r = raw();
    r.a.votes[2].data.source.slot = 2;
    assert!(matches!(
        Evidence::from_ssz_bytes(&r.as_ssz_bytes()),
        Err(SlashingError::CreditMismatch { side: Side::A, member: 2 })
    ));
    let mut r = raw();
    let first = r.b.votes[0].as_ssz_bytes();
    r.b.votes[0] = VoteBytes::from_ssz_bytes(&r.b.votes[1].as_ssz_bytes()).unwrap();
    r.b.votes[1] = VoteBytes::from_ssz_bytes(&first).unwrap();
    assert!(matches!(
        Evidence::from_ssz_bytes(&r.as_ssz_bytes()),
        Err(SlashingError::UnorderedMembers { side: Side::B, previous: 2, member: 1 })
    ));
}

#[test]
fn evidence_of_an_invalid_shape_has_no_encoding() {
    let (_, mut ev) = surround();
    ev.b.votes.clear();
    assert!(matches!(ev.to_ssz_bytes(), Err(SlashingError::EmptySide(Side::B))));
}

/// The `decode_evidence` fuzz target's seed is this evidence's encoding; `NDVT_WRITE_FUZZ_CORPUS=1` rewrites it,
/// otherwise the committed seed must equal its generator.
#[test]
fn the_fuzz_seed_is_committed() {
    let (_, ev) = surround();
    let bytes = ev.to_ssz_bytes().unwrap();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/decode_evidence");
    let path = dir.join("seed-surround");
    if std::env::var_os("NDVT_WRITE_FUZZ_CORPUS").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(&path, &bytes).unwrap();
    }
    let committed =
        std::fs::read(&path).unwrap_or_else(|e| panic!("{} ({e}): NDVT_WRITE_FUZZ_CORPUS=1", path.display()));
    assert!(committed == bytes, "{} differs from its generator", path.display());
}
