//! Networking: static IPs ([`static_ips`]), SSH key pairs and host keys ([`key_pairs`], with the key
//! material of [`ssh_keys`]), load balancers ([`load_balancers`]) and their TLS certificates and
//! policies ([`load_balancer_certificates`]).
//!
//! Static IPs and load balancers relate to instances (`services::instances`): a static IP's
//! `attachedTo` and the instance's `publicIpAddress`/`isStaticIp`; a load balancer's
//! `instanceHealthSummary`. These modules read and update the instance's stored wire form directly.

pub mod key_pairs;
pub mod load_balancer_certificates;
pub mod load_balancers;
pub mod ssh_keys;
pub mod static_ips;

use crate::engine::Registry;

pub fn register(registry: &mut Registry) {
    static_ips::register(registry);
    key_pairs::register(registry);
    load_balancers::register(registry);
    load_balancer_certificates::register(registry);
}
