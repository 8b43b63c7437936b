//! Fuzz target `config`: arbitrary text through `Config::from_toml` and, when
//! it is accepted, through the provider registry built from it; neither may
//! panic.
#![no_main]

use std::path::Path;

use doorman::config::Config;
use doorman::providers::Registry;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(config) = Config::from_toml(text, Path::new("fuzz.toml")) else {
        return;
    };
    // Apple's preset reads its .p8 key file at start; a fuzzed path could
    // name /dev/zero, so such configs stop at parsing.
    if config
        .providers
        .values()
        .any(|p| p.private_key_file.is_some())
    {
        return;
    }
    if let Ok(registry) = Registry::from_config(&config) {
        for provider in registry.iter() {
            assert!(config.providers.contains_key(&provider.name) || provider.name == "dev");
            assert!(provider.redirect_uri.ends_with("/callback"));
        }
    }
});
