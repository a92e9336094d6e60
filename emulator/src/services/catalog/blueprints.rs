//! The instance images (blueprints) GetBlueprints lists and CreateInstances builds from.
//!
//! Sources: `wordpress`, `lamp_8_bitnami` and `nodejs` are the AWS CLI's `get-blueprints` example
//! (`src/help/examples/get-blueprints.rst`), verbatim; the ids, names and groups of the others are
//! Lightsail's (`amazon_linux_2023` and `ubuntu_22_04` are named by the model's documentation, `mean`
//! and `windows_server_2022` by the CLI's `get-instances` example, `wordpress_4_9_8` and
//! `lamp_5_6_37_2` by its export-snapshot example); their descriptions, versions and URLs are our
//! wording. What the service keeps beside a blueprint (the login user, the default firewall and the
//! system disk's path an instance gets) follows the CLI's instance examples. Listed in the emulator
//! README under "Invented data".

/// One image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Blueprint {
    pub id: &'static str,
    pub name: &'static str,
    pub group: &'static str,
    /// `os` or `app`.
    pub kind: &'static str,
    pub description: &'static str,
    pub is_active: bool,
    pub min_power: u32,
    pub version: &'static str,
    pub product_url: &'static str,
    pub license_url: &'static str,
    pub platform: &'static str,
    /// Lightsail for Research images only.
    pub research: bool,
    /// The user an instance of this image is logged in as (`username`).
    pub username: &'static str,
}

impl Blueprint {
    pub fn is_windows(&self) -> bool {
        self.platform == "WINDOWS"
    }

    /// The ports a new instance's firewall opens: HTTP and SSH, plus HTTPS for application stacks
    /// and RDP for Windows (the CLI's `get-instance(s)` examples, in their order).
    pub fn default_ports(&self) -> &'static [u16] {
        if self.is_windows() {
            &[80, 22, 3389]
        } else if self.kind == "app" {
            &[80, 22, 443]
        } else {
            &[80, 22]
        }
    }

    /// The system disk's device path (`/dev/xvda` on Linux, `/dev/sda1` on Windows, as in the
    /// CLI's examples).
    pub fn system_disk_path(&self) -> &'static str {
        if self.is_windows() {
            "/dev/sda1"
        } else {
            "/dev/xvda"
        }
    }
}

const LINUX: &str = "LINUX_UNIX";
const WINDOWS: &str = "WINDOWS";

const WORDPRESS_DESCRIPTION: &str = "Bitnami, the leaders in application packaging, and Automattic, the experts behind WordPress, have teamed up to offer this official WordPress image. This image is a pre-configured, ready-to-run image for running WordPress on Amazon Lightsail. WordPress is the world's most popular content management platform. Whether it's for an enterprise or small business website, or a personal or corporate blog, content authors can easily create content using its new Gutenberg editor, and developers can extend the base platform with additional features. Popular plugins like Jetpack, Akismet, All in One SEO Pack, WP Mail, Google Analytics for WordPress, and Amazon Polly are all pre-installed in this image. Let's Encrypt SSL certificates are supported through an auto-configuration script.";
const LAMP_DESCRIPTION: &str = "LAMP with PHP 8.X packaged by Bitnami enables you to quickly start building your websites and applications by providing a coding framework. As a developer, it provides standalone project directories to store your applications. This blueprint is configured for production environments. It includes SSL auto-configuration with Let's Encrypt certificates, and the latest releases of PHP, Apache, and MariaDB on Linux. This application also includes phpMyAdmin, PHP main modules and Composer.";
const NODEJS_DESCRIPTION: &str = "Node.js packaged by Bitnami is a pre-configured, ready to run image for Node.js on Amazon EC2. It includes the latest version of Node.js, Apache, Python and Redis. The image supports multiple Node.js applications, each with its own virtual host and project directory. It is configured for production use and is secure by default, as all ports except HTTP, HTTPS and SSH ports are closed. Let's Encrypt SSL certificates are supported through an auto-configuration script. Developers benefit from instant access to a secure, update and consistent Node.js environment without having to manually install and configure multiple components and libraries.";

#[allow(clippy::too_many_arguments)]
const fn image(
    id: &'static str,
    name: &'static str,
    group: &'static str,
    kind: &'static str,
    description: &'static str,
    version: &'static str,
    product_url: &'static str,
    platform: &'static str,
    username: &'static str,
) -> Blueprint {
    Blueprint {
        id,
        name,
        group,
        kind,
        description,
        is_active: true,
        min_power: 0,
        version,
        product_url,
        license_url: product_url,
        platform,
        research: false,
        username,
    }
}

const fn licensed(blueprint: Blueprint, license_url: &'static str) -> Blueprint {
    Blueprint {
        license_url,
        ..blueprint
    }
}

const fn needs_power(blueprint: Blueprint, min_power: u32) -> Blueprint {
    Blueprint {
        min_power,
        ..blueprint
    }
}

const fn inactive(blueprint: Blueprint) -> Blueprint {
    Blueprint {
        is_active: false,
        ..blueprint
    }
}

const fn research(blueprint: Blueprint) -> Blueprint {
    Blueprint {
        research: true,
        ..blueprint
    }
}

/// Every image, in GetBlueprints order.
pub const BLUEPRINTS: &[Blueprint] = &[
    licensed(
        image("wordpress", "WordPress", "wordpress", "app", WORDPRESS_DESCRIPTION, "6.5.3-0",
            "https://aws.amazon.com/marketplace/pp/B00NN8Y43U", LINUX, "bitnami"),
        "https://aws.amazon.com/marketplace/pp/B00NN8Y43U#pdp-usage",
    ),
    licensed(
        image("lamp_8_bitnami", "LAMP (PHP 8)", "lamp_8", "app", LAMP_DESCRIPTION, "8.2.18-4",
            "https://aws.amazon.com/marketplace/pp/prodview-6g3gzfcih6dvu", LINUX, "bitnami"),
        "https://aws.amazon.com/marketplace/pp/prodview-6g3gzfcih6dvu#pdp-usage",
    ),
    licensed(
        image("nodejs", "Node.js", "node", "app", NODEJS_DESCRIPTION, "18.20.2-0",
            "https://aws.amazon.com/marketplace/pp/B00NNZUAKO", LINUX, "bitnami"),
        "https://aws.amazon.com/marketplace/pp/B00NNZUAKO#pdp-usage",
    ),
    image("wordpress_multisite", "WordPress Multisite", "wordpress_multisite", "app",
        "WordPress Multisite packaged by Bitnami: one WordPress installation serving many sites, each with its own domain or sub-domain.",
        "6.5.3-0", "https://aws.amazon.com/marketplace/pp/B00NN8XE6S", LINUX, "bitnami"),
    image("mean", "MEAN", "mean", "app",
        "MEAN packaged by Bitnami: MongoDB, Express, Angular and Node.js, ready to run a JavaScript web application stack.",
        "7.0.11-0", "https://aws.amazon.com/marketplace/pp/B00NNZUF3Q", LINUX, "bitnami"),
    image("joomla", "Joomla", "joomla", "app",
        "Joomla packaged by Bitnami: a content management system for websites and online applications.",
        "5.1.0-0", "https://aws.amazon.com/marketplace/pp/B00NNZUBUY", LINUX, "bitnami"),
    image("drupal", "Drupal", "drupal", "app",
        "Drupal packaged by Bitnami: a content management framework for websites and applications.",
        "10.2.6-0", "https://aws.amazon.com/marketplace/pp/B00NNZUAYU", LINUX, "bitnami"),
    needs_power(
        image("plesk_ubuntu", "Plesk Hosting Stack on Ubuntu", "plesk_ubuntu", "app",
            "Plesk on Ubuntu: a web hosting control panel to build, secure and run websites and applications.",
            "18.0.61", "https://aws.amazon.com/marketplace/pp/B07RNPG7XQ", LINUX, "ubuntu"),
        1000,
    ),
    needs_power(
        image("cpanel_whm_almalinux", "cPanel & WHM for AlmaLinux", "cpanel_whm_almalinux", "app",
            "cPanel & WHM on AlmaLinux: a hosting control panel for websites, email and DNS.",
            "11.118.0.15", "https://aws.amazon.com/marketplace/pp/prodview-jmrkyvjhjuuds", LINUX, "ec2-user"),
        1000,
    ),
    image("amazon_linux_2023", "Amazon Linux 2023", "amazon_linux_2023", "os",
        "Amazon Linux 2023 (AL2023) is Amazon's Linux operating system for cloud applications, with long-term support.",
        "2023.4.20240528.0", "https://aws.amazon.com/linux/amazon-linux-2023/", LINUX, "ec2-user"),
    image("amazon_linux_2", "Amazon Linux 2", "amazon_linux_2", "os",
        "Amazon Linux 2 is a Linux server operating system from Amazon Web Services.",
        "2.0.20240529.0", "https://aws.amazon.com/amazon-linux-2/", LINUX, "ec2-user"),
    image("ubuntu_24_04", "Ubuntu", "ubuntu_24", "os",
        "Ubuntu Server 24.04 LTS, a Debian-based Linux distribution.",
        "24.04 LTS", "https://aws.amazon.com/marketplace/pp/prodview-a2hsmpxq6qhgo", LINUX, "ubuntu"),
    image("ubuntu_22_04", "Ubuntu", "ubuntu_22", "os",
        "Ubuntu Server 22.04 LTS, a Debian-based Linux distribution.",
        "22.04 LTS", "https://aws.amazon.com/marketplace/pp/prodview-f2if34z3a4e3i", LINUX, "ubuntu"),
    image("debian_12", "Debian", "debian_12", "os",
        "Debian 12 (bookworm), a free operating system developed by the Debian community.",
        "12.5", "https://aws.amazon.com/marketplace/pp/prodview-g5rooj5oqzrw4", LINUX, "admin"),
    image("freebsd_14", "FreeBSD", "freebsd_14", "os",
        "FreeBSD 14, an operating system for servers, desktops and embedded platforms.",
        "14.0", "https://aws.amazon.com/marketplace/pp/prodview-ukzmy5dzc6nbq", LINUX, "ec2-user"),
    image("almalinux_9", "AlmaLinux OS 9", "almalinux_9", "os",
        "AlmaLinux OS 9, an enterprise Linux distribution binary-compatible with RHEL.",
        "9.4", "https://aws.amazon.com/marketplace/pp/prodview-ykfdhqdxzrneu", LINUX, "ec2-user"),
    image("windows_server_2022", "Windows Server 2022", "windows_2022", "os",
        "Windows Server 2022 Datacenter edition, with Remote Desktop access.",
        "2024.05.15", "https://aws.amazon.com/windows/", WINDOWS, "Administrator"),
    image("windows_server_2019", "Windows Server 2019", "windows_2019", "os",
        "Windows Server 2019 Datacenter edition, with Remote Desktop access.",
        "2024.05.15", "https://aws.amazon.com/windows/", WINDOWS, "Administrator"),
    inactive(image("ubuntu_18_04", "Ubuntu", "ubuntu_18", "os",
        "Ubuntu Server 18.04 LTS, a Debian-based Linux distribution (end of standard support).",
        "18.04 LTS", "https://aws.amazon.com/marketplace/pp/B07CQ33QKV", LINUX, "ubuntu")),
    inactive(image("wordpress_4_9_8", "WordPress", "wordpress", "app",
        "WordPress 4.9.8 packaged by Bitnami (previous release).",
        "4.9.8", "https://aws.amazon.com/marketplace/pp/B00NN8Y43U", LINUX, "bitnami")),
    inactive(image("lamp_5_6_37_2", "LAMP (PHP 5)", "lamp_5", "app",
        "LAMP with PHP 5.6 packaged by Bitnami (previous release).",
        "5.6.37-2", "https://aws.amazon.com/marketplace/pp/B072JNJZ5C", LINUX, "bitnami")),
    research(image("lfr_jupyterlab", "JupyterLab", "lfr_jupyterlab", "app",
        "JupyterLab for Lightsail for Research: notebooks, code and data in the browser.",
        "4.2.1", "https://jupyter.org/", LINUX, "lightsail-user")),
    research(image("lfr_rstudio", "RStudio", "lfr_rstudio", "app",
        "RStudio for Lightsail for Research: an integrated development environment for R.",
        "2024.04.1", "https://posit.co/", LINUX, "lightsail-user")),
];

/// The image with this id (active or not).
pub fn find(id: &str) -> Option<&'static Blueprint> {
    BLUEPRINTS.iter().find(|b| b.id == id)
}
