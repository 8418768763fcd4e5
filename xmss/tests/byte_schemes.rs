#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]
//! Every SHA-3 and BLAKE3 parameter set: round trip through the byte encodings, tampering, wrong epoch,
//! wrong message, strict decoding and the signing preconditions. Keys are active for twelve epochs that
//! straddle the first two bottom trees (an exact short range: partial bottom trees, padded), so even the
//! lifetime-2^32 sets generate twelve leaves.

use ndvt_xmss::byte_xmss::*;
use ndvt_xmss::hazmat::RawSign;
use ndvt_xmss::{
    DecodeError, EncodingError, Instance, KeyError, PublicKey, SecretKey, SignError, Signature, VerifyError,
};

fn flip(bytes: &[u8], at: usize) -> Vec<u8> {
    let mut out = bytes.to_vec();
    out[at] ^= 0x01;
    out
}

fn exercise<I: Instance>() {
    let c = I::LEAVES_PER_BOTTOM_TREE;
    let (mut sk, pk) = SecretKey::<I>::from_seed(&[0x21; 32], c - 6, 12).unwrap();
    let active = sk.activation();
    assert_eq!(active, c - 6..c + 6);
    assert_eq!(sk.prepared(), active, "the window holds exactly the active epochs");

    // Round trip through bytes, at the first, a middle and the last active epoch, in both bottom trees.
    let message = [0x5a; 32];
    for epoch in [active.start, c, active.end - 1] {
        let bytes = sk.sign_raw(epoch, &message).unwrap().to_bytes();
        assert_eq!(bytes.len(), I::SIGNATURE_BYTES);
        let pk = PublicKey::<I>::from_bytes(&pk.to_bytes()).unwrap();
        pk.verify_bytes(epoch, &message, &bytes).unwrap();
        let signature = Signature::<I>::from_bytes(&bytes).unwrap();
        assert_eq!(signature.to_bytes(), bytes, "encoding is canonical");
        // Signing is deterministic.
        assert_eq!(sk.sign_raw(epoch, &message).unwrap().to_bytes(), bytes);
    }

    let epoch = active.start + 2;
    let bytes = sk.sign_raw(epoch, &message).unwrap().to_bytes();

    // Wrong epoch and wrong message: rejected (no codeword, or a root mismatch).
    for (e, m) in [(epoch + 1, message), (epoch - 1, message), (epoch, [0x5b; 32])] {
        let err = pk.verify_bytes(e, &m, &bytes).unwrap_err();
        assert!(
            matches!(err, VerifyError::RootMismatch | VerifyError::Encoding(EncodingError::TargetSum { .. })),
            "{err:?}"
        );
    }
    // Epoch beyond the lifetime.
    assert_eq!(
        pk.verify_bytes(I::LIFETIME, &message, &bytes),
        Err(VerifyError::EpochOutOfRange { epoch: I::LIFETIME, log_lifetime: I::LOG_LIFETIME })
    );
    // Tampering with rho, a co-path node or a chain value.
    let path_at = RHO_LEN + 7;
    let chain_at = RHO_LEN + DIGEST_LEN * I::LOG_LIFETIME as usize + 40;
    for at in [0, path_at, chain_at, I::SIGNATURE_BYTES - 1] {
        let err = pk.verify_bytes(epoch, &message, &flip(&bytes, at)).unwrap_err();
        assert!(
            matches!(err, VerifyError::RootMismatch | VerifyError::Encoding(EncodingError::TargetSum { .. })),
            "byte {at}: {err:?}"
        );
    }
    // Another root, or another parameter (which changes every hash, the message hash first).
    let pk_bytes = pk.to_bytes();
    let other_root = PublicKey::<I>::from_bytes(&flip(&pk_bytes, 3)).unwrap();
    assert_eq!(other_root.verify_bytes(epoch, &message, &bytes), Err(VerifyError::RootMismatch));
    let other_parameter = PublicKey::<I>::from_bytes(&flip(&pk_bytes, DIGEST_LEN + 2)).unwrap();
    let err = other_parameter.verify_bytes(epoch, &message, &bytes).unwrap_err();
    assert!(
        matches!(err, VerifyError::RootMismatch | VerifyError::Encoding(EncodingError::TargetSum { .. })),
        "{err:?}"
    );

    // Strict decoding: exact lengths only.
    for len in [0, I::SIGNATURE_BYTES - 1, I::SIGNATURE_BYTES + 1] {
        let input = vec![0u8; len];
        assert_eq!(
            Signature::<I>::from_bytes(&input),
            Err(DecodeError::Length { what: "signature", expected: I::SIGNATURE_BYTES, got: len })
        );
    }
    assert_eq!(
        PublicKey::<I>::from_bytes(&[0u8; 49]),
        Err(DecodeError::Length { what: "public key", expected: I::PUBLIC_KEY_BYTES, got: 49 })
    );
    assert_eq!(pk.verify_bytes(epoch, &message[..31], &bytes), Err(VerifyError::MessageLength(31)));

    // Signing preconditions, and the key cannot advance past its activation range.
    let (start, end) = (active.start, active.end);
    for outside in [start - 1, end] {
        assert_eq!(
            sk.sign_raw(outside, &message).unwrap_err(),
            SignError::OutsideActivation { epoch: outside, start, end }
        );
    }
    assert_eq!(sk.advance(), Err(KeyError::ActivationExhausted { end }));
}

macro_rules! per_set {
    ($($test:ident => $ty:ty),* $(,)?) => {$(
        #[test]
        fn $test() {
            exercise::<$ty>();
        }
    )*};
}

per_set! {
    sha3_test => Sha3Test,
    blake3_test => Blake3Test,
    sha3_l18_w4 => Sha3L18W4,
    sha3_l18_w8 => Sha3L18W8,
    sha3_l20_w4 => Sha3L20W4,
    sha3_l20_w8 => Sha3L20W8,
    sha3_l32_w4 => Sha3L32W4,
    sha3_l32_w8 => Sha3L32W8,
    blake3_l18_w4 => Blake3L18W4,
    blake3_l18_w8 => Blake3L18W8,
    blake3_l20_w4 => Blake3L20W4,
    blake3_l20_w8 => Blake3L20W8,
    blake3_l32_w4 => Blake3L32W4,
    blake3_l32_w8 => Blake3L32W8,
}

#[test]
fn advancing_the_window_keeps_signatures_valid() {
    let (mut sk, pk) = SecretKey::<Blake3Test>::from_seed(&[3; 32], 0, 100).unwrap();
    assert_eq!(sk.activation(), 0..100, "the byte sets keep exact ranges");
    let message = [1; 32];
    assert_eq!(
        sk.sign_raw(40, &message).unwrap_err(),
        SignError::NotPrepared { epoch: 40, start: 0, end: 32 }
    );
    sk.advance().unwrap();
    sk.advance().unwrap();
    assert_eq!(sk.prepared(), 32..64);
    pk.verify(40, &message, &sk.sign_raw(40, &message).unwrap()).unwrap();
    while sk.advance().is_ok() {}
    assert_eq!(sk.prepared(), 80..100, "the last bottom tree is partial: filler nodes pad it");
    pk.verify(99, &message, &sk.sign_raw(99, &message).unwrap()).unwrap();
    assert_eq!(
        sk.sign_raw(100, &message).unwrap_err(),
        SignError::OutsideActivation { epoch: 100, start: 0, end: 100 }
    );
}

#[test]
fn a_full_window_key_signs_in_both_bottom_trees() {
    let (mut sk, pk) = SecretKey::<Sha3L18W4>::from_seed(&[6; 32], 0, 1024).unwrap();
    assert_eq!(sk.activation(), 0..1024);
    for epoch in [0, 511, 512, 1023] {
        pk.verify(epoch, &[2; 32], &sk.sign_raw(epoch, &[2; 32]).unwrap()).unwrap();
    }
    assert_eq!(sk.advance(), Err(KeyError::ActivationExhausted { end: 1024 }));
}

#[test]
fn a_short_range_in_the_last_bottom_tree_keeps_the_window_inside_the_lifetime() {
    let (sk, pk) = SecretKey::<Blake3Test>::from_seed(&[6; 32], 250, 6).unwrap();
    assert_eq!((sk.activation(), sk.prepared()), (250..256, 250..256));
    pk.verify(255, &[2; 32], &sk.sign_raw(255, &[2; 32]).unwrap()).unwrap();
}

#[test]
fn keys_are_deterministic_and_seed_bound() {
    let (_, a) = SecretKey::<Sha3Test>::from_seed(&[9; 32], 0, 1).unwrap();
    let (_, b) = SecretKey::<Sha3Test>::from_seed(&[9; 32], 0, 1).unwrap();
    let (_, c) = SecretKey::<Sha3Test>::from_seed(&[10; 32], 0, 1).unwrap();
    assert_eq!(a, b);
    assert_ne!(a, c);
    // The same seed under another parameter set gives an unrelated key.
    let (_, d) = SecretKey::<Blake3Test>::from_seed(&[9; 32], 0, 1).unwrap();
    assert_ne!(a.to_bytes(), d.to_bytes());
}

#[test]
fn activation_errors_are_typed() {
    assert_eq!(SecretKey::<Sha3Test>::from_seed(&[0; 32], 0, 0).unwrap_err(), KeyError::EmptyActivation);
    assert_eq!(
        SecretKey::<Sha3Test>::from_seed(&[0; 32], 250, 7).unwrap_err(),
        KeyError::ActivationBeyondLifetime { start: 250, end: 257, lifetime: 256 }
    );
}

#[test]
fn hash_calls_are_counted_per_operation() {
    let (sk, pk) = SecretKey::<Blake3Test>::from_seed(&[4; 32], 0, 8).unwrap();
    let signature = sk.sign_raw(3, &[8; 32]).unwrap();
    let before = hash_count();
    pk.verify(3, &[8; 32], &signature).unwrap();
    let calls = hash_count().since(before).calls;
    // 1 message hash + (v(w-1) - T) chain steps + 1 leaf + h nodes; other tests may hash concurrently.
    let expected =
        1 + (Blake3Test::DIMENSION * (Blake3Test::BASE - 1) - Blake3Test::TARGET_SUM) as u64 + 1 + 8;
    assert!(calls >= expected, "{calls} < {expected}");
}

mod decoding {
    use super::*;
    use proptest::prelude::*;
    use std::sync::LazyLock;

    static KEY: LazyLock<(SecretKey<Blake3Test>, PublicKey<Blake3Test>)> =
        LazyLock::new(|| SecretKey::<Blake3Test>::from_seed(&[5; 32], 0, 16).unwrap());

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Any bytes: decoding never panics, accepted bytes re-encode identically, and verification of
        /// random bytes fails with a typed error.
        #[test]
        fn arbitrary_signature_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2000), epoch in 0u64..300) {
            match Signature::<Blake3Test>::from_bytes(&bytes) {
                Ok(signature) => prop_assert_eq!(signature.to_bytes(), bytes.clone()),
                Err(e) => prop_assert!(matches!(e, DecodeError::Length { .. }), "{:?}", e),
            }
            prop_assert!(KEY.1.verify_bytes(epoch, &[0; 32], &bytes).is_err());
        }

        #[test]
        fn signature_encoding_round_trips(bytes in proptest::collection::vec(any::<u8>(), Blake3Test::SIGNATURE_BYTES)) {
            let signature = Signature::<Blake3Test>::from_bytes(&bytes).unwrap();
            prop_assert_eq!(signature.to_bytes(), bytes);
        }

        #[test]
        fn public_key_encoding_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..60)) {
            match PublicKey::<Blake3Test>::from_bytes(&bytes) {
                Ok(pk) => prop_assert_eq!(pk.to_bytes(), bytes),
                Err(e) => prop_assert_eq!(e, DecodeError::Length { what: "public key", expected: 50, got: bytes.len() }),
            }
        }
    }
}
