//! The regions Lightsail serves, with their availability zones: the catalogue that state, SigV4 scopes,
//! ARNs and `GetRegions` key off.
//!
//! Sources: the region names are the model's `RegionName` enum (in its order) less `us-west-1`, which
//! botocore's endpoint data (`endpoints.json`, partition `aws`, service `lightsail`) does not list;
//! that data lists exactly these sixteen. The display names, continent codes and descriptions of
//! us-east-1, us-east-2 and us-west-2 are the AWS CLI's `get-regions` example
//! (`src/help/examples/get-regions.rst`); the others follow the same pattern in our wording. The zone
//! letters are our choice (each region's usual EC2 zones); every zone is `available`. The emulator
//! README lists all of this under "Invented data".

/// One region of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    pub name: &'static str,
    pub display_name: &'static str,
    pub continent_code: &'static str,
    pub description: &'static str,
    /// Zone letters: `a` is `{name}a`.
    pub zones: &'static str,
    /// Zone letters where managed databases may live.
    pub database_zones: &'static str,
}

impl Region {
    /// The full zone names (`us-west-2a`, ...).
    pub fn zone_names(&self) -> impl Iterator<Item = String> + '_ {
        self.zones.chars().map(|c| format!("{}{c}", self.name))
    }

    pub fn database_zone_names(&self) -> impl Iterator<Item = String> + '_ {
        self.database_zones
            .chars()
            .map(|c| format!("{}{c}", self.name))
    }

    /// The first zone, where resources go when the caller names none.
    pub fn default_zone(&self) -> String {
        let letter = self.zones.chars().next().unwrap_or('a');
        format!("{}{letter}", self.name)
    }

    pub fn has_zone(&self, zone: &str) -> bool {
        zone.strip_prefix(self.name)
            .is_some_and(|rest| rest.len() == 1 && self.zones.contains(rest))
    }
}

/// Where domains (DNS zones) live, whatever region a call names, as on the service.
pub const DOMAIN_REGION: &str = "us-east-1";

const fn region(
    name: &'static str,
    display_name: &'static str,
    continent_code: &'static str,
    description: &'static str,
    zones: &'static str,
) -> Region {
    Region {
        name,
        display_name,
        continent_code,
        description,
        zones,
        database_zones: zones,
    }
}

/// Every region Lightsail serves, in `GetRegions` order.
pub const REGIONS: &[Region] = &[
    region(
        "us-east-1",
        "Virginia",
        "NA",
        "This region is recommended to serve users in the eastern United States",
        "abcdef",
    ),
    region(
        "us-east-2",
        "Ohio",
        "NA",
        "This region is recommended to serve users in the eastern United States",
        "abc",
    ),
    region(
        "us-west-2",
        "Oregon",
        "NA",
        "This region is recommended to serve users in the northwestern United States, Alaska, and western Canada",
        "abcd",
    ),
    region(
        "eu-west-1",
        "Ireland",
        "EU",
        "This region is recommended to serve users in Ireland, the United Kingdom, and Iceland",
        "abc",
    ),
    region(
        "eu-west-2",
        "London",
        "EU",
        "This region is recommended to serve users in the United Kingdom and northern Europe",
        "abc",
    ),
    region(
        "eu-west-3",
        "Paris",
        "EU",
        "This region is recommended to serve users in France and western Europe",
        "abc",
    ),
    region(
        "eu-central-1",
        "Frankfurt",
        "EU",
        "This region is recommended to serve users in Germany and central Europe",
        "abc",
    ),
    region(
        "eu-north-1",
        "Stockholm",
        "EU",
        "This region is recommended to serve users in Scandinavia and northern Europe",
        "abc",
    ),
    region(
        "ca-central-1",
        "Canada",
        "NA",
        "This region is recommended to serve users in Canada",
        "abd",
    ),
    region(
        "ap-south-1",
        "Mumbai",
        "AS",
        "This region is recommended to serve users in India",
        "abc",
    ),
    region(
        "ap-southeast-1",
        "Singapore",
        "AS",
        "This region is recommended to serve users in Southeast Asia",
        "abc",
    ),
    region(
        "ap-southeast-2",
        "Sydney",
        "AU",
        "This region is recommended to serve users in Australia and New Zealand",
        "abc",
    ),
    region(
        "ap-northeast-1",
        "Tokyo",
        "AS",
        "This region is recommended to serve users in Japan",
        "acd",
    ),
    region(
        "ap-northeast-2",
        "Seoul",
        "AS",
        "This region is recommended to serve users in South Korea",
        "abcd",
    ),
    region(
        "ap-southeast-3",
        "Jakarta",
        "AS",
        "This region is recommended to serve users in Indonesia",
        "abc",
    ),
    region(
        "ap-southeast-5",
        "Malaysia",
        "AS",
        "This region is recommended to serve users in Malaysia",
        "abc",
    ),
];

/// The catalogue entry of a region Lightsail serves.
pub fn find(name: &str) -> Option<&'static Region> {
    REGIONS.iter().find(|r| r.name == name)
}

/// A region the emulator was told to serve although Lightsail does not (`--region` outside the
/// catalogue, kept for tests that name an arbitrary region): one zone, `a`.
pub fn configured(name: &str) -> Region {
    // Leaked once per distinct configured region, which is a handful per process at most.
    let name: &'static str = Box::leak(name.to_string().into_boxed_str());
    region(
        name,
        name,
        "NA",
        "A region served by lightsail-emulator only",
        "a",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_matches_the_model_and_botocore() {
        let model = crate::model::Model::shared().unwrap();
        let enum_values = &model.shape_named("RegionName").unwrap().enum_values;
        let served: Vec<&str> = REGIONS.iter().map(|r| r.name).collect();
        let expected: Vec<&str> = enum_values
            .iter()
            .map(String::as_str)
            .filter(|r| *r != "us-west-1")
            .collect();
        assert_eq!(served, expected);
        let oregon = find("us-west-2").unwrap();
        assert_eq!(oregon.default_zone(), "us-west-2a");
        assert!(oregon.has_zone("us-west-2d") && !oregon.has_zone("us-west-2e"));
        assert!(find("sa-east-1").is_none());
    }
}
