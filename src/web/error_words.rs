//! What a failed sign-in's page says: what happened, in plain words, with
//! no provider text in it (details go to the log).

use crate::flow::FlowError;
use crate::store;

/// The page's sentence for a sign-in the browser's request could not
/// complete (a 400).
pub fn bad_callback(e: &FlowError) -> &'static str {
    use FlowError as F;
    match e {
        F::MissingLoginState | F::StateMismatch => {
            "This sign-in attempt was not started in this browser, was already used, or was \
             replaced by a newer one (for example in another tab). Please start again."
        }
        F::Expired => "This sign-in attempt took too long and expired. Please start again.",
        F::ProviderDenied(_) => {
            "The sign-in was cancelled or denied at the provider. \
             You can try again, or choose another way to sign in."
        }
        F::CodeRejected => {
            "The provider did not accept this sign-in attempt, perhaps because it was already \
             used. Please start again."
        }
        F::IssuerMismatch | F::MissingParameter(_) => {
            "The answer that came back did not look like it came from the provider. \
             Please start again."
        }
        F::LinkSessionChanged => {
            "You signed out or switched accounts while linking, so nothing was linked. \
             Sign in again and link the account from your account page."
        }
        _ => "The sign-in could not be completed. Please start again.",
    }
}

/// The page's sentence for a link or unlink the stored accounts forbid (409).
pub fn conflict(e: &store::Error) -> &'static str {
    match e {
        store::Error::UnlinkRefused(store::UnlinkRefusal::LastIdentity) => {
            "This is your only way to sign in, so it cannot be unlinked."
        }
        store::Error::UnlinkRefused(store::UnlinkRefusal::CurrentIdentity) => {
            "You are signed in with this account right now. \
             Sign in with another one first, then unlink it."
        }
        _ => {
            "That account is already linked to another user, so it cannot be linked here. \
             Nothing was changed."
        }
    }
}
