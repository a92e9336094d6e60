//! Which failures are retried, how many attempts there are, and how long to sleep between them, for
//! botocore's `legacy` (the default: 5 attempts, `_retry.json` policies, `rand * 2**(n-1)` seconds) and
//! `standard`/`adaptive` (3 attempts, transient + throttling errors, `rand * min(2**(n-1), 20)` seconds).

use crate::call::error::CallError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryMode {
    Legacy,
    Standard,
    Adaptive,
}

impl RetryMode {
    pub fn name(self) -> &'static str {
        match self {
            RetryMode::Legacy => "legacy",
            RetryMode::Standard => "standard",
            RetryMode::Adaptive => "adaptive",
        }
    }

    /// The user-agent feature id (`RETRY_MODE_*`).
    pub fn feature_id(self) -> &'static str {
        match self {
            RetryMode::Legacy => "D",
            RetryMode::Standard => "E",
            RetryMode::Adaptive => "F",
        }
    }
}

/// The retry configuration of a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub mode: RetryMode,
    /// Total attempts, the first included.
    pub max_attempts: u32,
}

impl RetryPolicy {
    /// Validates `retry_mode` and `max_attempts` as botocore does when it builds the client config.
    pub fn from_settings(
        mode: Option<&str>,
        max_attempts: Option<&str>,
    ) -> Result<RetryPolicy, CallError> {
        let mode = match mode {
            None | Some("legacy") => RetryMode::Legacy,
            Some("standard") => RetryMode::Standard,
            Some("adaptive") => RetryMode::Adaptive,
            Some(other) => return Err(CallError::InvalidRetryMode(other.to_owned())),
        };
        let max_attempts = match max_attempts {
            None => match mode {
                RetryMode::Legacy => 5,
                _ => 3,
            },
            Some(text) => {
                let cleaned: String = text.trim().chars().filter(|c| *c != '_').collect();
                let n: i64 = cleaned
                    .parse()
                    .map_err(|_| CallError::InvalidMaxAttempts(text.to_owned()))?;
                if n < 1 {
                    return Err(CallError::MaxAttemptsTooSmall(n));
                }
                n.min(1000) as u32
            }
        };
        Ok(RetryPolicy { mode, max_attempts })
    }

    /// Whether the outcome of an attempt is retryable in this mode (attempt counting is the caller's).
    pub fn is_retryable(&self, outcome: &Outcome<'_>) -> bool {
        match (self.mode, outcome) {
            (_, Outcome::Transport) => true,
            (RetryMode::Legacy, Outcome::Response { status, code }) => {
                matches!(status, 500 | 502 | 503 | 504 | 509 | 429)
                    || (*status == 400
                        && matches!(
                            *code,
                            "Throttling"
                                | "ThrottlingException"
                                | "ThrottledException"
                                | "RequestThrottledException"
                                | "ProvisionedThroughputExceededException"
                        ))
            }
            (_, Outcome::Response { status, code }) => {
                matches!(status, 500 | 502 | 503 | 504)
                    || matches!(
                        *code,
                        "RequestTimeout"
                            | "RequestTimeoutException"
                            | "PriorRequestNotComplete"
                            | "Throttling"
                            | "ThrottlingException"
                            | "ThrottledException"
                            | "RequestThrottledException"
                            | "TooManyRequestsException"
                            | "ProvisionedThroughputExceededException"
                            | "TransactionInProgressException"
                            | "RequestLimitExceeded"
                            | "BandwidthLimitExceeded"
                            | "LimitExceededException"
                            | "RequestThrottled"
                            | "SlowDown"
                            | "EC2ThrottledException"
                    )
            }
        }
    }

    /// Seconds to sleep after failed attempt `attempt` (1-based), given a uniform random number in [0, 1).
    pub fn delay_seconds(&self, attempt: u32, random: f64) -> f64 {
        let growth = 2f64.powi(attempt.saturating_sub(1).min(62) as i32);
        match self.mode {
            RetryMode::Legacy => random * growth,
            _ => random * growth.min(20.0),
        }
    }
}

/// What an attempt produced, as far as retrying is concerned.
pub enum Outcome<'a> {
    /// A connection, timeout, closed-connection or TLS failure.
    Transport,
    /// An HTTP error response with its parsed error code.
    Response { status: u16, code: &'a str },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_validation() {
        assert_eq!(
            RetryPolicy::from_settings(None, None),
            Ok(RetryPolicy {
                mode: RetryMode::Legacy,
                max_attempts: 5
            })
        );
        assert_eq!(
            RetryPolicy::from_settings(Some("standard"), None).map(|p| p.max_attempts),
            Ok(3)
        );
        assert_eq!(
            RetryPolicy::from_settings(None, Some(" 2 ")).map(|p| p.max_attempts),
            Ok(2)
        );
        assert!(RetryPolicy::from_settings(Some("fast"), None).is_err());
        assert!(RetryPolicy::from_settings(None, Some("x")).is_err());
        let legacy = RetryPolicy {
            mode: RetryMode::Legacy,
            max_attempts: 5,
        };
        assert!(!legacy.is_retryable(&Outcome::Response {
            status: 400,
            code: "LimitExceededException"
        }));
        assert!(legacy.is_retryable(&Outcome::Response {
            status: 429,
            code: "Anything"
        }));
        let standard = RetryPolicy {
            mode: RetryMode::Standard,
            max_attempts: 3,
        };
        assert!(standard.is_retryable(&Outcome::Response {
            status: 400,
            code: "LimitExceededException"
        }));
        assert_eq!(standard.delay_seconds(10, 0.5), 10.0);
        assert_eq!(legacy.delay_seconds(3, 0.5), 2.0);
    }
}
