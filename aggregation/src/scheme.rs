//! The two traits that keep the group layer scheme-agnostic.
//!
//! [`Scheme`] is a signature scheme seen from a verifier: keys and signatures with fixed-size byte forms and
//! a verification of `(epoch, message)`. [`GroupSigner`] is one virtual identity of a group: it knows its
//! member index and signs with its own key through its own guard. Members never talk to each other.

use core::fmt::Debug;

use crate::error::{SchemeError, ShareDecodeError};

/// A signature scheme usable by group members.
pub trait Scheme: Sized + Copy + Clone + Debug + Default + PartialEq + Eq + Send + Sync + 'static {
    /// Name bound into group ids (so a group of one scheme can never pass for a group of another).
    const NAME: &'static str;
    /// One-byte tag in encoded group keys.
    const TAG: u8;
    /// Encoded public key size.
    const PUBLIC_KEY_BYTES: usize;
    /// Encoded signature size.
    const SIGNATURE_BYTES: usize;
    /// Public key.
    type PublicKey: Clone + PartialEq + Eq + Debug + Send + Sync;
    /// Signature.
    type Signature: Clone + PartialEq + Eq + Debug + Send + Sync;
    /// Why a signature was rejected.
    type Error: std::error::Error + Send + Sync + 'static;

    /// Verifies `signature` on `message` at `epoch`.
    fn verify(
        pk: &Self::PublicKey,
        epoch: u64,
        message: &[u8; 32],
        signature: &Self::Signature,
    ) -> Result<(), Self::Error>;
    /// Verifies many items; `result[i]` is what [`Scheme::verify`] answers for `items[i]`. Schemes with a
    /// faster batch path (XMSS packs independent signatures into SIMD lanes) override it.
    fn verify_batch(items: &[VerifyItem<'_, Self>]) -> Vec<Result<(), Self::Error>> {
        items.iter().map(|i| Self::verify(i.public_key, i.epoch, i.message, i.signature)).collect()
    }
    /// Encodes a public key (exactly `PUBLIC_KEY_BYTES`).
    fn public_key_to_bytes(pk: &Self::PublicKey) -> Vec<u8>;
    /// Strictly decodes a public key.
    fn public_key_from_bytes(bytes: &[u8]) -> Result<Self::PublicKey, Self::Error>;
    /// Encodes a signature (exactly `SIGNATURE_BYTES`).
    fn signature_to_bytes(signature: &Self::Signature) -> Vec<u8>;
    /// Strictly decodes a signature.
    fn signature_from_bytes(bytes: &[u8]) -> Result<Self::Signature, Self::Error>;
}

/// One item of a batch verification.
#[derive(Debug)]
pub struct VerifyItem<'a, S: Scheme> {
    /// The signer's public key.
    pub public_key: &'a S::PublicKey,
    /// The epoch.
    pub epoch: u64,
    /// The message.
    pub message: &'a [u8; 32],
    /// The signature.
    pub signature: &'a S::Signature,
}

/// One member's signature on `(epoch, message)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Share<S: Scheme> {
    /// The member's index in its group (0-based, in roster order).
    pub member: u8,
    /// The epoch (slot).
    pub epoch: u64,
    /// The signed 32-byte message.
    pub message: [u8; 32],
    /// The member's signature.
    pub signature: S::Signature,
}

impl<S: Scheme> Share<S> {
    /// Encoded size: `member u8 ‖ epoch u64 ‖ message 32 ‖ signature`.
    pub const BYTES: usize = 1 + 8 + 32 + S::SIGNATURE_BYTES;

    /// `member u8 ‖ epoch u64 LE ‖ message ‖ signature`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(Self::BYTES);
        out.push(self.member);
        out.extend_from_slice(&self.epoch.to_le_bytes());
        out.extend_from_slice(&self.message);
        out.extend_from_slice(&S::signature_to_bytes(&self.signature));
        out
    }

    /// Strict decoding of [`Share::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ShareDecodeError> {
        if bytes.len() != Self::BYTES {
            return Err(ShareDecodeError::Length { expected: Self::BYTES, got: bytes.len() });
        }
        let epoch = u64::from_le_bytes(core::array::from_fn(|i| bytes[1 + i]));
        let message = core::array::from_fn(|i| bytes[9 + i]);
        let signature = S::signature_from_bytes(&bytes[41..])
            .map_err(|e| ShareDecodeError::Signature(SchemeError::new(e)))?;
        Ok(Share { member: bytes[0], epoch, message, signature })
    }
}

/// One virtual identity of a group: signs on its own, with its own key and guard.
pub trait GroupSigner<S: Scheme> {
    /// Why signing failed or was refused.
    type Error: std::error::Error + Send + Sync + 'static;
    /// This member's index in its group.
    fn member_index(&self) -> u8;
    /// This member's public key.
    fn public_key(&self) -> S::PublicKey;
    /// Signs `(epoch, message)` and returns the share.
    fn sign(&mut self, epoch: u64, message: &[u8; 32]) -> Result<Share<S>, Self::Error>;
}
