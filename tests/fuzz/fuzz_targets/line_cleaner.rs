#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| chaff_fuzz::line_cleaner(data));
