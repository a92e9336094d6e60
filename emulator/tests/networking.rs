//! Networking on the deterministic clock: static IPs allocated, attached (the instance's public
//! address changes with them), detached and released; key pairs created, imported, listed (the
//! private key only ever in the create answer) and deleted, with the regional default key pair; a
//! load balancer provisioned, given instances (initial -> healthy) and a certificate
//! (PENDING_VALIDATION -> ISSUED -> attached: HTTPS), then taken apart.

mod common;
#[path = "support/family.rs"]
mod family;

use common::*;
use family::*;
use serde_json::{json, Value};

#[test]
fn static_ips_follow_their_instance() {
    let emulator = emulator(&["WordPress-1", "WordPress-2"], &[]);
    let port = emulator.port();
    let before = instance(port, "WordPress-1")["publicIpAddress"].clone();

    let allocated = ok(
        port,
        "AllocateStaticIp",
        json!({"staticIpName": "StaticIp-1"}),
    );
    assert_eq!(allocated["operations"][0]["status"], "Succeeded");
    assert_eq!(
        allocated["operations"][0]["location"]["availabilityZone"],
        "all"
    );
    let ip = ok(port, "GetStaticIp", json!({"staticIpName": "StaticIp-1"}))["staticIp"].clone();
    let address = ip["ipAddress"].as_str().unwrap().to_string();
    assert!(address.starts_with("198.18."), "{address}");
    assert_eq!(ip["supportCode"], format!("111122223333/{address}"));
    assert_eq!(ip["isAttached"], false);
    assert!(ip.get("tags").is_none(), "the model's StaticIp has no tags");

    let attached = ok(
        port,
        "AttachStaticIp",
        json!({"staticIpName": "StaticIp-1", "instanceName": "WordPress-1"}),
    );
    let operations = attached["operations"].as_array().unwrap();
    assert_eq!(operations.len(), 2);
    assert_eq!(operations[0]["operationDetails"], "WordPress-1");
    assert_eq!(operations[1]["resourceName"], "WordPress-1");
    assert_eq!(operations[1]["operationDetails"], "StaticIp-1");
    let holder = instance(port, "WordPress-1");
    assert_eq!(holder["publicIpAddress"], json!(address));
    assert_eq!(holder["isStaticIp"], true);
    let listed = ok(port, "GetStaticIps", json!({}))["staticIps"][0].clone();
    assert_eq!(listed["attachedTo"], "WordPress-1");
    assert_eq!(listed["isAttached"], true);

    // One static IP per instance, one instance per static IP.
    ok(
        port,
        "AllocateStaticIp",
        json!({"staticIpName": "StaticIp-2"}),
    );
    for (ip, target) in [("StaticIp-2", "WordPress-1"), ("StaticIp-1", "WordPress-2")] {
        assert_eq!(
            fails(
                port,
                "AttachStaticIp",
                json!({"staticIpName": ip, "instanceName": target})
            )
            .0,
            "OperationFailureException"
        );
    }

    // Detaching gives the instance a new dynamic address.
    let detached = ok(
        port,
        "DetachStaticIp",
        json!({"staticIpName": "StaticIp-1"}),
    );
    assert_eq!(detached["operations"].as_array().unwrap().len(), 2);
    let holder = instance(port, "WordPress-1");
    assert_eq!(holder["isStaticIp"], false);
    assert_ne!(holder["publicIpAddress"], json!(address));
    assert_ne!(holder["publicIpAddress"], before);
    let ip = ok(port, "GetStaticIp", json!({"staticIpName": "StaticIp-1"}))["staticIp"].clone();
    assert_eq!(ip["isAttached"], false);
    assert!(ip.get("attachedTo").is_none());
    assert_eq!(
        fails(
            port,
            "DetachStaticIp",
            json!({"staticIpName": "StaticIp-1"})
        )
        .0,
        "OperationFailureException"
    );

    // Releasing an attached address detaches it first.
    ok(
        port,
        "AttachStaticIp",
        json!({"staticIpName": "StaticIp-2", "instanceName": "WordPress-2"}),
    );
    let released = ok(
        port,
        "ReleaseStaticIp",
        json!({"staticIpName": "StaticIp-2"}),
    );
    assert_eq!(released["operations"].as_array().unwrap().len(), 1);
    assert_eq!(instance(port, "WordPress-2")["isStaticIp"], false);
    assert_eq!(
        fails(port, "GetStaticIp", json!({"staticIpName": "StaticIp-2"})).0,
        "NotFoundException"
    );

    // Five per region.
    for n in 3..=6 {
        ok(
            port,
            "AllocateStaticIp",
            json!({"staticIpName": format!("StaticIp-{n}")}),
        );
    }
    assert_eq!(
        fails(
            port,
            "AllocateStaticIp",
            json!({"staticIpName": "StaticIp-7"})
        )
        .0,
        "OperationFailureException"
    );
    assert_eq!(
        fails(
            port,
            "TagResource",
            json!({"resourceName": "StaticIp-1", "tags": [{"key": "k"}]})
        )
        .0,
        "InvalidInputException"
    );
}

#[test]
fn key_pairs_hand_out_private_keys_once() {
    let emulator = emulator(&["WordPress-1", "WordPress-2"], &[]);
    let port = emulator.port();
    let created = ok(
        port,
        "CreateKeyPair",
        json!({"keyPairName": "MyKey", "tags": [{"key": "team", "value": "web"}]}),
    );
    let private_key = created["privateKeyBase64"].as_str().unwrap().to_string();
    assert!(private_key.starts_with("-----BEGIN RSA PRIVATE KEY-----\nMIIE"));
    let public_key = created["publicKeyBase64"].as_str().unwrap();
    assert!(
        public_key.starts_with("ssh-rsa ssh-rsa AAAAB3NzaC1yc2E"),
        "{public_key}"
    );
    assert_eq!(created["operation"]["status"], "Succeeded");
    assert_eq!(created["keyPair"]["supportCode"], "111122223333/MyKey");

    let stored = ok(port, "GetKeyPair", json!({"keyPairName": "MyKey"}))["keyPair"].clone();
    assert_eq!(stored["tags"], json!([{"key": "team", "value": "web"}]));
    assert_eq!(
        stored["fingerprint"].as_str().unwrap().split(':').count(),
        20
    );
    let listing = call(port, "GetKeyPairs", "{}").text();
    assert!(
        !listing.contains("PRIVATE KEY") && !listing.contains("AAAAB3"),
        "{listing}"
    );
    let state = admin(port, "GET", "/_emulator/state", "").text();
    assert!(
        !state.contains("PRIVATE KEY"),
        "the state dump leaves private values out"
    );
    assert_eq!(
        fails(port, "CreateKeyPair", json!({"keyPairName": "MyKey"})).0,
        "InvalidInputException"
    );

    let imported = ok(
        port,
        "ImportKeyPair",
        json!({"keyPairName": "Laptop", "publicKeyBase64": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKexampleKeyMaterialForTests0123456789ab me@laptop"}),
    );
    assert_eq!(imported["operation"]["operationType"], "ImportKeyPair");
    let laptop = ok(port, "GetKeyPair", json!({"keyPairName": "Laptop"}))["keyPair"].clone();
    assert_eq!(
        laptop["fingerprint"].as_str().unwrap().split(':').count(),
        16
    );

    // The default key pair: made by the first download, the same ever after.
    let first = ok(port, "DownloadDefaultKeyPair", json!({}));
    let second = ok(port, "DownloadDefaultKeyPair", json!({}));
    assert_eq!(first, second);
    assert!(first["privateKeyBase64"]
        .as_str()
        .unwrap()
        .starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    let names = |body: Value| -> Vec<Value> {
        body["keyPairs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["name"].clone())
            .collect()
    };
    assert_eq!(
        names(ok(port, "GetKeyPairs", json!({}))),
        [json!("MyKey"), json!("Laptop")]
    );
    assert_eq!(
        names(ok(
            port,
            "GetKeyPairs",
            json!({"includeDefaultKeyPair": true})
        )),
        [
            json!("MyKey"),
            json!("Laptop"),
            json!("LightsailDefaultKeyPair")
        ]
    );
    let default = ok(
        port,
        "GetKeyPair",
        json!({"keyPairName": "LightsailDefaultKeyPair"}),
    )["keyPair"]
        .clone();
    assert_eq!(
        fails(
            port,
            "DeleteKeyPair",
            json!({"keyPairName": "LightsailDefaultKeyPair"})
        )
        .0,
        "InvalidInputException"
    );
    ok(
        port,
        "DeleteKeyPair",
        json!({"keyPairName": "LightsailDefaultKeyPair", "expectedFingerprint": default["fingerprint"]}),
    );
    let deleted = ok(port, "DeleteKeyPair", json!({"keyPairName": "MyKey"}));
    assert_eq!(deleted["operation"]["operationType"], "DeleteKeyPair");
    assert_eq!(
        names(ok(
            port,
            "GetKeyPairs",
            json!({"includeDefaultKeyPair": true})
        )),
        [json!("Laptop")]
    );
    let fresh = ok(port, "DownloadDefaultKeyPair", json!({}));
    assert_ne!(fresh["privateKeyBase64"], first["privateKeyBase64"]);

    let reset = ok(
        port,
        "DeleteKnownHostKeys",
        json!({"instanceName": "WordPress-1"}),
    );
    assert_eq!(reset["operations"][0]["resourceType"], "Instance");
    assert_eq!(reset["operations"][0]["status"], "Succeeded");
}

#[test]
fn a_load_balancer_with_instances_and_https() {
    let emulator = emulator(
        &["WordPress-1", "WordPress-2"],
        &[
            ("LoadBalancer", 120.0),
            ("LoadBalancer.attach", 30.0),
            ("LoadBalancerTlsCertificate", 300.0),
        ],
    );
    let port = emulator.port();
    let created = ok(
        port,
        "CreateLoadBalancer",
        json!({"loadBalancerName": "LB-1", "instancePort": 80, "certificateName": "Cert-1",
               "certificateDomainName": "example.com",
               "certificateAlternativeNames": ["www.example.com", "example.com"]}),
    );
    let operations = created["operations"].as_array().unwrap();
    let kinds: Vec<(&Value, &Value)> = operations
        .iter()
        .map(|op| (&op["resourceType"], &op["status"]))
        .collect();
    assert_eq!(
        kinds,
        [
            (&json!("LoadBalancer"), &json!("Started")),
            (&json!("LoadBalancerTlsCertificate"), &json!("Succeeded")),
            (&json!("LoadBalancer"), &json!("Succeeded")),
        ]
    );
    let lb =
        ok(port, "GetLoadBalancer", json!({"loadBalancerName": "LB-1"}))["loadBalancer"].clone();
    assert_eq!(lb["state"], "provisioning");
    assert_eq!(lb["protocol"], "HTTP");
    assert_eq!(lb["publicPorts"], json!([80]));
    assert_eq!(lb["healthCheckPath"], "/");
    assert_eq!(
        lb["tlsCertificateSummaries"],
        json!([{"name": "Cert-1", "isAttached": false}])
    );
    let dns = lb["dnsName"].as_str().unwrap();
    assert!(dns.ends_with(".us-west-2.elb.amazonaws.com"), "{dns}");
    let elb_id = dns.split('-').next().unwrap();
    assert!(lb["supportCode"]
        .as_str()
        .unwrap()
        .contains(&format!("/app/{elb_id}/")));

    let certificates = ok(
        port,
        "GetLoadBalancerTlsCertificates",
        json!({"loadBalancerName": "LB-1"}),
    );
    let certificate = &certificates["tlsCertificates"][0];
    assert_eq!(certificate["status"], "PENDING_VALIDATION");
    assert_eq!(certificate["loadBalancerName"], "LB-1");
    assert_eq!(
        certificate["subjectAlternativeNames"],
        json!(["example.com", "www.example.com"])
    );
    let records = certificate["domainValidationRecords"].as_array().unwrap();
    assert_eq!(records.len(), 2);
    assert!(records[1]["name"]
        .as_str()
        .unwrap()
        .ends_with(".www.example.com."));
    assert!(records[1]["value"]
        .as_str()
        .unwrap()
        .ends_with(".acm-validations.aws."));
    let attach_certificate = json!({"loadBalancerName": "LB-1", "certificateName": "Cert-1"});
    assert_eq!(
        fails(
            port,
            "AttachLoadBalancerTlsCertificate",
            attach_certificate.clone()
        )
        .0,
        "OperationFailureException"
    );

    // Instances: running ones only; initial until the attach delay, then healthy.
    let attached = ok(
        port,
        "AttachInstancesToLoadBalancer",
        json!({"loadBalancerName": "LB-1", "instanceNames": ["WordPress-1", "WordPress-2"]}),
    );
    assert_eq!(attached["operations"].as_array().unwrap().len(), 4);
    assert_eq!(attached["operations"][1]["resourceType"], "Instance");
    let health = |port| {
        ok(port, "GetLoadBalancer", json!({"loadBalancerName": "LB-1"}))["loadBalancer"]
            ["instanceHealthSummary"]
            .clone()
    };
    assert_eq!(
        health(port)[0],
        json!({"instanceName": "WordPress-1", "instanceHealth": "initial",
               "instanceHealthReason": "Lb.RegistrationInProgress"})
    );
    assert_eq!(
        fails(
            port,
            "AttachInstancesToLoadBalancer",
            json!({"loadBalancerName": "LB-1", "instanceNames": ["WordPress-1"]})
        )
        .0,
        "InvalidInputException"
    );
    advance(port, 30.0);
    assert_eq!(
        health(port),
        json!([{"instanceName": "WordPress-1", "instanceHealth": "healthy"},
               {"instanceName": "WordPress-2", "instanceHealth": "healthy"}])
    );
    let history = ok(
        port,
        "GetOperationsForResource",
        json!({"resourceName": "WordPress-2"}),
    );
    assert_eq!(history["operations"][0]["status"], "Succeeded");
    advance(port, 90.0);
    assert_eq!(
        ok(port, "GetLoadBalancer", json!({"loadBalancerName": "LB-1"}))["loadBalancer"]["state"],
        "active"
    );

    // The certificate is issued after its delay; attached, it turns HTTPS on.
    advance(port, 180.0);
    let certificate = ok(
        port,
        "GetLoadBalancerTlsCertificates",
        json!({"loadBalancerName": "LB-1"}),
    )["tlsCertificates"][0]
        .clone();
    assert_eq!(certificate["status"], "ISSUED");
    assert_eq!(
        certificate["domainValidationRecords"][1]["validationStatus"],
        "SUCCESS"
    );
    let issued = certificate["issuedAt"].as_f64().unwrap();
    let not_before = certificate["notBefore"].as_f64().unwrap();
    let not_after = certificate["notAfter"].as_f64().unwrap();
    assert!(not_before <= issued && issued < not_after);
    assert_eq!(not_before % 86_400.0, 0.0);
    assert_eq!(certificate["subject"], "CN=example.com");
    let attached = ok(
        port,
        "AttachLoadBalancerTlsCertificate",
        attach_certificate.clone(),
    );
    assert_eq!(
        attached["operations"][1]["resourceType"],
        "LoadBalancerTlsCertificate"
    );
    let lb =
        ok(port, "GetLoadBalancer", json!({"loadBalancerName": "LB-1"}))["loadBalancer"].clone();
    assert_eq!(lb["protocol"], "HTTP_HTTPS");
    assert_eq!(lb["publicPorts"], json!([80, 443]));
    assert_eq!(lb["tlsPolicyName"], "TLS-2016-08");
    assert_eq!(lb["tlsCertificateSummaries"][0]["isAttached"], true);
    assert_eq!(
        ok(
            port,
            "GetLoadBalancerTlsCertificates",
            json!({"loadBalancerName": "LB-1"})
        )["tlsCertificates"][0]["isAttached"],
        true
    );

    // Attributes.
    for (name, value) in [
        ("HttpsRedirectionEnabled", "true"),
        ("TlsPolicyName", "TLS-FS-Res-1-2-2019-08"),
        ("HealthCheckPath", "/health"),
        ("SessionStickiness_LB_CookieDurationSeconds", "3600"),
    ] {
        ok(
            port,
            "UpdateLoadBalancerAttribute",
            json!({"loadBalancerName": "LB-1", "attributeName": name, "attributeValue": value}),
        );
    }
    for (name, value) in [
        ("TlsPolicyName", "TLS-Nope"),
        ("HealthCheckPath", "health"),
        ("SessionStickinessEnabled", "yes"),
        ("SessionStickiness_LB_CookieDurationSeconds", "0"),
    ] {
        assert_eq!(
            fails(
                port,
                "UpdateLoadBalancerAttribute",
                json!({"loadBalancerName": "LB-1", "attributeName": name, "attributeValue": value})
            )
            .0,
            "InvalidInputException",
            "{name}={value}"
        );
    }
    let lb =
        ok(port, "GetLoadBalancer", json!({"loadBalancerName": "LB-1"}))["loadBalancer"].clone();
    assert_eq!(lb["httpsRedirectionEnabled"], true);
    assert_eq!(lb["tlsPolicyName"], "TLS-FS-Res-1-2-2019-08");
    assert_eq!(lb["healthCheckPath"], "/health");
    assert_eq!(
        lb["configurationOptions"]["SessionStickiness_LB_CookieDurationSeconds"],
        "3600"
    );

    // The attached certificate serves instances: deleting it needs force, and turns HTTPS off.
    assert_eq!(
        fails(
            port,
            "DeleteLoadBalancerTlsCertificate",
            attach_certificate.clone()
        )
        .0,
        "OperationFailureException"
    );
    let mut forced = attach_certificate.clone();
    forced["force"] = json!(true);
    let deleted = ok(port, "DeleteLoadBalancerTlsCertificate", forced);
    assert!(deleted["operations"]
        .as_array()
        .unwrap()
        .iter()
        .all(|op| op["status"] == "Started"));
    let lb =
        ok(port, "GetLoadBalancer", json!({"loadBalancerName": "LB-1"}))["loadBalancer"].clone();
    assert_eq!(lb["protocol"], "HTTP");
    assert_eq!(lb["publicPorts"], json!([80]));
    assert_eq!(lb["httpsRedirectionEnabled"], false);
    assert_eq!(lb["tlsCertificateSummaries"], json!([]));

    // Detach one instance, then delete the load balancer (and its new certificate).
    ok(
        port,
        "DetachInstancesFromLoadBalancer",
        json!({"loadBalancerName": "LB-1", "instanceNames": ["WordPress-1"]}),
    );
    assert_eq!(
        health(port),
        json!([{"instanceName": "WordPress-2", "instanceHealth": "healthy"}])
    );
    ok(
        port,
        "CreateLoadBalancerTlsCertificate",
        json!({"loadBalancerName": "LB-1", "certificateName": "Cert-2", "certificateDomainName": "example.org"}),
    );
    let deleted = ok(
        port,
        "DeleteLoadBalancer",
        json!({"loadBalancerName": "LB-1"}),
    );
    let types: Vec<&Value> = deleted["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|op| &op["operationType"])
        .collect();
    assert_eq!(
        types,
        [
            &json!("DeleteLoadBalancer"),
            &json!("DeleteLoadBalancerTlsCertificate"),
            &json!("DeleteLoadBalancerTlsCertificate")
        ]
    );
    assert_eq!(
        fails(port, "GetLoadBalancer", json!({"loadBalancerName": "LB-1"})).0,
        "NotFoundException"
    );
    assert_eq!(
        ok(port, "GetLoadBalancers", json!({}))["loadBalancers"],
        json!([])
    );
    // The certificate's name is free again.
    ok(
        port,
        "CreateLoadBalancer",
        json!({"loadBalancerName": "LB-2", "instancePort": 8080, "certificateName": "Cert-2",
               "certificateDomainName": "example.org"}),
    );
    let policies = ok(port, "GetLoadBalancerTlsPolicies", json!({}))["tlsPolicies"].clone();
    assert_eq!(policies[0]["name"], "TLS-2016-08");
    assert_eq!(policies[0]["isDefault"], true);
}
