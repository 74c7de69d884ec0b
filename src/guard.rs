//! Turning a panic inside one document's work into a message, so that one document that trips a
//! bug in chaff is reported (and written as well as it can be) instead of ending the whole run.

/// Runs `f`, turning a panic into its message. (The panic message is also printed on stderr by
/// the standard panic hook.)
pub(crate) fn guarded<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|panic| {
        panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned())
    })
}
