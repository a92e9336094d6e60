//! Monitoring: load balancer metrics ([`load_balancer_metrics`]), alarms ([`alarms`]) and the contact
//! methods their notifications go to ([`contact_methods`]).
//!
//! Alarms watch instances (`services::instances`), load balancers (`services::networking`) and
//! managed databases (resource type `RelationalDatabase`), found in the store by name.

pub mod alarms;
pub mod contact_methods;
pub mod load_balancer_metrics;

use crate::engine::Registry;

pub fn register(registry: &mut Registry) {
    load_balancer_metrics::register(registry);
    alarms::register(registry);
    contact_methods::register(registry);
}
