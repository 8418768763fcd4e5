//! Fixtures shared by the group-layer tests: the same suite runs over XMSS and Ed25519.
#![allow(dead_code, missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ndvt_xmss::hazmat::RawSign;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use ndvt_aggregation::{Ed25519, Ed25519Member, GroupSigner, Scheme, Share, Xmss, XmssMember};
use ndvt_xmss::{DurableSigner, SecretKey, TestInstance};

pub type TestXmss = Xmss<TestInstance>;

/// A scheme the generic suite can make members and stray signatures for.
pub trait Fixture: Scheme {
    type Member: GroupSigner<Self>;
    /// Member `index` built from `seed` (distinct seeds give distinct keys).
    fn member(index: u8, seed: u8) -> Self::Member;
    /// A valid signature by a key outside any group (seed 200+) on (epoch, message).
    fn foreign(epoch: u64, message: &[u8; 32]) -> (Self::PublicKey, Self::Signature);
}

impl Fixture for Ed25519 {
    type Member = Ed25519Member;
    fn member(index: u8, seed: u8) -> Ed25519Member {
        Ed25519Member::from_seed(index, &[seed; 32])
    }
    fn foreign(epoch: u64, message: &[u8; 32]) -> (Self::PublicKey, Self::Signature) {
        let mut m = Ed25519Member::from_seed(0, &[250; 32]);
        (m.public_key(), m.sign(epoch, message).unwrap().signature)
    }
}

/// A scratch directory for durable signers, under cargo's per-target temp dir.
pub fn scratch() -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "agg-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

impl Fixture for TestXmss {
    type Member = XmssMember<TestInstance>;
    fn member(index: u8, seed: u8) -> XmssMember<TestInstance> {
        let (sk, _) = SecretKey::<TestInstance>::from_seed(&[seed; 32], 0, 256).unwrap();
        XmssMember::new(index, DurableSigner::create(&scratch(), sk, 0).unwrap())
    }
    fn foreign(epoch: u64, message: &[u8; 32]) -> (Self::PublicKey, Self::Signature) {
        let (mut sk, pk) = SecretKey::<TestInstance>::from_seed(&[250; 32], 0, 256).unwrap();
        while !sk.prepared().contains(&epoch) {
            sk.advance().unwrap();
        }
        (pk, sk.sign_raw(epoch, message).unwrap())
    }
}

/// `n` members with seeds `base..base + n`.
pub fn members<S: Fixture>(n: u8, base: u8) -> Vec<S::Member> {
    (0..n).map(|i| S::member(i, base + i)).collect()
}

/// Shares of the given members on (epoch, message).
pub fn shares<S: Fixture>(
    members: &mut [S::Member],
    which: &[usize],
    epoch: u64,
    message: &[u8; 32],
) -> Vec<Share<S>> {
    which.iter().map(|&i| members[i].sign(epoch, message).map_err(|e| e.to_string()).unwrap()).collect()
}
