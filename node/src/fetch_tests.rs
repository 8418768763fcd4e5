#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;

use super::*;

fn framed(ssz: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    put_framed(&mut out, ssz);
    out
}

proptest! {
    #[test]
    fn requests_round_trip(roots in proptest::collection::vec(any::<[u8; 32]>(), 0..40)) {
        prop_assert_eq!(decode_request(&encode_request(&roots)).unwrap(), roots);
    }

    #[test]
    fn responses_round_trip(blocks in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..300), 0..8)) {
        prop_assert_eq!(decode_response(&encode_response(&blocks)).unwrap(), blocks);
    }

    #[test]
    fn varints_round_trip_in_shortest_form(v in 0u64..(1 << 35)) {
        let mut out = Vec::new();
        put_varint(&mut out, v);
        match take_varint(&out) {
            Ok((got, rest)) => prop_assert_eq!((got, rest.len()), (v, 0)),
            // Five bytes carry 35 bits; anything longer is refused, never truncated.
            Err(e) => prop_assert!(out.len() > 5 && e == FetchError::Varint),
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = decode_request(&bytes);
        let _ = decode_response(&bytes);
    }
}

#[test]
fn a_truncated_overlong_or_padded_length_prefix_is_a_varint_error() {
    assert_eq!(decode_request(&[]), Err(FetchError::Varint));
    assert_eq!(decode_request(&[0x80]), Err(FetchError::Varint));
    assert_eq!(decode_request(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x01]), Err(FetchError::Varint));
    // 0x81 0x00 is 1 in two bytes: not the shortest form.
    assert_eq!(decode_request(&[0x81, 0x00]), Err(FetchError::Varint));
}

#[test]
fn a_length_beyond_the_limit_or_not_whole_roots_is_a_length_error() {
    let mut big = Vec::new();
    put_varint(&mut big, 32 * 1025);
    assert_eq!(decode_request(&big), Err(FetchError::Length { got: 32 * 1025, limit: 32 * 1024 }));
    assert_eq!(decode_request(&framed(&[7; 33])), Err(FetchError::Length { got: 33, limit: 32 * 1024 }));
    let mut chunk = vec![0];
    put_varint(&mut chunk, MAX_PAYLOAD_BYTES as u64 + 1);
    assert!(matches!(decode_response(&chunk), Err(FetchError::Length { .. })));
}

#[test]
fn frames_shorter_or_longer_than_declared_are_a_snappy_error() {
    // Declares 64 bytes, frames hold 32.
    let mut short = Vec::new();
    put_varint(&mut short, 64);
    short.extend_from_slice(&framed(&[1; 32])[1..]);
    assert_eq!(decode_request(&short), Err(FetchError::Snappy { declared: 64 }));
    // Declares 32 bytes, the frame holds 64.
    let mut long = Vec::new();
    put_varint(&mut long, 32);
    long.extend_from_slice(&framed(&[1; 64])[1..]);
    assert_eq!(decode_request(&long), Err(FetchError::Snappy { declared: 32 }));
    // Not snappy at all.
    assert_eq!(decode_request(&[32, 1, 2, 3]), Err(FetchError::Snappy { declared: 32 }));
}

#[test]
fn bytes_after_a_request_are_a_trailing_error() {
    let mut bytes = encode_request(&[[3; 32]]);
    bytes.push(0);
    assert_eq!(decode_request(&bytes), Err(FetchError::Trailing));
}

#[test]
fn an_error_code_or_too_many_chunks_is_refused() {
    let mut bytes = encode_response(&[vec![1, 2, 3]]);
    bytes.push(2);
    assert_eq!(decode_response(&bytes), Err(FetchError::ErrorCode(2)));
    let one = encode_response(&[vec![5; 10]]);
    let many: Vec<u8> = (0..=MAX_RESPONSE_BLOCKS).flat_map(|_| one.clone()).collect();
    assert_eq!(decode_response(&many), Err(FetchError::TooManyBlocks));
    assert_eq!(
        encode_response(&vec![vec![5; 10]; MAX_RESPONSE_BLOCKS + 3]).len(),
        one.len() * MAX_RESPONSE_BLOCKS
    );
}

#[test]
fn an_empty_response_is_no_blocks() {
    assert_eq!(decode_response(&[]), Ok(vec![]));
}
