//! The keystore and interchange parsers' fuzz check (`decode_keystore`). It depends only on ndvt-keystore
//! and ndvt-xmss, so `keystore/tests/fuzz_corpus.rs` includes this file by path and replays the corpus on
//! stable.
//!
//! The first byte picks the parser: even → an EIP-8310 keystore, odd → an EIP-3076 interchange file; the rest
//! is the file. An accepted file must re-encode to a file that is accepted again and re-encodes identically
//! (the writer is canonical); an accepted keystore of the test instance is decrypted with the seeds' password
//! under KDF limits small enough for fuzzing, and a key it yields must be the one the keystore names (the
//! library checks that; here it must simply not panic).

use ndvt_keystore::{Interchange, KdfLimits, Keystore, Password};

/// The password the seed keystores are encrypted under.
pub const PASSWORD: &str = "fuzz";

/// KDF limits for fuzzing: at most 1 MiB of memory and a few passes, so each input stays fast.
pub fn limits() -> KdfLimits {
    KdfLimits {
        max_memory_bytes: 1 << 20,
        max_iterations: 2,
        max_parallelism: 2,
        max_scrypt_log_n: 10,
        max_scrypt_work: 1 << 14,
    }
}

/// The `decode_keystore` check.
pub fn decode_keystore(data: &[u8]) {
    let Some((&selector, file)) = data.split_first() else { return };
    if selector % 2 == 0 {
        let Ok(keystore) = Keystore::from_json_with_limits(file, &limits()) else { return };
        let text = keystore.to_json();
        let again = Keystore::from_json_with_limits(text.as_bytes(), &limits())
            .unwrap_or_else(|e| panic!("a re-encoded keystore is refused: {e}"));
        assert_eq!(again.to_json(), text, "the keystore writer is not canonical");
        if keystore.instance() == "test" {
            let _ = keystore.decrypt::<ndvt_xmss::TestInstance>(&Password::new(PASSWORD));
        }
    } else {
        let Ok(history) = Interchange::from_json(file) else { return };
        let text = history.to_json();
        let again = Interchange::from_json(text.as_bytes())
            .unwrap_or_else(|e| panic!("a re-encoded interchange file is refused: {e}"));
        assert_eq!(again, history, "the interchange round trip changed the history");
        assert_eq!(again.to_json(), text, "the interchange writer is not canonical");
    }
}
