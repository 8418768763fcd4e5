//! The by-name API the bindings share: every operation through an instance name, and one test per class of
//! error asserting its exact variant.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::path::Path;

use ndvt_xmss::by_name::{self, BatchBytes, Error, Origin, Signer};
use ndvt_xmss::durable::DurableError;
use ndvt_xmss::registry::InstanceId;
use ndvt_xmss::{DecodeError, KeyError, SignError, VerifyError};
use zeroize::Zeroizing;

fn tmp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ndvt-by-name-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn seeded(id: InstanceId, dir: &Path, first_epoch: u64) -> Box<dyn Signer> {
    let seed = Zeroizing::new([0x5a; 32]);
    by_name::generate(id, dir, Origin::Seed { seed: &seed, first_epoch }, 0, Some(64)).unwrap()
}

#[test]
fn every_small_set_signs_verifies_and_batch_verifies_by_name() {
    for name in ["test", "leanvm-test", "sha3-test", "blake3-test"] {
        let id = by_name::instance(name).unwrap();
        let dir = tmp(name);
        let mut signer = seeded(id, &dir, 0);
        assert_eq!(signer.instance(), id);
        let pk = signer.public_key();
        assert_eq!(pk.len(), id.public_key_len());
        assert_eq!(by_name::public_key(&dir).unwrap(), (id, pk.clone()));
        let sig = signer.sign(3, &[1; 32]).unwrap();
        assert_eq!(sig.len(), id.signature_len());
        by_name::verify(id, &pk, 3, &[1; 32], &sig).unwrap();
        assert!(by_name::verify(id, &pk, 4, &[1; 32], &sig).is_err(), "{name}: wrong epoch");
        let info = signer.info();
        assert_eq!((info.watermark, info.next_epoch, info.instance), (Some(3), 4, id));
        assert_eq!(by_name::inspect(&dir).unwrap(), info);

        let short = &sig[..sig.len() - 1];
        let items = [
            BatchBytes { public_key: &pk, epoch: 3, message: &[1; 32], signature: &sig },
            BatchBytes { public_key: &pk, epoch: 3, message: &[1; 32], signature: short },
            BatchBytes { public_key: &pk[1..], epoch: 3, message: &[1; 32], signature: &sig },
            BatchBytes { public_key: &pk, epoch: 3, message: &[1; 31], signature: &sig },
            BatchBytes { public_key: &pk, epoch: 5, message: &[1; 32], signature: &sig },
        ];
        let results = by_name::verify_batch(id, &items);
        assert!(results[0].is_ok(), "{name}");
        assert!(matches!(results[1], Err(VerifyError::Decode(_))), "{name}: {:?}", results[1]);
        assert!(matches!(results[2], Err(VerifyError::Decode(DecodeError::Length { .. }))), "{name}");
        assert_eq!(results[3], Err(VerifyError::MessageLength(31)), "{name}");
        assert!(results[4].is_err(), "{name}");
        drop(signer);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

#[test]
fn a_fresh_key_from_the_os_signs_from_its_activation_start() {
    let dir = tmp("os");
    let signer = by_name::generate(InstanceId::Test, &dir, Origin::Os, 0, None).unwrap();
    let info = signer.info();
    assert_eq!((info.activation.clone(), info.next_epoch, info.watermark), (0..256, 0, None));
    drop(signer);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_unknown_instance_is_its_own_error() {
    assert!(matches!(by_name::instance("devnet5"), Err(Error::UnknownInstance(n)) if n == "devnet5"));
}

#[test]
fn a_message_of_the_wrong_length_is_a_length_error() {
    let dir = tmp("length");
    let mut signer = seeded(InstanceId::Test, &dir, 0);
    let e = signer.sign(1, &[0; 33]).unwrap_err();
    assert!(matches!(e, Error::Length { what: "message", expected: 32, got: 33 }), "{e:?}");
    drop(signer);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_impossible_activation_range_is_a_key_error() {
    let dir = tmp("key");
    let seed = Zeroizing::new([1; 32]);
    let origin = Origin::Seed { seed: &seed, first_epoch: 0 };
    let e = by_name::generate(InstanceId::Test, &dir, origin, 250, Some(100)).err().unwrap();
    assert!(matches!(e, Error::Key(KeyError::ActivationBeyondLifetime { .. })), "{e:?}");
}

#[test]
fn refusals_unsignable_epochs_locks_and_bad_directories_are_distinct() {
    let dir = tmp("classes");
    let mut signer = seeded(InstanceId::Test, &dir, 10);
    let e = signer.sign(9, &[1; 32]).unwrap_err();
    assert!(matches!(e, Error::Refused(DurableError::EpochUsed { epoch: 9, next: 10 })), "{e:?}");
    signer.sign(10, &[1; 32]).unwrap();
    let e = signer.sign(10, &[2; 32]).unwrap_err();
    assert!(matches!(e, Error::Refused(DurableError::DifferentMessage { epoch: 10 })), "{e:?}");
    let e = signer.sign(40, &[1; 32]).unwrap_err();
    assert!(matches!(e, Error::NotSignable(SignError::NotPrepared { epoch: 40, .. })), "{e:?}");
    let e = signer.prepare_until(300).unwrap_err();
    assert!(matches!(e, Error::NotSignable(SignError::OutsideActivation { epoch: 300, .. })), "{e:?}");
    signer.prepare_until(40).unwrap();
    signer.sign(40, &[1; 32]).unwrap();

    let e = by_name::open(&dir).err().unwrap();
    assert!(matches!(e, Error::Locked(DurableError::Locked(_))), "{e:?}");
    let seed = Zeroizing::new([2; 32]);
    let e =
        by_name::generate(InstanceId::Test, &dir, Origin::Seed { seed: &seed, first_epoch: 0 }, 0, Some(64))
            .err()
            .unwrap();
    assert!(matches!(e, Error::Locked(_) | Error::KeyDirectory(DurableError::AlreadyExists(_))), "{e:?}");
    drop(signer);
    let reopened = by_name::open(&dir).unwrap();
    assert_eq!(reopened.info().next_epoch, 41);
    drop(reopened);
    std::fs::remove_dir_all(&dir).unwrap();

    let e = by_name::open(&tmp("missing")).err().unwrap();
    assert!(matches!(e, Error::KeyDirectory(DurableError::Io { .. })), "{e:?}");
}

#[test]
fn verify_rejects_an_undecodable_public_key_without_panicking() {
    let e = by_name::verify(InstanceId::Devnet4, &[0xff; 52], 0, &[0; 32], &[0; 2536]).unwrap_err();
    assert!(matches!(e, VerifyError::Decode(DecodeError::NonCanonicalFieldElement { .. })), "{e:?}");
    let e = by_name::verify(InstanceId::Leanvm, &[], 0, &[0; 32], &[]).unwrap_err();
    assert!(matches!(e, VerifyError::Decode(DecodeError::Length { .. })), "{e:?}");
}
