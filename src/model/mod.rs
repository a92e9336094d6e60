//! The Lightsail service model as static tables.
//!
//! `build.rs` compiles the vendored `model/service-2.json` (botocore 1.43.11) into the arrays included
//! below, so nothing is parsed at start-up. Everything operation-specific in the CLI — command names,
//! parameter names and types, required members, validation bounds, skeletons, help text and output
//! shaping — is read from these tables; no code is written for one operation.

/// Index of a shape in [`SHAPES`].
pub type ShapeId = u16;

/// The type of a shape, as the model's `type` field names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Structure,
    List,
    Map,
    String,
    Integer,
    Long,
    Boolean,
    Double,
    Float,
    Timestamp,
    Blob,
}

impl Kind {
    /// The type name as the model (and the reference's help and error messages) spell it.
    pub fn type_name(self) -> &'static str {
        match self {
            Kind::Structure => "structure",
            Kind::List => "list",
            Kind::Map => "map",
            Kind::String => "string",
            Kind::Integer => "integer",
            Kind::Long => "long",
            Kind::Boolean => "boolean",
            Kind::Double => "double",
            Kind::Float => "float",
            Kind::Timestamp => "timestamp",
            Kind::Blob => "blob",
        }
    }

    /// Scalars are everything but structures, lists and maps.
    pub fn is_scalar(self) -> bool {
        !matches!(self, Kind::Structure | Kind::List | Kind::Map)
    }
}

/// A member of a structure shape.
#[derive(Debug)]
pub struct Member {
    /// The wire name (`instanceSnapshotName`).
    pub name: &'static str,
    /// The CLI spelling without dashes in front (`instance-snapshot-name`).
    pub cli_name: &'static str,
    pub shape: ShapeId,
    pub documentation: &'static str,
    pub deprecated: bool,
}

impl Member {
    pub fn shape(&self) -> &'static Shape {
        shape(self.shape)
    }
}

/// One shape of the model.
#[derive(Debug)]
pub struct Shape {
    pub name: &'static str,
    pub kind: Kind,
    /// Structure members, in the model's order.
    pub members: &'static [Member],
    /// Required member names, in the model's order.
    pub required: &'static [&'static str],
    /// List element shape.
    pub member: Option<ShapeId>,
    /// Map key and value shapes.
    pub key: Option<ShapeId>,
    pub value: Option<ShapeId>,
    pub enum_values: &'static [&'static str],
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub pattern: Option<&'static str>,
    pub documentation: &'static str,
    pub exception: bool,
    pub fault: bool,
    pub sensitive: bool,
}

impl Shape {
    pub fn member_named(&self, name: &str) -> Option<&'static Member> {
        // Members are few (at most a few dozen); a scan beats building a map.
        let members: &'static [Member] = self.members;
        members.iter().find(|m| m.name == name)
    }

    pub fn list_member(&self) -> Option<&'static Shape> {
        self.member.map(shape)
    }

    pub fn map_key(&self) -> Option<&'static Shape> {
        self.key.map(shape)
    }

    pub fn map_value(&self) -> Option<&'static Shape> {
        self.value.map(shape)
    }

    pub fn is_required(&self, member: &str) -> bool {
        self.required.contains(&member)
    }
}

/// Pagination settings of an operation (`paginators-1.json`).
#[derive(Debug)]
pub struct Paginator {
    pub input_token: &'static str,
    pub output_token: &'static str,
    pub limit_key: Option<&'static str>,
    pub result_key: &'static str,
}

/// One operation of the model.
#[derive(Debug)]
pub struct Operation {
    /// The API name (`CreateInstanceSnapshot`).
    pub name: &'static str,
    /// The CLI command name (`create-instance-snapshot`).
    pub cli_name: &'static str,
    pub input: Option<ShapeId>,
    pub output: Option<ShapeId>,
    pub errors: &'static [ShapeId],
    pub documentation: &'static str,
    pub http_method: &'static str,
    pub request_uri: &'static str,
    pub paginator: Option<Paginator>,
}

impl Operation {
    pub fn input_shape(&self) -> Option<&'static Shape> {
        self.input.map(shape)
    }

    pub fn output_shape(&self) -> Option<&'static Shape> {
        self.output.map(shape)
    }
}

include!(concat!(env!("OUT_DIR"), "/model_tables.rs"));

/// The shape with index `id`. Ids come only from the generated tables, so they are always in range.
pub fn shape(id: ShapeId) -> &'static Shape {
    &SHAPES[id as usize]
}

/// Looks a shape up by its model name.
pub fn shape_named(name: &str) -> Option<&'static Shape> {
    SHAPES_BY_NAME
        .binary_search_by(|(n, _)| (*n).cmp(name))
        .ok()
        .map(|i| shape(SHAPES_BY_NAME[i].1))
}

/// Looks an operation up by its CLI command name (`create-instance-snapshot`).
pub fn operation_by_cli_name(cli_name: &str) -> Option<&'static Operation> {
    OPERATIONS_BY_CLI_NAME
        .binary_search_by(|(n, _)| (*n).cmp(cli_name))
        .ok()
        .map(|i| &OPERATIONS[OPERATIONS_BY_CLI_NAME[i].1 as usize])
}

/// Looks an operation up by its API name (`CreateInstanceSnapshot`).
pub fn operation_named(name: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().find(|op| op.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_instance_snapshot_comes_from_the_model() {
        let op = operation_by_cli_name("create-instance-snapshot").expect("operation exists");
        assert_eq!(op.name, "CreateInstanceSnapshot");
        let input = op.input_shape().expect("has input");
        let names: Vec<_> = input.members.iter().map(|m| m.cli_name).collect();
        assert_eq!(names, ["instance-snapshot-name", "instance-name", "tags"]);
        assert_eq!(input.required, ["instanceSnapshotName", "instanceName"]);
        assert_eq!(shape_named("TagList").map(|s| s.kind), Some(Kind::List));
        assert!(operation_by_cli_name("no-such-thing").is_none());
    }
}
