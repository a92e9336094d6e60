//! Which credentials sign each attempt: botocore's `RefreshableCredentials.get_frozen_credentials`, run
//! before every signature. Static keys sign as they are. Credentials with an expiry are fetched again
//! when less than 15 minutes are left (a failure keeps the old ones, unless less than 10 are left), and
//! fetched credentials that are already expired are an error. Assume-role, web-identity and SSO
//! credentials start empty and are fetched at the first signature (botocore's
//! `DeferredRefreshableCredentials`); an MFA role cannot be fetched twice in one run.

use super::{CallError, Client};
use crate::config::credentials::expiry::{self, Expiry, RefreshNeed};
use crate::config::credentials::{
    refetch, AssumeRole, CredentialError, Credentials, Refresh, SourceCredentials, SsoRole,
    WebIdentity,
};

/// What a holder fetches from.
enum Kind {
    Static,
    Expiring(Refresh),
    Role {
        role: Box<AssumeRole>,
        source: Box<Holder>,
        fetched_with_mfa: bool,
    },
    WebIdentity(Box<WebIdentity>),
    Sso(Box<SsoRole>),
}

/// One credential source and the credentials it last gave.
pub(super) struct Holder {
    kind: Kind,
    current: Option<(Credentials, Option<Expiry>)>,
}

fn credential(e: CredentialError) -> CallError {
    CallError::Credentials(e)
}

impl Holder {
    pub(super) fn new(source: &SourceCredentials) -> Holder {
        match source {
            SourceCredentials::Ready(creds) => Holder {
                kind: Kind::Static,
                current: Some((creds.clone(), None)),
            },
            SourceCredentials::Expiring {
                creds,
                expiry,
                refresh,
            } => Holder {
                kind: Kind::Expiring(refresh.clone()),
                current: Some((creds.clone(), Some(*expiry))),
            },
            SourceCredentials::Role(role) => Holder {
                kind: Kind::Role {
                    source: Box::new(Holder::new(&role.source)),
                    role: role.clone(),
                    fetched_with_mfa: false,
                },
                current: None,
            },
            SourceCredentials::WebIdentity(web) => Holder {
                kind: Kind::WebIdentity(web.clone()),
                current: None,
            },
            SourceCredentials::Sso(role) => Holder {
                kind: Kind::Sso(role.clone()),
                current: None,
            },
        }
    }

    /// The credentials to sign with now, fetching them again when botocore would.
    pub(super) fn frozen(&mut self, client: &Client) -> Result<Credentials, CallError> {
        let need = match &self.current {
            None => RefreshNeed::Mandatory,
            Some((creds, None)) => return Ok(creds.clone()),
            Some((_, Some(expiry))) => {
                let left = expiry
                    .seconds_left(expiry::now_seconds())
                    .map_err(|m| credential(CredentialError::Other(m)))?;
                expiry::refresh_need(left)
            }
        };
        if need == RefreshNeed::None {
            if let Some((creds, _)) = &self.current {
                return Ok(creds.clone());
            }
        }
        match self.fetch(client) {
            Ok((creds, expiry)) => {
                let left = expiry
                    .seconds_left(expiry::now_seconds())
                    .map_err(|m| credential(CredentialError::Other(m)))?;
                self.current = Some((creds.clone(), Some(expiry)));
                if left < 0.0 {
                    return Err(credential(CredentialError::StillExpired));
                }
                Ok(creds)
            }
            // An advisory refresh that fails keeps the credentials there are.
            Err(e) if need == RefreshNeed::Advisory && !matches!(e, CallError::Interrupted) => {
                client.log.write(
                    "botocore.credentials",
                    "WARNING",
                    "Refreshing temporary credentials failed during advisory refresh period.",
                );
                match &self.current {
                    Some((creds, _)) => Ok(creds.clone()),
                    None => Err(e),
                }
            }
            Err(e) => Err(e),
        }
    }

    fn fetch(&mut self, client: &Client) -> Result<(Credentials, Expiry), CallError> {
        match &mut self.kind {
            Kind::Static => match &self.current {
                Some((creds, _)) => Ok((creds.clone(), Expiry::Aware(f64::INFINITY))),
                None => Err(CallError::NoCredentials),
            },
            Kind::Expiring(refresh) => refetch(&client.cfg, refresh).map_err(credential),
            Kind::Role {
                role,
                source,
                fetched_with_mfa,
            } => {
                if role.mfa_serial.is_some() {
                    if *fetched_with_mfa {
                        return Err(credential(CredentialError::MfaRefresh));
                    }
                    *fetched_with_mfa = true;
                }
                client.fetch_assume_role(role, source)
            }
            Kind::WebIdentity(web) => client.fetch_web_identity(web),
            Kind::Sso(role) => client.fetch_sso(role),
        }
    }
}
