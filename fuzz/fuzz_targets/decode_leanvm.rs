#![no_main]
//! libFuzzer entry point; the check itself is `ndvt_fuzz::checks::decode_leanvm`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| ndvt_fuzz::checks::decode_leanvm(data));
