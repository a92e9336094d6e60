//! The compute families through the official AWS SDK for Rust, which deserialises strictly into typed
//! values and sends timestamp parameters as epoch seconds (what the reference CLI sends and our own
//! CLI does not yet, issue 16): create an instance, watch it become running, read its metrics and cost
//! estimate, its access details, the catalogs, an automatic snapshot, and delete it.

use aws_sdk_lightsail::primitives::DateTime;
use aws_sdk_lightsail::types::{
    AddOnRequest, AddOnType, AutoSnapshotAddOnRequest, InstanceMetricName, MetricStatistic,
    MetricUnit, OperationStatus, OperationType, PricingUnit,
};
use lightsail_emulator::Config;

#[path = "support/sdk_client.rs"]
mod sdk_client;
use sdk_client::{advance, client};

const SEED_EPOCH: i64 = 1_569_866_438;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rust_sdk_drives_the_compute_families() {
    let mut config = Config {
        deterministic: true,
        ..Config::default()
    };
    config.delays.by_key.insert("Instance".to_string(), 60.0);
    let emulator = lightsail_emulator::start(config).expect("emulator starts");
    let url = emulator.url();
    let lightsail = client(&url, "us-west-2").await;

    let bundles = lightsail.get_bundles().send().await.expect("GetBundles");
    let nano = &bundles.bundles()[0];
    assert_eq!(nano.bundle_id(), Some("nano_3_0"));
    assert_eq!(nano.price(), Some(5.0));
    let blueprints = lightsail
        .get_blueprints()
        .send()
        .await
        .expect("GetBlueprints");
    assert!(blueprints
        .blueprints()
        .iter()
        .any(|b| b.blueprint_id() == Some("amazon_linux_2023")));

    let created = lightsail
        .create_instances()
        .instance_names("Sdk-1")
        .availability_zone("us-west-2a")
        .blueprint_id("amazon_linux_2023")
        .bundle_id("micro_3_0")
        .add_ons(
            AddOnRequest::builder()
                .add_on_type(AddOnType::AutoSnapshot)
                .auto_snapshot_add_on_request(
                    AutoSnapshotAddOnRequest::builder()
                        .snapshot_time_of_day("06:00")
                        .build(),
                )
                .build()
                .expect("an add-on request"),
        )
        .send()
        .await
        .expect("CreateInstances");
    let operation = &created.operations()[0];
    assert_eq!(
        operation.operation_type(),
        Some(&OperationType::CreateInstance)
    );
    assert_eq!(operation.status(), Some(&OperationStatus::Started));
    let state = lightsail
        .get_instance_state()
        .instance_name("Sdk-1")
        .send()
        .await
        .expect("GetInstanceState");
    assert_eq!(state.state().and_then(|s| s.name()), Some("pending"));
    advance(&url, 86_400.0);
    let instance = lightsail
        .get_instance()
        .instance_name("Sdk-1")
        .send()
        .await
        .expect("GetInstance")
        .instance
        .expect("an instance");
    assert_eq!(instance.state().and_then(|s| s.code()), Some(16));
    assert_eq!(instance.username(), Some("ec2-user"));
    assert_eq!(
        instance.hardware().and_then(|h| h.ram_size_in_gb()),
        Some(1.0)
    );

    // Timestamps as the SDK sends them: epoch seconds.
    let now = SEED_EPOCH + 86_400;
    let metrics = lightsail
        .get_instance_metric_data()
        .instance_name("Sdk-1")
        .metric_name(InstanceMetricName::CpuUtilization)
        .period(3600)
        .start_time(DateTime::from_secs(now - 6 * 3600))
        .end_time(DateTime::from_secs(now))
        .unit(MetricUnit::Percent)
        .statistics(MetricStatistic::Average)
        .statistics(MetricStatistic::Maximum)
        .send()
        .await
        .expect("GetInstanceMetricData");
    assert_eq!(metrics.metric_data().len(), 6);
    for point in metrics.metric_data() {
        assert!(point.average().unwrap() <= point.maximum().unwrap());
        assert_eq!(point.unit(), Some(&MetricUnit::Percent));
    }
    let estimate = lightsail
        .get_cost_estimate()
        .resource_name("Sdk-1")
        .start_time(DateTime::from_secs(now - 86_400))
        .end_time(DateTime::from_secs(now))
        .send()
        .await
        .expect("GetCostEstimate");
    let result = &estimate.resources_budget_estimate()[0].cost_estimates()[0].results_by_time()[0];
    assert_eq!(result.pricing_unit(), Some(&PricingUnit::Hrs));
    assert!(result.usage_cost().unwrap() > 0.0);

    let access = lightsail
        .get_instance_access_details()
        .instance_name("Sdk-1")
        .send()
        .await
        .expect("GetInstanceAccessDetails")
        .access_details
        .expect("access details");
    assert_eq!(access.host_keys().len(), 3);
    assert!(access.expires_at().is_some());

    let automatic = lightsail
        .get_auto_snapshots()
        .resource_name("Sdk-1")
        .send()
        .await
        .expect("GetAutoSnapshots");
    assert_eq!(automatic.auto_snapshots().len(), 1);

    let deleted = lightsail
        .delete_instance()
        .instance_name("Sdk-1")
        .force_delete_add_ons(true)
        .send()
        .await
        .expect("DeleteInstance");
    assert_eq!(
        deleted.operations()[0].operation_type(),
        Some(&OperationType::DeleteInstance)
    );
    let gone = lightsail
        .get_instance()
        .instance_name("Sdk-1")
        .send()
        .await
        .expect_err("deleted");
    assert!(format!("{gone:?}").contains("does not exist"), "{gone:?}");
}
