//! Ed25519 as a group scheme: a second, classical scheme that keeps the group layer honest about being
//! scheme-agnostic. The signed bytes are `"ndvt/ed25519/v1" ‖ epoch (u64 LE) ‖ message`.

use ed25519_dalek::{SignatureError, Signer, SigningKey, VerifyingKey};

use crate::scheme::{GroupSigner, Scheme, Share};

const DOMAIN: &[u8] = b"ndvt/ed25519/v1";

fn signed_bytes(epoch: u64, message: &[u8; 32]) -> Vec<u8> {
    let mut m = DOMAIN.to_vec();
    m.extend_from_slice(&epoch.to_le_bytes());
    m.extend_from_slice(message);
    m
}

/// Ed25519 (RFC 8032) via ed25519-dalek, with strict verification.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ed25519;

impl Scheme for Ed25519 {
    const NAME: &'static str = "ed25519";
    const TAG: u8 = 3;
    const PUBLIC_KEY_BYTES: usize = 32;
    const SIGNATURE_BYTES: usize = 64;
    type PublicKey = VerifyingKey;
    type Signature = ed25519_dalek::Signature;
    type Error = SignatureError;

    fn verify(
        pk: &VerifyingKey,
        epoch: u64,
        message: &[u8; 32],
        signature: &Self::Signature,
    ) -> Result<(), SignatureError> {
        pk.verify_strict(&signed_bytes(epoch, message), signature)
    }

    fn public_key_to_bytes(pk: &VerifyingKey) -> Vec<u8> {
        pk.to_bytes().to_vec()
    }

    fn public_key_from_bytes(bytes: &[u8]) -> Result<VerifyingKey, SignatureError> {
        let bytes: &[u8; 32] = bytes.try_into().map_err(|_| SignatureError::new())?;
        let key = VerifyingKey::from_bytes(bytes)?;
        // dalek reduces y modulo p without checking it was below p, so `p + y` also decodes: accept only
        // the encoding the point compresses back to, so that every key has one encoding (the group's
        // duplicate-key check compares bytes).
        if key.to_edwards().compress().to_bytes() != *bytes {
            return Err(SignatureError::new());
        }
        // A small-order point can never carry a strictly verified signature: as a member key it would only
        // look like a signer, and silently cost its group liveness. Refuse it at the edge.
        if key.is_weak() {
            return Err(SignatureError::new());
        }
        Ok(key)
    }

    fn signature_to_bytes(signature: &Self::Signature) -> Vec<u8> {
        signature.to_bytes().to_vec()
    }

    fn signature_from_bytes(bytes: &[u8]) -> Result<Self::Signature, SignatureError> {
        ed25519_dalek::Signature::from_slice(bytes)
    }
}

/// A group member with an Ed25519 key. Ed25519 keys are not one-time, so no epoch record is needed for
/// key safety (slashing protection is the caller's, as for any validator key).
pub struct Ed25519Member {
    index: u8,
    key: SigningKey,
}

impl core::fmt::Debug for Ed25519Member {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Ed25519Member").field("index", &self.index).finish_non_exhaustive()
    }
}

impl Ed25519Member {
    /// Member `index` with the secret key `seed`.
    pub fn from_seed(index: u8, seed: &[u8; 32]) -> Self {
        Ed25519Member { index, key: SigningKey::from_bytes(seed) }
    }
}

impl GroupSigner<Ed25519> for Ed25519Member {
    type Error = core::convert::Infallible;

    fn member_index(&self) -> u8 {
        self.index
    }

    fn public_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    fn sign(&mut self, epoch: u64, message: &[u8; 32]) -> Result<Share<Ed25519>, Self::Error> {
        let signature = self.key.sign(&signed_bytes(epoch, message));
        Ok(Share { member: self.index, epoch, message: *message, signature })
    }
}
