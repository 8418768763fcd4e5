//! Decoder targets: every byte string is answered with a value or a typed error; an accepted value
//! re-encodes to exactly its input; where the canonical form is simple enough to state independently
//! (public keys, signatures), acceptance must coincide with that statement.

use ndvt_aggregation::{ConcatAggregate, Ed25519, GroupKey, GroupSignature, Scheme, ThresholdPolicy, Xmss};
use ndvt_xmss::hazmat::RawSign;
use ndvt_xmss::leanvm::{LeanVm, LeanVmTest};
use ndvt_xmss::{Devnet4, EpochSignature, Instance, P, PublicKey, SecretKey, Signature, TestInstance};

use super::fixtures::{FuzzScheme, TestXmss, is_fixture_signature};

fn word(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

fn words_below_p(bytes: &[u8]) -> bool {
    bytes.chunks(4).all(|w| w.len() == 4 && word(w, 0) < P)
}

/// The canonical public key, stated independently of the decoder: 52 bytes, 13 words below p.
fn public_key_is_canonical<I: Instance>(bytes: &[u8]) -> bool {
    bytes.len() == I::PUBLIC_KEY_BYTES && words_below_p(bytes)
}

/// The canonical signature: the fixed offsets 36, 40 + 32h and 4 in place, every other word below p.
fn signature_is_canonical<I: Instance>(bytes: &[u8]) -> bool {
    let h = I::LOG_LIFETIME as usize;
    bytes.len() == I::SIGNATURE_BYTES
        && word(bytes, 0) == 36
        && word(bytes, 32) as usize == 40 + 32 * h
        && word(bytes, 36) == 4
        && words_below_p(&bytes[4..32])
        && words_below_p(&bytes[40..])
}

fn public_key_of<I: Instance>(data: &[u8]) {
    let decoded = PublicKey::<I>::from_bytes(data);
    assert_eq!(decoded.is_ok(), public_key_is_canonical::<I>(data), "{}: {decoded:?}", I::NAME);
    if let Ok(pk) = decoded {
        assert_eq!(pk.to_bytes(), data);
    }
}

/// Public keys of both instances.
pub fn decode_public_key(data: &[u8]) {
    public_key_of::<TestInstance>(data);
    public_key_of::<Devnet4>(data);
}

fn signature_of<I: Instance>(data: &[u8]) {
    let decoded = Signature::<I>::from_bytes(data);
    assert_eq!(decoded.is_ok(), signature_is_canonical::<I>(data), "{}: {decoded:?}", I::NAME);
    if let Ok(sig) = decoded {
        assert_eq!(sig.to_bytes(), data);
        assert_eq!((sig.path().len(), sig.hashes().len()), (I::LOG_LIFETIME as usize, I::DIMENSION));
    }
    let with_epoch = EpochSignature::<I>::from_bytes(data);
    let epoch_ok = data.len() >= 4 && u64::from(word(data, 0)) < I::LIFETIME;
    assert_eq!(with_epoch.is_ok(), epoch_ok && signature_is_canonical::<I>(&data[4..]), "{with_epoch:?}");
    if let Ok(sig) = with_epoch {
        assert_eq!(sig.to_bytes(), data);
    }
}

/// Signatures (bare and with their epoch) of both instances.
pub fn decode_signature(data: &[u8]) {
    signature_of::<TestInstance>(data);
    signature_of::<Devnet4>(data);
}

/// Secret keys of both instances. An accepted test-instance key is exercised further: its consistency
/// check, signing in its window and advancing must answer with values or typed errors.
pub fn decode_secret_key(data: &[u8]) {
    if let Ok(sk) = SecretKey::<Devnet4>::from_bytes(data) {
        assert_eq!(&sk.to_bytes()[..], data);
    }
    secret_key_of::<TestInstance>(data);
}

/// Decodes a secret key of `I`; an accepted key is exercised: consistency, one signature, an advance.
fn secret_key_of<I: Instance>(data: &[u8]) {
    let Ok(mut sk) = SecretKey::<I>::from_bytes(data) else { return };
    assert_eq!(&sk.to_bytes()[..], data);
    let (active, window) = (sk.activation(), sk.prepared());
    assert!(active.start <= window.start && window.end <= active.end, "{active:?} {window:?}");
    // Consistency does not recompute leaves from the PRF key, so a consistent junk key may still fail to
    // sign (its self-check catches that); both answers must come without a panic.
    let _ = sk.check_consistency();
    let message = [data.len() as u8; 32];
    // The last epoch of the window: a decoded key is junk, so signing it once per input is harmless.
    if let Ok(sig) = sk.sign_raw(window.end - 1, &message) {
        assert_eq!(sk.public_key().verify(window.end - 1, &message, &sig), Ok(()));
    }
    if sk.can_advance() {
        let _ = sk.advance();
    } else {
        assert!(sk.prepare_next().is_err());
    }
}

pub(crate) fn group_key_of<S: Scheme>(data: &[u8]) {
    let strict = GroupKey::<S>::from_bytes(data, ThresholdPolicy::Strict);
    let lax = GroupKey::<S>::from_bytes(data, ThresholdPolicy::AllowDisjointQuorums);
    if let Ok((key, report)) = &strict {
        assert_eq!(lax.as_ref().map(|(k, _)| k), Ok(key), "the lax policy accepts what the strict one does");
        assert!(report.safety_margin >= 0);
    }
    if let Ok((key, report)) = &lax {
        assert_eq!(key.to_bytes(), data);
        let (m, n) = (key.threshold(), key.size());
        assert!(1 <= m && m <= n && usize::from(n) <= ndvt_aggregation::MAX_MEMBERS);
        assert_eq!(report.liveness_margin, n - m);
        assert_eq!(strict.is_ok(), 2 * u16::from(m) > u16::from(n));
        let rebuilt = GroupKey::<S>::new(m, key.members().to_vec(), ThresholdPolicy::AllowDisjointQuorums);
        assert_eq!(rebuilt.map(|(k, _)| k.id()), Ok(key.id()), "the id depends on m and the keys only");
    }
}

/// Group keys of every scheme, under both threshold policies.
pub fn decode_group_key(data: &[u8]) {
    group_key_of::<TestXmss>(data);
    group_key_of::<Xmss<Devnet4>>(data);
    group_key_of::<Ed25519>(data);
}

pub(crate) fn group_signature_of<S: FuzzScheme>(data: &[u8]) {
    let Ok(sig) = GroupSignature::<S>::from_bytes(data) else { return };
    assert_eq!(sig.to_bytes(), data);
    let w = S::world();
    let verified = sig.verify(&w.group, sig.epoch(), sig.message());
    if verified.is_ok() {
        assert!(sig.check_structure(&w.group, sig.epoch(), sig.message()).is_ok());
        assert!(sig.entries().len() >= usize::from(w.group.threshold()));
        for (i, s) in sig.entries() {
            let pk = &w.group.members()[usize::from(*i)];
            assert!(is_fixture_signature::<S>(pk, sig.epoch(), s), "accepted a signature nobody made");
        }
    }
}

/// Group signatures of both schemes (Devnet 4 decoding only: there is no Devnet 4 fixture group).
pub fn decode_group_signature(data: &[u8]) {
    group_signature_of::<TestXmss>(data);
    group_signature_of::<Ed25519>(data);
    if let Ok(sig) = GroupSignature::<Xmss<Devnet4>>::from_bytes(data) {
        assert_eq!(sig.to_bytes(), data);
    }
}

pub(crate) fn aggregate_of<S: FuzzScheme>(data: &[u8]) {
    let Ok(agg) = ConcatAggregate::<S>::from_bytes(data) else { return };
    assert_eq!(agg.to_bytes(), data);
    assert_eq!(agg.merge(&agg).as_ref(), Ok(&agg), "merging an aggregate with itself changes nothing");
    let w = S::world();
    let epoch = u64::from_le_bytes(core::array::from_fn(|i| data[i]));
    let message: [u8; 32] = core::array::from_fn(|i| data[8 + i]);
    if agg.verify(&w.registry, epoch, &message).is_err() {
        return;
    }
    // Accepted: every signature inside must be one a registry key made at this epoch.
    for (participant, members, signatures) in parts::<S>(data) {
        let keys: Vec<&S::PublicKey> = match (&w.registry[participant], members) {
            (ndvt_aggregation::Participant::Single(pk), 0) => vec![pk],
            (ndvt_aggregation::Participant::Group(g), _) => {
                (0..16).filter(|b| members >> b & 1 == 1).map(|b| &g.members()[b]).collect()
            }
            (_, members) => panic!("participant {participant}: a single validator with members {members:#x}"),
        };
        assert_eq!(keys.len(), signatures.len());
        for (pk, s) in keys.into_iter().zip(&signatures) {
            assert!(is_fixture_signature::<S>(pk, epoch, s), "accepted a signature nobody made");
        }
    }
}

/// The parts of an aggregate that decoded, read straight from its documented layout.
fn parts<S: Scheme>(data: &[u8]) -> Vec<(usize, u16, Vec<S::Signature>)> {
    let bits_len = word(data, 40) as usize;
    let bits = &data[44..44 + bits_len];
    let set = (0..8 * bits_len).filter(|i| bits[i / 8] >> (i % 8) & 1 == 1);
    let set: Vec<usize> = set.collect();
    let mut rest = &data[44 + bits_len..];
    let mut out = Vec::new();
    // The highest set bit is the bitlist's delimiter, not a participant.
    for &participant in &set[..set.len() - 1] {
        let members = u16::from_le_bytes([rest[0], rest[1]]);
        let count = if members == 0 { 1 } else { members.count_ones() as usize };
        let sigs = rest[2..2 + count * S::SIGNATURE_BYTES].chunks(S::SIGNATURE_BYTES);
        let sigs = sigs.map(|c| S::signature_from_bytes(c).expect("decoded once already"));
        out.push((participant, members, sigs.collect()));
        rest = &rest[2 + count * S::SIGNATURE_BYTES..];
    }
    out
}

/// Concatenation aggregates of both schemes, verified against the fixture registry.
pub fn decode_aggregate(data: &[u8]) {
    aggregate_of::<TestXmss>(data);
    aggregate_of::<Ed25519>(data);
}

/// leanVM encodings are fixed concatenations: any 32 bytes are a public key, any `SIGNATURE_BYTES` bytes a
/// signature (1,208 for leanvm), nothing shorter or longer (leanVM's own lax decoder accepts trailing bytes).
fn fixed_length_of<I: Instance>(data: &[u8]) {
    let pk = PublicKey::<I>::from_bytes(data);
    assert_eq!(pk.is_ok(), data.len() == I::PUBLIC_KEY_BYTES, "{}: {pk:?}", I::NAME);
    if let Ok(pk) = pk {
        assert_eq!(pk.to_bytes(), data);
    }
    let sig = Signature::<I>::from_bytes(data);
    assert_eq!(sig.is_ok(), data.len() == I::SIGNATURE_BYTES, "{}: {sig:?}", I::NAME);
    if let Ok(sig) = sig {
        assert_eq!(sig.to_bytes(), data);
    }
    let with_epoch = EpochSignature::<I>::from_bytes(data);
    let epoch_ok = data.len() >= 4 && u64::from(word(data, 0)) < I::LIFETIME;
    assert_eq!(with_epoch.is_ok(), epoch_ok && data.len() == 4 + I::SIGNATURE_BYTES, "{with_epoch:?}");
    if let Ok(sig) = with_epoch {
        assert_eq!(sig.to_bytes(), data);
        // Verification of any decodable signature answers with a value or a typed error.
        let _ = PublicKey::<I>::from_bytes(&[data[0]; 32])
            .map(|pk| pk.verify(u64::from(sig.epoch), &[7; 32], &sig.signature));
    }
}

/// The leanVM decoders: public keys, signatures (bare and with their epoch) of both leanVM sets, and
/// secret keys of the test set (exercised as in [`decode_secret_key`]).
pub fn decode_leanvm(data: &[u8]) {
    fixed_length_of::<LeanVm>(data);
    fixed_length_of::<LeanVmTest>(data);
    secret_key_of::<LeanVmTest>(data);
}
