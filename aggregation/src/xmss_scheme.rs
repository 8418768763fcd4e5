//! XMSS (any ndvt-xmss instance) as a group scheme; members sign through their durable signers.

use core::marker::PhantomData;

use ndvt_xmss::{
    BatchItem, DurableError, DurableSigner, Instance, PublicKey, Signature, VerifyError, verify_batch,
};

use crate::scheme::{GroupSigner, Scheme, Share, VerifyItem};

/// Generalized XMSS of instance `I`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Xmss<I: Instance>(PhantomData<I>);

impl<I: Instance> Scheme for Xmss<I> {
    const NAME: &'static str = I::NAME;
    const TAG: u8 = I::ID;
    const PUBLIC_KEY_BYTES: usize = I::PUBLIC_KEY_BYTES;
    const SIGNATURE_BYTES: usize = I::SIGNATURE_BYTES;
    type PublicKey = PublicKey<I>;
    type Signature = Signature<I>;
    type Error = VerifyError;

    fn verify(
        pk: &PublicKey<I>,
        epoch: u64,
        message: &[u8; 32],
        signature: &Signature<I>,
    ) -> Result<(), VerifyError> {
        pk.verify(epoch, message, signature)
    }

    fn verify_batch(items: &[VerifyItem<'_, Self>]) -> Vec<Result<(), VerifyError>> {
        let batch: Vec<BatchItem<'_, I>> = items
            .iter()
            .map(|i| BatchItem {
                public_key: i.public_key,
                epoch: i.epoch,
                message: i.message,
                signature: i.signature,
            })
            .collect();
        verify_batch(&batch)
    }

    fn public_key_to_bytes(pk: &PublicKey<I>) -> Vec<u8> {
        pk.to_bytes()
    }

    fn public_key_from_bytes(bytes: &[u8]) -> Result<PublicKey<I>, VerifyError> {
        Ok(PublicKey::from_bytes(bytes)?)
    }

    fn signature_to_bytes(signature: &Signature<I>) -> Vec<u8> {
        signature.to_bytes()
    }

    fn signature_from_bytes(bytes: &[u8]) -> Result<Signature<I>, VerifyError> {
        Ok(Signature::from_bytes(bytes)?)
    }
}

/// A group member holding an XMSS key behind its own durable signer.
#[derive(Debug)]
pub struct XmssMember<I: Instance> {
    index: u8,
    signer: DurableSigner<I>,
}

impl<I: Instance> XmssMember<I> {
    /// Member `index` of its group, signing through `signer`.
    pub fn new(index: u8, signer: DurableSigner<I>) -> Self {
        XmssMember { index, signer }
    }

    /// The member's durable signer (to prepare its window ahead of need).
    pub fn signer_mut(&mut self) -> &mut DurableSigner<I> {
        &mut self.signer
    }

    /// The member's durable signer, read-only (its window, record and the job that advances its window).
    pub fn signer(&self) -> &DurableSigner<I> {
        &self.signer
    }
}

impl<I: Instance> GroupSigner<Xmss<I>> for XmssMember<I> {
    type Error = DurableError;

    fn member_index(&self) -> u8 {
        self.index
    }

    fn public_key(&self) -> PublicKey<I> {
        self.signer.public_key()
    }

    fn sign(&mut self, epoch: u64, message: &[u8; 32]) -> Result<Share<Xmss<I>>, DurableError> {
        let signature = self.signer.sign_at(epoch, message)?;
        Ok(Share { member: self.index, epoch, message: *message, signature })
    }
}
