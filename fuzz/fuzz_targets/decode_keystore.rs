#![no_main]
//! libFuzzer entry point; the check itself is `ndvt_fuzz::keystore::decode_keystore`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| ndvt_fuzz::keystore::decode_keystore(data));
