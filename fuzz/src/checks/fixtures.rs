//! Valid objects the checks start from: test-instance XMSS keys and Ed25519 keys from fixed seeds, their
//! signatures on two (epoch, message) pairs, a 3-of-4 group per scheme and a registry of one single
//! validator and that group. Built once per process and cached: keys and signatures cost milliseconds,
//! fuzz iterations microseconds.

use ndvt_xmss::hazmat::RawSign;
use std::sync::OnceLock;

use ndvt_aggregation::{
    Ed25519, Ed25519Member, GroupKey, GroupSigner, Participant, Scheme, ThresholdPolicy, Xmss,
};
use ndvt_xmss::{SecretKey, TestInstance};

/// The (epoch, message) every fixture key signed.
pub(crate) const EPOCH: u64 = 3;
pub(crate) const MSG: [u8; 32] = [0xa5; 32];
/// A second (epoch, message) every fixture key signed: valid signatures that are wrong for the first.
pub(crate) const EPOCH2: u64 = 5;
pub(crate) const MSG2: [u8; 32] = [0x5a; 32];

/// The group threshold and size.
pub(crate) const M: u8 = 3;
pub(crate) const N: u8 = 4;

/// The XMSS scheme the group checks use.
pub(crate) type TestXmss = Xmss<TestInstance>;

/// Everything valid the checks know about for one scheme.
pub(crate) struct World<S: Scheme> {
    pub(crate) group: GroupKey<S>,
    /// Member `i`'s signature on (EPOCH, MSG).
    pub(crate) member_sigs: Vec<S::Signature>,
    /// Member `i`'s signature on (EPOCH2, MSG2).
    pub(crate) member_sigs2: Vec<S::Signature>,
    pub(crate) single: S::PublicKey,
    /// The single validator's signatures on (EPOCH, MSG) and (EPOCH2, MSG2).
    pub(crate) single_sig: S::Signature,
    pub(crate) single_sig2: S::Signature,
    /// `[Single(single), Group(group)]`.
    pub(crate) registry: Vec<Participant<S>>,
    /// The single validator's encoded secret key (XMSS only; empty for Ed25519).
    pub(crate) single_secret: Vec<u8>,
}

/// A scheme with fixtures, and with its notion of "the same signature up to malleable randomness".
pub(crate) trait FuzzScheme: Scheme {
    fn world() -> &'static World<Self>;
    /// Whether two signatures that both verify for one key at one epoch are the same signature. XMSS rho is
    /// malleable (another rho with the same codeword verifies with the same chain values and co-path), so
    /// XMSS compares the co-path and the chain values; Ed25519 with strict verification compares all bytes.
    fn same_core(a: &Self::Signature, b: &Self::Signature) -> bool;
}

impl FuzzScheme for TestXmss {
    fn world() -> &'static World<Self> {
        static WORLD: OnceLock<World<TestXmss>> = OnceLock::new();
        WORLD.get_or_init(xmss_world)
    }

    fn same_core(a: &Self::Signature, b: &Self::Signature) -> bool {
        a.path() == b.path() && a.hashes() == b.hashes()
    }
}

impl FuzzScheme for Ed25519 {
    fn world() -> &'static World<Self> {
        static WORLD: OnceLock<World<Ed25519>> = OnceLock::new();
        WORLD.get_or_init(ed25519_world)
    }

    fn same_core(a: &Self::Signature, b: &Self::Signature) -> bool {
        a == b
    }
}

/// Each key signs once per epoch, with one message: fixtures never reuse a one-time key.
fn xmss_key(seed: u8) -> (SecretKey<TestInstance>, [ndvt_xmss::Signature<TestInstance>; 2]) {
    let (sk, _) = SecretKey::<TestInstance>::from_seed(&[seed; 32], 0, 256).expect("fixture keygen");
    let first = sk.sign_raw(EPOCH, &MSG).expect("fixture signature");
    let second = sk.sign_raw(EPOCH2, &MSG2).expect("fixture signature");
    (sk, [first, second])
}

fn xmss_world() -> World<TestXmss> {
    let (single, [single_sig, single_sig2]) = xmss_key(1);
    let members: Vec<_> = (0..N).map(|i| xmss_key(i + 2)).collect();
    let keys = members.iter().map(|(sk, _)| sk.public_key()).collect();
    let group = GroupKey::new(M, keys, ThresholdPolicy::Strict).expect("fixture group").0;
    World {
        registry: vec![Participant::Single(single.public_key()), Participant::Group(group.clone())],
        group,
        member_sigs: members.iter().map(|(_, s)| s[0].clone()).collect(),
        member_sigs2: members.iter().map(|(_, s)| s[1].clone()).collect(),
        single: single.public_key(),
        single_sig,
        single_sig2,
        single_secret: single.to_bytes().to_vec(),
    }
}

fn ed25519_world() -> World<Ed25519> {
    let mut single = Ed25519Member::from_seed(0, &[11; 32]);
    let mut members: Vec<_> = (0..N).map(|i| Ed25519Member::from_seed(i, &[i + 12; 32])).collect();
    let sign = |m: &mut Ed25519Member, epoch, msg| match m.sign(epoch, msg) {
        Ok(share) => share.signature,
        Err(never) => match never {},
    };
    let keys = members.iter().map(|m| m.public_key()).collect();
    let group = GroupKey::new(M, keys, ThresholdPolicy::Strict).expect("fixture group").0;
    World {
        registry: vec![Participant::Single(single.public_key()), Participant::Group(group.clone())],
        group,
        member_sigs: members.iter_mut().map(|m| sign(m, EPOCH, &MSG)).collect(),
        member_sigs2: members.iter_mut().map(|m| sign(m, EPOCH2, &MSG2)).collect(),
        single: single.public_key(),
        single_sig: sign(&mut single, EPOCH, &MSG),
        single_sig2: sign(&mut single, EPOCH2, &MSG2),
        single_secret: Vec::new(),
    }
}

/// Whether `sig` is, up to malleable randomness, the one signature `pk` made at `epoch` in the fixtures.
/// Any other acceptance would be a forgery.
pub(crate) fn is_fixture_signature<S: FuzzScheme>(pk: &S::PublicKey, epoch: u64, sig: &S::Signature) -> bool {
    let w = S::world();
    let mut made: Vec<(&S::PublicKey, u64, &S::Signature)> =
        vec![(&w.single, EPOCH, &w.single_sig), (&w.single, EPOCH2, &w.single_sig2)];
    for (i, key) in w.group.members().iter().enumerate() {
        made.push((key, EPOCH, &w.member_sigs[i]));
        made.push((key, EPOCH2, &w.member_sigs2[i]));
    }
    made.iter().any(|(k, e, s)| *k == pk && *e == epoch && S::same_core(s, sig))
}
