//! RustCrypto `signature` 3.0 traits.

use signature::{Error, Keypair, SignatureEncoding, Verifier};

use crate::error::DecodeError;
use crate::instance::Instance;
use crate::public_key::PublicKey;
use crate::secret_key::SecretKey;
use crate::signature::{EpochSignature, Signature};

impl<I: Instance> Verifier<EpochSignature<I>> for PublicKey<I> {
    fn verify(&self, msg: &[u8], signature: &EpochSignature<I>) -> Result<(), Error> {
        let msg: &[u8; 32] = msg.try_into().map_err(|_| Error::new())?;
        PublicKey::verify(self, u64::from(signature.epoch), msg, &signature.signature)
            .map_err(|_| Error::new())
    }
}

impl<I: Instance> Keypair for SecretKey<I> {
    type VerifyingKey = PublicKey<I>;
    fn verifying_key(&self) -> PublicKey<I> {
        self.public_key()
    }
}

impl<I: Instance> TryFrom<&[u8]> for Signature<I> {
    type Error = DecodeError;
    fn try_from(bytes: &[u8]) -> Result<Self, DecodeError> {
        Signature::from_bytes(bytes)
    }
}

impl<I: Instance> From<Signature<I>> for Vec<u8> {
    fn from(signature: Signature<I>) -> Vec<u8> {
        signature.to_bytes()
    }
}

impl<I: Instance> SignatureEncoding for Signature<I> {
    type Repr = Vec<u8>;
}

impl<I: Instance> TryFrom<&[u8]> for EpochSignature<I> {
    type Error = DecodeError;
    fn try_from(bytes: &[u8]) -> Result<Self, DecodeError> {
        EpochSignature::from_bytes(bytes)
    }
}

impl<I: Instance> From<EpochSignature<I>> for Vec<u8> {
    fn from(signature: EpochSignature<I>) -> Vec<u8> {
        signature.to_bytes()
    }
}

impl<I: Instance> SignatureEncoding for EpochSignature<I> {
    type Repr = Vec<u8>;
}
