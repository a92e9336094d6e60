//! The bundled command examples (`examples/<command>.rst`, see `examples/README.md`).

/// The example file the reference appends to `aws lightsail <command> help`, if it ships one.
pub fn example_for(cli_name: &str) -> Option<&'static str> {
    Some(match cli_name {
        "allocate-static-ip" => include_str!("examples/allocate-static-ip.rst"),
        "attach-disk" => include_str!("examples/attach-disk.rst"),
        "attach-instances-to-load-balancer" => {
            include_str!("examples/attach-instances-to-load-balancer.rst")
        }
        "attach-load-balancer-tls-certificate" => {
            include_str!("examples/attach-load-balancer-tls-certificate.rst")
        }
        "attach-static-ip" => include_str!("examples/attach-static-ip.rst"),
        "close-instance-public-ports" => include_str!("examples/close-instance-public-ports.rst"),
        "copy-snapshot" => include_str!("examples/copy-snapshot.rst"),
        "create-disk" => include_str!("examples/create-disk.rst"),
        "create-disk-from-snapshot" => include_str!("examples/create-disk-from-snapshot.rst"),
        "create-disk-snapshot" => include_str!("examples/create-disk-snapshot.rst"),
        "create-domain" => include_str!("examples/create-domain.rst"),
        "create-domain-entry" => include_str!("examples/create-domain-entry.rst"),
        "create-instance-snapshot" => include_str!("examples/create-instance-snapshot.rst"),
        "create-instances" => include_str!("examples/create-instances.rst"),
        "create-instances-from-snapshot" => {
            include_str!("examples/create-instances-from-snapshot.rst")
        }
        "create-key-pair" => include_str!("examples/create-key-pair.rst"),
        "create-load-balancer" => include_str!("examples/create-load-balancer.rst"),
        "create-load-balancer-tls-certificate" => {
            include_str!("examples/create-load-balancer-tls-certificate.rst")
        }
        "create-relational-database" => include_str!("examples/create-relational-database.rst"),
        "create-relational-database-from-snapshot" => {
            include_str!("examples/create-relational-database-from-snapshot.rst")
        }
        "create-relational-database-snapshot" => {
            include_str!("examples/create-relational-database-snapshot.rst")
        }
        "delete-auto-snapshot" => include_str!("examples/delete-auto-snapshot.rst"),
        "delete-disk" => include_str!("examples/delete-disk.rst"),
        "delete-disk-snapshot" => include_str!("examples/delete-disk-snapshot.rst"),
        "delete-domain" => include_str!("examples/delete-domain.rst"),
        "delete-domain-entry" => include_str!("examples/delete-domain-entry.rst"),
        "delete-instance" => include_str!("examples/delete-instance.rst"),
        "delete-instance-snapshot" => include_str!("examples/delete-instance-snapshot.rst"),
        "delete-key-pair" => include_str!("examples/delete-key-pair.rst"),
        "delete-known-host-keys" => include_str!("examples/delete-known-host-keys.rst"),
        "delete-load-balancer" => include_str!("examples/delete-load-balancer.rst"),
        "delete-load-balancer-tls-certificate" => {
            include_str!("examples/delete-load-balancer-tls-certificate.rst")
        }
        "delete-relational-database" => include_str!("examples/delete-relational-database.rst"),
        "delete-relational-database-snapshot" => {
            include_str!("examples/delete-relational-database-snapshot.rst")
        }
        "detach-static-ip" => include_str!("examples/detach-static-ip.rst"),
        "get-active-names" => include_str!("examples/get-active-names.rst"),
        "get-auto-snapshots" => include_str!("examples/get-auto-snapshots.rst"),
        "get-blueprints" => include_str!("examples/get-blueprints.rst"),
        "get-bundles" => include_str!("examples/get-bundles.rst"),
        "get-cloud-formation-stack-records" => {
            include_str!("examples/get-cloud-formation-stack-records.rst")
        }
        "get-disk" => include_str!("examples/get-disk.rst"),
        "get-disk-snapshot" => include_str!("examples/get-disk-snapshot.rst"),
        "get-disk-snapshots" => include_str!("examples/get-disk-snapshots.rst"),
        "get-disks" => include_str!("examples/get-disks.rst"),
        "get-domain" => include_str!("examples/get-domain.rst"),
        "get-domains" => include_str!("examples/get-domains.rst"),
        "get-export-snapshot-record" => include_str!("examples/get-export-snapshot-record.rst"),
        "get-instance" => include_str!("examples/get-instance.rst"),
        "get-instance-access-details" => include_str!("examples/get-instance-access-details.rst"),
        "get-instance-metric-data" => include_str!("examples/get-instance-metric-data.rst"),
        "get-instance-port-states" => include_str!("examples/get-instance-port-states.rst"),
        "get-instance-snapshot" => include_str!("examples/get-instance-snapshot.rst"),
        "get-instance-snapshots" => include_str!("examples/get-instance-snapshots.rst"),
        "get-instance-state" => include_str!("examples/get-instance-state.rst"),
        "get-instances" => include_str!("examples/get-instances.rst"),
        "get-key-pair" => include_str!("examples/get-key-pair.rst"),
        "get-key-pairs" => include_str!("examples/get-key-pairs.rst"),
        "get-load-balancer" => include_str!("examples/get-load-balancer.rst"),
        "get-load-balancer-tls-certificates" => {
            include_str!("examples/get-load-balancer-tls-certificates.rst")
        }
        "get-load-balancers" => include_str!("examples/get-load-balancers.rst"),
        "get-operation" => include_str!("examples/get-operation.rst"),
        "get-operations" => include_str!("examples/get-operations.rst"),
        "get-operations-for-resource" => include_str!("examples/get-operations-for-resource.rst"),
        "get-regions" => include_str!("examples/get-regions.rst"),
        "get-relational-database" => include_str!("examples/get-relational-database.rst"),
        "get-relational-database-blueprints" => {
            include_str!("examples/get-relational-database-blueprints.rst")
        }
        "get-relational-database-bundles" => {
            include_str!("examples/get-relational-database-bundles.rst")
        }
        "get-relational-database-events" => {
            include_str!("examples/get-relational-database-events.rst")
        }
        "get-relational-database-log-events" => {
            include_str!("examples/get-relational-database-log-events.rst")
        }
        "get-relational-database-log-streams" => {
            include_str!("examples/get-relational-database-log-streams.rst")
        }
        "get-relational-database-master-user-password" => {
            include_str!("examples/get-relational-database-master-user-password.rst")
        }
        "get-relational-database-metric-data" => {
            include_str!("examples/get-relational-database-metric-data.rst")
        }
        "get-relational-database-parameters" => {
            include_str!("examples/get-relational-database-parameters.rst")
        }
        "get-relational-database-snapshot" => {
            include_str!("examples/get-relational-database-snapshot.rst")
        }
        "get-relational-database-snapshots" => {
            include_str!("examples/get-relational-database-snapshots.rst")
        }
        "get-relational-databases" => include_str!("examples/get-relational-databases.rst"),
        "get-static-ip" => include_str!("examples/get-static-ip.rst"),
        "get-static-ips" => include_str!("examples/get-static-ips.rst"),
        "is-vpc-peered" => include_str!("examples/is-vpc-peered.rst"),
        "open-instance-public-ports" => include_str!("examples/open-instance-public-ports.rst"),
        "peer-vpc" => include_str!("examples/peer-vpc.rst"),
        "reboot-instance" => include_str!("examples/reboot-instance.rst"),
        "reboot-relational-database" => include_str!("examples/reboot-relational-database.rst"),
        "release-static-ip" => include_str!("examples/release-static-ip.rst"),
        "start-instance" => include_str!("examples/start-instance.rst"),
        "start-relational-database" => include_str!("examples/start-relational-database.rst"),
        "stop-instance" => include_str!("examples/stop-instance.rst"),
        "stop-relational-database" => include_str!("examples/stop-relational-database.rst"),
        "unpeer-vpc" => include_str!("examples/unpeer-vpc.rst"),
        _ => return None,
    })
}
