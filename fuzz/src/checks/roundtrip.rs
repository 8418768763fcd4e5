//! One target over every decoder: the first byte picks the decoder, the rest is its input, and an accepted
//! input must re-encode to itself (rustls' rule: decode then encode gives the input back).

use ndvt_aggregation::{
    BitList, ConcatAggregate, Ed25519, GroupKey, GroupSignature, KeyedShare, MAX_PARTICIPANTS, Scheme, Share,
    ThresholdPolicy, Xmss,
};
use ndvt_xmss::{Devnet4, EpochSignature, Instance, PublicKey, SecretKey, Signature, TestInstance};

type Reencode = fn(&[u8]) -> Option<Vec<u8>>;

fn public_key<I: Instance>(b: &[u8]) -> Option<Vec<u8>> {
    PublicKey::<I>::from_bytes(b).ok().map(|x| x.to_bytes())
}
fn signature<I: Instance>(b: &[u8]) -> Option<Vec<u8>> {
    Signature::<I>::from_bytes(b).ok().map(|x| x.to_bytes())
}
fn epoch_signature<I: Instance>(b: &[u8]) -> Option<Vec<u8>> {
    EpochSignature::<I>::from_bytes(b).ok().map(|x| x.to_bytes())
}
fn secret_key<I: Instance>(b: &[u8]) -> Option<Vec<u8>> {
    SecretKey::<I>::from_bytes(b).ok().map(|x| x.to_bytes().to_vec())
}
fn group_key<S: Scheme>(b: &[u8]) -> Option<Vec<u8>> {
    GroupKey::<S>::from_bytes(b, ThresholdPolicy::AllowDisjointQuorums).ok().map(|(x, _)| x.to_bytes())
}
fn group_signature<S: Scheme>(b: &[u8]) -> Option<Vec<u8>> {
    GroupSignature::<S>::from_bytes(b).ok().map(|x| x.to_bytes())
}
fn aggregate<S: Scheme>(b: &[u8]) -> Option<Vec<u8>> {
    ConcatAggregate::<S>::from_bytes(b).ok().map(|x| x.to_bytes())
}
fn share<S: Scheme>(b: &[u8]) -> Option<Vec<u8>> {
    Share::<S>::from_bytes(b).ok().map(|x| x.to_bytes())
}
fn keyed_share<S: Scheme>(b: &[u8]) -> Option<Vec<u8>> {
    KeyedShare::<S>::from_bytes(b).ok().map(|x| x.to_bytes())
}
fn bitlist(b: &[u8]) -> Option<Vec<u8>> {
    BitList::from_bytes(b, MAX_PARTICIPANTS).ok().map(|x| x.to_bytes())
}

/// Every decoder, by the selector byte (`selector % len`); the names are for failure messages.
pub(crate) const DECODERS: &[(&str, Reencode)] = &[
    ("public key (test)", public_key::<TestInstance>),
    ("public key (devnet4)", public_key::<Devnet4>),
    ("signature (test)", signature::<TestInstance>),
    ("signature (devnet4)", signature::<Devnet4>),
    ("epoch signature (test)", epoch_signature::<TestInstance>),
    ("epoch signature (devnet4)", epoch_signature::<Devnet4>),
    ("secret key (test)", secret_key::<TestInstance>),
    ("secret key (devnet4)", secret_key::<Devnet4>),
    ("group key (xmss test)", group_key::<Xmss<TestInstance>>),
    ("group key (xmss devnet4)", group_key::<Xmss<Devnet4>>),
    ("group key (ed25519)", group_key::<Ed25519>),
    ("group signature (xmss test)", group_signature::<Xmss<TestInstance>>),
    ("group signature (ed25519)", group_signature::<Ed25519>),
    ("aggregate (xmss test)", aggregate::<Xmss<TestInstance>>),
    ("aggregate (ed25519)", aggregate::<Ed25519>),
    ("share (xmss test)", share::<Xmss<TestInstance>>),
    ("share (ed25519)", share::<Ed25519>),
    ("keyed share (xmss test)", keyed_share::<Xmss<TestInstance>>),
    ("keyed share (ed25519)", keyed_share::<Ed25519>),
    ("bitlist", bitlist),
];

/// The round-trip target: `selector ‖ encoding`.
pub fn roundtrip(data: &[u8]) {
    let Some((&selector, body)) = data.split_first() else { return };
    let (name, reencode) = DECODERS[usize::from(selector) % DECODERS.len()];
    if let Some(again) = reencode(body) {
        assert!(again == body, "{name}: accepted an encoding that re-encodes differently");
    }
}
