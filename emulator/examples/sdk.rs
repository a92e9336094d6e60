//! Pointing the AWS SDK for Rust at lightsail-emulator.
//!
//! ```sh
//! lightsail-emulator --port 4566 &                              # or any port; it prints its URL
//! cargo run -p lightsail-emulator --example sdk -- http://127.0.0.1:4566
//! cargo run -p lightsail-emulator --example sdk                 # starts an emulator in-process
//! ```
//!
//! The only emulator-specific lines are the endpoint URL and the static test keys; everything else is
//! ordinary SDK code. Static credentials and an explicit region keep the SDK from looking for real ones
//! (profile files, instance metadata).

use aws_sdk_lightsail::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_lightsail::error::ProvideErrorMetadata;
use aws_sdk_lightsail::Client;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // An emulator given on the command line, or one started here.
    let (url, _emulator) = match std::env::args().nth(1) {
        Some(url) => (url, None),
        None => {
            let emulator = lightsail_emulator::start(lightsail_emulator::Config::default())?;
            (emulator.url(), Some(emulator))
        }
    };

    let config = aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(&url)
        .region(Region::new("us-west-2"))
        .credentials_provider(Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "lightsail-emulator",
        ))
        .load()
        .await;
    let lightsail = Client::new(&config);

    let created = lightsail
        .create_instance_snapshot()
        .instance_name("WordPress-1")
        .instance_snapshot_name("sdk-example-snapshot")
        .send()
        .await?;
    for operation in created.operations() {
        println!(
            "operation {} on {}: {:?}",
            operation.id().unwrap_or_default(),
            operation.resource_name().unwrap_or_default(),
            operation.status()
        );
    }

    let snapshots = lightsail.get_instance_snapshots().send().await?;
    for snapshot in snapshots.instance_snapshots() {
        println!(
            "snapshot {} ({:?}) of {}",
            snapshot.name().unwrap_or_default(),
            snapshot.state(),
            snapshot.from_instance_name().unwrap_or_default()
        );
    }

    // Lightsail's errors carry their name in the body's `code` (start the emulator with
    // --error-type-header to get typed exceptions such as NotFoundException).
    if let Err(error) = lightsail
        .get_instance()
        .instance_name("no-such-instance")
        .send()
        .await
    {
        let error = error.into_service_error();
        println!(
            "error {}: {}",
            error.code().unwrap_or_default(),
            error.message().unwrap_or_default()
        );
    }
    Ok(())
}
