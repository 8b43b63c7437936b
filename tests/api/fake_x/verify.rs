//! The fake provider's own RFC 5849 HMAC-SHA1 verification, written apart
//! from doorman's signing code so that each checks the other.

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha1::Sha1;

/// RFC 3986 unreserved characters are kept; everything else is encoded.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn enc(text: &str) -> String {
    utf8_percent_encode(text, UNRESERVED).to_string()
}

/// A request as the provider received it.
pub struct Received<'a> {
    /// GET or POST.
    pub method: &'a str,
    /// scheme://host[:port]/path, no query.
    pub base_uri: &'a str,
    /// The raw query, if any.
    pub query: Option<&'a str>,
    /// A form-encoded body (empty when there is none).
    pub form: &'a [u8],
}

/// The `oauth_*` parameters of an `Authorization: OAuth ...` header, decoded.
pub fn oauth_params(header: &str) -> Option<BTreeMap<String, String>> {
    let rest = header.strip_prefix("OAuth ")?;
    let mut params = BTreeMap::new();
    for part in rest.split(',') {
        let (key, value) = part.trim().split_once('=')?;
        let value = value.strip_prefix('"')?.strip_suffix('"')?;
        let value = percent_decode_str(value).decode_utf8().ok()?.into_owned();
        params.insert(key.to_owned(), value);
    }
    Some(params)
}

/// The signature base string (RFC 5849 3.4.1).
pub fn base_string(request: &Received<'_>, oauth: &BTreeMap<String, String>) -> String {
    let query = url::form_urlencoded::parse(request.query.unwrap_or("").as_bytes());
    let form = url::form_urlencoded::parse(request.form);
    let mut pairs: Vec<(String, String)> = query
        .chain(form)
        .map(|(k, v)| (enc(&k), enc(&v)))
        .chain(
            oauth
                .iter()
                .filter(|(k, _)| *k != "oauth_signature" && *k != "realm")
                .map(|(k, v)| (enc(k), enc(v))),
        )
        .collect();
    pairs.sort();
    let normalized: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!(
        "{}&{}&{}",
        request.method.to_ascii_uppercase(),
        enc(request.base_uri),
        enc(&normalized.join("&"))
    )
}

fn mac(consumer_secret: &str, token_secret: &str) -> Hmac<Sha1> {
    let key = format!("{}&{}", enc(consumer_secret), enc(token_secret));
    Hmac::<Sha1>::new_from_slice(key.as_bytes()).expect("HMAC takes any key")
}

/// base64(HMAC-SHA1(key, base string)).
pub fn sign(base: &str, consumer_secret: &str, token_secret: &str) -> String {
    let mut mac = mac(consumer_secret, token_secret);
    mac.update(base.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// Checks the method and the signature (in constant time).
pub fn verify(
    request: &Received<'_>,
    oauth: &BTreeMap<String, String>,
    consumer_secret: &str,
    token_secret: &str,
) -> Result<(), String> {
    if oauth.get("oauth_signature_method").map(String::as_str) != Some("HMAC-SHA1") {
        return Err("oauth_signature_method is not HMAC-SHA1".into());
    }
    let sent = oauth
        .get("oauth_signature")
        .and_then(|s| STANDARD.decode(s).ok())
        .ok_or("no readable oauth_signature")?;
    let mut mac = mac(consumer_secret, token_secret);
    mac.update(base_string(request, oauth).as_bytes());
    mac.verify_slice(&sent)
        .map_err(|_| "the signature does not verify".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONSUMER_SECRET: &str = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw";
    const TOKEN_SECRET: &str = "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE";

    #[test]
    fn the_verifier_reproduces_xs_documented_signature() {
        let header = "OAuth oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\", \
            oauth_nonce=\"kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg\", \
            oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"1318622958\", \
            oauth_token=\"370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb\", \
            oauth_version=\"1.0\"";
        let mut oauth = oauth_params(header).unwrap();
        let request = Received {
            method: "POST",
            base_uri: "https://api.twitter.com/1.1/statuses/update.json",
            query: Some("include_entities=true"),
            form: b"status=Hello%20Ladies%20%2b%20Gentlemen%2c%20a%20signed%20OAuth%20request%21",
        };
        let signature = sign(
            &base_string(&request, &oauth),
            CONSUMER_SECRET,
            TOKEN_SECRET,
        );
        assert_eq!(signature, "hCtSmYh+iHYCEqBWrE7C7hYmtUk=");
        oauth.insert("oauth_signature".into(), signature);
        assert!(verify(&request, &oauth, CONSUMER_SECRET, TOKEN_SECRET).is_ok());
        assert!(verify(&request, &oauth, CONSUMER_SECRET, "wrong").is_err());
    }
}
