//! Every class of bad input, each with the exact typed error it must produce.
//!
//! Signatures are checked for both instances (TestInstance keys made here, Devnet 4 signatures from the
//! leanSig vectors), public keys for both, secret keys for TestInstance (no Devnet 4 secret key is shipped).
//! Every test states the variant, with its fields, that the decoder or the key gives for that class.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod vectors;

use ndvt_xmss::hazmat::RawSign;
use ndvt_xmss::primitives::codeword;
use ndvt_xmss::{
    DecodeError, Devnet4, Instance, KeyError, P, PublicKey, SecretKey, SignError, Signature, TestInstance,
    VerifyError,
};

type T = TestInstance;

// ---------------------------------------------------------------------------------------------------------------
// Fixtures and helpers
// ---------------------------------------------------------------------------------------------------------------

/// A valid (public key, epoch, message, signature bytes) tuple of instance `I`.
struct Case<I: Instance> {
    pk: PublicKey<I>,
    epoch: u64,
    message: [u8; 32],
    sig: Vec<u8>,
}

/// A TestInstance key active on `[64, 128)` (prepared `[64, 96)`) and its signature at epoch 70.
fn test_case() -> Case<T> {
    let (sk, pk) = SecretKey::<T>::from_seed(&[1; 32], 64, 64).unwrap();
    let (epoch, message) = (70, [0x5a; 32]);
    let sig = sk.sign_raw(epoch, &message).unwrap().to_bytes();
    assert_eq!(sig.len(), 424);
    pk.verify_bytes(epoch, &message, &sig).unwrap();
    Case { pk, epoch, message, sig }
}

/// The 16 Devnet 4 signatures of the leanSig vectors, all under one public key.
fn devnet4_cases() -> Vec<Case<Devnet4>> {
    let v = vectors::json("leansig/leansig_prod_lifetime2_32.json");
    let key = &v["keys"][0];
    let pk = PublicKey::<Devnet4>::from_bytes(&vectors::bytes(&key["public_key"])).unwrap();
    let cases: Vec<Case<Devnet4>> = key["signatures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| Case {
            pk,
            epoch: s["epoch"].as_u64().unwrap(),
            message: vectors::message(&s["message"]),
            sig: vectors::bytes(&s["signature"]),
        })
        .collect();
    assert_eq!(cases.len(), 16);
    cases
}

/// One sampled Devnet 4 signature (epoch 33978).
fn devnet4_case() -> Case<Devnet4> {
    let case = devnet4_cases().swap_remove(5);
    assert_eq!(case.sig.len(), 2536);
    case.pk.verify_bytes(case.epoch, &case.message, &case.sig).unwrap();
    case
}

/// Byte offset of the chain values (= canonical `off_hashes`): `40 + 32 h`.
fn hashes_at<I: Instance>() -> usize {
    40 + 32 * I::LOG_LIFETIME as usize
}

fn word(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
}

fn set_word(bytes: &mut [u8], at: usize, value: u32) {
    bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
}

/// Replaces the canonical word at `at` with the next canonical value.
fn bump_word(bytes: &mut [u8], at: usize) {
    let next = (word(bytes, at) + 1) % P;
    set_word(bytes, at, next);
}

fn u64_at(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap())
}

fn set_u64(bytes: &mut [u8], at: usize, value: u64) {
    bytes[at..at + 8].copy_from_slice(&value.to_le_bytes());
}

/// Non-canonical replacements for the canonical word `w`: exactly p, p + 1, w + p (the same residue), 2^32 - 1.
fn non_canonical(w: u32) -> [u32; 4] {
    assert!(w < P);
    [P, P + 1, w + P, u32::MAX]
}

fn length(what: &'static str, expected: usize, got: usize) -> DecodeError {
    DecodeError::Length { what, expected, got }
}

fn offset(what: &'static str, expected: usize, got: u64) -> DecodeError {
    DecodeError::Offset { what, expected: expected as u64, got }
}

fn nc(what: &'static str, index: usize, value: u32) -> DecodeError {
    DecodeError::NonCanonicalFieldElement { what, index, value }
}

/// Asserts `bytes` decodes to exactly `expected`, and that `verify_bytes` reports it as `Decode(expected)`.
#[track_caller]
fn expect_sig_err<I: Instance>(case: &Case<I>, bytes: &[u8], expected: DecodeError) {
    assert_eq!(Signature::<I>::from_bytes(bytes).err(), Some(expected.clone()), "{} bytes", bytes.len());
    assert_eq!(
        case.pk.verify_bytes(case.epoch, &case.message, bytes),
        Err(VerifyError::Decode(expected)),
        "verify_bytes, {} bytes",
        bytes.len()
    );
}

fn is_cryptographic_rejection(e: &VerifyError) -> bool {
    matches!(e, VerifyError::RootMismatch | VerifyError::Encoding(_))
}

/// The codeword of (message, rho) at `epoch` under `pk`, if there is one.
///
/// TestInstance has only 84 codewords (4 chains, base 8, target sum 6): a changed message or rho keeps the
/// codeword with probability about 1/4096, and the signature then stays valid, by design. The checks below
/// allow exactly that case (none occurs for the fixed samples used here, but a change of key derivation could
/// produce one).
fn codeword_of<I: Instance>(
    pk: &PublicKey<I>,
    epoch: u64,
    rho: &ndvt_xmss::types::Rho<I>,
    message: &[u8; 32],
) -> Option<Vec<u8>> {
    let mut x = [0u8; 256];
    codeword::<I>(pk.parameter(), u32::try_from(epoch).ok()?, rho, message, &mut x).ok()?;
    Some(x[..I::DIMENSION].to_vec())
}

// ---------------------------------------------------------------------------------------------------------------
// Signature: truncation, trailing bytes, offsets, non-canonical words, path length, chain count
// ---------------------------------------------------------------------------------------------------------------

/// Truncation of a signature of `n` bytes gives, by length `len`:
/// - `len < 40` (no room for the fixed part): `Length { "signature", n, len }`;
/// - `40 <= len < 40 + 32 h`: the canonical `off_hashes` points past the end, so the input is short:
///   `Length { "signature", n, len }`;
/// - `len >= 40 + 32 h`, a whole number `k` of chain values left: `HashCount { v, k }`;
/// - otherwise (a partial chain value): `Length { "signature", n, len }`.
fn check_truncation<I: Instance>(case: &Case<I>) {
    let n = I::SIGNATURE_BYTES;
    let (h_at, v) = (hashes_at::<I>(), I::DIMENSION);
    let sig = &case.sig;
    assert_eq!(sig.len(), n);
    // The named lengths.
    expect_sig_err(case, &[], length("signature", n, 0));
    expect_sig_err(case, &sig[..1], length("signature", n, 1));
    expect_sig_err(case, &sig[..39], length("signature", n, 39));
    expect_sig_err(case, &sig[..40], length("signature", n, 40));
    expect_sig_err(case, &sig[..h_at - 1], length("signature", n, h_at - 1));
    expect_sig_err(case, &sig[..h_at], DecodeError::HashCount { expected: v, got: 0 });
    expect_sig_err(case, &sig[..n - 32], DecodeError::HashCount { expected: v, got: v - 1 });
    expect_sig_err(case, &sig[..n - 31], length("signature", n, n - 31));
    expect_sig_err(case, &sig[..n - 1], length("signature", n, n - 1));
    // And every prefix, classified as documented above.
    for len in 0..n {
        let expected = if len < h_at {
            length("signature", n, len)
        } else if (len - h_at).is_multiple_of(32) {
            DecodeError::HashCount { expected: v, got: (len - h_at) / 32 }
        } else {
            length("signature", n, len)
        };
        assert_eq!(Signature::<I>::from_bytes(&sig[..len]).err(), Some(expected), "prefix of {len} bytes");
    }
}

#[test]
fn signature_truncated_test_instance() {
    check_truncation(&test_case());
}

#[test]
fn signature_truncated_devnet4() {
    check_truncation(&devnet4_case());
}

/// Appended bytes land in the chain-value list: a whole number of extra digests is `HashCount { v, v + k }`,
/// anything else `Length { "signature", n, n + extra }`.
fn check_trailing<I: Instance>(case: &Case<I>) {
    let (n, v) = (I::SIGNATURE_BYTES, I::DIMENSION);
    for (extra, expected) in [
        (1, length("signature", n, n + 1)),
        (31, length("signature", n, n + 31)),
        (32, DecodeError::HashCount { expected: v, got: v + 1 }),
        (33, length("signature", n, n + 33)),
        (64, DecodeError::HashCount { expected: v, got: v + 2 }),
    ] {
        for fill in [0x00, 0xff] {
            let mut bytes = case.sig.clone();
            bytes.resize(n + extra, fill);
            expect_sig_err(case, &bytes, expected.clone());
        }
    }
}

#[test]
fn signature_trailing_bytes_test_instance() {
    check_trailing(&test_case());
}

#[test]
fn signature_trailing_bytes_devnet4() {
    check_trailing(&devnet4_case());
}

/// `off_path != 36`, `off_hashes` unaligned / below 40 / past the end, siblings offset `!= 4`:
/// each `Offset { what, expected, got }`. An aligned `off_hashes` at the wrong place is a path-length error
/// (`signature_path_length_*`).
fn check_offsets<I: Instance>(case: &Case<I>) {
    let n = I::SIGNATURE_BYTES;
    let h_at = hashes_at::<I>();
    for got in [0, 4, 35, 37, 40, 0x0100_0024, u32::MAX] {
        let mut bytes = case.sig.clone();
        set_word(&mut bytes, 0, got);
        expect_sig_err(case, &bytes, offset("signature.path", 36, u64::from(got)));
    }
    for got in
        [0, 36, 39, h_at as u32 - 1, h_at as u32 + 1, h_at as u32 + 31, n as u32 + 1, n as u32 + 32, u32::MAX]
    {
        let mut bytes = case.sig.clone();
        set_word(&mut bytes, 32, got);
        expect_sig_err(case, &bytes, offset("signature.hashes", h_at, u64::from(got)));
    }
    for got in [0, 3, 5, 8, 36, 40, u32::MAX] {
        let mut bytes = case.sig.clone();
        set_word(&mut bytes, 36, got);
        expect_sig_err(case, &bytes, offset("signature.path.siblings", 4, u64::from(got)));
    }
}

#[test]
fn signature_bad_offsets_test_instance() {
    check_offsets(&test_case());
}

#[test]
fn signature_bad_offsets_devnet4() {
    check_offsets(&devnet4_case());
}

/// A word `>= p` in rho, a co-path sibling or a chain value: `NonCanonicalFieldElement` naming the item and
/// the element's index within it (siblings and chain values are numbered across digests, 8 per digest).
fn check_non_canonical_signature<I: Instance>(case: &Case<I>) {
    let h_at = hashes_at::<I>();
    let regions: [(&'static str, usize, usize); 3] = [
        ("signature.rho", 4, 7),
        ("signature.path.siblings", 40, 8 * I::LOG_LIFETIME as usize),
        ("signature.hashes", h_at, 8 * I::DIMENSION),
    ];
    for (what, start, words) in regions {
        for index in 0..words {
            let at = start + 4 * index;
            for value in non_canonical(word(&case.sig, at)) {
                let mut bytes = case.sig.clone();
                set_word(&mut bytes, at, value);
                expect_sig_err(case, &bytes, nc(what, index, value));
            }
        }
    }
    // p - 1 is canonical: it decodes (and re-encodes to itself) but no longer verifies.
    let mut bytes = case.sig.clone();
    set_word(&mut bytes, h_at, P - 1);
    if bytes != case.sig {
        let sig = Signature::<I>::from_bytes(&bytes).unwrap();
        assert_eq!(sig.to_bytes(), bytes);
        assert!(is_cryptographic_rejection(&case.pk.verify(case.epoch, &case.message, &sig).unwrap_err()));
    }
}

#[test]
fn signature_non_canonical_words_test_instance() {
    check_non_canonical_signature(&test_case());
}

#[test]
fn signature_non_canonical_words_devnet4() {
    check_non_canonical_signature(&devnet4_case());
}

/// A co-path one sibling short or long, with every offset consistent: `PathLength { h, h ∓ 1 }`. So is an
/// aligned `off_hashes` at another sibling boundary on the unchanged bytes.
fn check_path_length<I: Instance>(case: &Case<I>) {
    let h = I::LOG_LIFETIME as usize;
    let h_at = hashes_at::<I>();
    // One sibling fewer: drop the last sibling, move off_hashes back by 32.
    let mut short = case.sig[..h_at - 32].to_vec();
    short.extend_from_slice(&case.sig[h_at..]);
    set_word(&mut short, 32, (h_at - 32) as u32);
    expect_sig_err(case, &short, DecodeError::PathLength { expected: h, got: h - 1 });
    // One sibling more: repeat the first sibling, move off_hashes forward by 32.
    let mut long = case.sig[..h_at].to_vec();
    long.extend_from_slice(&case.sig[40..72]);
    long.extend_from_slice(&case.sig[h_at..]);
    set_word(&mut long, 32, (h_at + 32) as u32);
    expect_sig_err(case, &long, DecodeError::PathLength { expected: h, got: h + 1 });
    // No sibling at all.
    let mut empty = case.sig[..40].to_vec();
    empty.extend_from_slice(&case.sig[h_at..]);
    set_word(&mut empty, 32, 40);
    expect_sig_err(case, &empty, DecodeError::PathLength { expected: h, got: 0 });
    // Aligned off_hashes elsewhere on the original bytes (the path length is checked before the chain count).
    for k in [0, 1, h - 1, h + 1, h + 2] {
        let mut bytes = case.sig.clone();
        set_word(&mut bytes, 32, (40 + 32 * k) as u32);
        expect_sig_err(case, &bytes, DecodeError::PathLength { expected: h, got: k });
    }
}

#[test]
fn signature_path_length_test_instance() {
    check_path_length(&test_case());
}

#[test]
fn signature_path_length_devnet4() {
    check_path_length(&devnet4_case());
}

/// Chain values removed or added (offsets unchanged, whole digests): `HashCount { v, got }`.
fn check_hash_count<I: Instance>(case: &Case<I>) {
    let (n, v, h_at) = (I::SIGNATURE_BYTES, I::DIMENSION, hashes_at::<I>());
    expect_sig_err(case, &case.sig[..h_at], DecodeError::HashCount { expected: v, got: 0 });
    expect_sig_err(case, &case.sig[..n - 32], DecodeError::HashCount { expected: v, got: v - 1 });
    let mut more = case.sig.clone();
    more.extend_from_slice(&case.sig[h_at..h_at + 32]);
    expect_sig_err(case, &more, DecodeError::HashCount { expected: v, got: v + 1 });
    let mut double = case.sig.clone();
    double.extend_from_slice(&case.sig[h_at..]);
    expect_sig_err(case, &double, DecodeError::HashCount { expected: v, got: 2 * v });
}

#[test]
fn signature_hash_count_test_instance() {
    check_hash_count(&test_case());
}

#[test]
fn signature_hash_count_devnet4() {
    check_hash_count(&devnet4_case());
}

/// The Devnet 4 signature is not a TestInstance signature and vice versa (offsets and lengths differ).
#[test]
fn signature_of_the_other_instance() {
    let (t, d) = (test_case(), devnet4_case());
    // Each reads the other's off_hashes as an aligned offset: a co-path of the other instance's depth.
    assert_eq!(
        Signature::<T>::from_bytes(&d.sig).err(),
        Some(DecodeError::PathLength { expected: 8, got: 32 })
    );
    assert_eq!(
        Signature::<Devnet4>::from_bytes(&t.sig).err(),
        Some(DecodeError::PathLength { expected: 32, got: 8 })
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Public key
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn public_key_wrong_length() {
    let pk = test_case().pk.to_bytes();
    let pk4 = devnet4_case().pk.to_bytes();
    for len in [0, 1, 32, 51] {
        assert_eq!(PublicKey::<T>::from_bytes(&pk[..len]).err(), Some(length("public key", 52, len)));
        assert_eq!(PublicKey::<Devnet4>::from_bytes(&pk4[..len]).err(), Some(length("public key", 52, len)));
    }
    for extra in [1, 32, 52] {
        let mut long = pk.clone();
        long.resize(52 + extra, 0);
        assert_eq!(PublicKey::<T>::from_bytes(&long).err(), Some(length("public key", 52, 52 + extra)));
        let mut long = pk4.clone();
        long.resize(52 + extra, 0);
        assert_eq!(PublicKey::<Devnet4>::from_bytes(&long).err(), Some(length("public key", 52, 52 + extra)));
    }
}

fn check_non_canonical_public_key<I: Instance>(pk: &PublicKey<I>) {
    let good = pk.to_bytes();
    for (what, start, words) in [("public_key.root", 0, 8), ("public_key.parameter", 32, 5)] {
        for index in 0..words {
            let at = start + 4 * index;
            for value in non_canonical(word(&good, at)) {
                let mut bytes = good.clone();
                set_word(&mut bytes, at, value);
                assert_eq!(PublicKey::<I>::from_bytes(&bytes).err(), Some(nc(what, index, value)));
            }
        }
    }
}

#[test]
fn public_key_non_canonical_words() {
    check_non_canonical_public_key(&test_case().pk);
    check_non_canonical_public_key(&devnet4_case().pk);
}

// ---------------------------------------------------------------------------------------------------------------
// Verification: epoch range, message length, wrong epoch / message / key
// ---------------------------------------------------------------------------------------------------------------

fn check_epoch_out_of_range<I: Instance>(case: &Case<I>) {
    let sig = Signature::<I>::from_bytes(&case.sig).unwrap();
    for epoch in [I::LIFETIME, I::LIFETIME + 1, I::LIFETIME + case.epoch, u64::MAX] {
        let expected = VerifyError::EpochOutOfRange { epoch, log_lifetime: I::LOG_LIFETIME };
        assert_eq!(case.pk.verify(epoch, &case.message, &sig), Err(expected.clone()));
        assert_eq!(case.pk.verify_bytes(epoch, &case.message, &case.sig), Err(expected));
    }
}

#[test]
fn verify_epoch_out_of_range() {
    check_epoch_out_of_range(&test_case());
    check_epoch_out_of_range(&devnet4_case());
}

fn check_message_length<I: Instance>(case: &Case<I>) {
    for len in [0, 1, 31, 33, 64] {
        let message = vec![0x5a; len];
        assert_eq!(
            case.pk.verify_bytes(case.epoch, &message, &case.sig),
            Err(VerifyError::MessageLength(len))
        );
        // The message length is checked first: bad signature bytes do not change the answer.
        assert_eq!(case.pk.verify_bytes(case.epoch, &message, &[]), Err(VerifyError::MessageLength(len)));
    }
    // A 32-byte prefix of a longer message is not the message.
    let mut long = case.message.to_vec();
    long.push(0);
    assert_eq!(case.pk.verify_bytes(case.epoch, &long, &case.sig), Err(VerifyError::MessageLength(33)));
}

#[test]
fn verify_bytes_message_length() {
    check_message_length(&test_case());
    check_message_length(&devnet4_case());
}

fn check_wrong_epoch_and_message<I: Instance>(case: &Case<I>) {
    let sig = Signature::<I>::from_bytes(&case.sig).unwrap();
    let e = case.epoch;
    let epochs = [e ^ 1, e + 1, e.wrapping_sub(1), e ^ 0x10, e ^ 0x100, 0, I::LIFETIME - 1];
    for epoch in epochs.into_iter().filter(|&x| x != e && x < I::LIFETIME) {
        let err = case.pk.verify(epoch, &case.message, &sig).unwrap_err();
        assert!(is_cryptographic_rejection(&err), "epoch {epoch}: {err:?}");
    }
    for i in 0..32 {
        let mut message = case.message;
        message[i] ^= 1 << (i % 8);
        if codeword_of(&case.pk, e, sig.rho(), &message) == codeword_of(&case.pk, e, sig.rho(), &case.message)
        {
            assert_eq!(case.pk.verify(e, &message, &sig), Ok(()), "same codeword, message byte {i}");
            continue;
        }
        let err = case.pk.verify(e, &message, &sig).unwrap_err();
        assert!(is_cryptographic_rejection(&err), "message byte {i}: {err:?}");
        let err = case.pk.verify_bytes(e, &message, &case.sig).unwrap_err();
        assert!(is_cryptographic_rejection(&err), "message byte {i}: {err:?}");
    }
}

#[test]
fn wrong_epoch_or_message_test_instance() {
    check_wrong_epoch_and_message(&test_case());
}

#[test]
fn wrong_epoch_or_message_devnet4() {
    for case in devnet4_cases() {
        check_wrong_epoch_and_message(&case);
    }
}

/// Another key's signature: RootMismatch or Encoding. A public key that differs only in its root (same
/// parameter, hence the same codeword) must give exactly RootMismatch.
#[test]
fn wrong_public_key() {
    let case = test_case();
    let sig = Signature::<T>::from_bytes(&case.sig).unwrap();
    for seed in 2..6 {
        let (_, other) = SecretKey::<T>::from_seed(&[seed; 32], 64, 64).unwrap();
        let err = other.verify(case.epoch, &case.message, &sig).unwrap_err();
        assert!(is_cryptographic_rejection(&err), "seed {seed}: {err:?}");
    }
    // A signature of another key at the same epoch and message, under our key.
    let (other_sk, _) = SecretKey::<T>::from_seed(&[9; 32], 64, 64).unwrap();
    let other_sig = other_sk.sign_raw(case.epoch, &case.message).unwrap();
    assert!(is_cryptographic_rejection(&case.pk.verify(case.epoch, &case.message, &other_sig).unwrap_err()));

    {
        let d = devnet4_case();
        let sig = Signature::<Devnet4>::from_bytes(&d.sig).unwrap();
        let mut bytes = d.pk.to_bytes();
        bump_word(&mut bytes, 0);
        let root_changed = PublicKey::<Devnet4>::from_bytes(&bytes).unwrap();
        assert_eq!(root_changed.verify(d.epoch, &d.message, &sig), Err(VerifyError::RootMismatch));
        let mut bytes = d.pk.to_bytes();
        bump_word(&mut bytes, 32);
        let parameter_changed = PublicKey::<Devnet4>::from_bytes(&bytes).unwrap();
        let err = parameter_changed.verify(d.epoch, &d.message, &sig).unwrap_err();
        assert!(is_cryptographic_rejection(&err), "{err:?}");
    }
    let mut bytes = case.pk.to_bytes();
    bump_word(&mut bytes, 28);
    let root_changed = PublicKey::<T>::from_bytes(&bytes).unwrap();
    assert_eq!(root_changed.verify(case.epoch, &case.message, &sig), Err(VerifyError::RootMismatch));
}

// ---------------------------------------------------------------------------------------------------------------
// Signing, advancing, key generation
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn sign_outside_activation() {
    let (sk, _) = SecretKey::<T>::from_seed(&[1; 32], 64, 64).unwrap();
    assert_eq!(sk.activation(), 64..128);
    for epoch in [0, 63, 128, 255, 256, u64::MAX] {
        assert_eq!(
            sk.sign_raw(epoch, &[0; 32]).err(),
            Some(SignError::OutsideActivation { epoch, start: 64, end: 128 }),
            "epoch {epoch}"
        );
    }
}

#[test]
fn sign_not_prepared() {
    let (mut sk, _) = SecretKey::<T>::from_seed(&[1; 32], 64, 64).unwrap();
    assert_eq!(sk.prepared(), 64..96);
    for epoch in [96, 100, 127] {
        assert_eq!(
            sk.sign_raw(epoch, &[0; 32]).err(),
            Some(SignError::NotPrepared { epoch, start: 64, end: 96 })
        );
    }
    sk.advance().unwrap();
    assert_eq!(sk.prepared(), 80..112);
    for epoch in [64, 79, 112] {
        assert_eq!(
            sk.sign_raw(epoch, &[0; 32]).err(),
            Some(SignError::NotPrepared { epoch, start: 80, end: 112 })
        );
    }
    sk.sign_raw(80, &[0; 32]).unwrap();
}

#[test]
fn advance_past_activation_end() {
    let (mut sk, _) = SecretKey::<T>::from_seed(&[1; 32], 64, 64).unwrap();
    assert!(sk.can_advance());
    sk.advance().unwrap();
    sk.advance().unwrap();
    assert_eq!(sk.prepared(), 96..128);
    assert!(!sk.can_advance());
    assert_eq!(sk.advance(), Err(KeyError::ActivationExhausted { end: 128 }));
    assert_eq!(sk.prepare_next().err(), Some(KeyError::ActivationExhausted { end: 128 }));
    // The failed advance left the key unchanged and usable.
    assert_eq!(sk.prepared(), 96..128);
    sk.sign_raw(127, &[0; 32]).unwrap();
    // A minimal key (two bottom trees) is exhausted from the start.
    let (mut sk, _) = SecretKey::<T>::from_seed(&[1; 32], 0, 1).unwrap();
    assert_eq!(sk.activation(), 0..32);
    assert_eq!(sk.advance(), Err(KeyError::ActivationExhausted { end: 32 }));
}

#[test]
fn keygen_empty_activation() {
    for start in [0, 17, 255] {
        assert_eq!(SecretKey::<T>::from_seed(&[1; 32], start, 0).err(), Some(KeyError::EmptyActivation));
    }
    // Devnet 4 fails before any hashing.
    assert_eq!(SecretKey::<Devnet4>::from_seed(&[1; 32], 0, 0).err(), Some(KeyError::EmptyActivation));
}

#[test]
fn keygen_beyond_lifetime() {
    let beyond = |start, end, lifetime| Some(KeyError::ActivationBeyondLifetime { start, end, lifetime });
    assert_eq!(SecretKey::<T>::from_seed(&[1; 32], 250, 7).err(), beyond(250, 257, 256));
    assert_eq!(SecretKey::<T>::from_seed(&[1; 32], 0, 257).err(), beyond(0, 257, 256));
    assert_eq!(SecretKey::<T>::from_seed(&[1; 32], 256, 1).err(), beyond(256, 257, 256));
    // An out-of-range start with an empty count is still beyond the lifetime (checked first).
    assert_eq!(SecretKey::<T>::from_seed(&[1; 32], 300, 0).err(), beyond(300, 300, 256));
    // Overflowing ranges saturate in the report.
    assert_eq!(SecretKey::<T>::from_seed(&[1; 32], u64::MAX, 2).err(), beyond(u64::MAX, u64::MAX, 256));
    assert_eq!(SecretKey::<T>::from_seed(&[1; 32], 1, u64::MAX).err(), beyond(1, u64::MAX, 256));
    let l4 = 1u64 << 32;
    assert_eq!(SecretKey::<Devnet4>::from_seed(&[1; 32], l4, 1).err(), beyond(l4, l4 + 1, l4));
    assert_eq!(SecretKey::<Devnet4>::from_seed(&[1; 32], l4 - 1, 2).err(), beyond(l4 - 1, l4 + 1, l4));
}

// ---------------------------------------------------------------------------------------------------------------
// Secret key bytes
// ---------------------------------------------------------------------------------------------------------------

/// A parsed secret key, for building structurally altered but SSZ-consistent encodings.
#[derive(Clone, Debug, PartialEq)]
struct RawLayer {
    start: u64,
    nodes: Vec<[u8; 32]>,
}

#[derive(Clone, Debug, PartialEq)]
struct RawTree {
    depth: u64,
    lowest: u64,
    layers: Vec<RawLayer>,
}

#[derive(Clone, Debug, PartialEq)]
struct RawSk {
    head: Vec<u8>, // prf_key ‖ parameter
    act_start: u64,
    act_len: u64,
    left_index: u64,
    top: RawTree,
    left: RawTree,
    right: RawTree,
}

fn parse_tree(b: &[u8]) -> RawTree {
    assert_eq!(word(b, 16), 20);
    let list = &b[20..];
    let count = word(list, 0) as usize / 4;
    let mut offsets: Vec<usize> = (0..count).map(|i| word(list, 4 * i) as usize).collect();
    offsets.push(list.len());
    let layers = offsets
        .windows(2)
        .map(|w| {
            let l = &list[w[0]..w[1]];
            assert_eq!(word(l, 8), 12);
            RawLayer {
                start: u64_at(l, 0),
                nodes: l[12..].chunks_exact(32).map(|c| c.try_into().unwrap()).collect(),
            }
        })
        .collect();
    RawTree { depth: u64_at(b, 0), lowest: u64_at(b, 8), layers }
}

fn encode_tree(t: &RawTree) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&t.depth.to_le_bytes());
    out.extend_from_slice(&t.lowest.to_le_bytes());
    out.extend_from_slice(&20u32.to_le_bytes());
    let mut offset = 4 * t.layers.len();
    for l in &t.layers {
        out.extend_from_slice(&(offset as u32).to_le_bytes());
        offset += 12 + 32 * l.nodes.len();
    }
    for l in &t.layers {
        out.extend_from_slice(&l.start.to_le_bytes());
        out.extend_from_slice(&12u32.to_le_bytes());
        l.nodes.iter().for_each(|n| out.extend_from_slice(n));
    }
    out
}

impl RawSk {
    fn parse(b: &[u8]) -> Self {
        let (off_left, off_right) = (word(b, 80) as usize, word(b, 84) as usize);
        assert_eq!(word(b, 68), 88);
        RawSk {
            head: b[..52].to_vec(),
            act_start: u64_at(b, 52),
            act_len: u64_at(b, 60),
            left_index: u64_at(b, 72),
            top: parse_tree(&b[88..off_left]),
            left: parse_tree(&b[off_left..off_right]),
            right: parse_tree(&b[off_right..]),
        }
    }

    fn encode(&self) -> Vec<u8> {
        let (top, left, right) = (encode_tree(&self.top), encode_tree(&self.left), encode_tree(&self.right));
        let mut out = self.head.clone();
        out.extend_from_slice(&self.act_start.to_le_bytes());
        out.extend_from_slice(&self.act_len.to_le_bytes());
        out.extend_from_slice(&88u32.to_le_bytes());
        out.extend_from_slice(&self.left_index.to_le_bytes());
        out.extend_from_slice(&((88 + top.len()) as u32).to_le_bytes());
        out.extend_from_slice(&((88 + top.len() + left.len()) as u32).to_le_bytes());
        out.extend_from_slice(&top);
        out.extend_from_slice(&left);
        out.extend_from_slice(&right);
        out
    }
}

/// A TestInstance key active on `[64, 128)` = bottom trees 4..8, window on trees 4 and 5.
fn sk_bytes() -> Vec<u8> {
    let (sk, _) = SecretKey::<T>::from_seed(&[3; 32], 64, 64).unwrap();
    let bytes = sk.to_bytes().to_vec();
    let raw = RawSk::parse(&bytes);
    assert_eq!(raw.encode(), bytes, "the test model of the secret key encoding is exact");
    assert_eq!((raw.act_start, raw.act_len, raw.left_index), (64, 64, 4));
    // Every top-tree layer is padded to an even start and an odd end, the root layer too (root ‖ padding).
    assert_eq!(
        raw.top.layers.iter().map(|l| (l.start, l.nodes.len())).collect::<Vec<_>>(),
        [(4, 4), (2, 2), (0, 2), (0, 2), (0, 2)]
    );
    bytes
}

fn sk_err(bytes: &[u8]) -> Option<DecodeError> {
    SecretKey::<T>::from_bytes(bytes).err()
}

const WHOLE_TREES: &str = "activation range is not whole bottom trees (at least two)";
const BEYOND: &str = "activation range exceeds the lifetime";
const WINDOW: &str = "prepared window lies outside the activation range";
const BOTTOM_SHAPE: &str = "bottom tree has the wrong shape";
const BOTTOM_LAYER: &str = "bottom tree layer is not where its index puts it";
const TOP_SHAPE: &str = "top tree has the wrong shape";
const TOP_COVER: &str = "top tree does not cover the activation range";

#[test]
fn secret_key_valid_baseline() {
    let bytes = sk_bytes();
    let sk = SecretKey::<T>::from_bytes(&bytes).unwrap();
    assert_eq!(*sk.to_bytes(), bytes);
    sk.check_consistency().unwrap();
}

/// Truncation: `Length` of the whole key below the 88-byte fixed part; beyond it, the offsets or the last
/// (right) tree report it, as listed.
#[test]
fn secret_key_truncated() {
    let b = sk_bytes();
    let n = b.len();
    let (off_left, off_right) = (word(&b, 80) as usize, word(&b, 84) as usize);
    for len in [0, 1, 52, 87] {
        assert_eq!(sk_err(&b[..len]), Some(length("secret key", 88, len)), "{len}");
    }
    // Fixed part only, or cut inside the top or left tree: off_right points past the end.
    for len in [88, 89, off_left, off_right - 1] {
        assert_eq!(sk_err(&b[..len]), Some(offset("secret_key.bottom_trees", 88, off_right as u64)), "{len}");
    }
    let right = "secret_key.right_bottom_tree";
    assert_eq!(sk_err(&b[..off_right]), Some(length(right, 20, 0)));
    assert_eq!(sk_err(&b[..off_right + 19]), Some(length(right, 20, 19)));
    // An empty layer list decodes to a tree with no layers.
    assert_eq!(sk_err(&b[..off_right + 20]), Some(DecodeError::SecretKey(BOTTOM_SHAPE)));
    assert_eq!(sk_err(&b[..off_right + 22]), Some(length(right, 4, 2)));
    // The first layer offset (20) points past the 4 bytes left.
    assert_eq!(sk_err(&b[..off_right + 24]), Some(offset(right, 4, 20)));
    // Cuts in the right tree's last layer (root: 12 bytes of header then one digest).
    assert_eq!(sk_err(&b[..n - 1]), Some(length(right, 32, 31)));
    assert_eq!(sk_err(&b[..n - 31]), Some(length(right, 32, 1)));
    assert_eq!(sk_err(&b[..n - 32]), Some(DecodeError::SecretKey(BOTTOM_LAYER)));
    assert_eq!(sk_err(&b[..n - 33]), Some(length(right, 12, 11)));
    assert_eq!(sk_err(&b[..n - 44]), Some(length(right, 12, 0)));
    // Every prefix is rejected.
    for len in 0..n {
        assert!(SecretKey::<T>::from_bytes(&b[..len]).is_err(), "prefix of {len} bytes decoded");
    }
}

#[test]
fn secret_key_trailing_bytes() {
    let b = sk_bytes();
    let right = "secret_key.right_bottom_tree";
    // Appended bytes extend the right tree's root layer (one digest): a partial digest is a `Length` error
    // (expected = rounded up to whole digests), a whole one a second root node.
    for (extra, expected) in [
        (1, length(right, 64, 33)),
        (31, length(right, 64, 63)),
        (32, DecodeError::SecretKey(BOTTOM_LAYER)),
        (33, length(right, 96, 65)),
        (64, DecodeError::SecretKey(BOTTOM_LAYER)),
    ] {
        let mut bytes = b.clone();
        bytes.resize(b.len() + extra, 0);
        assert_eq!(sk_err(&bytes), Some(expected), "+{extra}");
    }
}

#[test]
fn secret_key_bad_offsets() {
    let b = sk_bytes();
    let (off_left, off_right) = (word(&b, 80), word(&b, 84));
    let n = b.len() as u32;
    let at = |pos: usize, value: u32| {
        let mut bytes = b.clone();
        set_word(&mut bytes, pos, value);
        sk_err(&bytes)
    };
    let (top, left) = ("secret_key.top_tree", "secret_key.left_bottom_tree");
    for got in [0, 84, 87, 89, 92, u32::MAX] {
        assert_eq!(at(68, got), Some(offset(top, 88, u64::from(got))));
    }
    // off_left before the top tree, off_right before off_left or past the end: the larger of the two is reported.
    assert_eq!(at(80, 87), Some(offset("secret_key.bottom_trees", 88, u64::from(off_right))));
    assert_eq!(at(80, off_right + 1), Some(offset("secret_key.bottom_trees", 88, u64::from(off_right + 1))));
    assert_eq!(at(84, off_left - 1), Some(offset("secret_key.bottom_trees", 88, u64::from(off_left))));
    assert_eq!(at(84, n + 1), Some(offset("secret_key.bottom_trees", 88, u64::from(n + 1))));
    assert_eq!(at(84, u32::MAX), Some(offset("secret_key.bottom_trees", 88, u64::from(u32::MAX))));
    // off_left 4 bytes late: the top tree's root layer (two digests) holds 68 bytes.
    assert_eq!(at(80, off_left + 4), Some(length(top, 96, 68)));
    // HashSubTree.off != 20 (top tree at 88, left tree at off_left).
    assert_eq!(at(88 + 16, 24), Some(offset(top, 20, 24)));
    assert_eq!(at(off_left as usize + 16, 0), Some(offset(left, 20, 0)));
    // Layer-list offsets: the first must be a non-zero multiple of 4 within the list; the rest non-decreasing.
    assert_eq!(at(88 + 20, 21), Some(offset(top, 4, 21)));
    assert_eq!(at(88 + 20, 0), Some(offset(top, 4, 0)));
    assert_eq!(at(88 + 20, off_left - 88 - 20 + 4), Some(offset(top, 4, u64::from(off_left - 88 - 20 + 4))));
    assert_eq!(at(88 + 24, 19), Some(offset(top, 20, 19)));
    // HashTreeLayer.off != 12 (top tree's first layer starts 20 bytes into its list).
    assert_eq!(at(88 + 20 + 20 + 8, 16), Some(offset(top, 12, 16)));
    assert_eq!(at(off_left as usize + 20 + 20 + 8, 0), Some(offset(left, 12, 0)));
}

#[test]
fn secret_key_non_canonical_words() {
    let b = sk_bytes();
    for index in 0..5 {
        let at = 32 + 4 * index;
        for value in non_canonical(word(&b, at)) {
            let mut bytes = b.clone();
            set_word(&mut bytes, at, value);
            assert_eq!(sk_err(&bytes), Some(nc("secret_key.parameter", index, value)));
        }
    }
    // Tree nodes: the index counts elements within the layer (8 per node).
    let raw = RawSk::parse(&b);
    for (tree, what) in
        [(0, "secret_key.top_tree"), (1, "secret_key.left_bottom_tree"), (2, "secret_key.right_bottom_tree")]
    {
        for (layer, node, element) in [(0, 0, 0), (1, 1, 3), (2, 1, 7)] {
            let mut r = raw.clone();
            let t = match tree {
                0 => &mut r.top,
                1 => &mut r.left,
                _ => &mut r.right,
            };
            t.layers[layer].nodes[node][4 * element..4 * element + 4].copy_from_slice(&P.to_le_bytes());
            assert_eq!(sk_err(&r.encode()), Some(nc(what, 8 * node + element, P)));
        }
    }
}

#[test]
fn secret_key_activation_not_aligned() {
    let b = sk_bytes();
    let with = |start: u64, len: u64| {
        let mut bytes = b.clone();
        set_u64(&mut bytes, 52, start);
        set_u64(&mut bytes, 60, len);
        sk_err(&bytes)
    };
    // Start or length not a multiple of 16, or fewer than two bottom trees.
    for (start, len) in [(65, 64), (63, 64), (64, 63), (64, 65), (64, 16), (64, 0), (72, 48)] {
        assert_eq!(with(start, len), Some(DecodeError::SecretKey(WHOLE_TREES)), "[{start}, +{len})");
    }
    // Past the lifetime, including an overflowing end.
    for (start, len) in [(224, 64), (64, 256), (0, 272), (u64::MAX, 64), (64, u64::MAX)] {
        assert_eq!(with(start, len), Some(DecodeError::SecretKey(BEYOND)), "[{start}, +{len})");
    }
}

#[test]
fn secret_key_window_outside_activation() {
    let b = sk_bytes();
    // Activation is trees 4..8: the left index must lie in 4..=6.
    for left_index in [0, 3, 7, 8, 16, 1 << 40] {
        let mut bytes = b.clone();
        set_u64(&mut bytes, 72, left_index);
        assert_eq!(sk_err(&bytes), Some(DecodeError::SecretKey(WINDOW)), "left index {left_index}");
    }
    // Activation moved so that the window (trees 4, 5) is outside it.
    let mut bytes = b.clone();
    set_u64(&mut bytes, 52, 96);
    assert_eq!(sk_err(&bytes), Some(DecodeError::SecretKey(WINDOW)));
}

#[test]
fn secret_key_wrong_bottom_tree_start_index() {
    let b = sk_bytes();
    // Left index 5 is inside the activation, but the trees held are 4 and 5.
    let mut bytes = b.clone();
    set_u64(&mut bytes, 72, 5);
    assert_eq!(sk_err(&bytes), Some(DecodeError::SecretKey(BOTTOM_LAYER)));
    // A layer start moved in either tree.
    let raw = RawSk::parse(&b);
    for (tree, layer, start) in [(1, 0, 0), (1, 0, 65), (1, 4, 5), (2, 0, 64), (2, 2, 19), (2, 4, 4)] {
        let mut r = raw.clone();
        [&mut r.left, &mut r.right][tree - 1].layers[layer].start = start;
        assert_eq!(sk_err(&r.encode()), Some(DecodeError::SecretKey(BOTTOM_LAYER)), "{tree}/{layer}/{start}");
    }
    // Left and right swapped.
    let mut r = raw.clone();
    core::mem::swap(&mut r.left, &mut r.right);
    assert_eq!(sk_err(&r.encode()), Some(DecodeError::SecretKey(BOTTOM_LAYER)));
}

#[test]
fn secret_key_truncated_tree_layer() {
    let raw = RawSk::parse(&sk_bytes());
    // A bottom-tree layer one node short (all offsets consistent).
    for (tree, layer) in [(1, 0), (1, 3), (2, 1), (2, 4)] {
        let mut r = raw.clone();
        [&mut r.left, &mut r.right][tree - 1].layers[layer].nodes.pop();
        assert_eq!(sk_err(&r.encode()), Some(DecodeError::SecretKey(BOTTOM_LAYER)), "{tree}/{layer}");
    }
    // A bottom tree missing its root layer, or with an extra layer.
    let mut r = raw.clone();
    r.left.layers.pop();
    assert_eq!(sk_err(&r.encode()), Some(DecodeError::SecretKey(BOTTOM_SHAPE)));
    let mut r = raw.clone();
    r.right.layers.push(RawLayer { start: 0, nodes: vec![[0; 32]] });
    assert_eq!(sk_err(&r.encode()), Some(DecodeError::SecretKey(BOTTOM_SHAPE)));
    // Wrong depth or lowest layer of a bottom tree.
    for (depth, lowest) in [(9, 0), (4, 0), (8, 1)] {
        let mut r = raw.clone();
        (r.left.depth, r.left.lowest) = (depth, lowest);
        assert_eq!(sk_err(&r.encode()), Some(DecodeError::SecretKey(BOTTOM_SHAPE)));
    }
    // Top tree: wrong depth / lowest layer / number of layers.
    for (depth, lowest, pop) in [(9, 4, false), (8, 0, false), (8, 3, false), (8, 4, true)] {
        let mut r = raw.clone();
        (r.top.depth, r.top.lowest) = (depth, lowest);
        if pop {
            r.top.layers.pop();
        }
        assert_eq!(sk_err(&r.encode()), Some(DecodeError::SecretKey(TOP_SHAPE)));
    }
    // Top tree layers that no longer cover the active bottom roots (4..8) and their siblings.
    let mut r = raw.clone();
    r.top.layers[0].nodes.pop();
    assert_eq!(sk_err(&r.encode()), Some(DecodeError::SecretKey(TOP_COVER)));
    let mut r = raw.clone();
    r.top.layers[0].start = 6;
    assert_eq!(sk_err(&r.encode()), Some(DecodeError::SecretKey(TOP_COVER)));
    let mut r = raw.clone();
    r.top.layers[1].nodes.remove(0);
    r.top.layers[1].start = 3;
    assert_eq!(sk_err(&r.encode()), Some(DecodeError::SecretKey(TOP_COVER)));
    let mut r = raw.clone();
    r.top.layers[4].start = 1;
    assert_eq!(sk_err(&r.encode()), Some(DecodeError::SecretKey(TOP_COVER)));
    let mut r = raw.clone();
    r.top.layers[4].nodes.clear();
    assert_eq!(sk_err(&r.encode()), Some(DecodeError::SecretKey(TOP_COVER)));
    // Consistency is not a decoding matter: a changed node decodes, and check_consistency catches it.
    let mut r = raw.clone();
    r.left.layers[2].nodes[1][0] ^= 1;
    let sk = SecretKey::<T>::from_bytes(&r.encode()).unwrap();
    assert!(sk.check_consistency().is_err());
}

/// A left bottom-tree index near `u64::MAX` must be rejected as a window outside the activation range.
///
/// Regression: `check_structure` once computed `left_index + 2` unchecked, which panicked with overflow
/// checks on and, without them, wrapped and let the window check pass.
#[test]
fn secret_key_left_index_overflow() {
    let b = sk_bytes();
    for left_index in [u64::MAX, u64::MAX - 1] {
        let mut bytes = b.clone();
        set_u64(&mut bytes, 72, left_index);
        let result = std::panic::catch_unwind(|| sk_err(&bytes));
        assert_eq!(result.ok(), Some(Some(DecodeError::SecretKey(WINDOW))), "left index {left_index:#x}");
    }
}

/// Regression companion: a key whose layer starts match the wrapped products `u64::MAX · 16 >> k` and `0`
/// was once accepted with `left_index = u64::MAX` when arithmetic wrapped.
#[test]
fn secret_key_left_index_wrapping_key_is_rejected() {
    let mut r = RawSk::parse(&sk_bytes());
    r.left_index = u64::MAX;
    for (k, layer) in r.left.layers.iter_mut().enumerate() {
        layer.start = u64::MAX.wrapping_mul(16 >> k);
    }
    for layer in &mut r.right.layers {
        layer.start = 0;
    }
    let bytes = r.encode();
    let result = std::panic::catch_unwind(|| sk_err(&bytes));
    assert_eq!(result.ok(), Some(Some(DecodeError::SecretKey(WINDOW))));
}

#[test]
fn secret_key_debug_hides_prf_key() {
    let (sk, _) = SecretKey::<T>::from_seed(&[3; 32], 64, 64).unwrap();
    let prf = sk.to_bytes()[..32].to_vec();
    let lower = hex::encode(&prf);
    let upper = hex::encode_upper(&prf);
    let list = format!("{prf:?}");
    let list_trimmed = list.trim_start_matches('[').trim_end_matches(']');
    for debug in [format!("{sk:?}"), format!("{sk:#?}")] {
        assert!(!debug.contains(&lower) && !debug.contains(&upper), "{debug}");
        assert!(!debug.contains(list_trimmed), "{debug}");
        // Nor any 4-byte window of it, in hex.
        for w in prf.windows(4) {
            assert!(!debug.contains(&hex::encode(w)), "{debug}");
        }
        assert!(debug.contains("SecretKey"));
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Tampering
// ---------------------------------------------------------------------------------------------------------------

/// Checks a signature with one bit flipped at byte `i`: verification fails; decoding fails exactly when the
/// flip hit one of the three offsets or pushed its (4-byte aligned) word to p or above, and the error is
/// then that decode error; otherwise the error is cryptographic. (The one exception allowed is a flip in rho
/// that keeps the codeword, see [`codeword_of`]; it does not occur for the samples used.)
#[track_caller]
fn expect_tampered_rejected<I: Instance>(case: &Case<I>, bytes: &[u8], i: usize, what: &str) {
    let decoded = Signature::<I>::from_bytes(bytes);
    let w_at = i / 4 * 4;
    let should_decode = ![0, 32, 36].contains(&w_at) && word(bytes, w_at) < P;
    assert_eq!(decoded.is_ok(), should_decode, "{what}: {decoded:?}");
    let err = case.pk.verify_bytes(case.epoch, &case.message, bytes).expect_err(what);
    match decoded {
        Err(e) => assert_eq!(err, VerifyError::Decode(e), "{what}"),
        Ok(sig) => {
            assert_eq!(sig.to_bytes(), bytes, "{what}: decoded but not canonical");
            assert!(is_cryptographic_rejection(&err), "{what}: {err:?}");
        }
    }
}

/// The exception of [`expect_tampered_rejected`]: true if the flip at byte `i` is in rho and leaves the
/// codeword unchanged (the signature is then still valid, which is checked).
fn rho_flip_keeps_codeword<I: Instance>(case: &Case<I>, bytes: &[u8], i: usize) -> bool {
    if !(4..32).contains(&i) {
        return false;
    }
    let (Ok(orig), Ok(flipped)) = (Signature::<I>::from_bytes(&case.sig), Signature::<I>::from_bytes(bytes))
    else {
        return false;
    };
    let kept = codeword_of(&case.pk, case.epoch, flipped.rho(), &case.message)
        == codeword_of(&case.pk, case.epoch, orig.rho(), &case.message);
    if kept {
        assert_eq!(case.pk.verify(case.epoch, &case.message, &flipped), Ok(()));
    }
    kept
}

#[test]
fn tamper_every_bit_of_a_test_instance_signature() {
    let case = test_case();
    for i in 0..case.sig.len() {
        for bit in 0..8 {
            let mut bytes = case.sig.clone();
            bytes[i] ^= 1 << bit;
            if !rho_flip_keeps_codeword(&case, &bytes, i) {
                expect_tampered_rejected(&case, &bytes, i, &format!("byte {i} bit {bit}"));
            }
        }
    }
}

#[test]
fn tamper_one_bit_of_every_byte_of_a_devnet4_signature() {
    let case = devnet4_case();
    for i in 0..case.sig.len() {
        let bit = (i * 5 + 3) % 8;
        let mut bytes = case.sig.clone();
        bytes[i] ^= 1 << bit;
        // With 46 chains a kept codeword is out of reach: no exception here.
        expect_tampered_rejected(&case, &bytes, i, &format!("byte {i} bit {bit}"));
    }
}

fn check_public_key_tamper<I: Instance>(case: &Case<I>) {
    let sig = Signature::<I>::from_bytes(&case.sig).unwrap();
    let good = case.pk.to_bytes();
    for i in 0..good.len() {
        for bit in 0..8 {
            let mut bytes = good.clone();
            bytes[i] ^= 1 << bit;
            let value = word(&bytes, i / 4 * 4);
            match PublicKey::<I>::from_bytes(&bytes) {
                Err(e) => {
                    let expected = if i < 32 {
                        nc("public_key.root", i / 4, value)
                    } else {
                        nc("public_key.parameter", i / 4 - 8, value)
                    };
                    assert_eq!(e, expected, "byte {i} bit {bit}");
                }
                Ok(pk) => {
                    assert!(value < P);
                    assert_eq!(pk.to_bytes(), bytes);
                    let err = pk.verify(case.epoch, &case.message, &sig).unwrap_err();
                    assert!(is_cryptographic_rejection(&err), "byte {i} bit {bit}: {err:?}");
                    // Root-only changes keep the codeword: exactly a root mismatch.
                    if i < 32 {
                        assert_eq!(err, VerifyError::RootMismatch, "byte {i} bit {bit}");
                    }
                }
            }
        }
    }
}

#[test]
fn tamper_every_bit_of_a_public_key() {
    check_public_key_tamper(&test_case());
    check_public_key_tamper(&devnet4_case());
}

#[test]
fn epoch_signature_epoch_beyond_lifetime() {
    let (sk, _) = SecretKey::<TestInstance>::from_seed(&[3; 32], 0, 64).unwrap();
    let sig = sk.sign_raw(5, &[1; 32]).unwrap();
    let mut bytes = ndvt_xmss::EpochSignature { epoch: 5, signature: sig }.to_bytes();
    bytes[..4].copy_from_slice(&256u32.to_le_bytes());
    assert_eq!(
        ndvt_xmss::EpochSignature::<TestInstance>::from_bytes(&bytes),
        Err(DecodeError::EpochOutOfRange { epoch: 256, log_lifetime: 8 })
    );
}
