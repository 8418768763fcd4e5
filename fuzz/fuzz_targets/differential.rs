#![no_main]
//! libFuzzer entry point; the check itself is `ndvt_fuzz::checks::differential`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| ndvt_fuzz::checks::differential(data));
