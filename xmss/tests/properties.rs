//! Property tests: decoders never panic and accept only canonical bytes; sign / encode / decode / verify round
//! trips; single-byte mutations of valid encodings never panic and never decode to something else.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod vectors;

use ndvt_xmss::hazmat::RawSign;
use std::sync::LazyLock;

use ndvt_xmss::primitives::codeword;
use ndvt_xmss::{
    DecodeError, Devnet4, EpochSignature, Instance, P, PublicKey, SecretKey, SignError, Signature,
    TestInstance, VerifyError,
};
use proptest::prelude::*;
use proptest::sample::Index;

type T = TestInstance;

fn config(cases: u32) -> ProptestConfig {
    // No regression files: this suite must not write into the repository.
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

/// Two TestInstance keys: one active over the whole lifetime (window `[0, 32)`), one active on `[32, 192)`
/// advanced three times (window `[80, 112)`, signing through a different part of the top tree).
static KEYS: LazyLock<Vec<(SecretKey<T>, PublicKey<T>)>> = LazyLock::new(|| {
    let fresh = SecretKey::<T>::from_seed(&[11; 32], 0, 256).unwrap();
    let (mut sk, pk) = SecretKey::<T>::from_seed(&[12; 32], 40, 150).unwrap();
    assert_eq!(sk.activation(), 32..192);
    for _ in 0..3 {
        sk.advance().unwrap();
    }
    assert_eq!(sk.prepared(), 80..112);
    vec![fresh, (sk, pk)]
});

/// A valid encoding of each kind, with what verifies it.
struct Samples {
    test_epoch: u64,
    test_message: [u8; 32],
    test_sig: Vec<u8>,
    test_pk: PublicKey<T>,
    test_sk: Vec<u8>,
    d4_epoch: u64,
    d4_message: [u8; 32],
    d4_sig: Vec<u8>,
    d4_pk: PublicKey<Devnet4>,
}

static SAMPLES: LazyLock<Samples> = LazyLock::new(|| {
    let (sk, pk) = &KEYS[0];
    let (test_epoch, test_message) = (5, [0xc3; 32]);
    let test_sig = sk.sign_raw(test_epoch, &test_message).unwrap().to_bytes();
    let (sk2, _) = SecretKey::<T>::from_seed(&[13; 32], 64, 64).unwrap();
    let v = vectors::json("leansig/leansig_prod_lifetime2_32.json");
    let key = &v["keys"][0];
    let s = &key["signatures"][3];
    let d4_pk = PublicKey::<Devnet4>::from_bytes(&vectors::bytes(&key["public_key"])).unwrap();
    let samples = Samples {
        test_epoch,
        test_message,
        test_sig,
        test_pk: *pk,
        test_sk: sk2.to_bytes().to_vec(),
        d4_epoch: s["epoch"].as_u64().unwrap(),
        d4_message: vectors::message(&s["message"]),
        d4_sig: vectors::bytes(&s["signature"]),
        d4_pk,
    };
    samples.test_pk.verify_bytes(samples.test_epoch, &samples.test_message, &samples.test_sig).unwrap();
    samples.d4_pk.verify_bytes(samples.d4_epoch, &samples.d4_message, &samples.d4_sig).unwrap();
    samples
});

fn cryptographic(e: &VerifyError) -> bool {
    matches!(e, VerifyError::RootMismatch | VerifyError::Encoding(_))
}

/// The codeword of (message, rho) at `epoch` under `pk`, if there is one.
///
/// TestInstance has 4 chains of base 8 and target sum 6: only 84 codewords, and two messages (or two rho)
/// share one with probability about 1/4096. A signature is then valid for both, by design of the scheme;
/// the properties below accept exactly that case and nothing else.
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

/// Decodes `bytes` with `decode`; if it succeeds, the value must re-encode to exactly `bytes`.
fn canonical<V, E>(
    bytes: &[u8],
    decode: impl Fn(&[u8]) -> Result<V, E>,
    encode: impl Fn(&V) -> Vec<u8>,
) -> Result<bool, TestCaseError> {
    match decode(bytes) {
        Ok(v) => {
            prop_assert_eq!(encode(&v), bytes.to_vec(), "decoded but not canonical");
            Ok(true)
        }
        Err(_) => Ok(false),
    }
}

/// Every decoder on `bytes`: no panic, and any success is canonical. Returns how many accepted.
fn all_decoders(bytes: &[u8]) -> Result<usize, TestCaseError> {
    let accepted = [
        canonical(bytes, Signature::<T>::from_bytes, Signature::to_bytes)?,
        canonical(bytes, Signature::<Devnet4>::from_bytes, Signature::to_bytes)?,
        canonical(bytes, PublicKey::<T>::from_bytes, PublicKey::to_bytes)?,
        canonical(bytes, PublicKey::<Devnet4>::from_bytes, PublicKey::to_bytes)?,
        canonical(bytes, SecretKey::<T>::from_bytes, |sk| sk.to_bytes().to_vec())?,
        canonical(bytes, EpochSignature::<T>::from_bytes, EpochSignature::to_bytes)?,
        canonical(bytes, EpochSignature::<Devnet4>::from_bytes, EpochSignature::to_bytes)?,
    ];
    Ok(accepted.into_iter().filter(|&a| a).count())
}

/// Signature-shaped bytes of instance `I` from `7 + 8 h + 8 v` words, with canonical offsets.
fn signature_bytes<I: Instance>(words: &[u32]) -> Vec<u8> {
    let h = I::LOG_LIFETIME as usize;
    let mut out = Vec::with_capacity(I::SIGNATURE_BYTES);
    out.extend_from_slice(&36u32.to_le_bytes());
    words[..7].iter().for_each(|w| out.extend_from_slice(&w.to_le_bytes()));
    out.extend_from_slice(&((40 + 32 * h) as u32).to_le_bytes());
    out.extend_from_slice(&4u32.to_le_bytes());
    words[7..].iter().for_each(|w| out.extend_from_slice(&w.to_le_bytes()));
    assert_eq!(out.len(), I::SIGNATURE_BYTES);
    out
}

fn words<I: Instance>() -> impl Strategy<Value = Vec<u32>> {
    prop::collection::vec(0..P, 7 + 8 * (I::LOG_LIFETIME as usize + I::DIMENSION))
}

/// Canonical offsets and words: decodes, round-trips, and (being random) does not verify. One word at or above
/// p: exactly `NonCanonicalFieldElement` naming that word.
fn check_shaped<I: Instance>(
    mut words: Vec<u32>,
    bad: Option<(Index, u32)>,
    pk: &PublicKey<I>,
    epoch: u64,
    message: &[u8; 32],
) -> Result<(), TestCaseError> {
    let h8 = 8 * I::LOG_LIFETIME as usize;
    match bad {
        None => {
            let bytes = signature_bytes::<I>(&words);
            let sig = Signature::<I>::from_bytes(&bytes).unwrap();
            prop_assert_eq!(sig.to_bytes(), bytes);
            prop_assert_eq!(sig.path().len(), I::LOG_LIFETIME as usize);
            prop_assert_eq!(sig.hashes().len(), I::DIMENSION);
            let err = pk.verify(epoch % I::LIFETIME, message, &sig).unwrap_err();
            prop_assert!(cryptographic(&err), "{:?}", err);
        }
        Some((at, value)) => {
            let k = at.index(words.len());
            words[k] = value;
            let (what, index) = if k < 7 {
                ("signature.rho", k)
            } else if k < 7 + h8 {
                ("signature.path.siblings", k - 7)
            } else {
                ("signature.hashes", k - 7 - h8)
            };
            let bytes = signature_bytes::<I>(&words);
            prop_assert_eq!(
                Signature::<I>::from_bytes(&bytes).err(),
                Some(DecodeError::NonCanonicalFieldElement { what, index, value })
            );
        }
    }
    Ok(())
}

/// Flips `delta` into byte `at` of `bytes`.
fn mutate(bytes: &[u8], at: Index, delta: u8) -> (usize, Vec<u8>) {
    let i = at.index(bytes.len());
    let mut out = bytes.to_vec();
    out[i] ^= delta;
    (i, out)
}

/// A mutated signature: no panic; if it decodes it re-encodes to the mutated bytes and does not verify,
/// unless only rho changed and the new rho gives the same codeword (see [`codeword_of`]).
fn check_mutated_signature<I: Instance>(
    original: &[u8],
    bytes: &[u8],
    pk: &PublicKey<I>,
    epoch: u64,
    message: &[u8; 32],
) -> Result<(), TestCaseError> {
    let result = pk.verify_bytes(epoch, message, bytes);
    match Signature::<I>::from_bytes(bytes) {
        Ok(sig) => {
            prop_assert_eq!(sig.to_bytes(), bytes.to_vec());
            let original = Signature::<I>::from_bytes(original).unwrap();
            let equivalent = sig.path() == original.path()
                && sig.hashes() == original.hashes()
                && codeword_of(pk, epoch, sig.rho(), message)
                    == codeword_of(pk, epoch, original.rho(), message);
            if equivalent {
                prop_assert_eq!(result, Ok(()));
            } else {
                let err = result.unwrap_err();
                prop_assert!(cryptographic(&err), "{:?}", err);
            }
        }
        Err(e) => prop_assert_eq!(result, Err(VerifyError::Decode(e))),
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(256))]

    /// Arbitrary bytes: no decoder panics, and any accepted input is the canonical encoding of what it decoded to.
    #[test]
    fn arbitrary_bytes_never_panic_and_accepted_bytes_are_canonical(
        bytes in prop::collection::vec(any::<u8>(), 0..3000)
    ) {
        all_decoders(&bytes)?;
    }

    /// Arbitrary bytes of exactly the sizes the decoders look for.
    #[test]
    fn arbitrary_bytes_of_the_expected_sizes(
        len in prop::sample::select(vec![0usize, 4, 40, 52, 88, 296, 424, 428, 1064, 2536, 2540]),
        seed in prop::collection::vec(any::<u8>(), 2540),
    ) {
        all_decoders(&seed[..len])?;
    }

    /// Random canonical words in a correctly framed TestInstance signature.
    #[test]
    fn shaped_test_instance_signatures(
        words in words::<T>(),
        bad in prop::option::of((any::<Index>(), P..=u32::MAX)),
        epoch in 0u64..256,
        message in any::<[u8; 32]>(),
    ) {
        check_shaped::<T>(words, bad, &SAMPLES.test_pk, epoch, &message)?;
    }

    /// Random canonical words in a correctly framed Devnet 4 signature.
    #[test]
    fn shaped_devnet4_signatures(
        words in words::<Devnet4>(),
        bad in prop::option::of((any::<Index>(), P..=u32::MAX)),
        epoch in any::<u32>(),
        message in any::<[u8; 32]>(),
    ) {
        check_shaped::<Devnet4>(words, bad, &SAMPLES.d4_pk, u64::from(epoch), &message)?;
    }

    /// One byte of a valid TestInstance signature changed.
    #[test]
    fn mutated_test_instance_signature(at in any::<Index>(), delta in 1u8..=255) {
        let s = &*SAMPLES;
        let (_, bytes) = mutate(&s.test_sig, at, delta);
        all_decoders(&bytes)?;
        check_mutated_signature(&s.test_sig, &bytes, &s.test_pk, s.test_epoch, &s.test_message)?;
    }

    /// One byte of a valid Devnet 4 signature changed.
    #[test]
    fn mutated_devnet4_signature(at in any::<Index>(), delta in 1u8..=255) {
        let s = &*SAMPLES;
        let (_, bytes) = mutate(&s.d4_sig, at, delta);
        all_decoders(&bytes)?;
        check_mutated_signature(&s.d4_sig, &bytes, &s.d4_pk, s.d4_epoch, &s.d4_message)?;
    }

    /// One byte of a valid public key changed: if it still decodes, the original signature no longer verifies.
    #[test]
    fn mutated_public_key(at in any::<Index>(), delta in 1u8..=255) {
        let s = &*SAMPLES;
        let (_, bytes) = mutate(&s.test_pk.to_bytes(), at, delta);
        all_decoders(&bytes)?;
        if let Ok(pk) = PublicKey::<T>::from_bytes(&bytes) {
            let err = pk.verify_bytes(s.test_epoch, &s.test_message, &s.test_sig).unwrap_err();
            prop_assert!(cryptographic(&err), "{:?}", err);
        }
        let (_, bytes) = mutate(&s.d4_pk.to_bytes(), at, delta);
        if let Ok(pk) = PublicKey::<Devnet4>::from_bytes(&bytes) {
            prop_assert_eq!(pk.to_bytes(), bytes);
            let err = pk.verify_bytes(s.d4_epoch, &s.d4_message, &s.d4_sig).unwrap_err();
            prop_assert!(cryptographic(&err), "{:?}", err);
        }
    }

    /// One byte of a valid secret key changed: no panic; if it decodes it re-encodes to the mutated bytes, and
    /// signing either fails with a typed error or yields a signature valid under the mutated key's public key.
    /// A changed PRF key always fails the self-check.
    #[test]
    fn mutated_secret_key(at in any::<Index>(), delta in 1u8..=255, k in 0u64..32, message in any::<[u8; 32]>()) {
        let s = &*SAMPLES;
        let (i, bytes) = mutate(&s.test_sk, at, delta);
        all_decoders(&bytes)?;
        if let Ok(sk) = SecretKey::<T>::from_bytes(&bytes) {
            prop_assert_eq!(sk.to_bytes().to_vec(), bytes);
            let epoch = sk.prepared().start + k;
            match sk.sign_raw(epoch, &message) {
                Ok(sig) => {
                    prop_assert!(i >= 32, "signed with a changed PRF key");
                    prop_assert!(sk.public_key().verify(epoch, &message, &sig).is_ok());
                }
                Err(e) => prop_assert!(
                    matches!(e, SignError::SelfCheck(_) | SignError::OutsideActivation { .. }),
                    "{:?}", e
                ),
            }
        }
    }
}

proptest! {
    #![proptest_config(config(64))]

    /// Sign at a prepared epoch; the bytes decode to the same signature, re-encode identically and verify; a
    /// different epoch does not verify, nor does a different message unless it has the same codeword under the
    /// signature's rho (probability ~1/4096 for TestInstance, see [`codeword_of`]).
    #[test]
    fn sign_encode_decode_verify_round_trip(
        key in 0usize..2,
        k in 0u64..32,
        message in any::<[u8; 32]>(),
        other in any::<[u8; 32]>(),
        other_epoch in 0u64..256,
    ) {
        let (sk, pk) = &KEYS[key];
        let epoch = sk.prepared().start + k;
        let sig = sk.sign_raw(epoch, &message).unwrap();
        let bytes = sig.to_bytes();
        prop_assert_eq!(bytes.len(), Signature::<T>::BYTES);
        let decoded = Signature::<T>::from_bytes(&bytes).unwrap();
        prop_assert_eq!(&decoded, &sig);
        prop_assert_eq!(decoded.to_bytes(), bytes.clone());
        prop_assert_eq!(pk.verify(epoch, &message, &decoded), Ok(()));
        prop_assert_eq!(pk.verify_bytes(epoch, &message, &bytes), Ok(()));
        // Signing is deterministic.
        prop_assert_eq!(sk.sign_raw(epoch, &message).unwrap(), sig.clone());
        // The epoch-tagged form round-trips too.
        let tagged = EpochSignature::<T> { epoch: epoch as u32, signature: sig };
        prop_assert_eq!(EpochSignature::<T>::from_bytes(&tagged.to_bytes()).unwrap(), tagged);
        if other != message {
            let same = codeword_of(pk, epoch, decoded.rho(), &other) == codeword_of(pk, epoch, decoded.rho(), &message);
            match pk.verify(epoch, &other, &decoded) {
                Ok(()) => prop_assert!(same, "a different message with a different codeword verified"),
                Err(err) => {
                    prop_assert!(!same, "same codeword but {:?}", err);
                    prop_assert!(cryptographic(&err), "{:?}", err);
                }
            }
        }
        if other_epoch != epoch {
            let err = pk.verify(other_epoch, &message, &decoded).unwrap_err();
            prop_assert!(cryptographic(&err), "{:?}", err);
        }
    }
}
