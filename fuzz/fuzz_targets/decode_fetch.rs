#![no_main]
//! libFuzzer entry point; the check itself is `ndvt_fuzz::gossip::decode_fetch`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| ndvt_fuzz::gossip::decode_fetch(data));
