//! Proxies from the environment, as botocore 1.43.11 finds and uses them: urllib's
//! `getproxies_environment` (`HTTP_PROXY`, `HTTPS_PROXY`, `NO_PROXY` and their lower-case forms; the
//! lower-case one wins and an empty one unsets the other; `HTTP_PROXY` is ignored when `REQUEST_METHOD`
//! is set, as for a CGI script) and `proxy_bypass_environment` (`NO_PROXY` as host names and suffixes,
//! `*` for all; no CIDR), botocore's `_fix_proxy_url` (a proxy without a scheme is `http://`), the
//! `Proxy-Authorization` of a proxy URL with `user:password`, and `mask_proxy_url` for messages.
//!
//! How a request goes through the proxy (forwarding for `http://`, a `CONNECT` tunnel for `https://`) is
//! [`super::send_via`]'s job; this module only decides which proxy, if any, and how to present it.

use std::collections::HashMap;

/// The proxies the environment names, by scheme (`http`, `https`, `no`, ...).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProxyEnv {
    proxies: HashMap<String, String>,
}

/// A proxy to send one request through.
#[derive(Debug, Clone, PartialEq)]
pub struct Proxy {
    /// The proxy URL as botocore uses it (after `_fix_proxy_url`).
    pub url: String,
    /// The URL with user and password masked, for messages.
    pub masked: String,
    /// TLS to the proxy itself (`https://` proxy URL).
    pub https: bool,
    pub host: String,
    pub port: u16,
    /// `Basic ...` from the URL's user and password (both needed).
    pub authorization: Option<String>,
}

impl ProxyEnv {
    /// `getproxies_environment()`: `names` are the environment's variable names in order, `get` reads one.
    pub fn from_env(names: &[String], get: &dyn Fn(&str) -> Option<String>) -> ProxyEnv {
        let mut proxies = HashMap::new();
        for name in names {
            let lower = name.to_lowercase();
            if let (Some(scheme), Some(value)) = (lower.strip_suffix("_proxy"), get(name)) {
                if !value.is_empty() {
                    proxies.insert(scheme.to_string(), value);
                }
            }
        }
        if get("REQUEST_METHOD").is_some() {
            proxies.remove("http");
        }
        for name in names {
            if let Some(scheme) = name.strip_suffix("_proxy") {
                let scheme = scheme.to_lowercase();
                match get(name) {
                    Some(value) if !value.is_empty() => {
                        proxies.insert(scheme, value);
                    }
                    Some(_) => {
                        proxies.remove(&scheme);
                    }
                    // Not in the environment after all (a name offered for a context's own lookup).
                    None => {}
                }
            }
        }
        ProxyEnv { proxies }
    }

    /// The proxy botocore sends a request for `url` through: none when `NO_PROXY` bypasses the URL's
    /// host, else the entry for its scheme (with `_fix_proxy_url`). `Err` carries urllib3's
    /// `Failed to parse: URL` for a proxy URL it cannot read.
    pub fn proxy_for(&self, url: &str) -> Result<Option<Proxy>, String> {
        let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
        let netloc = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if self.bypass(netloc) {
            return Ok(None);
        }
        match self.proxies.get(&scheme.to_ascii_lowercase()) {
            Some(proxy) => Proxy::parse(&fix_proxy_url(proxy)).map(Some),
            None => Ok(None),
        }
    }

    /// `proxy_bypass_environment(netloc)`.
    fn bypass(&self, host: &str) -> bool {
        let Some(no_proxy) = self.proxies.get("no") else {
            return false;
        };
        if no_proxy == "*" {
            return true;
        }
        let host = host.to_lowercase();
        let hostonly = split_port(&host);
        no_proxy
            .split(',')
            .map(|name| name.trim())
            .filter(|name| !name.is_empty())
            .any(|name| {
                let name = name.trim_start_matches('.').to_lowercase();
                if hostonly == name || host == name {
                    return true;
                }
                let suffix = format!(".{name}");
                hostonly.ends_with(&suffix) || host.ends_with(&suffix)
            })
    }
}

/// urllib's `_splitport`: the host without a trailing `:digits` (an empty port keeps the colon).
fn split_port(host: &str) -> &str {
    match host.rsplit_once(':') {
        Some((h, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    }
}

/// botocore's `_fix_proxy_url`.
fn fix_proxy_url(url: &str) -> String {
    if url.starts_with("http:") || url.starts_with("https:") {
        url.to_string()
    } else if url.starts_with("//") {
        format!("http:{url}")
    } else {
        format!("http://{url}")
    }
}

/// `%XX` decoding (`urllib.parse.unquote`), invalid escapes left as they are.
fn unquote(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((high * 16 + low) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

impl Proxy {
    /// Reads a (fixed) proxy URL the way urllib3's `parse_url` and `urlparse` do.
    pub fn parse(url: &str) -> Result<Proxy, String> {
        let fail = || format!("Failed to parse: {url}");
        let (scheme, rest) = url.split_once("://").ok_or_else(fail)?;
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((user, host)) => (Some(user), host),
            None => (None, authority),
        };
        let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
            let (h, tail) = v6.split_once(']').ok_or_else(fail)?;
            (h.to_string(), tail.strip_prefix(':'))
        } else {
            match hostport.rsplit_once(':') {
                Some((h, p)) => (h.to_string(), Some(p)),
                None => (hostport.to_string(), None),
            }
        };
        let https = scheme.eq_ignore_ascii_case("https");
        let port = match port {
            None | Some("") => {
                if https {
                    443
                } else {
                    80
                }
            }
            Some(p) if p.bytes().all(|b| b.is_ascii_digit()) => p.parse().map_err(|_| fail())?,
            Some(_) => return Err(fail()),
        };
        let (user, password) = match userinfo {
            Some(info) => match info.split_once(':') {
                Some((u, p)) => (Some(u), Some(p)),
                None => (Some(info), None),
            },
            None => (None, None),
        };
        let authorization = match (user.map(unquote), password.map(unquote)) {
            (Some(u), Some(p)) if !u.is_empty() && !p.is_empty() => {
                Some(format!("Basic {}", base64(format!("{u}:{p}").as_bytes())))
            }
            _ => None,
        };
        // mask_proxy_url: the first occurrence of the user, then of the password, anywhere in the URL.
        let mut masked = url.to_string();
        for part in [user, password].into_iter().flatten() {
            if !part.is_empty() {
                masked = masked.replacen(part, "***", 1);
            }
        }
        Ok(Proxy {
            url: url.to_string(),
            masked,
            https,
            host,
            port,
            authorization,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> ProxyEnv {
        let names: Vec<String> = pairs.iter().map(|(n, _)| n.to_string()).collect();
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        ProxyEnv::from_env(&names, &|n| map.get(n).cloned())
    }

    fn via(e: &ProxyEnv, url: &str) -> Option<String> {
        e.proxy_for(url).ok().flatten().map(|p| p.url)
    }

    #[test]
    fn environment_rules() {
        let e = env(&[("HTTP_PROXY", "http://a:1"), ("http_proxy", "http://b:2")]);
        assert_eq!(via(&e, "http://h/"), Some("http://b:2".into()));
        let e = env(&[("HTTP_PROXY", "http://a:1"), ("http_proxy", "")]);
        assert_eq!(via(&e, "http://h/"), None);
        let e = env(&[("HTTP_PROXY", "http://a:1"), ("REQUEST_METHOD", "GET")]);
        assert_eq!(via(&e, "http://h/"), None);
        let e = env(&[("HTTPS_PROXY", "a:1")]);
        assert_eq!(via(&e, "https://h/"), Some("http://a:1".into()));
        assert_eq!(via(&e, "http://h/"), None);
        let e = env(&[("Http_Proxy", "//a:1")]);
        assert_eq!(via(&e, "http://h/"), Some("http://a:1".into()));
    }

    #[test]
    fn no_proxy_matching() {
        let bypassed = |no: &str, url: &str| {
            let e = env(&[("HTTP_PROXY", "http://p:1"), ("NO_PROXY", no)]);
            via(&e, url).is_none()
        };
        assert!(bypassed("127.0.0.1", "http://127.0.0.1:9/"));
        assert!(bypassed("*", "http://x/"));
        assert!(bypassed("0.1", "http://127.0.0.1:9/"));
        assert!(bypassed(".0.0.1", "http://127.0.0.1:9/"));
        assert!(bypassed("127.0.0.1:9", "http://127.0.0.1:9/"));
        assert!(!bypassed("127.0.0.1:1", "http://127.0.0.1:9/"));
        assert!(!bypassed("127.0.0.0/8", "http://127.0.0.1:9/"));
        assert!(!bypassed("27.0.0.1", "http://127.0.0.1:9/"));
        assert!(bypassed("a, 127.0.0.1 ,b", "http://127.0.0.1:9/"));
        assert!(bypassed("LOCALHOST", "http://localhost:9/"));
    }

    #[test]
    fn credentials_and_masks() {
        let p = Proxy::parse("http://us%40er:p%3Ass@127.0.0.1:8").expect("parses");
        assert_eq!(p.authorization.as_deref(), Some("Basic dXNAZXI6cDpzcw=="));
        assert_eq!(p.masked, "http://***:***@127.0.0.1:8");
        let p = Proxy::parse("http://u:p@127.0.0.1:9").expect("parses");
        assert_eq!(p.masked, "htt***://***:p@127.0.0.1:9");
        assert_eq!(
            Proxy::parse("http://user@h:1")
                .expect("parses")
                .authorization,
            None
        );
        assert_eq!(
            Proxy::parse("http://127.0.0.1:abc").unwrap_err(),
            "Failed to parse: http://127.0.0.1:abc"
        );
    }
}
