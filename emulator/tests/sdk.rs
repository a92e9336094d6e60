//! The official AWS SDK for Rust (`aws-sdk-lightsail`, `aws-config`) as a second real client: it
//! deserialises strictly into typed values and pools keep-alive connections, so it checks what our own
//! CLI cannot. Create/get/list/delete of instance snapshots, tags, operations, regions, pagination by
//! hand (the SDK generates no paginator for Lightsail) and errors, asserted on typed results: as the
//! SDK reports Lightsail's errors (by the body's `code`), and as typed exceptions with
//! `--error-type-header`.

use aws_sdk_lightsail::error::ProvideErrorMetadata;
use aws_sdk_lightsail::operation::get_instance_snapshot::GetInstanceSnapshotError;
use aws_sdk_lightsail::types::{
    InstanceSnapshotState, OperationStatus, OperationType, RegionName, ResourceType, Tag,
};
use lightsail_emulator::Config;

#[path = "support/sdk_client.rs"]
mod sdk_client;
use sdk_client::{advance, client};

const SEED_EPOCH: f64 = 1569866438.48;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rust_sdk_drives_the_emulator() {
    let emulator = lightsail_emulator::start(Config {
        deterministic: true,
        page_size: 2,
        snapshot_delay_secs: 30.0,
        ..Config::default()
    })
    .expect("emulator starts");
    let url = emulator.url();
    let lightsail = client(&url, "us-west-2").await;

    // Create: two Started operations, typed.
    let created = lightsail
        .create_instance_snapshot()
        .instance_name("WordPress-1")
        .instance_snapshot_name("WordPress-Snapshot-1")
        .tags(Tag::builder().key("env").value("ci").build())
        .send()
        .await
        .expect("CreateInstanceSnapshot");
    let operations = created.operations();
    assert_eq!(operations.len(), 2);
    assert_eq!(
        operations[0].id(),
        Some("4c3db559-9dd0-41e7-89c0-2cb88c19786f")
    );
    assert_eq!(
        operations[0].operation_type(),
        Some(&OperationType::CreateInstanceSnapshot)
    );
    assert_eq!(operations[0].status(), Some(&OperationStatus::Started));
    assert_eq!(operations[1].resource_type(), Some(&ResourceType::Instance));
    assert_eq!(
        operations[0].created_at().map(|t| t.as_secs_f64()),
        Some(SEED_EPOCH)
    );

    // Get: pending until the clock passes the 30-second delay.
    let get = || async {
        lightsail
            .get_instance_snapshot()
            .instance_snapshot_name("WordPress-Snapshot-1")
            .send()
            .await
            .expect("GetInstanceSnapshot")
    };
    let pending = get().await;
    let snapshot = pending.instance_snapshot().expect("a snapshot");
    assert_eq!(snapshot.state(), Some(&InstanceSnapshotState::Pending));
    assert_eq!(snapshot.from_instance_name(), Some("WordPress-1"));
    assert_eq!(snapshot.size_in_gb(), Some(40));
    assert_eq!(
        snapshot.location().and_then(|l| l.region_name()),
        Some(&RegionName::UsWest2)
    );
    assert_eq!(snapshot.tags()[0].value(), Some("ci"));
    assert!(snapshot
        .arn()
        .unwrap()
        .starts_with("arn:aws:lightsail:us-west-2:111122223333:InstanceSnapshot/"));
    advance(&url, 30.0);
    let available = get().await;
    assert_eq!(
        available.instance_snapshot().unwrap().state(),
        Some(&InstanceSnapshotState::Available)
    );
    let finished = lightsail
        .get_operation()
        .operation_id("4c3db559-9dd0-41e7-89c0-2cb88c19786f")
        .send()
        .await
        .expect("GetOperation");
    let operation = finished.operation().unwrap();
    assert_eq!(operation.status(), Some(&OperationStatus::Succeeded));
    assert_eq!(operation.is_terminal(), Some(true));
    assert_eq!(
        operation.status_changed_at().map(|t| t.as_secs_f64()),
        Some(SEED_EPOCH + 30.0)
    );

    // Pagination: five snapshots, two per page, followed by hand with pageToken.
    for i in 2..=5 {
        lightsail
            .create_instance_snapshot()
            .instance_name("WordPress-1")
            .instance_snapshot_name(format!("Snapshot-{i}"))
            .send()
            .await
            .expect("CreateInstanceSnapshot");
    }
    let mut names = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let page = lightsail
            .get_instance_snapshots()
            .set_page_token(token.clone())
            .send()
            .await
            .expect("GetInstanceSnapshots");
        pages += 1;
        names.extend(
            page.instance_snapshots()
                .iter()
                .filter_map(|s| s.name().map(str::to_string)),
        );
        token = page.next_page_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(
        names,
        [
            "WordPress-Snapshot-1",
            "Snapshot-2",
            "Snapshot-3",
            "Snapshot-4",
            "Snapshot-5"
        ]
    );

    // Tags on the instance.
    let tagged = lightsail
        .tag_resource()
        .resource_name("WordPress-1")
        .tags(Tag::builder().key("team").value("web").build())
        .send()
        .await
        .expect("TagResource");
    assert_eq!(
        tagged.operations()[0].status(),
        Some(&OperationStatus::Succeeded)
    );
    let instance = lightsail
        .get_instance()
        .instance_name("WordPress-1")
        .send()
        .await
        .expect("GetInstance");
    let tags = instance.instance().unwrap().tags();
    assert_eq!(
        (tags[0].key(), tags[0].value()),
        (Some("team"), Some("web"))
    );
    lightsail
        .untag_resource()
        .resource_name("WordPress-1")
        .tag_keys("team")
        .send()
        .await
        .expect("UntagResource");
    let instance = lightsail
        .get_instance()
        .instance_name("WordPress-1")
        .send()
        .await
        .expect("GetInstance");
    assert!(instance.instance().unwrap().tags().is_empty());

    // Operations for a resource, newest first.
    let for_instance = lightsail
        .get_operations_for_resource()
        .resource_name("WordPress-1")
        .send()
        .await
        .expect("GetOperationsForResource");
    let types: Vec<&str> = for_instance
        .operations()
        .iter()
        .filter_map(|o| o.operation_type().map(OperationType::as_str))
        .collect();
    // The model's OperationType has no TagResource/UntagResource: the SDK keeps them as unknown values.
    assert_eq!(types, ["UntagResource", "TagResource"]);
    assert!(for_instance.next_page_token().is_some());

    // Regions.
    let regions = lightsail
        .get_regions()
        .include_availability_zones(true)
        .send()
        .await
        .expect("GetRegions");
    assert_eq!(regions.regions().len(), 16);
    let oregon = regions
        .regions()
        .iter()
        .find(|r| r.name() == Some(&RegionName::UsWest2))
        .unwrap();
    assert_eq!(
        oregon.availability_zones()[0].zone_name(),
        Some("us-west-2a")
    );

    // An error, as the SDK reports it against Lightsail: Lightsail sends no x-amzn-ErrorType, so the
    // SDK takes the body's `code` for the error's name (aws/aws-sdk issue 665) and cannot map it to
    // NotFoundException; message and code still come through.
    let error = lightsail
        .get_instance_snapshot()
        .instance_snapshot_name("Missing-1")
        .send()
        .await
        .expect_err("a missing snapshot")
        .into_service_error();
    assert!(!error.is_not_found_exception(), "{error:?}");
    assert_eq!(error.code(), Some("DoesNotExist"));
    assert_eq!(
        error.message(),
        Some("The InstanceSnapshot does not exist: Missing-1")
    );
    let invalid = lightsail
        .create_instance_snapshot()
        .instance_name("WordPress-1")
        .instance_snapshot_name("-bad-")
        .send()
        .await
        .expect_err("an invalid name")
        .into_service_error();
    assert_eq!(invalid.code(), Some("InvalidInput"));

    // Delete, then it is gone.
    let deleted = lightsail
        .delete_instance_snapshot()
        .instance_snapshot_name("Snapshot-5")
        .send()
        .await
        .expect("DeleteInstanceSnapshot");
    assert_eq!(
        deleted.operations()[0].operation_type(),
        Some(&OperationType::DeleteInstanceSnapshot)
    );
    let gone = lightsail
        .get_instance_snapshot()
        .instance_snapshot_name("Snapshot-5")
        .send()
        .await
        .expect_err("deleted")
        .into_service_error();
    assert_eq!(gone.code(), Some("DoesNotExist"));

    // Another region: the same client code, separate state.
    let ireland = client(&url, "eu-west-1").await;
    let empty = ireland
        .get_instance_snapshots()
        .send()
        .await
        .expect("GetInstanceSnapshots in eu-west-1");
    assert!(empty.instance_snapshots().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typed_exceptions_with_the_error_type_header() {
    let emulator = lightsail_emulator::start(Config {
        error_type_header: true,
        ..Config::default()
    })
    .expect("emulator starts");
    let lightsail = client(&emulator.url(), "us-west-2").await;
    let error = lightsail
        .get_instance_snapshot()
        .instance_snapshot_name("Missing-1")
        .send()
        .await
        .expect_err("a missing snapshot")
        .into_service_error();
    match &error {
        GetInstanceSnapshotError::NotFoundException(not_found) => {
            assert_eq!(not_found.code(), Some("DoesNotExist"));
            assert_eq!(
                not_found.tip(),
                Some("Please check the name of the resource")
            );
            assert_eq!(
                not_found.message(),
                Some("The InstanceSnapshot does not exist: Missing-1")
            );
        }
        other => panic!("expected NotFoundException, got {other:?}"),
    }
    let invalid = lightsail
        .create_instance_snapshot()
        .instance_name("WordPress-1")
        .instance_snapshot_name("-bad-")
        .send()
        .await
        .expect_err("an invalid name")
        .into_service_error();
    assert!(invalid.is_invalid_input_exception(), "{invalid:?}");
}
