#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;

#[test]
fn topics_follow_the_lean_scheme() {
    let t = Topics::new([0x12, 0x34, 0x56, 0x78]);
    assert_eq!(t.of(Kind::Block, 0), "/leanconsensus/0x12345678/block/ssz_snappy");
    assert_eq!(t.of(Kind::Vote, 3), "/leanconsensus/0x12345678/attestation_3/ssz_snappy");
    assert_eq!(t.of(Kind::Aggregate, 0), "/leanconsensus/0x12345678/aggregation/ssz_snappy");
    assert_eq!(t.of(Kind::SignOff, 0), "/leanconsensus/0x12345678/dvt_sign_off/ssz_snappy");
    assert_eq!(t.of(Kind::Proposal, 0), "/leanconsensus/0x12345678/dvt_proposal/ssz_snappy");
    for k in Kind::ALL {
        assert_eq!(t.kind_of(&t.of(k, 1), 1), Some(k));
    }
    assert_eq!(t.kind_of("/leanconsensus/0x12345678/attestation_2/ssz_snappy", 1), None);
    assert_eq!(t.kind_of("/leanconsensus/0x12345678/aggregates/ssz_snappy", 0), None);
}

#[test]
fn message_id_hashes_the_decompressed_payload_under_the_valid_domain() {
    let topic = "/leanconsensus/0x00000000/block/ssz_snappy";
    let ssz = b"some ssz bytes, some ssz bytes".to_vec();
    let data = compress(&ssz);
    let mut h = Sha256::new();
    h.update([1u8, 0, 0, 0]);
    h.update((topic.len() as u64).to_le_bytes());
    h.update(topic);
    h.update(&ssz);
    let want: [u8; 32] = h.finalize().into();
    assert_eq!(message_id(topic, &data), want[..20]);
    // Two compressions of one payload are one message.
    let literal = {
        let mut out = vec![ssz.len() as u8, (ssz.len() as u8 - 1) << 2];
        out.extend_from_slice(&ssz);
        out
    };
    assert_eq!(decompress(&literal).unwrap(), ssz);
    assert_eq!(message_id(topic, &literal), message_id(topic, &data));
}

#[test]
fn message_id_of_bytes_that_do_not_decompress_uses_the_invalid_domain() {
    let topic = "t";
    let data = [0xffu8, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2];
    assert!(decompress(&data).is_err());
    let mut h = Sha256::new();
    h.update([0u8, 0, 0, 0]);
    h.update(1u64.to_le_bytes());
    h.update(b"t");
    h.update(data);
    let want: [u8; 32] = h.finalize().into();
    assert_eq!(message_id(topic, &data), want[..20]);
}

#[test]
fn oversize_and_malformed_payloads_are_refused() {
    // A header claiming 2 MiB, with no body.
    let claim = [0x80u8, 0x80, 0x80, 0x01];
    assert_eq!(decompress(&claim), Err(SnappyError::TooLarge(1 << 21)));
    assert_eq!(decompress(&[]), Err(SnappyError::Malformed));
    // A literal that claims 10 bytes but carries 3.
    assert_eq!(decompress(&[10, 9 << 2, 1, 2, 3]), Err(SnappyError::Malformed));
}
