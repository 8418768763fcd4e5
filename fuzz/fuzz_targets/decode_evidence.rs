#![no_main]
//! libFuzzer entry point; the check itself is `ndvt_fuzz::containers::decode_evidence`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| ndvt_fuzz::containers::decode_evidence(data));
