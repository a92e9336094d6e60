//! Block storage on the deterministic clock: a disk from creation to deletion (pending -> available,
//! attached to an instance and detached again, both sides checked), its snapshot (pending ->
//! completed) and a disk made from it, with the service's refusals on the way.

mod common;
#[path = "support/family.rs"]
mod family;

use family::*;
use lightsail_emulator::clock;
use serde_json::{json, Value};

fn instance_disks(port: u16) -> Vec<Value> {
    ok(port, "GetInstance", json!({"instanceName": "WordPress-1"}))["instance"]["hardware"]["disks"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn a_disk_from_creation_to_deletion() {
    let emulator = emulator(&["WordPress-1"], &[("Disk", 60.0), ("DiskSnapshot", 120.0)]);
    let port = emulator.port();

    let created = ok(
        port,
        "CreateDisk",
        json!({"diskName": "Disk-1", "availabilityZone": "us-west-2a", "sizeInGb": 32,
               "tags": [{"key": "env", "value": "ci"}]}),
    );
    let operation = &created["operations"][0];
    assert_eq!(created["operations"].as_array().unwrap().len(), 1);
    assert_eq!(operation["resourceType"], "Disk");
    assert_eq!(operation["operationType"], "CreateDisk");
    assert_eq!(operation["status"], "Started");
    assert_eq!(operation["location"]["availabilityZone"], "us-west-2a");
    let operation_id = operation["id"].as_str().unwrap().to_string();

    let disk = ok(port, "GetDisk", json!({"diskName": "Disk-1"}))["disk"].clone();
    assert_eq!(disk["state"], "pending");
    assert_eq!(disk["sizeInGb"], 32);
    assert_eq!(disk["iops"], 100);
    assert_eq!(disk["isAttached"], false);
    assert_eq!(disk["attachmentState"], "detached");
    assert_eq!(disk["tags"], json!([{"key": "env", "value": "ci"}]));
    assert!(disk["supportCode"]
        .as_str()
        .unwrap()
        .starts_with("111122223333/vol-"));
    assert!(disk["arn"]
        .as_str()
        .unwrap()
        .starts_with("arn:aws:lightsail:us-west-2:111122223333:Disk/"));

    // Pending disks cannot be attached; names are unique; zones and sizes are checked.
    let attach =
        json!({"diskName": "Disk-1", "instanceName": "WordPress-1", "diskPath": "/dev/xvdf"});
    assert_eq!(
        fails(port, "AttachDisk", attach.clone()).0,
        "OperationFailureException"
    );
    let (code, message) = fails(
        port,
        "CreateDisk",
        json!({"diskName": "Disk-1", "availabilityZone": "us-west-2a", "sizeInGb": 8}),
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        (
            "InvalidInputException",
            "Some names are already in use: Disk-1"
        )
    );
    assert_eq!(
        fails(
            port,
            "CreateDisk",
            json!({"diskName": "Disk-9", "availabilityZone": "eu-west-1a", "sizeInGb": 8})
        )
        .0,
        "InvalidInputException"
    );
    assert_eq!(
        fails(
            port,
            "CreateDisk",
            json!({"diskName": "Disk-9", "availabilityZone": "us-west-2a", "sizeInGb": 20000})
        )
        .0,
        "InvalidInputException"
    );

    // The Disk delay makes it available and finishes its operation at that moment.
    advance(port, 60.0);
    assert_eq!(
        ok(port, "GetDisk", json!({"diskName": "Disk-1"}))["disk"]["state"],
        "available"
    );
    let finished =
        ok(port, "GetOperation", json!({"operationId": operation_id}))["operation"].clone();
    assert_eq!(finished["status"], "Succeeded");
    assert_eq!(finished["isTerminal"], true);
    assert_eq!(
        finished["statusChangedAt"],
        json!(clock::round_millis(clock::SEED_EPOCH + 60.0))
    );

    // Attach: both sides at once, two Started operations.
    let attached = ok(port, "AttachDisk", attach.clone());
    let operations = attached["operations"].as_array().unwrap();
    assert_eq!(operations.len(), 2);
    assert_eq!(
        (
            &operations[0]["resourceName"],
            &operations[0]["operationDetails"]
        ),
        (&json!("Disk-1"), &json!("WordPress-1"))
    );
    assert_eq!(
        (
            &operations[1]["resourceType"],
            &operations[1]["operationDetails"]
        ),
        (&json!("Instance"), &json!("Disk-1"))
    );
    assert!(operations.iter().all(|op| op["status"] == "Started"));
    let disk = ok(port, "GetDisk", json!({"diskName": "Disk-1"}))["disk"].clone();
    assert_eq!(disk["state"], "in-use");
    assert_eq!(disk["attachedTo"], "WordPress-1");
    assert_eq!(disk["isAttached"], true);
    assert_eq!(disk["attachmentState"], "attached");
    assert_eq!(disk["path"], "/dev/xvdf");
    let disks = instance_disks(port);
    assert_eq!(disks.len(), 2);
    assert_eq!(disks[0]["isSystemDisk"], true);
    assert_eq!(
        disks[1], disk,
        "the instance shows the disk as GetDisk does"
    );

    // Attached: not again, not elsewhere, not deleted.
    assert_eq!(
        fails(port, "AttachDisk", attach.clone()).0,
        "OperationFailureException"
    );
    assert_eq!(
        fails(port, "DeleteDisk", json!({"diskName": "Disk-1"})).0,
        "OperationFailureException"
    );
    ok(
        port,
        "CreateDisk",
        json!({"diskName": "Disk-3", "availabilityZone": "us-west-2a", "sizeInGb": 8}),
    );
    advance(port, 60.0);
    let (code, message) = fails(
        port,
        "AttachDisk",
        json!({"diskName": "Disk-3", "instanceName": "WordPress-1", "diskPath": "/dev/xvdf"}),
    );
    assert_eq!(code, "InvalidInputException");
    assert!(message.contains("/dev/xvdf"), "{message}");
    let history = ok(
        port,
        "GetOperationsForResource",
        json!({"resourceName": "Disk-1"}),
    );
    let newest = &history["operations"][0];
    assert_eq!(newest["operationType"], "AttachDisk");
    assert_eq!(
        newest["status"], "Succeeded",
        "Disk.attach falls back to the Disk delay"
    );

    // A snapshot of the attached disk.
    let snapshot = ok(
        port,
        "CreateDiskSnapshot",
        json!({"diskName": "Disk-1", "diskSnapshotName": "Disk-1-Snap"}),
    );
    let operations = snapshot["operations"].as_array().unwrap();
    assert_eq!(operations[0]["resourceType"], "DiskSnapshot");
    assert_eq!(operations[0]["location"]["availabilityZone"], "all");
    assert_eq!(operations[0]["operationDetails"], "Disk-1");
    assert_eq!(operations[1]["resourceType"], "Disk");
    assert_eq!(operations[1]["operationDetails"], "Disk-1-Snap");
    let stored = ok(
        port,
        "GetDiskSnapshot",
        json!({"diskSnapshotName": "Disk-1-Snap"}),
    )["diskSnapshot"]
        .clone();
    assert_eq!(
        (&stored["state"], &stored["progress"]),
        (&json!("pending"), &json!("0%"))
    );
    assert_eq!(stored["fromDiskArn"], disk["arn"]);
    assert_eq!(stored["sizeInGb"], 32);
    let from_pending = json!({"diskName": "Disk-2", "diskSnapshotName": "Disk-1-Snap",
                              "availabilityZone": "us-west-2b", "sizeInGb": 64});
    assert_eq!(
        fails(port, "CreateDiskFromSnapshot", from_pending.clone()).0,
        "OperationFailureException"
    );
    advance(port, 120.0);
    let stored = ok(
        port,
        "GetDiskSnapshot",
        json!({"diskSnapshotName": "Disk-1-Snap"}),
    )["diskSnapshot"]
        .clone();
    assert_eq!(
        (&stored["state"], &stored["progress"]),
        (&json!("completed"), &json!("100%"))
    );

    // A disk from it: at least the snapshot's size, in any zone of the region.
    let mut too_small = from_pending.clone();
    too_small["sizeInGb"] = json!(16);
    assert_eq!(
        fails(port, "CreateDiskFromSnapshot", too_small).0,
        "InvalidInputException"
    );
    let restored = ok(port, "CreateDiskFromSnapshot", from_pending);
    assert_eq!(
        restored["operations"][0]["operationType"],
        "CreateDiskFromSnapshot"
    );
    let disk_2 = ok(port, "GetDisk", json!({"diskName": "Disk-2"}))["disk"].clone();
    assert_eq!(
        (&disk_2["state"], &disk_2["iops"]),
        (&json!("pending"), &json!(192))
    );

    // Detach: both sides again.
    let detached = ok(port, "DetachDisk", json!({"diskName": "Disk-1"}));
    assert_eq!(detached["operations"].as_array().unwrap().len(), 2);
    let disk = ok(port, "GetDisk", json!({"diskName": "Disk-1"}))["disk"].clone();
    assert_eq!(disk["state"], "available");
    assert_eq!(disk["isAttached"], false);
    assert_eq!(disk["attachmentState"], "detached");
    assert!(disk.get("attachedTo").is_none() && disk.get("path").is_none());
    assert_eq!(instance_disks(port).len(), 1);
    assert_eq!(
        fails(port, "DetachDisk", json!({"diskName": "Disk-1"})).0,
        "OperationFailureException"
    );

    // Delete: gone, its snapshot stays.
    let deleted = ok(port, "DeleteDisk", json!({"diskName": "Disk-1"}));
    assert_eq!(deleted["operations"][0]["status"], "Succeeded");
    assert_eq!(
        fails(port, "GetDisk", json!({"diskName": "Disk-1"})),
        (
            "NotFoundException".to_string(),
            "The Disk does not exist: Disk-1".to_string()
        )
    );
    let names: Vec<Value> = ok(port, "GetDisks", json!({}))["disks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].clone())
        .collect();
    assert_eq!(names, [json!("Disk-3"), json!("Disk-2")]);
    ok(
        port,
        "DeleteDiskSnapshot",
        json!({"diskSnapshotName": "Disk-1-Snap"}),
    );
    assert_eq!(
        ok(port, "GetDiskSnapshots", json!({}))["diskSnapshots"],
        json!([])
    );
}

#[test]
fn a_snapshot_of_an_instance_system_disk() {
    let emulator = emulator(&["WordPress-1"], &[]);
    let port = emulator.port();
    let created = ok(
        port,
        "CreateDiskSnapshot",
        json!({"instanceName": "WordPress-1", "diskSnapshotName": "System-1"}),
    );
    let operations = created["operations"].as_array().unwrap();
    assert_eq!(operations[1]["resourceType"], "Instance");
    assert_eq!(operations[1]["location"]["availabilityZone"], "us-west-2a");
    let snapshot = ok(
        port,
        "GetDiskSnapshot",
        json!({"diskSnapshotName": "System-1"}),
    )["diskSnapshot"]
        .clone();
    assert_eq!(
        snapshot["state"], "completed",
        "delay 0: done at the next request"
    );
    assert_eq!(snapshot["fromInstanceName"], "WordPress-1");
    assert_eq!(snapshot["sizeInGb"], 40);
    assert!(snapshot.get("fromDiskName").is_none());
    let instance = ok(port, "GetInstance", json!({"instanceName": "WordPress-1"}));
    assert_eq!(snapshot["fromInstanceArn"], instance["instance"]["arn"]);
    for both in [
        json!({"instanceName": "WordPress-1", "diskName": "Disk-1", "diskSnapshotName": "X-1"}),
        json!({"diskSnapshotName": "X-1"}),
    ] {
        assert_eq!(
            fails(port, "CreateDiskSnapshot", both).0,
            "InvalidInputException"
        );
    }
    assert_eq!(
        fails(
            port,
            "CreateDiskSnapshot",
            json!({"instanceName": "Nope-1", "diskSnapshotName": "X-1"})
        )
        .0,
        "NotFoundException"
    );
}
