//! OAuth 1.0a request signing (RFC 5849 section 3, HMAC-SHA1) on the
//! oauth1-request crate: the `Authorization` header for a method, a URL (its
//! query parameters are signed) and a form body.

use std::num::NonZeroU64;

use oauth1::request::AssertSorted;
use oauth1::signature_method::SignatureMethod;
use oauth1_request as oauth1;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but RFC 3986 unreserved characters is encoded (RFC 5849 3.6).
const RESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The credentials and protocol parameters a request is signed with.
#[derive(Clone, Copy)]
pub struct Signer<'a> {
    consumer_key: &'a str,
    consumer_secret: &'a str,
    token: Option<(&'a str, &'a str)>,
    callback: Option<&'a str>,
    verifier: Option<&'a str>,
    pinned: Option<(&'a str, u64)>,
    version: bool,
}

impl<'a> Signer<'a> {
    /// Signs with the client credentials (the consumer key and secret).
    pub fn new(consumer_key: &'a str, consumer_secret: &'a str) -> Self {
        Signer {
            consumer_key,
            consumer_secret,
            token: None,
            callback: None,
            verifier: None,
            pinned: None,
            version: true,
        }
    }

    /// Adds temporary or token credentials: `oauth_token` and its secret.
    pub fn token(self, token: &'a str, secret: &'a str) -> Self {
        Signer {
            token: Some((token, secret)),
            ..self
        }
    }

    /// Adds `oauth_callback` (the temporary credentials request).
    pub fn callback(self, callback: &'a str) -> Self {
        Signer {
            callback: Some(callback),
            ..self
        }
    }

    /// Adds `oauth_verifier` (the token credentials request).
    pub fn verifier(self, verifier: &'a str) -> Self {
        Signer {
            verifier: Some(verifier),
            ..self
        }
    }

    /// The `Authorization` header value for `method` on `url` with the form body `form`.
    pub fn authorization(&self, method: &str, url: &url::Url, form: &[(String, String)]) -> String {
        self.authorize_with(oauth1::HMAC_SHA1, method, url, form)
    }

    fn authorize_with<SM>(
        &self,
        signature: SM,
        method: &str,
        url: &url::Url,
        form: &[(String, String)],
    ) -> String
    where
        SM: SignatureMethod + Clone,
    {
        let client = oauth1::Credentials::new(self.consumer_key, self.consumer_secret);
        let mut builder = oauth1::Builder::new(client, signature);
        builder
            .token(self.token.map(|(t, s)| oauth1::Credentials::new(t, s)))
            .callback(self.callback)
            .verifier(self.verifier)
            .version(self.version);
        if let Some((nonce, timestamp)) = self.pinned {
            builder.nonce(nonce).timestamp(NonZeroU64::new(timestamp));
        }
        let params = parameters(url, form);
        let request = AssertSorted::new(params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        builder.authorize(method, base_uri(url), &request)
    }
}

/// The base string URI (RFC 5849 3.4.1.2): no query, no fragment; the url
/// crate already lower-cases scheme and host and drops a default port.
fn base_uri(url: &url::Url) -> String {
    let mut base = url.clone();
    base.set_query(None);
    base.set_fragment(None);
    base.to_string()
}

/// The request parameters (query and form, RFC 5849 3.4.1.3) in the order
/// and form oauth1-request expects: sorted by encoded name then encoded value;
/// names double-encoded (the crate writes them into the base string as they
/// are), values raw (the crate encodes them).
fn parameters(url: &url::Url, form: &[(String, String)]) -> Vec<(String, String)> {
    let mut params: Vec<(String, String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .chain(form.iter().cloned())
        .map(|(k, v)| (encode(&encode(&k)), encode(&v), v))
        .collect();
    params.sort();
    params.into_iter().map(|(k, _, v)| (k, v)).collect()
}

fn encode(text: &str) -> String {
    utf8_percent_encode(text, RESERVED).to_string()
}

#[cfg(test)]
mod tests {
    use std::fmt::{Display, Write};

    use oauth1::signature_method::Sign;

    use super::*;

    /// A signature method whose "signature" is the base string it was fed.
    #[derive(Clone)]
    struct BaseString;

    struct BaseStringSign(String);

    impl SignatureMethod for BaseString {
        type Sign = BaseStringSign;
        fn sign_with(self, _: &str, _: Option<&str>) -> BaseStringSign {
            BaseStringSign(String::new())
        }
    }

    impl Sign for BaseStringSign {
        type Signature = String;
        fn get_signature_method_name(&self) -> &'static str {
            "HMAC-SHA1"
        }
        fn request_method(&mut self, method: &str) {
            write!(self.0, "{method}&").unwrap();
        }
        fn uri<T: Display>(&mut self, uri: T) {
            write!(self.0, "{uri}&").unwrap();
        }
        fn parameter<V: Display>(&mut self, key: &str, value: V) {
            write!(self.0, "{key}%3D{value}").unwrap();
        }
        fn delimiter(&mut self) {
            self.0.push_str("%26");
        }
        fn end(self) -> String {
            self.0
        }
    }

    fn signature_of(header: &str) -> &str {
        let (_, rest) = header.split_once("oauth_signature=\"").unwrap();
        rest.trim_end_matches('"')
    }

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_rfc_5849_example_gives_its_signature_base_string() {
        // RFC 5849 section 3.4.1.1 (the example has no oauth_version).
        let url =
            url::Url::parse("http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b").unwrap();
        let signer = Signer {
            pinned: Some(("7d8f3e4a", 137131201)),
            version: false,
            ..Signer::new("9djdj82h48djs9d2", "j49sk3j29djd")
                .token("kkk9d7dh3k39sjv7", "dh893hdasih9")
        };
        let body = form(&[("c2", ""), ("a3", "2 q")]);
        let header = signer.authorize_with(BaseString, "POST", &url, &body);
        assert_eq!(
            signature_of(&header),
            "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q\
             %26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_\
             key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m\
             ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk\
             9d7dh3k39sjv7"
        );
    }

    fn x_example() -> (Signer<'static>, url::Url, Vec<(String, String)>) {
        let signer = Signer {
            pinned: Some(("kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", 1318622958)),
            ..Signer::new(
                "xvz1evFS4wEEPTGEFPHBog",
                "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
            )
            .token(
                "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
                "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
            )
        };
        let url = url::Url::parse(
            "https://api.twitter.com/1.1/statuses/update.json?include_entities=true",
        )
        .unwrap();
        let body = form(&[(
            "status",
            "Hello Ladies + Gentlemen, a signed OAuth request!",
        )]);
        (signer, url, body)
    }

    #[test]
    fn the_x_example_gives_its_documented_base_string() {
        let (signer, url, body) = x_example();
        let header = signer.authorize_with(BaseString, "POST", &url, &body);
        assert_eq!(
            signature_of(&header),
            "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&\
             include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog\
             %26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_s\
             ignature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_to\
             ken%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_vers\
             ion%3D1.0%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%25\
             20a%2520signed%2520OAuth%2520request%2521"
        );
    }

    #[test]
    fn the_x_example_gives_its_documented_signature() {
        let (signer, url, body) = x_example();
        let header = signer.authorization("POST", &url, &body);
        // hCtSmYh+iHYCEqBWrE7C7hYmtUk= percent-encoded in the header.
        assert_eq!(signature_of(&header), "hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D");
        assert!(header.starts_with("OAuth "));
        assert!(header.contains("oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\""));
        assert!(header.contains("oauth_version=\"1.0\""));
    }

    #[test]
    fn callback_and_verifier_are_signed_and_sent() {
        let url = url::Url::parse("https://provider.example/oauth/request_token").unwrap();
        let signer = Signer::new("key", "secret").callback("http://127.0.0.1:8080/auth/x/callback");
        let header = signer.authorization("POST", &url, &[]);
        assert!(header
            .contains("oauth_callback=\"http%3A%2F%2F127.0.0.1%3A8080%2Fauth%2Fx%2Fcallback\""));
        let signer = Signer::new("key", "secret").token("t", "s").verifier("v 1");
        let header = signer.authorize_with(BaseString, "POST", &url, &[]);
        assert!(header.contains("oauth_verifier=\"v%201\""));
        assert!(signature_of(&header).contains("oauth_verifier%3Dv%25201"));
    }
}
