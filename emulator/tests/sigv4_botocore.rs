//! Requests signed by the reference's botocore (recorded by tests/record/sigv4_botocore.py) verify, and
//! any change to them does not.

use lightsail_emulator::error::ApiError;
use lightsail_emulator::http::Request;
use lightsail_emulator::sigv4::verify;
use serde_json::Value;

fn recorded() -> (i64, Vec<(String, Request)>) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/sigv4/botocore_requests.json"
    );
    let data: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let requests = data["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let url = r["url"].as_str().unwrap();
            let rest = url.strip_prefix("http://").unwrap();
            let (host, path) = rest.split_at(rest.find('/').unwrap());
            let mut headers = vec![("Host".to_string(), host.to_string())];
            headers.extend(r["headers"].as_array().unwrap().iter().map(|h| {
                (
                    h[0].as_str().unwrap().to_string(),
                    h[1].as_str().unwrap().to_string(),
                )
            }));
            let request = Request {
                method: r["method"].as_str().unwrap().to_string(),
                target: path.to_string(),
                version: "HTTP/1.1".to_string(),
                headers,
                body: r["body"].as_str().unwrap().as_bytes().to_vec(),
            };
            (r["name"].as_str().unwrap().to_string(), request)
        })
        .collect();
    (data["now"].as_i64().unwrap(), requests)
}

fn keys() -> Vec<(String, String)> {
    vec![(
        lightsail_emulator::EXAMPLE_ACCESS_KEY_ID.to_string(),
        lightsail_emulator::EXAMPLE_SECRET_ACCESS_KEY.to_string(),
    )]
}

#[test]
fn botocore_signatures_verify() {
    let (now, requests) = recorded();
    assert_eq!(requests.len(), 4);
    for (name, request) in &requests {
        assert!(verify(request, &keys(), "us-west-2", now).is_ok(), "{name}");
        // Fourteen minutes of skew is fine either way.
        assert!(
            verify(request, &keys(), "us-west-2", now + 14 * 60).is_ok(),
            "{name}"
        );
        assert!(
            verify(request, &keys(), "us-west-2", now - 14 * 60).is_ok(),
            "{name}"
        );
    }
}

#[test]
fn any_change_breaks_them() {
    let (now, requests) = recorded();
    for (name, request) in &requests {
        let mut body = request.clone();
        body.body.push(b' ');
        assert_eq!(
            verify(&body, &keys(), "us-west-2", now),
            Err(ApiError::signature_mismatch()),
            "{name}"
        );

        for signed in ["Content-Type", "X-Amz-Target", "Host"] {
            let mut header = request.clone();
            for (k, v) in &mut header.headers {
                if k == signed {
                    v.push('x');
                }
            }
            assert_eq!(
                verify(&header, &keys(), "us-west-2", now),
                Err(ApiError::signature_mismatch()),
                "{name} {signed}"
            );
        }
        let mut date = request.clone();
        for (k, v) in &mut date.headers {
            if k == "X-Amz-Date" {
                *v = v.replace("38Z", "39Z");
            }
        }
        assert_eq!(
            verify(&date, &keys(), "us-west-2", now),
            Err(ApiError::signature_mismatch()),
            "{name}"
        );

        // Unsigned headers may change freely.
        let mut agent = request.clone();
        for (k, v) in &mut agent.headers {
            if k == "User-Agent" {
                v.push_str(" extra");
            }
        }
        assert!(verify(&agent, &keys(), "us-west-2", now).is_ok(), "{name}");
        let wrong_secret = vec![(keys()[0].0.clone(), "not-the-secret".to_string())];
        assert_eq!(
            verify(request, &wrong_secret, "us-west-2", now),
            Err(ApiError::signature_mismatch())
        );
    }
}
