//! The dev IdP's short-lived codes and access tokens, in memory.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rand::RngCore;

/// Codes live this long.
const CODE_TTL: Duration = Duration::from_secs(60);
/// Access tokens live this long.
const TOKEN_TTL: Duration = Duration::from_secs(3600);

/// The person who filled in the form.
#[derive(Debug, Clone)]
pub struct DevUser {
    /// Typed name.
    pub name: String,
    /// Typed email.
    pub email: String,
}

/// What an authorization code was issued for.
#[derive(Debug, Clone)]
pub struct CodeGrant {
    /// PKCE S256 challenge.
    pub code_challenge: String,
    /// The nonce to put in the ID token.
    pub nonce: String,
    /// The signed-in person.
    pub user: DevUser,
    issued: Instant,
}

/// Codes and access tokens.
#[derive(Default)]
pub struct Grants {
    codes: Mutex<HashMap<String, CodeGrant>>,
    tokens: Mutex<HashMap<String, (DevUser, Instant)>>,
}

impl Grants {
    /// Issues a single-use code.
    pub fn issue_code(&self, code_challenge: String, nonce: String, user: DevUser) -> String {
        let code = random();
        let mut codes = self.codes.lock().unwrap_or_else(|p| p.into_inner());
        codes.retain(|_, g| g.issued.elapsed() < CODE_TTL);
        codes.insert(
            code.clone(),
            CodeGrant {
                code_challenge,
                nonce,
                user,
                issued: Instant::now(),
            },
        );
        code
    }

    /// Takes a code (it can be used once) if it has not expired.
    pub fn take_code(&self, code: &str) -> Option<CodeGrant> {
        let mut codes = self.codes.lock().unwrap_or_else(|p| p.into_inner());
        codes.remove(code).filter(|g| g.issued.elapsed() < CODE_TTL)
    }

    /// Issues an access token for userinfo.
    pub fn issue_token(&self, user: DevUser) -> String {
        let token = random();
        let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        tokens.retain(|_, (_, at)| at.elapsed() < TOKEN_TTL);
        tokens.insert(token.clone(), (user, Instant::now()));
        token
    }

    /// The person an access token was issued to.
    pub fn user_for_token(&self, token: &str) -> Option<DevUser> {
        let tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        tokens
            .get(token)
            .filter(|(_, at)| at.elapsed() < TOKEN_TTL)
            .map(|(u, _)| u.clone())
    }
}

fn random() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
