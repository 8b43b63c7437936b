//! What an OpenID Connect provider is, as data: issuer, scopes, extra
//! authorization parameters, required claims and each provider's deviations
//! from the standard (multi-tenant issuers, no PKCE, form_post, signed secrets).

use super::{ClientAuth, ProfileMapper};

/// An OpenID Connect provider.
#[derive(Debug, Clone)]
pub struct OidcSpec {
    /// The issuer, exactly as the provider spells it; metadata is discovered from it.
    pub issuer: String,
    /// Scopes requested (openid is always sent).
    pub scopes: Vec<String>,
    /// Extra authorization parameters (Google's `hd`, Apple's `response_mode`).
    pub auth_params: Vec<(String, String)>,
    /// ID token claims that must hold exactly these string values; a token
    /// without them is refused as an access rule (Google's `hd`).
    pub required_claims: Vec<(String, String)>,
    /// Token endpoint client authentication; `None` follows the metadata.
    pub client_auth: Option<ClientAuth>,
    /// Send PKCE S256 (LinkedIn refuses a code_verifier from web apps).
    pub pkce: bool,
    /// Whether ID tokens carry the nonce; when false a nonce is still checked
    /// if present, but its absence is accepted (LinkedIn).
    pub nonce_required: bool,
    /// A multi-tenant issuer whose metadata names a template (Microsoft).
    pub tenant_issuer: Option<Box<TenantIssuer>>,
    /// A client secret doorman signs itself (Apple) instead of the configured one.
    pub signed_secret: Option<Box<SignedSecret>>,
    /// Maps the merged ID token and userinfo claims to a profile.
    pub map_profile: ProfileMapper,
}

impl OidcSpec {
    /// A standard provider: discovery, PKCE, nonce, nothing extra.
    pub fn new(issuer: String, scopes: Vec<String>, map_profile: ProfileMapper) -> Self {
        Self {
            issuer,
            scopes,
            auth_params: Vec::new(),
            required_claims: Vec::new(),
            client_auth: None,
            pkce: true,
            nonce_required: true,
            tenant_issuer: None,
            signed_secret: None,
            map_profile,
        }
    }

    /// Whether the provider posts its callback cross-site (response_mode=form_post):
    /// the login-state cookie must then be SameSite=None; Secure.
    pub fn form_post(&self) -> bool {
        self.auth_params
            .iter()
            .any(|(k, v)| k == "response_mode" && v == "form_post")
    }
}

/// Microsoft's multi-tenant issuers: the metadata publishes an issuer with a
/// placeholder that the token's tenant claim fills in.
#[derive(Debug, Clone)]
pub struct TenantIssuer {
    /// The placeholder in the metadata's issuer, e.g. `{tenantid}`.
    pub placeholder: &'static str,
    /// The ID token claim holding the tenant, e.g. `tid`.
    pub claim: &'static str,
    /// Tenants accepted; `None` accepts any.
    pub allowed: Option<Vec<String>>,
}

/// A client secret that is a JWT signed by doorman (Sign in with Apple):
/// iss = `issuer`, sub = the client id, aud = the provider's issuer.
#[derive(Debug, Clone)]
pub struct SignedSecret {
    /// The signing key (ES256).
    pub key: jsonwebtoken::EncodingKey,
    /// The JWT header's `kid`.
    pub key_id: String,
    /// The JWT's `iss` (Apple: the team id).
    pub issuer: String,
    /// How long a signed secret is valid.
    pub lifetime_secs: i64,
}

/// Reads an ES256 signing key from a PKCS#8 PEM file (Apple's .p8) at start,
/// and signs once with it so that a bad key stops start-up, not a sign-in.
pub fn load_es256_key(path: &std::path::Path) -> Result<jsonwebtoken::EncodingKey, String> {
    use jsonwebtoken::{Algorithm, EncodingKey, Header};
    let shown = path.display();
    let pem = std::fs::read(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
    EncodingKey::from_ec_pem(&pem)
        .and_then(|key| {
            jsonwebtoken::encode(&Header::new(Algorithm::ES256), &serde_json::json!({}), &key)
                .map(|_| key)
        })
        .map_err(|e| format!("{shown} is not a PKCS#8 P-256 key (.p8): {e}"))
}
