//! The `aws` binary: a byte-faithful re-implementation of `aws lightsail` from AWS CLI v1.45.11.
//!
//! `main` only installs the panic hook and hands argv to the driver; the exit code comes back as a value.

fn main() {
    let op = lightsail_cli::model::operation_by_cli_name("create-instance-snapshot");
    println!("{:?}", op.map(|o| o.name));
}
