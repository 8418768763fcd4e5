//! Shares that name their signer by public key rather than by roster index.
//!
//! A member's node knows its own key but need not know where the key sits in the group's roster (the
//! roster is public data the combiner holds). A [`KeyedShare`] carries the key; [`KeyedShare::resolve`]
//! turns it into an indexed [`Share`] against a roster, refusing keys that are not members.
//!
//! Encoding: `scheme tag u8 ‖ public key ‖ epoch u64 LE ‖ message 32 ‖ signature`. The tag makes a share of
//! one scheme or parameter set fail loudly against a group of another.

use crate::error::{GroupSignatureError, SchemeError, ShareDecodeError};
use crate::group_key::GroupKey;
use crate::scheme::{Scheme, Share};

/// One member's signature on `(epoch, message)`, with the member's public key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyedShare<S: Scheme> {
    /// The signer's public key.
    pub public_key: S::PublicKey,
    /// The epoch (slot).
    pub epoch: u64,
    /// The signed 32-byte message.
    pub message: [u8; 32],
    /// The signature.
    pub signature: S::Signature,
}

impl<S: Scheme> KeyedShare<S> {
    /// Encoded size.
    pub const BYTES: usize = 1 + S::PUBLIC_KEY_BYTES + 8 + 32 + S::SIGNATURE_BYTES;

    /// The indexed share for `group`, or [`GroupSignatureError::NotAMember`].
    pub fn resolve(&self, group: &GroupKey<S>) -> Result<Share<S>, GroupSignatureError> {
        let member = group.index_of(&self.public_key).ok_or(GroupSignatureError::NotAMember)?;
        Ok(Share { member, epoch: self.epoch, message: self.message, signature: self.signature.clone() })
    }

    /// `tag ‖ public key ‖ epoch u64 LE ‖ message ‖ signature`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(Self::BYTES);
        out.push(S::TAG);
        out.extend_from_slice(&S::public_key_to_bytes(&self.public_key));
        out.extend_from_slice(&self.epoch.to_le_bytes());
        out.extend_from_slice(&self.message);
        out.extend_from_slice(&S::signature_to_bytes(&self.signature));
        out
    }

    /// Strict decoding of [`KeyedShare::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ShareDecodeError> {
        if let Some(&tag) = bytes.first()
            && tag != S::TAG
        {
            return Err(ShareDecodeError::WrongScheme { expected: S::TAG, found: tag });
        }
        if bytes.len() != Self::BYTES {
            return Err(ShareDecodeError::Length { expected: Self::BYTES, got: bytes.len() });
        }
        let (pk, rest) = bytes[1..].split_at(S::PUBLIC_KEY_BYTES);
        let public_key =
            S::public_key_from_bytes(pk).map_err(|e| ShareDecodeError::PublicKey(SchemeError::new(e)))?;
        let epoch = u64::from_le_bytes(core::array::from_fn(|i| rest[i]));
        let message = core::array::from_fn(|i| rest[8 + i]);
        let signature = S::signature_from_bytes(&rest[40..])
            .map_err(|e| ShareDecodeError::Signature(SchemeError::new(e)))?;
        Ok(KeyedShare { public_key, epoch, message, signature })
    }
}

impl<S: Scheme> From<(S::PublicKey, Share<S>)> for KeyedShare<S> {
    fn from((public_key, share): (S::PublicKey, Share<S>)) -> Self {
        KeyedShare { public_key, epoch: share.epoch, message: share.message, signature: share.signature }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::{Ed25519, Ed25519Member, GroupSigner, ThresholdPolicy};

    fn setup() -> (GroupKey<Ed25519>, Vec<Ed25519Member>) {
        let members: Vec<Ed25519Member> =
            (0..4u8).map(|i| Ed25519Member::from_seed(i, &[i + 9; 32])).collect();
        let keys = members.iter().map(|m| m.public_key()).collect();
        (GroupKey::new(3, keys, ThresholdPolicy::Strict).unwrap().0, members)
    }

    #[test]
    fn round_trip_and_resolve() {
        let (group, mut members) = setup();
        let share = members[2].sign(5, &[1; 32]).unwrap();
        let keyed = KeyedShare::from((members[2].public_key(), share.clone()));
        let bytes = keyed.to_bytes();
        assert_eq!(bytes.len(), KeyedShare::<Ed25519>::BYTES);
        let back = KeyedShare::<Ed25519>::from_bytes(&bytes).unwrap();
        assert_eq!(back, keyed);
        assert_eq!(back.resolve(&group).unwrap(), share);
    }

    #[test]
    fn foreign_key_is_not_a_member() {
        let (group, _) = setup();
        let mut outsider = Ed25519Member::from_seed(0, &[99; 32]);
        let share = outsider.sign(5, &[1; 32]).unwrap();
        let keyed = KeyedShare::from((outsider.public_key(), share));
        assert_eq!(keyed.resolve(&group), Err(GroupSignatureError::NotAMember));
    }

    #[test]
    fn bad_bytes_are_typed_errors() {
        let (_, mut members) = setup();
        let share = members[0].sign(5, &[1; 32]).unwrap();
        let bytes = KeyedShare::from((members[0].public_key(), share)).to_bytes();
        let mut wrong_tag = bytes.clone();
        wrong_tag[0] ^= 0x80;
        assert!(matches!(
            KeyedShare::<Ed25519>::from_bytes(&wrong_tag),
            Err(ShareDecodeError::WrongScheme { .. })
        ));
        assert!(matches!(
            KeyedShare::<Ed25519>::from_bytes(&bytes[..bytes.len() - 1]),
            Err(ShareDecodeError::Length { .. })
        ));
        let mut trailing = bytes;
        trailing.push(0);
        assert!(matches!(KeyedShare::<Ed25519>::from_bytes(&trailing), Err(ShareDecodeError::Length { .. })));
        assert!(matches!(KeyedShare::<Ed25519>::from_bytes(&[]), Err(ShareDecodeError::Length { .. })));
    }
}
