//! `ndvt` with no arguments: keygen → durable sign → verify on the test instance, narrated.

use std::time::Instant;

use ndvt_xmss::{DurableError, DurableSigner, Instance, SecretKey, Signature, TestInstance};

type I = TestInstance;

/// Runs the demonstration in a fresh temporary key directory.
pub fn run() -> anyhow::Result<()> {
    println!("ndvt demo: generalized XMSS (Poseidon1/KoalaBear, leanSig-compatible), test instance");
    println!(
        "  lifetime 2^{} epochs, {} chains of length {}, target sum {}",
        I::LOG_LIFETIME,
        I::DIMENSION,
        I::BASE,
        I::TARGET_SUM
    );
    let seed = [0x5e; 32];
    let t = Instant::now();
    let (sk, pk) = SecretKey::<I>::from_seed(&seed, 0, I::LIFETIME)?;
    println!(
        "1. keygen from a fixed demo seed: {} epochs in {:.1} ms; public key {} ({} bytes)",
        sk.activation().end - sk.activation().start,
        t.elapsed().as_secs_f64() * 1e3,
        hex::encode(pk.to_bytes()),
        pk.to_bytes().len()
    );

    let dir = std::env::temp_dir().join(format!("ndvt-demo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut signer = DurableSigner::create(&dir, sk, 0)?;
    println!(
        "2. stored in {} with a durable signing record (watermark persisted before every release)",
        dir.display()
    );

    let message = [0xab; 32];
    let t = Instant::now();
    let signature = signer.sign_at(7, &message)?;
    let bytes = signature.to_bytes();
    println!(
        "3. signed message {}… at epoch 7 in {:.2} ms: {} bytes, watermark now {:?}",
        &hex::encode(message)[..16],
        t.elapsed().as_secs_f64() * 1e3,
        bytes.len(),
        signer.record().watermark()
    );

    let decoded = Signature::<I>::from_bytes(&bytes)?;
    let t = Instant::now();
    pk.verify(7, &message, &decoded)?;
    println!("4. verified in {:.3} ms: valid", t.elapsed().as_secs_f64() * 1e3);

    let wrong_epoch = pk.verify(8, &message, &decoded);
    let mut tampered = bytes.clone();
    tampered[100] ^= 1;
    let tampered = pk.verify_bytes(7, &message, &tampered);
    println!("5. wrong epoch rejected: {}", describe(wrong_epoch));
    println!("   one flipped bit rejected: {}", describe(tampered));

    match signer.sign_at(7, &[0xcd; 32]) {
        Err(e @ DurableError::DifferentMessage { .. }) => {
            println!("6. a second message at epoch 7 refused: {e}")
        }
        other => anyhow::bail!("the durable signer should have refused, got {other:?}"),
    }
    let again = signer.sign_at(7, &message)?;
    println!("   repeating the same (epoch, message) returns identical bytes: {}", again.to_bytes() == bytes);
    drop(signer);
    std::fs::remove_dir_all(&dir)?;
    println!("done. Try `ndvt key generate --instance devnet4 --out DIR` and `ndvt --help`.");
    Ok(())
}

fn describe(r: Result<(), ndvt_xmss::VerifyError>) -> String {
    match r {
        Ok(()) => "NOT REJECTED".into(),
        Err(e) => crate::describe(&e),
    }
}
