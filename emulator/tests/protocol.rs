//! The Lightsail protocol end to end: every operation, every service and framework error, SigV4
//! acceptance and rejection, the request journal, reset, and the HTTP limits.

mod common;

use common::*;
use lightsail_emulator::{clock, Config};
use serde_json::{json, Value};

#[test]
fn create_instance_snapshot_reproduces_the_seed_example() {
    let emulator = start(deterministic());
    let response = call(emulator.port(), "CreateInstanceSnapshot", CREATE_SEED);
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(
        response.header("Content-Type"),
        Some("application/x-amz-json-1.1")
    );
    assert!(response.header("x-amzn-RequestId").is_some());
    let expected: Value = serde_json::from_str(&seed_example_output()).unwrap();
    // Same members, same order, same values.
    assert_eq!(response.json().to_string(), expected.to_string());
}

#[test]
fn snapshot_lifecycle_on_the_real_clock() {
    let emulator = start(Config {
        snapshot_delay_secs: 0.4,
        ..Config::default()
    });
    let port = emulator.port();
    call(port, "CreateInstanceSnapshot", CREATE_SEED);
    let get = || {
        call(
            port,
            "GetInstanceSnapshot",
            r#"{"instanceSnapshotName": "WordPress-Snapshot-1"}"#,
        )
        .json()["instanceSnapshot"]["state"]
            .clone()
    };
    assert_eq!(get(), "pending");
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(get(), "available");
}

#[test]
fn snapshot_lifecycle_and_reads() {
    let emulator = start(Config {
        deterministic: true,
        snapshot_delay_secs: 40.0,
        instances: vec!["WordPress-1".into(), "Other_2".into()],
        ..Config::default()
    });
    let port = emulator.port();
    let created = call(port, "CreateInstanceSnapshot", r#"{"instanceSnapshotName": "s-1", "instanceName": "WordPress-1", "tags": [{"key": "k", "value": "v"}, {"key": "bare"}]}"#).json();
    let snapshot_op = created["operations"][0]["id"].as_str().unwrap().to_string();

    let pending = call(
        port,
        "GetInstanceSnapshot",
        r#"{"instanceSnapshotName": "s-1"}"#,
    )
    .json();
    let snapshot = &pending["instanceSnapshot"];
    assert_eq!(snapshot["state"], "pending");
    assert_eq!(
        snapshot["tags"],
        json!([{"key": "k", "value": "v"}, {"key": "bare"}])
    );
    assert_eq!(snapshot["fromInstanceName"], "WordPress-1");
    let keys: Vec<&String> = snapshot.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "name",
            "arn",
            "supportCode",
            "createdAt",
            "location",
            "resourceType",
            "tags",
            "state",
            "fromAttachedDisks",
            "fromInstanceName",
            "fromInstanceArn",
            "fromBlueprintId",
            "fromBundleId",
            "isFromAutoSnapshot",
            "sizeInGb"
        ]
    );
    let op = call(
        port,
        "GetOperation",
        &format!(r#"{{"operationId": "{snapshot_op}"}}"#),
    )
    .json();
    assert_eq!(op["operation"]["status"], "Started");

    // The deterministic clock is frozen: the snapshot stays pending until the clock moves.
    let clock = admin(port, "POST", "/_emulator/clock", r#"{"advance": 39}"#).json();
    assert_eq!(clock["now"], 1569866477.48);
    let still = call(
        port,
        "GetInstanceSnapshot",
        r#"{"instanceSnapshotName": "s-1"}"#,
    )
    .json();
    assert_eq!(still["instanceSnapshot"]["state"], "pending");
    admin(port, "POST", "/_emulator/clock", "1");
    let ready = call(
        port,
        "GetInstanceSnapshot",
        r#"{"instanceSnapshotName": "s-1"}"#,
    )
    .json();
    assert_eq!(ready["instanceSnapshot"]["state"], "available");
    let op = call(
        port,
        "GetOperation",
        &format!(r#"{{"operationId": "{snapshot_op}"}}"#),
    )
    .json();
    assert_eq!(op["operation"]["status"], "Succeeded");
    assert_eq!(op["operation"]["isTerminal"], true);
    assert_eq!(op["operation"]["statusChangedAt"], 1569866478.48);

    let all = call(port, "GetInstanceSnapshots", "{}").json();
    assert_eq!(all["instanceSnapshots"].as_array().unwrap().len(), 1);
    let instances = call(port, "GetInstances", "{}").json();
    let names: Vec<&str> = instances["instances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["WordPress-1", "Other_2"]);
    let instance = call(port, "GetInstance", r#"{"instanceName": "Other_2"}"#).json();
    assert_eq!(
        instance["instance"]["location"]["availabilityZone"],
        "us-west-2a"
    );
    assert_eq!(
        instance["instance"]["state"],
        json!({"code": 16, "name": "running"})
    );

    let tagged = call(
        port,
        "TagResource",
        r#"{"resourceName": "Other_2", "tags": [{"key": "env", "value": "test"}]}"#,
    );
    assert_eq!(
        tagged.json()["operations"][0]["operationType"],
        "TagResource"
    );
    let instance = call(port, "GetInstance", r#"{"instanceName": "Other_2"}"#).json();
    assert_eq!(
        instance["instance"]["tags"],
        json!([{"key": "env", "value": "test"}])
    );
    call(
        port,
        "UntagResource",
        r#"{"resourceName": "Other_2", "tagKeys": ["env"]}"#,
    );
    let instance = call(port, "GetInstance", r#"{"instanceName": "Other_2"}"#).json();
    assert_eq!(instance["instance"]["tags"], json!([]));

    let deleted = call(
        port,
        "DeleteInstanceSnapshot",
        r#"{"instanceSnapshotName": "s-1"}"#,
    )
    .json();
    let delete_op = &deleted["operations"][0];
    assert_eq!(delete_op["operationType"], "DeleteInstanceSnapshot");
    assert_eq!(delete_op["status"], "Succeeded");
    assert!(delete_op.get("operationDetails").is_none());
    let gone = call(
        port,
        "GetInstanceSnapshot",
        r#"{"instanceSnapshotName": "s-1"}"#,
    );
    assert_eq!(
        (gone.status, gone.error_code()),
        (400, "NotFoundException".to_string())
    );

    let ops = call(port, "GetOperations", "{}").json();
    let types: Vec<&str> = ops["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["operationType"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "DeleteInstanceSnapshot",
            "UntagResource",
            "TagResource",
            "CreateInstanceSnapshot",
            "CreateInstanceSnapshot"
        ]
    );
    let for_instance = call(
        port,
        "GetOperationsForResource",
        r#"{"resourceName": "WordPress-1"}"#,
    )
    .json();
    assert_eq!(for_instance["operations"].as_array().unwrap().len(), 1);
    assert_eq!(for_instance["operations"][0]["resourceType"], "Instance");
}

#[test]
fn every_instance_member_of_the_model_is_present() {
    let emulator = start(deterministic());
    let instance = call(
        emulator.port(),
        "GetInstance",
        r#"{"instanceName": "WordPress-1"}"#,
    )
    .json();
    let model: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("model/service-2.json")).unwrap(),
    )
    .unwrap();
    let members: Vec<&String> = model["shapes"]["Instance"]["members"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    let got: Vec<&String> = instance["instance"].as_object().unwrap().keys().collect();
    assert_eq!(got, members);
}

#[test]
fn service_errors() {
    let emulator = start(deterministic());
    let port = emulator.port();
    let cases = [
        (
            "CreateInstanceSnapshot",
            r#"{"instanceSnapshotName": "s", "instanceName": "WordPress-1"}"#,
            "InvalidInputException",
        ),
        (
            "CreateInstanceSnapshot",
            r#"{"instanceSnapshotName": "-bad-", "instanceName": "WordPress-1"}"#,
            "InvalidInputException",
        ),
        (
            "CreateInstanceSnapshot",
            r#"{"instanceSnapshotName": "good", "instanceName": "Missing-1"}"#,
            "NotFoundException",
        ),
        (
            "CreateInstanceSnapshot",
            r#"{"instanceName": "WordPress-1"}"#,
            "InvalidInputException",
        ),
        (
            "CreateInstanceSnapshot",
            r#"{"instanceSnapshotName": 5, "instanceName": "WordPress-1"}"#,
            "SerializationException",
        ),
        (
            "CreateInstanceSnapshot",
            r#"{"instanceSnapshotName": "#,
            "SerializationException",
        ),
        (
            "GetInstance",
            r#"{"instanceName": "nope"}"#,
            "NotFoundException",
        ),
        (
            "GetOperation",
            r#"{"operationId": "nope"}"#,
            "NotFoundException",
        ),
        (
            "DeleteInstanceSnapshot",
            r#"{"instanceSnapshotName": "nope"}"#,
            "NotFoundException",
        ),
        ("NoSuchOperation", "{}", "UnknownOperationException"),
        ("CreateInstances", "{}", "UnknownOperationException"),
    ];
    for (operation, body, code) in cases {
        let response = call(port, operation, body);
        assert_eq!(
            response.status,
            400,
            "{operation} {body}: {}",
            response.text()
        );
        assert_eq!(
            response.error_code(),
            code,
            "{operation} {body}: {}",
            response.text()
        );
        assert_eq!(
            response.header("Content-Type"),
            Some("application/x-amz-json-1.1")
        );
    }
    let not_found = call(port, "GetInstance", r#"{"instanceName": "nope"}"#).json();
    let keys: Vec<&String> = not_found.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["__type", "code", "docs", "message", "tip"]);
    assert_eq!(not_found["message"], "The Instance does not exist: nope");
    // Lightsail sends no x-amzn-ErrorType; --error-type-header adds it for Smithy SDKs.
    assert_eq!(
        call(port, "GetInstance", r#"{"instanceName": "nope"}"#).header("x-amzn-ErrorType"),
        None
    );
    let typed = start(Config {
        error_type_header: true,
        ..deterministic()
    });
    assert_eq!(
        call(typed.port(), "GetInstance", r#"{"instanceName": "nope"}"#).header("x-amzn-ErrorType"),
        Some("NotFoundException:http://internal.amazon.com/coral/com.amazonaws.lightsail/")
    );
    assert_eq!(
        call(typed.port(), "NoSuchOperation", "{}").header("x-amzn-ErrorType"),
        Some(
            "UnknownOperationException:http://internal.amazon.com/coral/com.amazon.coral.service/"
        )
    );

    call(port, "CreateInstanceSnapshot", CREATE_SEED);
    let again = call(port, "CreateInstanceSnapshot", CREATE_SEED);
    assert_eq!(again.error_code(), "InvalidInputException");
    assert_eq!(
        again.message(),
        "Some names are already in use: WordPress-Snapshot-1"
    );

    // A body in another protocol's content type.
    let mut form = lightsail_request(port, "GetInstances", "Action=GetInstances");
    form.headers[1].1 = "application/x-www-form-urlencoded".into();
    sign(&mut form);
    let response = send(port, &form);
    assert_eq!(response.status, 404);
    assert_eq!(response.text(), "<UnknownOperationException/>\n");
}

#[test]
fn signature_checks() {
    let emulator = start(deterministic());
    let port = emulator.port();
    let now = clock::real_now() as i64;

    let mut good = lightsail_request(port, "GetInstances", "{}");
    sign(&mut good);
    assert_eq!(send(port, &good).status, 200);

    let mut tampered_body = good.clone();
    tampered_body.body = b"{ }".to_vec();
    let mut tampered_header = good.clone();
    tampered_header.headers[2].1 = "Lightsail_20161128.GetInstanceSnapshots".into();
    let mut tampered_date = good.clone();
    for (k, v) in &mut tampered_date.headers {
        if k == "X-Amz-Date" {
            *v = clock::amz_date(now + 1);
        }
    }
    for tampered in [tampered_body, tampered_header, tampered_date] {
        let response = send(port, &tampered);
        assert_eq!(
            (response.status, response.error_code()),
            (400, "InvalidSignatureException".into())
        );
        assert_eq!(
            response.message(),
            "The request signature we calculated does not match the signature you provided. Check your AWS \
             Secret Access Key and signing method. Consult the service documentation for details."
        );
    }

    let mut unknown_key = lightsail_request(port, "GetInstances", "{}");
    lightsail_emulator::sigv4::sign(
        &mut unknown_key,
        "AKIDUNKNOWN",
        SECRET,
        "us-west-2",
        &clock::amz_date(now),
    );
    let response = send(port, &unknown_key);
    assert_eq!(response.error_code(), "UnrecognizedClientException");
    assert_eq!(
        response.message(),
        "The security token included in the request is invalid."
    );

    let response = send(port, &lightsail_request(port, "GetInstances", "{}"));
    assert_eq!(response.error_code(), "MissingAuthenticationTokenException");
    assert_eq!(response.message(), "Missing Authentication Token");

    let mut old = lightsail_request(port, "GetInstances", "{}");
    sign_at(&mut old, now - 20 * 60);
    let message = send(port, &old).message();
    assert!(
        message.starts_with(&format!(
            "Signature expired: {} is now earlier than ",
            clock::amz_date(now - 20 * 60)
        )),
        "{message}"
    );
    assert!(message.ends_with(" - 15 min.)"), "{message}");

    let mut future = lightsail_request(port, "GetInstances", "{}");
    sign_at(&mut future, now + 20 * 60);
    let message = send(port, &future).message();
    assert!(
        message.starts_with(&format!(
            "Signature not yet current: {} is still later than ",
            clock::amz_date(now + 20 * 60)
        )),
        "{message}"
    );

    // A region Lightsail does not serve is refused as AWS's front end refuses it.
    let mut wrong_region = lightsail_request(port, "GetInstances", "{}");
    lightsail_emulator::sigv4::sign(
        &mut wrong_region,
        KEY_ID,
        SECRET,
        "sa-east-1",
        &clock::amz_date(now),
    );
    let refused = send(port, &wrong_region);
    assert_eq!(refused.error_code(), "InvalidSignatureException");
    assert_eq!(
        refused.message(),
        "Credential should be scoped to a valid region, not 'sa-east-1'. "
    );

    let mut bad_token = lightsail_request(port, "GetInstances", "{}");
    bad_token
        .headers
        .push(("X-Amz-Security-Token".into(), "bogus".into()));
    sign(&mut bad_token);
    assert_eq!(
        send(port, &bad_token).error_code(),
        "UnrecognizedClientException"
    );
    let mut good_token = lightsail_request(port, "GetInstances", "{}");
    good_token.headers.push((
        "X-Amz-Security-Token".into(),
        lightsail_emulator::sigv4::session_token_for(KEY_ID),
    ));
    sign(&mut good_token);
    assert_eq!(send(port, &good_token).status, 200);
}

#[test]
fn unsigned_requests_when_allowed() {
    let emulator = start(Config {
        allow_unsigned: true,
        ..deterministic()
    });
    let port = emulator.port();
    assert_eq!(
        send(port, &lightsail_request(port, "GetInstances", "{}")).status,
        200
    );
    // A signature that is present is still checked.
    let mut bad = lightsail_request(port, "GetInstances", "{}");
    lightsail_emulator::sigv4::sign(
        &mut bad,
        KEY_ID,
        "wrong",
        "us-west-2",
        &clock::amz_date(clock::real_now() as i64),
    );
    assert_eq!(send(port, &bad).error_code(), "InvalidSignatureException");
}

#[test]
fn journal_counts_attempts_and_reset_restores_the_seed() {
    let emulator = start(deterministic());
    let port = emulator.port();
    call(port, "CreateInstanceSnapshot", CREATE_SEED);
    call(port, "CreateInstanceSnapshot", CREATE_SEED);
    call(port, "GetInstances", "{}");
    let journal = admin(port, "GET", "/_emulator/requests", "").json();
    assert_eq!(
        journal[0],
        json!({
            "target": "Lightsail_20161128.CreateInstanceSnapshot",
            "body": {"instanceSnapshotName": "WordPress-Snapshot-1", "instanceName": "WordPress-1"},
            "signed_headers": ["content-type", "host", "x-amz-date", "x-amz-target"],
            "attempt": 1
        })
    );
    assert_eq!(journal[1]["attempt"], 2);
    assert_eq!(journal[2]["attempt"], 1);

    assert_eq!(admin(port, "POST", "/_emulator/reset", "").status, 200);
    assert_eq!(
        admin(port, "GET", "/_emulator/requests", "").json(),
        json!([])
    );
    // After a reset the seed example replays with the same ids.
    let again = call(port, "CreateInstanceSnapshot", CREATE_SEED).json();
    assert_eq!(
        again["operations"][0]["id"],
        "4c3db559-9dd0-41e7-89c0-2cb88c19786f"
    );
    assert_eq!(admin(port, "GET", "/_emulator/nope", "").status, 404);
}

#[test]
fn http_limits() {
    let emulator = start(deterministic());
    let port = emulator.port();
    let huge_header = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\nContent-Length: 0\r\n\r\n",
        "a".repeat(70 * 1024)
    );
    assert_eq!(
        parse_raw(send_raw(port, huge_header.as_bytes()).unwrap()).status,
        431
    );
    let huge_body = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n";
    assert_eq!(
        parse_raw(send_raw(port, huge_body.as_bytes()).unwrap()).status,
        413
    );
    assert_eq!(
        parse_raw(send_raw(port, b"garbage\r\n\r\n").unwrap()).status,
        400
    );
    // Keep-alive: two requests on one connection.
    let mut first = lightsail_request(port, "GetInstances", "{}");
    sign(&mut first);
    let mut bytes = serialize(&first);
    let text = String::from_utf8(bytes.clone())
        .unwrap()
        .replace("Connection: close\r\n", "");
    bytes = text.into_bytes();
    let mut both = bytes.clone();
    both.extend(serialize(&first));
    let raw = send_raw(port, &both).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&raw)
            .matches("HTTP/1.1 200 OK")
            .count(),
        2
    );
}

#[test]
fn connections_are_bounded() {
    let emulator = start(deterministic());
    let port = emulator.port();
    let idle: Vec<std::net::TcpStream> = (0..lightsail_emulator::server::MAX_CONNECTIONS)
        .map(|_| std::net::TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let refused = parse_raw(send_raw(port, b"GET /_emulator/requests HTTP/1.1\r\n\r\n").unwrap());
    assert_eq!(refused.status, 503);
    drop(idle);
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(call(port, "GetInstances", "{}").status, 200);
}

#[test]
fn https_listener_and_certificate() {
    let path =
        std::env::temp_dir().join(format!("lightsail-emulator-ca-{}.pem", std::process::id()));
    let emulator = start(Config {
        https: true,
        cert_out: Some(path.clone()),
        ..deterministic()
    });
    let url = emulator.https_url().expect("an HTTPS URL");
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    assert_ne!(url, emulator.url().replace("http", "https"));
    let pem = std::fs::read_to_string(&path).unwrap();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"), "{pem}");
    assert_eq!(start(deterministic()).https_url(), None);
    let _ = std::fs::remove_file(path);
}

#[test]
fn credential_endpoints() {
    let emulator = start(deterministic());
    let port = emulator.port();
    let token = parse_raw(
        send_raw(
            port,
            b"PUT /latest/api/token HTTP/1.1\r\nX-aws-ec2-metadata-token-ttl-seconds: 21600\r\nConnection: close\r\n\r\n",
        )
        .unwrap(),
    );
    assert_eq!(token.status, 200);
    let get = |path: &str, token: &str| {
        parse_raw(
            send_raw(
                port,
                format!("GET {path} HTTP/1.1\r\nX-aws-ec2-metadata-token: {token}\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            )
            .unwrap(),
        )
    };
    let role = get("/latest/meta-data/iam/security-credentials/", &token.text());
    assert_eq!(role.text(), lightsail_emulator::server::ROLE_NAME);
    let credentials = get(
        &format!("/latest/meta-data/iam/security-credentials/{}", role.text()),
        &token.text(),
    )
    .json();
    assert_eq!(credentials["Code"], "Success");
    assert_eq!(credentials["AccessKeyId"], KEY_ID);
    assert_eq!(credentials["SecretAccessKey"], SECRET);
    assert_eq!(
        credentials["Token"],
        lightsail_emulator::sigv4::session_token_for(KEY_ID)
    );
    assert_eq!(
        get("/latest/meta-data/iam/security-credentials/", "wrong").status,
        401
    );
    let container = admin(port, "GET", "/_emulator/container-credentials", "").json();
    assert_eq!(container["AccessKeyId"], KEY_ID);
    assert!(container["Expiration"].as_str().unwrap().ends_with('Z'));
}

#[test]
fn list_operations_paginate() {
    let emulator = start(Config {
        page_size: 2,
        instances: vec!["A-1".into(), "B-2".into(), "C-3".into()],
        ..deterministic()
    });
    let port = emulator.port();
    let first = call(port, "GetInstances", "{}").json();
    assert_eq!(first["instances"].as_array().unwrap().len(), 2);
    let token = first["nextPageToken"].as_str().unwrap().to_string();
    let second = call(
        port,
        "GetInstances",
        &json!({"pageToken": token}).to_string(),
    )
    .json();
    assert_eq!(second["instances"][0]["name"], "C-3");
    assert!(second.get("nextPageToken").is_none());
    let bad = call(port, "GetInstances", r#"{"pageToken": "bogus"}"#);
    assert_eq!(bad.error_code(), "InvalidInputException");
    assert!(call(port, "GetOperations", "{}")
        .json()
        .get("nextPageToken")
        .is_none());
}

#[test]
fn journal_signatures_are_opt_in() {
    let plain = start(deterministic());
    call(plain.port(), "GetInstances", "{}");
    let journal = admin(plain.port(), "GET", "/_emulator/requests", "").json();
    assert_eq!(journal[0].get("signature"), None);

    let emulator = start(Config {
        journal_signatures: true,
        ..deterministic()
    });
    let port = emulator.port();
    let mut request = lightsail_request(port, "GetInstances", "{}");
    sign(&mut request);
    let authorization = request
        .headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("authorization"))
        .map(|(_, value)| value.clone())
        .unwrap();
    assert_eq!(send(port, &request).status, 200);
    let journal = admin(port, "GET", "/_emulator/requests", "").json();
    let signature = journal[0]["signature"].as_str().unwrap().to_string();
    assert_eq!(signature.len(), 64, "{signature}");
    assert!(authorization.ends_with(&format!("Signature={signature}")));
}
