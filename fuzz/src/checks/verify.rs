//! Verification on arbitrary (public key, epoch, message, signature): the byte entry point, decode-then-
//! verify and the RustCrypto `Verifier` trait must give the same answer, and an accepted signature must be
//! one the fixture key really made at that epoch.
//!
//! Input: `pk choice ‖ epoch choice ‖ message choice ‖ signature choice ‖ …`; see [`verify`].

use ndvt_xmss::{Devnet4, EpochSignature, Instance, PublicKey, Signature, TestInstance, VerifyError};
use signature::Verifier;

use super::fixtures::{EPOCH, EPOCH2, FuzzScheme, MSG, MSG2, TestXmss, is_fixture_signature};
use super::input::Input;

fn fixture_keys() -> Vec<PublicKey<TestInstance>> {
    let w = TestXmss::world();
    core::iter::once(w.single).chain(w.group.members().iter().copied()).collect()
}

/// Fixture signatures: `[key][0]` on (EPOCH, MSG), `[key][1]` on (EPOCH2, MSG2), keys as in `fixture_keys`.
fn fixture_signature(key: usize, second: bool) -> &'static Signature<TestInstance> {
    let w = TestXmss::world();
    match (key, second) {
        (0, false) => &w.single_sig,
        (0, true) => &w.single_sig2,
        (k, false) => &w.member_sigs[k - 1],
        (k, true) => &w.member_sigs2[k - 1],
    }
}

/// The three ways to verify bytes must agree; returns their common answer.
fn verify_three_ways<I: Instance>(
    pk: &PublicKey<I>,
    epoch: u64,
    message: &[u8],
    signature: &[u8],
) -> Result<(), VerifyError> {
    let direct = pk.verify_bytes(epoch, message, signature);
    let staged = match (<&[u8; 32]>::try_from(message), Signature::<I>::from_bytes(signature)) {
        (Err(_), _) => Err(VerifyError::MessageLength(message.len())),
        (Ok(_), Err(e)) => Err(VerifyError::Decode(e)),
        (Ok(m), Ok(s)) => pk.verify(epoch, m, &s),
    };
    assert_eq!(direct, staged, "verify_bytes and decode-then-verify disagree");
    if let (Ok(epoch32), Ok(s)) = (u32::try_from(epoch), Signature::<I>::from_bytes(signature)) {
        let trait_ok =
            Verifier::verify(pk, message, &EpochSignature { epoch: epoch32, signature: s }).is_ok();
        assert_eq!(trait_ok, direct.is_ok(), "the Verifier trait disagrees");
    }
    direct
}

/// `pk choice`: 0 the single key, 1–4 a group member, 0xff Devnet 4 with raw key and signature, otherwise
/// a raw 52-byte key. `epoch choice`: 0 EPOCH, 1 EPOCH2, 2 a raw u64, otherwise the choice minus 3.
/// `message choice`: 0 MSG, 1 MSG2, 2 raw 32 bytes, otherwise a length-prefixed message of any length.
/// `signature choice`: 0/1 the key's own fixture signature on the first/second pair, 2 another key's,
/// then `(position u16, xor u8)` edits; otherwise the rest of the input as raw bytes.
pub fn verify(data: &[u8]) {
    let mut input = Input::new(data);
    let keys = fixture_keys();
    let pk_choice = input.u8();
    if pk_choice == 0xff {
        let Ok(pk) = PublicKey::<Devnet4>::from_bytes(input.bytes(Devnet4::PUBLIC_KEY_BYTES)) else { return };
        let epoch = input.u64() % (2 * Devnet4::LIFETIME);
        let message = input.array32();
        let _ = verify_three_ways(&pk, epoch, &message, input.rest());
        return;
    }
    let (pk, key) = match usize::from(pk_choice) {
        k if k < keys.len() => (keys[k], Some(k)),
        _ => match PublicKey::<TestInstance>::from_bytes(input.bytes(TestInstance::PUBLIC_KEY_BYTES)) {
            Ok(pk) => (pk, keys.iter().position(|k| *k == pk)),
            Err(_) => return,
        },
    };
    let epoch = match input.u8() {
        0 => EPOCH,
        1 => EPOCH2,
        2 => input.u64(),
        e => u64::from(e) - 3,
    };
    let message: Vec<u8> = match input.u8() {
        0 => MSG.to_vec(),
        1 => MSG2.to_vec(),
        2 => input.array32().to_vec(),
        _ => input.chunk().to_vec(),
    };
    let signature = match input.u8() {
        c @ 0..=2 => {
            let own = key.unwrap_or(0);
            let from = if c == 2 { (own + 1) % keys.len() } else { own };
            let mut bytes = fixture_signature(from, c == 1).to_bytes();
            while !input.is_empty() {
                let (at, xor) = (usize::from(input.u16()), input.u8());
                if let Some(b) = bytes.get_mut(at) {
                    *b ^= xor;
                }
            }
            bytes
        }
        _ => input.rest().to_vec(),
    };
    if verify_three_ways(&pk, epoch, &message, &signature).is_ok() {
        let sig = Signature::<TestInstance>::from_bytes(&signature).expect("it verified");
        assert!(is_fixture_signature::<TestXmss>(&pk, epoch, &sig), "accepted a signature nobody made");
    }
}
