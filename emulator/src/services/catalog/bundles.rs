//! The instance bundles (plans) GetBundles lists and CreateInstances checks against.
//!
//! Sources: `nano_3_0`, `micro_3_0` and `small_3_0` are the AWS CLI's `get-bundles` example
//! (`src/help/examples/get-bundles.rst`: price, vCPUs, disk, power, RAM, transfer); the larger Linux
//! plans, the IPv6-only (`_ipv6_`) and Windows (`_win_`) plans follow Lightsail's public price list, and
//! the inactive `_2_0` plans (listed with `includeInactive`) are the previous generation that the CLI's
//! export-snapshot example still names (`nano_2_0`). The power values past `small_3_0`, and the Lightsail
//! for Research plans (`appCategory: LfR`), are our choice. The emulator README lists this under
//! "Invented data".

/// One plan.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bundle {
    pub id: &'static str,
    pub name: &'static str,
    pub instance_type: &'static str,
    /// US dollars per month.
    pub price: f64,
    pub cpu_count: u32,
    pub ram_size_in_gb: f64,
    pub disk_size_in_gb: u32,
    pub transfer_per_month_in_gb: u32,
    pub power: u32,
    pub platform: &'static str,
    pub is_active: bool,
    /// 1, or 0 for the IPv6-only plans.
    pub public_ipv4_address_count: u32,
    /// Lightsail for Research plans only.
    pub research: bool,
}

const LINUX: &str = "LINUX_UNIX";
const WINDOWS: &str = "WINDOWS";

#[allow(clippy::too_many_arguments)]
const fn plan(
    id: &'static str,
    name: &'static str,
    instance_type: &'static str,
    price: f64,
    cpu_count: u32,
    ram_size_in_gb: f64,
    disk_size_in_gb: u32,
    transfer_per_month_in_gb: u32,
    power: u32,
    platform: &'static str,
) -> Bundle {
    Bundle {
        id,
        name,
        instance_type,
        price,
        cpu_count,
        ram_size_in_gb,
        disk_size_in_gb,
        transfer_per_month_in_gb,
        power,
        platform,
        is_active: true,
        public_ipv4_address_count: 1,
        research: false,
    }
}

const fn ipv6_only(bundle: Bundle) -> Bundle {
    Bundle {
        public_ipv4_address_count: 0,
        ..bundle
    }
}

const fn inactive(bundle: Bundle) -> Bundle {
    Bundle {
        is_active: false,
        ..bundle
    }
}

const fn research(bundle: Bundle) -> Bundle {
    Bundle {
        research: true,
        ..bundle
    }
}

/// Every plan, in GetBundles order.
pub const BUNDLES: &[Bundle] = &[
    plan(
        "nano_3_0", "Nano", "nano", 5.0, 2, 0.5, 20, 1024, 298, LINUX,
    ),
    plan(
        "micro_3_0",
        "Micro",
        "micro",
        7.0,
        2,
        1.0,
        40,
        2048,
        500,
        LINUX,
    ),
    plan(
        "small_3_0",
        "Small",
        "small",
        12.0,
        2,
        2.0,
        60,
        3072,
        1000,
        LINUX,
    ),
    plan(
        "medium_3_0",
        "Medium",
        "medium",
        24.0,
        2,
        4.0,
        80,
        4096,
        2000,
        LINUX,
    ),
    plan(
        "large_3_0",
        "Large",
        "large",
        44.0,
        2,
        8.0,
        160,
        5120,
        3000,
        LINUX,
    ),
    plan(
        "xlarge_3_0",
        "XLarge",
        "xlarge",
        84.0,
        4,
        16.0,
        320,
        6144,
        4000,
        LINUX,
    ),
    plan(
        "2xlarge_3_0",
        "2XLarge",
        "2xlarge",
        164.0,
        8,
        32.0,
        640,
        7168,
        5000,
        LINUX,
    ),
    ipv6_only(plan(
        "nano_ipv6_3_0",
        "Nano",
        "nano",
        3.5,
        2,
        0.5,
        20,
        1024,
        298,
        LINUX,
    )),
    ipv6_only(plan(
        "micro_ipv6_3_0",
        "Micro",
        "micro",
        5.0,
        2,
        1.0,
        40,
        2048,
        500,
        LINUX,
    )),
    ipv6_only(plan(
        "small_ipv6_3_0",
        "Small",
        "small",
        10.0,
        2,
        2.0,
        60,
        3072,
        1000,
        LINUX,
    )),
    ipv6_only(plan(
        "medium_ipv6_3_0",
        "Medium",
        "medium",
        20.0,
        2,
        4.0,
        80,
        4096,
        2000,
        LINUX,
    )),
    ipv6_only(plan(
        "large_ipv6_3_0",
        "Large",
        "large",
        40.0,
        2,
        8.0,
        160,
        5120,
        3000,
        LINUX,
    )),
    ipv6_only(plan(
        "xlarge_ipv6_3_0",
        "XLarge",
        "xlarge",
        80.0,
        4,
        16.0,
        320,
        6144,
        4000,
        LINUX,
    )),
    ipv6_only(plan(
        "2xlarge_ipv6_3_0",
        "2XLarge",
        "2xlarge",
        160.0,
        8,
        32.0,
        640,
        7168,
        5000,
        LINUX,
    )),
    plan(
        "nano_win_3_0",
        "Nano",
        "nano",
        9.5,
        2,
        0.5,
        30,
        1024,
        298,
        WINDOWS,
    ),
    plan(
        "micro_win_3_0",
        "Micro",
        "micro",
        14.0,
        2,
        1.0,
        40,
        2048,
        500,
        WINDOWS,
    ),
    plan(
        "small_win_3_0",
        "Small",
        "small",
        25.0,
        2,
        2.0,
        60,
        3072,
        1000,
        WINDOWS,
    ),
    plan(
        "medium_win_3_0",
        "Medium",
        "medium",
        44.0,
        2,
        4.0,
        80,
        4096,
        2000,
        WINDOWS,
    ),
    plan(
        "large_win_3_0",
        "Large",
        "large",
        74.0,
        2,
        8.0,
        160,
        5120,
        3000,
        WINDOWS,
    ),
    plan(
        "xlarge_win_3_0",
        "XLarge",
        "xlarge",
        144.0,
        4,
        16.0,
        320,
        6144,
        4000,
        WINDOWS,
    ),
    plan(
        "2xlarge_win_3_0",
        "2XLarge",
        "2xlarge",
        274.0,
        8,
        32.0,
        640,
        7168,
        5000,
        WINDOWS,
    ),
    inactive(plan(
        "nano_2_0", "Nano", "nano", 3.5, 1, 0.5, 20, 1024, 300, LINUX,
    )),
    inactive(plan(
        "micro_2_0",
        "Micro",
        "micro",
        5.0,
        1,
        1.0,
        40,
        2048,
        500,
        LINUX,
    )),
    inactive(plan(
        "small_2_0",
        "Small",
        "small",
        10.0,
        1,
        2.0,
        60,
        3072,
        1000,
        LINUX,
    )),
    inactive(plan(
        "medium_2_0",
        "Medium",
        "medium",
        20.0,
        2,
        4.0,
        80,
        4096,
        2000,
        LINUX,
    )),
    inactive(plan(
        "large_2_0",
        "Large",
        "large",
        40.0,
        2,
        8.0,
        160,
        5120,
        3000,
        LINUX,
    )),
    research(plan(
        "app_standard_xl_1_0",
        "Standard XL",
        "xlarge",
        62.0,
        4,
        8.0,
        50,
        0,
        4000,
        LINUX,
    )),
    research(plan(
        "app_standard_2xl_1_0",
        "Standard 2XL",
        "2xlarge",
        122.0,
        8,
        16.0,
        50,
        0,
        5000,
        LINUX,
    )),
    research(plan(
        "gpu_nvidia_xl_1_0",
        "GPU XL",
        "g4dn.xlarge",
        338.0,
        4,
        16.0,
        50,
        0,
        6000,
        LINUX,
    )),
];

/// The plan with this id (active or not).
pub fn find(id: &str) -> Option<&'static Bundle> {
    BUNDLES.iter().find(|b| b.id == id)
}

/// The plan of the same size on the other side of the IPv4/IPv6 divide (`nano_3_0` <->
/// `nano_ipv6_3_0`), which SetIpAddressType moves an instance to.
pub fn ipv6_counterpart(id: &str, to_ipv6: bool) -> Option<&'static Bundle> {
    let other = if to_ipv6 {
        id.strip_suffix("_3_0")
            .map(|size| format!("{size}_ipv6_3_0"))
    } else {
        id.strip_suffix("_ipv6_3_0")
            .map(|size| format!("{size}_3_0"))
    }?;
    find(&other)
}
