#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]
//! Known-answer tests for the primitives under the SHA-3 and BLAKE3 back-ends, and the pinning of each
//! back-end's hash and PRF to those primitives.
//!
//! Sources: SHA3-256 and SHAKE128 of "" and "abc" are the FIPS 202 example values (NIST CSRC "Examples with
//! intermediate values", SHA3-256_Msg0 / SHA3-256_Msg24 / SHAKE128_Msg0 / SHAKE128_Msg24; the 1600-bit
//! message 0xa3 × 200 is SHA3-256_1600). BLAKE3 values are the first 32 bytes of the `hash` and
//! `keyed_hash` fields of the official `test_vectors/test_vectors.json` (github.com/BLAKE3-team/BLAKE3),
//! whose inputs are the bytes `i mod 251` and whose key is "whats the Elvish word for friend".

use ndvt_xmss::byte_xmss::{Blake3, ByteHash, Sha3};
use sha3::Shake128;
use sha3::digest::{ExtendableOutput, Update, XofReader};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn shake128_32(input: &[u8]) -> [u8; 32] {
    let mut h = Shake128::default();
    h.update(input);
    let mut out = [0u8; 32];
    h.finalize_xof().read(&mut out);
    out
}

const SHA3_256: [(&[u8], &str); 2] = [
    (b"", "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a"),
    (b"abc", "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532"),
];

#[test]
fn sha3_256_fips202_examples() {
    for (input, expected) in SHA3_256 {
        assert_eq!(hex(&Sha3::digest(input)), expected);
    }
    let long = [0xa3u8; 200]; // two blocks: exercises the multi-block path
    assert_eq!(hex(&Sha3::digest(&long)), "79f38adec5c20307a98ef76e8324afbfd46cfd81b22e3973c65fa1bd9de31787");
}

#[test]
fn sha3_256_lane_parallel_path_gives_the_fips202_examples() {
    let inputs: [&[u8]; 8] = core::array::from_fn(|l| SHA3_256[l % 2].0);
    for (l, digest) in Sha3::digest_x8(inputs).iter().enumerate() {
        assert_eq!(hex(digest), SHA3_256[l % 2].1, "lane {l}");
    }
}

#[test]
fn shake128_fips202_examples() {
    assert_eq!(hex(&shake128_32(b"")), "7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26");
    assert_eq!(hex(&shake128_32(b"abc")), "5881092dd818bf5cf8a3ddb793fbcba74097d5c526a6d35f97b83351940f2cc8");
}

#[test]
fn sha3_prf_is_shake128_of_domain_key_input() {
    let key = [0x5c; 32];
    for input in [&b""[..], b"abc", &[7u8; 45][..], &[1u8; 150][..]] {
        let expected = shake128_32(&[&b"ndvt/bxmss/prf/1"[..], &key, input].concat());
        assert_eq!(Sha3::prf(&key, input), expected);
        let batch = Sha3::prf_x8(&key, [input; 8]);
        assert!(batch.iter().all(|o| *o == expected));
    }
}

const BLAKE3_KEY: &[u8; 32] = b"whats the Elvish word for friend";

/// (input length, hash, keyed hash): first 32 bytes of each, from test_vectors.json.
const BLAKE3_VECTORS: [(usize, &str, &str); 6] = [
    (
        0,
        "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262",
        "92b2b75604ed3c761f9d6f62392c8a9227ad0ea3f09573e783f1498a4ed60d26",
    ),
    (
        1,
        "2d3adedff11b61f14c886e35afa036736dcd87a74d27b5c1510225d0f592e213",
        "6d7878dfff2f485635d39013278ae14f1454b8c0a3a2d34bc1ab38228a80c95b",
    ),
    (
        1023,
        "10108970eeda3eb932baac1428c7a2163b0e924c9a9e25b35bba72b28f70bd11",
        "c951ecdf03288d0fcc96ee3413563d8a6d3589547f2c2fb36d9786470f1b9d6e",
    ),
    (
        1024,
        "42214739f095a406f3fc83deb889744ac00df831c10daa55189b5d121c855af7",
        "75c46f6f3d9eb4f55ecaaee480db732e6c2105546f1e675003687c31719c7ba4",
    ),
    (
        1025,
        "d00278ae47eb27b34faecf67b4fe263f82d5412916c1ffd97c8cb7fb814b8444",
        "357dc55de0c7e382c900fd6e320acc04146be01db6a8ce7210b7189bd664ea69",
    ),
    (
        2048,
        "e776b6028c7cd22a4d0ba182a8bf62205d2ef576467e838ed6f2529b85fba24a",
        "879cf1fa2ea0e79126cb1063617a05b6ad9d0b696d0d757cf053439f60a99dd1",
    ),
];

fn vector_input(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

#[test]
fn blake3_official_vectors() {
    for (len, hash, keyed) in BLAKE3_VECTORS {
        let input = vector_input(len);
        assert_eq!(hex(&Blake3::digest(&input)), hash, "hash, length {len}");
        assert_eq!(hex(blake3::keyed_hash(BLAKE3_KEY, &input).as_bytes()), keyed, "keyed, length {len}");
        let batch = Blake3::digest_x8([&input[..]; 8]);
        assert!(batch.iter().all(|d| hex(d) == hash), "batched hash, length {len}");
    }
}

#[test]
fn blake3_prf_is_keyed_blake3_of_domain_input() {
    for input in [&b""[..], b"abc", &[7u8; 45][..], &[1u8; 200][..]] {
        let expected = blake3::keyed_hash(BLAKE3_KEY, &[&b"ndvt/bxmss/prf/1"[..], input].concat());
        assert_eq!(Blake3::prf(BLAKE3_KEY, input), *expected.as_bytes());
    }
}
